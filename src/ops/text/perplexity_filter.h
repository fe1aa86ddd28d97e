// perplexity_filter (Data-Juicer's name, params and stat key) on juicer's own SentencePiece + Kneser-Ney
// n-gram model (src/lm), by default the English model scripts/setup.sh builds.
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterPerplexityOps(OpRegistry& registry);

}  // namespace juicer
