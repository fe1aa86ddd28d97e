#include <cstdio>
#include <cstring>

#include "cli/commands.h"
#include "cli/torch_module.h"

namespace juicer {

namespace {
const char* kUsage =
    "juicer: a C++ data-processing sandbox that runs Data-Juicer recipes\n"
    "\n"
    "usage: juicer <command> [options]\n"
    "\n"
    "commands:\n"
    "  process --config R.yaml   run a recipe: filters, mappers, dedup, selectors -> export_path\n"
    "  analyze --config R.yaml   compute every filter's stats (no filtering) -> work_dir/analysis/\n"
    "  ops [NAME | --list]       list the operators, or document one\n"
    "  demo [--out DIR]          build the bundled demo dataset, process and analyze it\n"
    "  datasets list|build NAME  build benchmark datasets from real Debian/npm data\n"
    "  lm train|score            n-gram language models (perplexity_filter): train on a corpus, score text\n"
    "  sandbox run CONFIG.yaml   run a Data-Juicer sandbox config (probe/refine/execute/evaluate jobs)\n"
    "  sandbox results WORK_DIR  the sandbox's metrics store as a table\n"
    "  train --task T --data POOL --out DIR   train a probe model (clip, caption, lm) on the CPU\n"
    "  eval --model DIR --data EVAL           evaluate a probe model -> metrics.json\n"
    "  baseline --task T --train POOL --data EVAL   nearest-neighbour caption / unigram LM baselines\n"
    "  encode --model DIR --data DATA --out F clip image/text embeddings of a trained model\n"
    "\n"
    "`juicer <command> --help` shows a command's options.\n";
}  // namespace

int RunCli(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "process") return CmdProcess(args, false);
  if (cmd == "analyze") return CmdProcess(args, true);
  if (cmd == "ops") return CmdOps(args);
  if (cmd == "demo") return CmdDemo(args);
  if (cmd == "datasets") return CmdDatasets(args);
  if (cmd == "lm") return CmdLm(args);
  if (cmd == "sandbox") return CmdSandbox(args);
  if (cmd == "train" || cmd == "eval" || cmd == "baseline" || cmd == "encode") {
    return RunTorchCommand(argc, argv);
  }
  std::fprintf(stderr, "juicer: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
  return 2;
}

}  // namespace juicer
