// The motion score of video_motion_score_filter (Data-Juicer's Farneback loop), reusable by benchmarks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace juicer::video_ops {

struct MotionParams {
  double sampling_fps = 2.0;
  std::vector<int64_t> size;  // empty: keep; one value: short edge; two: (h, w) edges
  std::optional<int64_t> max_size;
  int64_t divisible = 1;
  bool relative = false;
  // Leave frames nothing references undecoded when they are not sampled (same result, less decoding).
  bool skip_unneeded = true;
};

// Mean Farneback flow magnitude over the sampled frame pairs; -1 when the file cannot be opened or
// yields fewer than two frames. A missing file is a NotFound error.
Result<double> MotionScore(const std::string& path, const MotionParams& p);

}  // namespace juicer::video_ops
