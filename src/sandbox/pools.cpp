// Data-pool manipulators: dispatch by extra_configs.type, and combination, duplication, downsampling,
// merging and cartesian join (construction: pools_construct.cpp; ranking: pools_rank.cpp).
#include "sandbox/pools.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sandbox/pools_internal.h"

namespace juicer::sandbox {

namespace pools {

namespace {

constexpr const char* kCombination = "data_pool_combination";
constexpr const char* kDuplication = "data_pool_duplication";
constexpr const char* kDownsampling = "data_pool_downsampling";
constexpr const char* kMerging = "data_pool_merging";
constexpr const char* kCartesian = "data_pool_cartesian_join";
// 2^N - 1 output pools: more than this many input pools is surely a mistake.
constexpr size_t kMaxCombinedPools = 20;

std::vector<std::string> Stems(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(PathStem(p));
  return out;
}

// juicer's stratified downsampling: `target` samples drawn so that each stratum keeps its share of the
// pool (largest-remainder quotas), each stratum shuffled with `seed`; returned in file order.
Result<std::vector<uint32_t>> StratifiedSample(const std::vector<PoolRecord>& recs, const std::string& key,
                                               size_t target, uint64_t seed, const std::string& path) {
  std::vector<std::string> strata;
  strata.reserve(recs.size());
  for (size_t i = 0; i < recs.size(); ++i) {
    Json s = Json::parse(recs[i].text, nullptr, false);
    if (s.is_discarded()) return Status::Internal(path + ": pool record " + std::to_string(i + 1) + " is not JSON");
    strata.push_back(StratumOf(s, key));
  }
  std::vector<uint32_t> all(recs.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint32_t>(i);
  const auto groups = GroupByStratum(strata, all);
  target = std::min(target, recs.size());
  std::vector<size_t> quota(groups.size());
  std::vector<std::pair<double, size_t>> remainder;
  size_t given = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const double exact = static_cast<double>(target) * static_cast<double>(groups[g].size()) / static_cast<double>(recs.size());
    quota[g] = static_cast<size_t>(exact);
    given += quota[g];
    remainder.push_back({exact - static_cast<double>(quota[g]), g});
  }
  std::stable_sort(remainder.begin(), remainder.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  for (size_t r = 0; given < target && r < remainder.size(); ++r, ++given) ++quota[remainder[r].second];
  std::vector<uint32_t> order;
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto perm = ShuffledOrder(groups[g].size(), seed);
    for (size_t j = 0; j < quota[g]; ++j) order.push_back(groups[g][perm[j]]);
  }
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace

// ---- combination -----------------------------------------------------------------------------------
// DJ builds a hierarchy level by level: after reading rank r, level 0 gains pool "r", and level k gains
// the intersection of every pool of level k-1 (as it was before rank r) with pool r, named "<that>_r".
// Output order: level 0, level 1, ...; within a level, in creation order. Empty pools are not written.
// A pool is a set in DJ (file order is lost); here a pool keeps the order of its lowest-ranked member
// pool, and duplicates (same uid) collapse to one sample, the last one read (DJ's dict update).
Result<Json> RunCombination(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(auto paths, GetPathList(cfg, kCombination, "dataset_path"));
  JUICER_ASSIGN_OR_RETURN(std::string export_path, GetExportPath(cfg, kCombination));
  JUICER_ASSIGN_OR_RETURN(auto existing, ExistingPaths(paths, kCombination, "dataset_path"));
  if (existing.size() > kMaxCombinedPools)
    return Status::InvalidArgument(std::string(kCombination) + ": at most " + std::to_string(kMaxCombinedPools) +
                                   " pools can be combined (2^N - 1 outputs), got " +
                                   std::to_string(existing.size()));

  std::unordered_map<std::string, uint32_t> gid_of;  // uid -> global id
  std::vector<std::string> text_of;                   // global id -> latest sample text
  struct Node {
    std::string rank;
    std::vector<uint32_t> ids;  // ordered, unique
  };
  std::vector<std::vector<Node>> levels;
  for (size_t r = 0; r < existing.size(); ++r) {
    JUICER_ASSIGN_OR_RETURN(auto recs, LoadPool(existing[r]));
    std::vector<uint32_t> ids;
    std::vector<char> member(text_of.size() + recs.size(), 0);
    for (auto& rec : recs) {
      auto [it, fresh] = gid_of.emplace(rec.uid, static_cast<uint32_t>(text_of.size()));
      if (fresh) text_of.push_back(std::move(rec.text));
      else text_of[it->second] = std::move(rec.text);
      if (!member[it->second]) {
        member[it->second] = 1;
        ids.push_back(it->second);
      }
    }
    std::vector<std::vector<Node>> fresh_nodes;
    fresh_nodes.push_back({Node{std::to_string(r), std::move(ids)}});
    for (const auto& level : levels) {
      std::vector<Node> next;
      for (const auto& node : level) {
        Node n{node.rank + "_" + std::to_string(r), {}};
        for (uint32_t id : node.ids)
          if (id < member.size() && member[id]) n.ids.push_back(id);
        next.push_back(std::move(n));
      }
      fresh_nodes.push_back(std::move(next));
    }
    for (size_t i = 0; i < levels.size(); ++i)
      for (auto& n : fresh_nodes[i]) levels[i].push_back(std::move(n));
    levels.push_back(std::move(fresh_nodes.back()));
  }

  std::string prefix = LongestCommonPrefix(Stems(existing));
  if (prefix.empty()) prefix = "default_prefix";
  Json out = Json::array();
  for (const auto& level : levels) {
    for (const auto& node : level) {
      if (node.ids.empty()) continue;
      const std::string path =
          JoinPath(export_path, prefix + "_top_" + node.rank + "_num_" + std::to_string(node.ids.size()) + ".jsonl");
      JUICER_ASSIGN_OR_RETURN(auto w, PoolWriter::Open(path));
      for (uint32_t id : node.ids) JUICER_RETURN_IF_ERROR(w->Add(text_of[id]));
      JUICER_ASSIGN_OR_RETURN(std::string written, w->Commit());
      out.push_back(written);
    }
  }
  return out;
}

// ---- duplication -----------------------------------------------------------------------------------
Result<Json> RunDuplication(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(auto paths, GetPathList(cfg, kDuplication, "dataset_path"));
  JUICER_ASSIGN_OR_RETURN(std::string export_path, GetExportPath(cfg, kDuplication));
  std::vector<int64_t> times;
  if (auto it = cfg.find("duplicating_times"); it != cfg.end() && !it->is_null()) {
    Json list = it->is_array() ? *it : Json::array({*it});
    for (const auto& t : list) {
      if (!t.is_number_integer() || t.get<int64_t>() < 1)
        return Status::InvalidArgument(std::string(kDuplication) +
                                       ": duplicating_times must be integers >= 1, got " + Brief(*it));
      times.push_back(t.get<int64_t>());
    }
  }
  JUICER_ASSIGN_OR_RETURN(bool shuffle, GetBool(cfg, kDuplication, "shuffle", false));
  JUICER_ASSIGN_OR_RETURN(auto seed, GetOptInt(cfg, kDuplication, "shuffle_seed", 0));
  JUICER_ASSIGN_OR_RETURN(auto existing, ExistingPaths(paths, kDuplication, "dataset_path"));

  Json out = Json::array();
  for (const auto& path : existing) {
    JUICER_ASSIGN_OR_RETURN(auto recs, LoadPool(path));
    const std::string stem = PathStem(path);
    for (int64_t t : times) {
      const uint64_t total = recs.size() * static_cast<uint64_t>(t);
      if (total > UINT32_MAX)
        return Status::InvalidArgument(std::string(kDuplication) + ": " + path + " x" + std::to_string(t) +
                                       " is too many samples");
      std::vector<uint32_t> order(total);
      for (uint64_t i = 0; i < total; ++i) order[i] = static_cast<uint32_t>(i % std::max<size_t>(recs.size(), 1));
      if (shuffle) {
        auto perm = ShuffledOrder(total, static_cast<uint64_t>(seed.value_or(42)));
        for (auto& p : perm) p = order[p];
        order = std::move(perm);
      }
      JUICER_ASSIGN_OR_RETURN(std::string written,
                              WritePool(JoinPath(export_path, stem + "_x" + std::to_string(t) + ".jsonl"), recs, &order));
      out.push_back(written);
    }
  }
  return out;
}

// ---- downsampling ----------------------------------------------------------------------------------
Result<Json> RunDownsampling(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(auto paths, GetPathList(cfg, kDownsampling, "dataset_path"));
  JUICER_ASSIGN_OR_RETURN(std::string export_path, GetExportPath(cfg, kDownsampling));
  JUICER_ASSIGN_OR_RETURN(auto target, GetOptInt(cfg, kDownsampling, "target_num_samples", 0));
  JUICER_ASSIGN_OR_RETURN(auto seed, GetOptInt(cfg, kDownsampling, "shuffle_seed", 0));
  JUICER_ASSIGN_OR_RETURN(std::string stratify_by, GetStratifyKey(cfg, kDownsampling));
  JUICER_ASSIGN_OR_RETURN(auto existing, ExistingPaths(paths, kDownsampling, "dataset_path"));

  std::vector<std::vector<PoolRecord>> loaded;
  for (const auto& path : existing) {
    JUICER_ASSIGN_OR_RETURN(auto recs, LoadPool(path));
    loaded.push_back(std::move(recs));
  }
  int64_t target_num = 0;
  if (target) {
    target_num = *target;
  } else {
    size_t smallest = loaded[0].size();
    for (const auto& p : loaded) smallest = std::min(smallest, p.size());
    target_num = static_cast<int64_t>(smallest);
  }
  Json out = Json::array();
  for (size_t k = 0; k < loaded.size(); ++k) {
    std::vector<uint32_t> order;
    if (stratify_by.empty()) {
      order = ShuffledOrder(loaded[k].size(), static_cast<uint64_t>(seed.value_or(42)));
      order.resize(std::min<size_t>(order.size(), static_cast<size_t>(target_num)));
    } else {
      JUICER_ASSIGN_OR_RETURN(order, StratifiedSample(loaded[k], stratify_by, static_cast<size_t>(target_num),
                                                      static_cast<uint64_t>(seed.value_or(42)), existing[k]));
    }
    const std::string name = PathStem(existing[k]) + "_" + std::to_string(target_num) + ".jsonl";
    JUICER_ASSIGN_OR_RETURN(std::string written, WritePool(JoinPath(export_path, name), loaded[k], &order));
    out.push_back(written);
  }
  return out;
}

// ---- merging ---------------------------------------------------------------------------------------
Result<Json> RunMerging(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(auto paths, GetPathList(cfg, kMerging, "dataset_path"));
  JUICER_ASSIGN_OR_RETURN(std::string export_path, GetExportPath(cfg, kMerging));
  JUICER_ASSIGN_OR_RETURN(auto existing, ExistingPaths(paths, kMerging, "dataset_path"));
  std::string prefix = LongestCommonPrefix(Stems(existing));
  if (prefix.empty()) prefix = "default_prefix";
  JUICER_ASSIGN_OR_RETURN(auto w, PoolWriter::Open(JoinPath(export_path, prefix + "_merged.jsonl")));
  for (const auto& path : existing) {
    JUICER_RETURN_IF_ERROR(ForEachSample(path, [&](Json& s, const std::string&, const std::string&) {
      return w->Add(s.dump(-1, ' ', false, Json::error_handler_t::replace));
    }));
  }
  JUICER_ASSIGN_OR_RETURN(std::string written, w->Commit());
  return Json(written);
}

// ---- cartesian join --------------------------------------------------------------------------------
namespace {

// Field-wise union of two samples (DJ concatenates the datasets' columns, which must be distinct).
// __dj__stats__ / __dj__meta__ objects are merged; the joined sample gets its own uid.
Result<Json> JoinSamples(const Json& a, const Json& b) {
  Json out = a;
  for (auto it = b.begin(); it != b.end(); ++it) {
    const std::string& key = it.key();
    auto mine = out.find(key);
    if (mine == out.end()) {
      out[key] = it.value();
      continue;
    }
    const bool reserved = key == kStatsKey || key == kMetaKey;
    if (!reserved || !mine->is_object() || !it.value().is_object())
      return Status::InvalidArgument(std::string(kCartesian) + ": both pools have the field '" + key +
                                     "' (the joined samples need distinct fields)");
    for (auto inner = it.value().begin(); inner != it.value().end(); ++inner) {
      if (key == kMetaKey && inner.key() == kUidKey) continue;
      if (mine->contains(inner.key()) && (*mine)[inner.key()] != inner.value())
        return Status::InvalidArgument(std::string(kCartesian) + ": both pools have " + key + "." + inner.key() +
                                       " with different values");
      (*mine)[inner.key()] = inner.value();
    }
  }
  Json& meta = out[kMetaKey];
  if (!meta.is_object()) meta = Json::object();
  meta.erase(kUidKey);
  std::string uid = SampleUid(out);
  out[kMetaKey][kUidKey] = uid;
  return out;
}

}  // namespace

Result<Json> RunCartesianJoin(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(auto paths1, GetPathList(cfg, kCartesian, "dataset_path_1"));
  JUICER_ASSIGN_OR_RETURN(auto paths2, GetPathList(cfg, kCartesian, "dataset_path_2"));
  JUICER_ASSIGN_OR_RETURN(std::string export_path, GetExportPath(cfg, kCartesian));
  JUICER_ASSIGN_OR_RETURN(auto existing1, ExistingPaths(paths1, kCartesian, "dataset_path_1"));
  JUICER_ASSIGN_OR_RETURN(auto existing2, ExistingPaths(paths2, kCartesian, "dataset_path_2"));
  std::string prefix = LongestCommonPrefix(Stems(existing1)) + "_" + LongestCommonPrefix(Stems(existing2));
  if (prefix == "_") prefix = "default_prefix";

  auto load_all = [](const std::string& path) -> Result<std::vector<Json>> {
    std::vector<Json> v;
    Status st = ForEachSample(path, [&](Json& s, const std::string&, const std::string&) {
      v.push_back(std::move(s));
      return Status::OK();
    });
    if (!st.ok()) return st;
    return v;
  };
  std::vector<std::vector<Json>> second;
  for (const auto& p : existing2) {
    JUICER_ASSIGN_OR_RETURN(auto v, load_all(p));
    second.push_back(std::move(v));
  }
  Json out = Json::array();
  for (size_t i = 0; i < existing1.size(); ++i) {
    JUICER_ASSIGN_OR_RETURN(auto first, load_all(existing1[i]));
    for (size_t j = 0; j < existing2.size(); ++j) {
      const std::string name = prefix + "_cartesian_join_" + std::to_string(i) + "_" + std::to_string(j) + ".jsonl";
      JUICER_ASSIGN_OR_RETURN(auto w, PoolWriter::Open(JoinPath(export_path, name)));
      for (const auto& a : first) {
        for (const auto& b : second[j]) {
          auto joined = JoinSamples(a, b);
          if (!joined.ok())
            return joined.status().WithContext(existing1[i] + " x " + existing2[j] + ": ");
          JUICER_RETURN_IF_ERROR(w->Add(joined->dump(-1, ' ', false, Json::error_handler_t::replace)));
        }
      }
      JUICER_ASSIGN_OR_RETURN(std::string written, w->Commit());
      out.push_back(written);
    }
  }
  return out;
}

}  // namespace pools

// ---- dispatch --------------------------------------------------------------------------------------
namespace {

Result<std::string> TypeOf(const Json& cfg, const char* hook) {
  if (!cfg.is_object())
    return Status::InvalidArgument(std::string(hook) + ": extra_configs must be a mapping, got " + pools::Brief(cfg));
  auto it = cfg.find("type");
  if (it == cfg.end() || !it->is_string())
    return Status::InvalidArgument(std::string(hook) + ": extra_configs.type is required (a string)");
  return it->get<std::string>();
}

}  // namespace

Result<Json> RunDataPoolManipulator(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(std::string type, TypeOf(cfg, "DataPoolManipulationHook"));
  if (type == "data_pool_construction") return pools::RunConstruction(cfg);
  if (type == pools::kCombination) return pools::RunCombination(cfg);
  if (type == pools::kDuplication) return pools::RunDuplication(cfg);
  if (type == pools::kDownsampling) return pools::RunDownsampling(cfg);
  if (type == pools::kMerging) return pools::RunMerging(cfg);
  if (type == pools::kCartesian) return pools::RunCartesianJoin(cfg);
  std::string msg = "DataPoolManipulationHook: unknown extra_configs.type '" + type +
                    "' (one of data_pool_construction, data_pool_combination, data_pool_duplication, "
                    "data_pool_downsampling, data_pool_merging, data_pool_cartesian_join)";
  if (type == "data_pool_ranking") msg += "; data_pool_ranking is a GeneralProbeHook type";
  return Status::InvalidArgument(msg);
}

Result<Json> RunGeneralProbe(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(std::string type, TypeOf(cfg, "GeneralProbeHook"));
  if (type == "data_pool_ranking") return pools::RunRanking(cfg);
  return Status::InvalidArgument("GeneralProbeHook: unknown extra_configs.type '" + type +
                                 "' (the only general probe is data_pool_ranking)");
}

}  // namespace juicer::sandbox
