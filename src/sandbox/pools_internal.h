// Shared pieces of the data-pool manipulators (pools*.cpp): reading pools with stable ids, atomic
// pool writers, DJ's file naming helpers and config getters whose errors name the key.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dataset_writer.h"
#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox::pools {

inline constexpr const char* kStatsKey = "__dj__stats__";
inline constexpr const char* kMetaKey = "__dj__meta__";
inline constexpr const char* kUidKey = "uid";

// ---- reading ---------------------------------------------------------------------------------------
// Called for every sample of a pool, in file order. `sample` already carries __dj__meta__.uid (== uid);
// `where` is "file:line".
using SampleFn = std::function<Status(Json& sample, const std::string& uid, const std::string& where)>;
// Reads a dataset file (.jsonl, .jsonl.zst, .json array or JSON lines, .csv, .tsv) or a directory of them.
// A malformed record is a DataError naming file:line.
Status ForEachSample(const std::string& path, const SampleFn& fn);

// One sample as it goes into a pool file: its id and compact JSON text (uid included, no newline).
struct PoolRecord {
  std::string uid;
  std::string text;
};
Result<std::vector<PoolRecord>> LoadPool(const std::string& path);

// Makes sure `sample` has __dj__meta__.uid and returns it; DataError for a non-object sample, a
// non-object __dj__meta__ or a non-string uid.
Result<std::string> EnsureUid(Json& sample);

// ---- writing ---------------------------------------------------------------------------------------
// Streams lines into `path` (parent directories created) through a temporary file renamed on Commit.
class PoolWriter {
 public:
  static Result<std::unique_ptr<PoolWriter>> Open(const std::string& path);
  ~PoolWriter();
  Status Add(std::string_view line);  // one JSON text, without newline
  Result<std::string> Commit();       // final path

 private:
  PoolWriter() = default;
  Status Flush();
  std::unique_ptr<DatasetWriter> w_;
  std::string path_, buf_;
  uint64_t pending_ = 0;
  bool committed_ = false;
};
// Writes `records[order[i]]` for every i (all records in order when `order` is null).
Result<std::string> WritePool(const std::string& path, const std::vector<PoolRecord>& records,
                              const std::vector<uint32_t>* order = nullptr);

// ---- names -----------------------------------------------------------------------------------------
// os.path.splitext(os.path.basename(p))[0] (trailing slashes ignored).
std::string PathStem(const std::string& path);
// DJ's get_longest_common_prefix (cut back to a UTF-8 character boundary).
std::string LongestCommonPrefix(const std::vector<std::string>& strs);
// os.path.join(dir, name).
std::string JoinPath(const std::string& dir, const std::string& name);
// Short one-line rendering of a config value for error messages.
std::string Brief(const Json& v);
void Warn(const std::string& msg);

// ---- config getters (`what` is the manipulator type, used as message prefix) ------------------------
// A path or a list of paths; missing/null -> empty.
Result<std::vector<std::string>> GetPathList(const Json& cfg, std::string_view what, const char* key);
// Required non-empty string.
Result<std::string> GetExportPath(const Json& cfg, std::string_view what);
// DJ's check_io_paths: missing inputs are skipped with a warning; none left is an error.
Result<std::vector<std::string>> ExistingPaths(const std::vector<std::string>& paths, std::string_view what,
                                               const char* key);
Result<bool> GetBool(const Json& cfg, std::string_view what, const char* key, bool dflt);
// Optional integer >= min_value (missing/null -> nullopt).
Result<std::optional<int64_t>> GetOptInt(const Json& cfg, std::string_view what, const char* key,
                                         int64_t min_value);

// Deterministic shuffle used wherever DJ shuffles with a seed: std::mt19937_64(seed) + Fisher-Yates
// (j = rng() % (i + 1) for i = n-1 .. 1). Python/HF permutations cannot be reproduced bit for bit.
std::vector<uint32_t> ShuffledOrder(size_t n, uint64_t seed);

// ---- strata (juicer extension `stratify_by` of data_pool_construction and data_pool_downsampling) ---
// The optional `stratify_by` key: a dotted path into each sample (e.g. "__dj__meta__.source");
// missing, null or "" -> "" (no strata).
Result<std::string> GetStratifyKey(const Json& cfg, std::string_view what);
// A sample's stratum: the value at the dotted key, strings as they are and other values as JSON text;
// "(missing)" when the sample has no such key.
std::string StratumOf(const Json& sample, const std::string& dotted_key);
// Indices 0..n-1 grouped by stratum: groups in order of first appearance, indices in the order given.
std::vector<std::vector<uint32_t>> GroupByStratum(const std::vector<std::string>& strata,
                                                  const std::vector<uint32_t>& order);

// The manipulators.
Result<Json> RunConstruction(const Json& cfg);
Result<Json> RunCombination(const Json& cfg);
Result<Json> RunDuplication(const Json& cfg);
Result<Json> RunDownsampling(const Json& cfg);
Result<Json> RunMerging(const Json& cfg);
Result<Json> RunCartesianJoin(const Json& cfg);
Result<Json> RunRanking(const Json& cfg);

}  // namespace juicer::sandbox::pools
