// Media paths of a sample (images, videos): Data-Juicer resolves a relative path against the
// directory of the dataset file the sample came from, then against the working directory.
#pragma once

#include <string>
#include <string_view>

#include "core/sample.h"
#include "core/status.h"

namespace juicer {

// Absolute paths are returned as they are when they exist. A missing file is a NotFound error that
// names the sample, the field and every place tried, e.g.
//   "data/a.jsonl:3: field 'images': media file 'cat.jpg' not found (tried data/cat.jpg, ./cat.jpg)".
Result<std::string> ResolveMediaPath(const SampleOrigin& origin, std::string_view field, const std::string& path);

// A relative media path of a sample read from a file in `src_dir`, rewritten so that it names the same
// file from `dst_dir` (both absolute and normalised). Returns `path` unchanged when it is absolute or does
// not exist under src_dir (then it is working-directory relative and stays valid).
std::string RebaseMediaPath(const std::string& src_dir, const std::string& dst_dir, const std::string& path);
// Absolute, normalised directory of a file path ("" for a bare name: the working directory).
std::string AbsoluteDirOf(const std::string& file);

}  // namespace juicer
