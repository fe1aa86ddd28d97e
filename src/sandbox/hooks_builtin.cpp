// The one place the built-in hooks are registered.
#include "ops/builtin.h"
#include "sandbox/hooks_impl.h"

namespace juicer::sandbox {

void RegisterBuiltinHooks(HookRegistry& r) {
  struct Row {
    const char* name;
    const char* dj_class;
    const char* doc;
    const char* outputs;
    HookFn fn;
  };
  const Row rows[] = {
      {"probe_via_analyzer", "ProbeViaAnalyzerHook",
       "runs `juicer analyze` on dj_configs: every filter's stats, work_dir/analysis/ (overall.csv, charts)",
       "export_path of the dataset with stats", ProbeViaAnalyzerHook},
      {"probe_via_model_infer", "ProbeViaModelInferHook",
       "samples dj_configs.data_probe_ratio of the data (data_probe_algo uniform|random) and runs the model's "
       "inference (extra_configs: clip or command)",
       "the inference result (embeddings path, or the command's result)", ProbeViaModelInferHook},
      {"general_probe", "GeneralProbeHook", "data-pool probes: data_pool_ranking (extra_configs.type)",
       "the ranked pools", GeneralProbeHook},
      {"refine_recipe_via_k_sigma", "RefineRecipeViaKSigmaHook",
       "sets every min*/max* threshold of dj_configs to mean -/+ k*std (k: extra_configs.k, default 3) of the "
       "analyzer's stats; writes extra_configs.path_k_sigma_recipe",
       "the refined recipe path", RefineRecipeViaKSigmaHook},
      {"refine_recipe_via_model_feedback", "RefineRecipeViaModelFeedbackHook",
       "sets the thresholds of dj_configs from the best-ranked stat pools (the probe ranking): each top pool's "
       "stat range becomes its op's min/max; writes extra_configs.path_model_feedback_recipe",
       "the refined recipe path", RefineRecipeViaModelFeedbackHook},
      {"process_data", "ProcessDataHook", "runs `juicer process` on dj_configs", "export_path", ProcessDataHook},
      {"data_pool_manipulation", "DataPoolManipulationHook",
       "data pools (extra_configs.type): data_pool_construction, _combination, _duplication, _downsampling, "
       "_merging, _cartesian_join",
       "the manipulator's result (pool paths)", DataPoolManipulationHook},
      {"general_data_executor", "GeneralDataExecutorHook",
       "format conversions (extra_configs.type): dj_to_llava, llava_to_dj, dj_to_webdataset", "the converted paths",
       GeneralDataExecutorHook},
      {"train_model", "TrainModelHook",
       "trains a model: the built-in probe tasks (extra_configs.type clip|caption|lm: `juicer train`) or any "
       "external trainer (type: command)",
       "the model directory (built-in) or the command's result {metrics, log_file, ...}", TrainModelHook},
      {"infer_model", "InferModelHook", "model inference: clip embeddings (`juicer encode`) or type: command",
       "the inference output", InferModelHook},
      {"evaluate_data", "EvaluateDataHook",
       "data evaluators (extra_configs.type): accuracy, mse, stats_summary", "the metrics", EvaluateDataHook},
      {"evaluate_model", "EvaluateModelHook",
       "evaluates a model: built-in tasks (`juicer eval` -> metrics.json) or type: command", "the metrics",
       EvaluateModelHook},
      {"probe_refine_loop", "ProbeRefineLoopHook",
       "juicer's own: the whole Probe -> Analyze -> Refine loop of `juicer sandbox probe` (dj_configs: the recipe "
       "giving the stats; extra_configs: the command's options, snake case)",
       "results.json, report.html, the refined recipe path", ProbeRefineLoopHook},
  };
  for (const Row& row : rows) {
    Status st = r.Register({row.name, row.dj_class, row.doc, row.outputs, row.fn});
    (void)st;  // names are distinct by construction; a clash is caught by the registry test
  }
}

const HookRegistry& BuiltinHooks() {
  static const HookRegistry* registry = [] {
    auto* r = new HookRegistry();
    RegisterBuiltinHooks(*r);
    return r;
  }();
  return *registry;
}

const OpRegistry& SandboxOpRegistry() { return BuiltinRegistry(); }

}  // namespace juicer::sandbox
