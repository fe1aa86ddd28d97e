#include "ops/image/pil_blur.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace juicer::image_ops {

Result<BlurType> ParseBlurType(const std::string& name) {
  if (name == "mean") return BlurType::kMean;
  if (name == "box") return BlurType::kBox;
  if (name == "gaussian") return BlurType::kGaussian;
  return Status::InvalidArgument("blur_type: '" + name + "' is not one of: mean, box, gaussian");
}

namespace {

// One horizontal box pass over every row of `img` (CV_8UC(cn)), in place, as Pillow's
// ImagingHorizontalBoxBlur: out[x] = (ww * sum_{k=-r..r} in[x+k] + fw * (in[x-r-1] + in[x+r+1])
// + 2^23) >> 24 with indices clamped to the row; ww and fw as Pillow computes them (float division).
void HorizontalPass(cv::Mat& img, float radius) {
  const int r = static_cast<int>(radius);
  const uint32_t ww = static_cast<uint32_t>(static_cast<float>(1 << 24) / (radius * 2 + 1));
  const uint32_t fw = ((1u << 24) - static_cast<uint32_t>(r * 2 + 1) * ww) / 2;
  const int w = img.cols, cn = img.channels();
  std::vector<uint8_t> line(static_cast<size_t>(w) * cn);
  auto at = [&](int x, int c) -> uint64_t { return line[static_cast<size_t>(std::clamp(x, 0, w - 1)) * cn + c]; };
  for (int y = 0; y < img.rows; ++y) {
    uint8_t* row = img.ptr<uint8_t>(y);
    std::copy(row, row + line.size(), line.begin());
    for (int c = 0; c < cn; ++c) {
      uint64_t acc = 0;  // sum over [x-r, x+r], clamped, kept as a running sum
      for (int k = -r; k <= r; ++k) acc += at(k, c);
      for (int x = 0; x < w; ++x) {
        const uint64_t v = acc * ww + (at(x - r - 1, c) + at(x + r + 1, c)) * fw + (1u << 23);
        row[static_cast<size_t>(x) * cn + c] = static_cast<uint8_t>(v >> 24);
        acc += at(x + r + 1, c);
        acc -= at(x - r, c);
      }
    }
  }
}

cv::Mat BoxBlur(const cv::Mat& src, float radius, int passes) {
  cv::Mat out = src.clone();
  for (int i = 0; i < passes; ++i) HorizontalPass(out, radius);
  cv::Mat t = out.t();
  for (int i = 0; i < passes; ++i) HorizontalPass(t, radius);
  return cv::Mat(t.t());
}

// Pillow's _gaussian_blur_radius (single-precision, as in C).
float GaussianBoxRadius(float radius, int passes) {
  const float sigma2 = radius * radius / static_cast<float>(passes);
  const float L = std::sqrt(12.0f * sigma2 + 1.0f);
  const float l = std::floor((L - 1.0f) / 2.0f);
  float a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
  a /= 6 * (sigma2 - (l + 1) * (l + 1));
  return l + a;
}

cv::Mat RingBlur(const cv::Mat& src) {
  cv::Mat out = src.clone();
  const int w = src.cols, h = src.rows, cn = src.channels();
  if (w < 5 || h < 5) return out;
  for (int y = 2; y < h - 2; ++y) {
    const uint8_t* rows[5];
    for (int k = 0; k < 5; ++k) rows[k] = src.ptr<uint8_t>(y - 2 + k);
    uint8_t* o = out.ptr<uint8_t>(y);
    for (int x = 2; x < w - 2; ++x)
      for (int c = 0; c < cn; ++c) {
        uint32_t s = 0;
        for (int k = -2; k <= 2; ++k) s += rows[0][(x + k) * cn + c] + rows[4][(x + k) * cn + c];
        for (int k = 1; k <= 3; ++k) s += rows[k][(x - 2) * cn + c] + rows[k][(x + 2) * cn + c];
        o[x * cn + c] = static_cast<uint8_t>((s + 8) / 16);
      }
  }
  return out;
}

}  // namespace

cv::Mat PilBlur(const cv::Mat& src, BlurType type, float radius) {
  CV_Assert(src.depth() == CV_8U);
  switch (type) {
    case BlurType::kMean: return RingBlur(src);
    case BlurType::kBox: return radius == 0 ? src.clone() : BoxBlur(src, radius, 1);
    case BlurType::kGaussian: return radius == 0 ? src.clone() : BoxBlur(src, GaussianBoxRadius(radius, 3), 3);
  }
  return src.clone();
}

}  // namespace juicer::image_ops
