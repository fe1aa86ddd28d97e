#include "media/farneback.h"

#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

namespace juicer::media {
namespace {

// A smooth random texture (blurred noise), deterministic.
cv::Mat Texture(cv::Size size, uint64_t seed) {
  cv::RNG rng(seed);
  cv::Mat noise(size, CV_32F);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 255);
  cv::GaussianBlur(noise, noise, cv::Size(0, 0), 2.0);
  cv::normalize(noise, noise, 0, 255, cv::NORM_MINMAX);
  cv::Mat out;
  noise.convertTo(out, CV_8U);
  return out;
}

cv::Mat Shifted(const cv::Mat& img, double dx, double dy) {
  cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, dy), out;
  cv::warpAffine(img, out, m, img.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  return out;
}

struct Compared {
  double mean_ours, mean_cv, max_diff;
};

Compared CompareWithOpenCv(const cv::Mat& a, const cv::Mat& b, bool simd) {
  FarnebackParams p;
  p.simd = simd;
  auto fb = Farneback::Create(p);
  EXPECT_TRUE(fb.ok());
  FarnebackFrame fa, fbr;
  fb->Prepare(a, &fa);
  fb->Prepare(b, &fbr);
  cv::Mat fx, fy, flow, xy[2], mag, d;
  fb->Flow(fa, fbr, &fx, &fy);
  cv::calcOpticalFlowFarneback(a, b, flow, 0.5, 3, 15, 3, 5, 1.2, 0);
  cv::split(flow, xy);
  cv::magnitude(xy[0], xy[1], mag);
  Compared c{fb->MeanMagnitude(fa, fbr), cv::mean(mag)[0], 0};
  double m1 = 0, m2 = 0;
  cv::absdiff(fx, xy[0], d);
  cv::minMaxLoc(d, nullptr, &m1);
  cv::absdiff(fy, xy[1], d);
  cv::minMaxLoc(d, nullptr, &m2);
  c.max_diff = std::max(m1, m2);
  return c;
}

TEST(Farneback, MatchesOpenCvOnAKnownShift) {
  const cv::Mat a = Texture(cv::Size(320, 180), 7);
  const cv::Mat b = Shifted(a, 2.5, -1.25);
  for (bool simd : {true, false}) {
    SCOPED_TRACE(simd ? "simd" : "portable");
    const Compared c = CompareWithOpenCv(a, b, simd);
    EXPECT_NEAR(c.mean_ours, c.mean_cv, 1e-4 * c.mean_cv);
    EXPECT_LT(c.max_diff, 1e-2);
    EXPECT_NEAR(c.mean_cv, std::hypot(2.5, 1.25), 0.3);  // and the flow is the shift
  }
}

TEST(Farneback, MatchesOpenCvOnOddSizesAndFewLevels) {
  // 37 x 29 has no pyramid level (under 64 px), 101 x 67 one; neither width is a multiple of 8.
  for (cv::Size size : {cv::Size(37, 29), cv::Size(101, 67), cv::Size(203, 45)}) {
    SCOPED_TRACE(size.width);
    const cv::Mat a = Texture(size, 11);
    const cv::Mat b = Shifted(a, -0.75, 0.5);
    const Compared c = CompareWithOpenCv(a, b, true);
    EXPECT_NEAR(c.mean_ours, c.mean_cv, 1e-4 * c.mean_cv + 1e-6);
    EXPECT_LT(c.max_diff, 1e-2);
  }
}

TEST(Farneback, PortableAndSimdAgree) {
  const cv::Mat a = Texture(cv::Size(160, 96), 3);
  const cv::Mat b = Shifted(a, 4.0, 3.0);  // large enough that some samples leave the frame
  const Compared simd = CompareWithOpenCv(a, b, true);
  const Compared portable = CompareWithOpenCv(a, b, false);
  EXPECT_NEAR(simd.mean_ours, portable.mean_ours, 1e-4 * portable.mean_ours);
}

TEST(Farneback, StaticFramesHaveNoMotion) {
  auto fb = Farneback::Create({});
  ASSERT_TRUE(fb.ok());
  // A textured frame against itself: no motion except the last row and column, where the bilinear
  // sample falls outside and OpenCV (so this too) leaves a small spurious flow.
  const cv::Mat a = Texture(cv::Size(128, 72), 5);
  const Compared c = CompareWithOpenCv(a, a, true);
  EXPECT_LT(c.mean_ours, 0.01);
  EXPECT_NEAR(c.mean_ours, c.mean_cv, 1e-4 * c.mean_cv);
  FarnebackFrame f;
  const cv::Mat flat(72, 128, CV_8U, cv::Scalar(90));
  fb->Prepare(flat, &f);
  EXPECT_EQ(fb->MeanMagnitude(f, f), 0.0);
}

TEST(Farneback, TinyFramesFallBackToOpenCv) {
  auto fb = Farneback::Create({});
  ASSERT_TRUE(fb.ok());
  const cv::Mat a = (cv::Mat_<uint8_t>(1, 5) << 0, 50, 100, 150, 200), b = (cv::Mat_<uint8_t>(1, 5) << 50, 100, 150,
                                                                             200, 250);
  FarnebackFrame fa, fbr;
  fb->Prepare(a, &fa);
  fb->Prepare(b, &fbr);
  cv::Mat flow, xy[2], mag;
  cv::calcOpticalFlowFarneback(a, b, flow, 0.5, 3, 15, 3, 5, 1.2, 0);
  cv::split(flow, xy);
  cv::magnitude(xy[0], xy[1], mag);
  EXPECT_DOUBLE_EQ(fb->MeanMagnitude(fa, fbr), cv::mean(mag)[0]);
}

TEST(Farneback, RejectsUnsupportedParameters) {
  FarnebackParams p;
  p.poly_n = 6;
  EXPECT_EQ(Farneback::Create(p).status().code(), StatusCode::kInvalidArgument);
  p = {};
  p.pyr_scale = 1.0;
  EXPECT_EQ(Farneback::Create(p).status().code(), StatusCode::kInvalidArgument);
  p = {};
  p.iterations = 0;
  EXPECT_EQ(Farneback::Create(p).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace juicer::media
