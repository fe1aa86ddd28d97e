// The heuristic behind image_aesthetics_filter (see its op doc): six measured signals, each mapped to
// [0, 1] by a logistic, combined by a weighted mean. Not a learned model.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include <opencv2/core.hpp>

#include "core/status.h"
#include "ops/image/image_quality.h"

namespace juicer::image_ops {

inline constexpr size_t kAestheticTerms = 6;
inline constexpr int kAestheticWorkSide = 512;  // pixel signals are measured at most this large

// Term k contributes weight * sigmoid((x_k - center) / scale); a negative scale = lower is better.
struct AestheticTerm {
  double weight = 0, center = 0, scale = 1;
};
struct AestheticsModel {
  std::array<AestheticTerm, kAestheticTerms> terms;  // in AestheticTermNames() order
};
// brisque, sharpness, colorfulness, exposure, clipping, resolution
const std::array<const char*, kAestheticTerms>& AestheticTermNames();

AestheticsModel DefaultAestheticsModel();
// {"terms": {"sharpness": {"weight": 0.3, "center": 2, "scale": 0.35}, ...}}: terms and fields left
// out keep their defaults.
Result<AestheticsModel> LoadAestheticsModel(const std::string& path);

struct AestheticSignals {
  std::array<double, kAestheticTerms> x;  // raw signal per term (brisque 0 when its weight is 0)
};
Result<AestheticSignals> MeasureAestheticSignals(const cv::Mat& bgr, const AestheticsModel& model,
                                                 BrisqueState& brisque);
double AestheticsScore(const AestheticSignals& s, const AestheticsModel& model);

}  // namespace juicer::image_ops
