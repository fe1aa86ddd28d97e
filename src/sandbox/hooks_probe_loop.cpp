// ProbeRefineLoopHook (juicer's own hook, no Data-Juicer counterpart): the whole Probe -> Analyze ->
// Refine loop of `juicer sandbox probe` as one sandbox job. dj_configs is the recipe whose filters give
// the stats (its dataset_path is the data unless extra_configs.data is set); extra_configs holds the
// loop's options under the names of the command-line flags (snake case).
#include <filesystem>
#include <set>

#include "sandbox/hooks_impl.h"
#include "sandbox/probe_loop.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

Status ReadInt(const Json& cfg, const char* key, int* out) {
  if (!cfg.contains(key)) return Status::OK();
  if (!cfg[key].is_number_integer() || cfg[key].get<int64_t>() < 0) {
    return Status::InvalidArgument(std::string("extra_configs.") + key + ": expected a non-negative integer");
  }
  *out = static_cast<int>(cfg[key].get<int64_t>());
  return Status::OK();
}

Status ReadString(const Json& cfg, const char* key, std::string* out) {
  if (!cfg.contains(key)) return Status::OK();
  if (!cfg[key].is_string()) return Status::InvalidArgument(std::string("extra_configs.") + key + ": expected a string");
  *out = cfg[key].get<std::string>();
  return Status::OK();
}

Status ReadStrings(const Json& cfg, const char* key, std::vector<std::string>* out) {
  if (!cfg.contains(key)) return Status::OK();
  const Json& v = cfg[key];
  if (v.is_string()) {
    *out = {v.get<std::string>()};
    return Status::OK();
  }
  if (!v.is_array()) return Status::InvalidArgument(std::string("extra_configs.") + key + ": expected a list of strings");
  out->clear();
  for (const auto& x : v) {
    if (!x.is_string()) return Status::InvalidArgument(std::string("extra_configs.") + key + ": expected a list of strings");
    out->push_back(x.get<std::string>());
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<Json>> ProbeRefineLoopHook(HookCall& call) {
  if (!call.dj_cfg.is_object() || !call.dj_cfg.contains("process")) {
    return Status::InvalidArgument("dj_configs: the recipe whose filters give the stats (with a `process` list) is required");
  }
  const Json cfg = call.extra_cfg.is_object() ? call.extra_cfg : Json::object();
  static const std::set<std::string> kKeys = {"data", "task", "out", "eval", "metric", "lower_is_better", "seeds",
                                              "parallel", "steps", "batch_size", "size", "set", "top_k", "min_pool",
                                              "scale_factors", "transfer_size", "transfer_pools", "skip", "stratify_by"};
  for (const auto& [k, v] : cfg.items()) {
    if (!kKeys.count(k)) return Status::InvalidArgument("extra_configs." + k + ": unknown key of probe_refine_loop");
  }
  ProbeLoopOptions o;
  o.data = call.dj_cfg.value("dataset_path", std::string());
  JUICER_RETURN_IF_ERROR(ReadString(cfg, "data", &o.data));
  if (o.data.empty()) return Status::InvalidArgument("extra_configs.data (or dj_configs.dataset_path): the data is required");
  JUICER_RETURN_IF_ERROR(ReadString(cfg, "task", &o.task));
  o.out = (fs::path(call.job_dir) / "probe").string();
  JUICER_RETURN_IF_ERROR(ReadString(cfg, "out", &o.out));
  JUICER_RETURN_IF_ERROR(ReadStrings(cfg, "eval", &o.eval));
  JUICER_RETURN_IF_ERROR(ReadString(cfg, "metric", &o.metric));
  if (cfg.contains("lower_is_better")) {
    if (!cfg["lower_is_better"].is_boolean()) return Status::InvalidArgument("extra_configs.lower_is_better: expected true or false");
    o.lower_is_better = cfg["lower_is_better"].get<bool>();
  }
  JUICER_RETURN_IF_ERROR(ReadInt(cfg, "seeds", &o.seeds));
  JUICER_RETURN_IF_ERROR(ReadInt(cfg, "parallel", &o.parallel));
  JUICER_RETURN_IF_ERROR(ReadInt(cfg, "steps", &o.steps));
  JUICER_RETURN_IF_ERROR(ReadInt(cfg, "batch_size", &o.batch_size));
  JUICER_RETURN_IF_ERROR(ReadString(cfg, "size", &o.size));
  JUICER_RETURN_IF_ERROR(ReadStrings(cfg, "set", &o.set));
  JUICER_RETURN_IF_ERROR(ReadInt(cfg, "top_k", &o.top_k));
  JUICER_RETURN_IF_ERROR(ReadInt(cfg, "min_pool", &o.min_pool));
  JUICER_RETURN_IF_ERROR(ReadString(cfg, "transfer_size", &o.transfer_size));
  JUICER_RETURN_IF_ERROR(ReadInt(cfg, "transfer_pools", &o.transfer_pools));
  JUICER_RETURN_IF_ERROR(ReadStrings(cfg, "skip", &o.skip));
  JUICER_RETURN_IF_ERROR(ReadString(cfg, "stratify_by", &o.stratify_by));
  if (cfg.contains("scale_factors")) {
    if (!cfg["scale_factors"].is_array()) return Status::InvalidArgument("extra_configs.scale_factors: expected a list of numbers");
    o.scale_factors.clear();
    for (const auto& f : cfg["scale_factors"]) {
      if (!f.is_number()) return Status::InvalidArgument("extra_configs.scale_factors: expected a list of numbers");
      o.scale_factors.push_back(f.get<double>());
    }
  }
  // The recipe goes to a file next to the job's outputs (the loop reads a recipe path).
  Json recipe = call.dj_cfg;
  o.ops = (fs::path(call.job_dir) / "probe_recipe.yaml").string();
  JUICER_RETURN_IF_ERROR(WriteYamlAtomic(o.ops, recipe));
  o.quiet = false;
  JUICER_ASSIGN_OR_RETURN(Json results, RunProbeLoop(o));
  const std::string refined =
      results.contains("refined_recipe") ? results["refined_recipe"].value("path", std::string()) : std::string();
  return std::vector<Json>{(fs::path(o.out) / "results.json").string(), (fs::path(o.out) / "report.html").string(),
                           refined.empty() ? Json() : Json(refined)};
}

}  // namespace juicer::sandbox
