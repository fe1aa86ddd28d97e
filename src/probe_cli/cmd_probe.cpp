// `juicer train | eval | baseline | encode`: the probe models.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/report.h"
#include "probe/probe.h"

namespace juicer {

namespace {

const char* kTrainHelp =
    "usage: juicer train --task clip|caption|lm --data POOL --out DIR [--size xs|s|m] [--config model.yaml]\n"
    "                    [--seed N] [--threads N] [--steps N] [--batch-size N] [--set key=value ...] [--resume]\n"
    "\n"
    "Trains a probe model on POOL in-process on the CPU. The compute budget is steps x batch_size samples\n"
    "whatever the pool size (small pools are repeated), so pools are compared at equal cost.\n"
    "Writes DIR/model.pt, config.json, tokenizer/, curve.csv, curve.svg and train.json; checkpoints go\n"
    "to DIR/checkpoint/ and --resume continues from there. Model keys: see docs/probes.md.\n";
const char* kEvalHelp =
    "usage: juicer eval --model DIR --data EVAL.jsonl [--data EVAL2.jsonl ...] [--task T] [--out metrics.json]\n"
    "                   [--threads N] [--set beam_size=N|max_new_tokens=N|eval_batch=N]\n"
    "\n"
    "clip: zero-shot accuracy (data with task/label fields) or image<->text retrieval R@1/5/10;\n"
    "caption: BLEU-1..4, CIDEr-D, caption perplexity, sample captions; lm: perplexity and bits per byte.\n"
    "Writes DIR/metrics.json (or --out) with one section per eval set.\n";
const char* kBaselineHelp =
    "usage: juicer baseline --task caption|lm --train POOL --data EVAL.jsonl [--model DIR] [--out F] [--threads N]\n"
    "\n"
    "caption: nearest-neighbour caption (closest training image in pixel space) and a random training\n"
    "caption; lm: add-one unigram model with the tokenizer of --model.\n";
const char* kEncodeHelp =
    "usage: juicer encode --model CLIP_DIR --data DATA --out EMB.bin [--limit N] [--threads N]\n"
    "\n"
    "Image and text embeddings of a trained clip model: int32 n, int32 dim, n image rows, n text rows (float32).\n";

struct Flags {
  std::map<std::string, std::vector<std::string>> values;
  std::map<std::string, bool> switches;
  std::string Get(const std::string& k, const std::string& def = "") const {
    auto it = values.find(k);
    return it == values.end() ? def : it->second.back();
  }
};

// --flag VALUE pairs from `valued`, bare --flags from `bare`; anything else is an error.
Result<Flags> ParseFlags(const std::vector<std::string>& args, const std::vector<std::string>& valued,
                         const std::vector<std::string>& bare, const char* cmd) {
  Flags f;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (std::find(bare.begin(), bare.end(), a) != bare.end()) {
      f.switches[a] = true;
    } else if (std::find(valued.begin(), valued.end(), a) != valued.end()) {
      if (i + 1 >= args.size()) return Status::InvalidArgument(a + " needs a value (see juicer " + cmd + " --help)");
      f.values[a].push_back(args[++i]);
    } else {
      return Status::InvalidArgument("unknown argument '" + a + "' (see juicer " + cmd + " --help)");
    }
  }
  return f;
}

bool WantsHelp(const std::vector<std::string>& args, const char* help) {
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::fputs(help, stdout);
      return true;
    }
  return false;
}

Result<int> IntFlag(const Flags& f, const std::string& k, int def) {
  const std::string v = f.Get(k);
  if (v.empty()) return def;
  try {
    size_t pos = 0;
    const int x = std::stoi(v, &pos);
    if (pos == v.size() && x >= 0) return x;
  } catch (...) {
  }
  return Status::InvalidArgument(k + " expects a non-negative integer, got '" + v + "'");
}

Status RunTrain(const std::vector<std::string>& args) {
  JUICER_ASSIGN_OR_RETURN(Flags f, ParseFlags(args, {"--task", "--data", "--out", "--size", "--config", "--seed", "--threads",
                                                     "--steps", "--batch-size", "--set"},
                                              {"--resume", "--quiet"}, "train"));
  if (f.Get("--task").empty() || f.Get("--data").empty() || f.Get("--out").empty())
    return Status::InvalidArgument("train needs --task, --data and --out (see juicer train --help)");
  probe::TrainOptions o;
  JUICER_ASSIGN_OR_RETURN(o.cfg, probe::PresetConfig(f.Get("--task"), f.Get("--size", "xs")));
  if (!f.Get("--config").empty()) JUICER_RETURN_IF_ERROR(probe::ApplyConfigFile(&o.cfg, f.Get("--config")));
  const std::pair<const char*, const char*> direct[] = {
      {"--seed", "seed"}, {"--threads", "threads"}, {"--steps", "steps"}, {"--batch-size", "batch_size"}};
  for (const auto& [flag, key] : direct) {
    if (!f.Get(flag).empty()) JUICER_RETURN_IF_ERROR(probe::SetConfigKey(&o.cfg, key, f.Get(flag)));
  }
  if (f.values.count("--set")) {
    for (const auto& kv : f.values.at("--set")) {
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) return Status::InvalidArgument("--set expects key=value, got '" + kv + "'");
      JUICER_RETURN_IF_ERROR(probe::SetConfigKey(&o.cfg, kv.substr(0, eq), kv.substr(eq + 1)));
    }
  }
  if (o.cfg.task != f.Get("--task"))
    return Status::InvalidArgument("the model config sets task '" + o.cfg.task + "' but --task is " + f.Get("--task"));
  o.data = f.Get("--data");
  o.out = f.Get("--out");
  o.resume = f.switches.count("--resume") > 0;
  o.progress = f.switches.count("--quiet") == 0;
  return probe::TrainProbe(o);
}

Status RunEval(const std::vector<std::string>& args) {
  JUICER_ASSIGN_OR_RETURN(Flags f,
                          ParseFlags(args, {"--task", "--model", "--data", "--out", "--threads", "--set"}, {}, "eval"));
  probe::EvalOptions o;
  o.model = f.Get("--model");
  o.task = f.Get("--task");
  o.out = f.Get("--out");
  if (f.values.count("--data")) o.data = f.values.at("--data");
  if (f.values.count("--set")) {
    for (const auto& kv : f.values.at("--set")) {
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) return Status::InvalidArgument("--set expects key=value, got '" + kv + "'");
      o.overrides.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  if (o.model.empty() || o.data.empty()) return Status::InvalidArgument("eval needs --model and --data (see juicer eval --help)");
  JUICER_ASSIGN_OR_RETURN(o.threads, IntFlag(f, "--threads", 0));
  JUICER_ASSIGN_OR_RETURN(std::string metrics, probe::EvalProbe(o));
  std::fputs(metrics.c_str(), stdout);
  return Status::OK();
}

Status RunBaselineCmd(const std::vector<std::string>& args) {
  JUICER_ASSIGN_OR_RETURN(Flags f, ParseFlags(args, {"--task", "--train", "--data", "--model", "--out", "--threads"}, {},
                                              "baseline"));
  probe::BaselineOptions o;
  o.task = f.Get("--task");
  o.train = f.Get("--train");
  o.model = f.Get("--model");
  o.out = f.Get("--out");
  if (f.values.count("--data")) o.data = f.values.at("--data");
  JUICER_ASSIGN_OR_RETURN(o.threads, IntFlag(f, "--threads", 1));
  JUICER_ASSIGN_OR_RETURN(std::string metrics, probe::RunBaseline(o));
  std::fputs(metrics.c_str(), stdout);
  return Status::OK();
}

Status RunEncode(const std::vector<std::string>& args) {
  JUICER_ASSIGN_OR_RETURN(Flags f, ParseFlags(args, {"--model", "--data", "--out", "--limit", "--threads"}, {}, "encode"));
  if (f.Get("--model").empty() || f.Get("--data").empty() || f.Get("--out").empty())
    return Status::InvalidArgument("encode needs --model, --data and --out (see juicer encode --help)");
  JUICER_ASSIGN_OR_RETURN(int limit, IntFlag(f, "--limit", 0));
  JUICER_ASSIGN_OR_RETURN(int threads, IntFlag(f, "--threads", 0));
  return probe::EncodeClip(f.Get("--model"), f.Get("--data"), limit, f.Get("--out"), threads);
}

}  // namespace

int CmdProbe(const std::string& cmd, const std::vector<std::string>& args) {
  const char* help = cmd == "train" ? kTrainHelp : cmd == "eval" ? kEvalHelp : cmd == "baseline" ? kBaselineHelp : kEncodeHelp;
  if (WantsHelp(args, help)) return 0;
  Status st = cmd == "train" ? RunTrain(args) : cmd == "eval" ? RunEval(args) : cmd == "baseline" ? RunBaselineCmd(args)
                                                                                                  : RunEncode(args);
  return st.ok() ? 0 : ReportError(st);
}

}  // namespace juicer

// The module's entry point, found with dlsym by `juicer` (src/cli/torch_module.cpp): argv is the
// whole command line, argv[1] one of train|eval|baseline|encode.
extern "C" __attribute__((visibility("default"))) int juicer_torch_main(int argc, char** argv) {
  if (argc < 2) return 2;
  juicer::probe::PrepareProcessForTorch(argc, argv);
  return juicer::CmdProbe(argv[1], std::vector<std::string>(argv + 2, argv + argc));
}
