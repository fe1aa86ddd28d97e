// Dense optical flow by Gunnar Farneback's polynomial-expansion method, computed the way OpenCV 4.6's
// cv::calcOpticalFlowFarneback computes it on the CPU (flags 0: box-filtered matrices, no initial
// flow), step for step: the same Gaussian pre-blur and bilinear pyramid (through OpenCV itself), the
// same polynomial expansion, matrix update, border weights and regularised 2x2 solve. It differs in how
// the work is laid out, not in what is computed:
//  - planes instead of 5-channel interleaved matrices, so every per-pixel loop vectorises (AVX2/FMA
//    clones picked at run time, plain SSE2 otherwise);
//  - a frame's pyramid of expansions is computed once and reused for both pairs it belongs to (a video
//    sampled at k frames gives k-1 pairs but only k expansions instead of 2(k-1)).
// Results agree with OpenCV's to float rounding (the expansion's horizontal pass is summed in float
// where OpenCV uses double); farneback_test.cpp checks the flow field and its mean magnitude.
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

#include "core/status.h"

namespace juicer::media {

struct FarnebackParams {  // cv::calcOpticalFlowFarneback's parameters (flags = 0)
  double pyr_scale = 0.5;
  int levels = 3;
  int winsize = 15;
  int iterations = 3;
  int poly_n = 5;  // 5 or 7
  double poly_sigma = 1.2;
  bool simd = true;  // use the AVX2 kernel where the CPU has it (false: the portable loops only)
};

// One frame's polynomial expansions, coarsest level last: five CV_32F planes per level, in OpenCV's
// channel order (x and y linear terms, then the x^2, y^2 and xy quadratic terms).
struct FarnebackFrame {
  cv::Size size;
  std::vector<std::array<cv::Mat, 5>> levels;
  // The same values with a pixel's five channels side by side (and 8 spare floats at the end), where the
  // bilinear sampling of the next frame reads them; only built when AVX2 is available.
  std::vector<cv::Mat> packed;
  cv::Mat work[3];  // Prepare's temporaries, kept so a reused frame allocates nothing
  cv::Mat tiny;     // frames under 2x2 pixels: the grey frame itself, left to OpenCV
};

// Buffers one Flow call needs; reusing them across calls saves the allocations (and page faults).
struct FarnebackScratch {
  std::vector<cv::Mat> lfx, lfy;  // coarser levels' flow
  cv::Mat fx, fy, mag;
  std::vector<double> vbuf, hbuf;
  std::vector<float> ring, bx;
};

class Farneback {
 public:
  // InvalidArgument for parameters OpenCV would reject or that are not supported here (poly_n other
  // than 5 or 7, pyr_scale outside (0, 1), non-positive winsize or iterations).
  static Result<Farneback> Create(const FarnebackParams& p);

  // Expands a grey frame (CV_8UC1 or CV_32FC1) at every pyramid level.
  void Prepare(const cv::Mat& gray, FarnebackFrame* out) const;
  // The flow from `prev` to `next` (both prepared from frames of one size): two CV_32F planes.
  void Flow(const FarnebackFrame& prev, const FarnebackFrame& next, cv::Mat* fx, cv::Mat* fy,
            FarnebackScratch* scratch = nullptr) const;
  // Mean flow magnitude (cv::magnitude then cv::mean, as Data-Juicer's motion score reads it).
  double MeanMagnitude(const FarnebackFrame& prev, const FarnebackFrame& next,
                       FarnebackScratch* scratch = nullptr) const;

 private:
  explicit Farneback(const FarnebackParams& p);
  struct Level {
    double scale;
    double sigma;
    int smooth;
    cv::Size size;
  };
  std::vector<Level> Levels(cv::Size full) const;

  FarnebackParams p_;
  std::vector<float> g_, xg_, xxg_;  // 2n+1 taps each, centred
  double ig11_ = 0, ig03_ = 0, ig33_ = 0, ig55_ = 0;
};

}  // namespace juicer::media
