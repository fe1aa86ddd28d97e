#include <cstdio>
#include <cstring>

#include "cli/commands.h"
#include "core/recipe.h"
#include "dist/mpi_group.h"
#include "exec/executor.h"
#include "exec/run_group.h"
#include "ops/builtin.h"

namespace juicer {

namespace {
const char* kProcessHelp =
    "usage: juicer %s --config RECIPE.yaml [--KEY VALUE ...] [--quiet]\n"
    "\n"
    "%s\n"
    "\n"
    "options:\n"
    "  --config PATH   Data-Juicer recipe (YAML); also accepted as the first positional argument\n"
    "  --KEY VALUE     override a top-level recipe key, e.g. --export_path out.jsonl --np 2\n"
    "                  (VALUE is read as YAML: 2 is an int, true a bool)\n"
    "  --quiet         no progress lines\n"
    "\n"
    "Started by mpirun (mpirun -n N juicer %s ...), every rank processes a byte range of the input and\n"
    "writes <stem>-rankR-of-N files; <stem>.manifest.json lists them in dataset order (docs/distributed.md).\n";

// One rank's error ends the whole MPI job (the other ranks would wait for it forever).
int FailRank(RunGroup* group, const Status& st) {
  if (group == nullptr) return ReportError(st);
  std::fprintf(stderr, "juicer (rank %d of %d): ", group->rank(), group->size());
  const int code = ReportError(st);
  if (group->size() > 1) dist::AbortMpiJob(code == 0 ? 1 : code);
  return code;
}
}  // namespace

int CmdProcess(const std::vector<std::string>& args, bool analyze) {
  const char* name = analyze ? "analyze" : "process";
  const char* what = analyze ? "Runs the recipe's filters in stats-only mode: every sample is kept and exported with\n"
                               "its stats; work_dir/analysis/ gets overall.csv/.md, histograms, box plots and the\n"
                               "correlation matrix of the stats (index.html shows them all)."
                             : "Streams the dataset through the recipe's ops with np threads and writes export_path\n"
                               "(+ <stem>_stats.jsonl). Input order is preserved.";
  std::string config;
  Overrides overrides;
  bool quiet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::printf(kProcessHelp, name, what, name);
      return 0;
    }
    if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--config" || a == "-c") {
      if (i + 1 >= args.size()) return ReportError(Status::InvalidArgument("--config needs a path"));
      config = args[++i];
    } else if (a.rfind("--", 0) == 0) {
      std::string key = a.substr(2), value;
      const size_t eq = key.find('=');
      if (eq != std::string::npos) {
        value = key.substr(eq + 1);
        key = key.substr(0, eq);
      } else {
        if (i + 1 >= args.size()) return ReportError(Status::InvalidArgument(a + " needs a value"));
        value = args[++i];
      }
      if (key == "config") config = value;
      else overrides.emplace_back(key, value);
    } else if (config.empty()) {
      config = a;
    } else {
      return ReportError(Status::InvalidArgument("unexpected argument '" + a + "'"));
    }
  }
  if (config.empty()) {
    std::fprintf(stderr, kProcessHelp, name, what, name);
    return 2;
  }
  std::unique_ptr<RunGroup> group;
  if (dist::LaunchedAsMpiRank()) {
    auto g = dist::JoinMpiGroup();
    if (!g.ok()) return ReportError(g.status());
    group = std::move(g).value();
  }
  auto recipe = LoadRecipeFile(config, overrides, BuiltinRegistry());
  if (!recipe.ok()) return FailRank(group.get(), recipe.status());
  const bool root = group == nullptr || group->rank() == 0;
  if (root)
    for (const auto& w : recipe->warnings) std::fprintf(stderr, "juicer: %s\n", w.c_str());
  RunOptions ro;
  ro.progress = !quiet;
  ro.group = group.get();
  auto sum = RunRecipe(*recipe, analyze ? RunMode::kAnalyze : RunMode::kProcess, ro);
  if (!sum.ok()) return FailRank(group.get(), sum.status());
  if (!root) {  // rank 0 reports for the job; the others name their own files only
    for (const auto& o : sum->outputs) std::fprintf(stderr, "output (rank %d): %s\n", group->rank(), o.c_str());
    return 0;
  }
  std::fputs(FormatSummary(*sum).c_str(), stderr);
  if (!sum->manifest_path.empty())
    std::fprintf(stderr, "manifest: %s (%d ranks; their output files in dataset order)\n", sum->manifest_path.c_str(),
                 sum->ranks);
  for (const auto& o : sum->outputs) std::fprintf(stderr, "output:   %s\n", o.c_str());
  if (!sum->stats_path.empty()) std::fprintf(stderr, "stats:    %s\n", sum->stats_path.c_str());
  if (!sum->rejected_path.empty())
    std::fprintf(stderr, "rejected: %s (%llu samples that failed; see the error in each line)\n",
                 sum->rejected_path.c_str(), static_cast<unsigned long long>(sum->rejected));
  if (!sum->trace_dir.empty()) std::fprintf(stderr, "trace:    %s/\n", sum->trace_dir.c_str());
  if (!sum->analysis_dir.empty())
    std::fprintf(stderr, "analysis: %s/ (open index.html)\n", sum->analysis_dir.c_str());
  return 0;
}

}  // namespace juicer
