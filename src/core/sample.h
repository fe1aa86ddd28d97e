// One Data-Juicer sample: top-level JSON fields kept as raw JSON text (so fields juicer does not
// touch are written back byte-for-byte), decoded views of the fields ops read, and parsed stats.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/stats.h"
#include "core/status.h"

namespace juicer {

// Reserved field names (Data-Juicer's).
namespace fields {
inline constexpr std::string_view kStats = "__dj__stats__";
inline constexpr std::string_view kMeta = "__dj__meta__";
inline constexpr std::string_view kSuffix = "__dj__suffix__";
inline constexpr std::string_view kHash = "__dj__hash";
inline constexpr std::string_view kMinHash = "__dj__minhash";
inline constexpr std::string_view kSimHash = "__dj__simhash";
inline constexpr std::string_view kImageHash = "__dj__imagehash";
inline constexpr std::string_view kVideoHash = "__dj__videohash";
bool IsHashField(std::string_view key);
}  // namespace fields

// Where a sample came from, for error messages: "data/a.jsonl:12".
struct SampleOrigin {
  std::string file;  // shared short path string per file
  uint64_t line = 0;  // 1-based line (JSONL/CSV) or element index + 1 (JSON array)
  std::string ToString() const { return file + ":" + std::to_string(line); }
};

enum class JsonType : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
std::string_view JsonTypeName(JsonType t);

class Sample {
 public:
  struct Field {
    std::string key;       // decoded key
    // Raw JSON text of the value, exactly as read or as written by an op: `raw` when the field owns
    // it, else `borrowed` (a view into the reader's batch buffer, valid while the batch is processed).
    std::string raw;
    std::string_view borrowed;
    std::string_view RawText() const { return raw.empty() ? borrowed : std::string_view(raw); }
    JsonType type = JsonType::kNull;
    bool has_decoded = false;     // for kString fields that were decoded
    std::string decoded;          // decoded string value
    std::vector<std::string> decoded_list;  // for arrays of strings (media lists)
    bool has_decoded_list = false;
  };

  // --- construction (readers) ---
  void AddField(Field f) { fields_.push_back(std::move(f)); }
  Stats& stats() { return stats_; }
  const Stats& stats() const { return stats_; }
  std::vector<Field>& mutable_fields() { return fields_; }
  const std::vector<Field>& fields() const { return fields_; }

  // --- access (ops) ---
  const Field* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  // The decoded string value of `key`. A missing field, null or a non-string is a DataError
  // that names the field and its type.
  Result<std::string_view> GetText(std::string_view key) const;
  // A list of strings (media paths). Missing or null -> empty list; other types -> DataError.
  Result<const std::vector<std::string>*> GetStringList(std::string_view key) const;

  // --- mutation (mappers, dedup) ---
  void SetString(std::string_view key, std::string_view value);
  void SetRaw(std::string_view key, std::string raw, JsonType type);
  void Remove(std::string_view key);

  // Serialise as one JSON object (no newline). Stats go last as __dj__stats__ when keep_stats,
  // __dj__meta__ is dropped unless keep_stats (DJ), hash fields unless keep_hashes.
  void AppendJson(std::string* out, bool keep_stats, bool keep_hashes) const;

  uint64_t index = 0;  // ordinal in the input stream, 0-based
  SampleOrigin origin;

 private:
  Field* FindMutable(std::string_view key);
  std::vector<Field> fields_;
  Stats stats_;
  static const std::vector<std::string> kEmptyList;
};

}  // namespace juicer
