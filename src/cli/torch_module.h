// The probe-model commands (train, eval, baseline, encode) live in libjuicer_torch.so, loaded only when
// one of them runs: linking libtorch into `juicer` itself would cost every command ~1 s of libtorch
// start-up (its static initialisers register thousands of operators).
#pragma once

namespace juicer {

// Loads libjuicer_torch.so and runs argv[1] (train|eval|baseline|encode) there. The library is looked
// for in $JUICER_TORCH_LIB, next to the juicer binary, in ../lib/juicer/ beside it, and where the build
// put it; a clear error names the paths tried when none loads.
int RunTorchCommand(int argc, char** argv);

}  // namespace juicer
