// Model hooks: train / infer / evaluate with the built-in probe tasks (clip, caption, lm: `juicer train`,
// `juicer eval`, `juicer encode` as child processes) or any external program (`type: command`).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "sandbox/command.h"
#include "sandbox/hooks_impl.h"
#include "sandbox/juicer_exe.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

bool IsBuiltinTask(const std::string& t) { return t == "clip" || t == "caption" || t == "lm"; }

Result<std::string> ModelType(const HookCall& call, const char* hook) {
  if (!call.extra_cfg.is_object() || !call.extra_cfg.contains("type") || !call.extra_cfg["type"].is_string()) {
    return Status::InvalidArgument(std::string("extra_configs.type: ") + hook +
                                   " needs a model type: clip, caption, lm (built-in probe tasks) or command");
  }
  return call.extra_cfg["type"].get<std::string>();
}

// The first string among `keys` in extra_configs.
Result<std::string> StringKey(const Json& cfg, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (cfg.contains(k) && cfg[k].is_string()) return cfg[k].get<std::string>();
  }
  std::string names;
  for (const char* k : keys) names += (names.empty() ? "" : " or ") + std::string("extra_configs.") + k;
  return Status::InvalidArgument(names + " is required");
}

std::string ScalarText(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Passes --size/--steps/... through to juicer train/eval, and `set: {key: value}` as --set key=value.
void AppendOptions(const Json& cfg, const std::vector<std::pair<const char*, const char*>>& keys,
                   std::vector<std::string>* args) {
  for (const auto& [key, flag] : keys) {
    if (cfg.contains(key) && cfg[key].is_primitive() && !cfg[key].is_null()) {
      args->push_back(flag);
      args->push_back(ScalarText(cfg[key]));
    }
  }
  if (cfg.contains("set") && cfg["set"].is_object()) {
    for (auto it = cfg["set"].begin(); it != cfg["set"].end(); ++it) {
      args->push_back("--set");
      args->push_back(it.key() + "=" + ScalarText(*it));
    }
  }
}

std::vector<std::string> DataList(const Json& cfg, std::initializer_list<const char*> keys) {
  std::vector<std::string> out;
  for (const char* k : keys) {
    if (!cfg.contains(k)) continue;
    const Json& v = cfg[k];
    if (v.is_string()) out.push_back(v.get<std::string>());
    if (v.is_array()) {
      for (const auto& item : v) {
        if (item.is_string()) out.push_back(item.get<std::string>());
      }
    }
    if (!out.empty()) break;
  }
  return out;
}

Result<std::vector<Json>> RunCommandType(HookCall& call) {
  // The command's own keys; the rest of extra_configs (dataset_path, export_path, ...) only fills
  // {placeholders}.
  Json cmd = Json::object();
  for (const char* k : {"type", "argv", "env", "cwd", "timeout", "log_file", "metrics", "outputs"}) {
    if (call.extra_cfg.contains(k)) cmd[k] = call.extra_cfg[k];
  }
  if (!cmd.contains("log_file")) cmd["log_file"] = call.job_dir + "/command.log";
  JUICER_ASSIGN_OR_RETURN(Json res, RunCommandCapability(cmd, call.Vars()));
  if (res.contains("metrics")) (*call.watch)[call.job->meta_name] = res["metrics"];
  return std::vector<Json>{res};
}

}  // namespace

namespace {

// Flattens a string or a (nested) list of strings; false when something else is there.
bool FlattenPaths(const Json& v, std::vector<std::string>* out) {
  if (v.is_string()) {
    out->push_back(v.get<std::string>());
    return true;
  }
  if (!v.is_array()) return false;
  for (const auto& item : v) {
    if (!FlattenPaths(item, out)) return false;
  }
  return true;
}

Result<std::vector<std::string>> PathsKey(const Json& cfg, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (!cfg.contains(k)) continue;
    std::vector<std::string> out;
    if (!FlattenPaths(cfg[k], &out) || out.empty()) {
      return Status::InvalidArgument(std::string("extra_configs.") + k + ": expected a path or a list of paths");
    }
    return out;
  }
  std::string names;
  for (const char* k : keys) names += (names.empty() ? "" : " or ") + std::string("extra_configs.") + k;
  return Status::InvalidArgument(names + " is required");
}

std::string Stem(const std::string& path) {
  fs::path p(path);
  std::string stem = p.stem().string();
  if (fs::path(stem).extension() == ".jsonl") stem = fs::path(stem).stem().string();  // x.jsonl.zst
  return stem.empty() ? "pool" : stem;
}

}  // namespace

// Built-in tasks: one model per dataset; a list of pools (e.g. a data_pool_construction result) trains one
// model per pool at the same budget and returns the list of model directories in the same order.
Result<std::vector<Json>> TrainModelHook(HookCall& call) {
  JUICER_ASSIGN_OR_RETURN(std::string type, ModelType(call, "TrainModelHook"));
  if (type == "command") return RunCommandType(call);
  if (!IsBuiltinTask(type)) {
    return Status::Unavailable("extra_configs.type: no trainer '" + type + "' in juicer (built-in: clip, caption, lm; "
                               "run any other framework with type: command)");
  }
  JUICER_ASSIGN_OR_RETURN(std::vector<std::string> data, PathsKey(call.extra_cfg, {"dataset_path", "train_dataset", "meta_paths"}));
  const bool is_list = !call.extra_cfg.value("dataset_path", Json()).is_string() &&
                       !call.extra_cfg.value("train_dataset", Json()).is_string();
  std::string out_root = (fs::path(call.job_dir) / "model").string();
  for (const char* k : {"model_dir", "export_path"}) {
    if (call.extra_cfg.contains(k) && call.extra_cfg[k].is_string()) {
      out_root = call.extra_cfg[k].get<std::string>();
      break;
    }
  }
  Json models = Json::array();
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < data.size(); ++i) {
    const std::string out = is_list ? (fs::path(out_root) / (std::to_string(i) + "-" + Stem(data[i]))).string() : out_root;
    std::vector<std::string> args = {"train", "--task", type, "--data", data[i], "--out", out};
    AppendOptions(call.extra_cfg,
                  {{"size", "--size"}, {"model_size", "--size"}, {"config", "--config"}, {"seed", "--seed"},
                   {"threads", "--threads"}, {"steps", "--steps"}, {"batch_size", "--batch-size"}},
                  &args);
    if (call.extra_cfg.value("resume", false)) args.push_back("--resume");
    const std::string log = call.job_dir + "/train" + (is_list ? "-" + std::to_string(i) : std::string()) + ".log";
    if (call.log) {
      std::string eta;
      if (i > 0) {
        const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char buf[48];
        std::snprintf(buf, sizeof buf, ", ETA %.0f s", spent / i * (data.size() - i));
        eta = buf;
      }
      call.log("sandbox:   train " + type + " on " + data[i] + " (" + std::to_string(i + 1) + "/" +
               std::to_string(data.size()) + eta + ", log " + log + ")");
    }
    JUICER_RETURN_IF_ERROR(RunJuicer(args, log, call.extra_cfg.value("timeout", 0.0)));
    models.push_back(out);
  }
  return std::vector<Json>{is_list ? models : models[0]};
}

// Built-in tasks: `juicer eval` of one model (-> its metrics object) or of a list of models (-> the list
// of metrics objects, in order: what data_pool_ranking takes as `metrics`).
Result<std::vector<Json>> EvaluateModelHook(HookCall& call) {
  JUICER_ASSIGN_OR_RETURN(std::string type, ModelType(call, "EvaluateModelHook"));
  if (type == "command") return RunCommandType(call);
  if (!IsBuiltinTask(type)) {
    return Status::Unavailable("extra_configs.type: no evaluator '" + type + "' in juicer (built-in: clip, caption, lm; "
                               "run any other evaluator with type: command)");
  }
  JUICER_ASSIGN_OR_RETURN(std::vector<std::string> models, PathsKey(call.extra_cfg, {"model_path", "model_dir", "ckpt_paths"}));
  bool is_list = false;
  for (const char* k : {"model_path", "model_dir", "ckpt_paths"}) {
    if (call.extra_cfg.contains(k)) {
      is_list = call.extra_cfg[k].is_array();
      break;
    }
  }
  const std::vector<std::string> data = DataList(call.extra_cfg, {"eval_datasets", "dataset_path", "eval_dataset"});
  if (data.empty()) return Status::InvalidArgument("extra_configs.eval_datasets (or dataset_path): the evaluation data is required");
  Json all = Json::array();
  for (size_t i = 0; i < models.size(); ++i) {
    const std::string suffix = is_list ? "-" + std::to_string(i) : std::string();
    const std::string metrics = (fs::path(call.job_dir) / ("metrics" + suffix + ".json")).string();
    std::vector<std::string> args = {"eval", "--model", models[i], "--task", type, "--out", metrics};
    for (const auto& d : data) {
      args.push_back("--data");
      args.push_back(d);
    }
    AppendOptions(call.extra_cfg, {{"threads", "--threads"}}, &args);
    JUICER_RETURN_IF_ERROR(RunJuicer(args, call.job_dir + "/eval" + suffix + ".log", call.extra_cfg.value("timeout", 0.0)));
    JUICER_ASSIGN_OR_RETURN(Json m, LoadJsonFile(metrics));
    all.push_back(std::move(m));
  }
  Json result = is_list ? all : all[0];
  (*call.watch)[call.job->meta_name] = result;
  return std::vector<Json>{result};
}

namespace {
Result<std::string> InferBuiltin(HookCall& call, const std::string& type, const std::string& data) {
  if (type != "clip") {
    return Status::Unavailable("extra_configs.type: built-in inference exists for clip (image/text embeddings); for " +
                               type + " use EvaluateModelHook, or type: command");
  }
  JUICER_ASSIGN_OR_RETURN(std::string model, StringKey(call.extra_cfg, {"model_path", "model_dir"}));
  std::string out = (fs::path(call.job_dir) / "embeddings.bin").string();
  if (call.extra_cfg.contains("export_path") && call.extra_cfg["export_path"].is_string()) {
    out = call.extra_cfg["export_path"].get<std::string>();
  }
  std::vector<std::string> args = {"encode", "--model", model, "--data", data, "--out", out};
  AppendOptions(call.extra_cfg, {{"threads", "--threads"}, {"limit", "--limit"}}, &args);
  JUICER_RETURN_IF_ERROR(RunJuicer(args, call.job_dir + "/encode.log"));
  return out;
}
}  // namespace

Result<std::vector<Json>> InferModelHook(HookCall& call) {
  JUICER_ASSIGN_OR_RETURN(std::string type, ModelType(call, "InferModelHook"));
  if (type == "command") return RunCommandType(call);
  JUICER_ASSIGN_OR_RETURN(std::string data, StringKey(call.extra_cfg, {"dataset_path", "infer_dataset"}));
  JUICER_ASSIGN_OR_RETURN(std::string out, InferBuiltin(call, type, data));
  return std::vector<Json>{out};
}

// DJ: sample data_probe_ratio of the dataset (data_probe_algo: uniform = every k-th sample, random =
// seeded sample keeping input order) and run the model's inference on the sample.
Result<std::vector<Json>> ProbeViaModelInferHook(HookCall& call) {
  if (!call.dj_cfg.is_object() || !call.dj_cfg.contains("dataset_path") || !call.dj_cfg["dataset_path"].is_string()) {
    return Status::InvalidArgument("dj_configs.dataset_path: the data to probe is required");
  }
  JUICER_ASSIGN_OR_RETURN(std::string type, ModelType(call, "ProbeViaModelInferHook"));
  const std::string src = call.dj_cfg["dataset_path"].get<std::string>();
  const double ratio = call.dj_cfg.value("data_probe_ratio", 1.0);
  const std::string algo = call.dj_cfg.value("data_probe_algo", std::string("uniform"));
  if (!(ratio > 0 && ratio <= 1)) return Status::InvalidArgument("dj_configs.data_probe_ratio must be in (0, 1]");
  if (algo != "uniform" && algo != "random") {
    return Status::InvalidArgument("dj_configs.data_probe_algo: '" + algo + "' is not supported (uniform, random)");
  }
  std::ifstream in(src);
  if (!in) return Status::NotFound(src + ": cannot open");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  const size_t want = std::max<size_t>(1, static_cast<size_t>(std::llround(ratio * lines.size())));
  std::vector<size_t> keep;
  if (algo == "uniform") {
    for (size_t i = 0; i < want && i < lines.size(); ++i) keep.push_back(i * lines.size() / want);
  } else {
    std::vector<size_t> idx(lines.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::mt19937_64 rng(call.dj_cfg.value("seed", 42));
    std::shuffle(idx.begin(), idx.end(), rng);
    idx.resize(std::min(want, idx.size()));
    std::sort(idx.begin(), idx.end());
    keep = idx;
  }
  const std::string sample = (fs::path(call.job_dir) / "probe_sample.jsonl").string();
  {
    std::ofstream out(sample);
    for (size_t i : keep) out << lines[i] << "\n";
    if (!out) return Status::IOError(sample + ": write failed");
  }
  if (type == "command") {
    call.extra_cfg["dataset_path"] = sample;
    return RunCommandType(call);
  }
  JUICER_ASSIGN_OR_RETURN(std::string out, InferBuiltin(call, type, sample));
  return std::vector<Json>{out};
}

}  // namespace juicer::sandbox
