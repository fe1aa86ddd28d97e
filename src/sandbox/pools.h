// Data pools of the sandbox: Data-Juicer's data-pool manipulators (DataPoolManipulationHook, chosen by
// extra_configs.type) and the general probe data_pool_ranking (GeneralProbeHook), with DJ's config keys,
// defaults, output names and return values.
//
//   data_pool_construction    dataset_path, export_path, split_ratios [1/3, 2/3] (numbers or "1/3"),
//                             split_num, ignore_stats -> list of paths
//                             <export_path>/<stat>/<stem>_<stat>_<i>.jsonl (i = 0 lowest ... highest), or
//                             <export_path>/<stem>_ignore_stats_<i>.jsonl with ignore_stats
//   data_pool_combination     dataset_path (N pools ranked best first), export_path -> list of paths
//                             <export_path>/<common prefix>_top_<ranks>_num_<n>.jsonl (non-empty only)
//   data_pool_duplication     dataset_path, export_path, duplicating_times [], shuffle false, shuffle_seed 42
//                             -> list of <export_path>/<stem>_x<k>.jsonl
//   data_pool_downsampling    dataset_path, export_path, target_num_samples (smallest pool), shuffle_seed 42
//                             -> list of <export_path>/<stem>_<target>.jsonl
//   data_pool_merging         dataset_path, export_path -> one path <export_path>/<common prefix>_merged.jsonl
//   data_pool_cartesian_join  dataset_path_1, dataset_path_2, export_path -> list of
//                             <export_path>/<prefix1>_<prefix2>_cartesian_join_<i>_<j>.jsonl
//   data_pool_ranking         dataset_path, metrics (lists of the same length), ranking_keys (dotted),
//                             descending true, top_n -> the dataset_path entries, best first
#pragma once

#include <string>

#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

// Runs the DataPoolManipulationHook capability named by cfg["type"] (DJ's extra_configs); returns what
// DJ's manipulator returns: a list of output paths, or one path for data_pool_merging.
Result<Json> RunDataPoolManipulator(const Json& cfg);

// GeneralProbeHook capability (cfg["type"] == "data_pool_ranking"); returns the ranked dataset_path list.
Result<Json> RunGeneralProbe(const Json& cfg);

// Stable sample id, stored in `__dj__meta__.uid`: 32 hex digits of xxh3-128 over the sample's JSON with
// `__dj__stats__` and `__dj__meta__` removed and object keys sorted. Computed once when a sample first
// enters a pool and written into the pool files; combination intersects pools by this id (DJ hashes the
// whole sample, stats included).
std::string SampleUid(const Json& sample);

}  // namespace juicer::sandbox
