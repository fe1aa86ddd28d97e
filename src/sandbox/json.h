// JSON values of the sandbox engine (configs, job outputs, context_infos.json, metrics) as
// nlohmann::ordered_json (Debian nlohmann-json3-dev): the sandbox manipulates arbitrary nested
// configs the way Data-Juicer's Python dicts do, which simdjson (read-only) cannot.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

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

// A config value that is a path or a list of paths (DJ accepts both): empty when absent or null;
// InvalidArgument naming `what` and `key` for anything else. Nested lists are flattened.
Result<std::vector<std::string>> PathListKey(const Json& cfg, std::string_view key, std::string_view what);

// Calls fn(sample, line_number) for every non-empty line of a JSONL file; a line that is not JSON is a
// DataError naming file:line, a missing file NotFound.
Status ForEachJsonLine(const std::string& path, const std::function<Status(Json&, size_t)>& fn);

// A stat value as the data pools rank it: numbers and bools as they are, a list of numbers by its mean
// (empty list -> 0); false for strings, objects, null and lists holding non-numbers.
bool StatAsNumber(const Json& v, double* out);

}  // namespace juicer::sandbox
