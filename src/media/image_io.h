// Images for the image ops: width/height read from the file header without decoding (PNG, JPEG, GIF,
// BMP, WebP), guarded decoding with OpenCV (a pixel limit checked on the header first, truncation
// checks), and a per-worker cache of decoded images so several image ops of one recipe decode a file
// once. Every error is a DataError naming the file and what is wrong with it.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <opencv2/core.hpp>

#include "core/op.h"
#include "core/sample.h"
#include "core/status.h"

namespace juicer::media {

enum class ImageFormat { kUnknown, kPng, kJpeg, kGif, kBmp, kWebp };
std::string_view ImageFormatName(ImageFormat f);

struct ImageHeader {
  ImageFormat format = ImageFormat::kUnknown;
  int64_t width = 0;
  int64_t height = 0;
};

// PIL's Image.MAX_IMAGE_PIXELS (above it PIL warns, above twice it refuses); juicer refuses above it.
inline constexpr int64_t kDefaultMaxPixels = 178956970;

// Parses the size from the first bytes of an image file. `complete` says whether `bytes` is the whole
// file (a JPEG's size marker may come after large metadata: without the whole file that is
// Unavailable, meaning "read more"). Unknown formats and malformed headers are DataErrors.
Result<ImageHeader> ParseImageHeader(std::string_view bytes, bool complete);

// Reads the header of the file at `path` (the first 64 KiB, more only for a JPEG with big metadata).
Result<ImageHeader> ReadImageHeader(const std::string& path);

// Whole file contents (DataError naming the file when unreadable).
Result<std::string> ReadFileBytes(const std::string& path);

// Decodes an image file to 8-bit BGR (3 channels), as PIL's Image.open(path).convert("RGB") would
// see it: EXIF orientation is not applied, alpha is dropped. Refused before decoding when the header
// is malformed or claims more than `max_pixels` pixels; a JPEG without its end marker is refused as
// truncated (PIL raises "image file is truncated" there too). GIF is not decodable (OpenCV 4.6 has
// no GIF reader): a DataError says so.
Result<cv::Mat> DecodeImageFile(const std::string& path, int64_t max_pixels = kDefaultMaxPixels);

// Decoded images of one worker, keyed by resolved path (plus file size and mtime, so a rewritten
// file is decoded again), least recently used dropped once `budget_bytes` of pixels is exceeded.
// Ops run one at a time over a batch, so the budget decides how much of a batch stays decoded
// between two image ops (default 512 MiB, env JUICER_IMAGE_CACHE_MB).
class ImageCache final : public OpWorkerState {
 public:
  ImageCache();
  Result<std::shared_ptr<const cv::Mat>> Get(const std::string& path, int64_t max_pixels = kDefaultMaxPixels);
  size_t decodes() const { return decodes_; }
  size_t hits() const { return hits_; }
  void set_budget_bytes(size_t b) { budget_ = b; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const cv::Mat> mat;
    size_t bytes = 0;
  };
  std::list<Entry> lru_;  // front = most recent
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t used_ = 0, budget_ = 0, decodes_ = 0, hits_ = 0;
};

// The worker's image cache, shared by every image op running on that worker.
ImageCache& WorkerImageCache(WorkerContext& ctx);

// One image of a sample, as an op sees it: the path as written, the resolved file, and lazy access
// to its header, file size and decoded pixels. Errors name the sample, the field and the file.
class SampleImage {
 public:
  SampleImage(const Sample& sample, std::string_view field, std::string path, WorkerContext& ctx)
      : sample_(sample), field_(field), path_(std::move(path)), ctx_(ctx) {}
  Result<std::string> Resolved();
  Result<ImageHeader> Header();
  Result<uint64_t> FileSize();
  Result<std::shared_ptr<const cv::Mat>> Pixels();
  const std::string& path() const { return path_; }

 private:
  Status Wrap(const Status& st) const;
  const Sample& sample_;
  std::string_view field_;
  std::string path_;
  WorkerContext& ctx_;
  std::string resolved_;
  bool have_header_ = false;
  ImageHeader header_;
};

// An 8-bit RGB copy of a decoded image (cv::IMREAD_UNCHANGED: any depth, 1-4 channels), alpha
// composited on white: the pixels the clip probe trains on and the image-text ops score.
cv::Mat ToRgbOnWhite(const cv::Mat& decoded);

}  // namespace juicer::media
