#include "sandbox/probe_pools.h"

#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "sandbox/pools_internal.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

Status EnsureParent(const std::string& path) {
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) return Status::IOError(parent.string() + ": cannot create: " + ec.message());
  return Status::OK();
}

}  // namespace

Result<size_t> WritePoolIntersection(const std::vector<std::string>& pools, const std::string& out) {
  if (pools.empty()) return Status::InvalidArgument("pool intersection: no pools");
  JUICER_ASSIGN_OR_RETURN(std::vector<pools::PoolRecord> first, pools::LoadPool(pools[0]));
  std::unordered_map<std::string, size_t> hits;
  for (const auto& r : first) hits.emplace(r.uid, 1);
  for (size_t i = 1; i < pools.size(); ++i) {
    JUICER_ASSIGN_OR_RETURN(std::vector<pools::PoolRecord> other, pools::LoadPool(pools[i]));
    std::unordered_set<std::string> seen;
    for (const auto& r : other) {
      auto it = hits.find(r.uid);
      if (it != hits.end() && seen.insert(r.uid).second) ++it->second;
    }
  }
  std::vector<pools::PoolRecord> keep;
  for (auto& r : first) {
    if (hits[r.uid] == pools.size()) keep.push_back(std::move(r));
  }
  JUICER_RETURN_IF_ERROR(EnsureParent(out));
  JUICER_RETURN_IF_ERROR(pools::WritePool(out, keep).status());
  return keep.size();
}

Result<std::vector<size_t>> WritePyramidLevels(const std::vector<std::string>& pools, const std::string& out_dir) {
  if (pools.empty()) return Status::InvalidArgument("pyramid: no pools");
  std::vector<pools::PoolRecord> all;
  std::unordered_map<std::string, size_t> count, index;
  for (const auto& p : pools) {
    JUICER_ASSIGN_OR_RETURN(std::vector<pools::PoolRecord> recs, pools::LoadPool(p));
    std::unordered_set<std::string> seen;
    for (auto& r : recs) {
      if (!seen.insert(r.uid).second) continue;
      if (++count[r.uid] == 1) {
        index[r.uid] = all.size();
        all.push_back(std::move(r));
      }
    }
  }
  const size_t k = pools.size();
  std::vector<std::vector<pools::PoolRecord>> levels(k);
  for (auto& r : all) levels[k - count[r.uid]].push_back(std::move(r));
  std::vector<size_t> sizes;
  for (size_t j = 0; j < k; ++j) {
    const std::string path = (fs::path(out_dir) / ("level_" + std::to_string(j + 1) + ".jsonl")).string();
    JUICER_RETURN_IF_ERROR(EnsureParent(path));
    JUICER_RETURN_IF_ERROR(pools::WritePool(path, levels[j]).status());
    sizes.push_back(levels[j].size());
  }
  return sizes;
}

Result<size_t> WritePoolUnion(const std::vector<std::string>& pools, const std::string& out) {
  std::vector<pools::PoolRecord> all;
  std::unordered_set<std::string> seen;
  for (const auto& p : pools) {
    JUICER_ASSIGN_OR_RETURN(std::vector<pools::PoolRecord> recs, pools::LoadPool(p));
    for (auto& r : recs) {
      if (seen.insert(r.uid).second) all.push_back(std::move(r));
    }
  }
  JUICER_RETURN_IF_ERROR(EnsureParent(out));
  JUICER_RETURN_IF_ERROR(pools::WritePool(out, all).status());
  return all.size();
}

}  // namespace juicer::sandbox
