// JSON values of the sandbox engine (configs, job outputs, context_infos.json, metrics) as
// nlohmann::ordered_json (Debian nlohmann-json3-dev): the sandbox manipulates arbitrary nested
// configs the way Data-Juicer's Python dicts do, which simdjson (read-only) cannot.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace juicer::sandbox {

using Json = nlohmann::ordered_json;

// Reads a YAML file (or a .json file) into Json. Scalars keep YAML's types: true/false -> bool,
// integers -> int64, other numbers -> double, ~/null -> null, everything else -> string.
Result<Json> LoadYamlFile(const std::string& path);
Result<Json> ParseYamlText(std::string_view text, const std::string& what);
// Reads a JSON file.
Result<Json> LoadJsonFile(const std::string& path);
// Writes `value` pretty-printed to `path` atomically (temp file + rename).
Status WriteJsonAtomic(const std::string& path, const Json& value);
// Writes `value` as a YAML document (block style, keys in order) to `path` atomically.
Status WriteYamlAtomic(const std::string& path, const Json& value);
std::string ToYaml(const Json& value);

// Dotted access: "a.b.0.c" walks objects by key and arrays by index. Get returns nullptr when a
// step is missing.
const Json* DottedGet(const Json& root, std::string_view dotted);
// Sets a dotted key, creating objects on the way; fails when a step is a scalar.
Status DottedSet(Json& root, std::string_view dotted, Json value);

// A config given either inline (object) or as a path to a YAML/JSON file (DJ's dj_configs /
// extra_configs); paths are resolved against `base_dir` when relative.
Result<Json> LoadSideConfig(const Json& value, const std::string& base_dir, const std::string& what);

}  // namespace juicer::sandbox
