#include "media/image_io.h"

#include <opencv2/imgproc.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "core/media.h"

namespace juicer::media {

namespace {

uint32_t Be16(const unsigned char* p) { return (uint32_t{p[0]} << 8) | p[1]; }
uint32_t Be32(const unsigned char* p) { return (Be16(p) << 16) | Be16(p + 2); }
uint32_t Le16(const unsigned char* p) { return uint32_t{p[0]} | (uint32_t{p[1]} << 8); }
uint32_t Le24(const unsigned char* p) { return Le16(p) | (uint32_t{p[2]} << 16); }
uint32_t Le32(const unsigned char* p) { return Le16(p) | (Le16(p + 2) << 16); }

Status Truncated(std::string_view fmt) {
  return Status::DataError(std::string(fmt) + " header is truncated");
}

Result<ImageHeader> ParseJpeg(const unsigned char* b, size_t n, bool complete) {
  size_t i = 2;
  while (true) {
    if (i + 4 > n) {
      if (complete) return Status::DataError("JPEG has no frame (SOF) marker before the end of the file");
      return Status::Unavailable("read more");
    }
    if (b[i] != 0xFF) return Status::DataError("JPEG marker expected at byte " + std::to_string(i));
    const unsigned char m = b[i + 1];
    if (m == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {  // markers without a length
      i += 2;
      continue;
    }
    if (m == 0xD9 || m == 0xDA) return Status::DataError("JPEG has no frame (SOF) marker before its scan data");
    const size_t len = Be16(b + i + 2);
    if (len < 2) return Status::DataError("JPEG segment with a bad length at byte " + std::to_string(i));
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof) {
      if (i + 9 > n) {
        if (complete) return Truncated("JPEG");
        return Status::Unavailable("read more");
      }
      ImageHeader h{ImageFormat::kJpeg, Be16(b + i + 7), Be16(b + i + 5)};
      return h;
    }
    i += 2 + len;
  }
}

}  // namespace

std::string_view ImageFormatName(ImageFormat f) {
  switch (f) {
    case ImageFormat::kPng: return "PNG";
    case ImageFormat::kJpeg: return "JPEG";
    case ImageFormat::kGif: return "GIF";
    case ImageFormat::kBmp: return "BMP";
    case ImageFormat::kWebp: return "WebP";
    case ImageFormat::kUnknown: break;
  }
  return "unknown";
}

Result<ImageHeader> ParseImageHeader(std::string_view bytes, bool complete) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  if (n == 0) return Status::DataError("empty file (0 bytes)");
  ImageHeader h;
  if (n >= 8 && std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
    if (n < 24) return Truncated("PNG");
    if (std::memcmp(b + 12, "IHDR", 4) != 0) return Status::DataError("PNG does not start with an IHDR chunk");
    h = {ImageFormat::kPng, Be32(b + 16), Be32(b + 20)};
  } else if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
    return ParseJpeg(b, n, complete);
  } else if (n >= 6 && (std::memcmp(b, "GIF87a", 6) == 0 || std::memcmp(b, "GIF89a", 6) == 0)) {
    if (n < 10) return Truncated("GIF");
    h = {ImageFormat::kGif, Le16(b + 6), Le16(b + 8)};
  } else if (n >= 2 && b[0] == 'B' && b[1] == 'M') {
    if (n < 26) return Truncated("BMP");
    const uint32_t dib = Le32(b + 14);
    if (dib == 12) {
      h = {ImageFormat::kBmp, Le16(b + 18), Le16(b + 20)};
    } else {
      const auto w = static_cast<int32_t>(Le32(b + 18));
      const auto hh = static_cast<int32_t>(Le32(b + 22));  // negative: stored top-down
      h = {ImageFormat::kBmp, w, hh < 0 ? -int64_t{hh} : int64_t{hh}};
    }
  } else if (n >= 12 && std::memcmp(b, "RIFF", 4) == 0 && std::memcmp(b + 8, "WEBP", 4) == 0) {
    if (n < 30) return Truncated("WebP");
    if (std::memcmp(b + 12, "VP8 ", 4) == 0) {
      if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A) return Status::DataError("WebP VP8 start code missing");
      h = {ImageFormat::kWebp, Le16(b + 26) & 0x3FFF, Le16(b + 28) & 0x3FFF};
    } else if (std::memcmp(b + 12, "VP8L", 4) == 0) {
      if (b[20] != 0x2F) return Status::DataError("WebP VP8L signature missing");
      const uint32_t bits = Le32(b + 21);
      h = {ImageFormat::kWebp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
    } else if (std::memcmp(b + 12, "VP8X", 4) == 0) {
      h = {ImageFormat::kWebp, int64_t{Le24(b + 24)} + 1, int64_t{Le24(b + 27)} + 1};
    } else {
      return Status::DataError("WebP with an unknown first chunk");
    }
  } else {
    return Status::DataError("not a PNG, JPEG, GIF, BMP or WebP image (unrecognised file signature)");
  }
  if (h.width <= 0 || h.height <= 0)
    return Status::DataError(std::string(ImageFormatName(h.format)) + " header gives a zero size (" +
                             std::to_string(h.width) + "x" + std::to_string(h.height) + ")");
  return h;
}

Result<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::DataError("cannot open image file '" + path + "': " + std::strerror(errno));
  std::string data;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return Status::DataError("cannot read image file '" + path + "'");
  data.resize(static_cast<size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(data.data(), size)) return Status::DataError("cannot read image file '" + path + "'");
  return data;
}

Result<ImageHeader> ReadImageHeader(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::DataError("cannot open image file '" + path + "': " + std::strerror(errno));
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  const bool complete = head.size() < 64 * 1024;
  auto h = ParseImageHeader(head, complete);
  if (!h.ok() && h.status().code() == StatusCode::kUnavailable) {
    JUICER_ASSIGN_OR_RETURN(std::string all, ReadFileBytes(path));
    h = ParseImageHeader(all, true);
  }
  if (!h.ok()) return Status::DataError("image '" + path + "': " + h.status().message());
  return h;
}

Result<cv::Mat> DecodeImageFile(const std::string& path, int64_t max_pixels) {
  JUICER_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(path));
  auto h = ParseImageHeader(bytes, true);
  if (!h.ok()) return Status::DataError("image '" + path + "': " + h.status().message());
  const std::string what = "image '" + path + "' (" + std::string(ImageFormatName(h->format)) + ", " +
                           std::to_string(h->width) + "x" + std::to_string(h->height) + ")";
  if (h->width * h->height > max_pixels)
    return Status::DataError(what + ": " + std::to_string(h->width * h->height) +
                             " pixels is over the limit of " + std::to_string(max_pixels) +
                             " (PIL's MAX_IMAGE_PIXELS); refused without decoding");
  if (h->format == ImageFormat::kGif)
    return Status::DataError(what + ": GIF cannot be decoded (OpenCV 4.6 has no GIF reader); only its size "
                                    "is available");
  if (h->format == ImageFormat::kJpeg) {
    // A complete JPEG ends with the EOI marker (FF D9), possibly followed by some padding.
    const size_t tail = std::min<size_t>(bytes.size(), 4096);
    if (std::string_view(bytes).substr(bytes.size() - tail).find("\xFF\xD9") == std::string_view::npos)
      return Status::DataError(what + ": JPEG is truncated (no end-of-image marker)");
  }
  cv::Mat buf(1, static_cast<int>(bytes.size()), CV_8U, bytes.data());
  cv::Mat img;
  try {
    img = cv::imdecode(buf, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception& e) {
    return Status::DataError(what + ": cannot be decoded: " + e.what());
  }
  if (img.empty()) return Status::DataError(what + ": cannot be decoded (corrupt or truncated data)");
  if (img.cols != h->width || img.rows != h->height)
    return Status::DataError(what + ": decoded size " + std::to_string(img.cols) + "x" + std::to_string(img.rows) +
                             " differs from the header");
  return img;
}

ImageCache::ImageCache() {
  size_t mb = 512;
  if (const char* env = std::getenv("JUICER_IMAGE_CACHE_MB")) mb = std::strtoull(env, nullptr, 10);
  budget_ = mb << 20;
}

Result<std::shared_ptr<const cv::Mat>> ImageCache::Get(const std::string& path, int64_t max_pixels) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Status::DataError("cannot open image file '" + path + "': " + std::strerror(errno));
  std::string key = path;
  key += '\0';
  key += std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
  if (auto it = index_.find(key); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    ++hits_;
    return it->second->mat;
  }
  JUICER_ASSIGN_OR_RETURN(cv::Mat img, DecodeImageFile(path, max_pixels));
  ++decodes_;
  auto mat = std::make_shared<const cv::Mat>(std::move(img));
  const size_t bytes = mat->total() * mat->elemSize();
  if (bytes > budget_) return mat;  // too big to keep
  while (used_ + bytes > budget_ && !lru_.empty()) {
    used_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front(Entry{key, mat, bytes});
  index_[std::move(key)] = lru_.begin();
  used_ += bytes;
  return mat;
}

ImageCache& WorkerImageCache(WorkerContext& ctx) {
  // Keyed by the address of a private tag rather than an op, so every image op shares it.
  static const char tag = 0;
  return ctx.StateFor<ImageCache>(reinterpret_cast<const Op*>(&tag));
}

Status SampleImage::Wrap(const Status& st) const {
  return st.WithContext(sample_.origin.ToString() + ": field '" + std::string(field_) + "': ");
}

Result<std::string> SampleImage::Resolved() {
  if (!resolved_.empty()) return resolved_;
  JUICER_ASSIGN_OR_RETURN(resolved_, ResolveMediaPath(sample_.origin, field_, path_));
  return resolved_;
}

Result<ImageHeader> SampleImage::Header() {
  if (have_header_) return header_;
  JUICER_ASSIGN_OR_RETURN(std::string p, Resolved());
  auto h = ReadImageHeader(p);
  if (!h.ok()) return Wrap(h.status());
  header_ = *h;
  have_header_ = true;
  return header_;
}

Result<uint64_t> SampleImage::FileSize() {
  JUICER_ASSIGN_OR_RETURN(std::string p, Resolved());
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0)
    return Wrap(Status::DataError("cannot stat image file '" + p + "': " + std::strerror(errno)));
  return static_cast<uint64_t>(st.st_size);
}

Result<std::shared_ptr<const cv::Mat>> SampleImage::Pixels() {
  JUICER_ASSIGN_OR_RETURN(std::string p, Resolved());
  auto m = WorkerImageCache(ctx_).Get(p);
  if (!m.ok()) return Wrap(m.status());
  return m;
}

cv::Mat ToRgbOnWhite(const cv::Mat& decoded) {
  cv::Mat img = decoded;
  if (img.depth() != CV_8U) {
    cv::Mat tmp;
    img.convertTo(tmp, CV_8U, img.depth() == CV_16U ? 1.0 / 257 : 255.0);
    img = tmp;
  }
  cv::Mat rgb;
  if (img.channels() == 4) {  // composite on white
    rgb.create(img.rows, img.cols, CV_8UC3);
    for (int y = 0; y < img.rows; ++y) {
      const uint8_t* s = img.ptr<uint8_t>(y);
      uint8_t* d = rgb.ptr<uint8_t>(y);
      for (int x = 0; x < img.cols; ++x, s += 4, d += 3) {
        const int a = s[3];
        for (int c = 0; c < 3; ++c) d[2 - c] = static_cast<uint8_t>((s[c] * a + 255 * (255 - a) + 127) / 255);
      }
    }
  } else if (img.channels() == 3) {
    cv::cvtColor(img, rgb, cv::COLOR_BGR2RGB);
  } else if (img.channels() == 1) {
    cv::cvtColor(img, rgb, cv::COLOR_GRAY2RGB);
  } else {
    cv::Mat bgr;
    cv::cvtColor(img, bgr, cv::COLOR_BGRA2BGR);  // 2-channel images are rare; OpenCV has no direct path
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  }
  return rgb;
}

}  // namespace juicer::media
