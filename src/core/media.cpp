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

}  // namespace juicer
