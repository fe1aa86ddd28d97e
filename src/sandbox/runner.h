// Runs a parsed sandbox config: iterations of pipelines of jobs (probe -> refine_recipe -> execution ->
// evaluation), each job's configs resolved (side-config files, `local`, `input` from the context,
// `iter_N/` export paths), its outputs recorded to work_dir/context_infos.json after every job, numeric
// results appended to the metrics store work_dir/sandbox_metrics.jsonl. `resume` skips recorded jobs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sandbox/config.h"
#include "sandbox/context.h"

namespace juicer::sandbox {

struct RunOptions {
  bool quiet = false;
  // Where progress lines go (default: stderr unless quiet).
  std::function<void(const std::string&)> log;
};

Result<std::vector<ContextInfos>> RunSandbox(const SandboxConfig& cfg, const HookRegistry& hooks, const RunOptions& opts);

// DJ's add_iter_subdir_to_paths: "a/b/c.jsonl" -> "a/b/iter_N/c.jsonl", "a/b/dir" -> "a/b/dir/iter_N".
std::string AddIterSubdir(const std::string& path, int iter);

// The metrics store: one JSON row per numeric (or string) leaf of a job's outputs.
inline constexpr const char* kMetricsFile = "sandbox_metrics.jsonl";
inline constexpr const char* kContextFile = "context_infos.json";
inline constexpr const char* kWatchFile = "sandbox_watch.json";

}  // namespace juicer::sandbox
