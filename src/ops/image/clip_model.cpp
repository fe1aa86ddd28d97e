#include "ops/image/clip_model.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>

#include <sys/stat.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/assets.h"
#include "core/torch_module.h"

namespace juicer::image_ops {

namespace {

using LoadFn = void* (*)(const char*, char*, size_t);
using FreeFn = void (*)(void*);
using InfoFn = void (*)(void*, int*, int*, float*);
using ImagesFn = int (*)(void*, const uint8_t*, size_t, float*, char*, size_t);
using TextsFn = int (*)(void*, const char* const*, size_t, float*, char*, size_t);

struct ClipApi {
  LoadFn load = nullptr;
  FreeFn free = nullptr;
  InfoFn info = nullptr;
  ImagesFn images = nullptr;
  TextsFn texts = nullptr;
};

Result<ClipApi> LookUpApi() {
  ClipApi api;
  JUICER_ASSIGN_OR_RETURN(void* load, TorchModuleSymbol("juicer_clip_load"));
  JUICER_ASSIGN_OR_RETURN(void* free, TorchModuleSymbol("juicer_clip_free"));
  JUICER_ASSIGN_OR_RETURN(void* info, TorchModuleSymbol("juicer_clip_info"));
  JUICER_ASSIGN_OR_RETURN(void* images, TorchModuleSymbol("juicer_clip_encode_images"));
  JUICER_ASSIGN_OR_RETURN(void* texts, TorchModuleSymbol("juicer_clip_encode_texts"));
  api.load = reinterpret_cast<LoadFn>(load);
  api.free = reinterpret_cast<FreeFn>(free);
  api.info = reinterpret_cast<InfoFn>(info);
  api.images = reinterpret_cast<ImagesFn>(images);
  api.texts = reinterpret_cast<TextsFn>(texts);
  return api;
}

const Result<ClipApi>& Api() {
  static const Result<ClipApi> api = LookUpApi();
  return api;
}

constexpr size_t kErrLen = 1024;

// Whether the file may carry transparency (read from its first 64 KiB): PNG colour type 4 or 6 or a
// tRNS chunk before the image data; WebP VP8X with the alpha flag, or VP8L with alpha_is_used.
bool MayHaveAlpha(const std::string& path, media::ImageFormat format) {
  if (format != media::ImageFormat::kPng && format != media::ImageFormat::kWebp) return false;
  std::ifstream f(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  f.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(f.gcount()));
  const auto byte = [&](size_t i) { return i < head.size() ? static_cast<uint8_t>(head[i]) : uint8_t{0}; };
  if (format == media::ImageFormat::kPng) {
    if (byte(25) == 4 || byte(25) == 6) return true;
    const size_t trns = head.find("tRNS"), idat = head.find("IDAT");
    return trns != std::string::npos && (idat == std::string::npos || trns < idat);
  }
  if (head.compare(12, 4, "VP8X") == 0) return (byte(20) & 0x10) != 0;
  if (head.compare(12, 4, "VP8L") == 0) return (byte(24) & 0x10) != 0;  // bit 28 of the 32 bits after 0x2f
  return false;
}

// 8-bit RGB of an image with alpha, composited on white (as probe::ImagePixels).
Result<cv::Mat> DecodeWithAlpha(const std::string& path, const media::ImageHeader& h) {
  if (h.width * h.height > media::kDefaultMaxPixels)
    return Status::DataError("image '" + path + "': " + std::to_string(h.width) + "x" + std::to_string(h.height) +
                             " is over the pixel limit of " + std::to_string(media::kDefaultMaxPixels));
  JUICER_ASSIGN_OR_RETURN(std::string bytes, media::ReadFileBytes(path));
  cv::Mat img;
  try {
    img = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, bytes.data()),
                       cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception& e) {
    return Status::DataError("image '" + path + "' cannot be decoded: " + e.what());
  }
  if (img.empty()) return Status::DataError("image '" + path + "' cannot be decoded (corrupt or truncated data)");
  return media::ToRgbOnWhite(img);
}

// Prepared pixels of one worker, shared by every clip op on it (keyed by file, size, mtime, resolution
// and flips), so the similarity and matching ops of one recipe prepare an image once, including the
// images with alpha that the shared decoded-image cache does not hold. Least recently used first out.
class ClipPixelCache final : public OpWorkerState {
 public:
  static constexpr size_t kMaxEntries = 4096;
  const std::vector<uint8_t>* Find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return &it->second->second;
  }
  void Put(std::string key, std::vector<uint8_t> px) {
    if (index_.count(key) != 0) return;
    if (lru_.size() >= kMaxEntries) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
    }
    lru_.emplace_front(key, std::move(px));
    index_[std::move(key)] = lru_.begin();
  }

 private:
  std::list<std::pair<std::string, std::vector<uint8_t>>> lru_;
  std::unordered_map<std::string, std::list<std::pair<std::string, std::vector<uint8_t>>>::iterator> index_;
};

}  // namespace

Status ClipPixelsCached(media::SampleImage& image, int res, bool hflip, bool vflip, uint8_t* out,
                        WorkerContext& ctx) {
  JUICER_ASSIGN_OR_RETURN(std::string path, image.Resolved());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ClipPixels(image, res, hflip, vflip, out);  // reports the error
  static const char tag = 0;
  auto& cache = ctx.StateFor<ClipPixelCache>(reinterpret_cast<const Op*>(&tag));
  std::string key = path;
  key += '\0';
  key += std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(res) + (hflip ? "h" : "") + (vflip ? "v" : "");
  const size_t n = static_cast<size_t>(res) * res * 3;
  if (const std::vector<uint8_t>* hit = cache.Find(key)) {
    std::copy(hit->begin(), hit->end(), out);
    return Status::OK();
  }
  JUICER_RETURN_IF_ERROR(ClipPixels(image, res, hflip, vflip, out));
  cache.Put(std::move(key), std::vector<uint8_t>(out, out + n));
  return Status::OK();
}

std::string DefaultClipScorerDir() { return (std::filesystem::path(DefaultModelsDir()) / "clip-scorer").string(); }

Result<std::shared_ptr<const ClipModel>> ClipModel::Get(const std::string& dir, const std::string& op) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<const ClipModel>> loaded;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::path(dir) / "model.pt", ec)) {
    return Status::Unavailable(op + ": no clip model in '" + dir + "' (no model.pt): pass model_path: <a directory " +
                               "written by `juicer train --task clip`>, or run scripts/setup.sh, which trains " +
                               "the default scorer into " + DefaultClipScorerDir());
  }
  const std::string key = std::filesystem::absolute(dir, ec).lexically_normal().string();
  std::lock_guard<std::mutex> lock(mu);
  if (auto p = loaded[key].lock()) return p;
  const Result<ClipApi>& api = Api();
  if (!api.ok()) return Status::Unavailable(op + ": " + api.status().message());
  char err[kErrLen] = {0};
  void* h = api->load(dir.c_str(), err, sizeof err);
  if (h == nullptr) return Status::Unavailable(op + ": cannot load the clip model '" + dir + "': " + err);
  std::shared_ptr<ClipModel> m(new ClipModel());
  m->handle_ = h;
  m->dir_ = dir;
  api->info(h, &m->res_, &m->dim_, &m->temperature_);
  loaded[key] = m;
  return std::shared_ptr<const ClipModel>(std::move(m));
}

ClipModel::~ClipModel() {
  if (handle_ != nullptr && Api().ok()) Api()->free(handle_);
}

Result<std::vector<float>> ClipModel::EncodeImages(const std::vector<uint8_t>& pixels, size_t n) const {
  std::vector<float> out(n * static_cast<size_t>(dim_));
  if (n == 0) return out;
  char err[kErrLen] = {0};
  if (Api()->images(handle_, pixels.data(), n, out.data(), err, sizeof err) != 0) return Status::Internal(err);
  return out;
}

Result<std::vector<float>> ClipModel::EncodeTexts(const std::vector<std::string>& texts) const {
  std::vector<float> out(texts.size() * static_cast<size_t>(dim_));
  if (texts.empty()) return out;
  std::vector<const char*> ptrs;
  ptrs.reserve(texts.size());
  for (const auto& t : texts) ptrs.push_back(t.c_str());
  char err[kErrLen] = {0};
  if (Api()->texts(handle_, ptrs.data(), ptrs.size(), out.data(), err, sizeof err) != 0) return Status::Internal(err);
  return out;
}

Result<double> ClipModel::MatchingBias() const {
  std::string path = (std::filesystem::path(dir_) / "calibration_embeddings.bin").string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    path = (std::filesystem::path(dir_) / "embeddings_check.bin").string();
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("neither calibration_embeddings.bin nor embeddings_check.bin is in '" + dir_ + "'");
  int32_t hdr[2] = {0, 0};
  f.read(reinterpret_cast<char*>(hdr), sizeof hdr);
  const int32_t n = hdr[0], d = hdr[1];
  if (!f || n < 2 || d != dim_) return Status::DataError("'" + path + "' is not a clip embedding file of this model");
  std::vector<float> img(static_cast<size_t>(n) * d), txt(img.size());
  f.read(reinterpret_cast<char*>(img.data()), static_cast<std::streamsize>(img.size() * sizeof(float)));
  f.read(reinterpret_cast<char*>(txt.data()), static_cast<std::streamsize>(txt.size() * sizeof(float)));
  if (!f) return Status::DataError("'" + path + "' is truncated");
  double diag = 0, off = 0;
  for (int32_t i = 0; i < n; ++i)
    for (int32_t j = 0; j < n; ++j) (i == j ? diag : off) += Dot(&img[static_cast<size_t>(i) * d], &txt[static_cast<size_t>(j) * d], d);
  return 0.5 * (diag / n + off / (static_cast<double>(n) * (n - 1)));
}

void PlaceOnSquare(const cv::Mat& src, bool rgb, int res, bool hflip, bool vflip, uint8_t* out) {
  const double scale = static_cast<double>(res) / std::max(src.cols, src.rows);
  const int w = std::max(1, static_cast<int>(src.cols * scale + 0.5)),
            h = std::max(1, static_cast<int>(src.rows * scale + 0.5));
  cv::Mat small;
  cv::resize(src, small, cv::Size(std::min(w, res), std::min(h, res)), 0, 0,
             scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  if (!rgb) cv::cvtColor(small, small, cv::COLOR_BGR2RGB);
  if (hflip && vflip) {
    cv::flip(small, small, -1);
  } else if (hflip) {
    cv::flip(small, small, 1);
  } else if (vflip) {
    cv::flip(small, small, 0);
  }
  cv::Mat canvas(res, res, CV_8UC3, out);
  canvas.setTo(cv::Scalar(255, 255, 255));
  small.copyTo(canvas(cv::Rect((res - small.cols) / 2, (res - small.rows) / 2, small.cols, small.rows)));
}

Status ClipPixels(media::SampleImage& image, int res, bool hflip, bool vflip, uint8_t* out) {
  JUICER_ASSIGN_OR_RETURN(media::ImageHeader header, image.Header());
  JUICER_ASSIGN_OR_RETURN(std::string path, image.Resolved());
  cv::Mat src;  // 8-bit, 3 channels; RGB when `rgb`, else BGR (from the cache)
  bool rgb = false;
  std::shared_ptr<const cv::Mat> cached;
  if (MayHaveAlpha(path, header.format)) {
    auto m = DecodeWithAlpha(path, header);
    if (!m.ok()) return m.status().WithContext("field 'images': ");
    src = *m;
    rgb = true;
  } else {
    JUICER_ASSIGN_OR_RETURN(cached, image.Pixels());
    src = *cached;
  }
  PlaceOnSquare(src, rgb, res, hflip, vflip, out);
  return Status::OK();
}

}  // namespace juicer::image_ops
