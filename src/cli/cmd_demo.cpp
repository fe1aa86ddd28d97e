// `juicer demo`: the main job on an embedded default. Builds a demo dataset from real text every
// Debian system has (the licence texts in /usr/share/common-licenses, split into paragraphs) plus
// planted noise (exact and near duplicates, symbol spam, fragments), then processes and analyzes it
// with the bundled recipe (configs/demo-recipe.yaml, compiled in).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "cli/commands.h"
#include "core/dataset_writer.h"
#include "core/json_text.h"
#include "core/recipe.h"
#include "exec/executor.h"
#include "ops/builtin.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {

const char* kDemoRecipe =
#include "cli/demo_recipe.inc"
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

int CmdDemo(const std::vector<std::string>& args) {
  std::string out_dir = "juicer-demo";
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::printf(
          "usage: juicer demo [--out DIR]\n\n"
          "Builds the demo dataset (paragraphs of the licence texts in /usr/share/common-licenses plus\n"
          "planted duplicates, symbol spam and fragments), writes the bundled recipe, then runs\n"
          "`juicer process` and `juicer analyze` on it. Everything goes under DIR (default ./juicer-demo).\n");
      return 0;
    }
    if (args[i] == "--out" && i + 1 < args.size()) out_dir = args[++i];
    else return ReportError(Status::InvalidArgument("unexpected argument '" + args[i] + "' (see juicer demo --help)"));
  }
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
