// A sandbox config (Data-Juicer's sandbox YAML, SANDBOX.md §5) parsed and validated before anything runs:
// unknown hooks, dangling `input` references and bad `iter_targets` are errors that name the YAML path.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sandbox/hook.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

inline constexpr const char* kStageKeys[] = {"probe_job_configs", "refine_recipe_job_configs",
                                             "execution_job_configs", "evaluation_job_configs"};

struct JobConfig {
  std::string stage;      // one of kStageKeys
  std::string yaml_path;  // e.g. "pipelines[0].p1.execution_job_configs[1]"
  std::string hook;       // canonical snake name
  std::string meta_name = "anonymous_meta_name";
  Json dj_configs;        // inline mapping, path string or null
  Json extra_configs;     // likewise
  std::vector<std::pair<std::string, std::string>> input;  // config key to update <- context reference
  std::vector<std::string> output;                          // names of the hook's outputs
  bool has_output = false;
  std::vector<std::pair<std::string, Json>> local;          // dotted config key -> value, applied first
};

struct PipelineConfig {
  std::string name = "anonymous";
  std::vector<JobConfig> jobs;  // in run order: probe, refine_recipe, execution, evaluation
};

struct IterTarget {
  std::string key;  // pipeline.meta_name.output_key
  std::string op;   // == >= <= > <
  double value = 0;
  std::string text;
  bool Check(const Json& current) const;
};

struct SandboxConfig {
  std::string config_path;
  std::string config_dir;
  std::string project_name;
  std::string experiment_name;
  std::string work_dir;
  bool resume = false;
  int max_iter_num = 1;
  std::vector<IterTarget> iter_targets;
  std::string iter_targets_mode = "all";
  std::vector<std::pair<std::string, std::string>> iter_updater;  // context ref -> pipeline.meta.cfg_key
  std::vector<PipelineConfig> pipelines;
};

// Parses `root` (the loaded YAML) read from `config_path`; hooks are checked against `hooks`.
Result<SandboxConfig> ParseSandboxConfig(const Json& root, const std::string& config_path, const HookRegistry& hooks);
Result<SandboxConfig> LoadSandboxConfig(const std::string& path, const HookRegistry& hooks);

// Parses "<pipeline>.<meta>.<out> >= 0.8".
Result<IterTarget> ParseIterTarget(const std::string& text);

}  // namespace juicer::sandbox
