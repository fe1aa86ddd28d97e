// Shared pieces of the image filters: a filter computing per-image stats (one list entry per image of
// the sample, empty lists for a sample without images), DJ's any_or_all keep strategy, common params.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/op.h"
#include "core/params.h"
#include "media/image_io.h"

namespace juicer::image_ops {

inline constexpr double kSysMaxsize = 9223372036854775807.0;

class PerImageFilter : public Filter {
 public:
  PerImageFilter(const OpInfo& info, const OpParams& params, std::vector<std::string> stat_keys);
  // Writes every stat key as a list (one value per image, in the order of the image field). A stat
  // already present is kept (DJ does not recompute either). No images: empty lists.
  Status ComputeStats(Sample& sample, WorkerContext& ctx) const final;
  // No images: kept. Otherwise any_or_all over the images' KeepImage.
  Result<bool> Keep(const Sample& sample) const final;

 protected:
  // The values of one image, one per stat key, into values[0..keys-1].
  virtual Status Measure(media::SampleImage& image, WorkerContext& ctx, StatScalar* values) const = 0;
  // Whether one image passes, from its values (one per stat key).
  virtual bool KeepImage(const double* values) const = 0;
  bool InRange(double v, std::optional<double> lo, std::optional<double> hi) const { return KeepRange(v, lo, hi); }

 private:
  std::vector<std::string> keys_;
  bool any_;
};

// A PerImageFilter whose image passes when every stat lies in its [min, max] (DJ's get_keep_boolean,
// so the common closed-interval / reversed_range params apply), measured by a function.
struct Bound {
  std::optional<double> min, max;
};
using MeasureFn = std::function<Status(const Op& op, media::SampleImage& image, WorkerContext& ctx,
                                       StatScalar* values)>;
class RangeImageFilter final : public PerImageFilter {
 public:
  RangeImageFilter(const OpInfo& info, const OpParams& params, std::vector<std::string> stat_keys,
                   std::vector<Bound> bounds, MeasureFn fn)
      : PerImageFilter(info, params, std::move(stat_keys)), bounds_(std::move(bounds)), fn_(std::move(fn)) {}

 protected:
  Status Measure(media::SampleImage& image, WorkerContext& ctx, StatScalar* values) const override {
    return fn_(*this, image, ctx, values);
  }
  bool KeepImage(const double* values) const override {
    for (size_t k = 0; k < bounds_.size(); ++k)
      if (!InRange(values[k], bounds_[k].min, bounds_[k].max)) return false;
    return true;
  }

 private:
  std::vector<Bound> bounds_;
  MeasureFn fn_;
};

ParamSpec AnyOrAllParam();

}  // namespace juicer::image_ops
