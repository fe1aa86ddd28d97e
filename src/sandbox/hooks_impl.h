// The built-in hook functions (hooks_data.cpp, hooks_model.cpp), registered by hooks_builtin.cpp.
#pragma once

#include <vector>

#include "core/op_registry.h"
#include "sandbox/config.h"
#include "sandbox/hook.h"

namespace juicer::sandbox {

Result<std::vector<Json>> ProbeViaAnalyzerHook(HookCall& call);
Result<std::vector<Json>> ProbeViaModelInferHook(HookCall& call);
Result<std::vector<Json>> GeneralProbeHook(HookCall& call);
Result<std::vector<Json>> RefineRecipeViaKSigmaHook(HookCall& call);
Result<std::vector<Json>> RefineRecipeViaModelFeedbackHook(HookCall& call);
Result<std::vector<Json>> ProcessDataHook(HookCall& call);
Result<std::vector<Json>> DataPoolManipulationHook(HookCall& call);
Result<std::vector<Json>> GeneralDataExecutorHook(HookCall& call);
Result<std::vector<Json>> TrainModelHook(HookCall& call);
Result<std::vector<Json>> InferModelHook(HookCall& call);
Result<std::vector<Json>> EvaluateDataHook(HookCall& call);
Result<std::vector<Json>> EvaluateModelHook(HookCall& call);
// juicer's own: the whole `juicer sandbox probe` loop as one job (hooks_probe_loop.cpp).
Result<std::vector<Json>> ProbeRefineLoopHook(HookCall& call);

// The op registry the recipe-refining hooks consult (juicer's built-in ops).
const OpRegistry& SandboxOpRegistry();
// A recipe's work_dir: its `work_dir`, else the directory of its export_path (as juicer process does).
std::string RecipeWorkDir(const Json& recipe);

}  // namespace juicer::sandbox
