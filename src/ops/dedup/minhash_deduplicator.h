// Near-duplicate document removal with MinHash-LSH (Data-Juicer's document_minhash_deduplicator).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/op_registry.h"

namespace juicer {

Status RegisterMinHashDedupOps(OpRegistry& registry);

namespace dedup {

// Data-Juicer's optimal_param (from datasketch): the (bands, rows) with bands * rows <= num_perm
// minimising 0.5 * P(false positive) + 0.5 * P(false negative), the probabilities being the
// integrals of 1 - (1 - s^r)^b over [0, threshold] and of (1 - s^r)^b over [threshold, 1].
std::pair<int, int> OptimalBandsRows(double threshold, int num_perm);

// The permutation coefficients DJ draws: for each permutation, a = randint(1, 2^61-1) then
// b = randint(0, 2^61-1), dtype uint64, from numpy.random.RandomState(42).
void MinHashPermutations(int num_perm, std::vector<uint64_t>* a, std::vector<uint64_t>* b);

// First 4 bytes of SHA-1, little-endian (datasketch's sha1_hash32).
Status Sha1Hash32(std::string_view data, uint32_t* out);

enum class MinHashTokenization { kSpace, kPunctuation, kCharacter };

// DJ's per-permutation minima: min over shingles of ((h * a + b) mod 2^64 mod (2^61-1)) & (2^32-1)
// (numpy uint64 arithmetic wraps). allow_simd=false forces the portable loop (tests compare them). False when the text has no shingle (DJ fails on such a text).
Result<bool> MinHashSignature(std::string_view text, MinHashTokenization mode, int window,
                              const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                              std::string* scratch, std::vector<uint64_t>* mins, bool allow_simd = true);

}  // namespace dedup
}  // namespace juicer
