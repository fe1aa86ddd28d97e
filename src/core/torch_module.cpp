#include "core/torch_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace juicer {

std::vector<std::string> TorchModuleCandidates() {
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

namespace {

struct Loaded {
  void* handle = nullptr;
  std::string path;
  std::string error;
};

const Loaded& Load() {
  static Loaded loaded;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string tried;
    for (const std::string& path : TorchModuleCandidates()) {
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
      loaded.handle = h;
      loaded.path = path;
      return;
    }
    loaded.error = "libjuicer_torch.so (the libtorch module) was not found or did not load (tried " + tried +
                   "); build it with scripts/setup.sh or set JUICER_TORCH_LIB to its path";
  });
  return loaded;
}

}  // namespace

Result<void*> TorchModuleSymbol(const char* name) {
  const Loaded& l = Load();
  if (l.handle == nullptr) return Status::Unavailable(l.error);
  void* sym = ::dlsym(l.handle, name);
  if (sym == nullptr) {
    return Status::Internal(l.path + " has no symbol " + name + " (a stale build? rerun scripts/setup.sh)");
  }
  return sym;
}

}  // namespace juicer
