// token_num_filter (Data-Juicer name, params, defaults and stat key): counts tokens with a tokenizer
// juicer can load (CLIP's BPE or a SentencePiece model) instead of a Hugging Face tokenizer.
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterTokenNumFilter(OpRegistry& registry);

}  // namespace juicer
