// video_extract_frames_mapper (sampled frames saved as JPEG files, their directory recorded in
// __dj__meta__) and video_ffmpeg_wrapped_mapper (one ffmpeg filter run by the ffmpeg CLI).
#include <fcntl.h>
#include <simdjson.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <unordered_map>

#include <opencv2/imgcodecs.hpp>

#include "core/json_text.h"
#include "core/sample_parser.h"
#include "media/video_io.h"
#include "media/video_transcode.h"
#include "ops/video/video_filter_base.h"
#include "ops/video/video_mapper_util.h"
#include "ops/video/video_ops.h"

extern char** environ;

namespace juicer::video_ops {

namespace {

namespace fs = std::filesystem;

// Python's json.dumps of a str (ensure_ascii: non-ASCII as \uXXXX, surrogate pairs above the BMP).
void AppendPyJsonString(std::string_view s, std::string* out) {
  static const char* kHex = "0123456789abcdef";
  auto u16 = [&](uint32_t c) {
    *out += "\\u";
    for (int sh = 12; sh >= 0; sh -= 4) *out += kHex[(c >> sh) & 15];
  };
  *out += '"';
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xF0 && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
      len = 4;
    } else if (c >= 0xE0 && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      len = 3;
    } else if (c >= 0xC0 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      len = 2;
    }
    i += len;
    if (cp == '"') *out += "\\\"";
    else if (cp == '\\') *out += "\\\\";
    else if (cp == '\n') *out += "\\n";
    else if (cp == '\r') *out += "\\r";
    else if (cp == '\t') *out += "\\t";
    else if (cp < 0x20 || (cp >= 0x7F && cp < 0x10000)) u16(cp);
    else if (cp >= 0x10000) {
      cp -= 0x10000;
      u16(0xD800 + (cp >> 10));
      u16(0xDC00 + (cp & 0x3FF));
    } else {
      *out += static_cast<char>(cp);
    }
  }
  *out += '"';
}

// Sets __dj__meta__[key] = value (a JSON string), keeping the other meta keys.
void SetMetaString(Sample& sample, const std::string& key, const std::string& value) {
  std::string pair;
  AppendJsonString(key, &pair);
  pair += ':';
  AppendJsonString(value, &pair);
  const Sample::Field* meta = sample.Find(fields::kMeta);
  std::string raw;
  if (meta == nullptr || meta->type != JsonType::kObject) {
    raw = "{" + pair + "}";
  } else {
    std::string_view old = meta->RawText();
    while (!old.empty() && (old.back() == ' ' || old.back() == '\n')) old.remove_suffix(1);
    const size_t open = old.find('{');
    std::string_view inner = old.substr(open + 1, old.size() - open - 2);
    const bool empty = inner.find_first_not_of(" \t\r\n") == std::string_view::npos;
    raw = "{" + pair + (empty ? std::string() : "," + std::string(inner)) + "}";
  }
  sample.SetRaw(fields::kMeta, std::move(raw), JsonType::kObject);
}

bool MetaHas(const Sample& sample, const std::string& key) {
  const Sample::Field* meta = sample.Find(fields::kMeta);
  if (meta == nullptr || meta->type != JsonType::kObject) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(std::string(meta->RawText())).get(doc) != simdjson::SUCCESS) return false;
  simdjson::dom::element v;
  return doc.at_key(key).get(v) == simdjson::SUCCESS;
}

Status WriteJpeg(const std::string& path, const cv::Mat& bgr) {
  std::vector<uchar> buf;
  if (!cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, 75}))
    return Status::DataError("cannot encode a frame as JPEG");
  const std::string tmp = path + ".tmp" + std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
    if (!f.good()) return Status::IOError("cannot write '" + tmp + "'");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::IOError("cannot rename into '" + path + "'");
  return Status::OK();
}

// ---- video_extract_frames_mapper ----

class ExtractFrames final : public Mapper {
 public:
  ExtractFrames(const OpInfo& info, const OpParams& p, media::FrameSampling s)
      : Mapper(info, p),
        namer_(info, p),
        sampling_(std::move(s)),
        duration_(p.GetDouble("duration")),
        frame_dir_(p.IsNull("frame_dir") ? std::string() : p.GetString("frame_dir")),
        frame_key_(p.GetString("frame_key")) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    if (MetaHas(sample, frame_key_)) {  // generated already (Data-Juicer)
      out->push_back(std::move(sample));
      return Status::OK();
    }
    std::vector<std::string> videos;
    if (sample.Has(video_key())) {
      JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* v, sample.GetStringList(video_key()));
      videos = *v;
    }
    if (videos.empty()) {
      out->push_back(std::move(sample));
      return Status::OK();
    }
    std::string text;
    if (sample.Has(text_key())) {
      JUICER_ASSIGN_OR_RETURN(std::string_view t, sample.GetText(text_key()));
      text = std::string(t);
    }
    // the videos named by tokens, chunk by chunk (Data-Juicer); in first-appearance order
    std::vector<std::pair<std::string, std::string>> dirs;
    size_t offset = 0, pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find(kEocToken, pos);
      const bool last = end == std::string::npos;
      if (last) end = text.size();
      const std::string_view chunk = std::string_view(text).substr(pos, end - pos);
      pos = end + kEocToken.size();
      size_t count = 0;
      for (size_t q = chunk.find(kVideoToken); q != std::string_view::npos; q = chunk.find(kVideoToken, q + 1)) ++count;
      for (size_t i = offset; i < offset + count && i < videos.size(); ++i) {
        bool seen = false;
        for (const auto& d : dirs) seen = seen || d.first == videos[i];
        if (seen) continue;
        media::SampleVideo video(sample, video_key(), videos[i], ctx);
        JUICER_ASSIGN_OR_RETURN(std::string src, video.Resolved());
        auto dir = Extract(video, src, videos[i]);
        if (!dir.ok()) return video.Wrap(dir.status());
        dirs.emplace_back(videos[i], *dir);
      }
      offset += count;
      if (last) break;
    }
    std::string json = "{";
    for (size_t i = 0; i < dirs.size(); ++i) {
      if (i) json += ", ";
      AppendPyJsonString(dirs[i].first, &json);
      json += ": ";
      AppendPyJsonString(dirs[i].second, &json);
    }
    json += "}";
    SetMetaString(sample, frame_key_, json);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  Result<std::string> Extract(media::SampleVideo& video, const std::string& src, const std::string& as_written) const {
    std::string dir;
    if (!frame_dir_.empty()) {
      dir = (fs::path(frame_dir_) / fs::path(as_written).stem()).string();
    } else {
      dir = fs::path(namer_.Path(src, "")).replace_extension().string();
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create '" + dir + "': " + ec.message());
    std::vector<cv::Mat> frames;
    if (duration_ > 0) {  // per segment of `duration` seconds, each cut (re-encoded) first, as Data-Juicer
      JUICER_ASSIGN_OR_RETURN(media::VideoInfo info, video.Info());
      const fs::path tmp = fs::path(dir) / (".segment" + std::to_string(::getpid()) + ".mp4");
      for (double t = duration_; t < info.duration; t += duration_) {
        auto cut = media::TranscodeVideo(src, tmp.string(), media::TranscodeSpec{.start = t - duration_, .end = t});
        if (!cut.ok()) continue;
        auto f = media::SampleVideoFrames(tmp.string(), sampling_);
        fs::remove(tmp, ec);
        if (!f.ok()) return f.status();
        for (cv::Mat& m : f->bgr) frames.push_back(std::move(m));
      }
    } else {
      JUICER_ASSIGN_OR_RETURN(auto f, video.Frames(sampling_));
      frames = f->bgr;
    }
    for (size_t i = 0; i < frames.size(); ++i) {
      const std::string p = (fs::path(dir) / ("frame_" + std::to_string(i) + ".jpg")).string();
      if (fs::exists(p, ec)) continue;
      JUICER_RETURN_IF_ERROR(WriteJpeg(p, frames[i]));
    }
    return dir;
  }

  OutputNamer namer_;
  media::FrameSampling sampling_;
  double duration_;
  std::string frame_dir_, frame_key_;
};

OpInfo ExtractInfo() {
  OpInfo info;
  info.name = "video_extract_frames_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kVideo;
  info.summary = "Save sampled frames of each video as JPEG files; record their directory in __dj__meta__.";
  info.description =
      std::string(
          "For the videos named by <__dj__video> tokens (chunk by chunk, as Data-Juicer), frames are sampled "
          "(frame_sampling_method all_keyframes / uniform with frame_num; with duration > 0 on every "
          "duration-second segment, each segment cut and re-encoded first as Data-Juicer does, the last "
          "partial segment left out as numpy.arange leaves it) and written as frame_<i>.jpg (JPEG quality 75, "
          "PIL's default; an existing file is kept) into frame_dir/<video stem>, or by default "
          "<output dir>/<stem>__dj_hash_#<hash>#. __dj__meta__[frame_key] is set to the JSON text (Python "
          "json.dumps) of {video path as written: frame directory}; a sample that already has it is left as "
          "it is. A sample without videos passes unchanged (Data-Juicer returns an empty list for it). ") +
      kOutputDoc;
  info.params = FrameSamplingParams("all_keyframes");
  info.params.push_back(ParamSpec{.name = "duration", .type = ParamType::kFloat, .default_value = 0.0,
                                  .doc = "> 0: sample within every segment of this many seconds", .min_value = 0.0});
  info.params.push_back(ParamSpec{.name = "frame_dir", .type = ParamType::kString, .default_value = std::monostate{},
                                  .doc = "directory for the frames (a subdirectory per video); null = the output dir",
                                  .nullable = true});
  info.params.push_back(ParamSpec{.name = "frame_key", .type = ParamType::kString,
                                  .default_value = std::string("video_frames"),
                                  .doc = "__dj__meta__ key for the {video: frame dir} JSON"});
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(media::FrameSampling s, FrameSamplingOf(p));
    return std::unique_ptr<Op>(std::make_unique<ExtractFrames>(i, p, std::move(s)));
  };
  return info;
}

// ---- video_ffmpeg_wrapped_mapper ----

// Runs argv (no shell) with stdin from /dev/null and stderr into `err_file`; returns the exit status.
Result<int> Spawn(const std::vector<std::string>& args, const std::string& err_file) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int r = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (r != 0) return Status::Unavailable("cannot run '" + args[0] + "': " + std::strerror(r));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return Status::Internal("waitpid failed");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// ffmpeg-python's escaping of a filter argument.
std::string EscapeFilterArg(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '\'' || c == '=' || c == ':') out += '\\';
    out += c;
  }
  return out;
}

class FfmpegWrapped final : public Mapper {
 public:
  FfmpegWrapped(const OpInfo& info, const OpParams& p, std::string filter)
      : Mapper(info, p),
        namer_(info, p),
        filter_(std::move(filter)),
        global_args_(p.IsNull("global_args") ? std::vector<std::string>{} : p.GetStringList("global_args")),
        overwrite_(p.GetBool("overwrite_output")) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    std::vector<std::string> videos;
    if (sample.Has(video_key())) {
      JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* v, sample.GetStringList(video_key()));
      videos = *v;
    }
    const Sample::Field* src_field = sample.Find(kSourceFile);
    const bool no_source = src_field == nullptr || src_field->RawText() == "[]" || src_field->RawText() == "null";
    if (videos.empty() || filter_.empty()) {
      if (videos.empty() || no_source) SetStringList(sample, kSourceFile, videos);
      out->push_back(std::move(sample));
      return Status::OK();
    }
    std::unordered_map<std::string, std::string> done;
    std::vector<std::string> new_videos;
    for (const std::string& v : videos) {
      auto it = done.find(v);
      if (it == done.end()) {
        media::SampleVideo video(sample, video_key(), v, ctx);
        JUICER_ASSIGN_OR_RETURN(std::string src, video.Resolved());
        const std::string dst = namer_.Path(src, "");
        const Status st = Run(src, dst);
        if (!st.ok()) return video.Wrap(st);
        it = done.emplace(v, dst).first;
      }
      new_videos.push_back(it->second);
    }
    if (no_source) SetStringList(sample, kSourceFile, videos);
    SetStringList(sample, video_key(), new_videos);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  Status Run(const std::string& src, const std::string& dst) const {
    std::error_code ec;
    fs::create_directories(fs::path(dst).parent_path(), ec);
    const fs::path d(dst);
    const std::string tmp = (d.parent_path() / (d.stem().string() + ".juicer-tmp" + std::to_string(::getpid()) +
                                                d.extension().string()))
                                .string();
    const std::string err = tmp + ".log";
    // ffmpeg-python's command: ffmpeg -i in -filter_complex [0]f[s0] -map [s0] out <global args> -y
    std::vector<std::string> args = {"ffmpeg", "-i", src, "-filter_complex", "[0]" + filter_ + "[s0]", "-map", "[s0]",
                                     tmp};
    for (const std::string& g : global_args_) args.push_back(g);
    args.push_back(overwrite_ ? "-y" : "-n");
    auto rc = Spawn(args, err);
    std::string tail;
    {
      std::ifstream f(err);
      std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      tail = all.size() > 600 ? all.substr(all.size() - 600) : all;
    }
    fs::remove(err, ec);
    if (!rc.ok() || *rc != 0) {
      fs::remove(tmp, ec);
      if (!rc.ok()) return rc.status();
      return Status::DataError("ffmpeg failed (exit " + std::to_string(*rc) + "): " + tail);
    }
    fs::rename(tmp, dst, ec);
    if (ec) return Status::IOError("cannot rename into '" + dst + "'");
    return Status::OK();
  }

  OutputNamer namer_;
  std::string filter_;
  std::vector<std::string> global_args_;
  bool overwrite_;
};

OpInfo FfmpegInfo() {
  OpInfo info;
  info.name = "video_ffmpeg_wrapped_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kVideo;
  info.summary = "Run one ffmpeg filter (filter_name with filter_kwargs) over every video, through the ffmpeg CLI.";
  info.description =
      std::string(
          "The command ffmpeg-python builds for Data-Juicer, run without a shell (posix_spawn, stdin from "
          "/dev/null): ffmpeg -i <video> -filter_complex \"[0]<filter_name>=<k>=<v>:...[s0]\" -map \"[s0]\" "
          "<output> <global_args...> -y, the kwargs sorted by name and their values escaped as ffmpeg-python "
          "does (\\\\ ' = :). Only the filtered video stream is mapped, so the output has no audio, as in "
          "Data-Juicer. filter_kwargs is a map in the recipe (or a list of \"key=value\" strings). Without "
          "filter_name the sample is unchanged. A failing ffmpeg is a per-sample error with the tail of its "
          "stderr; the ffmpeg CLI must be installed (scripts/setup.sh installs it). Each distinct video is "
          "processed once per sample; the video field lists the new paths and __dj__source_file__ the "
          "original ones when absent. capture_stderr is accepted (stderr is always captured).") +
      kOutputDoc;
  info.params = {
      ParamSpec{.name = "filter_name", .type = ParamType::kString, .default_value = std::monostate{},
                .doc = "ffmpeg filter name, e.g. scale; null = do nothing", .nullable = true},
      ParamSpec{.name = "filter_kwargs", .type = ParamType::kStringList, .default_value = std::monostate{},
                .doc = "the filter's options: a map (width: 640) or a list of \"key=value\" strings", .nullable = true},
      ParamSpec{.name = "global_args", .type = ParamType::kStringList, .default_value = std::monostate{},
                .doc = "extra ffmpeg arguments, placed after the output as ffmpeg-python does", .nullable = true},
      ParamSpec{.name = "capture_stderr", .type = ParamType::kBool, .default_value = true,
                .doc = "accepted for Data-Juicer compatibility (stderr is always captured)"},
      ParamSpec{.name = "overwrite_output", .type = ParamType::kBool, .default_value = true,
                .doc = "pass -y (overwrite) rather than -n"},
      SaveDirParam()};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::string filter;
    if (!p.IsNull("filter_name")) {
      filter = p.GetString("filter_name");
      std::vector<std::pair<std::string, std::string>> kv;
      if (!p.IsNull("filter_kwargs")) {
        for (const std::string& s : p.GetStringList("filter_kwargs")) {
          const size_t eq = s.find('=');
          if (eq == std::string::npos || eq == 0)
            return Status::InvalidArgument("filter_kwargs: '" + s + "' is not key=value");
          kv.emplace_back(s.substr(0, eq), s.substr(eq + 1));
        }
      }
      std::sort(kv.begin(), kv.end());
      for (size_t k = 0; k < kv.size(); ++k)
        filter += (k == 0 ? "=" : ":") + kv[k].first + "=" + EscapeFilterArg(kv[k].second);
    }
    return std::unique_ptr<Op>(std::make_unique<FfmpegWrapped>(i, p, std::move(filter)));
  };
  return info;
}

}  // namespace

Status RegisterVideoFrameMappers(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(ExtractInfo()));
  return registry.Add(FfmpegInfo());
}

}  // namespace juicer::video_ops
