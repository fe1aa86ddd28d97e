// text_action_filter (Data-Juicer name, params, defaults and stat key): counts verbs with juicer's
// lexicon-based POS tagger (ops/text/pos_tagger.h) instead of spaCy.
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterTextActionFilter(OpRegistry& registry);

}  // namespace juicer
