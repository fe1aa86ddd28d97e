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

}  // namespace juicer
