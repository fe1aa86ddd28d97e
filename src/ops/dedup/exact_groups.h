// Exact-key duplicate groups for the media deduplicators (image_deduplicator, video_deduplicator):
// samples arrive in position order, the first sample of each key is kept, and each group remembers its
// first two positions (the pair a trace shows) and its size.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/op.h"

namespace juicer::dedup {

struct DupGroup {
  uint64_t first = 0, second = 0, count = 0;
};

class ExactGroups {
 public:
  // The sample at `pos` with `key`: kept when the key is new, else counted in its group.
  void Add(uint64_t pos, std::string key) {
    auto [it, inserted] = seen_.try_emplace(std::move(key), groups_.size());
    if (inserted) {
      groups_.push_back(DupGroup{pos, 0, 1});
      kept_.push_back(pos);
    } else {
      DupGroup& g = groups_[it->second];
      if (g.count++ == 1) g.second = pos;
    }
  }
  // A sample that is never a duplicate (e.g. one without media).
  void Keep(uint64_t pos) { kept_.push_back(pos); }
  // The kept positions, ascending.
  std::vector<uint64_t> TakeKept() { return std::move(kept_); }
  const std::vector<DupGroup>& groups() const { return groups_; }

 private:
  std::unordered_map<std::string, size_t> seen_;  // key -> index into groups_
  std::vector<DupGroup> groups_;
  std::vector<uint64_t> kept_;
};

// Trace pairs: the first two samples of up to `n` groups with duplicates, the largest groups first (ties
// in the order given).
inline std::vector<DuplicatePair> LargestGroupPairs(std::vector<DupGroup> groups, size_t n) {
  std::erase_if(groups, [](const DupGroup& g) { return g.count < 2; });
  std::stable_sort(groups.begin(), groups.end(),
                   [](const DupGroup& a, const DupGroup& b) { return a.count > b.count; });
  std::vector<DuplicatePair> out;
  for (size_t i = 0; i < std::min(groups.size(), n); ++i) out.push_back(DuplicatePair{groups[i].first, groups[i].second});
  return out;
}

}  // namespace juicer::dedup
