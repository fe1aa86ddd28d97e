// Perceptual image hashes with imagededup's definitions (see image_deduplicator's op doc).
#pragma once

#include <string>

#include <opencv2/core.hpp>

#include "core/status.h"

namespace juicer::image_ops {

enum class ImageHashMethod { kPHash, kDHash, kWHash, kAHash };
Result<ImageHashMethod> ParseImageHashMethod(const std::string& name);
// 64-bit hash of an 8-bit BGR image as 16 lowercase hex digits.
std::string ImageHashHex(const cv::Mat& bgr, ImageHashMethod method);

}  // namespace juicer::image_ops
