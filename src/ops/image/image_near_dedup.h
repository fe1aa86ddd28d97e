// Near-duplicate clustering for image_deduplicator's hamming_threshold mode: samples whose 64-bit
// image hashes differ in at most `threshold` bits (image by image) are linked, linked samples form
// clusters (union-find, transitive), the first sample of each cluster is kept. Candidate pairs come
// from multi-index hashing (a pigeonhole search): the 64 bits are cut into m contiguous blocks, and
// two hashes within distance t differ in at most t/m bits on at least one block, so each sample only
// probes, per block, the values within t/m bits of its own; m is chosen from t and the number of
// samples to minimise the expected work.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace juicer::image_ops {

inline constexpr int kMaxHammingThreshold = 24;

class NearDupCollector {
 public:
  // One sample with images: `hex` is its __dj__imagehash (16 hex digits per image), `group` what must
  // also be equal for two samples to be duplicates (e.g. the text hash); the number of images is
  // added to it. Positions must be added in increasing order.
  Status Add(uint64_t pos, std::string_view hex, std::string_view group);
  size_t size() const { return pos_.size(); }

  struct NearCluster {
    uint64_t first = 0, second = 0, count = 0;  // positions of the kept and the next member, size
  };
  struct Clustering {
    std::vector<uint64_t> kept;      // ascending
    std::vector<NearCluster> clusters;   // clusters of 2 or more, by first position
    uint64_t comparisons = 0;        // full hash comparisons made (for tests / benchmarks)
  };
  Clustering Cluster(int threshold) const;

 private:
  std::vector<uint64_t> pos_;
  std::vector<uint32_t> group_;
  std::vector<uint32_t> start_;  // into words_, one more entry than items
  std::vector<uint64_t> words_;
  std::unordered_map<std::string, uint32_t> groups_;
};

}  // namespace juicer::image_ops
