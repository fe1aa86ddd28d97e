// The distributed cluster resolution (clusters.h) with the ranks simulated in one process: for random
// key sets and rank splits, the kept samples equal a sequential union-find's cluster minima.
#include "dist/clusters.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

namespace juicer::dist {
namespace {

uint64_t Find(std::vector<uint64_t>& p, uint64_t x) {
  while (p[x] != x) x = p[x] = p[p[x]];
  return x;
}

// Sequential reference: unite every sample with the first holder of each of its keys.
std::vector<uint64_t> Reference(const std::vector<std::vector<ClusterKey>>& keys) {
  std::vector<uint64_t> parent(keys.size());
  std::iota(parent.begin(), parent.end(), uint64_t{0});
  std::vector<std::pair<ClusterKey, uint64_t>> first;
  for (uint64_t i = 0; i < keys.size(); ++i)
    for (const auto& k : keys[i]) {
      auto it = std::find_if(first.begin(), first.end(), [&](const auto& f) { return f.first == k; });
      if (it == first.end()) {
        first.emplace_back(k, i);
      } else {
        const uint64_t a = Find(parent, i), b = Find(parent, it->second);
        parent[a] = parent[b] = std::min(a, b);
      }
    }
  std::vector<uint64_t> kept;
  for (uint64_t i = 0; i < keys.size(); ++i)
    if (Find(parent, i) == i) kept.push_back(i);
  return kept;
}

// The three steps over `ranks` simulated ranks holding consecutive ranges.
std::vector<uint64_t> Distributed(const std::vector<std::vector<ClusterKey>>& keys, const std::vector<uint64_t>& bounds) {
  const int ranks = static_cast<int>(bounds.size()) - 1;
  std::vector<std::vector<uint64_t>> local_root(static_cast<size_t>(ranks));
  std::vector<std::vector<KeyRoot>> to_owner(static_cast<size_t>(ranks));
  for (int r = 0; r < ranks; ++r) {
    std::vector<KeyAt> mine;
    for (uint64_t g = bounds[r]; g < bounds[r + 1]; ++g)
      for (const auto& k : keys[g]) mine.push_back(KeyAt{k, g - bounds[r]});
    for (const KeyRoot& kr : LocalClusters(mine, bounds[r + 1] - bounds[r], bounds[r], &local_root[r]))
      to_owner[static_cast<size_t>(OwnerOfKey(kr.key, ranks))].push_back(kr);
  }
  std::vector<Edge> all_edges;
  for (int r = 0; r < ranks; ++r)
    for (const Edge& e : EdgesOfSharedKeys(to_owner[r])) all_edges.push_back(e);
  std::vector<uint64_t> kept;
  for (int r = 0; r < ranks; ++r)
    for (uint64_t p : KeptPositions(local_root[r], bounds[r], all_edges)) kept.push_back(p + bounds[r]);
  return kept;
}

TEST(DistClusters, EqualsSequentialUnionFind) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 60; ++trial) {
    const size_t n = 1 + rng() % 300;
    const uint64_t key_space = 1 + rng() % (n * 2);  // small spaces: big, chained clusters
    const int per_sample = 1 + static_cast<int>(rng() % 4);
    std::vector<std::vector<ClusterKey>> keys(n);
    for (auto& ks : keys)
      for (int b = 0; b < per_sample; ++b) ks.push_back(ClusterKey{static_cast<uint64_t>(b), rng() % key_space});
    const std::vector<uint64_t> want = Reference(keys);
    for (int ranks : {1, 2, 3, 5}) {
      std::vector<uint64_t> bounds = {0};
      for (int r = 1; r < ranks; ++r) bounds.push_back(std::max(bounds.back(), static_cast<uint64_t>(rng() % (n + 1))));
      bounds.push_back(n);
      std::sort(bounds.begin(), bounds.end());
      EXPECT_EQ(Distributed(keys, bounds), want) << "trial " << trial << ", " << ranks << " ranks";
    }
  }
}

TEST(DistClusters, ChainAcrossRanksIsOneCluster) {
  // 0-1 share a, 1-2 share b, ..., one sample per rank: only sample 0 survives
  std::vector<std::vector<ClusterKey>> keys(6);
  for (uint64_t i = 0; i < 6; ++i) {
    if (i > 0) keys[i].push_back(ClusterKey{0, i - 1});
    keys[i].push_back(ClusterKey{0, i});
  }
  EXPECT_EQ(Distributed(keys, {0, 1, 2, 3, 4, 5, 6}), std::vector<uint64_t>{0});
}

}  // namespace
}  // namespace juicer::dist
