// Built-in capabilities run juicer's own commands (process, analyze, train, eval, encode) as child
// processes of the sandbox: a failing or killed job cannot take the runner down, logs go to the job's
// directory, and a probe's libtorch stays out of the runner.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace juicer::sandbox {

// The juicer binary: $JUICER_BIN, else this process when it is juicer, else `juicer` beside it.
Result<std::string> JuicerBinary();

// Runs `juicer <args...>` with stdout+stderr to log_path; a non-zero exit is an error with the log's tail.
Status RunJuicer(const std::vector<std::string>& args, const std::string& log_path, double timeout_s = 0);

}  // namespace juicer::sandbox
