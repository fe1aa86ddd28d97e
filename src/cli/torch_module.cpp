#include "cli/torch_module.h"

#include <cstdio>

#include "core/report.h"
#include "core/torch_module.h"

namespace juicer {

int RunTorchCommand(int argc, char** argv) {
  auto sym = TorchModuleSymbol("juicer_torch_main");
  if (!sym.ok()) {
    std::fprintf(stderr, "juicer: error: the probe-model commands need the libtorch module: %s\n",
                 sym.status().message().c_str());
    return 1;
  }
  using Main = int (*)(int, char**);
  return reinterpret_cast<Main>(*sym)(argc, argv);
}

}  // namespace juicer
