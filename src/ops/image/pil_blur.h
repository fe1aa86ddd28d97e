// Pillow's blur filters re-implemented bit for bit on 8-bit images (any channel count), so the image
// mappers blur exactly as Data-Juicer's PIL code does: ImageFilter.BLUR, BoxBlur(radius) and
// GaussianBlur(radius).
#pragma once

#include <string>

#include <opencv2/core.hpp>

#include "core/status.h"

namespace juicer::image_ops {

enum class BlurType { kMean, kBox, kGaussian };
Result<BlurType> ParseBlurType(const std::string& name);  // "mean", "box", "gaussian"

// ImageFilter.BLUR: the 5x5 ring kernel (the 16 border cells of a 5x5 square, weight 1/16),
// rounded to nearest; the two outermost rows and columns are copied unchanged (Pillow's
// ImagingFilter5x5), and an image smaller than 5x5 is returned as is. `radius` is ignored.
// BoxBlur(r): one horizontal then one vertical pass of a (2r+1)-wide box with edge pixels repeated;
// a fractional r weights the two outermost taps by the fraction (Pillow's ImagingBoxBlur, 24-bit
// fixed point). GaussianBlur(r): three box passes each way with Pillow's box radius for sigma = r
// (Gwosdek et al. 2011, as Pillow's _gaussian_blur_radius). Radius 0: a copy.
cv::Mat PilBlur(const cv::Mat& src, BlurType type, float radius);

}  // namespace juicer::image_ops
