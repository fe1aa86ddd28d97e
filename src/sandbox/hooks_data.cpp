// Data hooks: analyzer probe, recipe processing, k-sigma refinement, data pools, format conversion,
// data evaluation. juicer's own commands run as child processes (juicer_exe.h).
#include "sandbox/hooks_impl.h"

#include <algorithm>
#include <filesystem>

#include "sandbox/evaluators.h"
#include "sandbox/formats.h"
#include "sandbox/juicer_exe.h"
#include "sandbox/ksigma.h"
#include "sandbox/pools.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

Status NeedRecipe(const HookCall& call) {
  if (!call.dj_cfg.is_object()) {
    return Status::InvalidArgument("dj_configs: this hook needs a Data-Juicer recipe (a path or an inline mapping)");
  }
  if (!call.dj_cfg.contains("dataset_path") || !call.dj_cfg["dataset_path"].is_string()) {
    return Status::InvalidArgument("dj_configs.dataset_path: the recipe needs a dataset_path");
  }
  return Status::OK();
}

Status NeedExtra(const HookCall& call, const char* what) {
  if (!call.extra_cfg.is_object()) {
    return Status::InvalidArgument(std::string("extra_configs: this hook needs ") + what);
  }
  return Status::OK();
}

// Writes the recipe the child juicer runs (sandbox-only keys dropped) under the job's directory.
Result<std::string> WriteJobRecipe(const HookCall& call, Json recipe, const std::string& name) {
  for (const char* k : {"data_probe_algo", "data_probe_ratio"}) recipe.erase(k);
  const std::string path = (fs::path(call.job_dir) / name).string();
  JUICER_RETURN_IF_ERROR(WriteYamlAtomic(path, recipe));
  return path;
}

std::string ExportPathOr(HookCall& call, const std::string& fallback_name) {
  if (!call.dj_cfg.contains("export_path") || !call.dj_cfg["export_path"].is_string()) {
    call.dj_cfg["export_path"] = (fs::path(call.job_dir) / fallback_name).string();
  }
  return call.dj_cfg["export_path"].get<std::string>();
}

}  // namespace

std::string RecipeWorkDir(const Json& recipe) {
  if (recipe.contains("work_dir") && recipe["work_dir"].is_string()) return recipe["work_dir"].get<std::string>();
  const fs::path p(recipe.value("export_path", std::string()));
  return p.parent_path().empty() ? "." : p.parent_path().string();
}

Result<std::vector<Json>> ProbeViaAnalyzerHook(HookCall& call) {
  JUICER_RETURN_IF_ERROR(NeedRecipe(call));
  const std::string export_path = ExportPathOr(call, "analyzed.jsonl");
  JUICER_ASSIGN_OR_RETURN(std::string recipe, WriteJobRecipe(call, call.dj_cfg, "analyze_recipe.yaml"));
  JUICER_RETURN_IF_ERROR(RunJuicer({"analyze", "--config", recipe, "--quiet"}, call.job_dir + "/analyze.log"));
  const std::string analysis = (fs::path(RecipeWorkDir(call.dj_cfg)) / "analysis").string();
  (*call.watch)[call.job->meta_name] = Json{{"analysis_dir", analysis},
                                            {"overall_csv", analysis + "/overall.csv"},
                                            {"export_path", export_path},
                                            {"recipe", recipe}};
  if (call.log) call.log("sandbox:   analysis in " + analysis + "/index.html");
  return std::vector<Json>{export_path};
}

Result<std::vector<Json>> ProcessDataHook(HookCall& call) {
  JUICER_RETURN_IF_ERROR(NeedRecipe(call));
  const std::string export_path = ExportPathOr(call, "processed.jsonl");
  JUICER_ASSIGN_OR_RETURN(std::string recipe, WriteJobRecipe(call, call.dj_cfg, "process_recipe.yaml"));
  JUICER_RETURN_IF_ERROR(RunJuicer({"process", "--config", recipe, "--quiet"}, call.job_dir + "/process.log"));
  return std::vector<Json>{export_path};
}

Result<std::vector<Json>> RefineRecipeViaKSigmaHook(HookCall& call) {
  if (!call.dj_cfg.is_object()) {
    return Status::InvalidArgument("dj_configs: k-sigma refinement needs the recipe to refine");
  }
  JUICER_RETURN_IF_ERROR(NeedExtra(call, "path_k_sigma_recipe (where to write the refined recipe)"));
  if (!call.extra_cfg.contains("path_k_sigma_recipe") || !call.extra_cfg["path_k_sigma_recipe"].is_string()) {
    return Status::InvalidArgument("extra_configs.path_k_sigma_recipe: where to write the refined recipe is required");
  }
  const std::string out = call.extra_cfg["path_k_sigma_recipe"].get<std::string>();
  const double k = call.extra_cfg.value("k", 3.0);
  // The stats: extra_configs.overall_csv, else the analyzer probe recorded under this job's meta_name
  // (DJ's watcher.query(meta_name)), else the recipe's own work_dir/analysis.
  std::string csv;
  if (call.extra_cfg.contains("overall_csv") && call.extra_cfg["overall_csv"].is_string()) {
    csv = call.extra_cfg["overall_csv"].get<std::string>();
  } else if (call.watch->contains(call.job->meta_name) && (*call.watch)[call.job->meta_name].contains("overall_csv")) {
    csv = (*call.watch)[call.job->meta_name]["overall_csv"].get<std::string>();
  } else {
    csv = (fs::path(RecipeWorkDir(call.dj_cfg)) / "analysis" / "overall.csv").string();
  }
  if (!fs::exists(csv)) {
    return Status::NotFound("k-sigma refinement needs the analyzer's stats: " + csv +
                            " does not exist (run a ProbeViaAnalyzerHook with the same meta_name first, or give "
                            "extra_configs.overall_csv)");
  }
  JUICER_ASSIGN_OR_RETURN(StatMoments moments, ReadOverallCsv(csv));
  JUICER_ASSIGN_OR_RETURN(Json refined, RefineRecipeKSigma(call.dj_cfg, moments, SandboxOpRegistry(), k));
  JUICER_RETURN_IF_ERROR(WriteRecipe(refined, out));
  return std::vector<Json>{out};
}

Result<std::vector<Json>> DataPoolManipulationHook(HookCall& call) {
  JUICER_RETURN_IF_ERROR(NeedExtra(call, "a data-pool manipulator config with a `type`"));
  JUICER_ASSIGN_OR_RETURN(Json out, RunDataPoolManipulator(call.extra_cfg));
  return std::vector<Json>{out};
}

Result<std::vector<Json>> GeneralProbeHook(HookCall& call) {
  JUICER_RETURN_IF_ERROR(NeedExtra(call, "a general probe config with a `type` (data_pool_ranking)"));
  JUICER_ASSIGN_OR_RETURN(Json out, RunGeneralProbe(call.extra_cfg));
  return std::vector<Json>{out};
}

Result<std::vector<Json>> GeneralDataExecutorHook(HookCall& call) {
  JUICER_RETURN_IF_ERROR(NeedExtra(call, "a data executor config with a `type` (dj_to_llava, llava_to_dj, dj_to_webdataset, juicer_dataset)"));
  if (call.extra_cfg.value("type", std::string()) == "juicer_dataset") {
    // Builds one of juicer's datasets (`juicer datasets build NAME`) and returns its files by split name.
    const std::string name = call.extra_cfg.value("name", std::string());
    if (name.empty()) return Status::InvalidArgument("extra_configs.name: the dataset to build (see `juicer datasets list`)");
    const std::string dir = call.extra_cfg.value("export_path", (fs::path(call.job_dir) / name).string());
    JUICER_RETURN_IF_ERROR(RunJuicer({"datasets", "build", name, "--out", dir}, call.job_dir + "/datasets.log"));
    Json files = Json::object();
    files["dir"] = dir;
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".jsonl") found.push_back(e.path());
    }
    std::sort(found.begin(), found.end());
    for (const auto& p : found) files[p.stem().string()] = p.string();
    return std::vector<Json>{files};
  }
  JUICER_ASSIGN_OR_RETURN(Json out, RunGeneralDataExecutor(call.extra_cfg));
  return std::vector<Json>{out};
}

Result<std::vector<Json>> EvaluateDataHook(HookCall& call) {
  JUICER_RETURN_IF_ERROR(NeedExtra(call, "a data evaluator config with a `type`"));
  // DJ's evaluators return tuples (accuracy: results, max_accuracy); each element is one output.
  JUICER_ASSIGN_OR_RETURN(Json out, RunDataEvaluator(call.extra_cfg));
  (*call.watch)[call.job->meta_name] = out;
  std::vector<Json> outs;
  if (out.is_array()) {
    for (auto& v : out) outs.push_back(std::move(v));
  } else {
    outs.push_back(std::move(out));
  }
  return outs;
}

}  // namespace juicer::sandbox
