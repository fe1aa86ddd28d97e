// video_duration_filter, video_resolution_filter, video_aspect_ratio_filter (container metadata only,
// nothing decoded) and video_motion_score_filter (Farneback optical flow on frames sampled at
// sampling_fps), with Data-Juicer's names, params, defaults and stat keys.
#include <cmath>
#include <memory>

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include "ops/video/video_filter_base.h"
#include "ops/video/video_motion.h"
#include "ops/video/video_ops.h"

namespace juicer::video_ops {

namespace {

Result<std::unique_ptr<Op>> MakeFilter(const OpInfo& info, const OpParams& params, std::vector<std::string> keys,
                                       std::vector<Bound> bounds, MeasureFn fn) {
  return std::unique_ptr<Op>(
      std::make_unique<PerVideoFilter>(info, params, std::move(keys), std::move(bounds), std::move(fn)));
}

// Python's round() of the Fraction duration_ts * num / den: nearest integer, ties to even.
int64_t RoundHalfEven(int64_t ts, int64_t num, int64_t den) {
  const __int128 n = static_cast<__int128>(ts) * num;
  __int128 q = n / den, r = n % den;
  if (r < 0) {
    r += den;
    q -= 1;
  }
  const __int128 twice = 2 * r;
  if (twice > den || (twice == den && (q & 1) != 0)) q += 1;
  return static_cast<int64_t>(q);
}

const char* const kMetadataDoc =
    " The metadata is read from the container's headers (libavformat), nothing is decoded; a video "
    "listed twice in a sample is read once. A sample without videos gets an empty list and is kept; "
    "any_or_all combines the videos of a sample. A missing file is a NotFound error, an empty, corrupt "
    "or audio-only file a per-sample data error naming the file (Data-Juicer raises there too).";

OpInfo DurationInfo() {
  OpInfo info;
  info.name = "video_duration_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kVideo;
  info.summary = "Keep samples whose videos' durations (seconds) are within [min_duration, max_duration].";
  info.description =
      std::string("Stat video_duration: one int per video, the first video stream's duration (stream duration x "
                  "time base, as PyAV reports it) rounded to the nearest second with ties to even (Python's round "
                  "of a Fraction), as Data-Juicer. When the stream stores no duration (Matroska/WebM), the "
                  "container's duration is used (Data-Juicer fails on such files).") +
      kMetadataDoc;
  info.params = {FloatBound("min_duration", 0.0, "videos shorter than this (seconds) fail"),
                 FloatBound("max_duration", kSysMaxsize, "videos longer than this fail (default sys.maxsize)"),
                 AnyOrAllParam()};
  info.stat_keys = {"video_duration"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return MakeFilter(i, p, {"video_duration"}, {Bound{p.GetOptDouble("min_duration"), p.GetOptDouble("max_duration")}},
                      [](const Op&, media::SampleVideo& v, WorkerContext&, StatScalar* out) -> Status {
                        JUICER_ASSIGN_OR_RETURN(media::VideoInfo info, v.Info());
                        out[0] = RoundHalfEven(info.duration_ts, info.tb_num, info.tb_den);
                        return Status::OK();
                      });
  };
  return info;
}

OpInfo ResolutionInfo() {
  OpInfo info;
  info.name = "video_resolution_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kVideo;
  info.summary = "Keep samples whose videos' width and height are within [min, max].";
  info.description =
      std::string("Stats video_width and video_height: one int per video, the first video stream's coded frame "
                  "size (PyAV's codec_context.width / height). A video passes when min_width <= width <= "
                  "max_width and min_height <= height <= max_height.") +
      kMetadataDoc;
  info.params = {IntBound("min_width", 1, "videos narrower than this fail"),
                 IntBound("max_width", INT64_MAX, "videos wider than this fail (default sys.maxsize)"),
                 IntBound("min_height", 1, "videos lower than this fail"),
                 IntBound("max_height", INT64_MAX, "videos higher than this fail (default sys.maxsize)"),
                 AnyOrAllParam()};
  info.stat_keys = {"video_width", "video_height"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return MakeFilter(i, p, {"video_width", "video_height"},
                      {Bound{p.GetOptDouble("min_width"), p.GetOptDouble("max_width")},
                       Bound{p.GetOptDouble("min_height"), p.GetOptDouble("max_height")}},
                      [](const Op&, media::SampleVideo& v, WorkerContext&, StatScalar* out) -> Status {
                        JUICER_ASSIGN_OR_RETURN(media::VideoInfo info, v.Info());
                        out[0] = info.width;
                        out[1] = info.height;
                        return Status::OK();
                      });
  };
  return info;
}

Result<Rational> RatioParam(const OpParams& p, const std::string& name) {
  auto r = ParseRatio(p.GetString(name));
  if (!r.ok()) return r.status().WithContext(name + ": ");
  if (r->num < 0) return Status::InvalidArgument(name + ": must not be negative");
  return r;
}

OpInfo AspectInfo() {
  OpInfo info;
  info.name = "video_aspect_ratio_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kVideo;
  info.summary = "Keep samples whose videos' aspect ratio (width / height) is within [min_ratio, max_ratio].";
  info.description =
      std::string("Stat video_aspect_ratios: one float per video, codec width / height. The bounds are "
                  "fractions given as strings (\"9/21\", \"9:21\") or numbers, and the float ratio is compared "
                  "with them exactly, as Python compares a float with a Fraction (so 640/360 against \"16/9\" "
                  "gives Data-Juicer's answer).") +
      kMetadataDoc;
  info.params = {
      ParamSpec{.name = "min_ratio", .type = ParamType::kString, .default_value = std::string("9/21"),
                .doc = "minimum width/height, e.g. \"9/21\" or \"9:21\""},
      ParamSpec{.name = "max_ratio", .type = ParamType::kString, .default_value = std::string("21/9"),
                .doc = "maximum width/height, e.g. \"21/9\" or \"21:9\""},
      AnyOrAllParam()};
  info.stat_keys = {"video_aspect_ratios"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(Rational lo, RatioParam(p, "min_ratio"));
    JUICER_ASSIGN_OR_RETURN(Rational hi, RatioParam(p, "max_ratio"));
    Bound b;
    b.min_q = lo;
    b.max_q = hi;
    return MakeFilter(i, p, {"video_aspect_ratios"}, {b},
                      [](const Op&, media::SampleVideo& v, WorkerContext&, StatScalar* out) -> Status {
                        JUICER_ASSIGN_OR_RETURN(media::VideoInfo info, v.Info());
                        out[0] = static_cast<double>(info.width) / static_cast<double>(info.height);
                        return Status::OK();
                      });
  };
  return info;
}

Result<std::vector<int64_t>> SizeParam(const OpParams& p) {
  std::vector<int64_t> size;
  if (p.IsNull("size")) return size;
  for (double d : p.GetDoubleList("size")) size.push_back(static_cast<int64_t>(d));
  if (size.empty() || size.size() > 2)
    return Status::InvalidArgument("size must be an int or a 1 or 2 element list, not a " +
                                   std::to_string(size.size()) + " element list");
  for (int64_t s : size)
    if (s <= 0) return Status::InvalidArgument("size: values must be positive");
  return size;
}

OpInfo MotionInfo() {
  OpInfo info;
  info.name = "video_motion_score_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kVideo;
  info.summary = "Keep samples whose videos' motion score (mean Farneback optical-flow magnitude) is within range.";
  info.description =
      "Stat video_motion_score: one float per video. Frames are decoded in order (libavcodec) and "
      "converted to BGR (bicubic, as OpenCV's reader); Data-Juicer's OpenCV loop is reproduced frame for "
      "frame: with fps the stream's "
      "average frame rate, step = round(fps / min(sampling_fps, fps)) (ties to even), clamped to "
      "[1, frame_count - 1]; the frames used are 0, 1, step, 2*step, ... (its first read is not followed "
      "by a seek, so frame 1 is the second one; with step 1 frame 1 is read twice). Each frame is resized "
      "with INTER_AREA when size/max_size/divisible give a size different from the frame's "
      "(calculate_resized_dimensions; like Data-Juicer, the computed (height, width) is passed to "
      "cv2.resize as (width, height)), converted to grey, and Farneback optical flow as "
      "cv::calcOpticalFlowFarneback(prev, cur, pyr_scale 0.5, levels 3, winsize 15, iterations 3, poly_n 5, "
      "poly_sigma 1.2, flags 0) computes it gives a flow field whose mean magnitude is the frame's score "
      "(divided by the frame diagonal with relative). The flow is computed by juicer's media::Farneback: "
      "OpenCV's algorithm step for step (its pre-blur and pyramid through OpenCV itself), laid out on planes "
      "with AVX2 kernels and each frame's polynomial expansion reused for both of its pairs; it agrees with "
      "OpenCV's to float rounding (mean magnitude within 1e-4 relative) at 3-4x its speed. "
      "The video's score is the mean over frames. A video that cannot be opened or decoded (empty, "
      "truncated before its first two frames, corrupt, audio only) scores -1, Data-Juicer's fallback; a "
      "missing file is a NotFound error. Frames are numbered from their timestamps (frame i at start + i / fps, "
      "as OpenCV numbers frames when it seeks); unsampled frames that no other frame references are not decoded "
      "at all, the others are decoded but not converted. "
      "A sample without videos gets an empty list and is kept.";
  info.params = {
      FloatBound("min_score", 0.25, "videos with a lower motion score fail"),
      FloatBound("max_score", kFloatMax, "videos with a higher motion score fail (default sys.float_info.max)"),
      ParamSpec{.name = "sampling_fps", .type = ParamType::kFloat, .default_value = 2.0,
                .doc = "frames per second used for the flow (at most the video's fps)", .min_value = 1e-9},
      ParamSpec{.name = "size", .type = ParamType::kIntList, .default_value = std::monostate{},
                .doc = "resize frames first: an int (short edge) or [h, w]; null keeps the size", .nullable = true},
      ParamSpec{.name = "max_size", .type = ParamType::kInt, .default_value = std::monostate{},
                .doc = "cap on the long edge after `size`", .nullable = true, .min_value = 1.0},
      ParamSpec{.name = "divisible", .type = ParamType::kInt, .default_value = int64_t{1},
                .doc = "resized edges are rounded down to a multiple of this", .min_value = 1.0},
      ParamSpec{.name = "relative", .type = ParamType::kBool, .default_value = false,
                .doc = "divide the flow magnitude by the frame diagonal"},
      AnyOrAllParam()};
  info.stat_keys = {"video_motion_score"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    MotionParams mp;
    mp.sampling_fps = p.GetDouble("sampling_fps");
    JUICER_ASSIGN_OR_RETURN(mp.size, SizeParam(p));
    mp.max_size = p.GetOptInt("max_size");
    mp.divisible = p.GetInt("divisible");
    mp.relative = p.GetBool("relative");
    return MakeFilter(i, p, {"video_motion_score"}, {Bound{p.GetOptDouble("min_score"), p.GetOptDouble("max_score")}},
                      [mp](const Op&, media::SampleVideo& v, WorkerContext&, StatScalar* out) -> Status {
                        JUICER_ASSIGN_OR_RETURN(std::string path, v.Resolved());
                        auto score = MotionScore(path, mp);
                        if (!score.ok()) return v.Wrap(score.status());
                        out[0] = *score;
                        return Status::OK();
                      });
  };
  return info;
}

}  // namespace

Status RegisterVideoBasicFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(DurationInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(ResolutionInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(AspectInfo()));
  return registry.Add(MotionInfo());
}

}  // namespace juicer::video_ops
