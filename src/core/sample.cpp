#include "core/sample.h"

#include "core/json_text.h"

namespace juicer {

namespace fields {
bool IsHashField(std::string_view key) {
  return key == kHash || key == kMinHash || key == kSimHash || key == kImageHash || key == kVideoHash;
}
}  // namespace fields

const std::vector<std::string> Sample::kEmptyList;

std::string_view JsonTypeName(JsonType t) {
  switch (t) {
    case JsonType::kNull: return "null";
    case JsonType::kBool: return "a boolean";
    case JsonType::kNumber: return "a number";
    case JsonType::kString: return "a string";
    case JsonType::kArray: return "a list";
    case JsonType::kObject: return "an object";
  }
  return "?";
}

const Sample::Field* Sample::Find(std::string_view key) const {
  for (const auto& f : fields_)
    if (f.key == key) return &f;
  return nullptr;
}

Sample::Field* Sample::FindMutable(std::string_view key) {
  for (auto& f : fields_)
    if (f.key == key) return &f;
  return nullptr;
}

Result<std::string_view> Sample::GetText(std::string_view key) const {
  const Field* f = Find(key);
  if (f == nullptr) return Status::DataError("field '" + std::string(key) + "' is missing");
  if (f->type != JsonType::kString)
    return Status::DataError("field '" + std::string(key) + "' is " + std::string(JsonTypeName(f->type)) +
                             ", expected a string");
  if (!f->has_decoded) return Status::Internal("field '" + std::string(key) + "' was not decoded by the reader");
  return std::string_view(f->decoded);
}

Result<const std::vector<std::string>*> Sample::GetStringList(std::string_view key) const {
  const Field* f = Find(key);
  if (f == nullptr || f->type == JsonType::kNull) return &kEmptyList;
  if (f->type != JsonType::kArray || !f->has_decoded_list)
    return Status::DataError("field '" + std::string(key) + "' is " + std::string(JsonTypeName(f->type)) +
                             ", expected a list of strings");
  return &f->decoded_list;
}

void Sample::SetString(std::string_view key, std::string_view value) {
  std::string raw;
  AppendJsonString(value, &raw);
  SetRaw(key, std::move(raw), JsonType::kString);
  Field* f = FindMutable(key);
  f->has_decoded = true;
  f->decoded.assign(value);
}

void Sample::SetRaw(std::string_view key, std::string raw, JsonType type) {
  Field* f = FindMutable(key);
  if (f == nullptr) {
    fields_.emplace_back();
    f = &fields_.back();
    f->key.assign(key);
  }
  f->raw = std::move(raw);
  f->borrowed = {};
  f->type = type;
  f->has_decoded = false;
  f->decoded.clear();
  f->has_decoded_list = false;
  f->decoded_list.clear();
}

void Sample::Remove(std::string_view key) {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (it->key == key) {
      fields_.erase(it);
      return;
    }
  }
}

void Sample::AppendJson(std::string* out, bool keep_stats, bool keep_hashes) const {
  out->push_back('{');
  bool first = true;
  for (const auto& f : fields_) {
    if (!keep_stats && f.key == fields::kMeta) continue;
    if (!keep_hashes && fields::IsHashField(f.key)) continue;
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(f.key, out);
    out->push_back(':');
    out->append(f.RawText());
  }
  if (keep_stats && !stats_.empty()) {
    if (!first) out->push_back(',');
    AppendJsonString(fields::kStats, out);
    out->push_back(':');
    AppendStatsJson(stats_, out);
  }
  out->push_back('}');
}

}  // namespace juicer
