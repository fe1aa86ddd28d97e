#include "core/params.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/stats.h"

namespace juicer {

std::string_view ParamTypeName(ParamType t) {
  switch (t) {
    case ParamType::kBool: return "bool";
    case ParamType::kInt: return "int";
    case ParamType::kFloat: return "float";
    case ParamType::kString: return "string";
    case ParamType::kStringList: return "list of strings";
    case ParamType::kFloatList: return "list of numbers";
    case ParamType::kIntList: return "list of ints";
    case ParamType::kSize: return "size (bytes, or a string like \"10MB\")";
    case ParamType::kAny: return "any";
  }
  return "?";
}

std::string ParamValueToString(const ParamValue& v) {
  struct V {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const {
      if (i == std::numeric_limits<int64_t>::max()) return "9223372036854775807 (sys.maxsize)";
      return std::to_string(i);
    }
    std::string operator()(double d) const {
      std::string s;
      AppendNumberJson(d, &s);
      return s;
    }
    std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
    std::string operator()(const std::vector<std::string>& xs) const {
      std::string s = "[";
      for (size_t i = 0; i < xs.size(); ++i) s += (i ? ", \"" : "\"") + xs[i] + "\"";
      return s + "]";
    }
    std::string operator()(const std::vector<double>& xs) const {
      std::string s = "[";
      for (size_t i = 0; i < xs.size(); ++i) {
        if (i) s += ", ";
        AppendNumberJson(xs[i], &s);
      }
      return s + "]";
    }
  };
  return std::visit(V{}, v);
}

const std::vector<ParamSpec>& CommonOpParams() {
  static const std::vector<ParamSpec> kParams = {
      {"text_key", ParamType::kString, std::string("text"), "field holding the sample text"},
      {"image_key", ParamType::kString, std::string("images"), "field holding the list of image paths"},
      {"audio_key", ParamType::kString, std::string("audios"), "field holding the list of audio paths"},
      {"video_key", ParamType::kString, std::string("videos"), "field holding the list of video paths"},
      {"image_bytes_key", ParamType::kString, std::string("image_bytes"), "field holding image bytes"},
      {"query_key", ParamType::kString, std::string("query"), "field holding queries"},
      {"response_key", ParamType::kString, std::string("response"), "field holding responses"},
      {"history_key", ParamType::kString, std::string("history"), "field holding history"},
      {"system_key", ParamType::kString, std::string("system"), "field holding system prompts"},
      {"instruction_key", ParamType::kString, std::string("instruction"), "field holding instructions"},
      {"prompt_key", ParamType::kString, std::string("prompt"), "field holding prompts"},
      {"index_key", ParamType::kString, std::monostate{}, "field to write the sample index to", true},
      {"batch_size", ParamType::kInt, int64_t{1000}, "DJ batch size (juicer batches by itself; accepted)"},
      {"num_proc", ParamType::kInt, std::monostate{}, "DJ per-op process count (juicer uses np threads; accepted)",
       true},
      {"accelerator", ParamType::kString, std::monostate{}, "cpu or cuda (juicer runs on cpu; accepted)", true},
      {"skip_op_error", ParamType::kBool, std::monostate{}, "override the recipe's skip_op_error for this op",
       true},
      {"work_dir", ParamType::kString, std::monostate{}, "op work dir", true},
      {"cpu_required", ParamType::kFloat, std::monostate{}, "resource hint (accepted, unused)", true},
      {"gpu_required", ParamType::kFloat, std::monostate{}, "resource hint (accepted, unused)", true},
      {"mem_required", ParamType::kAny, std::monostate{}, "resource hint (accepted, unused)", true},
      {"turbo", ParamType::kBool, false, "DJ turbo mode (accepted, unused)"},
      {"image_special_token", ParamType::kString, std::string("<__dj__image>"), "image token in text"},
      {"audio_special_token", ParamType::kString, std::string("<__dj__audio>"), "audio token in text"},
      {"video_special_token", ParamType::kString, std::string("<__dj__video>"), "video token in text"},
      {"eoc_special_token", ParamType::kString, std::string("<|__dj__eoc|>"), "end-of-chunk token in text"},
  };
  return kParams;
}

const std::vector<ParamSpec>& CommonFilterParams() {
  static const std::vector<ParamSpec> kParams = {
      {"min_closed_interval", ParamType::kBool, true, "the min bound is inclusive"},
      {"max_closed_interval", ParamType::kBool, true, "the max bound is inclusive"},
      {"reversed_range", ParamType::kBool, false, "keep samples OUTSIDE [min, max] instead"},
      {"stats_export_path", ParamType::kString, std::monostate{}, "DJ per-op stats path (accepted, unused)", true},
  };
  return kParams;
}

bool OpParams::IsNull(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() || std::holds_alternative<std::monostate>(it->second);
}

const ParamValue& OpParams::Get(const std::string& name) const {
  static const ParamValue kNull;
  auto it = values_.find(name);
  return it == values_.end() ? kNull : it->second;
}

bool OpParams::GetBool(const std::string& name) const {
  const auto& v = Get(name);
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  return false;
}

int64_t OpParams::GetInt(const std::string& name) const {
  const auto& v = Get(name);
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  return 0;
}

double OpParams::GetDouble(const std::string& name) const {
  const auto& v = Get(name);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return 0.0;
}

std::optional<double> OpParams::GetOptDouble(const std::string& name) const {
  if (IsNull(name)) return std::nullopt;
  return GetDouble(name);
}

std::optional<int64_t> OpParams::GetOptInt(const std::string& name) const {
  if (IsNull(name)) return std::nullopt;
  return GetInt(name);
}

const std::string& OpParams::GetString(const std::string& name) const {
  static const std::string kEmpty;
  const auto& v = Get(name);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return kEmpty;
}

std::vector<std::string> OpParams::GetStringList(const std::string& name) const {
  const auto& v = Get(name);
  if (const auto* s = std::get_if<std::vector<std::string>>(&v)) return *s;
  if (const auto* s = std::get_if<std::string>(&v)) return {*s};
  return {};
}

std::vector<double> OpParams::GetDoubleList(const std::string& name) const {
  const auto& v = Get(name);
  if (const auto* s = std::get_if<std::vector<double>>(&v)) return *s;
  return {};
}

Result<uint64_t> ParseSize(const std::string& text) {
  std::string t;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) t.push_back(static_cast<char>(std::tolower(c)));
  size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
  if (i == 0) return Status::InvalidArgument("bad size '" + text + "' (expected e.g. 1024, \"10MB\", \"64KiB\")");
  double num = 0;
  auto r = std::from_chars(t.data(), t.data() + i, num);
  if (r.ec != std::errc()) return Status::InvalidArgument("bad size '" + text + "'");
  std::string unit = t.substr(i);
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();
  double mult = 1;
  const bool binary = !unit.empty() && unit.back() == 'i';
  if (binary) unit.pop_back();
  const double base = binary ? 1024.0 : 1000.0;
  if (unit.empty()) mult = 1;
  else if (unit == "k") mult = base;
  else if (unit == "m") mult = base * base;
  else if (unit == "g") mult = base * base * base;
  else if (unit == "t") mult = base * base * base * base;
  else if (unit == "p") mult = std::pow(base, 5);
  else return Status::InvalidArgument("bad size unit in '" + text + "' (use B, KB, KiB, MB, MiB, GB, GiB, TB)");
  return static_cast<uint64_t>(num * mult);
}

ParamSpec IntBound(std::string name, int64_t def, std::string doc) {
  return ParamSpec{.name = std::move(name), .type = ParamType::kInt, .default_value = def, .doc = std::move(doc),
                   .nullable = true};
}

ParamSpec FloatBound(std::string name, std::optional<double> def, std::string doc) {
  ParamSpec p{.name = std::move(name), .type = ParamType::kFloat, .doc = std::move(doc), .nullable = true};
  if (def) p.default_value = *def;
  return p;
}

}  // namespace juicer
