// Frame-level model scores on sampled video frames, with juicer's image models: video_nsfw_filter
// (nsfwjs MobileNetV2), video_aesthetics_filter (image_aesthetics_filter's heuristic),
// video_ocr_area_ratio_filter (Tesseract) and video_frames_text_similarity_filter (the clip scorer).
// Frames come from the per-worker video cache, so ops with the same sampling decode a video once.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "media/video_io.h"
#include "ops/image/aesthetics.h"
#include "ops/image/clip_model.h"
#include "ops/image/image_quality.h"
#include "ops/image/nsfw_model.h"
#include "ops/image/ocr_area.h"
#include "ops/video/video_filter_base.h"
#include "ops/video/video_ops.h"

namespace juicer::video_ops {

namespace {

using image_ops::NsfwModel;

// A per-video filter on one stat bounded by the params `lo` and `hi`.
Result<std::unique_ptr<Op>> MakeFilter(const OpInfo& info, const OpParams& params, const std::string& key,
                                       const std::string& lo, const std::string& hi, MeasureFn fn) {
  return std::unique_ptr<Op>(std::make_unique<PerVideoFilter>(info, params, std::vector<std::string>{key},
                                                              std::vector<Bound>{Bound{params.GetOptDouble(lo),
                                                                                       params.GetOptDouble(hi)}},
                                                              std::move(fn)));
}

Result<std::shared_ptr<const media::SampledFrames>> FramesOf(media::SampleVideo& v, const media::FrameSampling& s) {
  JUICER_ASSIGN_OR_RETURN(auto frames, v.Frames(s));
  if (frames->bgr.empty()) return v.Wrap(Status::DataError("video '" + v.path() + "': no frame sampled"));
  return frames;
}

const char* const kFrameDoc =
    " Frames are sampled with frame_sampling_method ('all_keyframes': every key frame, the first frame "
    "when there is none; 'uniform': frame_num frames at evenly spaced times, Data-Juicer's "
    "extract_video_frames_uniformly) through the per-worker video cache (ops with the same sampling decode "
    "a video once), and a video's frame scores are combined by reduce_mode (avg/max/min). A sample "
    "without videos gets an empty list and is kept; any_or_all combines the videos. A missing file is a "
    "NotFound error, an unreadable one a per-sample data error naming it.";

// ---- video_nsfw_filter ----

OpInfo NsfwInfo() {
  OpInfo info;
  info.name = "video_nsfw_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kVideo;
  info.summary = "Keep samples whose videos' NSFW score (nsfwjs MobileNetV2 on sampled frames) is in range.";
  info.description =
      std::string("Stat video_nsfw_score: one float per video, the frames' P(porn) + P(hentai) + P(sexy) from "
                  "image_nsfw_filter's model (nsfwjs's MobileNetV2, run in-process through libtorch), reduced "
                  "over the frames. Data-Juicer scores frames with the Hugging Face model "
                  "Falconsai/nsfw_image_detection (not obtainable here): same op, params and stat key, a "
                  "different model, so its thresholds do not transfer; hf_nsfw_model is used only when it "
                  "names a local tfjs model directory. Unavailable until scripts/setup.sh has installed the "
                  "model.") +
      kFrameDoc;
  info.params = {ParamSpec{.name = "hf_nsfw_model", .type = ParamType::kString,
                           .default_value = std::string("Falconsai/nsfw_image_detection"),
                           .doc = "Data-Juicer's Hugging Face model: ignored unless it is a local tfjs model directory"},
                 ParamSpec{.name = "trust_remote_code", .type = ParamType::kBool, .default_value = false,
                           .doc = "accepted for Data-Juicer compatibility; ignored"},
                 FloatBound("min_score", 0.0, "videos with a lower NSFW score fail"),
                 FloatBound("max_score", 0.5, "videos with a higher NSFW score fail")};
  for (ParamSpec& p : FrameSamplingParams("all_keyframes")) info.params.push_back(std::move(p));
  info.params.push_back(ReduceModeParam());
  info.params.push_back(AnyOrAllParam());
  info.params.push_back(ParamSpec{.name = "model_path", .type = ParamType::kString, .default_value = std::string(""),
                                  .doc = "tfjs layers model directory; empty = <models dir>/nsfw_mobilenet_v2"});
  info.stat_keys = {"video_nsfw_score"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(media::FrameSampling s, FrameSamplingOf(p));
    std::string dir = p.GetString("model_path");
    if (dir.empty()) {
      std::error_code ec;
      const std::string& hf = p.GetString("hf_nsfw_model");
      dir = !hf.empty() && std::filesystem::is_regular_file(hf + "/model.json", ec) ? hf : NsfwModel::DefaultDir();
    }
    auto model = NsfwModel::Open(dir);
    if (!model.ok()) return model.status().WithContext(i.name + ": ");
    const std::string reduce = p.GetString("reduce_mode");
    return MakeFilter(i, p, "video_nsfw_score", "min_score", "max_score",
                      [m = *model, s, reduce](const Op&, media::SampleVideo& v, WorkerContext&, StatScalar* out) -> Status {
                        JUICER_ASSIGN_OR_RETURN(auto frames, FramesOf(v, s));
                        std::vector<const cv::Mat*> imgs;
                        for (const cv::Mat& f : frames->bgr) imgs.push_back(&f);
                        std::vector<float> probs;
                        const Status st = m->Run(imgs, &probs, nullptr);
                        if (!st.ok()) return v.Wrap(st);
                        const size_t c = static_cast<size_t>(m->num_classes());
                        std::vector<double> scores;
                        for (size_t k = 0; k < imgs.size(); ++k) {
                          const float* q = probs.data() + k * c;
                          scores.push_back(static_cast<double>(q[image_ops::kPorn]) + q[image_ops::kHentai] +
                                           q[image_ops::kSexy]);
                        }
                        out[0] = Reduce(scores, reduce);
                        return Status::OK();
                      });
  };
  return info;
}

// ---- video_aesthetics_filter ----

OpInfo AestheticsInfo() {
  OpInfo info;
  info.name = "video_aesthetics_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kVideo;
  info.summary = "Keep samples whose videos' aesthetics score (image_aesthetics_filter's heuristic on frames) is in range.";
  info.description =
      std::string("Stat video_frames_aesthetics_score: one float in [0, 1] per video, image_aesthetics_filter's "
                  "score (a documented heuristic of BRISQUE, sharpness, colourfulness, exposure, clipping and "
                  "resolution; NOT a learned aesthetics model) of each sampled frame, reduced over the frames. "
                  "Data-Juicer uses a CLIP-based LAION aesthetics predictor (not obtainable here), so its "
                  "scores and thresholds do not transfer; hf_scorer_model is accepted and ignored.") +
      kFrameDoc;
  info.params = {ParamSpec{.name = "hf_scorer_model", .type = ParamType::kString, .default_value = std::string(""),
                           .doc = "Data-Juicer's Hugging Face scorer: accepted and ignored"},
                 ParamSpec{.name = "trust_remote_code", .type = ParamType::kBool, .default_value = false,
                           .doc = "accepted for Data-Juicer compatibility; ignored"},
                 FloatBound("min_score", 0.4, "videos scoring lower fail"),
                 FloatBound("max_score", 1.0, "videos scoring higher fail")};
  for (ParamSpec& p : FrameSamplingParams("uniform")) info.params.push_back(std::move(p));
  info.params.push_back(AnyOrAllParam());
  info.params.push_back(ReduceModeParam());
  info.params.push_back(ParamSpec{.name = "model_path", .type = ParamType::kString, .default_value = std::string(""),
                                  .doc = "JSON file of the heuristic's weights (see image_aesthetics_filter); empty = defaults"});
  info.stat_keys = {"video_frames_aesthetics_score"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(media::FrameSampling s, FrameSamplingOf(p));
    auto model = std::make_shared<image_ops::AestheticsModel>(image_ops::DefaultAestheticsModel());
    if (const std::string& path = p.GetString("model_path"); !path.empty()) {
      JUICER_ASSIGN_OR_RETURN(*model, image_ops::LoadAestheticsModel(path));
    }
    if (model->terms[0].weight > 0)
      JUICER_RETURN_IF_ERROR(image_ops::CheckBrisqueFiles(image_ops::kBrisqueModel, image_ops::kBrisqueRange));
    const std::string reduce = p.GetString("reduce_mode");
    return MakeFilter(i, p, "video_frames_aesthetics_score", "min_score", "max_score",
                      [model, s, reduce](const Op& op, media::SampleVideo& v, WorkerContext& ctx, StatScalar* out) -> Status {
                        JUICER_ASSIGN_OR_RETURN(auto frames, FramesOf(v, s));
                        std::vector<double> scores;
                        for (const cv::Mat& f : frames->bgr) {
                          auto sig = image_ops::MeasureAestheticSignals(f, *model, ctx.StateFor<image_ops::BrisqueState>(&op));
                          if (!sig.ok()) return v.Wrap(sig.status());
                          scores.push_back(image_ops::AestheticsScore(*sig, *model));
                        }
                        out[0] = Reduce(scores, reduce);
                        return Status::OK();
                      });
  };
  return info;
}

// ---- video_ocr_area_ratio_filter ----

OpInfo OcrInfo() {
  OpInfo info;
  info.name = "video_ocr_area_ratio_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kVideo;
  info.summary = "Keep samples whose videos' text-covered frame area (Tesseract on sampled frames) is in range.";
  info.description =
      "Stat video_ocr_area_ratio: one float per video, the mean over frame_sample_num uniformly sampled "
      "frames (Data-Juicer's extract_video_frames_uniformly, through the per-worker video cache) of "
      "image_ocr_area_ratio_filter's ratio: the union of the boxes of the words Tesseract 5 recognises with "
      "confidence >= min_confidence, over the frame area. Data-Juicer detects text with EasyOCR's CRAFT "
      "detector (not obtainable here), which finds more stylised and rotated text, so ratios differ; "
      "languages_to_detect takes Tesseract codes (DJ's 'en' and 'ch_sim' are mapped to 'eng' and "
      "'chi_sim'; every language needs its tesseract-ocr-<lang> data, else the op is Unavailable). A "
      "sample without videos gets an empty list and is kept; any_or_all combines the videos.";
  info.params = {FloatBound("min_area_ratio", 0.0, "videos with less text area fail"),
                 FloatBound("max_area_ratio", 1.0, "videos with more text area fail"),
                 ParamSpec{.name = "frame_sample_num", .type = ParamType::kInt, .default_value = int64_t{3},
                           .doc = "frames sampled uniformly per video", .min_value = 1.0},
                 ParamSpec{.name = "languages_to_detect", .type = ParamType::kStringList,
                           .default_value = std::vector<std::string>{"eng"},
                           .doc = "Tesseract language codes (Data-Juicer's EasyOCR 'en'/'ch_sim' map to eng/chi_sim)"},
                 ParamSpec{.name = "min_confidence", .type = ParamType::kFloat, .default_value = 50.0,
                           .doc = "words recognised with a lower confidence (0-100) do not count", .min_value = 0.0,
                           .max_value = 100.0},
                 ParamSpec{.name = "tessdata_dir", .type = ParamType::kString, .default_value = std::string(""),
                           .doc = "directory of *.traineddata; empty = Tesseract's default"},
                 AnyOrAllParam()};
  info.stat_keys = {"video_ocr_area_ratio"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::string langs;
    for (std::string l : p.GetStringList("languages_to_detect")) {
      if (l == "en") l = "eng";
      if (l == "ch_sim") l = "chi_sim";
      langs += (langs.empty() ? "" : "+") + l;
    }
    if (langs.empty()) return Status::InvalidArgument("languages_to_detect: give at least one language");
    const std::string tessdata = p.GetString("tessdata_dir");
    {
      image_ops::OcrState probe;
      JUICER_RETURN_IF_ERROR(image_ops::InitOcr(probe, tessdata, langs).WithContext(i.name + ": "));
    }
    const double min_conf = p.GetDouble("min_confidence");
    const media::FrameSampling s{.method = "uniform", .frame_num = p.GetInt("frame_sample_num")};
    return MakeFilter(
        i, p, "video_ocr_area_ratio", "min_area_ratio", "max_area_ratio",
        [tessdata, langs, min_conf, s](const Op& op, media::SampleVideo& v, WorkerContext& ctx, StatScalar* out) -> Status {
          JUICER_ASSIGN_OR_RETURN(auto frames, FramesOf(v, s));
          image_ops::OcrState& st = ctx.StateFor<image_ops::OcrState>(&op);
          JUICER_RETURN_IF_ERROR(image_ops::InitOcr(st, tessdata, langs));
          std::vector<double> r;
          for (const cv::Mat& f : frames->bgr) {
            auto a = image_ops::OcrAreaRatio(*st.api, f, min_conf);
            if (!a.ok()) return v.Wrap(a.status());
            r.push_back(*a);
          }
          out[0] = Reduce(r, "avg");
          return Status::OK();
        });
  };
  return info;
}

}  // namespace

Status RegisterVideoModelFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(NsfwInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(AestheticsInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(OcrInfo()));
  return RegisterVideoTextSimilarityFilter(registry);
}

}  // namespace juicer::video_ops
