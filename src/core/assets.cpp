#include "core/assets.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace juicer {

namespace fs = std::filesystem;

namespace {

// <repo>/build/juicer -> <repo>/third_party/<sub> when that directory exists.
std::string RepoThirdParty(const char* env, const std::string& sub) {
  if (const char* e = std::getenv(env); e != nullptr && *e != '\0') return e;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path cand = exe.parent_path().parent_path() / "third_party" / sub;
    if (fs::is_directory(cand, ec)) return cand.string();
  }
  return "third_party/" + sub;
}

}  // namespace

std::string DefaultNpmDir() { return RepoThirdParty("JUICER_NPM_DIR", "npm"); }

std::string DefaultModelsDir() { return RepoThirdParty("JUICER_MODELS_DIR", "models"); }

std::string NpmAsset(const std::string& package, const std::string& relpath) {
  return DefaultNpmDir() + "/" + package + "/" + relpath;
}

}  // namespace juicer
