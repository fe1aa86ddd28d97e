#include "core/recipe.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace juicer {

namespace {

// Top-level keys juicer implements; every other key is a warning (DJ recipes still run).
const std::set<std::string>& KnownKeys() {
  static const std::set<std::string> k = {
      "project_name", "dataset_path", "export_path", "np", "text_keys", "image_key", "video_key",
      "keep_stats_in_res_ds", "keep_hashes_in_res_ds", "open_tracer", "op_list_to_trace", "trace_num",
      "use_checkpoint", "skip_op_error", "work_dir", "export_shard_size", "seed", "percentiles", "process",
      "correlation_methods"};
  return k;
}

struct Ctx {
  std::string file;
  std::string At(const YAML::Node& n) const {
    return file + ":" + std::to_string(n.Mark().line + 1) + ": ";
  }
};

bool IsQuoted(const YAML::Node& n) { return n.Tag() == "!"; }

Result<ParamValue> ScalarValue(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (IsQuoted(n)) return ParamValue(s);
  static const std::regex kInt(R"([-+]?[0-9]+)");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL" || s == "None") return ParamValue();
  if (s == "true" || s == "True" || s == "TRUE") return ParamValue(true);
  if (s == "false" || s == "False" || s == "FALSE") return ParamValue(false);
  if (std::regex_match(s, kInt)) {
    try {
      return ParamValue(static_cast<int64_t>(std::stoll(s)));
    } catch (...) {
      return ParamValue(std::stod(s));
    }
  }
  if (std::regex_match(s, kFloat)) return ParamValue(std::stod(s));
  if (s == ".inf" || s == ".Inf" || s == "+.inf") return ParamValue(HUGE_VAL);
  if (s == "-.inf" || s == "-.Inf") return ParamValue(-HUGE_VAL);
  if (s == ".nan" || s == ".NaN") return ParamValue(std::nan(""));
  return ParamValue(s);
}

Result<ParamValue> NodeValue(const YAML::Node& n, const Ctx& c, const std::string& what) {
  if (n.IsNull()) return ParamValue();
  if (n.IsScalar()) return ScalarValue(n);
  if (n.IsSequence()) {
    std::vector<std::string> strs;
    std::vector<double> nums;
    for (const auto& item : n) {
      if (!item.IsScalar()) return Status::InvalidArgument(c.At(item) + what + ": nested lists/maps are not supported");
      JUICER_ASSIGN_OR_RETURN(ParamValue v, ScalarValue(item));
      if (auto* s = std::get_if<std::string>(&v)) strs.push_back(*s);
      else if (auto* i = std::get_if<int64_t>(&v)) nums.push_back(static_cast<double>(*i));
      else if (auto* d = std::get_if<double>(&v)) nums.push_back(*d);
      else strs.push_back(item.Scalar());
    }
    if (!strs.empty() && !nums.empty())
      return Status::InvalidArgument(c.At(n) + what + ": a list must hold only strings or only numbers");
    if (!nums.empty()) return ParamValue(nums);
    return ParamValue(strs);
  }
  if (n.IsMap()) {  // a map of scalars (e.g. video_ffmpeg_wrapped_mapper's filter_kwargs): "key=value" strings
    std::vector<std::string> kvs;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar() || !kv.second.IsScalar())
        return Status::InvalidArgument(c.At(kv.second) + what + ": a map's keys and values must be scalars");
      kvs.push_back(kv.first.Scalar() + "=" + kv.second.Scalar());
    }
    return ParamValue(kvs);
  }
  return Status::InvalidArgument(c.At(n) + what + ": a map is not supported here");
}

Status GetString(const YAML::Node& n, const Ctx& c, const std::string& key, std::string* out) {
  if (!n.IsScalar()) return Status::InvalidArgument(c.At(n) + "'" + key + "' must be a string");
  *out = n.Scalar();
  return Status::OK();
}
Status GetBool(const YAML::Node& n, const Ctx& c, const std::string& key, bool* out) {
  auto v = ScalarValue(n);
  if (!n.IsScalar() || !v.ok() || !std::holds_alternative<bool>(*v))
    return Status::InvalidArgument(c.At(n) + "'" + key + "' must be true or false");
  *out = std::get<bool>(*v);
  return Status::OK();
}
Status GetInt(const YAML::Node& n, const Ctx& c, const std::string& key, int64_t* out, int64_t min) {
  auto v = n.IsScalar() ? ScalarValue(n) : Result<ParamValue>(Status::InvalidArgument(""));
  if (!v.ok() || !std::holds_alternative<int64_t>(*v))
    return Status::InvalidArgument(c.At(n) + "'" + key + "' must be an integer");
  *out = std::get<int64_t>(*v);
  if (*out < min) return Status::InvalidArgument(c.At(n) + "'" + key + "' must be >= " + std::to_string(min));
  return Status::OK();
}
Status GetStringList(const YAML::Node& n, const Ctx& c, const std::string& key, std::vector<std::string>* out) {
  out->clear();
  if (n.IsNull()) return Status::OK();
  if (n.IsScalar()) {
    out->push_back(n.Scalar());
    return Status::OK();
  }
  if (!n.IsSequence()) return Status::InvalidArgument(c.At(n) + "'" + key + "' must be a string or a list of strings");
  for (const auto& item : n) {
    if (!item.IsScalar()) return Status::InvalidArgument(c.At(item) + "'" + key + "' items must be strings");
    out->push_back(item.Scalar());
  }
  return Status::OK();
}

Status ParseProcess(const YAML::Node& proc, const Ctx& c, const OpRegistry& registry, Recipe* r) {
  if (proc.IsNull()) return Status::OK();
  if (!proc.IsSequence())
    return Status::InvalidArgument(c.At(proc) + "'process' must be a list of {op_name: {params}}");
  for (const auto& item : proc) {
    RecipeOp op;
    op.line = item.Mark().line + 1;
    YAML::Node params;
    if (item.IsScalar()) {
      op.name = item.Scalar();
    } else if (item.IsMap() && item.size() == 1) {
      auto it = item.begin();
      op.name = it->first.Scalar();
      params = it->second;
    } else {
      return Status::InvalidArgument(c.At(item) + "each 'process' item must be one {op_name: {params}} map");
    }
    auto info = registry.Find(op.name);
    if (!info.ok()) return Status::InvalidArgument(c.At(item) + info.status().message());
    op.info = *info;
    if (params && !params.IsNull()) {
      if (!params.IsMap()) return Status::InvalidArgument(c.At(params) + op.name + ": params must be a map");
      for (const auto& kv : params) {
        const std::string pname = kv.first.Scalar();
        JUICER_ASSIGN_OR_RETURN(ParamValue v, NodeValue(kv.second, c, "param '" + pname + "' of " + op.name));
        op.params.emplace_back(pname, std::move(v));
      }
    }
    // validate now: unknown params, types, ranges
    auto resolved = ResolveParams(*op.info, op.params);
    if (!resolved.ok()) {
      // point at the offending param's line when we can
      int line = op.line;
      if (params && params.IsMap())
        for (const auto& kv : params)
          if (resolved.status().message().find("'" + kv.first.Scalar() + "'") != std::string::npos)
            line = kv.first.Mark().line + 1;
      return Status::InvalidArgument(c.file + ":" + std::to_string(line) + ": " + resolved.status().message());
    }
    r->process.push_back(std::move(op));
  }
  return Status::OK();
}

Result<Recipe> FromNode(YAML::Node root, const std::string& name, const Overrides& overrides,
                        const OpRegistry& registry) {
  Ctx c{name};
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) return Status::InvalidArgument(name + ": a recipe must be a YAML map of keys");
  for (const auto& [key, value] : overrides) {
    YAML::Node v;
    try {
      v = YAML::Load(value);
    } catch (const YAML::Exception& e) {
      return Status::InvalidArgument("--" + key + ": bad value '" + value + "': " + e.msg);
    }
    root[key] = v;
  }
  Recipe r;
  r.path = name;
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (!KnownKeys().count(key)) {
      r.warnings.push_back(c.At(kv.first) + "warning: '" + key +
                           "' is not implemented by juicer; ignored");
      continue;
    }
    int64_t i = 0;
    if (key == "project_name") JUICER_RETURN_IF_ERROR(GetString(v, c, key, &r.project_name));
    else if (key == "dataset_path") JUICER_RETURN_IF_ERROR(GetString(v, c, key, &r.dataset_path));
    else if (key == "export_path") JUICER_RETURN_IF_ERROR(GetString(v, c, key, &r.export_path));
    else if (key == "work_dir") JUICER_RETURN_IF_ERROR(GetString(v, c, key, &r.work_dir));
    else if (key == "image_key") JUICER_RETURN_IF_ERROR(GetString(v, c, key, &r.image_key));
    else if (key == "video_key") JUICER_RETURN_IF_ERROR(GetString(v, c, key, &r.video_key));
    else if (key == "text_keys") JUICER_RETURN_IF_ERROR(GetStringList(v, c, key, &r.text_keys));
    else if (key == "op_list_to_trace") JUICER_RETURN_IF_ERROR(GetStringList(v, c, key, &r.op_list_to_trace));
    else if (key == "correlation_methods") JUICER_RETURN_IF_ERROR(GetStringList(v, c, key, &r.correlation_methods));
    else if (key == "keep_stats_in_res_ds") JUICER_RETURN_IF_ERROR(GetBool(v, c, key, &r.keep_stats_in_res_ds));
    else if (key == "keep_hashes_in_res_ds") JUICER_RETURN_IF_ERROR(GetBool(v, c, key, &r.keep_hashes_in_res_ds));
    else if (key == "open_tracer") JUICER_RETURN_IF_ERROR(GetBool(v, c, key, &r.open_tracer));
    else if (key == "use_checkpoint") JUICER_RETURN_IF_ERROR(GetBool(v, c, key, &r.use_checkpoint));
    else if (key == "skip_op_error") JUICER_RETURN_IF_ERROR(GetBool(v, c, key, &r.skip_op_error));
    else if (key == "np") {
      JUICER_RETURN_IF_ERROR(GetInt(v, c, key, &i, 1));
      r.np = static_cast<int>(std::min<int64_t>(i, 1024));
    } else if (key == "trace_num") {
      JUICER_RETURN_IF_ERROR(GetInt(v, c, key, &i, 0));
      r.trace_num = static_cast<int>(i);
    } else if (key == "seed") {
      JUICER_RETURN_IF_ERROR(GetInt(v, c, key, &i, 0));
      r.seed = static_cast<uint64_t>(i);
    } else if (key == "export_shard_size") {
      JUICER_ASSIGN_OR_RETURN(ParamValue pv, NodeValue(v, c, key));
      if (auto* n = std::get_if<int64_t>(&pv)) {
        if (*n < 0) return Status::InvalidArgument(c.At(v) + "'export_shard_size' must be >= 0");
        r.export_shard_size = static_cast<uint64_t>(*n);
      } else if (auto* s = std::get_if<std::string>(&pv)) {
        auto b = ParseSize(*s);
        if (!b.ok()) return Status::InvalidArgument(c.At(v) + "export_shard_size: " + b.status().message());
        r.export_shard_size = *b;
      } else {
        return Status::InvalidArgument(c.At(v) + "'export_shard_size' must be bytes or a size like \"100MB\"");
      }
    } else if (key == "percentiles") {
      JUICER_ASSIGN_OR_RETURN(ParamValue pv, NodeValue(v, c, key));
      auto* xs = std::get_if<std::vector<double>>(&pv);
      if (!xs) return Status::InvalidArgument(c.At(v) + "'percentiles' must be a list of numbers in [0, 1]");
      for (double p : *xs)
        if (p < 0 || p > 1) return Status::InvalidArgument(c.At(v) + "'percentiles' must be in [0, 1]");
      r.percentiles = *xs;
    } else if (key == "process") {
      JUICER_RETURN_IF_ERROR(ParseProcess(v, c, registry, &r));
    }
  }
  for (const auto& m : r.correlation_methods)
    if (m != "pearson" && m != "spearman" && m != "kendall")
      return Status::InvalidArgument(name + ": correlation_methods: '" + m + "' is not pearson, spearman or kendall");
  for (const auto& t : r.op_list_to_trace) {
    bool found = false;
    for (const auto& op : r.process) found = found || op.name == t;
    if (!found) r.warnings.push_back(name + ": warning: op_list_to_trace names '" + t + "', which is not in process");
  }
  if (r.dataset_path.empty()) return Status::InvalidArgument(name + ": 'dataset_path' is required");
  if (r.export_path.empty()) return Status::InvalidArgument(name + ": 'export_path' is required");
  if (r.text_keys.empty()) r.text_keys = {"text"};
  if (r.work_dir.empty()) {
    fs::path p(r.export_path);
    r.work_dir = p.parent_path().empty() ? "." : p.parent_path().string();
  }
  return r;
}

}  // namespace

Result<Recipe> LoadRecipeString(const std::string& yaml, const std::string& name, const Overrides& overrides,
                                const OpRegistry& registry) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(name + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  return FromNode(root, name, overrides, registry);
}

Result<std::vector<std::unique_ptr<Op>>> BuildRecipeOps(const Recipe& recipe) {
  std::vector<std::unique_ptr<Op>> ops;
  for (const auto& rop : recipe.process) {
    GivenParams given = rop.params;
    // the recipe's text_keys / image_key / video_key are the ops' defaults (DJ passes them down)
    auto has = [&](const char* k) {
      for (const auto& [n, v] : given)
        if (n == k) return true;
      return false;
    };
    if (!has("text_key")) given.emplace_back("text_key", recipe.text_keys.front());
    if (!has("image_key")) given.emplace_back("image_key", recipe.image_key);
    if (!has("video_key")) given.emplace_back("video_key", recipe.video_key);
    // ops that write files (image mappers) default to the recipe's work_dir; an op whose `seed`
    // param defaults to null ("the recipe's seed") gets the recipe's seed
    if (!has("work_dir") && !recipe.work_dir.empty()) given.emplace_back("work_dir", recipe.work_dir);
    if (const ParamSpec* seed = FindParam(*rop.info, "seed");
        seed != nullptr && !has("seed") && std::holds_alternative<std::monostate>(seed->default_value))
      given.emplace_back("seed", static_cast<int64_t>(recipe.seed));
    auto op = BuildOp(*rop.info, given);
    if (!op.ok()) return op.status().WithContext(recipe.path + ":" + std::to_string(rop.line) + ": ");
    ops.push_back(std::move(op).value());
  }
  return ops;
}

Result<Recipe> LoadRecipeFile(const std::string& path, const Overrides& overrides, const OpRegistry& registry) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": recipe file does not exist");
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return Status::NotFound(path + ": cannot read recipe");
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  return FromNode(root, path, overrides, registry);
}

}  // namespace juicer
