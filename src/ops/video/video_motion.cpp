#include "ops/video/video_motion.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "media/farneback.h"
#include "media/video_io.h"

namespace {
constexpr int64_t AV_NOPTS_VALUE_JUICER = INT64_MIN;  // libavutil's AV_NOPTS_VALUE
}

namespace juicer::video_ops {

Result<double> MotionScore(const std::string& path, const MotionParams& p) {
  auto probe = media::ProbeVideo(path);
  if (!probe.ok()) {
    if (probe.status().code() == StatusCode::kNotFound) return probe.status();
    return -1.0;  // unreadable: Data-Juicer's fallback
  }
  if (!(probe->fps > 0)) return -1.0;
  // Frame numbers from timestamps (as OpenCV numbers frames when it seeks): frame i is at
  // start + i / fps. Only frames 0, 1 and multiples of the step are used, so the others are not
  // decoded when no other frame references them.
  const double frames_per_tick = probe->fps * static_cast<double>(probe->tb_num) / static_cast<double>(probe->tb_den);
  const int64_t start_pts = probe->start_pts;
  auto index_of = [frames_per_tick, start_pts](int64_t pts) -> int64_t {
    return std::llround(static_cast<double>(pts - start_pts) * frames_per_tick);
  };
  int64_t want_step = 1;
  {
    const double sfps0 = std::min(p.sampling_fps, probe->fps);
    int64_t st = static_cast<int64_t>(std::nearbyint(probe->fps / sfps0));
    const int64_t total0 = probe->frames > 0 ? probe->frames : std::llround(probe->duration * probe->fps);
    want_step = std::max<int64_t>(std::min<int64_t>(st, total0 - 1), 1);
  }
  media::DecoderOptions opt{.threads = 1};
  if (want_step > 1 && p.skip_unneeded)
    opt.want = [index_of, want_step](int64_t pts) {
      const int64_t i = index_of(pts);
      return i <= 1 || i % want_step == 0;
    };
  auto opened = media::VideoDecoder::Open(path, opt);
  if (!opened.ok()) {
    if (opened.status().code() == StatusCode::kNotFound) return opened.status();
    return -1.0;  // unreadable: Data-Juicer's fallback
  }
  media::VideoDecoder& dec = **opened;
  const media::VideoInfo& info = dec.info();
  if (!(info.fps > 0)) return -1.0;
  const double sfps = std::min(p.sampling_fps, info.fps);
  int64_t step = static_cast<int64_t>(std::nearbyint(info.fps / sfps));  // Python round: ties to even
  const int64_t total = info.frames > 0 ? info.frames : std::llround(info.duration * info.fps);
  step = std::max<int64_t>(std::min<int64_t>(step, total - 1), 1);
  const auto [a, b] = media::ResizedDimensions(static_cast<int>(info.height), static_cast<int>(info.width), p.size,
                                               p.max_size, p.divisible);
  const bool resize = !(a == info.height && b == info.width);
  const cv::Size dsize(a, b);  // Data-Juicer hands (height, width) to cv2.resize, which reads (width, height)

  // Data-Juicer's cv2.calcOpticalFlowFarneback(prev, cur, None, 0.5, 3, 15, 3, 5, 1.2, 0), through
  // media::Farneback (the same computation; each frame's expansion is reused for both of its pairs).
  static const media::Farneback farneback = *media::Farneback::Create(media::FarnebackParams{});
  std::vector<double> scores;
  cv::Mat gray;
  media::FarnebackFrame prev, cur;
  media::FarnebackScratch scratch;
  bool have_prev = false;
  int64_t idx = -1, next = 0, count = 0;
  while (true) {
    auto more = dec.Next();
    if (!more.ok() || !*more) break;
    // the frame's number from its timestamp; by count when it has none
    idx = dec.pts() != AV_NOPTS_VALUE_JUICER ? std::max(idx + 1, index_of(dec.pts())) : idx + 1;
    if (idx < next) continue;
    auto bgr = dec.Bgr();
    if (!bgr.ok()) break;
    cv::Mat frame = std::move(*bgr);
    if (resize) {
      cv::Mat small;
      cv::resize(frame, small, dsize, 0, 0, cv::INTER_AREA);
      frame = small;
    }
    cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
    farneback.Prepare(gray, &cur);
    const media::FarnebackFrame* current = &cur;
    while (true) {  // with step 1 Data-Juicer reads frame 1 twice (its seek goes back to it)
      if (!have_prev) {
        std::swap(prev, cur);
        have_prev = true;
        next = idx + 1;
        break;
      }
      double score = farneback.MeanMagnitude(prev, *current, &scratch);
      if (p.relative) score /= std::hypot(static_cast<double>(frame.rows), static_cast<double>(frame.cols));
      scores.push_back(score);
      if (current == &cur) {
        std::swap(prev, cur);
        current = &prev;  // a second pass over this frame pairs it with itself
      }
      count += step;
      next = count;
      if (next != idx) break;
    }
  }
  if (scores.empty()) return -1.0;
  double sum = 0;
  for (double s : scores) sum += s;
  return sum / static_cast<double>(scores.size());
}

}  // namespace juicer::video_ops
