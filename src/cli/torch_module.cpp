#include "cli/torch_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace juicer {

namespace {

std::vector<std::string> Candidates() {
  std::vector<std::string> c;
  if (const char* e = std::getenv("JUICER_TORCH_LIB"); e != nullptr && *e != '\0') c.push_back(e);
  char exe[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    const std::filesystem::path dir = std::filesystem::path(std::string(exe, static_cast<size_t>(n))).parent_path();
    c.push_back((dir / "libjuicer_torch.so").string());
    c.push_back((dir / "../lib/juicer/libjuicer_torch.so").string());
  }
#ifdef JUICER_TORCH_LIB_PATH
  c.push_back(JUICER_TORCH_LIB_PATH);
#endif
  return c;
}

}  // namespace

int RunTorchCommand(int argc, char** argv) {
  std::string tried;
  for (const std::string& path : Candidates()) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
      tried += (tried.empty() ? "" : ", ") + path + " (" + ::dlerror() + ")";
      continue;
    }
    using Main = int (*)(int, char**);
    auto fn = reinterpret_cast<Main>(::dlsym(h, "juicer_torch_main"));
    if (fn == nullptr) {
      std::fprintf(stderr, "juicer: error: %s has no juicer_torch_main (a stale build? rerun scripts/setup.sh)\n",
                   path.c_str());
      return 1;
    }
    return fn(argc, argv);  // the library stays loaded until exit (libtorch cannot be unloaded)
  }
  std::fprintf(stderr,
               "juicer: error: the probe-model commands need libjuicer_torch.so, which was not found or did not "
               "load (tried %s); build it with scripts/setup.sh or set JUICER_TORCH_LIB to its path\n",
               tried.c_str());
  return 1;
}

}  // namespace juicer
