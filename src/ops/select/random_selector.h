// random_selector (Data-Juicer): keep a seeded random subset of the dataset.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/op_registry.h"

namespace juicer {

Status RegisterSelectorOps(OpRegistry& registry);

namespace selection {

// How many samples random_selector keeps out of `total`, following DJ's RandomSelector.process
// and utils.sample.random_sample: nullopt means "keep the whole dataset in input order".
std::optional<uint64_t> RandomSelectCount(uint64_t total, std::optional<double> select_ratio,
                                          std::optional<int64_t> select_num);

enum class ShuffleStorage { kAuto, kDense, kSparse };

// The first `take` values of a Fisher-Yates shuffle of 0 .. total-1 driven by
// std::mt19937_64(seed), with an unbiased bounded draw of our own, so the result is the same
// with every standard library. Dense storage holds the whole permutation, sparse storage only the
// swapped entries (O(take) memory); both give the same values, kAuto picks by size.
std::vector<uint64_t> ShuffledPrefix(uint64_t total, uint64_t take, uint64_t seed,
                                     ShuffleStorage storage = ShuffleStorage::kAuto);

}  // namespace selection
}  // namespace juicer
