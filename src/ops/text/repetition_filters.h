// Repetition filters: character_repetition_filter, word_repetition_filter (Data-Juicer names, params,
// defaults and stat keys).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/op.h"
#include "core/op_registry.h"

namespace juicer {

Status RegisterTextRepetitionFilters(OpRegistry& registry);

namespace text {

// DJ's char_rep_ratio over code-point n-grams of length n (>= 1); 0.0 when len(text) < n.
double CharRepetitionRatio(std::string_view text, size_t n, WorkerContext& ctx);
// The same; allow_simd = false keeps to the portable loops (tests compare both).
double CharRepetitionRatio(std::string_view text, size_t n, WorkerContext& ctx, bool allow_simd);

// DJ's word_rep_ratio (tokenization=false): whitespace words, lower-cased and stripped of
// SPECIAL_CHARACTERS, n-grams of n words; 0.0 when there are fewer than n words.
double WordRepetitionRatio(std::string_view text, size_t n, WorkerContext& ctx);

}  // namespace text
}  // namespace juicer
