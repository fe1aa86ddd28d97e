// Pixel-quality measures shared by the quality filters and image_aesthetics_filter.
#pragma once

#include <string>

#include <opencv2/core.hpp>
#include <opencv2/quality/qualitybrisque.hpp>

#include "core/op.h"
#include "core/status.h"

namespace juicer::image_ops {

// Variance of the 3x3 Laplacian of the BT.601 grey image (image_sharpness_filter).
double LaplacianVariance(const cv::Mat& bgr);
// Hasler & Suesstrunk colorfulness M (image_colorfulness_filter).
double Colorfulness(const cv::Mat& bgr);
// Shannon entropy (bits) of the 256-bin grey histogram (image_entropy_filter).
double GreyEntropy(const cv::Mat& bgr);

inline constexpr const char* kBrisqueModel = "/usr/share/opencv4/quality/brisque_model_live.yml";
inline constexpr const char* kBrisqueRange = "/usr/share/opencv4/quality/brisque_range_live.yml";

// One BRISQUE model per worker and op (QualityBRISQUE is not thread-safe), loaded on first use.
struct BrisqueState final : OpWorkerState {
  cv::Ptr<cv::quality::QualityBRISQUE> model;
};
// Unavailable when either file is missing.
Status CheckBrisqueFiles(const std::string& model, const std::string& range);
// BRISQUE score in [0, 100] (lower is better); DataError when OpenCV fails on the image.
Result<double> BrisqueScore(BrisqueState& st, const std::string& model, const std::string& range, const cv::Mat& bgr);

}  // namespace juicer::image_ops
