// libjuicer_torch.so: the probe models and every libtorch-backed op live in this module, which juicer
// dlopen()s only when a command or op needs it (linking libtorch into juicer would cost every command
// ~1 s of libtorch's static initialisation). Ops reach their model code through C functions it exports.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace juicer {

// Where the module is looked for, in order: $JUICER_TORCH_LIB, beside the running binary,
// ../lib/juicer/ beside it, and where the build put it.
std::vector<std::string> TorchModuleCandidates();

// Loads the module once per process (thread-safe; it stays loaded: libtorch cannot be unloaded) and
// returns the exported symbol `name`. Unavailable with the paths tried when the module does not load;
// Internal when it loads but lacks the symbol (a stale build).
Result<void*> TorchModuleSymbol(const char* name);

}  // namespace juicer
