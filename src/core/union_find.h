// Union-find over dense positions: parent[x] == x at a root. Shared by the MinHash deduplicator and
// the distributed cluster linking.
#pragma once

#include <cstdint>
#include <vector>

namespace juicer {

// The root of x's set, compressing the path from x to it.
inline uint64_t FindRoot(std::vector<uint64_t>& parent, uint64_t x) {
  uint64_t root = x;
  while (parent[root] != root) root = parent[root];
  while (parent[x] != root) {
    const uint64_t next = parent[x];
    parent[x] = root;
    x = next;
  }
  return root;
}

}  // namespace juicer
