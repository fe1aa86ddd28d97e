// The executor's run state, shared by executor.cpp (single process and common code) and
// executor_dist.cpp (the distributed parts). Internal to src/exec.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "analysis/stats_collector.h"
#include "core/dataset_writer.h"
#include "exec/batch_processor.h"
#include "exec/checkpoint.h"
#include "exec/executor.h"
#include "exec/progress.h"
#include "exec/run_group.h"
#include "exec/spill.h"

namespace juicer::exec_internal {

constexpr size_t kBatchRecords = 1024;
constexpr size_t kBatchBytes = 2 << 20;

// Records per batch for a segment. A batch is one worker's unit of work, so a segment whose ops are
// heavy per sample gets small batches: a video op decodes a whole file per sample and an image op a
// picture, and with 1024-record batches np workers would not share a dataset of a few hundred videos.
size_t BatchRecordsFor(const SegmentSpec& seg);

class Run {
 public:
  Run(const Recipe& r, RunMode mode, const RunOptions& opt) : r_(r), mode_(mode), opt_(opt), group_(opt.group) {}
  Result<RunSummary> Go();

 private:
  Status Setup();
  Status RunSegment(size_t k);
  Status StreamSegment(size_t k, RecordSource* src);
  Status Commit(BatchResult& b, size_t k);
  Status MaybeCheckpoint(bool force);
  Status FinishBarrier(size_t k);
  Status WriteTraces();
  std::string SpillPath(size_t k) const { return tmp_dir_ + "/seg-" + std::to_string(k) + ".jsonl"; }
  // distributed runs (executor_dist.cpp)
  Status SetupDistributed();
  Result<size_t> FirstSegmentToRun();
  Result<std::unique_ptr<RecordSource>> OpenDistributedInput(size_t k);
  Status FinishBarrierDistributed(size_t k);
  Status FinishDistributed();
  std::string RankPath(const std::string& path) const;
  std::string SpillPathOfRank(size_t k, int rank) const;
  std::string MarkerPath(size_t k) const { return SpillPath(k) + ".done"; }

  const Recipe& r_;
  RunMode mode_;
  RunOptions opt_;
  std::vector<std::unique_ptr<Op>> ops_;
  std::vector<SegmentSpec> segs_;
  BatchSettings settings_;
  std::vector<InputFile> files_;
  std::string tmp_dir_, ckpt_path_, fingerprint_;
  int threads_ = 1;
  // running state
  CheckpointState st_;
  bool resumed_ = false;
  std::unique_ptr<DatasetWriter> out_, stats_, rejected_;
  std::unique_ptr<Progress> progress_;
  std::vector<uint64_t> offsets_;  // spill line starts of the current segment
  FILE* offsets_file_ = nullptr;
  StatsCollector collector_;
  std::chrono::steady_clock::time_point last_ckpt_;
  uint64_t batches_committed_ = 0;
  long kill_after_ = -1;
  double ckpt_interval_s_ = 1.0;  // JUICER_CHECKPOINT_INTERVAL_S
  RunSummary sum_;
  bool any_filter_ = false;
  // distributed
  RunGroup* group_ = nullptr;
  std::string stats_lines_;  // analyzer: this rank's stats as JSON lines, in order
  InputPart part_;
  uint64_t index_base_ = 0;  // global index of this process's first record of the current segment
  std::vector<SpillFile> next_files_;  // input of the next segment (after a barrier)
  std::vector<SpillPos> next_positions_;
  std::string dist_dir_;
};


}  // namespace juicer::exec_internal
