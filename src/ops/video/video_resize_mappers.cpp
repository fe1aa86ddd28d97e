// video_resize_resolution_mapper, video_resize_aspect_ratio_mapper: re-encode at a new size through libav.
#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "media/video_io.h"
#include "media/video_transcode.h"
#include "ops/video/video_filter_base.h"
#include "ops/video/video_mapper_util.h"
#include "ops/video/video_ops.h"

namespace juicer::video_ops {

namespace {

// A mapper that may replace each video by a resized copy; NewSize gives the size, or {0, 0} to keep it.
class ResizeMapper : public Mapper {
 public:
  ResizeMapper(const OpInfo& info, const OpParams& params) : Mapper(info, params), namer_(info, params) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const final {
    std::vector<std::string> videos;
    if (sample.Has(video_key())) {
      JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* v, sample.GetStringList(video_key()));
      videos = *v;
    }
    if (videos.empty()) {
      SetStringList(sample, kSourceFile, {});
      out->push_back(std::move(sample));
      return Status::OK();
    }
    std::unordered_map<std::string, std::string> done;
    std::vector<std::string> new_videos;
    bool changed = false;
    for (const std::string& v : videos) {
      auto it = done.find(v);
      if (it == done.end()) {
        media::SampleVideo video(sample, video_key(), v, ctx);
        JUICER_ASSIGN_OR_RETURN(media::VideoInfo info, video.Info());
        const auto [w, h] = NewSize(static_cast<int>(info.width), static_cast<int>(info.height));
        std::string dst = v;
        if (w > 0 && h > 0) {
          JUICER_ASSIGN_OR_RETURN(std::string src, video.Resolved());
          dst = namer_.Path(src, "");
          auto r = media::TranscodeVideo(src, dst, media::TranscodeSpec{.width = w, .height = h});
          if (!r.ok()) return video.Wrap(r.status());
          changed = true;
        }
        it = done.emplace(v, dst).first;
      }
      new_videos.push_back(it->second);
    }
    const Sample::Field* src_field = sample.Find(kSourceFile);
    if (src_field == nullptr || src_field->RawText() == "[]" || src_field->RawText() == "null")
      SetStringList(sample, kSourceFile, videos);
    if (changed) SetStringList(sample, video_key(), new_videos);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 protected:
  virtual std::pair<int, int> NewSize(int width, int height) const = 0;

 private:
  OutputNamer namer_;
};

// ---- video_resize_resolution_mapper ----

class ResizeResolution final : public ResizeMapper {
 public:
  ResizeResolution(const OpInfo& info, const OpParams& p)
      : ResizeMapper(info, p),
        min_w_(p.GetDouble("min_width")),
        max_w_(p.GetDouble("max_width")),
        min_h_(p.GetDouble("min_height")),
        max_h_(p.GetDouble("max_height")),
        mode_(p.GetString("force_original_aspect_ratio")),
        div_(static_cast<double>(p.GetInt("force_divisible_by"))) {}

 protected:
  // Data-Juicer's arithmetic (Python floats; round() ties to even).
  std::pair<int, int> NewSize(int width, int height) const override {
    double w = width, h = height;
    const double ratio = w / h;
    if (w >= min_w_ && w <= max_w_ && h >= min_h_ && h <= max_h_) return {0, 0};
    if (w < min_w_) {
      h = min_w_ / ratio;
      w = min_w_;
    }
    if (w > max_w_) {
      h = max_w_ / ratio;
      w = max_w_;
    }
    if (h < min_h_) {
      w = min_h_ * ratio;
      h = min_h_;
    }
    if (h > max_h_) {
      w = max_h_ * ratio;
      h = max_h_;
    }
    const double d = mode_ == "disable" ? 2.0 : div_;
    auto fit = [d](double x, double lo, double hi) {
      x = std::trunc(std::max(x, lo));
      x = std::ceil(x / d) * d;
      x = std::trunc(std::min(x, hi));
      return std::trunc(x / d) * d;
    };
    w = fit(w, min_w_, max_w_);
    h = fit(h, min_h_, max_h_);
    if (mode_ == "increase") {
      if (w / h < ratio) w = h * ratio;
      else if (w / h > ratio) h = w / ratio;
    } else if (mode_ == "decrease") {
      if (w / h < ratio) h = w / ratio;
      else if (w / h > ratio) w = h * ratio;
    }
    w = std::nearbyint(w / d) * d;
    h = std::nearbyint(h / d) * d;
    return {static_cast<int>(w), static_cast<int>(h)};
  }

 private:
  double min_w_, max_w_, min_h_, max_h_;
  std::string mode_;
  double div_;
};

const char* const kResizeDoc =
    " The video is re-encoded at the new size (libswscale bicubic, as ffmpeg's scale filter; libx264 for "
    "H.264, preset veryfast, crf 23) with its audio packets copied; Data-Juicer runs the ffmpeg CLI with "
    "its default encoder settings, so the bytes differ but the frame size is the same. A video already "
    "within bounds keeps its path; the video field lists the new paths and __dj__source_file__ the "
    "original ones when absent. A missing or unreadable video is a per-sample error naming it.";

OpInfo ResizeResolutionInfo() {
  OpInfo info;
  info.name = "video_resize_resolution_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kVideo;
  info.summary = "Resize videos whose width/height are outside [min, max] (keeping the aspect ratio as possible).";
  info.description =
      std::string("Data-Juicer's computation: a width below min_width (above max_width) is set to it and the "
                  "height scaled by the aspect ratio, then the same for the height; each side is clamped into "
                  "its range at a multiple of d (d = 2 with force_original_aspect_ratio 'disable', else "
                  "force_divisible_by); 'increase' / 'decrease' then grow / shrink one side back to the original "
                  "aspect ratio, and both are rounded to a multiple of d.") +
      kResizeDoc + kOutputDoc;
  info.params = {IntBound("min_width", 1, "narrower videos are widened"),
                 IntBound("max_width", INT64_MAX, "wider videos are narrowed"),
                 IntBound("min_height", 1, "lower videos are heightened"),
                 IntBound("max_height", INT64_MAX, "higher videos are lowered"),
                 ParamSpec{.name = "force_original_aspect_ratio", .type = ParamType::kString,
                           .default_value = std::string("disable"),
                           .doc = "'disable', 'decrease' or 'increase' (ffmpeg's scale option)",
                           .choices = {"disable", "decrease", "increase"}},
                 ParamSpec{.name = "force_divisible_by", .type = ParamType::kInt, .default_value = int64_t{2},
                           .doc = "sides are multiples of this (a positive even number) unless 'disable'",
                           .min_value = 1.0},
                 SaveDirParam()};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const int64_t d = p.GetInt("force_divisible_by");
    if ((d <= 1 || d % 2 == 1) && p.GetString("force_original_aspect_ratio") != "disable")
      return Status::InvalidArgument("force_divisible_by [" + std::to_string(d) + "] must be a positive even number");
    return std::unique_ptr<Op>(std::make_unique<ResizeResolution>(i, p));
  };
  return info;
}

// ---- video_resize_aspect_ratio_mapper ----

int64_t CeilDiv(int64_t a, int64_t b) { return a / b + ((a % b != 0) && ((a < 0) == (b < 0)) ? 1 : 0); }
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

class ResizeAspectRatio final : public ResizeMapper {
 public:
  ResizeAspectRatio(const OpInfo& info, const OpParams& p, Rational lo, Rational hi)
      : ResizeMapper(info, p), lo_(lo), hi_(hi), increase_(p.GetString("strategy") == "increase") {}

 protected:
  // Data-Juicer's rescale() with exact fractions.
  std::pair<int, int> NewSize(int width, int height) const override {
    const int64_t w = width, h = height;
    // w/h < p/q  <=>  w*q < p*h (all positive)
    auto less = [](int64_t a, int64_t b, const Rational& r) {
      return static_cast<__int128>(a) * r.den < static_cast<__int128>(r.num) * b;
    };
    auto greater = [](int64_t a, int64_t b, const Rational& r) {
      return static_cast<__int128>(a) * r.den > static_cast<__int128>(r.num) * b;
    };
    if (!less(w, h, lo_) && !greater(w, h, hi_)) return {0, 0};
    int64_t sw = w, sh = h;
    if (less(w, h, lo_)) {
      if (increase_) {
        sw = CeilDiv(h * lo_.num, lo_.den);
        sw += sw % 2;
      } else {
        sh = FloorDiv(w * lo_.den, lo_.num);
        sh -= sh % 2;
      }
    } else {
      if (increase_) {
        sh = CeilDiv(w * hi_.den, hi_.num);
        sh += sh % 2;
      } else {
        sw = FloorDiv(h * hi_.num, hi_.den);
        sw -= sw % 2;
      }
    }
    return {static_cast<int>(std::max<int64_t>(2, sw)), static_cast<int>(std::max<int64_t>(2, sh))};
  }

 private:
  Rational lo_, hi_;
  bool increase_;
};

Result<Rational> RatioOf(const OpParams& p, const std::string& name) {
  auto r = ParseRatio(p.GetString(name));
  if (!r.ok()) return r.status().WithContext(name + ": ");
  return r;
}

OpInfo ResizeAspectInfo() {
  OpInfo info;
  info.name = "video_resize_aspect_ratio_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kVideo;
  info.summary = "Resize videos whose aspect ratio is outside [min_ratio, max_ratio] to the nearest bound.";
  info.description =
      std::string("Data-Juicer's rescale() with exact fractions: below min_ratio, 'increase' sets the width to "
                  "ceil(height x min_ratio) (rounded up to even) and 'decrease' the height to floor(width / "
                  "min_ratio) (rounded down to even); above max_ratio, 'increase' sets the height to "
                  "ceil(width / max_ratio) and 'decrease' the width to floor(height x max_ratio); sides are at "
                  "least 2.") +
      kResizeDoc + kOutputDoc;
  info.params = {
      ParamSpec{.name = "min_ratio", .type = ParamType::kString, .default_value = std::string("9/21"),
                .doc = "minimum width/height, e.g. \"9/21\" or \"9:21\""},
      ParamSpec{.name = "max_ratio", .type = ParamType::kString, .default_value = std::string("21/9"),
                .doc = "maximum width/height, e.g. \"21/9\" or \"21:9\""},
      ParamSpec{.name = "strategy", .type = ParamType::kString, .default_value = std::string("increase"),
                .doc = "'increase' (grow one side) or 'decrease' (shrink one side)", .choices = {"increase", "decrease"}},
      SaveDirParam()};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(Rational lo, RatioOf(p, "min_ratio"));
    JUICER_ASSIGN_OR_RETURN(Rational hi, RatioOf(p, "max_ratio"));
    if (lo.num <= 0 || hi.num <= 0) return Status::InvalidArgument("min_ratio and max_ratio must be positive");
    return std::unique_ptr<Op>(std::make_unique<ResizeAspectRatio>(i, p, lo, hi));
  };
  return info;
}

}  // namespace

Status RegisterVideoResizeMappers(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(ResizeResolutionInfo()));
  return registry.Add(ResizeAspectInfo());
}

}  // namespace juicer::video_ops
