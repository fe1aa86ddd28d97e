// Runs one pipeline segment's per-sample ops over a batch (on a worker thread) and serialises the result.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/dataset_reader.h"
#include "core/op.h"
#include "core/recipe.h"
#include "core/sample_parser.h"

namespace juicer {

inline constexpr std::string_view kOriginField = "__juicer_origin__";

struct OpCounter {
  uint64_t in = 0, out = 0, errors = 0;
  double seconds = 0;
};

struct SegmentSpec {
  std::vector<const Op*> ops;       // per-sample ops (filters, mappers)
  std::vector<size_t> op_index;     // their index in the recipe
  const DatasetOp* barrier = nullptr;  // dedup/selector ending the segment (its Prepare runs here)
  size_t barrier_index = 0;
  bool from_spill = false;  // input records carry kOriginField
  bool to_spill = false;    // output keeps stats + hashes + origin
};

struct BatchSettings {
  bool analyze = false;       // filters compute stats only
  bool keep_stats = false, keep_hashes = false;
  bool write_stats = false;   // emit {"__dj__stats__": ...} lines
  bool collect_stats = false; // keep Stats objects (analyzer)
  bool recipe_skip_errors = false;
  std::vector<bool> trace_op;  // by recipe op index
  int trace_num = 10;
  size_t n_ops = 0;
  // Relative media paths are rebased onto the export directory (absolute; empty: no rebasing) so they
  // still name the same files when the output is written elsewhere than the input.
  std::string export_dir;
  std::vector<std::string> media_keys;
};

struct BatchResult {
  uint64_t seq = 0, n_in = 0, input_bytes = 0;
  std::string out, stats, rejected;
  uint64_t n_out = 0, n_rejected = 0;
  std::vector<OpCounter> counters;                 // by recipe op index
  std::vector<std::vector<std::string>> traces;    // by recipe op index: JSON lines
  std::vector<Stats> collected;
  Status fatal;
};

class BatchProcessor {
 public:
  BatchProcessor(const SegmentSpec& seg, const BatchSettings& settings) : seg_(seg), set_(settings) {}
  void Process(const RecordBatch& batch, const std::vector<std::string>& file_names, BatchResult* out);

 private:
  // Returns false when the run must stop (result->fatal set).
  bool HandleError(const std::string& op_name, size_t op_index, const Status& st, const std::string& origin,
                   const std::string& raw_json, bool raw_is_json, BatchResult* r);
  void Serialize(const std::vector<Sample>& samples, BatchResult* r);
  // Copies `s` into *out with relative media paths rebased to settings.export_dir; false when none change.
  bool RebaseMedia(const Sample& s, Sample* out) const;

  const SegmentSpec& seg_;
  const BatchSettings& set_;
  SampleParser parser_;
  WorkerContext ctx_;
  std::vector<Sample> cur_, next_;
};

}  // namespace juicer
