// `juicer sandbox probe`: the first half of the Probe -> Analyze -> Refine loop in one command.
//   1. stats of every OP of the recipe (juicer analyze), computed once;
//   2. single-OP pools: low/mid/high thirds of each OP's stat (DJ's data_pool_construction) and, per
//      seed, a random pool of a third of the data;
//   3. one probe model per (pool, seed) at equal compute (`juicer train` + `juicer eval` as child
//      processes, `parallel` at a time, one torch thread each), resumable: a finished (pool, seed) is
//      never retrained;
//   4. per pool: metric mean with a Student-t 95% interval over seeds, change vs. the random pool of the
//      same seed (paired t-test and exact sign-flip test); OPs ranked by their best third;
//   5. Pearson and Spearman correlation of the OP stats and average-linkage clustering of OPs by |r|
//      with the cut of best silhouette;
// then writes results.json and a self-contained report.html. Recipes from the ranking, scaling,
// transfer and diversity (issue 8 points 3-6) are not built yet.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
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
  bool quiet = false;
};

Result<Json> RunProbeLoop(ProbeLoopOptions opts);

}  // namespace juicer::sandbox
