// Cluster resolution of a distributed deduplication (the algorithm behind RunGroup::KeepFirstOfClusters),
// split into the steps between its message exchanges so it is testable without MPI:
//   1. each rank unites its own samples that share a key (local union-find) and, for every distinct key,
//      sends (key, its local cluster's first global position) to the key's owner rank (Alltoallv);
//   2. each owner links the local clusters that share a key across ranks: one edge per (cluster, first
//      cluster of the key);
//   3. the edges (one per cross-rank link, few next to the samples) are all-gathered, and every rank unites
//      them over the local cluster roots: a sample is kept when it is the first of its local cluster and
//      that cluster's root is the smallest of its global cluster.
// A cluster's first sample is its smallest global position, so the result equals the sequential
// union-find of MinHashDeduplicator / the first-occurrence rule of DocumentDeduplicator.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "exec/run_group.h"

namespace juicer::dist {

struct KeyRoot {
  ClusterKey key;
  uint64_t root = 0;  // global position of the first sample of a local cluster holding `key`
};
using Edge = std::pair<uint64_t, uint64_t>;  // (root, smaller root) of two clusters to unite

// Step 1. `local_root[i]`: the global position of the first sample of local sample i's local cluster.
std::vector<KeyRoot> LocalClusters(std::vector<KeyAt> keys, uint64_t n_local, uint64_t first_pos,
                                   std::vector<uint64_t>* local_root);
int OwnerOfKey(const ClusterKey& key, int ranks);
// Step 2, on the owner of the keys in `received`.
std::vector<Edge> EdgesOfSharedKeys(std::vector<KeyRoot> received);
// Step 3: the kept local positions, ascending.
std::vector<uint64_t> KeptPositions(const std::vector<uint64_t>& local_root, uint64_t first_pos,
                                    const std::vector<Edge>& all_edges);

}  // namespace juicer::dist
