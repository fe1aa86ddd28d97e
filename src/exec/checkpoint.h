// Checkpoint state of a run (use_checkpoint): which segment, how far, where each output file was.
// A resumed run truncates outputs back to these positions and skips the records already done, so its
// output is byte-identical to an uninterrupted run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/dataset_writer.h"
#include "exec/batch_processor.h"

namespace juicer {

struct CheckpointState {
  static constexpr int kVersion = 1;
  std::string fingerprint;
  uint32_t segment = 0;
  uint64_t records_done = 0;  // input records of this segment already processed
  uint64_t bytes_done = 0;
  uint64_t samples_in = 0;    // records read in segment 0 (the dataset size so far)
  WriterPosition out, stats, rejected;
  uint64_t n_offsets = 0;     // spill line offsets recorded
  uint64_t rejected_count = 0;
  std::vector<OpCounter> counters;
  std::vector<std::vector<std::string>> traces;
};

std::string CheckpointToJson(const CheckpointState& s);
Result<CheckpointState> CheckpointFromJson(const std::string& text);

}  // namespace juicer
