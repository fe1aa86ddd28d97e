#include "sandbox/probe_phases.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <set>

#include "analysis/probe_stats.h"
#include "core/dataset_writer.h"
#include "probe/probe_config.h"
#include "sandbox/juicer_exe.h"
#include "sandbox/pools.h"
#include "sandbox/probe_diversity.h"
#include "sandbox/probe_pools.h"
#include "sandbox/refine.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string SafeName(std::string s) {
  std::replace(s.begin(), s.end(), '/', '_');
  return s;
}

double Num(const Json& j) { return j.is_number() ? j.get<double>() : kNaN; }

// [lo, hi] of `stat` over a pool file.
Result<Json> StatRange(const std::string& path, const std::string& stat) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  JUICER_RETURN_IF_ERROR(ForEachJsonLine(path, [&](Json& s, size_t) {
    const Json* v = s.contains("__dj__stats__") ? DottedGet(s["__dj__stats__"], stat) : nullptr;
    double x = 0;
    if (v != nullptr && StatAsNumber(*v, &x) && std::isfinite(x)) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    return Status::OK();
  }));
  if (lo > hi) return Json::array({nullptr, nullptr});
  return Json::array({lo, hi});
}

// Per seed, `target` samples of `source` (DJ's data_pool_downsampling with shuffle_seed = seed).
// With `stratify_by`, every stratum keeps its share (juicer's stratified downsampling).
Result<std::vector<std::string>> DownsamplePerSeed(const std::string& source, size_t target, int seeds,
                                                   const std::string& dir, const std::string& stratify_by = "") {
  std::vector<std::string> out;
  for (int s = 1; s <= seeds; ++s) {
    Json cfg{{"type", "data_pool_downsampling"},
             {"dataset_path", source},
             {"export_path", dir + "/seed_" + std::to_string(s)},
             {"target_num_samples", target},
             {"shuffle_seed", s}};
    if (!stratify_by.empty()) cfg["stratify_by"] = stratify_by;
    JUICER_ASSIGN_OR_RETURN(Json r, RunDataPoolManipulator(cfg));
    out.push_back(r[0].get<std::string>());
  }
  return out;
}

struct Choice {
  std::string stat;
  int third = 0;
};

struct RecipeSpec {
  std::string name;
  std::vector<Choice> ops;
};

std::vector<Choice> TopChoices(const LoopContext& c, size_t k) {
  std::vector<Choice> v;
  for (size_t i = 0; i < std::min(k, c.ranking.size()); ++i) {
    v.push_back({c.ranking[i]["stat"].get<std::string>(), c.ranking[i]["third"].get<int>()});
  }
  return v;
}

std::string ThirdName(int third) { return third == 0 ? "low" : third == 1 ? "mid" : "high"; }

}  // namespace

const LoopPool* LoopContext::Find(const std::string& stat, int third) const {
  for (const auto& p : pools) {
    if (p.stat == stat && p.third == third) return &p;
  }
  return nullptr;
}

std::string LoopContext::Dir(const std::string& rel) const { return (fs::path(o.out) / rel).string(); }

Json SummaryAndVsBaseline(const std::vector<double>& values, const std::vector<double>& baseline, double sign) {
  const MeanSummary s = Summarize(values);
  Json row = {{"values", values},
              {"summary", {{"n", s.n}, {"mean", s.mean}, {"sd", s.sd}, {"ci95", Json::array({s.ci_lo, s.ci_hi})}}}};
  if (!baseline.empty()) {
    const PairedComparison p = ComparePaired(values, baseline);
    row["vs_random"] = {{"mean_diff", p.mean_diff},        {"rel_change", p.rel_change},
                        {"rel_ci95", Json::array({p.rel_ci_lo, p.rel_ci_hi})},
                        {"p_paired_t", p.p_t},             {"p_sign_flip", p.p_perm},
                        {"improvement", sign * p.rel_change}};
  }
  return row;
}

Result<Json> RunRecipesPhase(LoopContext& c) {
  const size_t n_ops = c.ranking.size();
  std::vector<RecipeSpec> specs;
  for (size_t k = 1; k <= std::min<size_t>(static_cast<size_t>(c.o.top_k), n_ops); ++k) {
    specs.push_back({"top-" + std::to_string(k), TopChoices(c, k)});
  }
  // Best OP of each cluster, clusters in the order of their best OP.
  std::vector<Choice> best_of_clusters;
  for (const auto& row : c.ranking) {
    const std::string stat = row["stat"].get<std::string>();
    for (const auto& cluster : c.clusters) {
      bool in = false, taken = false;
      for (const auto& m : cluster) in = in || m.get<std::string>() == stat;
      for (const auto& b : best_of_clusters) {
        for (const auto& m : cluster) taken = taken || m.get<std::string>() == b.stat;
      }
      if (in && !taken) best_of_clusters.push_back({stat, row["third"].get<int>()});
    }
  }
  Json aliases = Json::object();
  if (best_of_clusters.size() >= 1) {
    std::string same;
    for (const auto& s : specs) {
      if (s.ops.size() != best_of_clusters.size()) continue;
      bool eq = true;
      for (size_t i = 0; i < s.ops.size(); ++i) eq = eq && s.ops[i].stat == best_of_clusters[i].stat;
      if (eq) same = s.name;
    }
    if (same.empty()) specs.push_back({"best-of-clusters", best_of_clusters});
    else aliases["best-of-clusters"] = same;
  }
  // Intersections of the chosen thirds.
  std::vector<size_t> sizes;
  Json rows = Json::array();
  for (const auto& spec : specs) {
    std::vector<std::string> paths;
    Json ops = Json::array();
    for (const auto& ch : spec.ops) {
      const LoopPool* p = c.Find(ch.stat, ch.third);
      if (p == nullptr) return Status::Internal("recipes: no pool " + ch.stat + "/" + std::to_string(ch.third));
      paths.push_back(p->path_by_seed[0]);
      JUICER_ASSIGN_OR_RETURN(Json range, StatRange(p->path_by_seed[0], ch.stat));
      ops.push_back({{"stat", ch.stat}, {"third", ch.third}, {"third_name", ThirdName(ch.third)}, {"range", range}});
    }
    const std::string full = c.Dir("recipes/" + spec.name + "/full.jsonl");
    JUICER_ASSIGN_OR_RETURN(size_t n, WritePoolIntersection(paths, full));
    sizes.push_back(n);
    rows.push_back({{"name", spec.name}, {"ops", ops}, {"n_intersection", n}, {"path", full}});
  }
  size_t common = std::numeric_limits<size_t>::max();
  for (size_t n : sizes) {
    if (n >= static_cast<size_t>(c.o.min_pool)) common = std::min(common, n);
  }
  if (common == std::numeric_limits<size_t>::max()) {
    c.log("recipes: every intersection has fewer than " + std::to_string(c.o.min_pool) + " samples; none trained");
    return Json{{"pool_size", 0}, {"recipes", rows}, {"aliases", aliases}};
  }
  c.log("recipes: " + std::to_string(rows.size()) + " recipes, each downsampled to " + std::to_string(common) +
        " samples per seed (the smallest intersection)");
  // Jobs: every trainable recipe and a random pool of the common size, per seed.
  std::vector<ProbeJob> jobs;
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> data;
  for (const auto& row : rows) {
    if (row["n_intersection"].get<size_t>() < common) continue;
    const std::string name = row["name"].get<std::string>();
    JUICER_ASSIGN_OR_RETURN(auto per_seed, DownsamplePerSeed(row["path"].get<std::string>(), common, c.o.seeds,
                                                             c.Dir("recipes/" + name)));
    names.push_back(name);
    data.push_back(per_seed);
  }
  JUICER_ASSIGN_OR_RETURN(auto rnd, DownsamplePerSeed(c.analyzed, common, c.o.seeds, c.Dir("recipes/random"), c.o.stratify_by));
  names.push_back("random");
  data.push_back(rnd);
  for (size_t r = 0; r < names.size(); ++r) {
    for (int s = 1; s <= c.o.seeds; ++s) {
      jobs.push_back({"recipe " + names[r] + " seed " + std::to_string(s), data[r][s - 1],
                      c.Dir("runs/recipes/" + names[r] + "_n" + std::to_string(common) + "/seed_" + std::to_string(s)), s,
                      c.o.size, 1.0});
    }
  }
  JUICER_ASSIGN_OR_RETURN(std::vector<double> metric, RunProbeJobs(jobs, c.training, c.o.parallel, "recipes", c.log));
  auto values_of = [&](const std::string& name) {
    std::vector<double> v;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (names[i / static_cast<size_t>(c.o.seeds)] == name) v.push_back(metric[i]);
    }
    return v;
  };
  const std::vector<double> random_values = values_of("random");
  std::string best;
  double best_improvement = -std::numeric_limits<double>::infinity();
  for (auto& row : rows) {
    const std::string name = row["name"].get<std::string>();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      row["trained"] = false;
      row["note"] = "intersection below the common size; not trained";
      continue;
    }
    Json stats = SummaryAndVsBaseline(values_of(name), random_values, c.sign);
    row["trained"] = true;
    row["pool_size"] = common;
    for (auto& [k, v] : stats.items()) row[k] = v;
    const double imp = Num(row["vs_random"]["improvement"]);
    if (imp > best_improvement) {
      best_improvement = imp;
      best = name;
    }
  }
  Json out = {{"pool_size", common}, {"recipes", rows}, {"aliases", aliases},
              {"random", SummaryAndVsBaseline(random_values, {}, c.sign)}, {"best", best}};
  // Does stacking help? top-k vs top-1 at the same size, paired by seed.
  Json stacking = Json::array();
  const std::vector<double> top1 = values_of("top-1");
  for (const auto& name : names) {
    if (name == "top-1" || name == "random" || top1.empty()) continue;
    const PairedComparison p = ComparePaired(values_of(name), top1);
    stacking.push_back({{"recipe", name}, {"vs", "top-1"}, {"rel_change", p.rel_change},
                        {"rel_ci95", Json::array({p.rel_ci_lo, p.rel_ci_hi})}, {"p_paired_t", p.p_t},
                        {"improvement", c.sign * p.rel_change}});
  }
  out["vs_top_1"] = stacking;
  return out;
}

Result<Json> RunScalingPhase(LoopContext& c) {
  const size_t k = std::min<size_t>(static_cast<size_t>(std::max(2, c.o.top_k)), c.ranking.size());
  if (k < 2) return Json{{"skipped", "the pyramid needs at least two ranked OPs"}};
  std::vector<std::string> paths;
  Json top_ops = Json::array();
  for (const auto& ch : TopChoices(c, k)) {
    paths.push_back(c.Find(ch.stat, ch.third)->path_by_seed[0]);
    top_ops.push_back(ch.stat + " " + ThirdName(ch.third));
  }
  JUICER_ASSIGN_OR_RETURN(std::vector<size_t> level_sizes, WritePyramidLevels(paths, c.Dir("scaling/levels")));
  Json levels = Json::array();
  for (size_t j = 0; j < level_sizes.size(); ++j) {
    levels.push_back({{"level", j + 1}, {"n", level_sizes[j]}, {"in_top_pools", k - j},
                      {"path", c.Dir("scaling/levels/level_" + std::to_string(j + 1) + ".jsonl")}});
  }
  // The top of the pyramid: level 1, with the next levels merged in until it has min_pool samples.
  size_t top_levels = 0, top_n = 0;
  while (top_levels < k && top_n < static_cast<size_t>(c.o.min_pool)) top_n += level_sizes[top_levels++];
  if (top_n < static_cast<size_t>(c.o.min_pool)) return Json{{"skipped", "the top pools hold too few samples"}, {"levels", levels}};
  std::vector<double> factors = c.o.scale_factors;
  std::sort(factors.begin(), factors.end());
  auto union_of = [&](size_t n_levels) -> Result<std::pair<std::string, size_t>> {
    std::vector<std::string> parts;
    for (size_t j = 0; j < n_levels; ++j) parts.push_back(levels[j]["path"].get<std::string>());
    const std::string path = c.Dir("scaling/levels_1-" + std::to_string(n_levels) + ".jsonl");
    JUICER_ASSIGN_OR_RETURN(size_t n, WritePoolUnion(parts, path));
    return std::make_pair(path, n);
  };
  JUICER_ASSIGN_OR_RETURN(auto top, union_of(top_levels));
  JUICER_ASSIGN_OR_RETURN(probe::ProbeConfig preset, probe::PresetConfig(c.o.task, c.o.size));
  const double batch = c.training.batch_size > 0 ? c.training.batch_size : preset.batch_size;
  const double base_samples = static_cast<double>(c.training.steps) * batch;
  struct Point {
    std::string strategy;
    double factor;
    std::string data;
    size_t unique, n_levels;
    size_t first_job = 0;
  };
  std::vector<Point> points;
  std::vector<ProbeJob> jobs;
  for (size_t i = 0; i < factors.size(); ++i) {
    const double f = factors[i];
    const size_t add_levels = std::min(k, top_levels + i);
    JUICER_ASSIGN_OR_RETURN(auto add, union_of(add_levels));
    for (const std::string strategy : {"repeat", "add"}) {
      Point p{strategy, f, strategy == "repeat" ? top.first : add.first, strategy == "repeat" ? top.second : add.second,
              strategy == "repeat" ? top_levels : add_levels};
      p.first_job = jobs.size();
      const std::string run = "runs/scaling/levels_1-" + std::to_string(p.n_levels) + "_x" + Fmt("%g", f);
      for (int s = 1; s <= c.o.seeds; ++s) {
        jobs.push_back({"scaling " + strategy + " x" + Fmt("%g", f) + " seed " + std::to_string(s), p.data,
                        c.Dir(run + "/seed_" + std::to_string(s)), s, c.o.size, f});
      }
      points.push_back(p);
    }
  }
  c.log("scaling: pyramid of " + std::to_string(k) + " top pools, levels " + levels.dump() + "; top " +
        std::to_string(top.second) + " samples; compute x" + Json(factors).dump());
  JUICER_ASSIGN_OR_RETURN(std::vector<double> metric, RunProbeJobs(jobs, c.training, c.o.parallel, "scaling", c.log));
  Json curves = {{"repeat", Json::array()}, {"add", Json::array()}};
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> xy;
  std::map<std::string, std::vector<double>> last_values;
  for (const auto& p : points) {
    std::vector<double> v(metric.begin() + static_cast<std::ptrdiff_t>(p.first_job),
                          metric.begin() + static_cast<std::ptrdiff_t>(p.first_job + c.o.seeds));
    Json row = SummaryAndVsBaseline(v, {}, c.sign);
    const double compute = base_samples * p.factor;
    row["factor"] = p.factor;
    row["compute"] = compute;
    row["samples_unique"] = p.unique;
    row["levels"] = p.n_levels;
    row["epochs"] = compute / static_cast<double>(std::max<size_t>(1, p.unique));
    curves[p.strategy].push_back(row);
    xy[p.strategy].first.push_back(compute);
    xy[p.strategy].second.push_back(row["summary"]["mean"].get<double>());
    last_values[p.strategy] = v;
  }
  Json fits = Json::object();
  for (const auto& [strategy, pts] : xy) {
    const PowerLawFit f = FitPowerLaw(pts.first, pts.second);
    fits[strategy] = {{"a", f.a}, {"b", f.b}, {"c", 0.0}, {"r2", f.r2}, {"n", f.n},
                      {"formula", "metric = " + Fmt("%.4g", f.a) + " * C^" + Fmt("%.3f", f.b)}};
  }
  const PairedComparison cmp = ComparePaired(last_values["add"], last_values["repeat"]);
  const double imp = c.sign * cmp.rel_change;
  const Json& last_add = curves["add"].back();
  const Json& last_rep = curves["repeat"].back();
  std::string verdict = "At " + Fmt("%g", factors.back()) + "x compute, adding lower pyramid levels (" +
                        std::to_string(last_add["samples_unique"].get<size_t>()) + " unique samples) ";
  if (cmp.p_t < 0.05) verdict += imp > 0 ? "beats" : "loses to";
  else verdict += "is not distinguishable from";
  verdict += " repeating the top pool (" + std::to_string(last_rep["samples_unique"].get<size_t>()) + " samples, " +
             Fmt("%.1f", last_rep["epochs"].get<double>()) + " epochs): " + Fmt("%+.1f%%", 100 * imp) +
             " (95% CI of the change " + Fmt("%+.1f%%", 100 * c.sign * cmp.rel_ci_lo) + " .. " +
             Fmt("%+.1f%%", 100 * c.sign * cmp.rel_ci_hi) + ", paired t p = " + Fmt("%.3g", cmp.p_t) + ").";
  if (factors.back() == factors.front()) verdict = "Only one compute level: no scaling comparison.";
  c.log("scaling: " + verdict);
  return Json{{"top_ops", top_ops}, {"levels", levels}, {"top_levels", top_levels}, {"base_compute", base_samples},
              {"compute_unit", "training samples (steps x batch)"}, {"curves", curves}, {"fits", fits},
              {"add_vs_repeat", {{"rel_change", cmp.rel_change}, {"p_paired_t", cmp.p_t}, {"improvement", imp}}},
              {"verdict", verdict}};
}

Result<Json> RunRefinePhase(LoopContext& c, const Json& recipes) {
  // The best trained recipe (by improvement over its random pool), else the top OP.
  std::vector<std::string> pools;
  std::string source = "top-1 of the ranking";
  const Json* chosen = nullptr;
  if (recipes.contains("best") && !recipes["best"].get<std::string>().empty()) {
    for (const auto& r : recipes["recipes"]) {
      if (r["name"] == recipes["best"]) chosen = &r;
    }
  }
  if (chosen != nullptr) {
    source = "recipe " + (*chosen)["name"].get<std::string>();
    for (const auto& op : (*chosen)["ops"]) pools.push_back(c.Find(op["stat"], op["third"].get<int>())->path_by_seed[0]);
  } else {
    for (const auto& ch : TopChoices(c, 1)) pools.push_back(c.Find(ch.stat, ch.third)->path_by_seed[0]);
  }
  if (pools.empty()) return Json{{"skipped", "no ranked OP"}};
  Json applied;
  Json base = c.recipe;
  base.erase("dataset_path");
  base.erase("export_path");
  JUICER_ASSIGN_OR_RETURN(Json refined, RefineRecipeFromPools(base, pools, "", &applied, [&](const std::string& line) {
                            c.log("refine: " + line);
                          }));
  const std::string dir = c.Dir("refined");
  const std::string export_path = dir + "/data.jsonl";
  refined["dataset_path"] = fs::absolute(c.o.data).string();
  refined["export_path"] = fs::absolute(export_path).string();
  const std::string recipe_path = dir + "/recipe.yaml";
  JUICER_RETURN_IF_ERROR(WriteYamlAtomic(recipe_path, refined));
  // Applied to the analyzed copy of the full data: its stats are reused, nothing is recomputed.
  Json apply = refined;
  apply["dataset_path"] = c.analyzed;
  apply["np"] = std::max(1, c.o.parallel);
  JUICER_RETURN_IF_ERROR(WriteYamlAtomic(dir + "/apply.yaml", apply));
  JUICER_RETURN_IF_ERROR(RunJuicer({"process", "--config", dir + "/apply.yaml", "--quiet"}, dir + "/process.log"));
  size_t kept = 0;
  JUICER_RETURN_IF_ERROR(ForEachJsonLine(export_path, [&](Json&, size_t) {
    ++kept;
    return Status::OK();
  }));
  c.log("refine: " + recipe_path + " keeps " + std::to_string(kept) + " of " + std::to_string(c.n_samples) + " samples");
  std::string yaml;
  JUICER_ASSIGN_OR_RETURN(yaml, ReadFileToString(recipe_path));
  return Json{{"from", source}, {"path", recipe_path}, {"yaml", yaml}, {"bounds", applied},
              {"applied", {{"export_path", export_path}, {"kept", kept}, {"total", c.n_samples}}}};
}

Result<Json> RunTransferPhase(LoopContext& c) {
  // Single-OP pools by their xs mean, best first; the top and bottom n and the random pool.
  std::vector<size_t> order;
  for (size_t i = 0; i + 1 < c.pools.size(); ++i) order.push_back(i);
  auto mean = [&](size_t i) { return Summarize(c.pools[i].values).mean; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return c.sign * mean(a) > c.sign * mean(b); });
  const size_t n = std::min(order.size(), static_cast<size_t>(std::max(1, c.o.transfer_pools)));
  std::set<size_t> chosen(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n));
  chosen.insert(order.end() - static_cast<std::ptrdiff_t>(n), order.end());
  chosen.insert(c.pools.size() - 1);
  std::vector<size_t> picked(chosen.begin(), chosen.end());
  std::vector<ProbeJob> jobs;
  for (size_t pi : picked) {
    for (int s = 1; s <= c.o.seeds; ++s) {
      jobs.push_back({"transfer " + c.pools[pi].name + " seed " + std::to_string(s), c.pools[pi].path_by_seed[s - 1],
                      c.Dir("runs/transfer_" + c.o.transfer_size + "/" + SafeName(c.pools[pi].name) + "/seed_" +
                            std::to_string(s)),
                      s, c.o.transfer_size, 1.0});
    }
  }
  JUICER_ASSIGN_OR_RETURN(std::vector<double> metric, RunProbeJobs(jobs, c.training, c.o.parallel, "transfer", c.log));
  Json rows = Json::array();
  std::vector<double> xs, big;
  for (size_t k = 0; k < picked.size(); ++k) {
    std::vector<double> v(metric.begin() + static_cast<std::ptrdiff_t>(k * c.o.seeds),
                          metric.begin() + static_cast<std::ptrdiff_t>((k + 1) * c.o.seeds));
    Json row = SummaryAndVsBaseline(v, {}, c.sign);
    row["pool"] = c.pools[picked[k]].name;
    row["xs_mean"] = mean(picked[k]);
    row["m_mean"] = row["summary"]["mean"];
    xs.push_back(mean(picked[k]));
    big.push_back(row["summary"]["mean"].get<double>());
    rows.push_back(row);
  }
  const RankCorrelation r = SpearmanExact(xs, big);
  c.log("transfer: Spearman rho between the " + c.o.size + " and " + c.o.transfer_size + " rankings of " +
        std::to_string(r.n) + " pools = " + Fmt("%.3f", r.rho) + " (exact p = " + Fmt("%.3g", r.p) + ")");
  return Json{{"size", c.o.transfer_size}, {"from_size", c.o.size}, {"pools", rows}, {"spearman", r.rho},
              {"p", r.p}, {"n", r.n}};
}

Result<Json> RunDiversityPhase(LoopContext& c, const Json& results) {
  std::vector<std::pair<std::string, std::string>> chosen;  // label, pool file
  chosen.emplace_back("random", c.Random().path_by_seed[0]);
  for (const auto& row : c.ranking) {
    const std::string stat = row["stat"].get<std::string>();
    const int best = row["third"].get<int>();
    // The worst third: the lowest mean among the OP's thirds (highest for lower-is-better metrics).
    int worst = -1;
    double worst_mean = std::numeric_limits<double>::infinity();
    for (const auto& p : c.pools) {
      if (p.stat != stat) continue;
      const double m = c.sign * Summarize(p.values).mean;
      if (m < worst_mean) {
        worst_mean = m;
        worst = p.third;
      }
    }
    for (int third : {best, worst}) {
      const LoopPool* p = c.Find(stat, third);
      if (p == nullptr) continue;
      const std::string label = stat + " " + ThirdName(third) + (third == best ? " (best third)" : " (worst third)");
      chosen.emplace_back(label, p->path_by_seed[0]);
      if (best == worst) break;
    }
  }
  if (results.contains("recipes") && results["recipes"].contains("best")) {
    const std::string best = results["recipes"]["best"].get<std::string>();
    for (const auto& r : results["recipes"]["recipes"]) {
      if (r["name"] == best && r.contains("path")) chosen.emplace_back("recipe " + best, r["path"].get<std::string>());
    }
  }
  Json out = Json::object();
  DiversityOptions opts;
  for (const auto& [label, path] : chosen) {
    JUICER_ASSIGN_OR_RETURN(Json d, PoolDiversity(path, opts));
    out[label] = std::move(d);
  }
  c.log("diversity: words, verb-noun pairs and galleries of " + std::to_string(chosen.size()) + " pools");
  return out;
}

}  // namespace juicer::sandbox
