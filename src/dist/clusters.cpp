#include "dist/clusters.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "core/union_find.h"

namespace juicer::dist {

namespace {

using juicer::FindRoot;

uint64_t FindRoot(std::unordered_map<uint64_t, uint64_t>& parent, uint64_t x) {
  uint64_t root = x;
  for (auto it = parent.find(root); it != parent.end() && it->second != root; it = parent.find(root)) root = it->second;
  while (x != root) {
    uint64_t& p = parent[x];
    const uint64_t next = p;
    p = root;
    x = next;
  }
  return root;
}

bool KeyRootLess(const KeyRoot& a, const KeyRoot& b) {
  if (!(a.key == b.key)) return a.key < b.key;
  return a.root < b.root;
}

}  // namespace

std::vector<KeyRoot> LocalClusters(std::vector<KeyAt> keys, uint64_t n_local, uint64_t first_pos,
                                   std::vector<uint64_t>* local_root) {
  std::sort(keys.begin(), keys.end(), [](const KeyAt& a, const KeyAt& b) {
    if (!(a.key == b.key)) return a.key < b.key;
    return a.pos < b.pos;
  });
  std::vector<uint64_t> parent(n_local);
  std::iota(parent.begin(), parent.end(), uint64_t{0});
  size_t first = 0;  // start of the current key's run
  for (size_t i = 1; i < keys.size(); ++i) {
    if (!(keys[i].key == keys[i - 1].key)) {
      first = i;
      continue;
    }
    // unite with the first sample of the key (the union keeps the smaller root)
    const uint64_t a = FindRoot(parent, keys[i].pos), b = FindRoot(parent, keys[first].pos);
    parent[a] = parent[b] = std::min(a, b);
  }
  local_root->resize(n_local);
  for (uint64_t i = 0; i < n_local; ++i) (*local_root)[i] = FindRoot(parent, i) + first_pos;
  std::vector<KeyRoot> out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0 && keys[i].key == keys[i - 1].key) continue;  // one entry per distinct key
    out.push_back(KeyRoot{keys[i].key, (*local_root)[keys[i].pos]});
  }
  return out;
}

int OwnerOfKey(const ClusterKey& key, int ranks) {
  uint64_t h = key.hi * 0x9E3779B97F4A7C15ull ^ key.lo;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<int>(h % static_cast<uint64_t>(ranks));
}

std::vector<Edge> EdgesOfSharedKeys(std::vector<KeyRoot> received) {
  std::sort(received.begin(), received.end(), KeyRootLess);
  std::vector<Edge> edges;
  for (size_t i = 0; i < received.size();) {
    size_t j = i + 1;
    while (j < received.size() && received[j].key == received[i].key) ++j;
    for (size_t k = i + 1; k < j; ++k)
      if (received[k].root != received[i].root) edges.emplace_back(received[k].root, received[i].root);
    i = j;
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

std::vector<uint64_t> KeptPositions(const std::vector<uint64_t>& local_root, uint64_t first_pos,
                                    const std::vector<Edge>& all_edges) {
  std::unordered_map<uint64_t, uint64_t> parent;
  parent.reserve(all_edges.size() * 2);
  for (const auto& [a, b] : all_edges) {
    parent.emplace(a, a);
    parent.emplace(b, b);
  }
  for (const auto& [a, b] : all_edges) {
    const uint64_t ra = FindRoot(parent, a), rb = FindRoot(parent, b);
    parent[ra] = parent[rb] = std::min(ra, rb);
  }
  std::vector<uint64_t> kept;
  for (uint64_t i = 0; i < local_root.size(); ++i) {
    const uint64_t g = first_pos + i;
    if (local_root[i] != g) continue;  // not the first of its local cluster
    if (parent.count(g) && FindRoot(parent, g) != g) continue;
    kept.push_back(i);
  }
  return kept;
}

}  // namespace juicer::dist
