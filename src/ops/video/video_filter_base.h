// Shared pieces of the video filters: a filter computing per-video stats (one list entry per video of
// the sample, computed once per distinct path; empty lists for a sample without videos), DJ's
// any_or_all keep strategy and the frame-sampling params of the frame-level filters.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/op.h"
#include "core/params.h"
#include "media/video_io.h"

namespace juicer::video_ops {

inline constexpr double kSysMaxsize = 9223372036854775807.0;
inline constexpr double kFloatMax = 1.7976931348623157e308;

// A stat's bounds; a bound given as a fraction p/q (Data-Juicer's Fraction("9/21")) is compared with the
// stat exactly, as Python compares a float with a Fraction.
struct Rational {
  int64_t num = 0, den = 1;
};
struct Bound {
  std::optional<double> min, max;
  std::optional<Rational> min_q, max_q;
};
// "9/21", "9:21", "0.75" or "2" as a fraction (decimals are exact: 0.75 = 3/4).
Result<Rational> ParseRatio(const std::string& text);
// The values of one video, one per stat key, into values[0..keys-1].
using MeasureFn =
    std::function<Status(const Op& op, media::SampleVideo& video, WorkerContext& ctx, StatScalar* values)>;

class PerVideoFilter final : public Filter {
 public:
  PerVideoFilter(const OpInfo& info, const OpParams& params, std::vector<std::string> stat_keys,
                 std::vector<Bound> bounds, MeasureFn fn);
  // Writes every stat key as a list (one value per video, in the order of the video field); a stat
  // already present is kept. No videos: empty lists.
  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override;
  // No videos: kept. Otherwise any_or_all over the videos (each passes when every stat is in bounds).
  Result<bool> Keep(const Sample& sample) const override;

 private:
  std::vector<std::string> keys_;
  std::vector<Bound> bounds_;
  bool InBounds(double v, const Bound& b) const;
  MeasureFn fn_;
  bool any_, min_closed_, max_closed_, reversed_;
};

ParamSpec AnyOrAllParam();
// frame_sampling_method / frame_num, with Data-Juicer's defaults.
std::vector<ParamSpec> FrameSamplingParams(const std::string& default_method = "all_keyframes");
Result<media::FrameSampling> FrameSamplingOf(const OpParams& params);
// reduce_mode: avg / max / min over the frames of one video.
ParamSpec ReduceModeParam();
double Reduce(const std::vector<double>& values, const std::string& mode);

}  // namespace juicer::video_ops
