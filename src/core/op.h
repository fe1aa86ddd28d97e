// Operators: metadata (OpInfo) and the four kinds (Filter, Mapper, Deduplicator/Selector as DatasetOp).
// Ops are const and stateless once built; per-worker scratch lives in WorkerContext, dataset-wide
// state of a DatasetOp in its DatasetState (sink -> observe in order -> finalize).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/params.h"
#include "core/sample.h"
#include "core/status.h"

namespace juicer {

enum class OpKind { kFilter, kMapper, kDeduplicator, kSelector };
enum class Modality { kText, kImage, kVideo, kImageText, kAudio, kAny };
std::string_view OpKindName(OpKind k);
std::string_view ModalityName(Modality m);

class Op;

struct OpInfo {
  std::string name;
  OpKind kind = OpKind::kFilter;
  Modality modality = Modality::kText;
  std::string summary;      // one line
  std::string description;  // long doc (semantics, formula, differences from DJ)
  std::vector<ParamSpec> params;   // op-specific params (common ones are implied by the kind)
  std::vector<std::string> stat_keys;  // keys written to __dj__stats__
  std::function<Result<std::unique_ptr<Op>>(const OpInfo&, const OpParams&)> factory;
};

// State an op keeps on one worker between samples (a model's scratch buffers, a cache).
struct OpWorkerState {
  virtual ~OpWorkerState() = default;
};

// Per-worker mutable state passed to ops (scratch buffers, caches). One per worker thread.
struct WorkerContext {
  std::string scratch;
  std::vector<uint32_t> codepoints;
  // The worker state of `op`, created (default-constructed T) on first use; T must derive from
  // OpWorkerState and always be the same type for one op.
  template <class T>
  T& StateFor(const Op* op) {
    std::unique_ptr<OpWorkerState>& p = op_states[op];
    if (!p) p = std::make_unique<T>();
    return static_cast<T&>(*p);
  }
  std::unordered_map<const Op*, std::unique_ptr<OpWorkerState>> op_states;
};

class Op {
 public:
  Op(const OpInfo& info, const OpParams& params);
  virtual ~Op() = default;
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;

  const OpInfo& info() const { return info_; }
  const std::string& name() const { return info_.name; }
  OpKind kind() const { return info_.kind; }
  const OpParams& params() const { return params_; }
  const std::string& text_key() const { return text_key_; }
  const std::string& image_key() const { return image_key_; }
  const std::string& video_key() const { return video_key_; }
  // Op-level skip_op_error, when the recipe set it for this op.
  std::optional<bool> skip_op_error() const { return skip_op_error_; }

 private:
  const OpInfo& info_;
  OpParams params_;
  std::string text_key_, image_key_, video_key_;
  std::optional<bool> skip_op_error_;
};

class Filter : public Op {
 public:
  Filter(const OpInfo& info, const OpParams& params);
  // Phase 1: write this op's stats into sample.stats(); an existing stat is never recomputed.
  virtual Status ComputeStats(Sample& sample, WorkerContext& ctx) const = 0;
  // Phase 2: keep or drop, from stats only.
  virtual Result<bool> Keep(const Sample& sample) const = 0;

 protected:
  // DJ's get_keep_boolean: closed intervals by default, min/max_closed_interval, reversed_range.
  bool KeepRange(double value, std::optional<double> min_v, std::optional<double> max_v) const;
  // Reads a numeric stat written by ComputeStats (DataError if missing or not a number).
  Result<double> NumericStat(const Sample& sample, const std::string& key) const;

 private:
  bool min_closed_ = true, max_closed_ = true, reversed_ = false;
};

class Mapper : public Op {
 public:
  using Op::Op;
  // Rewrites one sample into 0..n samples appended to `out` (the common 1:1 case moves `sample` into
  // `out`). On error `sample` must be left unchanged (it is reported as the rejected sample).
  virtual Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const = 0;
};

// Dataset-wide state of a deduplicator / selector.
struct DatasetState {
  virtual ~DatasetState() = default;
};

struct DuplicatePair {
  uint64_t kept = 0;     // position of the first occurrence
  uint64_t removed = 0;  // position of the duplicate
};

struct Selection {
  std::vector<uint64_t> positions;  // kept positions, in output order
  std::vector<DuplicatePair> pairs;  // for the tracer (deduplicators)
};

// A 128-bit key that puts samples in one cluster (see DatasetOp::ClusterKeys).
struct ClusterKey {
  uint64_t hi = 0, lo = 0;
  bool operator==(const ClusterKey& o) const { return hi == o.hi && lo == o.lo; }
  bool operator<(const ClusterKey& o) const { return hi != o.hi ? hi < o.hi : lo < o.lo; }
};

struct FinalizeContext {
  uint64_t total = 0;   // samples observed
  uint64_t seed = 42;   // recipe seed
  int trace_num = 10;
};

class DatasetOp : public Op {
 public:
  using Op::Op;
  // Per sample, in parallel: compute what Observe needs (a hash field, ...). Default: nothing.
  virtual Status Prepare(Sample& sample, WorkerContext& ctx) const;
  virtual std::unique_ptr<DatasetState> NewState() const = 0;
  // Every sample, sequentially in dataset order; `pos` is its 0-based position.
  virtual Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const = 0;
  virtual Result<Selection> Finalize(DatasetState& state, const FinalizeContext& ctx) const = 0;

  // For distributed runs (src/dist). A deduplicator whose clusters are the connected components of
  // "shares a cluster key" and which keeps the first sample of each cluster, in input order (exact:
  // the digest; MinHash: one key per band), says so here and gives a prepared sample's keys; the
  // clusters are then resolved across processes from the keys alone (Selection::pairs excepted).
  virtual bool HasClusterKeys() const { return false; }
  virtual Status ClusterKeys(const Sample& sample, std::vector<ClusterKey>* keys) const;
  // The top-level fields Observe reads ("__dj__stats__": the stats), so a distributed run ships only
  // those to the other processes; nullopt: the whole sample.
  virtual std::optional<std::vector<std::string>> ObservedFields() const { return std::nullopt; }
};

}  // namespace juicer
