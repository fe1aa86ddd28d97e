// Process settings libtorch needs on a CPU, applied by re-executing juicer (no libtorch here).
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "probe/probe.h"

namespace juicer::probe {

namespace {

// The OpenBLAS kernel family to force when OpenBLAS's own CPU detection fell back to an old core
// (it does on CPUs newer than the library: "Intel(R) Xeon(R) Processor" VMs get Prescott, SSE3 only,
// 3-4x slower for the probe models). Empty when nothing needs forcing.
std::string OpenBlasCoreOverride() {
  using CoreName = char* (*)();
  auto corename = reinterpret_cast<CoreName>(::dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (corename == nullptr) return "";  // not OpenBLAS
  const std::string core = corename();
  const bool generic = core == "Prescott" || core == "Core2" || core == "Nehalem" || core == "generic" ||
                       core == "Penryn" || core == "Dunnington" || core == "Atom" || core == "Sandybridge";
  if (!generic) return "";
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  return "";
}

}  // namespace

void PrepareProcessForTorch(int argc, char** argv) {
  (void)argc;
  if (std::getenv("JUICER_TORCH_ENV_SET") != nullptr) return;  // already re-executed once
  bool changed = false;
  // libgomp reads OMP_WAIT_POLICY when it is loaded: spinning workers collapse throughput on a busy
  // 2-core machine, so idle threads must sleep.
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    changed = true;
  }
  if (std::getenv("OPENBLAS_CORETYPE") == nullptr) {
    const std::string core = OpenBlasCoreOverride();
    if (!core.empty()) {
      setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
      changed = true;
    }
  }
  if (!changed) return;
  setenv("JUICER_TORCH_ENV_SET", "1", 1);
  ::execv("/proc/self/exe", argv);
  // execv failed: carry on with the settings we have (slower, still correct).
  std::fprintf(stderr, "warning: could not re-execute juicer with tuned OpenMP/OpenBLAS settings: %s\n",
               std::strerror(errno));
}

}  // namespace juicer::probe
