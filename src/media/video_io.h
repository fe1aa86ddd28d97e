// Videos for the video ops, through FFmpeg's libraries (libavformat / libavcodec / libswscale): metadata
// probed from the container without decoding, a frame decoder with seeking, Data-Juicer's frame
// sampling strategies, and a per-worker cache so several video ops of one recipe probe and sample a
// file once. A missing file is NotFound; an empty, truncated or corrupt file, or one without a video
// stream, is a DataError naming the file and what is wrong with it. Nothing here aborts on bad input.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <opencv2/core.hpp>

#include "core/op.h"
#include "core/sample.h"
#include "core/status.h"

struct AVFrame;

namespace juicer::media {

struct VideoInfo {
  // Seconds: the first video stream's duration (PyAV's stream.duration * stream.time_base, what
  // Data-Juicer reads) or, when the stream has none (e.g. Matroska), the container's.
  double duration = 0;
  int64_t duration_ts = 0;       // the same in time_base units
  int64_t tb_num = 0, tb_den = 1;  // the video stream's time base
  int64_t width = 0, height = 0;   // codec width / height (PyAV's codec_context.width/height)
  double fps = 0;                  // average frame rate (OpenCV's CAP_PROP_FPS), else the base rate
  int64_t frames = 0;              // frame count from the container (0 = not stored)
  int64_t start_pts = 0;           // the video stream's start time (time-base units; 0 when unknown)
  std::string codec;               // e.g. "h264"
  bool has_audio = false;
  int video_stream = -1;           // index in the container
};

// Opens the container and reads its headers (no frame is decoded).
Result<VideoInfo> ProbeVideo(const std::string& path);

struct DecoderOptions {
  bool keyframes_only = false;  // libavcodec skip_frame = NONKEY (PyAV "NONKEY"): key frames only
  int threads = 1;              // decoder threads (0 = libavcodec's choice)
  // With one thread: called with each video packet's pts (time-base units); when it returns false the
  // packet is decoded with skip_frame = NONREF, i.e. a frame no other frame references is dropped
  // undecoded (the caller does not want it). Frames other frames need are always decoded.
  std::function<bool(int64_t pts)> want;
};

// Decoder threads per video: env JUICER_VIDEO_THREADS, default 1 (workers already run in parallel).
int DefaultDecodeThreads();

// Decodes the first video stream frame by frame in presentation order. Read errors after the
// headers end the stream (as OpenCV's reader does): a truncated file yields the frames before the cut.
class VideoDecoder {
 public:
  static Result<std::unique_ptr<VideoDecoder>> Open(const std::string& path, const DecoderOptions& opt = {});
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  const VideoInfo& info() const { return info_; }
  // Decodes the next frame; false at the end of the stream.
  Result<bool> Next();
  // The current frame's presentation timestamp (time_base units) and seconds.
  int64_t pts() const;
  double seconds() const;
  bool key_frame() const;
  // The current frame converted to 8-bit BGR, at its own size or scaled (bicubic) to width x height.
  Result<cv::Mat> Bgr(int width = 0, int height = 0);
  // Repositions at the key frame at or before `seconds`; the next frame decoded is from there.
  Status Seek(double seconds);

 private:
  VideoDecoder() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  VideoInfo info_;
  std::string path_;
  std::function<bool(int64_t)> want_;
};

// Data-Juicer's frame_sampling_method: "all_keyframes" (every key frame; the first frame when there
// is none) or "uniform" (frame_num frames at evenly spaced times: the middle one for 1, first and
// last for 2; each is the first frame at or after its time, the last frame for times past the end).
struct FrameSampling {
  std::string method = "all_keyframes";
  int64_t frame_num = 3;
  std::string Key() const { return method + ":" + std::to_string(frame_num); }
};
Status ValidateFrameSampling(const FrameSampling& s);

struct SampledFrames {
  std::vector<cv::Mat> bgr;     // in time order
  std::vector<double> seconds;  // the frames' times
};
Result<SampledFrames> SampleVideoFrames(const std::string& path, const FrameSampling& s);

// Calls `fn` with the bytes of every packet of every video stream, in demuxing order (Data-Juicer's
// video_deduplicator MD5s exactly these).
Status ForEachVideoPacket(const std::string& path, const std::function<void(const uint8_t*, size_t)>& fn);

// Probed metadata and sampled frames of one worker, keyed by resolved path (plus file size and mtime),
// least recently used dropped beyond `budget` bytes of frames (default 256 MiB, env
// JUICER_VIDEO_CACHE_MB). Errors are cached too, so a bad file is opened once per worker.
class VideoCache final : public OpWorkerState {
 public:
  VideoCache();
  Result<VideoInfo> Info(const std::string& path);
  Result<std::shared_ptr<const SampledFrames>> Frames(const std::string& path, const FrameSampling& s);
  size_t probes() const { return probes_; }
  size_t samplings() const { return samplings_; }

 private:
  struct Entry {
    std::string key;
    bool probed = false;
    Status probe_status;
    VideoInfo info;
    std::unordered_map<std::string, std::shared_ptr<const SampledFrames>> frames;
    std::unordered_map<std::string, Status> frame_errors;
    size_t bytes = 0;
  };
  Result<Entry*> Lookup(const std::string& path);
  void Evict();
  std::list<Entry> lru_;  // front = most recent
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t used_ = 0, budget_ = 0, probes_ = 0, samplings_ = 0;
};

VideoCache& WorkerVideoCache(WorkerContext& ctx);

// One video of a sample as an op sees it: the path as written, the resolved file, cached metadata and
// frames. Errors name the sample, the field and the file.
class SampleVideo {
 public:
  SampleVideo(const Sample& sample, std::string_view field, std::string path, WorkerContext& ctx)
      : sample_(sample), field_(field), path_(std::move(path)), ctx_(ctx) {}
  Result<std::string> Resolved();
  Result<VideoInfo> Info();
  Result<std::shared_ptr<const SampledFrames>> Frames(const FrameSampling& s);
  const std::string& path() const { return path_; }
  Status Wrap(const Status& st) const;

 private:
  const Sample& sample_;
  std::string_view field_;
  std::string path_;
  WorkerContext& ctx_;
  std::string resolved_;
};

// Data-Juicer's calculate_resized_dimensions: (height, width) after matching the short edge to size[0]
// (one value) or the edges to (min, max) of two values, capping the long edge at max_size, and
// rounding each edge down to a multiple of `divisible`.
std::pair<int, int> ResizedDimensions(int height, int width, const std::vector<int64_t>& size,
                                      std::optional<int64_t> max_size, int64_t divisible);

}  // namespace juicer::media
