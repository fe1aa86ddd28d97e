// Word-list filters: stopwords_filter, flagged_words_filter (Data-Juicer names, params, defaults and
// stat keys; word lists in text/word_lists.h).
#pragma once

#include <memory>
#include <string>

#include "core/op_registry.h"

namespace juicer {

class Tokenizer;

Status RegisterWordListFilters(OpRegistry& registry);

// The SentencePiece model Data-Juicer splits words with when tokenization=true (`{lang}.sp.model`):
// `model_path` when not empty, else DefaultModelsDir()/<lang>.sp.model. Unavailable, saying what to
// pass, when the file is absent.
Result<std::shared_ptr<const Tokenizer>> LoadDjWordModel(const std::string& lang, const std::string& model_path);

}  // namespace juicer
