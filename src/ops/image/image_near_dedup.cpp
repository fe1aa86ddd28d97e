#include "ops/image/image_near_dedup.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

namespace juicer::image_ops {

Status NearDupCollector::Add(uint64_t pos, std::string_view hex, std::string_view group) {
  if (hex.empty() || hex.size() % 16 != 0)
    return Status::DataError("__dj__imagehash '" + std::string(hex.substr(0, 64)) +
                             "' is not a list of 16-hex-digit (64-bit) hashes; near-duplicate search needs "
                             "juicer's hashes");
  if (start_.empty()) start_.push_back(0);
  for (size_t i = 0; i < hex.size(); i += 16) {
    uint64_t w = 0;
    for (size_t k = i; k < i + 16; ++k) {
      const char c = hex[k];
      int v;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
      else return Status::DataError("__dj__imagehash has a non-hex character '" + std::string(1, c) + "'");
      w = (w << 4) | static_cast<uint64_t>(v);
    }
    words_.push_back(w);
  }
  std::string key(group);
  key += '#';
  key += std::to_string(hex.size() / 16);
  const auto [it, inserted] = groups_.try_emplace(std::move(key), static_cast<uint32_t>(groups_.size()));
  pos_.push_back(pos);
  group_.push_back(it->second);
  start_.push_back(static_cast<uint32_t>(words_.size()));
  return Status::OK();
}

NearDupCollector::Clustering NearDupCollector::Cluster(int threshold) const {
  const size_t n = pos_.size();
  Clustering res;
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  // Multi-index hashing (Norouzi et al. 2012): the first image's hash is cut into m contiguous
  // blocks; two hashes within `threshold` bits differ in at most r = threshold / m bits on some block,
  // so each item probes, per block, every value within r bits of its own. m (2..8) minimises
  // probes * (4 + expected bucket size) for n uniformly spread hashes (a probe costs about as much as
  // four full comparisons).
  auto choose = [&](int m, double* cost) {
    const int b = 64 / m, r = threshold / m;
    double probes = 0, c = 1;
    for (int k = 0; k <= r; ++k) {
      probes += c;
      c = c * (b - k) / (k + 1);
    }
    *cost = m * probes * (4.0 + static_cast<double>(n) / std::ldexp(1.0, b));  // a probe ~ 4 comparisons
  };
  int blocks = 2;
  double best = 0;
  choose(2, &best);
  for (int m = 3; m <= 8; ++m) {
    double c;
    choose(m, &c);
    if (c < best) {
      best = c;
      blocks = m;
    }
  }
  const int radius = threshold / blocks;
  std::vector<int> lo(blocks), width(blocks);
  for (int b = 0, at = 0; b < blocks; ++b) {
    width[b] = 64 / blocks + (b < 64 % blocks ? 1 : 0);
    lo[b] = at;
    at += width[b];
  }
  // masks of at most `radius` set bits within a block of width w (w is 64/blocks or one more)
  auto masks_for = [&](int w) {
    std::vector<uint64_t> out = {0};
    std::vector<uint64_t> frontier = {0};
    for (int k = 1; k <= radius; ++k) {
      std::vector<uint64_t> next;
      for (uint64_t m : frontier) {
        const int top = m == 0 ? -1 : 63 - std::countl_zero(m);
        for (int bit = top + 1; bit < w; ++bit) next.push_back(m | (uint64_t{1} << bit));
      }
      out.insert(out.end(), next.begin(), next.end());
      frontier = std::move(next);
    }
    return out;
  };
  const std::vector<uint64_t> masks_narrow = masks_for(64 / blocks), masks_wide = masks_for(64 / blocks + 1);
  std::vector<std::unordered_map<uint64_t, std::vector<uint32_t>>> index(blocks);
  std::vector<uint32_t> seen(n, UINT32_MAX);  // last item that compared against this one
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t h = words_[start_[i]];
    for (int b = 0; b < blocks; ++b) {
      const uint64_t bits = (h >> lo[b]) & ((uint64_t{1} << width[b]) - 1);
      const uint64_t group = static_cast<uint64_t>(group_[i]) << 32;  // blocks are <= 32 bits wide
      for (uint64_t mask : width[b] == 64 / blocks ? masks_narrow : masks_wide) {
        auto it = index[b].find(group ^ bits ^ mask);
        if (it == index[b].end()) continue;
        for (uint32_t j : it->second) {
          if (seen[j] == i) continue;
          seen[j] = i;
          const uint32_t ri = find(i), rj = find(j);
          if (ri == rj) continue;
          ++res.comparisons;
          bool near = true;
          for (uint32_t k = 0; near && k < start_[i + 1] - start_[i]; ++k)
            near = std::popcount(words_[start_[i] + k] ^ words_[start_[j] + k]) <= threshold;
          if (near) parent[std::max(ri, rj)] = std::min(ri, rj);  // the root is the earliest member
        }
      }
      index[b][group ^ bits].push_back(i);
    }
  }
  std::vector<uint64_t> count(n, 0);
  std::vector<uint32_t> second(n, UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = find(i);
    if (r == i) res.kept.push_back(pos_[i]);
    else if (second[r] == UINT32_MAX) second[r] = i;
    ++count[r];
  }
  for (uint32_t i = 0; i < n; ++i)
    if (count[i] > 1) res.clusters.push_back(NearCluster{pos_[i], pos_[second[i]], count[i]});
  return res;
}

}  // namespace juicer::image_ops
