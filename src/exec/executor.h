// The executor: streams samples through a recipe's ops with np worker threads, preserving input order.
// Filters/mappers run per batch; deduplicators and selectors are barriers (the segment before them is
// spilled to disk, the op observes every sample in order, then the next segment reads its selection).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/op.h"
#include "core/recipe.h"

namespace juicer {

enum class RunMode { kProcess, kAnalyze };

struct OpSummary {
  std::string name;
  OpKind kind = OpKind::kFilter;
  uint64_t in = 0, out = 0, errors = 0;
  double seconds = 0;  // CPU seconds summed over workers
};

struct RunSummary {
  std::vector<OpSummary> ops;
  uint64_t samples_in = 0, samples_out = 0, rejected = 0, input_bytes = 0;
  std::vector<std::string> outputs;  // exported dataset files
  std::string stats_path, trace_dir, rejected_path, analysis_dir;
  std::vector<std::string> analysis_files;
  double seconds = 0;
  bool resumed = false;
  int threads = 1;
  int ranks = 1;               // processes of a distributed run
  std::string manifest_path;   // distributed run: lists every rank's output files, in dataset order
};

class RunGroup;

struct RunOptions {
  bool progress = true;
  // A distributed run (exec/run_group.h): this process is one rank of the group and processes its part
  // of the input; null: the whole run in this process.
  RunGroup* group = nullptr;
};

Result<RunSummary> RunRecipe(const Recipe& recipe, RunMode mode, const RunOptions& options);
std::string FormatSummary(const RunSummary& s);

}  // namespace juicer
