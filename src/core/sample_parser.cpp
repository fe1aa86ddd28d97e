#include "core/sample_parser.h"

#include <simdjson.h>

#include <string>

namespace juicer {

// One pass of simdjson On-Demand per sample: every token of every value is visited (so grammar,
// numbers, literals, escapes and UTF-8 are all validated: no malformed JSON passes through), string
// fields are decoded, and each top-level value's raw text is taken as the span between its first byte
// and the next key (or the closing brace), so untouched fields are written back byte-for-byte.

size_t JsonPadding() { return simdjson::SIMDJSON_PADDING; }

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

struct SampleParser::Impl {
  od::parser parser;
  std::vector<const char*> value_starts, bounds;
};

SampleParser::SampleParser() : impl_(std::make_unique<Impl>()) {}
SampleParser::~SampleParser() = default;

namespace {

constexpr int kMaxDepth = 512;

Status JsonError(error_code e, const std::string& where = "") {
  return Status::DataError("invalid JSON" + where + ": " + simdjson::error_message(e));
}

// Visits every token of `v` (recursively) so On-Demand validates it.
error_code Validate(od::value v, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::object: {
      od::object o;
      if (auto e = v.get_object().get(o)) return e;
      for (auto field : o) {
        std::string_view k;
        if (auto e = field.unescaped_key().get(k)) return e;
        od::value c;
        if (auto e = field.value().get(c)) return e;
        if (auto e = Validate(c, depth + 1)) return e;
      }
      return SUCCESS;
    }
    case od::json_type::array: {
      od::array a;
      if (auto e = v.get_array().get(a)) return e;
      for (auto item : a) {
        od::value c;
        if (auto e = item.get(c)) return e;
        if (auto e = Validate(c, depth + 1)) return e;
      }
      return SUCCESS;
    }
    case od::json_type::number: {
      od::number n;
      return v.get_number().get(n);
    }
    case od::json_type::string: {
      std::string_view s;
      return v.get_string().get(s);
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return e;
      return is_null ? SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

JsonType TypeOf(od::json_type t) {
  switch (t) {
    case od::json_type::object: return JsonType::kObject;
    case od::json_type::array: return JsonType::kArray;
    case od::json_type::string: return JsonType::kString;
    case od::json_type::boolean: return JsonType::kBool;
    case od::json_type::null: return JsonType::kNull;
    default: return JsonType::kNumber;
  }
}

error_code ReadScalar(od::value v, StatScalar* out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::number: {
      od::number n;
      if (auto e = v.get_number().get(n)) return e;
      if (n.is_int64()) *out = n.get_int64();
      else if (n.is_uint64()) *out = static_cast<double>(n.get_uint64());
      else *out = n.get_double();
      return SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      *out = std::string(s);
      return SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) return e;
      *out = b;
      return SUCCESS;
    }
    case od::json_type::null: {
      *out = std::monostate{};
      return Validate(v, 0);
    }
    default: return simdjson::INCORRECT_TYPE;
  }
}

Status ParseStats(od::value v, Stats* stats) {
  od::json_type t;
  if (auto e = v.type().get(t)) return JsonError(e);
  if (t == od::json_type::null) return Validate(v, 0) ? JsonError(simdjson::N_ATOM_ERROR) : Status::OK();
  if (t != od::json_type::object) return Status::DataError("field '__dj__stats__' must be an object");
  od::object o;
  if (auto e = v.get_object().get(o)) return JsonError(e);
  for (auto field : o) {
    std::string_view key;
    od::value c;
    if (auto e = field.unescaped_key().get(key)) return JsonError(e);
    std::string k(key);
    if (auto e = field.value().get(c)) return JsonError(e);
    od::json_type ct;
    if (auto e = c.type().get(ct)) return JsonError(e);
    if (ct == od::json_type::object) return Status::DataError("stat '" + k + "' in __dj__stats__ is an object");
    if (ct == od::json_type::array) {
      std::vector<StatScalar> list;
      od::array a;
      if (auto e = c.get_array().get(a)) return JsonError(e);
      for (auto item : a) {
        od::value iv;
        if (auto e = item.get(iv)) return JsonError(e);
        StatScalar s;
        if (auto e = ReadScalar(iv, &s)) {
          if (e == simdjson::INCORRECT_TYPE) return Status::DataError("stat '" + k + "' holds a nested list/object");
          return JsonError(e);
        }
        list.push_back(std::move(s));
      }
      stats->Set(std::move(k), StatValue(std::move(list)));
    } else {
      StatValue sv;
      StatScalar s;
      if (auto e = ReadScalar(c, &s)) return JsonError(e);
      sv.v = std::move(s);
      stats->Set(std::move(k), std::move(sv));
    }
  }
  return Status::OK();
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

Status SampleParser::Parse(const char* data, size_t len, size_t capacity, Sample* out) {
  od::document doc;
  if (auto e = impl_->parser.iterate(simdjson::padded_string_view(data, len, capacity)).get(doc))
    return JsonError(e);
  od::json_type root_type;
  if (auto e = doc.type().get(root_type)) return JsonError(e);
  if (root_type != od::json_type::object)
    return Status::DataError("a sample must be a JSON object, got " + std::string(JsonTypeName(TypeOf(root_type))));
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return JsonError(e);

  // the end of the object text: its closing brace
  const char* end = data + len;
  while (end > data && IsJsonSpace(end[-1])) --end;
  if (end == data || end[-1] != '}') return JsonError(simdjson::TAPE_ERROR);
  const char* const close = end - 1;

  auto& fields = out->mutable_fields();
  fields.reserve(fields.size() + 8);
  const size_t first = fields.size();
  // value_starts[i]: first byte of the i-th top-level value (null for __dj__stats__); bounds[i]: the
  // opening quote of the i-th key, which bounds the previous value's text. Reused across samples.
  auto& value_starts = impl_->value_starts;
  auto& bounds = impl_->bounds;
  value_starts.clear();
  bounds.clear();
  const char* stats_start = nullptr;
  for (auto field : obj) {
    od::raw_json_string raw_key;
    if (auto e = field.key().get(raw_key)) return JsonError(e);
    const char* key_quote = raw_key.raw() - 1;
    bounds.push_back(key_quote);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return JsonError(e);
    od::value v;
    if (auto e = field.value().get(v)) return JsonError(e, " in field '" + std::string(key) + "'");
    const char* start = v.raw_json_token().data();
    if (key == fields::kStats) {
      stats_start = start;
      JUICER_RETURN_IF_ERROR(ParseStats(v, &out->stats()));
      value_starts.push_back(nullptr);
      continue;
    }
    Sample::Field f;
    f.key.assign(key);
    od::json_type t;
    if (auto e = v.type().get(t)) return JsonError(e, " in field '" + f.key + "'");
    f.type = TypeOf(t);
    if (t == od::json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return JsonError(e, " in field '" + f.key + "'");
      f.decoded.assign(s);
      f.has_decoded = true;
    } else if (t == od::json_type::array) {
      od::array a;
      if (auto e = v.get_array().get(a)) return JsonError(e, " in field '" + f.key + "'");
      bool all_strings = true;
      for (auto item : a) {
        od::value iv;
        if (auto e = item.get(iv)) return JsonError(e, " in field '" + f.key + "'");
        od::json_type it;
        if (auto e = iv.type().get(it)) return JsonError(e, " in field '" + f.key + "'");
        if (it == od::json_type::string && all_strings) {
          std::string_view s;
          if (auto e = iv.get_string().get(s)) return JsonError(e, " in field '" + f.key + "'");
          f.decoded_list.emplace_back(s);
        } else {
          all_strings = false;
          if (auto e = Validate(iv, 1)) return JsonError(e, " in field '" + f.key + "'");
        }
      }
      f.has_decoded_list = all_strings;
      if (!all_strings) f.decoded_list.clear();
    } else {
      if (auto e = Validate(v, 0)) return JsonError(e, " in field '" + f.key + "'");
    }
    value_starts.push_back(start);
    fields.push_back(std::move(f));
  }
  // nothing may follow the object
  const char* loc = nullptr;
  if (!doc.current_location().get(loc)) return JsonError(simdjson::TRAILING_CONTENT);

  // raw spans: from a value's first byte to the next key's quote (or the closing brace), minus the
  // comma and whitespace in between
  size_t fi = first;
  for (size_t i = 0; i < value_starts.size(); ++i) {
    if (value_starts[i] == nullptr) continue;
    const char* e = i + 1 < bounds.size() ? bounds[i + 1] : close;
    while (e > value_starts[i] && IsJsonSpace(e[-1])) --e;
    if (i + 1 < bounds.size()) {
      if (e > value_starts[i] && e[-1] == ',') --e;
      while (e > value_starts[i] && IsJsonSpace(e[-1])) --e;
    }
    fields[fi++].borrowed = std::string_view(value_starts[i], e - value_starts[i]);
  }
  (void)stats_start;
  return Status::OK();
}

}  // namespace juicer
