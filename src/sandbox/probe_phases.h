// The phases of `juicer sandbox probe` after the single-OP pools (probe_loop.cpp runs stats, pools,
// single-OP probes, ranking and clustering, then these): recipes from the ranking, the scaling
// pyramid, the refined Data-Juicer recipe applied to the full data, and the xs -> m transfer check.
// Every phase returns the JSON block results.json stores under its name.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "sandbox/json.h"
#include "sandbox/probe_jobs.h"
#include "sandbox/probe_loop.h"

namespace juicer::sandbox {

struct LoopPool {
  std::string name;  // "text_len/2" or "random"
  std::string stat;  // "" for random
  int third = -1;    // 0 low, 1 mid, 2 high
  std::vector<std::string> path_by_seed;
  std::vector<double> values;  // the metric by seed
};

struct LoopContext {
  ProbeLoopOptions o;
  ProbeTraining training;
  std::function<void(const std::string&)> log;
  std::string analyzed;        // the data with every OP's stats
  Json recipe;                 // the user's recipe (the stats recipe)
  size_t n_samples = 0, pool_size = 0;
  std::vector<LoopPool> pools; // single-OP pools, then the random pool (last)
  Json ranking;                // best third of each OP, best first (rows of results.json "pools")
  Json clusters;               // lists of stats
  double sign = 1;             // +1 higher is better, -1 lower is better

  const LoopPool& Random() const { return pools.back(); }
  const LoopPool* Find(const std::string& stat, int third) const;
  std::string Dir(const std::string& rel) const;
};

// Mean/CI summary and the paired comparison with `baseline` (same seeds) as results.json rows use.
Json SummaryAndVsBaseline(const std::vector<double>& values, const std::vector<double>& baseline, double sign);

Result<Json> RunRecipesPhase(LoopContext& c);
Result<Json> RunScalingPhase(LoopContext& c);
// `recipes` is the block RunRecipesPhase returned (the refined recipe follows the best of them).
Result<Json> RunRefinePhase(LoopContext& c, const Json& recipes);
Result<Json> RunTransferPhase(LoopContext& c);
// Words, verb-noun pairs and a thumbnail gallery (probe_diversity.h) of the random pool, each ranked OP's
// best and worst third and the best recipe (from `results` so far).
Result<Json> RunDiversityPhase(LoopContext& c, const Json& results);

}  // namespace juicer::sandbox
