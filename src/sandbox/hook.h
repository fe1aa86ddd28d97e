// Hooks: the sandbox's behaviours (Data-Juicer's hooks.py). Each hook is data — its snake name, DJ's
// class name, a doc line and a function — registered explicitly (RegisterBuiltinHooks), so configs are
// validated against the registry before the first job runs and `juicer sandbox hooks` can list them.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sandbox/context.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

struct JobConfig;

// Everything a hook sees when it runs: its resolved configs and the run's context.
struct HookCall {
  const JobConfig* job = nullptr;
  std::string pipeline;
  int iter = 1;
  Json dj_cfg;     // dj_configs after loading the file, `local` overrides and `input` mapping (null: none)
  Json extra_cfg;  // extra_configs likewise
  std::string work_dir;    // the sandbox work_dir
  std::string job_dir;     // work_dir/iter_N/<pipeline>/<meta_name>: logs and generated files of this job
  std::string config_dir;  // directory of the sandbox config (relative side-config paths)
  const ContextInfos* context = nullptr;
  const std::vector<ContextInfos>* history = nullptr;  // earlier iterations
  // Results hooks share by meta_name (DJ's watcher: the analyzer's stats that k-sigma refinement reads),
  // persisted in work_dir/sandbox_watch.json so a resumed run still sees them.
  Json* watch = nullptr;
  std::function<void(const std::string&)> log;  // progress lines

  // Flat placeholder variables for external commands: work_dir, job_dir, meta_name, pipeline, iter and
  // every top-level scalar of extra_cfg and dj_cfg.
  Json Vars() const;
};

// A hook returns its outputs in order (DJ's tuple); the runner names them with the job's `output` keys.
using HookFn = std::function<Result<std::vector<Json>>(HookCall&)>;

struct HookInfo {
  std::string name;       // snake name, e.g. probe_via_analyzer
  std::string dj_class;   // DJ's class name, e.g. ProbeViaAnalyzerHook
  std::string doc;        // one line
  std::string outputs;    // what it returns, for the docs
  HookFn fn;
};

class HookRegistry {
 public:
  Status Register(HookInfo info);
  // By snake name or DJ class name.
  const HookInfo* Find(const std::string& name) const;
  const std::vector<HookInfo>& all() const { return hooks_; }

 private:
  std::vector<HookInfo> hooks_;
  std::map<std::string, size_t> index_;
};

// Registers every built-in hook (hooks_*.cpp); the one place hooks are registered.
void RegisterBuiltinHooks(HookRegistry& registry);
const HookRegistry& BuiltinHooks();

}  // namespace juicer::sandbox
