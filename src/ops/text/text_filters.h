// Text statistics filters: text_length_filter, words_num_filter, alphanumeric_filter,
// special_characters_filter (Data-Juicer names, params, defaults and stat keys).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/op_registry.h"

namespace juicer {

Status RegisterTextFilters(OpRegistry& registry);

namespace text {

// The statistics themselves, exposed for tests and for other ops that need the same numbers.
// All take valid UTF-8 and count Unicode code points, as Python's str does.

// len(text).
int64_t TextLength(std::string_view text);
// DJ's num_words without a tokenizer: words split on ' ', '\n', '\t', each stripped of
// SPECIAL_CHARACTERS at both ends, empty ones dropped.
int64_t WordCount(std::string_view text);
// Fraction of code points with str.isalnum(); 0.0 for empty text.
double AlnumRatio(std::string_view text);
// Fraction of code points in SPECIAL_CHARACTERS; 0.0 for empty text.
double SpecialCharRatio(std::string_view text);

}  // namespace text
}  // namespace juicer
