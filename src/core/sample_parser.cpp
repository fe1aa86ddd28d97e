#include "core/sample_parser.h"

#include <simdjson.h>

#include <string>

namespace juicer {

size_t JsonPadding() { return simdjson::SIMDJSON_PADDING; }

struct SampleParser::Impl {
  simdjson::dom::parser dom;
  simdjson::ondemand::parser od;
};

SampleParser::SampleParser() : impl_(std::make_unique<Impl>()) {}
SampleParser::~SampleParser() = default;

namespace {

JsonType TypeOf(const simdjson::dom::element& e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return JsonType::kArray;
    case simdjson::dom::element_type::OBJECT: return JsonType::kObject;
    case simdjson::dom::element_type::STRING: return JsonType::kString;
    case simdjson::dom::element_type::BOOL: return JsonType::kBool;
    case simdjson::dom::element_type::NULL_VALUE: return JsonType::kNull;
    default: return JsonType::kNumber;
  }
}

StatScalar ScalarOf(const simdjson::dom::element& e) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: {
      std::string_view sv;
      if (e.get_string().get(sv)) {
      }
      return std::string(sv);
    }
    case simdjson::dom::element_type::BOOL: {
      bool b = false;
      if (e.get_bool().get(b)) {
      }
      return b;
    }
    case simdjson::dom::element_type::INT64: {
      int64_t i = 0;
      if (e.get_int64().get(i)) {
      }
      return i;
    }
    case simdjson::dom::element_type::UINT64: {
      uint64_t u = 0;
      if (e.get_uint64().get(u)) {
      }
      return static_cast<double>(u);
    }
    case simdjson::dom::element_type::DOUBLE: {
      double d = 0;
      if (e.get_double().get(d)) {
      }
      return d;
    }
    default: return std::monostate{};
  }
}

Status ParseStats(const simdjson::dom::element& e, Stats* stats) {
  if (e.type() == simdjson::dom::element_type::NULL_VALUE) return Status::OK();
  if (e.type() != simdjson::dom::element_type::OBJECT)
    return Status::DataError("field '__dj__stats__' must be an object");
  simdjson::dom::object obj;
  if (e.get_object().get(obj)) return Status::DataError("field '__dj__stats__' must be an object");
  for (auto [key, value] : obj) {
    if (value.type() == simdjson::dom::element_type::ARRAY) {
      std::vector<StatScalar> list;
      simdjson::dom::array arr;
      if (value.get_array().get(arr)) {
      }
      for (auto item : arr) list.push_back(ScalarOf(item));
      stats->Set(std::string(key), StatValue(std::move(list)));
    } else if (value.type() == simdjson::dom::element_type::OBJECT) {
      return Status::DataError("stat '" + std::string(key) + "' in __dj__stats__ is an object");
    } else {
      StatValue v;
      v.v = ScalarOf(value);
      stats->Set(std::string(key), std::move(v));
    }
  }
  return Status::OK();
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Status SampleParser::Parse(const char* data, size_t len, size_t capacity, Sample* out) {
  using namespace simdjson;
  dom::element root;
  auto err = impl_->dom.parse(data, len, false).get(root);
  if (err) return Status::DataError(std::string("invalid JSON: ") + error_message(err));
  if (root.type() != dom::element_type::OBJECT)
    return Status::DataError(std::string("a sample must be a JSON object, got ") +
                             std::string(JsonTypeName(TypeOf(root))));
  dom::object dobj;
  if (root.get_object().get(dobj)) return Status::Internal("object expected");

  ondemand::document doc;
  err = impl_->od.iterate(padded_string_view(data, len, capacity)).get(doc);
  if (err) return Status::DataError(std::string("invalid JSON: ") + error_message(err));
  ondemand::object oobj;
  err = doc.get_object().get(oobj);
  if (err) return Status::DataError(std::string("invalid JSON: ") + error_message(err));

  auto dit = dobj.begin();
  for (auto ofield : oobj) {
    if (dit == dobj.end()) return Status::Internal("DOM and On-Demand disagree on the field count");
    dom::key_value_pair kv = *dit;
    ++dit;
    ondemand::value ov;
    err = ofield.value().get(ov);
    if (err) return Status::DataError(std::string("invalid JSON: ") + error_message(err));
    if (kv.key == fields::kStats) {
      JUICER_RETURN_IF_ERROR(ParseStats(kv.value, &out->stats()));
      continue;  // On-Demand skips the unread value when the loop advances
    }
    Sample::Field f;
    f.key.assign(kv.key);
    f.type = TypeOf(kv.value);
    std::string_view raw;
    if (f.type == JsonType::kObject) {
      ondemand::object o;
      err = ov.get_object().get(o);
      if (!err) err = o.raw_json().get(raw);
    } else if (f.type == JsonType::kArray) {
      ondemand::array a;
      err = ov.get_array().get(a);
      if (!err) err = a.raw_json().get(raw);
    } else {
      raw = TrimRight(ov.raw_json_token());
    }
    if (err) return Status::DataError("invalid JSON in field '" + f.key + "': " + error_message(err));
    f.borrowed = raw;  // the batch buffer outlives the sample
    if (f.type == JsonType::kString) {
      std::string_view sv;
      if (kv.value.get_string().get(sv)) {
      }
      f.decoded.assign(sv);
      f.has_decoded = true;
    } else if (f.type == JsonType::kArray) {
      bool all_strings = true;
      dom::array arr;
      if (kv.value.get_array().get(arr)) {
      }
      for (auto item : arr) {
        if (item.type() != dom::element_type::STRING) {
          all_strings = false;
          break;
        }
      }
      if (all_strings) {
        for (auto item : arr)
          f.decoded_list.emplace_back(std::string_view(item.get_string().value_unsafe()));
        f.has_decoded_list = true;
      }
    }
    out->AddField(std::move(f));
  }
  return Status::OK();
}

}  // namespace juicer
