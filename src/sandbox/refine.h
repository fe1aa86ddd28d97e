// Recipe refinement from probe feedback (RefineRecipeViaModelFeedbackHook and `juicer sandbox probe`).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

// Sets, in `recipe`, the bounds of the op computing each pool's stat from that pool's stat range. Each
// pool is a data_pool_construction output <export>/<stat>/<name>_<stat>_<i>.jsonl (the stat is the
// folder name unless `stat_override` is given); its range becomes the op's min*/max* params (the lower
// bound unless it is the lowest split, the upper bound unless it is the highest). An op missing from the
// recipe is added (the registry's first filter writing the stat). `applied` (optional) receives one
// object per pool: pool, op, stat, split, splits, bounds.
Result<Json> RefineRecipeFromPools(Json recipe, const std::vector<std::string>& pools, const std::string& stat_override,
                                   Json* applied, const std::function<void(const std::string&)>& log);

}  // namespace juicer::sandbox
