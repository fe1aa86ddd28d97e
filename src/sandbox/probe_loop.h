// `juicer sandbox probe`: the Probe -> Analyze -> Refine loop in one command.
//   1. stats of every OP of the recipe (juicer analyze), computed once and reused by every later step;
//   2. single-OP pools: low/mid/high thirds of each OP's stat (DJ's data_pool_construction) and, per
//      seed, a random pool of a third of the data;
//   3. one probe model per (pool, seed) at equal compute (probe_jobs.h), resumable;
//   4. per pool: metric mean with a Student-t 95% interval over seeds, change vs. the random pool of the
//      same seed (paired t-test and exact sign-flip test); OPs ranked by their best third;
//   5. Pearson and Spearman correlation of the OP stats, average-linkage clustering of OPs by |r| with the
//      cut of best silhouette;
//   6. recipes (top-k OPs, best OP of each cluster), scaling pyramid, refined DJ recipe applied to the
//      full data, xs -> m transfer check (probe_phases.h), diversity of the pools;
// then writes results.json (every number) and a self-contained report.html.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "dist/slurm.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

struct ProbeLoopOptions {
  std::string data;         // the dataset (JSONL)
  std::string task = "clip";
  std::string ops;          // a DJ recipe whose filters give the stats
  std::string out;          // output directory
  std::vector<std::string> eval;  // evaluation sets (default: the task's eval file beside `data`)
  std::string metric;       // dotted key into metrics.json (default per task)
  bool lower_is_better = false;
  int seeds = 3;
  int parallel = 2;
  int steps = 0, batch_size = 0;  // 0: the task's defaults
  std::string size = "xs";
  std::vector<std::string> set;   // key=value model overrides passed to `juicer train --set`
  int top_k = 3;            // recipes top-1..top-k; the pyramid is built from the top-k pools
  int min_pool = 32;        // smallest recipe intersection / pyramid top that is trained
  std::vector<double> scale_factors = {1, 2, 4};  // compute multiples of the scaling curves
  std::string transfer_size = "m";
  int transfer_pools = 2;   // the transfer check re-runs the top and bottom n pools (+ random)
  std::vector<std::string> skip;  // phases to leave out: recipes, scaling, refine, transfer, diversity
  // Dotted sample field (e.g. __dj__meta__.source): thirds are taken within each of its values and random
  // pools keep each value's share, so every pool has the data's mix of sources and a stat cannot win by
  // shifting that mix (it has to pick better samples within each source).
  std::string stratify_by;
  bool quiet = false;
  // Set: probe trainings run as Slurm job arrays (the `parallel` jobs at a time becomes the array's
  // throttle) instead of local child processes.
  std::optional<dist::SlurmOptions> slurm;
};

// The phases `skip` may name.
const std::vector<std::string>& ProbeLoopPhases();

Result<Json> RunProbeLoop(ProbeLoopOptions opts);

}  // namespace juicer::sandbox
