// image_blur_mapper, image_face_blur_mapper (Data-Juicer's) and image_resize_mapper (juicer's): each
// rewrites some images of a sample into new files and points the sample's image field at them.
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <unordered_map>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/json_text.h"
#include "ops/sample_fields.h"
#include "media/image_io.h"
#include "ops/image/face_detect.h"
#include "ops/image/image_ops.h"
#include "ops/image/pil_blur.h"

namespace juicer::image_ops {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSourceFile = "__dj__source_file__";
constexpr std::string_view kProducedDir = "__dj__produced_data__";

// "abc__dj_hash_#123#" -> "abc" (a file this or another mapper produced gets a new hash, not two).
std::string StripHashSuffix(std::string stem) {
  const size_t p = stem.find("__dj_hash_#");
  if (p != std::string::npos && !stem.empty() && stem.back() == '#') stem.resize(p);
  return stem;
}

// A mapper that rewrites some images of a sample. Per sample: each distinct path is handled once;
// Rewrite returns the new pixels or an empty Mat (image unchanged, path kept). New images are encoded
// by their source's extension into the output dir; the image field then lists the new paths, and
// __dj__source_file__ (when absent) the original ones, as in Data-Juicer.
class ImageRewriteMapper : public Mapper {
 public:
  ImageRewriteMapper(const OpInfo& info, const OpParams& params) : Mapper(info, params) {
    if (!params.IsNull("save_dir")) {
      out_dir_ = params.GetString("save_dir");
    } else if (const char* env = std::getenv("DJ_PRODUCED_DATA_DIR"); env != nullptr && *env != '\0') {
      out_dir_ = (fs::path(env) / info.name).string();
    } else if (!params.IsNull("work_dir")) {
      out_dir_ = (fs::path(params.GetString("work_dir")) / kProducedDir / info.name).string();
    }
    if (!out_dir_.empty()) out_dir_ = fs::absolute(out_dir_).lexically_normal().string();
    for (const ParamSpec& p : info.params)
      if (p.name != "save_dir") param_key_ += p.name + "=" + ParamValueToString(params.Get(p.name)) + "\n";
  }

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const final {
    JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* list, sample.GetStringList(image_key()));
    const std::vector<std::string> paths = *list;
    std::vector<std::string> new_paths = paths;
    std::unordered_map<std::string, std::string> done;  // path as written -> new path
    bool changed = false;
    for (size_t i = 0; i < paths.size(); ++i) {
      if (auto it = done.find(paths[i]); it != done.end()) {
        new_paths[i] = it->second;
        continue;
      }
      media::SampleImage image(sample, image_key(), paths[i], ctx);
      JUICER_ASSIGN_OR_RETURN(cv::Mat pixels, Rewrite(image, sample, i, ctx));
      std::string dst = paths[i];
      if (!pixels.empty()) {
        JUICER_ASSIGN_OR_RETURN(std::string src, image.Resolved());
        dst = OutputPath(src);
        const Status st = WriteImage(dst, pixels);
        if (!st.ok())
          return st.WithContext(sample.origin.ToString() + ": field '" + image_key() + "': image '" + paths[i] + "': ");
        changed = true;
      }
      done.emplace(paths[i], dst);
      new_paths[i] = dst;
    }
    if (!sample.Has(kSourceFile)) SetStringList(sample, kSourceFile, paths);
    if (changed) SetStringList(sample, image_key(), new_paths);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 protected:
  // New pixels for image `index` of `sample`, or an empty Mat to keep it.
  virtual Result<cv::Mat> Rewrite(media::SampleImage& image, const Sample& sample, size_t index,
                                  WorkerContext& ctx) const = 0;

 private:
  // <out dir>/<stem>__dj_hash_#<32 hex>#<ext>; the hash covers the op name, its params and the
  // source's resolved path, so a run is reproducible and two sources never share a name.
  std::string OutputPath(const std::string& src) const {
    const fs::path abs = fs::absolute(src).lexically_normal();
    fs::path dir = out_dir_;
    if (dir.empty()) {  // Data-Juicer's default: beside the source (outside an earlier produced dir)
      std::string d = abs.parent_path().string();
      const std::string token = "/" + std::string(kProducedDir) + "/";
      if (const size_t p = (d + "/").find(token); p != std::string::npos) d.resize(p);
      dir = fs::path(d) / kProducedDir / name();
    }
    const std::string key = name() + "\n" + param_key_ + abs.string();
    const XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
    char hex[33];
    std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                  static_cast<unsigned long long>(h.low64));
    return (dir / (StripHashSuffix(abs.stem().string()) + "__dj_hash_#" + hex + "#" + abs.extension().string()))
        .string();
  }

  // Encodes by the extension (JPEG at quality 75, PIL's default) into a temp file, then renames it,
  // so concurrent workers writing the same output never expose a partial file.
  static Status WriteImage(const std::string& dst, const cv::Mat& pixels) {
    std::string ext = fs::path(dst).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    std::vector<int> params;
    if (ext == ".jpg" || ext == ".jpeg") params = {cv::IMWRITE_JPEG_QUALITY, 75};
    std::vector<uchar> buf;
    try {
      if (ext.empty() || !cv::imencode(ext, pixels, buf, params))
        return Status::DataError("cannot encode an image as '" + ext + "'");
    } catch (const cv::Exception& e) {
      return Status::DataError("cannot encode an image as '" + ext + "': " + e.what());
    }
    std::error_code ec;
    fs::create_directories(fs::path(dst).parent_path(), ec);
    if (ec) return Status::IOError("cannot create '" + fs::path(dst).parent_path().string() + "': " + ec.message());
    const std::string tmp = dst + ".tmp" + std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())) + ext;
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
      if (!f.good()) return Status::IOError("cannot write '" + tmp + "'");
    }
    fs::rename(tmp, dst, ec);
    if (ec) {
      fs::remove(tmp, ec);
      return Status::IOError("cannot rename into '" + dst + "'");
    }
    return Status::OK();
  }

  std::string out_dir_;    // empty: beside each source
  std::string param_key_;  // op params, for the output names
};

ParamSpec BlurTypeParam() {
  return ParamSpec{.name = "blur_type", .type = ParamType::kString, .default_value = std::string("gaussian"),
                   .doc = "'mean' (PIL ImageFilter.BLUR), 'box' (BoxBlur(radius)) or 'gaussian' (GaussianBlur(radius))",
                   .choices = {"mean", "box", "gaussian"}};
}
ParamSpec RadiusParam() {
  return ParamSpec{.name = "radius", .type = ParamType::kFloat, .default_value = 2.0,
                   .doc = "blur radius in pixels (box: half width; gaussian: sigma); unused by 'mean'", .min_value = 0.0};
}
ParamSpec SaveDirParam() {
  return ParamSpec{.name = "save_dir", .type = ParamType::kString,
                   .doc = "directory for the new images; null = <work_dir>/__dj__produced_data__/<op name>",
                   .nullable = true};
}

const char* const kOutputDoc =
    " New images are written to save_dir, else $DJ_PRODUCED_DATA_DIR/<op name>, else <work_dir>/"
    "__dj__produced_data__/<op name> (work_dir defaults to the recipe's, i.e. the export directory), "
    "else (op built outside a recipe) beside the source in __dj__produced_data__/<op name>, as "
    "<stem>__dj_hash_#<hash>#<ext> with Data-Juicer's naming; the hash is XXH3-128 of the op name, "
    "its params and the source's absolute path (Data-Juicer hashes the params with the process id "
    "and the time, so its names differ on every run; juicer's are reproducible and input files are "
    "never written to). The format follows the extension (JPEG at quality 75, PIL's default). The image "
    "field then holds the new absolute paths; __dj__source_file__ is set to the original list when "
    "absent, as in Data-Juicer. Text (special tokens included) is not touched. A missing or "
    "undecodable image is a per-sample error naming the file.";

// ---- image_blur_mapper ----

class ImageBlurMapper final : public ImageRewriteMapper {
 public:
  ImageBlurMapper(const OpInfo& info, const OpParams& params, BlurType type)
      : ImageRewriteMapper(info, params),
        p_(params.GetDouble("p")),
        type_(type),
        radius_(static_cast<float>(params.GetDouble("radius"))),
        seed_(params.IsNull("seed") ? 42 : static_cast<uint64_t>(params.GetInt("seed"))) {}

 protected:
  Result<cv::Mat> Rewrite(media::SampleImage& image, const Sample& sample, size_t index,
                          WorkerContext&) const override {
    if (!(Uniform(sample.index, index) < p_)) return cv::Mat();
    JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, image.Pixels());
    return PilBlur(*m, type_, radius_);
  }

 private:
  // A uniform draw in [0, 1) from (seed, sample index, image index): the same whatever the number
  // of workers or the order samples are processed in.
  double Uniform(uint64_t sample_index, uint64_t image_index) const {
    const uint64_t key[2] = {sample_index, image_index};
    return static_cast<double>(XXH3_64bits_withSeed(key, sizeof key, seed_) >> 11) * 0x1.0p-53;
  }

  double p_;
  BlurType type_;
  float radius_;
  uint64_t seed_;
};

OpInfo BlurInfo() {
  OpInfo info;
  info.name = "image_blur_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kImage;
  info.summary = "Blur each image with probability p (mean, box or Gaussian blur, as PIL).";
  info.description =
      std::string(
          "Each distinct image of a sample is blurred when a uniform draw in [0, 1) is below p (p = 1: "
          "every image, p = 0: none). The draw is a hash of (seed, the sample's position in the input, "
          "the image's position in the sample), seed defaulting to the recipe's seed, so a run is "
          "reproducible and independent of np (Data-Juicer draws from numpy's global generator: same "
          "distribution, not the same images). The blur is Pillow's, re-implemented bit for bit on the "
          "8-bit RGB image: 'mean' = ImageFilter.BLUR, a 5x5 ring kernel (the 16 border cells, each "
          "1/16; the two outermost rows and columns unchanged; radius unused), 'box' = "
          "BoxBlur(radius): a (2*radius+1)-wide box each way with edge pixels repeated, 'gaussian' = "
          "GaussianBlur(radius): three box passes each way approximating sigma = radius. Blurred "
          "images are identical to Data-Juicer's when decoded identically (OpenCV's and PIL's decoders "
          "agree on PNG; JPEG decoding can differ by rounding).") +
      kOutputDoc;
  info.params = {ParamSpec{.name = "p", .type = ParamType::kFloat, .default_value = 0.2,
                           .doc = "probability of blurring an image", .min_value = 0.0, .max_value = 1.0},
                 BlurTypeParam(), RadiusParam(), SaveDirParam(),
                 ParamSpec{.name = "seed", .type = ParamType::kInt,
                           .doc = "seed of the per-image draws; null = the recipe's seed (42 outside a recipe)",
                           .nullable = true}};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(BlurType type, ParseBlurType(p.GetString("blur_type")));
    return std::unique_ptr<Op>(std::make_unique<ImageBlurMapper>(i, p, type));
  };
  return info;
}

// ---- image_face_blur_mapper ----

class ImageFaceBlurMapper final : public ImageRewriteMapper {
 public:
  ImageFaceBlurMapper(const OpInfo& info, const OpParams& params, BlurType type,
                      std::shared_ptr<const DetectorConfig> cfg)
      : ImageRewriteMapper(info, params),
        type_(type),
        radius_(static_cast<float>(params.GetDouble("radius"))),
        cfg_(std::move(cfg)) {}

 protected:
  Result<cv::Mat> Rewrite(media::SampleImage& image, const Sample&, size_t, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, image.Pixels());
    auto faces = DetectFaces(*cfg_, ctx.StateFor<DetectorState>(this), *m);
    if (!faces.ok()) return faces.status().WithContext("image '" + image.path() + "': ");
    if (faces->empty()) return cv::Mat();
    cv::Mat out = m->clone();
    for (const cv::Rect& f : *faces) {
      if (f.width <= 0 || f.height <= 0) continue;
      // as PIL's crop -> filter -> paste: each box is blurred on its own (edges repeated at the box
      // border), from the original pixels
      PilBlur((*m)(f).clone(), type_, radius_).copyTo(out(f));
    }
    return out;
  }

 private:
  BlurType type_;
  float radius_;
  std::shared_ptr<const DetectorConfig> cfg_;
};

OpInfo FaceBlurInfo() {
  OpInfo info;
  info.name = "image_face_blur_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kImage;
  info.summary = "Blur the faces detected in each image (Haar cascade as Data-Juicer, or YuNet).";
  info.description =
      std::string(
          "Faces are detected as by image_face_count_filter (same detector and params); each face box is "
          "cut out of the original image, blurred on its own with Pillow's filter (blur_type, radius, "
          "re-implemented bit for bit, see image_blur_mapper) and pasted back, as Data-Juicer's "
          "crop/filter/paste. An image without faces keeps its path and no file is written.") +
      kDetectorDoc + kOutputDoc;
  info.params = {BlurTypeParam(), RadiusParam(), SaveDirParam()};
  for (auto& p : DetectorParams()) info.params.push_back(std::move(p));
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(BlurType type, ParseBlurType(p.GetString("blur_type")));
    JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const DetectorConfig> cfg, MakeConfig(p, i.name));
    return std::unique_ptr<Op>(std::make_unique<ImageFaceBlurMapper>(i, p, type, std::move(cfg)));
  };
  return info;
}

// ---- image_resize_mapper ----

class ImageResizeMapper final : public ImageRewriteMapper {
 public:
  ImageResizeMapper(const OpInfo& info, const OpParams& params)
      : ImageRewriteMapper(info, params), max_side_(params.GetOptInt("max_side")), min_side_(params.GetOptInt("min_side")) {}

  // The scale for a w x h image (1 = unchanged).
  double Scale(double w, double h) const {
    double s = 1;
    if (max_side_ && std::max(w, h) > static_cast<double>(*max_side_)) {
      s = static_cast<double>(*max_side_) / std::max(w, h);
    } else if (min_side_ && std::min(w, h) < static_cast<double>(*min_side_)) {
      s = static_cast<double>(*min_side_) / std::min(w, h);
      if (max_side_) s = std::min(s, static_cast<double>(*max_side_) / std::max(w, h));
    }
    return s;
  }

 protected:
  Result<cv::Mat> Rewrite(media::SampleImage& image, const Sample&, size_t, WorkerContext&) const override {
    JUICER_ASSIGN_OR_RETURN(media::ImageHeader h, image.Header());  // no decoding when within bounds
    const double w = static_cast<double>(h.width), ht = static_cast<double>(h.height);
    const double s = Scale(w, ht);
    const int nw = std::max(1, static_cast<int>(std::lround(w * s)));
    const int nh = std::max(1, static_cast<int>(std::lround(ht * s)));
    if (nw == h.width && nh == h.height) return cv::Mat();
    JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, image.Pixels());
    cv::Mat out;
    cv::resize(*m, out, cv::Size(nw, nh), 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    return out;
  }

 private:
  std::optional<int64_t> max_side_, min_side_;
};

OpInfo ResizeInfo() {
  OpInfo info;
  info.name = "image_resize_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kImage;
  info.summary = "Resize images, keeping their aspect ratio, so the longer side is <= max_side and the shorter >= min_side.";
  info.description =
      std::string(
          "Data-Juicer has no such op (its video_resize_resolution_mapper is the video analogue). Sizes come "
          "from the file header, so an image already within bounds is neither decoded nor rewritten "
          "(its path is kept). An image whose longer side exceeds max_side is scaled by "
          "max_side / longer side; otherwise one whose shorter side is below min_side is scaled by "
          "min_side / shorter side, but never so far that the longer side exceeds max_side (max_side "
          "wins over min_side for very elongated images). New width and height are rounded to the "
          "nearest integer (at least 1). Downscaling uses OpenCV's INTER_AREA (pixel-area averaging, "
          "no aliasing), upscaling bicubic INTER_CUBIC. With neither max_side nor min_side set the op changes nothing.") +
      kOutputDoc;
  info.params = {ParamSpec{.name = "max_side", .type = ParamType::kInt,
                           .doc = "longest allowed side in pixels; null = no limit", .nullable = true, .min_value = 1.0},
                 ParamSpec{.name = "min_side", .type = ParamType::kInt,
                           .doc = "shortest allowed side in pixels; null = no limit", .nullable = true, .min_value = 1.0},
                 SaveDirParam()};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    if (!p.IsNull("max_side") && !p.IsNull("min_side") && p.GetInt("min_side") > p.GetInt("max_side"))
      return Status::InvalidArgument("min_side (" + std::to_string(p.GetInt("min_side")) + ") is above max_side (" +
                                     std::to_string(p.GetInt("max_side")) + ")");
    return std::unique_ptr<Op>(std::make_unique<ImageResizeMapper>(i, p));
  };
  return info;
}

}  // namespace

Status RegisterImageMappers(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(BlurInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(FaceBlurInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(ResizeInfo()));
  return Status::OK();
}

}  // namespace juicer::image_ops
