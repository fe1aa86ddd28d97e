#include "sandbox/probe_loop.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "analysis/correlation.h"
#include "analysis/probe_stats.h"
#include "analysis/svg_charts.h"
#include "core/dataset_writer.h"
#include "sandbox/juicer_exe.h"
#include "probe/probe_config.h"
#include "sandbox/pools.h"
#include "sandbox/probe_phases.h"
#include "sandbox/probe_report.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

double ElapsedS(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}


Status ApplyTaskDefaults(ProbeLoopOptions& o) {
  const fs::path dir = fs::path(o.data).parent_path();
  std::string eval_file, metric;
  bool lower = false;
  if (o.task == "clip") {
    eval_file = "eval_retrieval.jsonl";
    metric = "eval_retrieval.mean_R";
  } else if (o.task == "caption") {
    eval_file = "eval_caption.jsonl";
    metric = "eval_caption.CIDEr-D";
  } else if (o.task == "lm") {
    eval_file = "eval_lm.jsonl";
    metric = "eval_lm.bits_per_byte";
    lower = true;
  } else {
    return Status::InvalidArgument("--task: '" + o.task + "' is not a built-in probe task (clip, caption, lm)");
  }
  if (o.eval.empty()) {
    const fs::path e = dir / eval_file;
    if (!fs::exists(e)) {
      return Status::InvalidArgument("--eval: no evaluation set given and " + e.string() +
                                     " does not exist (juicer datasets build ... writes it)");
    }
    o.eval.push_back(e.string());
  }
  if (o.metric.empty()) {
    o.metric = metric;
    o.lower_is_better = lower;
  }
  if (o.seeds < 2) return Status::InvalidArgument("--seeds: at least 2 seeds are needed for an interval");
  if (o.parallel < 1) o.parallel = 1;
  for (const auto& phase : o.skip) {
    const auto& known = ProbeLoopPhases();
    if (std::find(known.begin(), known.end(), phase) == known.end()) {
      return Status::InvalidArgument("--skip: unknown phase '" + phase + "' (phases: recipes, scaling, refine, transfer, diversity)");
    }
  }
  if (o.top_k < 1) return Status::InvalidArgument("--top-k: must be at least 1");
  for (double f : o.scale_factors) {
    if (!(f > 0)) return Status::InvalidArgument("--scale-factors: every factor must be positive");
  }
  if (o.transfer_size != "xs" && o.transfer_size != "s" && o.transfer_size != "m") {
    return Status::InvalidArgument("--transfer-size: '" + o.transfer_size + "' is not a model size (xs, s, m)");
  }
  return Status::OK();
}

bool Skipped(const ProbeLoopOptions& o, const std::string& phase) {
  return std::find(o.skip.begin(), o.skip.end(), phase) != o.skip.end();
}

// Per-sample values of each stat of the analyzed data (lists by their mean, as the pools rank them).
Result<std::vector<StatColumn>> ReadStatColumns(const std::string& path, const std::vector<std::string>& stats) {
  std::vector<StatColumn> cols(stats.size());
  for (size_t i = 0; i < stats.size(); ++i) cols[i].name = stats[i];
  JUICER_RETURN_IF_ERROR(ForEachJsonLine(path, [&](Json& s, size_t) {
    const Json* st = s.contains("__dj__stats__") ? &s["__dj__stats__"] : nullptr;
    for (auto& c : cols) {
      double v = std::numeric_limits<double>::quiet_NaN();
      if (st != nullptr && st->contains(c.name) && !StatAsNumber((*st)[c.name], &v)) v = std::numeric_limits<double>::quiet_NaN();
      c.per_sample.push_back(v);
      if (std::isfinite(v)) c.flattened.push_back(v);
    }
    return Status::OK();
  }));
  return cols;
}

Json SummaryJson(const MeanSummary& s) {
  return Json{{"n", s.n}, {"mean", s.mean}, {"sd", s.sd}, {"ci95", Json::array({s.ci_lo, s.ci_hi})}};
}



}  // namespace

const std::vector<std::string>& ProbeLoopPhases() {
  static const std::vector<std::string> kPhases = {"recipes", "scaling", "refine", "transfer", "diversity"};
  return kPhases;
}

Result<Json> RunProbeLoop(ProbeLoopOptions o) {
  JUICER_RETURN_IF_ERROR(ApplyTaskDefaults(o));
  auto log = [&](const std::string& line) {
    if (!o.quiet) std::fprintf(stderr, "probe: %s\n", line.c_str());
  };
  const auto t_start = std::chrono::steady_clock::now();
  Json phases = Json::object();
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) return Status::IOError(o.out + ": cannot create: " + ec.message());

  // 1. Stats, once.
  auto t0 = std::chrono::steady_clock::now();
  JUICER_ASSIGN_OR_RETURN(Json recipe, LoadYamlFile(o.ops));
  if (!recipe.is_object() || !recipe.contains("process")) {
    return Status::InvalidArgument(o.ops + ": expected a Data-Juicer recipe with a `process` list");
  }
  const std::string stats_dir = (fs::path(o.out) / "stats").string();
  const std::string analyzed = (fs::path(stats_dir) / "data.jsonl").string();
  recipe["dataset_path"] = o.data;
  recipe["export_path"] = analyzed;
  recipe["np"] = std::max(1, o.parallel);
  if (!fs::exists(analyzed)) {
    JUICER_RETURN_IF_ERROR(WriteYamlAtomic(stats_dir + "/recipe.yaml", recipe));
    log("stats: juicer analyze (" + o.ops + ") on " + o.data);
    JUICER_RETURN_IF_ERROR(RunJuicer({"analyze", "--config", stats_dir + "/recipe.yaml", "--quiet"}, stats_dir + "/analyze.log"));
  } else {
    log("stats: reusing " + analyzed);
  }
  phases["stats_s"] = ElapsedS(t0);

  // 2. Pools: thirds of every numeric stat, and a random third per seed.
  t0 = std::chrono::steady_clock::now();
  const std::string pools_dir = (fs::path(o.out) / "pools").string();
  Json construct{{"type", "data_pool_construction"}, {"dataset_path", analyzed}, {"export_path", pools_dir}};
  if (!o.stratify_by.empty()) construct["stratify_by"] = o.stratify_by;
  JUICER_ASSIGN_OR_RETURN(Json built, RunDataPoolManipulator(construct));
  LoopContext c;
  c.o = o;
  c.log = log;
  c.analyzed = analyzed;
  c.recipe = recipe;
  c.sign = o.lower_is_better ? -1.0 : 1.0;
  JUICER_ASSIGN_OR_RETURN(probe::ProbeConfig preset, probe::PresetConfig(o.task, o.size));
  c.training = {o.task, o.steps > 0 ? o.steps : preset.steps, o.batch_size, o.set, o.eval, o.metric, o.slurm};
  std::vector<LoopPool>& pools = c.pools;
  size_t n_samples = 0;
  {
    std::ifstream in(analyzed);
    for (std::string line; std::getline(in, line);) n_samples += !line.empty();
  }
  for (const auto& p : built) {
    const fs::path path(p.get<std::string>());
    LoopPool pool;
    pool.stat = path.parent_path().filename().string();
    const std::string stem = path.stem().string();
    pool.third = std::atoi(stem.substr(stem.rfind('_') + 1).c_str());
    pool.name = pool.stat + "/" + std::to_string(pool.third);
    pool.path_by_seed.assign(o.seeds, path.string());
    pools.push_back(std::move(pool));
  }
  if (pools.empty()) return Status::InvalidArgument(o.ops + ": the recipe's ops computed no numeric stat to split on");
  LoopPool random;
  random.name = "random";
  const size_t third = static_cast<size_t>(n_samples / 3.0 + 0.5);
  for (int s = 1; s <= o.seeds; ++s) {
    Json down{{"type", "data_pool_downsampling"},
              {"dataset_path", analyzed},
              {"export_path", pools_dir + "/random/seed_" + std::to_string(s)},
              {"target_num_samples", third},
              {"shuffle_seed", s}};
    if (!o.stratify_by.empty()) down["stratify_by"] = o.stratify_by;
    JUICER_ASSIGN_OR_RETURN(Json r, RunDataPoolManipulator(down));
    random.path_by_seed.push_back(r[0].get<std::string>());
  }
  pools.push_back(random);
  phases["pools_s"] = ElapsedS(t0);
  log(std::to_string(pools.size() - 1) + " single-OP pools + random (" + std::to_string(third) + " samples) x " +
      std::to_string(o.seeds) + " seeds");

  // 3. One probe per (pool, seed), `parallel` at a time, resumable.
  t0 = std::chrono::steady_clock::now();
  {
    std::vector<ProbeJob> jobs;
    for (const auto& p : pools) {
      std::string safe = p.name;
      std::replace(safe.begin(), safe.end(), '/', '_');
      for (int s = 1; s <= o.seeds; ++s) {
        jobs.push_back({p.name + " seed " + std::to_string(s), p.path_by_seed[s - 1],
                        (fs::path(o.out) / "runs" / safe / ("seed_" + std::to_string(s))).string(), s, o.size, 1.0});
      }
    }
    JUICER_ASSIGN_OR_RETURN(std::vector<double> metric, RunProbeJobs(jobs, c.training, o.parallel, "single-OP pools", log));
    for (size_t i = 0; i < jobs.size(); ++i) pools[i / static_cast<size_t>(o.seeds)].values.push_back(metric[i]);
  }
  phases["probes_s"] = ElapsedS(t0);

  // 4. Per pool: mean and interval over seeds; change vs. the random pool of the same seed.
  const size_t random_idx = pools.size() - 1;
  auto values_of = [&](size_t pi) { return pools[pi].values; };
  const std::vector<double> rnd = values_of(random_idx);
  const double sign = o.lower_is_better ? -1.0 : 1.0;
  Json pool_rows = Json::array();
  std::map<std::string, Json> best_by_op;
  for (size_t pi = 0; pi < pools.size(); ++pi) {
    const std::vector<double> v = values_of(pi);
    Json row = {{"pool", pools[pi].name}, {"stat", pools[pi].stat}, {"third", pools[pi].third},
                {"values", v}, {"summary", SummaryJson(Summarize(v))}};
    if (pi != random_idx) {
      const PairedComparison c = ComparePaired(v, rnd);
      row["vs_random"] = {{"mean_diff", c.mean_diff},
                          {"rel_change", c.rel_change},
                          {"rel_ci95", Json::array({c.rel_ci_lo, c.rel_ci_hi})},
                          {"p_paired_t", c.p_t},
                          {"p_sign_flip", c.p_perm},
                          {"improvement", sign * c.rel_change}};
      auto& best = best_by_op[pools[pi].stat];
      if (best.is_null() || sign * c.rel_change > best["vs_random"]["improvement"].get<double>()) best = row;
    }
    pool_rows.push_back(std::move(row));
  }
  std::vector<Json> ranking;
  for (auto& [stat, row] : best_by_op) ranking.push_back(row);
  std::sort(ranking.begin(), ranking.end(), [](const Json& a, const Json& b) {
    return a["vs_random"]["improvement"].get<double>() > b["vs_random"]["improvement"].get<double>();
  });

  // 5. Correlation of the OP stats and clusters.
  t0 = std::chrono::steady_clock::now();
  std::vector<std::string> stats;
  for (const auto& [stat, row] : best_by_op) stats.push_back(stat);
  JUICER_ASSIGN_OR_RETURN(std::vector<StatColumn> cols, ReadStatColumns(analyzed, stats));
  const CorrelationMatrix pearson = ComputeCorrelation(cols, CorrelationMethod::kPearson);
  const CorrelationMatrix spearman = ComputeCorrelation(cols, CorrelationMethod::kSpearman);
  std::vector<Merge> merges;
  const ClusterCut cut = ClusterByCorrelation(spearman.values, stats.size(), &merges);
  Json clusters = Json::array();
  for (size_t c = 0; c < cut.k; ++c) {
    Json members = Json::array();
    for (size_t i = 0; i < stats.size(); ++i) {
      if (cut.labels[i] == static_cast<int>(c)) members.push_back(stats[i]);
    }
    clusters.push_back(members);
  }
  Json merge_rows = Json::array();
  for (const auto& m : merges) merge_rows.push_back(Json::array({m.a, m.b, m.height, m.size}));
  phases["analyze_s"] = ElapsedS(t0);
  c.ranking = Json(ranking);
  c.clusters = clusters;
  c.n_samples = n_samples;
  c.pool_size = third;

  Json results = {
      {"data", o.data}, {"task", o.task}, {"ops", o.ops}, {"size", o.size}, {"seeds", o.seeds},
      {"metric", o.metric}, {"lower_is_better", o.lower_is_better}, {"eval", o.eval},
      {"n_samples", n_samples}, {"pool_size", third}, {"stratify_by", o.stratify_by}, {"pools", pool_rows}, {"ranking", ranking},
      {"correlation", {{"stats", stats}, {"pearson", pearson.values}, {"spearman", spearman.values}}},
      {"clustering", {{"method", "average linkage on 1 - |spearman r|, cut at the best mean silhouette"},
                      {"merges", merge_rows}, {"k", cut.k}, {"silhouette", cut.silhouette},
                      {"silhouette_by_k", cut.silhouette_by_k}, {"clusters", clusters}}},
      {"phases_s", phases}};
  const std::string results_path = (fs::path(o.out) / "results.json").string();
  JUICER_RETURN_IF_ERROR(WriteJsonAtomic(results_path, results));

  // 6. Recipes, scaling, refined recipe, transfer: results.json is rewritten after each phase.
  auto phase = [&](const std::string& name, const std::function<Result<Json>()>& fn) -> Status {
    if (Skipped(o, name)) return Status::OK();
    const auto t = std::chrono::steady_clock::now();
    JUICER_ASSIGN_OR_RETURN(Json block, fn());
    results[name == "refine" ? "refined_recipe" : name] = std::move(block);
    results["phases_s"][name + "_s"] = ElapsedS(t);
    return WriteJsonAtomic(results_path, results);
  };
  JUICER_RETURN_IF_ERROR(phase("recipes", [&] { return RunRecipesPhase(c); }));
  JUICER_RETURN_IF_ERROR(phase("scaling", [&] { return RunScalingPhase(c); }));
  const Json no_recipes = Json::object();
  JUICER_RETURN_IF_ERROR(phase("refine", [&] { return RunRefinePhase(c, results.contains("recipes") ? results["recipes"] : no_recipes); }));
  JUICER_RETURN_IF_ERROR(phase("transfer", [&] { return RunTransferPhase(c); }));
  JUICER_RETURN_IF_ERROR(phase("diversity", [&] { return RunDiversityPhase(c, results); }));
  results["phases_s"]["total_s"] = ElapsedS(t_start);
  phases = results["phases_s"];
  JUICER_RETURN_IF_ERROR(WriteJsonAtomic(results_path, results));

  // report.html: self-contained (inline SVG and thumbnails, no network).
  JUICER_RETURN_IF_ERROR(WriteProbeReport(results, (fs::path(o.out) / "report.html").string()));
  log("results: " + (fs::path(o.out) / "results.json").string() + ", report: " + (fs::path(o.out) / "report.html").string());
  return results;
}

}  // namespace juicer::sandbox
