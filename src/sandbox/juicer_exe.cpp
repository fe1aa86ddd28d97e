#include "sandbox/juicer_exe.h"

#include <cstdlib>
#include <filesystem>

#include "sandbox/command.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

Result<std::string> JuicerBinary() {
  if (const char* env = std::getenv("JUICER_BIN"); env != nullptr && *env) {
    if (!fs::exists(env)) return Status::NotFound(std::string("$JUICER_BIN=") + env + " does not exist");
    return std::string(env);
  }
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return Status::Unavailable("cannot read /proc/self/exe to find the juicer binary; set $JUICER_BIN");
  if (self.filename() == "juicer") return self.string();
  const fs::path sibling = self.parent_path() / "juicer";
  if (fs::exists(sibling)) return sibling.string();
  return Status::NotFound("no juicer binary beside " + self.string() + "; set $JUICER_BIN");
}

Status RunJuicer(const std::vector<std::string>& args, const std::string& log_path, double timeout_s) {
  JUICER_ASSIGN_OR_RETURN(std::string bin, JuicerBinary());
  CommandSpec spec;
  spec.argv.push_back(bin);
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.log_path = log_path;
  spec.timeout_s = timeout_s;
  auto res = RunCommand(spec);
  if (!res.ok()) return res.status();
  return Status::OK();
}

}  // namespace juicer::sandbox
