#include "sandbox/json.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/dataset_writer.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

Json ScalarToJson(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return Json(s);  // quoted: always a string
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Json(nullptr);
  if (s == "true" || s == "True" || s == "TRUE") return Json(true);
  if (s == "false" || s == "False" || s == "FALSE") return Json(false);
  {
    int64_t v = 0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    if (*b == '+') ++b;
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec == std::errc() && p == e) return Json(v);
  }
  if (s == ".inf" || s == "+.inf" || s == ".Inf") return Json(std::numeric_limits<double>::infinity());
  if (s == "-.inf" || s == "-.Inf") return Json(-std::numeric_limits<double>::infinity());
  if (s == ".nan" || s == ".NaN") return Json(std::numeric_limits<double>::quiet_NaN());
  const bool numeric_chars = s.find_first_not_of("0123456789+-.eE_") == std::string::npos &&
                             s.find_first_of("0123456789") != std::string::npos;
  if (numeric_chars) {
    std::string t;
    for (char c : s) {
      if (c != '_') t.push_back(c);
    }
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(t.c_str(), &end);
    if (end == t.c_str() + t.size() && errno == 0) return Json(d);
  }
  return Json(s);
}

Json NodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return Json(nullptr);
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      Json arr = Json::array();
      for (const auto& item : node) arr.push_back(NodeToJson(item));
      return arr;
    }
    case YAML::NodeType::Map: {
      Json obj = Json::object();
      for (const auto& kv : node) obj[kv.first.as<std::string>()] = NodeToJson(kv.second);
      return obj;
    }
  }
  return Json(nullptr);
}

void EmitYaml(YAML::Emitter& out, const Json& v) {
  if (v.is_object()) {
    out << YAML::BeginMap;
    for (auto it = v.begin(); it != v.end(); ++it) {
      out << YAML::Key << it.key() << YAML::Value;
      EmitYaml(out, it.value());
    }
    out << YAML::EndMap;
  } else if (v.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& item : v) EmitYaml(out, item);
    out << YAML::EndSeq;
  } else if (v.is_string()) {
    out << YAML::DoubleQuoted << v.get<std::string>();
  } else if (v.is_boolean()) {
    out << (v.get<bool>() ? "true" : "false");
  } else if (v.is_null()) {
    out << YAML::Null;
  } else if (v.is_number_integer()) {
    out << v.get<int64_t>();
  } else if (v.is_number_unsigned()) {
    out << v.get<uint64_t>();
  } else {
    // Shortest text that reads back as the same double, with a '.' so YAML keeps it a float.
    std::string s = v.dump();
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
    out << s;
  }
}

std::string ReadAll(const std::string& path, Status* st) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *st = Status::NotFound(path + ": cannot open");
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<Json> ParseYamlText(std::string_view text, const std::string& what) {
  try {
    return NodeToJson(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(what + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Result<Json> LoadYamlFile(const std::string& path) {
  Status st;
  const std::string text = ReadAll(path, &st);
  if (!st.ok()) return st;
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
    Json v = Json::parse(text, nullptr, false);
    if (v.is_discarded()) return Status::InvalidArgument(path + ": not valid JSON");
    return v;
  }
  return ParseYamlText(text, path);
}

Result<Json> LoadJsonFile(const std::string& path) {
  Status st;
  const std::string text = ReadAll(path, &st);
  if (!st.ok()) return st;
  Json v = Json::parse(text, nullptr, false);
  if (v.is_discarded()) return Status::DataError(path + ": not valid JSON");
  return v;
}

Status WriteJsonAtomic(const std::string& path, const Json& value) {
  return WriteFileAtomic(path, value.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

std::string ToYaml(const Json& value) {
  YAML::Emitter out;
  EmitYaml(out, value);
  return std::string(out.c_str()) + "\n";
}

Status WriteYamlAtomic(const std::string& path, const Json& value) { return WriteFileAtomic(path, ToYaml(value)); }

namespace {
bool IsIndex(std::string_view part, size_t* idx) {
  if (part.empty()) return false;
  size_t v = 0;
  auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
  if (ec != std::errc() || p != part.data() + part.size()) return false;
  *idx = v;
  return true;
}
}  // namespace

const Json* DottedGet(const Json& root, std::string_view dotted) {
  const Json* cur = &root;
  size_t start = 0;
  while (start <= dotted.size()) {
    const size_t dot = dotted.find('.', start);
    const std::string_view part = dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    size_t idx = 0;
    if (cur->is_object()) {
      auto it = cur->find(std::string(part));
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array() && IsIndex(part, &idx)) {
      if (idx >= cur->size()) return nullptr;
      cur = &(*cur)[idx];
    } else {
      return nullptr;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return cur;
}

Status DottedSet(Json& root, std::string_view dotted, Json value) {
  Json* cur = &root;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted.find('.', start);
    const std::string part(dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (part.empty()) return Status::InvalidArgument("empty step in key '" + std::string(dotted) + "'");
    size_t idx = 0;
    Json* next = nullptr;
    if (cur->is_null()) *cur = Json::object();
    if (cur->is_object()) {
      next = &(*cur)[part];
    } else if (cur->is_array() && IsIndex(part, &idx) && idx < cur->size()) {
      next = &(*cur)[idx];
    } else {
      return Status::InvalidArgument("cannot set '" + std::string(dotted) + "': '" + part +
                                     "' steps into a " + cur->type_name());
    }
    if (dot == std::string_view::npos) {
      *next = std::move(value);
      return Status::OK();
    }
    cur = next;
    start = dot + 1;
  }
}

Result<Json> LoadSideConfig(const Json& value, const std::string& base_dir, const std::string& what) {
  if (value.is_null()) return Json::object();
  if (value.is_object()) return value;
  if (value.is_string()) {
    fs::path p(value.get<std::string>());
    if (p.is_relative() && !base_dir.empty() && !fs::exists(p)) p = fs::path(base_dir) / p;
    auto loaded = LoadYamlFile(p.string());
    if (!loaded.ok()) return loaded.status().WithContext(what + ": ");
    if (!loaded->is_object()) return Status::InvalidArgument(what + ": " + p.string() + " is not a mapping");
    return loaded;
  }
  return Status::InvalidArgument(what + ": expected a mapping or a path to a YAML/JSON file, got " +
                                 std::string(value.type_name()));
}

namespace {
bool AppendPaths(const Json& v, std::vector<std::string>* out) {
  if (v.is_string()) {
    out->push_back(v.get<std::string>());
    return true;
  }
  if (!v.is_array()) return false;
  for (const auto& e : v) {
    if (!AppendPaths(e, out)) return false;
  }
  return true;
}
}  // namespace

Result<std::vector<std::string>> PathListKey(const Json& cfg, std::string_view key, std::string_view what) {
  std::vector<std::string> out;
  if (!cfg.is_object()) return out;
  auto it = cfg.find(std::string(key));
  if (it == cfg.end() || it->is_null()) return out;
  if (!AppendPaths(*it, &out)) {
    std::string got = it->dump();
    if (got.size() > 80) got = got.substr(0, 77) + "...";
    return Status::InvalidArgument(std::string(what) + ": " + std::string(key) + " must be a path or a list of paths, got " + got);
  }
  return out;
}

Status ForEachJsonLine(const std::string& path, const std::function<Status(Json&, size_t)>& fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    Json v = Json::parse(line, nullptr, false);
    if (v.is_discarded()) return Status::DataError(path + ":" + std::to_string(line_no) + ": not valid JSON");
    JUICER_RETURN_IF_ERROR(fn(v, line_no));
  }
  return Status::OK();
}

bool StatAsNumber(const Json& v, double* out) {
  if (v.is_number()) {
    *out = v.get<double>();
    return true;
  }
  if (v.is_boolean()) {
    *out = v.get<bool>() ? 1.0 : 0.0;
    return true;
  }
  if (!v.is_array()) return false;
  double sum = 0;
  size_t n = 0;
  for (const auto& x : v) {
    if (!x.is_number()) return false;
    sum += x.get<double>();
    ++n;
  }
  *out = n ? sum / n : 0.0;
  return true;
}

}  // namespace juicer::sandbox
