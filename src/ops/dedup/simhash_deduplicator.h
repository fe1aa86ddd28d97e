// Near-duplicate removal with SimHash (Data-Juicer's document_simhash_deduplicator): 64-bit SimHash of
// the text's shingles, documents within `hamming_distance` bits are clustered, the first one is kept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/op_registry.h"

namespace juicer {

Status RegisterSimHashDedupOps(OpRegistry& registry);

namespace dedup {

// simhash's unsigned_hash: the first 8 bytes of md5(bytes), big-endian.
uint64_t SimHashTokenHash(std::string_view bytes);

// simhash's compute: bit j is set when more token hashes have bit j set than not.
uint64_t SimHashCombine(const std::vector<uint64_t>& token_hashes);

// Every pair (i < j) of `hashes` (distinct values) whose Hamming distance is <= max_distance, found
// exactly with the block-permutation method (num_blocks > max_distance: two hashes that differ in at
// most k bits agree on at least num_blocks - k blocks).
std::vector<std::pair<uint32_t, uint32_t>> SimHashNearPairs(const std::vector<uint64_t>& hashes, int num_blocks,
                                                            int max_distance);

}  // namespace dedup
}  // namespace juicer
