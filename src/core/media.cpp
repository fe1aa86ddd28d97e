#include "core/media.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace juicer {

Result<std::string> ResolveMediaPath(const SampleOrigin& origin, std::string_view field, const std::string& path) {
  std::error_code ec;
  const std::string where = origin.ToString() + ": field '" + std::string(field) + "': ";
  if (path.empty()) return Status::DataError(where + "empty media path");
  fs::path p(path);
  if (p.is_absolute()) {
    if (fs::is_regular_file(p, ec)) return path;
    return Status::NotFound(where + "media file '" + path + "' not found");
  }
  std::string tried;
  if (!origin.file.empty()) {
    fs::path in_dataset_dir = fs::path(origin.file).parent_path() / p;
    if (fs::is_regular_file(in_dataset_dir, ec)) return in_dataset_dir.string();
    tried = in_dataset_dir.string() + ", ";
  }
  if (fs::is_regular_file(p, ec)) return path;
  return Status::NotFound(where + "media file '" + path + "' not found (tried " + tried + "./" + path + ")");
}

std::string RebaseMediaPath(const std::string& src_dir, const std::string& dst_dir, const std::string& path) {
  if (path.empty() || src_dir == dst_dir) return path;
  const fs::path p(path);
  if (p.is_absolute()) return path;
  std::error_code ec;
  const fs::path in_src = (fs::path(src_dir) / p).lexically_normal();
  if (!fs::exists(in_src, ec)) return path;
  const std::string rebased = in_src.lexically_relative(dst_dir).string();
  return rebased.empty() ? in_src.string() : rebased;
}

std::string AbsoluteDirOf(const std::string& file) {
  std::error_code ec;
  const fs::path dir = fs::absolute(fs::path(file).parent_path(), ec).lexically_normal();
  std::string s = ec ? fs::path(file).parent_path().string() : dir.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace juicer
