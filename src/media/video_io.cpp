#include "media/video_io.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
}

#include "core/media.h"

namespace juicer::media {

namespace {

void QuietLibav() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });  // bad files are reported as Status
}

std::string AvError(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

struct FormatCloser {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;

// Opens `path` and reads the stream headers. A missing file is NotFound, anything else a DataError.
Result<FormatPtr> OpenInput(const std::string& path) {
  QuietLibav();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Status::NotFound("cannot open video file '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Status::DataError("video '" + path + "' is not a regular file");
  if (st.st_size == 0) return Status::DataError("video file '" + path + "' is empty (0 bytes)");
  AVFormatContext* raw = nullptr;
  int r = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (r < 0) return Status::DataError("cannot read video file '" + path + "': " + AvError(r));
  FormatPtr fmt(raw);
  r = avformat_find_stream_info(fmt.get(), nullptr);
  if (r < 0) return Status::DataError("cannot read the streams of video file '" + path + "': " + AvError(r));
  return fmt;
}

int FirstVideoStream(const AVFormatContext* fmt) {
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVStream* s = fmt->streams[i];
    if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !(s->disposition & AV_DISPOSITION_ATTACHED_PIC))
      return static_cast<int>(i);
  }
  return -1;
}

Result<VideoInfo> InfoOf(const AVFormatContext* fmt, const std::string& path) {
  VideoInfo info;
  info.video_stream = FirstVideoStream(fmt);
  if (info.video_stream < 0) return Status::DataError("video file '" + path + "' has no video stream");
  for (unsigned i = 0; i < fmt->nb_streams; ++i)
    if (fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) info.has_audio = true;
  const AVStream* s = fmt->streams[info.video_stream];
  info.tb_num = s->time_base.num;
  info.tb_den = s->time_base.den;
  info.width = s->codecpar->width;
  info.height = s->codecpar->height;
  if (info.width <= 0 || info.height <= 0)
    return Status::DataError("video file '" + path + "': the video stream has no frame size");
  if (s->avg_frame_rate.num > 0 && s->avg_frame_rate.den > 0) info.fps = av_q2d(s->avg_frame_rate);
  else if (s->r_frame_rate.num > 0 && s->r_frame_rate.den > 0) info.fps = av_q2d(s->r_frame_rate);
  info.frames = s->nb_frames > 0 ? s->nb_frames : 0;
  info.start_pts = s->start_time != AV_NOPTS_VALUE ? s->start_time : 0;
  info.codec = avcodec_get_name(s->codecpar->codec_id);
  if (s->duration != AV_NOPTS_VALUE && s->duration > 0) {
    info.duration_ts = s->duration;
  } else if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
    info.duration_ts = av_rescale_q(fmt->duration, AVRational{1, AV_TIME_BASE}, s->time_base);
  }
  info.duration = static_cast<double>(info.duration_ts) * info.tb_num / static_cast<double>(info.tb_den);
  return info;
}

}  // namespace

Result<VideoInfo> ProbeVideo(const std::string& path) {
  JUICER_ASSIGN_OR_RETURN(FormatPtr fmt, OpenInput(path));
  return InfoOf(fmt.get(), path);
}

struct VideoDecoder::Impl {
  FormatPtr fmt;
  AVCodecContext* cc = nullptr;
  AVPacket* pkt = nullptr;
  AVFrame* frame = nullptr;
  SwsContext* sws = nullptr;
  bool draining = false, ended = false, have_frame = false;
  ~Impl() {
    sws_freeContext(sws);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&cc);
  }
};

VideoDecoder::~VideoDecoder() = default;

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::Open(const std::string& path, const DecoderOptions& opt) {
  std::unique_ptr<VideoDecoder> d(new VideoDecoder());
  d->path_ = path;
  d->impl_ = std::make_unique<Impl>();
  Impl& m = *d->impl_;
  JUICER_ASSIGN_OR_RETURN(m.fmt, OpenInput(path));
  JUICER_ASSIGN_OR_RETURN(d->info_, InfoOf(m.fmt.get(), path));
  const AVStream* s = m.fmt->streams[d->info_.video_stream];
  for (unsigned i = 0; i < m.fmt->nb_streams; ++i)
    if (static_cast<int>(i) != d->info_.video_stream) m.fmt->streams[i]->discard = AVDISCARD_ALL;
  const AVCodec* codec = avcodec_find_decoder(s->codecpar->codec_id);
  if (codec == nullptr)
    return Status::DataError("video file '" + path + "': no decoder for codec '" + d->info_.codec + "'");
  m.cc = avcodec_alloc_context3(codec);
  m.pkt = av_packet_alloc();
  m.frame = av_frame_alloc();
  if (m.cc == nullptr || m.pkt == nullptr || m.frame == nullptr) return Status::Internal("libav: out of memory");
  int r = avcodec_parameters_to_context(m.cc, s->codecpar);
  if (r < 0) return Status::DataError("video file '" + path + "': bad codec parameters: " + AvError(r));
  m.cc->pkt_timebase = s->time_base;
  m.cc->thread_count = opt.want ? 1 : opt.threads;  // skip_frame must apply packet by packet
  d->want_ = opt.want;
  if (opt.keyframes_only) m.cc->skip_frame = AVDISCARD_NONKEY;
  r = avcodec_open2(m.cc, codec, nullptr);
  if (r < 0) return Status::DataError("video file '" + path + "': cannot open the decoder: " + AvError(r));
  return d;
}

Result<bool> VideoDecoder::Next() {
  Impl& m = *impl_;
  m.have_frame = false;
  if (m.ended) return false;
  while (true) {
    int r = avcodec_receive_frame(m.cc, m.frame);
    if (r == 0) {
      m.have_frame = true;
      return true;
    }
    if (r == AVERROR_EOF) {
      m.ended = true;
      return false;
    }
    if (r != AVERROR(EAGAIN)) {
      // A decoding error is the end of what can be read (OpenCV's reader stops there too).
      m.ended = true;
      return false;
    }
    if (m.draining) {
      m.ended = true;
      return false;
    }
    r = av_read_frame(m.fmt.get(), m.pkt);
    if (r < 0) {  // end of file, or a truncated / unreadable rest: drain what was sent
      m.draining = true;
      avcodec_send_packet(m.cc, nullptr);
      continue;
    }
    if (m.pkt->stream_index == info_.video_stream) {
      if (want_ && m.pkt->pts != AV_NOPTS_VALUE)
        m.cc->skip_frame = want_(m.pkt->pts) ? AVDISCARD_DEFAULT : AVDISCARD_NONREF;
      r = avcodec_send_packet(m.cc, m.pkt);
      (void)r;  // a corrupt packet is skipped; the decoder conceals what it can
    }
    av_packet_unref(m.pkt);
  }
}

int64_t VideoDecoder::pts() const {
  const AVFrame* f = impl_->frame;
  return f->pts != AV_NOPTS_VALUE ? f->pts : f->best_effort_timestamp;
}

double VideoDecoder::seconds() const {
  return static_cast<double>(pts()) * info_.tb_num / static_cast<double>(info_.tb_den);
}

bool VideoDecoder::key_frame() const { return impl_->frame->key_frame != 0; }

Result<cv::Mat> VideoDecoder::Bgr(int width, int height) {
  Impl& m = *impl_;
  if (!m.have_frame) return Status::Internal("VideoDecoder::Bgr without a decoded frame");
  const AVFrame* f = m.frame;
  if (f->width <= 0 || f->height <= 0 || f->format < 0)
    return Status::DataError("video file '" + path_ + "': a decoded frame has no size");
  if (width <= 0 || height <= 0) {
    width = f->width;
    height = f->height;
  }
  m.sws = sws_getCachedContext(m.sws, f->width, f->height, static_cast<AVPixelFormat>(f->format), width, height,
                               AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr, nullptr);
  if (m.sws == nullptr) return Status::DataError("video file '" + path_ + "': cannot convert its pixel format");
  // libswscale's SIMD writers may store past the end of a row (and of the last one): the rows are padded
  // to a multiple of 64 pixels and one spare row is allocated; the frame is the ROI of that buffer.
  const int padded_cols = (width + 63) / 64 * 64;
  cv::Mat buf(height + 1, padded_cols, CV_8UC3);
  uint8_t* dst[4] = {buf.data, nullptr, nullptr, nullptr};
  int dst_stride[4] = {static_cast<int>(buf.step[0]), 0, 0, 0};
  sws_scale(m.sws, f->data, f->linesize, 0, f->height, dst, dst_stride);
  return buf(cv::Rect(0, 0, width, height));
}

Status VideoDecoder::Seek(double seconds) {
  Impl& m = *impl_;
  const int64_t ts = static_cast<int64_t>(std::floor(seconds * static_cast<double>(info_.tb_den) / info_.tb_num));
  int r = av_seek_frame(m.fmt.get(), info_.video_stream, std::max<int64_t>(ts, 0), AVSEEK_FLAG_BACKWARD);
  if (r < 0) r = av_seek_frame(m.fmt.get(), info_.video_stream, 0, AVSEEK_FLAG_BACKWARD);
  if (r < 0) return Status::DataError("video file '" + path_ + "': cannot seek: " + AvError(r));
  avcodec_flush_buffers(m.cc);
  m.draining = m.ended = m.have_frame = false;
  return Status::OK();
}

int DefaultDecodeThreads() {
  static const int n = [] {
    const char* env = std::getenv("JUICER_VIDEO_THREADS");
    return env != nullptr ? std::max(0, std::atoi(env)) : 1;
  }();
  return n;
}

Status ValidateFrameSampling(const FrameSampling& s) {
  if (s.method != "all_keyframes" && s.method != "uniform")
    return Status::InvalidArgument("frame_sampling_method: '" + s.method +
                                   "' is not supported; use 'all_keyframes' or 'uniform'");
  if (s.method == "uniform" && s.frame_num <= 0)
    return Status::InvalidArgument("frame_num must be a positive integer");
  return Status::OK();
}

namespace {

Result<SampledFrames> KeyFrames(const std::string& path) {
  SampledFrames out;
  {
    JUICER_ASSIGN_OR_RETURN(auto dec, VideoDecoder::Open(path, DecoderOptions{.keyframes_only = true, .threads = DefaultDecodeThreads()}));
    while (true) {
      JUICER_ASSIGN_OR_RETURN(bool more, dec->Next());
      if (!more) break;
      JUICER_ASSIGN_OR_RETURN(cv::Mat bgr, dec->Bgr());
      out.bgr.push_back(std::move(bgr));
      out.seconds.push_back(dec->seconds());
    }
  }
  if (out.bgr.empty()) {  // no key frame: the first frame (Data-Juicer)
    JUICER_ASSIGN_OR_RETURN(auto dec, VideoDecoder::Open(path));
    JUICER_ASSIGN_OR_RETURN(bool any, dec->Next());
    if (!any) return Status::DataError("video file '" + path + "' has no decodable frame");
    JUICER_ASSIGN_OR_RETURN(cv::Mat bgr, dec->Bgr());
    out.bgr.push_back(std::move(bgr));
    out.seconds.push_back(dec->seconds());
  }
  // Sorted by time (Data-Juicer sorts key-frame seconds; decode order already is presentation order).
  return out;
}

Result<SampledFrames> UniformFrames(const std::string& path, int64_t frame_num) {
  JUICER_ASSIGN_OR_RETURN(auto dec, VideoDecoder::Open(path, DecoderOptions{.threads = DefaultDecodeThreads()}));
  const VideoInfo& info = dec->info();
  int64_t n = frame_num;
  if (info.frames > 0 && info.frames < n) n = info.frames;
  // Target i is at duration * i / (n - 1) (the middle for n = 1), compared exactly in time-base units:
  // a frame matches when pts * (n - 1) >= duration_ts * i.
  const int64_t den = n == 1 ? 2 : n - 1;
  SampledFrames out;
  bool have_last = false;
  cv::Mat last;
  double last_s = 0;
  int64_t i = n == 1 ? 1 : 0;
  const int64_t end = n == 1 ? 2 : n;
  constexpr double kSeekAhead = 2.0;  // seconds: a closer target is reached by decoding on
  bool at_end = false;
  for (; i < end && !at_end; ++i) {
    const __int128 target = static_cast<__int128>(info.duration_ts) * i;
    const double target_s = info.duration * static_cast<double>(i) / static_cast<double>(den);
    const double cur_s = have_last ? last_s : 0.0;
    if (target_s - cur_s > kSeekAhead) JUICER_RETURN_IF_ERROR(dec->Seek(target_s));
    while (true) {
      JUICER_ASSIGN_OR_RETURN(bool more, dec->Next());
      if (!more) {
        at_end = true;
        break;
      }
      if (static_cast<__int128>(dec->pts()) * den >= target) {
        JUICER_ASSIGN_OR_RETURN(cv::Mat bgr, dec->Bgr());
        last = bgr;
        last_s = dec->seconds();
        have_last = true;
        out.bgr.push_back(std::move(bgr));
        out.seconds.push_back(last_s);
        break;
      }
      // keep the latest frame: it is the answer for targets past the end
      JUICER_ASSIGN_OR_RETURN(last, dec->Bgr());
      last_s = dec->seconds();
      have_last = true;
    }
  }
  // Targets past the last frame get the last frame, once (Data-Juicer's "add the last frame").
  if (at_end && have_last) {  // even when it was the previous target's frame, as Data-Juicer
    out.bgr.push_back(last);
    out.seconds.push_back(last_s);
  }
  if (out.bgr.empty()) return Status::DataError("video file '" + path + "' has no decodable frame");
  return out;
}

}  // namespace

Result<SampledFrames> SampleVideoFrames(const std::string& path, const FrameSampling& s) {
  JUICER_RETURN_IF_ERROR(ValidateFrameSampling(s));
  if (s.method == "all_keyframes") return KeyFrames(path);
  return UniformFrames(path, s.frame_num);
}

Status ForEachVideoPacket(const std::string& path, const std::function<void(const uint8_t*, size_t)>& fn) {
  JUICER_ASSIGN_OR_RETURN(FormatPtr fmt, OpenInput(path));
  if (FirstVideoStream(fmt.get()) < 0) return Status::DataError("video file '" + path + "' has no video stream");
  AVPacket* pkt = av_packet_alloc();
  if (pkt == nullptr) return Status::Internal("libav: out of memory");
  while (true) {
    const int r = av_read_frame(fmt.get(), pkt);
    if (r == AVERROR_EOF) break;
    if (r < 0) {
      av_packet_free(&pkt);
      return Status::DataError("video file '" + path + "': cannot read its packets: " + AvError(r));
    }
    if (fmt->streams[pkt->stream_index]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && pkt->size > 0)
      fn(pkt->data, static_cast<size_t>(pkt->size));
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  return Status::OK();
}

// ---- per-worker cache ----

VideoCache::VideoCache() {
  size_t mb = 256;
  if (const char* env = std::getenv("JUICER_VIDEO_CACHE_MB")) mb = std::strtoull(env, nullptr, 10);
  budget_ = mb << 20;
}

Result<VideoCache::Entry*> VideoCache::Lookup(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Status::NotFound("cannot open video file '" + path + "': " + std::strerror(errno));
  std::string key = path;
  key += '\0';
  key += std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
  if (auto it = index_.find(key); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return &*it->second;
  }
  lru_.push_front(Entry{});
  lru_.front().key = key;
  index_[std::move(key)] = lru_.begin();
  return &lru_.front();
}

void VideoCache::Evict() {
  // Drop the frames of the least recently used entries (keeping the most recent one whole).
  for (auto it = std::prev(lru_.end()); used_ > budget_ && it != lru_.begin(); --it) {
    used_ -= it->bytes;
    it->bytes = 0;
    it->frames.clear();
  }
  while (lru_.size() > 4096) {  // metadata entries are small, but not unbounded
    used_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

Result<VideoInfo> VideoCache::Info(const std::string& path) {
  JUICER_ASSIGN_OR_RETURN(Entry * e, Lookup(path));
  if (!e->probed) {
    ++probes_;
    auto r = ProbeVideo(path);
    e->probed = true;
    if (r.ok()) e->info = *r;
    else e->probe_status = r.status();
  }
  if (!e->probe_status.ok()) return e->probe_status;
  return e->info;
}

Result<std::shared_ptr<const SampledFrames>> VideoCache::Frames(const std::string& path, const FrameSampling& s) {
  JUICER_ASSIGN_OR_RETURN(Entry * e, Lookup(path));
  const std::string k = s.Key();
  if (auto it = e->frames.find(k); it != e->frames.end()) return it->second;
  if (auto it = e->frame_errors.find(k); it != e->frame_errors.end()) return it->second;
  ++samplings_;
  auto r = SampleVideoFrames(path, s);
  if (!r.ok()) {
    e->frame_errors.emplace(k, r.status());
    return r.status();
  }
  auto frames = std::make_shared<const SampledFrames>(std::move(*r));
  size_t bytes = 0;
  for (const cv::Mat& m : frames->bgr) bytes += m.total() * m.elemSize();
  e->frames.emplace(k, frames);
  e->bytes += bytes;
  used_ += bytes;
  Evict();
  return frames;
}

VideoCache& WorkerVideoCache(WorkerContext& ctx) {
  static const char tag = 0;  // keyed by a private tag: every video op of the worker shares the cache
  return ctx.StateFor<VideoCache>(reinterpret_cast<const Op*>(&tag));
}

Status SampleVideo::Wrap(const Status& st) const {
  return st.WithContext(sample_.origin.ToString() + ": field '" + std::string(field_) + "': ");
}

Result<std::string> SampleVideo::Resolved() {
  if (!resolved_.empty()) return resolved_;
  JUICER_ASSIGN_OR_RETURN(resolved_, ResolveMediaPath(sample_.origin, field_, path_));
  return resolved_;
}

Result<VideoInfo> SampleVideo::Info() {
  JUICER_ASSIGN_OR_RETURN(std::string p, Resolved());
  auto r = WorkerVideoCache(ctx_).Info(p);
  if (!r.ok()) return Wrap(r.status());
  return r;
}

Result<std::shared_ptr<const SampledFrames>> SampleVideo::Frames(const FrameSampling& s) {
  JUICER_ASSIGN_OR_RETURN(std::string p, Resolved());
  auto r = WorkerVideoCache(ctx_).Frames(p, s);
  if (!r.ok()) return Wrap(r.status());
  return r;
}

std::pair<int, int> ResizedDimensions(int height, int width, const std::vector<int64_t>& size,
                                      std::optional<int64_t> max_size, int64_t divisible) {
  const int64_t short_edge = std::min(width, height), long_edge = std::max(width, height);
  int64_t new_short = short_edge, new_long = long_edge;
  if (size.size() == 1) {
    new_short = size[0];
    new_long = static_cast<int64_t>(static_cast<double>(new_short) * long_edge / static_cast<double>(short_edge));
  } else if (size.size() >= 2) {
    new_short = std::min(size[0], size[1]);
    new_long = std::max(size[0], size[1]);
  }
  if (max_size && new_long > *max_size) {
    const double f = static_cast<double>(*max_size) / static_cast<double>(new_long);
    new_short = static_cast<int64_t>(static_cast<double>(new_short) * f);
    new_long = *max_size;
  }
  int64_t a = width >= height ? new_short : new_long;
  int64_t b = width >= height ? new_long : new_short;
  if (divisible < 1) divisible = 1;
  a = a / divisible * divisible;
  b = b / divisible * divisible;
  return {static_cast<int>(a), static_cast<int>(b)};
}

}  // namespace juicer::media
