// The generic `command` capability: runs an external trainer / evaluator / inferencer (a user's
// `torchrun train.py`) as a child process, never through a shell, with its output in a log file,
// an optional timeout, and metrics parsed afterwards from a JSON file and/or the log.
//
//   type: command
//   argv: ["python3", "train.py", "--data", "{dataset_path}"]   # required, placeholders filled
//   env: {CUDA_VISIBLE_DEVICES: "0"}    # added to the inherited environment
//   cwd: "{work_dir}"                   # created when missing
//   timeout: 3600                       # seconds; 0/absent = none; SIGTERM, SIGKILL 10 s later
//   log_file: "{work_dir}/train.log"    # default <work_dir>/<meta_name>.log
//   metrics: {json_file: ..., regex: {loss: 'final loss: ([0-9.eE+-]+)'}}
//   outputs: [...]                      # returned as "outputs", placeholders filled
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

// Fills `{name}` placeholders in every string of `tmpl` (recursively through arrays and objects;
// keys are left alone) from `vars`, a flat object of context variables (a dotted name that is not
// a flat key is looked up with DottedGet). `{{` and `}}` are literal braces. Strings are inserted
// as they are, other values as compact JSON (numbers 3 / 0.5, true, null). An unknown placeholder,
// an unclosed `{` or a single `}` is InvalidArgument naming it and its position ("<where>[2]").
Result<Json> FillPlaceholders(const Json& tmpl, const Json& vars, const std::string& where);

// Runs a `type: command` capability config (see above). Every placeholder of argv, env, cwd,
// log_file, metrics and outputs is filled before anything runs. Returns
// {"metrics": {...}, "log_file": path, "exit_code": 0, "wall_s": seconds[, "outputs": ...]}.
// A relative metrics.json_file is resolved against `cwd` when given; a relative log_file against
// the caller's working directory.
Result<Json> RunCommandCapability(const Json& cfg, const Json& vars);

// The lower level, also used to run juicer's own built-in trainers as subprocesses.
struct CommandSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH unless it contains '/'
  std::vector<std::pair<std::string, std::string>> env;  // set on top of the inherited environment
  std::string cwd;                // empty: the caller's; must exist
  double timeout_s = 0;           // 0: none
  std::string log_path;           // stdout + stderr (truncated first); empty: a temporary file
  double kill_grace_s = 10;       // after SIGTERM (timeout / cancel), SIGKILL the group this late
};

struct CommandResult {
  int exit_code = 0;
  double wall_s = 0;
  std::string log_tail;  // the last lines of the log
};

// Spawns spec.argv in its own process group with stdin from /dev/null and stdout/stderr into the
// log, and waits. Errors: NotFound (command not found, missing cwd), IOError (non-zero exit, death
// by a signal, timeout: the message names the command, the code / signal and ends with the log's
// last 20 lines), Cancelled (SIGINT/SIGTERM reached this process while waiting: the child's group
// got SIGTERM, then SIGKILL). Safe to call from several threads at once.
Result<CommandResult> RunCommand(const CommandSpec& spec);

// The last `lines` lines of a text file (at most its last 64 KiB; a carriage-return progress line
// keeps only its final state; lines cut at 400 bytes). Empty when the file cannot be read.
std::string TailOfFile(const std::string& path, int lines);

// Metrics from `metrics_cfg` ({json_file, regex}; null = none):
// - json_file: a JSON file whose (nested) object becomes the metrics (NotFound when missing);
// - regex: {name: RE2 pattern}: scanned line by line over the log, the LAST match's group 1 is the
//   value, parsed as a number when it is one (integer or double), else kept as a string; a pattern
//   that never matches is NotFound. Regex metrics override json_file keys of the same name.
Result<Json> ParseMetrics(const Json& metrics_cfg, const std::string& log_path);

// The command line as one string for messages: arguments with spaces or quotes shell-quoted.
std::string QuoteCommand(const std::vector<std::string>& argv);

}  // namespace juicer::sandbox
