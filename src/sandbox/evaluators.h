// Data evaluators of the sandbox's EvaluateDataHook, chosen by the config's `type`:
//
//   accuracy       Data-Juicer's AccuracyEvaluator: predicted_dataset_path (path or list),
//                  ground_truth_dataset_path (optional: the labels are in the predicted data),
//                  predicted_label_key, ground_truth_label_key (dotted). Labels compare as Python's
//                  str() of the values. Outputs: [results, max_accuracy], results =
//                  [{pred_path, gt_path, accuracy}] per existing path pair.
//   mse            Data-Juicer's MSEEvaluator: predicted_value_key, ground_truth_value_key, the same
//                  paths. Values convert like Python's float() (numbers, bools, numeric strings; a
//                  non-numeric string counts as a format error and is skipped). Outputs:
//                  [results, min_mse], results = [{pred_path, gt_path, mse, format_error}].
//   stats_summary  juicer: dataset_path, stats_keys (list; default every __dj__stats__ key seen),
//                  text_key ("text"), skip_missing (false). A key is looked up in __dj__stats__,
//                  then __dj__meta__, then the sample (dotted); list values are flattened. Output:
//                  [{"dataset_size": {num_samples, text_bytes},
//                    "stats": {key: {count, mean, std, min, max, median}}}]
//                  (a key with only string values: {count, unique, top, freq}; std is the sample
//                  std, null below 2 values).
//   dataset_size   juicer: dataset_path, text_key ("text"). Output: [{num_samples, text_bytes}].
//
// Like DJ, the samples of a predicted / ground-truth pair are paired in order up to the shorter
// file, and pairs whose files do not exist are skipped (an error when none exists). A missing field
// is a DataError naming file:line.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

// Runs the evaluator named by cfg["type"]. Returns the hook's outputs as a JSON array in DJ's
// tuple order (the runner maps them to the job's `output` names; DJ unpacks a one-element list
// into a single output).
Result<Json> RunDataEvaluator(const Json& cfg);

// The evaluator types RunDataEvaluator knows, sorted.
std::vector<std::string> DataEvaluatorTypes();

// Data-Juicer's nested_query: the longest dotted suffix present as a literal key wins at each
// level ("a.b.c" tries key "a.b.c", then descends into "a" and tries "b.c", ...). nullptr when
// absent or null.
const Json* NestedQuery(const Json& obj, const std::string& key);

// Python's str() of a JSON scalar (True/False/None, 1.0, 'text' as text).
std::string PythonStr(const Json& v);

}  // namespace juicer::sandbox
