// Perceptual image hashes with imagededup's definitions (see image_deduplicator's op doc).
#pragma once

#include <string>

#include <opencv2/core.hpp>

#include "core/sample.h"
#include "core/status.h"

namespace juicer::image_ops {

enum class ImageHashMethod { kPHash, kDHash, kWHash, kAHash };
Result<ImageHashMethod> ParseImageHashMethod(const std::string& name);
// 64-bit hash of an 8-bit BGR image as 16 lowercase hex digits.
std::string ImageHashHex(const cv::Mat& bgr, ImageHashMethod method);

// A hash field's string value (__dj__imagehash, __dj__hash): the decoded string, else the raw JSON text
// without its quotes.
inline std::string HashFieldString(const Sample::Field& f) {
  if (f.has_decoded) return f.decoded;
  std::string_view raw = f.RawText();
  if (raw.size() >= 2 && raw.front() == '"') raw = raw.substr(1, raw.size() - 2);
  return std::string(raw);
}

}  // namespace juicer::image_ops
