// RefineRecipeViaModelFeedbackHook: DJ leaves it unimplemented; juicer sets recipe thresholds from the
// probe ranking. Each of the top_k ranked pools is a third (or other split) of one stat, built by
// data_pool_construction as <export>/<stat>/<name>_<stat>_<i>.jsonl; its stat range in that pool becomes
// the bounds of the op that computes the stat (the lower bound unless it is the lowest split, the upper
// bound unless it is the highest), so processing with the refined recipe keeps the data the model liked.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>

#include "sandbox/hooks_impl.h"
#include "sandbox/refine.h"
#include "sandbox/ksigma.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

struct PoolRange {
  std::string path, stat;
  int index = 0, splits = 0;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  size_t n = 0;
};

Result<PoolRange> ReadPool(const std::string& path, const std::string& stat_override) {
  PoolRange r;
  r.path = path;
  const fs::path p(path);
  static const std::regex kName(R"((.*)_(\d+)\.jsonl$)");
  std::smatch m;
  const std::string file = p.filename().string();
  if (!std::regex_match(file, m, kName)) {
    return Status::InvalidArgument("pool '" + path + "' is not named <name>_<stat>_<i>.jsonl (a data_pool_construction output)");
  }
  r.index = std::stoi(m[2].str());
  r.stat = stat_override.empty() ? p.parent_path().filename().string() : stat_override;
  // Splits = sibling files with the same prefix.
  const std::string prefix = m[1].str() + "_";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(p.parent_path(), ec)) {
    const std::string f = e.path().filename().string();
    std::smatch m2;
    if (f.rfind(prefix, 0) == 0 && std::regex_match(f, m2, kName) && m2[1].str() + "_" == prefix) ++r.splits;
  }
  JUICER_RETURN_IF_ERROR(ForEachJsonLine(path, [&](Json& s, size_t) {
    const Json* v = s.contains("__dj__stats__") ? DottedGet(s["__dj__stats__"], r.stat) : nullptr;
    double x = 0;
    if (v == nullptr || !StatAsNumber(*v, &x)) return Status::OK();
    r.lo = std::min(r.lo, x);
    r.hi = std::max(r.hi, x);
    ++r.n;
    return Status::OK();
  }));
  if (r.n == 0) return Status::DataError(path + ": no sample has a numeric __dj__stats__." + r.stat);
  return r;
}

// The params of `info` that bound `stat`: numeric params with "min"/"max" in the name; when the op
// computes several stats, only those sharing a word with the stat (min_width <-> image_width).
std::vector<std::pair<std::string, bool>> BoundParams(const OpInfo& info, const std::string& stat) {
  std::vector<std::pair<std::string, bool>> out;  // name, is_max
  for (const auto& p : info.params) {
    if (p.type != ParamType::kInt && p.type != ParamType::kFloat) continue;
    const bool is_max = p.name.find("max") != std::string::npos;
    const bool is_min = !is_max && p.name.find("min") != std::string::npos;
    if (!is_max && !is_min) continue;
    if (info.stat_keys.size() > 1) {
      std::string word = p.name.substr(p.name.find('_') == std::string::npos ? 0 : p.name.find('_') + 1);
      if (stat.find(word) == std::string::npos) continue;
    }
    out.emplace_back(p.name, is_max);
  }
  return out;
}

}  // namespace

Result<Json> RefineRecipeFromPools(Json recipe, const std::vector<std::string>& pools, const std::string& stat_override,
                                   Json* applied, const std::function<void(const std::string&)>& log) {
  if (!recipe.contains("process") || !recipe["process"].is_array()) recipe["process"] = Json::array();
  const OpRegistry& registry = SandboxOpRegistry();
  if (applied != nullptr) *applied = Json::array();
  for (const std::string& pool : pools) {
    JUICER_ASSIGN_OR_RETURN(PoolRange r, ReadPool(pool, stat_override));
    // The op computing the stat: one in the recipe, else the registry's first filter writing it (added).
    Json* target = nullptr;
    const OpInfo* info = nullptr;
    for (auto& entry : recipe["process"]) {
      if (!entry.is_object() || entry.size() != 1) continue;
      auto found = registry.Find(entry.begin().key());
      if (!found.ok()) continue;
      const auto& keys = (*found)->stat_keys;
      if (std::find(keys.begin(), keys.end(), r.stat) != keys.end()) {
        if (entry.begin().value().is_null()) entry.begin().value() = Json::object();
        target = &entry.begin().value();
        info = *found;
        break;
      }
    }
    if (target == nullptr) {
      for (const OpInfo* candidate : registry.List()) {
        const auto& keys = candidate->stat_keys;
        if (candidate->kind != OpKind::kFilter || std::find(keys.begin(), keys.end(), r.stat) == keys.end()) continue;
        recipe["process"].push_back(Json{{candidate->name, Json::object()}});
        target = &recipe["process"].back().begin().value();
        info = candidate;
        break;
      }
    }
    if (target == nullptr) return Status::InvalidArgument(pool + ": no op computes the stat '" + r.stat + "'");
    Json bounds = Json::object();
    const bool lowest = r.index == 0, highest = r.splits > 0 && r.index == r.splits - 1;
    bool set_min = false, set_max = false;
    for (const auto& [name, is_max] : BoundParams(*info, r.stat)) {
      if (is_max && highest) continue;
      if (!is_max && lowest) continue;
      (is_max ? set_max : set_min) = true;
      const double v = is_max ? r.hi : r.lo;
      const ParamSpec* spec = nullptr;
      for (const auto& p : info->params) {
        if (p.name == name) spec = &p;
      }
      Json jv = spec != nullptr && spec->type == ParamType::kInt
                    ? Json(static_cast<int64_t>(is_max ? std::floor(v) : std::ceil(v)))
                    : Json(v);
      (*target)[name] = jv;
      bounds[name] = jv;
    }
    // A bound the op has no param for (e.g. the low third of lang_score: language_id_score_filter only
    // has min_score) cannot be written; it is reported, never dropped silently.
    Json missing = Json::array();
    if (!lowest && !set_min) missing.push_back("lower bound " + std::to_string(r.lo) + " (" + info->name + " has no min param for " + r.stat + ")");
    if (!highest && !set_max) missing.push_back("upper bound " + std::to_string(r.hi) + " (" + info->name + " has no max param for " + r.stat + ")");
    if (applied != nullptr) {
      Json row = {{"pool", pool}, {"op", info->name}, {"stat", r.stat}, {"split", r.index}, {"splits", r.splits}, {"bounds", bounds}};
      if (!missing.empty()) row["not_expressible"] = missing;
      applied->push_back(std::move(row));
    }
    if (log) log(info->name + " " + bounds.dump() + " from " + pool);
    for (const auto& m : missing) {
      if (log) log("warning: cannot express the " + m.get<std::string>() + "; the refined recipe keeps more than this third");
    }
  }
  return recipe;
}

Result<std::vector<Json>> RefineRecipeViaModelFeedbackHook(HookCall& call) {
  if (!call.dj_cfg.is_object()) return Status::InvalidArgument("dj_configs: the recipe to refine is required");
  if (!call.extra_cfg.is_object()) {
    return Status::InvalidArgument("extra_configs: give ranked_pools (best first) and path_model_feedback_recipe");
  }
  const std::string out = call.extra_cfg.value("path_model_feedback_recipe", std::string());
  if (out.empty()) return Status::InvalidArgument("extra_configs.path_model_feedback_recipe: where to write the recipe is required");
  std::vector<std::string> pools;
  const Json ranked = call.extra_cfg.value("ranked_pools", Json());
  if (ranked.is_string()) pools.push_back(ranked.get<std::string>());
  if (ranked.is_array()) {
    for (const auto& p : ranked) {
      if (p.is_string()) pools.push_back(p.get<std::string>());
    }
  }
  if (pools.empty()) return Status::InvalidArgument("extra_configs.ranked_pools: the ranked pool paths (a data_pool_ranking output) are required");
  const size_t top_k = call.extra_cfg.value("top_k", 1);
  if (pools.size() > top_k) pools.resize(top_k);
  Json applied;
  auto log = [&](const std::string& line) {
    if (call.log) call.log("sandbox:   " + line);
  };
  JUICER_ASSIGN_OR_RETURN(Json recipe, RefineRecipeFromPools(call.dj_cfg, pools, call.extra_cfg.value("stat_key", std::string()),
                                                             &applied, log));
  JUICER_RETURN_IF_ERROR(WriteRecipe(recipe, out));
  (*call.watch)[call.job->meta_name] = applied;
  return std::vector<Json>{out};
}

}  // namespace juicer::sandbox
