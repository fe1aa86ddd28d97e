// All built-in ops, registered explicitly by family (no static self-registration).
#pragma once

#include "core/op_registry.h"

namespace juicer {

// Registers every built-in op family into `registry`; the one place a new family is added.
Status RegisterBuiltinOps(OpRegistry& registry);

// A registry holding all built-in ops, built on first use (thread-safe) and never destroyed.
// A failing registration is a juicer bug: it is printed to stderr and the process aborts.
const OpRegistry& BuiltinRegistry();

}  // namespace juicer
