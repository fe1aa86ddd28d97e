// Refine a recipe with the k-sigma rule (DJ's RefineRecipeViaKSigmaHook / modify_recipe_k_sigma):
// every numeric `min*` / `max*` param of an op becomes mean -/+ k*std of the op's stat, read from
// the analyzer's overall.csv.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <string_view>

#include "core/op_registry.h"
#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

// One column of overall.csv. A cell that is empty (NaN in pandas) or a row that is missing reads
// as NaN; string stats have a count and NaN moments.
struct StatMoment {
  double count = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  double std = std::numeric_limits<double>::quiet_NaN();
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
};
using StatMoments = std::map<std::string, StatMoment>;  // stat key -> its moments

// Reads the overall table written by `juicer analyze` (analysis/summary.h OverallCsv) or by DJ's
// analyzer (pandas describe().to_csv()): header ",<stat>,<stat>...", one row per statistic
// (count, [unique, top, freq,] mean, std, min, <percentiles>, max), RFC 4180 quoting.
// Errors: NotFound (no file), DataError naming file:line (ragged row, non-numeric cell in a
// numeric row, no header).
Result<StatMoments> ReadOverallCsv(const std::string& path);
Result<StatMoments> ParseOverallCsv(std::string_view text, const std::string& what);

// DJ's k-sigma rule on recipe["process"] (a list of {op_name: {param: value}}), everything else
// copied unchanged. For each op known to `registry`, for each stat key of the op (OpInfo.stat_keys,
// in order) present in `stats`, for each param given in the recipe whose name contains "min" the
// value becomes mean - k*std, whose name contains "max" mean + k*std ("max" wins when both); a
// later stat key overwrites an earlier one, as in DJ. A result that is NaN/inf (a string stat, a
// single-sample std) is skipped. Nothing is clamped. Differences from DJ, so the refined recipe
// still validates: only params the registry declares as int/float/size change (DJ would also
// overwrite e.g. a given `min_closed_interval: true`), and int params stay integers — ceil for a
// min, floor for a max, which keeps exactly the same samples when the stat is integer-valued.
// Errors: InvalidArgument when `process` is not a list of single-key maps or k is not finite.
Result<Json> RefineRecipeKSigma(const Json& recipe, const StatMoments& stats, const OpRegistry& registry,
                                double k = 3.0);

// Writes a recipe as YAML (.yaml/.yml) or JSON (.json) atomically, like DJ's hook;
// InvalidArgument for any other extension.
Status WriteRecipe(const Json& recipe, const std::string& path);

}  // namespace juicer::sandbox
