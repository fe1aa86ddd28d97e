#include "ops/general/field_path.h"

#include <simdjson.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace juicer {

namespace {

std::string_view DomTypeName(simdjson::dom::element_type t) {
  switch (t) {
    case simdjson::dom::element_type::ARRAY: return "list";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "bool";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    default: return "number";
  }
}

// A scalar element as a StatScalar; false for a list or object.
bool DomScalar(simdjson::dom::element e, StatScalar* out) {
  switch (e.type()) {
    case simdjson::dom::element_type::NULL_VALUE: *out = std::monostate{}; return true;
    case simdjson::dom::element_type::BOOL: *out = bool(e.get_bool().value_unsafe()); return true;
    case simdjson::dom::element_type::INT64: *out = int64_t(e.get_int64().value_unsafe()); return true;
    case simdjson::dom::element_type::UINT64:
      *out = static_cast<double>(e.get_uint64().value_unsafe());
      return true;
    case simdjson::dom::element_type::DOUBLE: *out = double(e.get_double().value_unsafe()); return true;
    case simdjson::dom::element_type::STRING:
      *out = std::string(e.get_string().value_unsafe());
      return true;
    default: return false;
  }
}

FieldValue FromStat(const StatValue& v) {
  FieldValue out;
  if (v.is_list()) {
    out.kind = FieldValue::Kind::kList;
    out.list = v.list();
  } else if (!std::holds_alternative<std::monostate>(v.scalar())) {
    out.kind = FieldValue::Kind::kScalar;
    out.scalar = v.scalar();
  }
  return out;
}

}  // namespace

std::vector<std::string> SplitKey(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

// Data-Juicer walks sample[k1][k2]...; juicer reads the same path from the raw JSON of the top-level
// field. A missing key, or null on the way, gives null (Data-Juicer's Arrow table fills keys other
// rows have with null); descending into a string, number or list is a DataError.
Result<FieldValue> ResolveField(const Sample& sample, const std::vector<std::string>& path, const std::string& key,
                                std::string& scratch) {
  FieldValue out;
  if (path[0] == fields::kStats) {  // __dj__stats__ is parsed into sample.stats()
    if (path.size() == 1) {
      out.kind = FieldValue::Kind::kObject;
      out.empty_object = sample.stats().empty();
      return out;
    }
    const StatValue* v = sample.stats().Find(path[1]);
    if (v == nullptr) return out;
    if (path.size() > 2)
      return Status::DataError("field key '" + key + "': stat '" + path[1] + "' is not an object");
    return FromStat(*v);
  }
  const Sample::Field* f = sample.Find(path[0]);
  if (f == nullptr || f->type == JsonType::kNull) return out;
  const std::string_view raw = f->RawText();
  scratch.resize(raw.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(scratch.data(), raw.data(), raw.size());
  thread_local simdjson::dom::parser parser;  // per worker thread, reused: no per-sample setup
  simdjson::dom::element e;
  if (auto err = parser.parse(scratch.data(), raw.size(), false).get(e))
    return Status::DataError("field '" + path[0] + "' is not valid JSON: " + simdjson::error_message(err));
  for (size_t i = 1; i < path.size(); ++i) {
    if (e.is_null()) return out;
    if (!e.is_object())
      return Status::DataError("field key '" + key + "': '" + path[i - 1] + "' is a " +
                               std::string(DomTypeName(e.type())) + ", not an object");
    simdjson::dom::object obj;
    simdjson::dom::element child;
    if (e.get_object().get(obj) != simdjson::SUCCESS || obj.at_key(path[i]).get(child) != simdjson::SUCCESS)
      return out;
    e = child;
  }
  if (e.is_object()) {
    out.kind = FieldValue::Kind::kObject;
    simdjson::dom::object obj;
    out.empty_object = e.get_object().get(obj) == simdjson::SUCCESS && obj.size() == 0;
  } else if (e.is_array()) {
    out.kind = FieldValue::Kind::kList;
    simdjson::dom::array arr;
    if (e.get_array().get(arr) != simdjson::SUCCESS) return out;
    for (simdjson::dom::element item : arr) {
      StatScalar s;
      if (!DomScalar(item, &s)) s = std::monostate{};
      out.list.push_back(std::move(s));
    }
  } else if (!e.is_null()) {
    out.kind = FieldValue::Kind::kScalar;
    DomScalar(e, &out.scalar);
  }
  return out;
}

StatValue ToStat(FieldValue v) {
  StatValue s;
  if (v.kind == FieldValue::Kind::kScalar) s.v = std::move(v.scalar);
  if (v.kind == FieldValue::Kind::kList) s.v = std::move(v.list);
  return s;  // null, and null for an object (juicer's stats hold scalars and flat lists)
}

}  // namespace juicer
