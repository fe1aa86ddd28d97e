// Language identification filter: language_id_score_filter (Data-Juicer's name, params, stat keys),
// with the fastText lid.176 model (quantized .ftz) fetched by scripts/setup.sh.
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterLanguageIdOps(OpRegistry& registry);

}  // namespace juicer
