#include "media/video_transcode.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include "media/video_io.h"

namespace juicer::media {

namespace {

std::string AvErr(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

// Everything one transcode holds, freed in one place.
struct Job {
  AVFormatContext* in = nullptr;
  AVFormatContext* out = nullptr;
  AVCodecContext* dec = nullptr;
  AVCodecContext* enc = nullptr;
  SwsContext* sws = nullptr;
  AVPacket* pkt = nullptr;
  AVPacket* opkt = nullptr;
  AVFrame* frame = nullptr;
  AVFrame* conv = nullptr;
  bool header_written = false, io_open = false;
  int vs = -1, as = -1, ovs = -1, oas = -1;
  int64_t frames = 0;
  ~Job() {
    if (out != nullptr) {
      if (io_open) avio_closep(&out->pb);
      avformat_free_context(out);
    }
    avformat_close_input(&in);
    avcodec_free_context(&dec);
    avcodec_free_context(&enc);
    sws_freeContext(sws);
    av_packet_free(&pkt);
    av_packet_free(&opkt);
    av_frame_free(&frame);
    av_frame_free(&conv);
  }
};

Status Encode(Job& j, AVFrame* f) {
  int r = avcodec_send_frame(j.enc, f);
  if (r < 0 && r != AVERROR_EOF) return Status::DataError("encoding failed: " + AvErr(r));
  while (true) {
    r = avcodec_receive_packet(j.enc, j.opkt);
    if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return Status::OK();
    if (r < 0) return Status::DataError("encoding failed: " + AvErr(r));
    j.opkt->stream_index = j.ovs;
    av_packet_rescale_ts(j.opkt, j.enc->time_base, j.out->streams[j.ovs]->time_base);
    r = av_interleaved_write_frame(j.out, j.opkt);
    if (r < 0) return Status::IOError("writing a video packet failed: " + AvErr(r));
  }
}

// One decoded frame: kept when its pts is in [start_pts, end_pts]; `done` once an I/P frame is past
// the end (Data-Juicer stops there; B frames past it are skipped).
Status HandleFrame(Job& j, int64_t start_pts, double end_pts, bool* done) {
  AVFrame* f = j.frame;
  const int64_t pts = f->pts != AV_NOPTS_VALUE ? f->pts : f->best_effort_timestamp;
  if (pts < start_pts) return Status::OK();
  if (static_cast<double>(pts) > end_pts) {
    if (f->pict_type == AV_PICTURE_TYPE_I || f->pict_type == AV_PICTURE_TYPE_P) *done = true;
    return Status::OK();
  }
  AVFrame* src = f;
  if (f->width != j.enc->width || f->height != j.enc->height || f->format != j.enc->pix_fmt) {
    j.sws = sws_getCachedContext(j.sws, f->width, f->height, static_cast<AVPixelFormat>(f->format), j.enc->width,
                                 j.enc->height, j.enc->pix_fmt, SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (j.sws == nullptr) return Status::DataError("cannot convert the frames' pixel format");
    int r = av_frame_make_writable(j.conv);
    if (r < 0) return Status::Internal("libav: " + AvErr(r));
    sws_scale(j.sws, f->data, f->linesize, 0, f->height, j.conv->data, j.conv->linesize);
    src = j.conv;
  }
  src->pts = pts - start_pts;
  src->pict_type = AV_PICTURE_TYPE_NONE;
  ++j.frames;
  return Encode(j, src);
}

}  // namespace

Result<TranscodeResult> TranscodeVideo(const std::string& src, const std::string& dst, const TranscodeSpec& spec) {
  namespace fs = std::filesystem;
  JUICER_ASSIGN_OR_RETURN(VideoInfo info, ProbeVideo(src));  // clear errors for missing / bad inputs
  Job j;
  int r = avformat_open_input(&j.in, src.c_str(), nullptr, nullptr);
  if (r < 0) return Status::DataError("cannot read video file '" + src + "': " + AvErr(r));
  r = avformat_find_stream_info(j.in, nullptr);
  if (r < 0) return Status::DataError("cannot read the streams of '" + src + "': " + AvErr(r));
  j.vs = info.video_stream;
  for (unsigned i = 0; i < j.in->nb_streams; ++i) {
    if (j.in->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO && j.as < 0) j.as = static_cast<int>(i);
    else if (static_cast<int>(i) != j.vs) j.in->streams[i]->discard = AVDISCARD_ALL;
  }
  AVStream* ivs = j.in->streams[j.vs];

  // decoder
  const AVCodec* dcodec = avcodec_find_decoder(ivs->codecpar->codec_id);
  if (dcodec == nullptr) return Status::DataError("'" + src + "': no decoder for " + info.codec);
  j.dec = avcodec_alloc_context3(dcodec);
  avcodec_parameters_to_context(j.dec, ivs->codecpar);
  j.dec->pkt_timebase = ivs->time_base;
  j.dec->thread_count = DefaultDecodeThreads();
  if ((r = avcodec_open2(j.dec, dcodec, nullptr)) < 0) return Status::DataError("'" + src + "': " + AvErr(r));

  // output container and encoder
  const fs::path dpath(dst);
  const std::string tmp =
      (dpath.parent_path() / (dpath.stem().string() + ".juicer-tmp" + std::to_string(::getpid()) + dpath.extension().string()))
          .string();
  struct TmpGuard {  // an unfinished output never stays behind
    std::string path;
    bool keep = false;
    ~TmpGuard() {
      std::error_code e;
      if (!keep) std::filesystem::remove(path, e);
    }
  } guard{tmp};
  r = avformat_alloc_output_context2(&j.out, nullptr, nullptr, tmp.c_str());
  if (r < 0 || j.out == nullptr) return Status::InvalidArgument("no output format for '" + dst + "': " + AvErr(r));
  const AVCodec* ecodec = ivs->codecpar->codec_id == AV_CODEC_ID_H264 ? avcodec_find_encoder_by_name("libx264")
                                                                        : avcodec_find_encoder(ivs->codecpar->codec_id);
  if (ecodec == nullptr) ecodec = avcodec_find_encoder_by_name("libx264");
  if (ecodec == nullptr) return Status::Unavailable("no encoder for " + info.codec + " (and no libx264)");
  j.enc = avcodec_alloc_context3(ecodec);
  j.enc->width = spec.width > 0 ? spec.width : static_cast<int>(info.width);
  j.enc->height = spec.height > 0 ? spec.height : static_cast<int>(info.height);
  j.enc->pix_fmt = static_cast<AVPixelFormat>(ivs->codecpar->format);
  if (ecodec->pix_fmts != nullptr) {
    bool supported = false;
    for (const AVPixelFormat* p = ecodec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p) supported = supported || *p == j.enc->pix_fmt;
    if (!supported) j.enc->pix_fmt = ecodec->pix_fmts[0];
  }
  if (j.enc->pix_fmt == AV_PIX_FMT_NONE) j.enc->pix_fmt = AV_PIX_FMT_YUV420P;
  j.enc->time_base = ivs->time_base;
  j.enc->framerate = ivs->avg_frame_rate.num > 0 ? ivs->avg_frame_rate : ivs->r_frame_rate;
  j.enc->sample_aspect_ratio = ivs->codecpar->sample_aspect_ratio;
  if (j.out->oformat->flags & AVFMT_GLOBALHEADER) j.enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (std::string(ecodec->name) == "libx264") {
    av_opt_set(j.enc->priv_data, "preset", "veryfast", 0);
    av_opt_set(j.enc->priv_data, "crf", "23", 0);
  }
  j.enc->thread_count = 1;
  if ((r = avcodec_open2(j.enc, ecodec, nullptr)) < 0)
    return Status::DataError("cannot open the " + std::string(ecodec->name) + " encoder: " + AvErr(r));
  AVStream* ovs = avformat_new_stream(j.out, nullptr);
  j.ovs = ovs->index;
  avcodec_parameters_from_context(ovs->codecpar, j.enc);
  ovs->time_base = j.enc->time_base;
  ovs->avg_frame_rate = j.enc->framerate;
  if (j.as >= 0) {
    AVStream* ias = j.in->streams[j.as];
    AVStream* oas = avformat_new_stream(j.out, nullptr);
    j.oas = oas->index;
    avcodec_parameters_copy(oas->codecpar, ias->codecpar);
    oas->codecpar->codec_tag = 0;
    oas->time_base = ias->time_base;
  }
  std::error_code ec;
  fs::create_directories(dpath.parent_path(), ec);
  if (!(j.out->oformat->flags & AVFMT_NOFILE)) {
    if ((r = avio_open(&j.out->pb, tmp.c_str(), AVIO_FLAG_WRITE)) < 0)
      return Status::IOError("cannot write '" + tmp + "': " + AvErr(r));
    j.io_open = true;
  }
  if ((r = avformat_write_header(j.out, nullptr)) < 0)
    return Status::DataError("cannot start '" + dst + "': " + AvErr(r));
  j.header_written = true;

  j.pkt = av_packet_alloc();
  j.opkt = av_packet_alloc();
  j.frame = av_frame_alloc();
  j.conv = av_frame_alloc();
  j.conv->format = j.enc->pix_fmt;
  j.conv->width = j.enc->width;
  j.conv->height = j.enc->height;
  if (av_frame_get_buffer(j.conv, 0) < 0) return Status::Internal("libav: out of memory");

  // Data-Juicer: start = int(start / time_base); end = end / time_base, or the stream's duration.
  const double vtb = av_q2d(ivs->time_base);
  const int64_t v_start = static_cast<int64_t>(spec.start / vtb);
  const double v_end = spec.end ? *spec.end / vtb : static_cast<double>(ivs->duration != AV_NOPTS_VALUE ? ivs->duration : INT64_MAX);
  int64_t a_start = 0;
  double a_end = 0;
  if (j.as >= 0) {
    const AVStream* ias = j.in->streams[j.as];
    const double atb = av_q2d(ias->time_base);
    a_start = static_cast<int64_t>(spec.start / atb);
    a_end = spec.end ? *spec.end / atb : static_cast<double>(ias->duration != AV_NOPTS_VALUE ? ias->duration : INT64_MAX);
  }
  if (spec.start > 0) av_seek_frame(j.in, -1, static_cast<int64_t>(spec.start * 1e6), AVSEEK_FLAG_BACKWARD);

  bool done = false;
  while (!done) {
    r = av_read_frame(j.in, j.pkt);
    if (r < 0) break;  // end of file (or an unreadable rest)
    if (j.pkt->stream_index == j.vs) {
      if (avcodec_send_packet(j.dec, j.pkt) >= 0) {
        while (!done && avcodec_receive_frame(j.dec, j.frame) == 0) {
          const Status st = HandleFrame(j, v_start, v_end, &done);
          av_frame_unref(j.frame);
          if (!st.ok()) {
            av_packet_unref(j.pkt);
            return st.WithContext("'" + dst + "': ");
          }
        }
      }
    } else if (j.pkt->stream_index == j.as && j.pkt->pts != AV_NOPTS_VALUE && j.pkt->dts != AV_NOPTS_VALUE &&
               j.pkt->pts >= a_start && static_cast<double>(j.pkt->pts) <= a_end) {
      j.pkt->pts -= a_start;
      j.pkt->dts -= a_start;
      j.pkt->stream_index = j.oas;
      av_packet_rescale_ts(j.pkt, j.in->streams[j.as]->time_base, j.out->streams[j.oas]->time_base);
      j.pkt->pos = -1;
      if ((r = av_interleaved_write_frame(j.out, j.pkt)) < 0) return Status::IOError("writing audio failed: " + AvErr(r));
    }
    av_packet_unref(j.pkt);
  }
  if (!done) {  // drain the decoder
    avcodec_send_packet(j.dec, nullptr);
    while (!done && avcodec_receive_frame(j.dec, j.frame) == 0) {
      const Status st = HandleFrame(j, v_start, v_end, &done);
      av_frame_unref(j.frame);
      if (!st.ok()) return st.WithContext("'" + dst + "': ");
    }
  }
  JUICER_RETURN_IF_ERROR(Encode(j, nullptr));
  if ((r = av_write_trailer(j.out)) < 0) return Status::IOError("cannot finish '" + dst + "': " + AvErr(r));
  if (j.io_open) {
    avio_closep(&j.out->pb);
    j.io_open = false;
  }
  if (j.frames == 0) {
    return Status::DataError("'" + src + "' has no frame in [" + std::to_string(spec.start) + ", " +
                             (spec.end ? std::to_string(*spec.end) : std::string("end")) + "] s");
  }
  fs::rename(tmp, dst, ec);
  if (ec) return Status::IOError("cannot rename into '" + dst + "'");
  guard.keep = true;
  return TranscodeResult{j.frames};
}

}  // namespace juicer::media
