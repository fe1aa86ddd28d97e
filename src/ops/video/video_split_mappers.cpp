// video_split_by_duration_mapper, video_split_by_key_frame_mapper (Data-Juicer's batched split
// mappers: one new sample listing every clip, optionally after the original) and
// video_split_by_scene_mapper (PySceneDetect-style content detection; the sample's videos replaced).
#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "media/video_io.h"
#include "media/video_transcode.h"
#include "ops/video/video_mapper_util.h"
#include "ops/video/video_ops.h"

namespace juicer::video_ops {

namespace {

struct Cut {
  double start = 0;
  std::optional<double> end;
};

// Cuts one video into clips (files named <...>_<k><ext>); a clip without frames is skipped, as a cut
// Data-Juicer could not write is.
Result<std::vector<std::string>> WriteClips(const OutputNamer& namer, const std::string& src,
                                            const std::vector<Cut>& cuts) {
  std::vector<std::string> out;
  for (const Cut& c : cuts) {
    const std::string dst = namer.Path(src, "_" + std::to_string(out.size()));
    auto r = media::TranscodeVideo(src, dst, media::TranscodeSpec{.start = c.start, .end = c.end});
    if (!r.ok()) {
      if (r.status().code() == StatusCode::kDataError && r.status().message().find("has no frame") != std::string::npos)
        continue;
      return r.status();
    }
    out.push_back(dst);
  }
  return out;
}

// The shape shared by the two batched split mappers.
class SplitMapper : public Mapper {
 public:
  SplitMapper(const OpInfo& info, const OpParams& params)
      : Mapper(info, params), namer_(info, params), keep_original_(params.GetBool("keep_original_sample")) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const final {
    std::vector<std::string> videos;
    if (sample.Has(video_key())) {
      JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* v, sample.GetStringList(video_key()));
      videos = *v;
    }
    if (videos.empty()) {  // Data-Juicer: no split sample; the original only when kept
      if (keep_original_) {
        SetStringList(sample, kSourceFile, {});
        out->push_back(std::move(sample));
      }
      return Status::OK();
    }
    std::string text;
    if (sample.Has(text_key())) {
      JUICER_ASSIGN_OR_RETURN(std::string_view t, sample.GetText(text_key()));
      text = std::string(t);
    }
    std::unordered_map<std::string, std::vector<std::string>> done;
    std::string new_text;
    std::vector<std::string> new_videos, sources;
    auto clips = [&](size_t i) -> Result<std::vector<std::string>> {
      if (auto it = done.find(videos[i]); it != done.end()) return it->second;
      media::SampleVideo video(sample, video_key(), videos[i], ctx);
      JUICER_ASSIGN_OR_RETURN(std::string src, video.Resolved());
      auto cuts = Cuts(src);
      if (!cuts.ok()) return video.Wrap(cuts.status());
      auto written = WriteClips(namer_, src, *cuts);
      if (!written.ok()) return video.Wrap(written.status());
      done.emplace(videos[i], *written);
      return *written;
    };
    JUICER_RETURN_IF_ERROR(RewriteSplitText(text, videos, clips, &new_text, &new_videos, &sources));
    Sample split = sample;
    split.SetString(text_key(), new_text);
    SetStringList(split, video_key(), new_videos);
    SetStringList(split, kSourceFile, sources);
    const Sample::Field* src_field = sample.Find(kSourceFile);
    if (src_field == nullptr || src_field->RawText() == "[]" || src_field->RawText() == "null")
      SetStringList(sample, kSourceFile, videos);
    if (keep_original_) out->push_back(std::move(sample));
    out->push_back(std::move(split));
    return Status::OK();
  }

 protected:
  virtual Result<std::vector<Cut>> Cuts(const std::string& src) const = 0;

 private:
  OutputNamer namer_;
  bool keep_original_;
};

class SplitByDuration final : public SplitMapper {
 public:
  SplitByDuration(const OpInfo& info, const OpParams& params)
      : SplitMapper(info, params),
        split_(params.GetDouble("split_duration")),
        min_last_(params.GetDouble("min_last_split_duration")) {}

 protected:
  Result<std::vector<Cut>> Cuts(const std::string& src) const override {
    JUICER_ASSIGN_OR_RETURN(media::VideoInfo info, media::ProbeVideo(src));
    std::vector<double> ts;  // numpy.arange(0, duration, split_duration)
    const int64_t n = static_cast<int64_t>(std::ceil(info.duration / split_));
    for (int64_t i = 0; i < n; ++i) ts.push_back(static_cast<double>(i) * split_);
    std::vector<Cut> cuts;
    for (size_t i = 1; i < ts.size(); ++i) cuts.push_back(Cut{ts[i - 1], ts[i]});
    if (!ts.empty() && info.duration - ts.back() >= min_last_) cuts.push_back(Cut{ts.back(), std::nullopt});
    return cuts;
  }

 private:
  double split_, min_last_;
};

class SplitByKeyFrame final : public SplitMapper {
 public:
  using SplitMapper::SplitMapper;

 protected:
  Result<std::vector<Cut>> Cuts(const std::string& src) const override {
    std::vector<double> ts;
    {
      JUICER_ASSIGN_OR_RETURN(auto dec, media::VideoDecoder::Open(src, media::DecoderOptions{.keyframes_only = true}));
      while (true) {
        JUICER_ASSIGN_OR_RETURN(bool more, dec->Next());
        if (!more) break;
        ts.push_back(dec->seconds());
      }
    }
    if (ts.empty()) ts.push_back(0.0);  // no key frame: the first frame (Data-Juicer), i.e. one clip
    std::sort(ts.begin(), ts.end());
    std::vector<Cut> cuts;
    for (size_t i = 1; i < ts.size(); ++i) cuts.push_back(Cut{ts[i - 1], ts[i]});
    cuts.push_back(Cut{ts.back(), std::nullopt});
    return cuts;
  }
};

const char* const kSplitDoc =
    " Per sample (Data-Juicer's batched split mappers): with keep_original_sample the original is emitted "
    "first (its __dj__source_file__ set to its videos when absent); then ONE new sample whose videos are "
    "all the clips and whose text is rebuilt chunk by chunk: the text is cut at <|__dj__eoc|>, blank "
    "chunks are dropped, each remaining chunk's k-th <__dj__video> becomes as many tokens as the k-th "
    "video of the chunk has clips, and every chunk ends with <|__dj__eoc|>; __dj__source_file__ lists "
    "each clip's source. A sample without videos yields nothing (only the original when kept). Clips "
    "are re-encoded with the source's codec (libx264 for H.264, preset veryfast, crf 23), frames with "
    "pts in [start, end] (decoding stops at the first I/P frame past end), the audio packets of the "
    "interval copied, as Data-Juicer's cut_video_by_seconds; a clip with no frame is skipped. A missing "
    "or unreadable video is a per-sample error naming it.";

OpInfo DurationInfo() {
  OpInfo info;
  info.name = "video_split_by_duration_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kVideo;
  info.summary = "Split videos into split_duration-second clips.";
  info.description =
      std::string("Cut points are numpy.arange(0, duration, split_duration) (duration = the video stream's); "
                  "consecutive points give the clips, and the rest from the last point to the end is a clip "
                  "when it lasts at least min_last_split_duration. Clips are named <stem>__dj_hash_#<hash>#_<k>"
                  "<ext>.") +
      kSplitDoc + kOutputDoc;
  info.params = {
      ParamSpec{.name = "split_duration", .type = ParamType::kFloat, .default_value = 10.0,
                .doc = "clip length in seconds", .min_value = 1e-6},
      ParamSpec{.name = "min_last_split_duration", .type = ParamType::kFloat, .default_value = 0.0,
                .doc = "the last clip is dropped when shorter than this (seconds)", .min_value = 0.0},
      ParamSpec{.name = "keep_original_sample", .type = ParamType::kBool, .default_value = true,
                .doc = "also emit the original sample, before the split one"},
      SaveDirParam()};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<SplitByDuration>(i, p));
  };
  return info;
}

OpInfo KeyFrameInfo() {
  OpInfo info;
  info.name = "video_split_by_key_frame_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kVideo;
  info.summary = "Split videos at their key frames.";
  info.description =
      std::string("The key frames' times (decoding with skip_frame = NONKEY, as Data-Juicer's "
                  "get_key_frame_seconds) are the cut points: one clip between consecutive key frames and "
                  "one from the last key frame to the end.") +
      kSplitDoc + kOutputDoc;
  info.params = {ParamSpec{.name = "keep_original_sample", .type = ParamType::kBool, .default_value = true,
                           .doc = "also emit the original sample, before the split one"},
                 SaveDirParam()};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<SplitByKeyFrame>(i, p));
  };
  return info;
}

}  // namespace

Status RegisterVideoSplitMappers(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(DurationInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(KeyFrameInfo()));
  return RegisterVideoSceneMapper(registry);
}

}  // namespace juicer::video_ops
