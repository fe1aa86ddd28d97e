#include "probe/probe_config.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <functional>
#include <sstream>

#include "core/op_registry.h"

namespace juicer::probe {

namespace {

Result<int64_t> ParseInt(const std::string& key, const std::string& v) {
  try {
    size_t pos = 0;
    const long long x = std::stoll(v, &pos);
    if (pos == v.size()) return static_cast<int64_t>(x);
  } catch (...) {
  }
  return Status::InvalidArgument("model config key '" + key + "': expected an integer, got '" + v + "'");
}

Result<double> ParseDouble(const std::string& key, const std::string& v) {
  try {
    size_t pos = 0;
    const double x = std::stod(v, &pos);
    if (pos == v.size()) return x;
  } catch (...) {
  }
  return Status::InvalidArgument("model config key '" + key + "': expected a number, got '" + v + "'");
}

struct Key {
  const char* name;
  std::function<Status(ProbeConfig*, const std::string&)> set;
  std::function<std::string(const ProbeConfig&)> json;
};

template <typename T>
Key IntKey(const char* name, T ProbeConfig::*field, int64_t lo) {
  return {name,
          [=](ProbeConfig* c, const std::string& v) -> Status {
            JUICER_ASSIGN_OR_RETURN(int64_t x, ParseInt(name, v));
            if (x < lo) return Status::InvalidArgument(std::string("model config key '") + name + "' must be >= " +
                                                       std::to_string(lo) + ", got " + v);
            c->*field = static_cast<T>(x);
            return Status::OK();
          },
          [=](const ProbeConfig& c) { return std::to_string(c.*field); }};
}

Key DoubleKey(const char* name, double ProbeConfig::*field) {
  return {name,
          [=](ProbeConfig* c, const std::string& v) -> Status {
            JUICER_ASSIGN_OR_RETURN(double x, ParseDouble(name, v));
            if (!(x >= 0)) return Status::InvalidArgument(std::string("model config key '") + name + "' must be >= 0");
            c->*field = x;
            return Status::OK();
          },
          [=](const ProbeConfig& c) {
            char b[40];
            std::snprintf(b, sizeof b, "%.17g", c.*field);
            return std::string(b);
          }};
}

std::string Quote(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o.push_back('\\');
    o.push_back(c);
  }
  return o + "\"";
}

Key StringKey(const char* name, std::string ProbeConfig::*field, std::vector<std::string> allowed) {
  return {name,
          [=](ProbeConfig* c, const std::string& v) -> Status {
            if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
              std::string list;
              for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
              return Status::InvalidArgument(std::string("model config key '") + name + "': '" + v +
                                             "' is not one of " + list);
            }
            c->*field = v;
            return Status::OK();
          },
          [=](const ProbeConfig& c) { return Quote(c.*field); }};
}

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = {
      StringKey("task", &ProbeConfig::task, {"clip", "caption", "lm"}),
      StringKey("size", &ProbeConfig::size, {"xs", "s", "m", "custom"}),
      IntKey("image_res", &ProbeConfig::image_res, 8),
      {"channels",
       [](ProbeConfig* c, const std::string& v) -> Status {
         std::vector<int> ch;
         std::stringstream ss(v);
         std::string item;
         while (std::getline(ss, item, ',')) {
           JUICER_ASSIGN_OR_RETURN(int64_t x, ParseInt("channels", item));
           if (x < 1) return Status::InvalidArgument("model config key 'channels': widths must be >= 1");
           ch.push_back(static_cast<int>(x));
         }
         if (ch.empty()) return Status::InvalidArgument("model config key 'channels': give widths like 32,64,128");
         c->channels = ch;
         return Status::OK();
       },
       [](const ProbeConfig& c) {
         std::string s = "\"";
         for (size_t i = 0; i < c.channels.size(); ++i) s += (i ? "," : "") + std::to_string(c.channels[i]);
         return s + "\"";
       }},
      IntKey("d_model", &ProbeConfig::d_model, 8),
      IntKey("layers", &ProbeConfig::layers, 1),
      IntKey("heads", &ProbeConfig::heads, 1),
      IntKey("ctx", &ProbeConfig::ctx, 4),
      IntKey("embed_dim", &ProbeConfig::embed_dim, 4),
      IntKey("retrieval", &ProbeConfig::retrieval, 0),
      StringKey("tokenizer", &ProbeConfig::tokenizer, {"auto", "clip_bpe", "sentencepiece"}),
      StringKey("bpe_path", &ProbeConfig::bpe_path, {}),
      IntKey("bpe_merges", &ProbeConfig::bpe_merges, 0),
      IntKey("sp_vocab", &ProbeConfig::sp_vocab, 16),
      IntKey("sp_max_texts", &ProbeConfig::sp_max_texts, 1),
      IntKey("steps", &ProbeConfig::steps, 1),
      IntKey("batch_size", &ProbeConfig::batch_size, 2),
      DoubleKey("lr", &ProbeConfig::lr),
      DoubleKey("weight_decay", &ProbeConfig::weight_decay),
      IntKey("warmup_steps", &ProbeConfig::warmup_steps, 0),
      IntKey("seed", &ProbeConfig::seed, 0),
      IntKey("threads", &ProbeConfig::threads, 1),
      IntKey("checkpoint_every", &ProbeConfig::checkpoint_every, 0),
      IntKey("log_every", &ProbeConfig::log_every, 1),
      IntKey("max_new_tokens", &ProbeConfig::max_new_tokens, 1),
      IntKey("beam_size", &ProbeConfig::beam_size, 1),
      IntKey("eval_batch", &ProbeConfig::eval_batch, 1),
  };
  return keys;
}

}  // namespace

Result<ProbeConfig> PresetConfig(const std::string& task, const std::string& size) {
  ProbeConfig c;
  if (task != "clip" && task != "caption" && task != "lm")
    return Status::InvalidArgument("unknown task '" + task + "' (tasks: clip, caption, lm)");
  if (size != "xs" && size != "s" && size != "m")
    return Status::InvalidArgument("unknown model size '" + size + "' (sizes: xs, s, m)");
  c.task = task;
  c.size = size;
  const int k = size == "xs" ? 0 : size == "s" ? 1 : 2;
  // Widths grow by sqrt(2)-ish per size step: convolutions and attention/MLP blocks cost ~width^2, so
  // s is ~2x and m ~4x the compute of xs per sample (bench/probe_bench.sh measures it).
  static const int kWidth[3] = {64, 96, 128};
  static const std::vector<int> kChannels[3] = {{16, 32, 64}, {24, 48, 96}, {32, 64, 128}};
  c.channels = kChannels[k];
  c.d_model = kWidth[k];
  c.embed_dim = kWidth[k];
  c.heads = 4;
  if (task == "clip") {
    c.layers = 1;
    c.ctx = 24;
    c.batch_size = 128;
    c.steps = 1000;
    c.lr = 2e-3;
  } else if (task == "caption") {
    // Captioning needs finer detail than contrastive matching: 64 px, a fourth CNN stage (the grid stays
    // 4x4 = 16 prefix tokens) and a 2-layer decoder (CIDEr-D on imagetext 0.38 -> 0.68 over 32 px, 1 layer).
    static const std::vector<int> kCapChannels[3] = {{16, 32, 64, 128}, {24, 48, 96, 192}, {32, 64, 128, 256}};
    static const int kCapWidth[3] = {96, 136, 192};
    c.image_res = 64;
    c.channels = kCapChannels[k];
    c.d_model = kCapWidth[k];
    c.layers = 2;
    c.bpe_merges = 1000;  // the output layer costs d x vocab per token: a small vocabulary keeps it cheap
    c.ctx = 24;
    c.batch_size = 64;
    c.steps = 1500;
    c.lr = 2e-3;
  } else {
    static const int kLmWidth[3] = {96, 128, 192};
    c.d_model = kLmWidth[k];
    c.layers = 2;
    c.ctx = 64;
    c.batch_size = 32;
    c.steps = 1000;
    c.lr = 3e-3;
    c.tokenizer = "sentencepiece";
    c.sp_vocab = 2000;
  }
  return c;
}

Status SetConfigKey(ProbeConfig* cfg, const std::string& key, const std::string& value) {
  std::vector<std::string> names;
  for (const Key& k : Keys()) {
    if (key == k.name) return k.set(cfg, value);
    names.push_back(k.name);
  }
  std::string hint = ClosestMatch(key, names);
  return Status::InvalidArgument("unknown model config key '" + key + "'" +
                                 (hint.empty() ? "" : " (did you mean " + hint + "?)"));
}

Status ApplyConfigFile(ProbeConfig* cfg, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return Status::NotFound("model config '" + path + "' cannot be read");
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) return Status::InvalidArgument(path + ": a model config is a mapping of key: value");
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    std::string value;
    if (kv.second.IsSequence()) {
      for (const auto& item : kv.second) value += (value.empty() ? "" : ",") + item.as<std::string>();
    } else if (kv.second.IsScalar()) {
      value = kv.second.as<std::string>();
    } else {
      return Status::InvalidArgument(path + ":" + std::to_string(kv.first.Mark().line + 1) + ": key '" + key +
                                     "' needs a value");
    }
    Status st = SetConfigKey(cfg, key, value);
    if (!st.ok()) return Status::InvalidArgument(path + ":" + std::to_string(kv.first.Mark().line + 1) + ": " +
                                                 st.message());
  }
  return Status::OK();
}

std::string ConfigToJson(const ProbeConfig& cfg) {
  std::string s = "{\n";
  const auto& keys = Keys();
  for (size_t i = 0; i < keys.size(); ++i) {
    s += "  \"" + std::string(keys[i].name) + "\": " + keys[i].json(cfg) + (i + 1 < keys.size() ? ",\n" : "\n");
  }
  return s + "}\n";
}

Result<ProbeConfig> ReadConfigJson(const std::string& path) {
  ProbeConfig cfg;
  JUICER_RETURN_IF_ERROR(ApplyConfigFile(&cfg, path));
  return cfg;
}

}  // namespace juicer::probe
