// Farneback optical flow on one 1280x720 frame pair, Data-Juicer's parameters (0.5, 3, 15, 3, 5, 1.2, 0):
// OpenCV's cv::calcOpticalFlowFarneback against juicer's media::Farneback, per pair as the motion
// score uses it (the next frame expanded, the previous one's expansion reused, the mean magnitude read).
// The frames are a smooth random texture and the same texture shifted by (3.5, -2.25) pixels.
#include <benchmark/benchmark.h>

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include "media/farneback.h"

namespace {

std::pair<cv::Mat, cv::Mat> FramePair() {
  cv::RNG rng(42);
  cv::Mat noise(720, 1280, CV_32F), a, b;
  rng.fill(noise, cv::RNG::UNIFORM, 0, 255);
  cv::GaussianBlur(noise, noise, cv::Size(0, 0), 2.0);
  cv::normalize(noise, noise, 0, 255, cv::NORM_MINMAX);
  noise.convertTo(a, CV_8U);
  cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, 3.5, 0, 1, -2.25);
  cv::warpAffine(a, b, m, a.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  return {a, b};
}

void BM_FarnebackOpenCv(benchmark::State& state) {
  const auto [a, b] = FramePair();
  cv::Mat flow, xy[2], mag;
  for (auto _ : state) {
    cv::calcOpticalFlowFarneback(a, b, flow, 0.5, 3, 15, 3, 5, 1.2, 0);
    cv::split(flow, xy);
    cv::magnitude(xy[0], xy[1], mag);
    benchmark::DoNotOptimize(cv::mean(mag)[0]);
  }
}
BENCHMARK(BM_FarnebackOpenCv)->Unit(benchmark::kMillisecond);

void BM_FarnebackJuicer(benchmark::State& state) {
  const auto [a, b] = FramePair();
  juicer::media::FarnebackParams p;
  p.simd = state.range(0) != 0;
  const auto fb = *juicer::media::Farneback::Create(p);
  juicer::media::FarnebackFrame prev, next;
  juicer::media::FarnebackScratch scratch;
  fb.Prepare(a, &prev);
  for (auto _ : state) {
    fb.Prepare(b, &next);  // one expansion per pair: the other frame's is kept from the previous pair
    benchmark::DoNotOptimize(fb.MeanMagnitude(prev, next, &scratch));
  }
}
BENCHMARK(BM_FarnebackJuicer)->Arg(1)->Arg(0)->ArgName("simd")->Unit(benchmark::kMillisecond);

}  // namespace
