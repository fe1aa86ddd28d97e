// `juicer sandbox run|results|hooks`: the sandbox engine (src/sandbox, docs/sandbox.md).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "sandbox/config.h"
#include "dist/slurm.h"
#include "sandbox/probe_loop.h"
#include "sandbox/runner.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {

const char* kHelp =
    "usage: juicer sandbox run CONFIG.yaml [--resume] [--work_dir DIR] [--quiet]\n"
    "       juicer sandbox results WORK_DIR [--key SUBSTRING] [--format table|csv|jsonl]\n"
    "       juicer sandbox hooks\n"
    "       juicer sandbox probe --data DATA.jsonl --task clip|caption|lm --ops RECIPE.yaml --out DIR\n"
    "                            [--seeds 3] [--parallel 2] [--steps N] [--batch-size N] [--size xs]\n"
    "                            [--eval EVAL.jsonl ...] [--metric KEY] [--lower-is-better] [--set k=v] [--quiet]\n"
    "                            [--top-k 3] [--min-pool 32] [--scale-factors 1,2,4] [--transfer-size m]\n"
    "                            [--transfer-pools 2] [--skip recipes,scaling,refine,transfer,diversity]\n"
    "                            [--stratify-by FIELD]   (e.g. __dj__meta__.source)\n"
    "                            [--executor local|slurm] [--slurm-partition P] [--slurm-time T]\n"
    "                            [--slurm-mem M] [--slurm-cpus N] [--slurm-arg OPTION ...] [--sbatch PATH]\n"
    "\n"
    "run: runs a Data-Juicer sandbox config (probe -> refine_recipe -> execution -> evaluation jobs, one\n"
    "pipeline or `pipelines:`, iterations). The whole config is validated before the first job; every job's\n"
    "outputs go to WORK_DIR/context_infos.json after it finishes, numeric results to\n"
    "WORK_DIR/sandbox_metrics.jsonl. --resume (or `resume: true`) skips the jobs a previous run finished.\n"
    "results: the metrics store as a table (latest value per iteration/pipeline/job/key).\n"
    "hooks: the hooks, by DJ class name and snake name.\n"
    "probe: stats of every OP of the recipe, low/mid/high thirds per OP + a random third per seed, one probe\n"
    "model per pool and seed at equal compute (--parallel at a time, resumable), each pool's metric with a\n"
    "95% interval and its change vs. the random pool (paired t and sign-flip tests), OPs ranked by their\n"
    "best third, stat correlations and OP clusters; then recipes (top-1..top-k OPs and the best OP of each\n"
    "cluster: intersections of their best thirds at a common size), the scaling pyramid (repeat the top\n"
    "pool vs. add lower levels at equal compute, power-law fits), the refined Data-Juicer recipe applied to\n"
    "the full data, the transfer check (top and bottom pools re-run at --transfer-size, Spearman of the\n"
    "rankings) and pool diversity -> DIR/results.json and DIR/report.html. Rerunning resumes.\n"
    "--stratify-by FIELD takes the thirds within each value of FIELD and keeps each value's share in the\n"
    "random pools, so a stat cannot win by shifting the mix of sources, only by picking better samples.\n"
    "--executor slurm submits each phase's unfinished probe runs as one Slurm job array (sbatch --wait;\n"
    "script and logs in DIR/runs/slurm/, --parallel is the array throttle); a run's metrics.json is its\n"
    "completion marker, so rerunning resubmits only what did not finish (docs/distributed.md).\n";

int Run(const std::vector<std::string>& args) {
  std::string config, work_dir;
  bool resume = false, quiet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--resume") resume = true;
    else if (a == "--quiet" || a == "-q") quiet = true;
    else if ((a == "--work_dir" || a == "--work-dir") && i + 1 < args.size()) work_dir = args[++i];
    else if ((a == "--config" || a == "-c") && i + 1 < args.size()) config = args[++i];
    else if (a.rfind("--", 0) != 0 && config.empty()) config = a;
    else return ReportError(Status::InvalidArgument("sandbox run: unexpected argument '" + a + "'"));
  }
  if (config.empty()) return ReportError(Status::InvalidArgument("sandbox run: give the sandbox config (YAML)"));
  const auto& hooks = sandbox::BuiltinHooks();
  auto root = sandbox::LoadYamlFile(config);
  if (!root.ok()) return ReportError(root.status());
  if (!work_dir.empty() && root->is_object()) (*root)["work_dir"] = work_dir;
  auto cfg = sandbox::ParseSandboxConfig(*root, config, hooks);
  if (!cfg.ok()) return ReportError(cfg.status());
  if (resume) cfg->resume = true;
  sandbox::RunOptions opts;
  opts.quiet = quiet;
  auto res = sandbox::RunSandbox(*cfg, hooks, opts);
  if (!res.ok()) return ReportError(res.status());
  return 0;
}

std::string Cell(const sandbox::Json& v) {
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
    return buf;
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

int Results(const std::vector<std::string>& args) {
  std::string dir, key_filter, format = "table";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--key" && i + 1 < args.size()) key_filter = args[++i];
    else if (a == "--format" && i + 1 < args.size()) format = args[++i];
    else if (a.rfind("--", 0) != 0 && dir.empty()) dir = a;
    else return ReportError(Status::InvalidArgument("sandbox results: unexpected argument '" + a + "'"));
  }
  if (dir.empty()) return ReportError(Status::InvalidArgument("sandbox results: give the sandbox work_dir"));
  if (format != "table" && format != "csv" && format != "jsonl") {
    return ReportError(Status::InvalidArgument("sandbox results: --format is table, csv or jsonl"));
  }
  const std::string path = (fs::path(dir) / sandbox::kMetricsFile).string();
  std::ifstream in(path);
  if (!in) return ReportError(Status::NotFound(path + ": no metrics store (has a sandbox run finished a job there?)"));
  // The latest row per (iter, pipeline, job, key): a resumed job that reran replaces its earlier rows.
  std::vector<std::string> order;
  std::map<std::string, sandbox::Json> rows;
  size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty()) continue;
    auto row = sandbox::Json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object()) {
      return ReportError(Status::DataError(path + ":" + std::to_string(line_no) + ": not a JSON object"));
    }
    const std::string key = row.value("key", std::string());
    if (!key_filter.empty() && key.find(key_filter) == std::string::npos) continue;
    const std::string id = std::to_string(row.value("iter", 0)) + "\x1f" + row.value("pipeline", std::string()) + "\x1f" +
                           row.value("meta_name", std::string()) + "\x1f" + key;
    if (!rows.count(id)) order.push_back(id);
    rows[id] = std::move(row);
  }
  const char* cols[] = {"iter", "pipeline", "meta_name", "key", "value"};
  std::vector<std::vector<std::string>> table;
  for (const auto& id : order) {
    std::vector<std::string> r;
    for (const char* c : cols) r.push_back(Cell(rows[id].value(c, sandbox::Json(""))));
    table.push_back(std::move(r));
  }
  if (format == "jsonl") {
    for (const auto& id : order) std::printf("%s\n", rows[id].dump().c_str());
    return 0;
  }
  if (format == "csv") {
    std::printf("iter,pipeline,meta_name,key,value\n");
    for (const auto& r : table) {
      for (size_t i = 0; i < r.size(); ++i) {
        std::string cell = r[i];
        if (cell.find_first_of(",\"\n") != std::string::npos) {
          std::string q = "\"";
          for (char ch : cell) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
          cell = q + "\"";
        }
        std::printf("%s%s", i ? "," : "", cell.c_str());
      }
      std::printf("\n");
    }
    return 0;
  }
  std::vector<size_t> width(5, 0);
  for (size_t i = 0; i < 5; ++i) width[i] = std::strlen(cols[i]);
  for (const auto& r : table) {
    for (size_t i = 0; i < 5; ++i) width[i] = std::max(width[i], r[i].size());
  }
  auto print_row = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < 5; ++i) std::printf("%-*s%s", static_cast<int>(width[i]), r[i].c_str(), i + 1 < 5 ? "  " : "\n");
  };
  print_row({cols[0], cols[1], cols[2], cols[3], cols[4]});
  for (const auto& r : table) print_row(r);
  return 0;
}

int Hooks() {
  for (const auto& h : sandbox::BuiltinHooks().all()) {
    std::printf("%-34s %-34s\n    %s\n    returns: %s\n", h.dj_class.c_str(), h.name.c_str(), h.doc.c_str(),
                h.outputs.c_str());
  }
  return 0;
}

int Probe(const std::vector<std::string>& args) {
  sandbox::ProbeLoopOptions o;
  std::string executor = "local", slurm_flag;
  dist::SlurmOptions slurm;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
    const std::string* v = nullptr;
    if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (a == "--lower-is-better") {
      o.lower_is_better = true;
    } else if ((a == "--executor" || a == "--slurm-partition" || a == "--slurm-time" || a == "--slurm-mem" ||
                a == "--slurm-cpus" || a == "--slurm-arg" || a == "--sbatch") &&
               (v = value()) != nullptr) {
      if (a == "--executor") {
        if (*v != "local" && *v != "slurm")
          return ReportError(Status::InvalidArgument("--executor: expected local or slurm, got '" + *v + "'"));
        executor = *v;
        continue;
      }
      slurm_flag = a;
      if (a == "--slurm-partition") slurm.partition = *v;
      else if (a == "--slurm-time") slurm.time = *v;
      else if (a == "--slurm-mem") slurm.mem = *v;
      else if (a == "--slurm-arg") slurm.extra.push_back(*v);
      else if (a == "--sbatch") slurm.sbatch = *v;
      else {
        char* end = nullptr;
        const long n = std::strtol(v->c_str(), &end, 10);
        if (end == v->c_str() || *end != '\0' || n < 1)
          return ReportError(Status::InvalidArgument("--slurm-cpus: expected a positive integer, got '" + *v + "'"));
        slurm.cpus_per_task = static_cast<int>(n);
      }
    } else if ((a == "--data" || a == "--task" || a == "--ops" || a == "--out" || a == "--eval" || a == "--metric" ||
                a == "--size" || a == "--set" || a == "--seeds" || a == "--parallel" || a == "--steps" || a == "--batch-size" ||
                a == "--top-k" || a == "--min-pool" || a == "--scale-factors" || a == "--transfer-size" ||
                a == "--transfer-pools" || a == "--skip" || a == "--stratify-by") &&
               (v = value()) != nullptr) {
      if (a == "--data") o.data = *v;
      else if (a == "--task") o.task = *v;
      else if (a == "--ops") o.ops = *v;
      else if (a == "--out") o.out = *v;
      else if (a == "--eval") o.eval.push_back(*v);
      else if (a == "--metric") o.metric = *v;
      else if (a == "--size") o.size = *v;
      else if (a == "--set") o.set.push_back(*v);
      else if (a == "--transfer-size") o.transfer_size = *v;
      else if (a == "--stratify-by") o.stratify_by = *v;
      else if (a == "--skip" || a == "--scale-factors") {
        std::vector<double> factors;
        std::vector<std::string> names;
        size_t start = 0;
        while (start <= v->size()) {
          const size_t comma = std::min(v->find(',', start), v->size());
          const std::string item = v->substr(start, comma - start);
          start = comma + 1;
          if (item.empty()) continue;
          if (a == "--skip") {
            names.push_back(item);
            continue;
          }
          char* end = nullptr;
          const double f = std::strtod(item.c_str(), &end);
          if (end == item.c_str() || *end != '\0' || !(f > 0)) {
            return ReportError(Status::InvalidArgument("--scale-factors: expected positive numbers like 1,2,4, got '" + *v + "'"));
          }
          factors.push_back(f);
        }
        if (a == "--skip") o.skip = names;
        else o.scale_factors = factors;
      } else {
        char* end = nullptr;
        const long n = std::strtol(v->c_str(), &end, 10);
        if (end == v->c_str() || *end != '\0' || n < 0) {
          return ReportError(Status::InvalidArgument(a + ": expected a non-negative integer, got '" + *v + "'"));
        }
        if (a == "--seeds") o.seeds = static_cast<int>(n);
        else if (a == "--parallel") o.parallel = static_cast<int>(n);
        else if (a == "--steps") o.steps = static_cast<int>(n);
        else if (a == "--top-k") o.top_k = static_cast<int>(n);
        else if (a == "--min-pool") o.min_pool = static_cast<int>(n);
        else if (a == "--transfer-pools") o.transfer_pools = static_cast<int>(n);
        else o.batch_size = static_cast<int>(n);
      }
    } else {
      return ReportError(Status::InvalidArgument("sandbox probe: unexpected argument '" + a + "'"));
    }
  }
  if (o.data.empty() || o.ops.empty() || o.out.empty()) {
    return ReportError(Status::InvalidArgument("sandbox probe: --data, --ops and --out are required"));
  }
  if (executor == "slurm") {
    slurm.max_parallel = o.parallel;
    o.slurm = slurm;
  } else if (!slurm_flag.empty()) {
    return ReportError(Status::InvalidArgument("sandbox probe: " + slurm_flag + " needs --executor slurm"));
  }
  auto res = sandbox::RunProbeLoop(o);
  if (!res.ok()) return ReportError(res.status());
  std::printf("%-4s %-28s %-5s %10s %22s %9s %9s\n", "rank", "OP stat", "third", "change", "95% CI", "p(t)", "p(flip)");
  int rank = 0;
  for (const auto& r : (*res)["ranking"]) {
    const auto& v = r["vs_random"];
    auto num = [](const sandbox::Json& x) { return x.is_number() ? x.get<double>() : NAN; };
    const int third = r["third"].get<int>();
    std::printf("%-4d %-28s %-5s %+9.1f%% [%+8.1f%%, %+8.1f%%] %9.3g %9.3g\n", ++rank,
                r["stat"].get<std::string>().c_str(), third == 0 ? "low" : third == 1 ? "mid" : "high",
                100 * num(v["rel_change"]), 100 * num(v["rel_ci95"][0]), 100 * num(v["rel_ci95"][1]),
                num(v["p_paired_t"]), num(v["p_sign_flip"]));
  }
  const sandbox::Json& res_json = *res;
  if (res_json.contains("recipes") && res_json["recipes"].contains("recipes")) {
    std::printf("\nrecipes (each %zu samples):\n", res_json["recipes"].value("pool_size", size_t{0}));
    for (const auto& r : res_json["recipes"]["recipes"]) {
      if (!r.value("trained", false)) continue;
      std::string ops;
      for (const auto& op : r["ops"]) ops += (ops.empty() ? "" : " + ") + op["stat"].get<std::string>() + " " + op["third_name"].get<std::string>();
      std::printf("  %-18s %+8.1f%% vs random (p %.3g)  %s\n", r["name"].get<std::string>().c_str(),
                  100 * r["vs_random"]["rel_change"].get<double>(), r["vs_random"]["p_paired_t"].is_number() ? r["vs_random"]["p_paired_t"].get<double>() : NAN,
                  ops.c_str());
    }
  }
  if (res_json.contains("scaling") && res_json["scaling"].contains("verdict")) {
    std::printf("\nscaling: %s\n", res_json["scaling"]["verdict"].get<std::string>().c_str());
  }
  if (res_json.contains("transfer")) {
    const auto& t = res_json["transfer"];
    std::printf("\ntransfer %s -> %s: Spearman rho %.3f over %zu pools (exact p %.3g)\n", t["from_size"].get<std::string>().c_str(),
                t["size"].get<std::string>().c_str(), t["spearman"].is_number() ? t["spearman"].get<double>() : NAN,
                t["n"].get<size_t>(), t["p"].is_number() ? t["p"].get<double>() : NAN);
  }
  if (res_json.contains("refined_recipe") && res_json["refined_recipe"].contains("applied")) {
    const auto& r = res_json["refined_recipe"];
    std::printf("\nrefined recipe: %s (keeps %zu of %zu samples: %s)\n", r["path"].get<std::string>().c_str(),
                r["applied"]["kept"].get<size_t>(), r["applied"]["total"].get<size_t>(),
                r["applied"]["export_path"].get<std::string>().c_str());
  }
  std::printf("\nresults: %s/results.json\nreport: %s/report.html\n", o.out.c_str(), o.out.c_str());
  return 0;
}

}  // namespace

int CmdSandbox(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "run") return Run(rest);
  if (args[0] == "results") return Results(rest);
  if (args[0] == "hooks") return Hooks();
  if (args[0] == "probe") return Probe(rest);
  return ReportError(Status::InvalidArgument("sandbox: unknown subcommand '" + args[0] + "' (run, results, hooks)"));
}

}  // namespace juicer
