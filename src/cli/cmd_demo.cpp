// `juicer demo`: the main job on an embedded default: the Probe -> Analyze -> Refine loop (`juicer
// sandbox probe`) with the clip task on the `demo` image-text dataset and the bundled OP list
// (configs/probe-demo.yaml, compiled in), ending with report.html.
// `juicer demo --text`: the text pipeline demo. Builds a dataset from real text every Debian system has
// (the licence texts in /usr/share/common-licenses, split into paragraphs) plus planted noise (exact and
// near duplicates, symbol spam, fragments), then processes and analyzes it with the bundled recipe
// (configs/demo-recipe.yaml, compiled in).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <cmath>
#include <algorithm>
#include <sstream>

#include "cli/commands.h"
#include "core/dataset_writer.h"
#include "core/json_text.h"
#include "core/recipe.h"
#include "exec/executor.h"
#include "ops/builtin.h"
#include "sandbox/juicer_exe.h"
#include "sandbox/probe_loop.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {

const char* kDemoRecipe =
#include "cli/demo_recipe.inc"
    ;

const char* kProbeDemoRecipe =
#include "cli/probe_demo_recipe.inc"
    ;

// Used when /usr/share/common-licenses is missing (not a Debian system).
const char* kFallbackParagraphs[] = {
    "Data processing recipes decide which samples a model learns from, so each filter should be checked "
    "against the model it is meant to help before a long training run.",
    "A probe model trained on a small pool of data shows, at low cost, whether the pool helps or hurts "
    "compared with a random pool of the same size.",
    "Statistics such as text length, the ratio of alphanumeric characters and the share of special "
    "characters describe each sample and can be reused by several experiments.",
};

std::vector<std::string> Paragraphs() {
  std::vector<std::string> out;
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/share/common-licenses", ec))
    if (e.is_regular_file()) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line, para;
    auto flush = [&] {
      if (!para.empty()) out.push_back(para);
      para.clear();
    };
    while (std::getline(in, line)) {
      size_t a = line.find_first_not_of(" \t");
      if (a == std::string::npos) {
        flush();
        continue;
      }
      line = line.substr(a);
      para += (para.empty() ? "" : " ") + line;
    }
    flush();
  }
  if (out.empty())
    for (const char* p : kFallbackParagraphs) out.push_back(p);
  return out;
}

std::string BuildDemoData(std::mt19937_64& rng, size_t* count) {
  std::vector<std::string> paras = Paragraphs();
  std::string text;
  size_t id = 0;
  auto emit = [&](const std::string& t, const char* kind) {
    text += "{\"id\":" + std::to_string(id++) + ",\"text\":";
    AppendJsonString(t, &text);
    text += ",\"meta\":{\"planted\":";
    AppendJsonString(kind, &text);
    text += "}}\n";
  };
  const char* junk = "#$%&*@!~^|<>{}[]=+_\\/";
  for (size_t i = 0; i < paras.size(); ++i) {
    emit(paras[i], "none");
    const uint64_t r = rng() % 100;
    if (r < 10) emit(paras[i], "exact-duplicate");
    else if (r < 15) {
      std::string t = paras[i];
      for (auto& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      emit(t + " ", "case-duplicate");
    } else if (r < 22) {
      std::string t;
      for (int k = 0; k < 60; ++k) t.push_back(junk[rng() % 21]);
      emit(t + " " + paras[i].substr(0, 40), "symbol-spam");
    } else if (r < 28) {
      emit(paras[i].substr(0, 12 + rng() % 12), "fragment");
    }
  }
  *count = id;
  return text;
}

}  // namespace

int ProbeDemo(const std::string& out_dir, int seeds, int steps) {
  const std::string data_dir = out_dir + "/data";
  if (!fs::exists(data_dir + "/train.jsonl")) {
    std::fprintf(stderr, "juicer demo: building the demo dataset (emoji + Tux Paint stamps) in %s\n", data_dir.c_str());
    std::error_code ec;
    fs::remove_all(data_dir, ec);
    fs::create_directories(out_dir, ec);
    Status s = sandbox::RunJuicer({"datasets", "build", "demo", "--out", data_dir}, out_dir + "/datasets.log");
    if (!s.ok()) {
      return ReportError(s.WithContext("juicer demo: the demo dataset needs the Debian packages scripts/setup.sh "
                                       "installs (fonts-noto-color-emoji unicode-data unicode-cldr-core "
                                       "tuxpaint-stamps-default): "));
    }
  }
  const std::string ops = out_dir + "/probe-recipe.yaml";
  Status s = WriteFileAtomic(ops, kProbeDemoRecipe);
  if (!s.ok()) return ReportError(s);
  sandbox::ProbeLoopOptions o;
  o.data = data_dir + "/train.jsonl";
  o.task = "clip";
  o.ops = ops;
  o.out = out_dir + "/probe";
  o.seeds = seeds;
  o.parallel = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
  o.steps = steps;
  std::fprintf(stderr,
               "juicer demo: Probe -> Analyze -> Refine with clip xs probes (%d steps, %d seeds per pool) on %s\n",
               steps, seeds, o.data.c_str());
  auto res = sandbox::RunProbeLoop(o);
  if (!res.ok()) return ReportError(res.status());
  std::printf("OP ranking (best third vs random, %s):\n", (*res)["metric"].get<std::string>().c_str());
  int rank = 0;
  for (const auto& r : (*res)["ranking"]) {
    const int third = r["third"].get<int>();
    const auto& v = r["vs_random"];
    std::printf("  %d. %-24s %-4s %+7.1f%%  (p %.3g)\n", ++rank, r["stat"].get<std::string>().c_str(),
                third == 0 ? "low" : third == 1 ? "mid" : "high", 100 * v["rel_change"].get<double>(),
                v["p_paired_t"].is_number() ? v["p_paired_t"].get<double>() : NAN);
  }
  if (res->contains("scaling") && (*res)["scaling"].contains("verdict")) {
    std::printf("scaling: %s\n", (*res)["scaling"]["verdict"].get<std::string>().c_str());
  }
  if (res->contains("refined_recipe") && (*res)["refined_recipe"].contains("path")) {
    std::printf("refined recipe: %s\n", (*res)["refined_recipe"]["path"].get<std::string>().c_str());
  }
  std::printf("results:        %s/results.json\n", o.out.c_str());
  std::printf("report:         %s/report.html\n", o.out.c_str());
  return 0;
}

int CmdDemo(const std::vector<std::string>& args) {
  std::string out_dir = "juicer-demo";
  bool text = false;
  int seeds = 3, steps = 100;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::printf(
          "usage: juicer demo [--out DIR] [--seeds 3] [--steps 100]\n"
          "       juicer demo --text [--out DIR]\n\n"
          "Runs the Probe -> Analyze -> Refine loop (juicer sandbox probe) on the `demo` image-text dataset\n"
          "(emoji + Tux Paint stamps, built into DIR/data) with clip probes and the OPs of the bundled list\n"
          "(configs/probe-demo.yaml): stats, single-OP pools, probes per pool and seed, ranking with\n"
          "intervals, OP clusters, recipes, scaling, the refined recipe, the transfer check and\n"
          "DIR/probe/report.html. Rerunning resumes. About 10-15 minutes on 2 cores.\n\n"
          "--text: the text pipeline demo instead: a dataset from the licence texts in\n"
          "/usr/share/common-licenses plus planted duplicates, symbol spam and fragments, processed and\n"
          "analyzed with the bundled recipe. Everything goes under DIR (default ./juicer-demo).\n");
      return 0;
    }
    if (args[i] == "--out" && i + 1 < args.size()) out_dir = args[++i];
    else if (args[i] == "--text") text = true;
    else if ((args[i] == "--seeds" || args[i] == "--steps") && i + 1 < args.size()) {
      const std::string& v = args[++i];
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || n < 1) {
        return ReportError(Status::InvalidArgument(args[i - 1] + ": expected a positive integer, got '" + v + "'"));
      }
      (args[i - 1] == "--seeds" ? seeds : steps) = static_cast<int>(n);
    } else {
      return ReportError(Status::InvalidArgument("unexpected argument '" + args[i] + "' (see juicer demo --help)"));
    }
  }
  if (!text) return ProbeDemo(out_dir, seeds, steps);
  std::mt19937_64 rng(42);
  size_t n = 0;
  const std::string data = BuildDemoData(rng, &n);
  const std::string data_path = out_dir + "/demo.jsonl";
  const std::string recipe_path = out_dir + "/recipe.yaml";
  Status s = WriteFileAtomic(data_path, data);
  if (s.ok()) {
    std::string recipe = kDemoRecipe;
    recipe += "\ndataset_path: " + data_path + "\nexport_path: " + out_dir + "/processed/demo.jsonl\n";
    s = WriteFileAtomic(recipe_path, recipe);
  }
  if (!s.ok()) return ReportError(s);
  std::fprintf(stderr, "juicer demo: %zu samples in %s, recipe %s\n", n, data_path.c_str(), recipe_path.c_str());
  auto recipe = LoadRecipeFile(recipe_path, {}, BuiltinRegistry());
  if (!recipe.ok()) return ReportError(recipe.status());
  RunOptions ro;
  auto sum = RunRecipe(*recipe, RunMode::kProcess, ro);
  if (!sum.ok()) return ReportError(sum.status());
  std::fputs(FormatSummary(*sum).c_str(), stderr);
  Recipe ana = *recipe;
  ana.export_path = out_dir + "/analyzed/demo.jsonl";
  ana.work_dir = out_dir + "/analyzed";
  auto asum = RunRecipe(ana, RunMode::kAnalyze, ro);
  if (!asum.ok()) return ReportError(asum.status());
  std::printf("demo dataset:   %s (%zu samples)\n", data_path.c_str(), n);
  std::printf("recipe:         %s\n", recipe_path.c_str());
  for (const auto& o : sum->outputs)
    std::printf("processed:      %s (%llu samples kept)\n", o.c_str(), static_cast<unsigned long long>(sum->samples_out));
  std::printf("stats:          %s\n", sum->stats_path.c_str());
  if (!sum->trace_dir.empty()) std::printf("trace:          %s/\n", sum->trace_dir.c_str());
  std::printf("analysis:       %s/index.html (overall.csv, overall.md, histograms, box plots, correlations)\n",
              asum->analysis_dir.c_str());
  return 0;
}

}  // namespace juicer
