// Reporting a failed command: one line on stderr and the exit code juicer's commands use.
#pragma once

#include "core/status.h"

namespace juicer {

// Prints "juicer: error: <status>" to stderr. Exit codes: 1 internal error (a bug), 2 user error (bad
// recipe, data or arguments), 130 cancelled (SIGINT/SIGTERM).
int ReportError(const Status& s);

}  // namespace juicer
