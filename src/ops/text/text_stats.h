// The text statistics behind the text filters, with Data-Juicer's semantics. All take valid UTF-8
// and count Unicode code points, as Python's str does. No allocation; ASCII runs are classified
// 16 bytes at a time (SSE2 where available, a table otherwise).
#pragma once

#include <cstdint>
#include <string_view>

namespace juicer::text {

// len(text).
int64_t TextLength(std::string_view text);

// DJ's num_words without a tokenizer: words split on ' ', '\n', '\t' (empty ones dropped), each
// stripped of SPECIAL_CHARACTERS at both ends, the non-empty ones counted.
int64_t WordCount(std::string_view text);

// Fraction of code points with str.isalnum(); 0.0 for empty text.
double AlnumRatio(std::string_view text);

// Fraction of code points in SPECIAL_CHARACTERS; 0.0 for empty text.
double SpecialCharRatio(std::string_view text);

}  // namespace juicer::text
