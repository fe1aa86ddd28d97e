// Pool algebra of `juicer sandbox probe` over data_pool_construction outputs, by the stable sample id
// (`__dj__meta__.uid`): recipe pools (intersections of chosen thirds), the scaling pyramid (samples by
// how many of the top pools hold them) and unions of its levels.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace juicer::sandbox {

// Writes to `out` the samples that every pool holds, in the order of the first pool; returns the count.
Result<size_t> WritePoolIntersection(const std::vector<std::string>& pools, const std::string& out);

// The pyramid of k pools: level j (1..k) holds the samples found in exactly k - j + 1 of them (level 1:
// in all, the strictest and smallest), each sample once, in first-seen order. Writes
// <out_dir>/level_<j>.jsonl and returns the level sizes.
Result<std::vector<size_t>> WritePyramidLevels(const std::vector<std::string>& pools, const std::string& out_dir);

// Concatenation of disjoint pools into `out`; returns the count.
Result<size_t> WritePoolUnion(const std::vector<std::string>& pools, const std::string& out);

}  // namespace juicer::sandbox
