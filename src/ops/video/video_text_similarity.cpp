// video_frames_text_similarity_filter: cosine similarity between a text chunk and the sampled frames of
// the chunk's videos, with the clip scorer of image_text_similarity_filter.
#include <memory>
#include <string>
#include <vector>

#include "media/video_io.h"
#include "ops/image/clip_model.h"
#include "ops/image/image_text_chunks.h"
#include "ops/video/video_filter_base.h"
#include "ops/video/video_mapper_util.h"
#include "ops/video/video_ops.h"

namespace juicer::video_ops {

namespace {

constexpr const char* kKey = "video_frames_text_similarity";

struct Config {
  std::shared_ptr<const image_ops::ClipModel> model;
  media::FrameSampling sampling;
  bool hflip = false, vflip = false, any = true;
  std::string reduce;
  std::optional<double> min, max;
};

class FramesTextSimilarity final : public Filter {
 public:
  FramesTextSimilarity(const OpInfo& info, const OpParams& params, Config cfg)
      : Filter(info, params), cfg_(std::move(cfg)) {}

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (sample.stats().Has(kKey)) return Status::OK();
    std::vector<StatScalar> scores;
    std::vector<std::string> videos;
    if (sample.Has(video_key())) {
      JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* v, sample.GetStringList(video_key()));
      videos = *v;
    }
    if (!videos.empty()) {
      JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
      size_t offset = 0, pos = 0;
      while (pos <= text.size()) {  // chunks at <|__dj__eoc|>, as Data-Juicer
        size_t end = text.find(kEocToken, pos);
        const bool last = end == std::string_view::npos;
        if (last) end = text.size();
        const std::string_view chunk = text.substr(pos, end - pos);
        pos = end + kEocToken.size();
        size_t count = 0;
        for (size_t p = chunk.find(kVideoToken); p != std::string_view::npos; p = chunk.find(kVideoToken, p + 1)) ++count;
        if (count > 0 && !chunk.empty()) {
          JUICER_ASSIGN_OR_RETURN(double s, ChunkScore(sample, videos, offset, count, chunk, ctx));
          scores.emplace_back(s);
        }
        offset += count;
        if (last) break;
      }
    }
    sample.stats().Set(kKey, StatValue(std::move(scores)));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    const StatValue* v = sample.stats().Find(kKey);
    if (v == nullptr) return Status::DataError(std::string("stat '") + kKey + "' is missing");
    if (!v->is_list()) return Status::DataError(std::string("stat '") + kKey + "' is not a list (one value per chunk)");
    if (v->list().empty()) return true;
    bool any = false, all = true;
    for (const StatScalar& x : v->list()) {
      auto d = ScalarAsNumber(x);
      if (!d) return Status::DataError(std::string("stat '") + kKey + "' has a non-number entry");
      const bool keep = KeepRange(*d, cfg_.min, cfg_.max);
      any = any || keep;
      all = all && keep;
    }
    return cfg_.any ? any : all;
  }

 private:
  // The chunk's text against every sampled frame of its videos (those of [offset, offset + count)),
  // reduced; 0 when the chunk has no frame (Data-Juicer).
  Result<double> ChunkScore(const Sample& sample, const std::vector<std::string>& videos, size_t offset, size_t count,
                            std::string_view chunk, WorkerContext& ctx) const {
    const int res = cfg_.model->image_res();
    const size_t per = static_cast<size_t>(res) * res * 3;
    std::vector<uint8_t> px;
    size_t n = 0;
    for (size_t i = offset; i < offset + count && i < videos.size(); ++i) {
      media::SampleVideo video(sample, video_key(), videos[i], ctx);
      JUICER_ASSIGN_OR_RETURN(auto frames, video.Frames(cfg_.sampling));
      for (const cv::Mat& f : frames->bgr) {
        px.resize((n + 1) * per);
        image_ops::PlaceOnSquare(f, false, res, cfg_.hflip, cfg_.vflip, &px[n * per]);
        ++n;
      }
    }
    if (n == 0) return 0.0;
    auto img = cfg_.model->EncodeImages(px, n);
    if (!img.ok()) return img.status().WithContext(sample.origin.ToString() + ": ");
    auto txt = cfg_.model->EncodeTexts({image_ops::RemoveSpecialTokens(chunk)});
    if (!txt.ok()) return txt.status().WithContext(sample.origin.ToString() + ": ");
    const int d = cfg_.model->dim();
    std::vector<double> cos;
    for (size_t k = 0; k < n; ++k) cos.push_back(image_ops::Dot(&(*img)[k * static_cast<size_t>(d)], txt->data(), d));
    return Reduce(cos, cfg_.reduce);
  }

  Config cfg_;
};

OpInfo Info() {
  OpInfo info;
  info.name = "video_frames_text_similarity_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kVideo;
  info.summary = "Keep samples whose text chunks and their videos' sampled frames are similar (clip scorer cosine).";
  info.description =
      "Stat video_frames_text_similarity: one float per text chunk that has <__dj__video> tokens (Data-Juicer's "
      "chunking: the text is cut at <|__dj__eoc|>, a chunk with k tokens takes the next k videos, special "
      "tokens are removed from its text): the cosine similarity between the chunk's text embedding and "
      "each sampled frame of its videos (horizontal_flip / vertical_flip applied to the frames), reduced by "
      "reduce_mode; 0 for a chunk without frames. Frames are sampled with frame_sampling_method / frame_num "
      "through the per-worker video cache. The model is image_text_similarity_filter's juicer-trained clip "
      "scorer (model_path, default third_party/models/clip-scorer from scripts/setup.sh), not OpenAI's "
      "CLIP: hf_clip and trust_remote_code are accepted and ignored, and Data-Juicer's thresholds (tuned on "
      "CLIP logits / 100) do not transfer. A sample without videos or chunks gets an empty list and is "
      "kept; any_or_all combines the chunks. Unavailable when the clip model is missing.";
  info.params = {ParamSpec{.name = "hf_clip", .type = ParamType::kString,
                           .default_value = std::string("openai/clip-vit-base-patch32"),
                           .doc = "Data-Juicer's Hugging Face CLIP: accepted and ignored (the model is model_path)",
                           .nullable = true},
                 ParamSpec{.name = "trust_remote_code", .type = ParamType::kBool, .default_value = false,
                           .doc = "accepted and ignored"},
                 FloatBound("min_score", 0.1, "chunks with a lower similarity fail"),
                 FloatBound("max_score", 1.0, "chunks with a higher similarity fail")};
  for (ParamSpec& p : FrameSamplingParams("all_keyframes")) info.params.push_back(std::move(p));
  info.params.push_back(ParamSpec{.name = "horizontal_flip", .type = ParamType::kBool, .default_value = false,
                                  .doc = "mirror each frame left-right first"});
  info.params.push_back(ParamSpec{.name = "vertical_flip", .type = ParamType::kBool, .default_value = false,
                                  .doc = "flip each frame upside down first"});
  info.params.push_back(AnyOrAllParam());
  info.params.push_back(ReduceModeParam());
  info.params.push_back(ParamSpec{.name = "model_path", .type = ParamType::kString, .default_value = std::monostate{},
                                  .doc = "juicer-trained clip model directory; null = third_party/models/clip-scorer",
                                  .nullable = true});
  info.stat_keys = {kKey};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    Config cfg;
    JUICER_ASSIGN_OR_RETURN(cfg.sampling, FrameSamplingOf(p));
    const std::string dir = p.IsNull("model_path") || p.GetString("model_path").empty()
                                ? image_ops::DefaultClipScorerDir()
                                : p.GetString("model_path");
    JUICER_ASSIGN_OR_RETURN(cfg.model, image_ops::ClipModel::Get(dir, i.name));
    cfg.hflip = p.GetBool("horizontal_flip");
    cfg.vflip = p.GetBool("vertical_flip");
    cfg.any = p.GetString("any_or_all") != "all";
    cfg.reduce = p.GetString("reduce_mode");
    cfg.min = p.GetOptDouble("min_score");
    cfg.max = p.GetOptDouble("max_score");
    return std::unique_ptr<Op>(std::make_unique<FramesTextSimilarity>(i, p, std::move(cfg)));
  };
  return info;
}

}  // namespace

Status RegisterVideoTextSimilarityFilter(OpRegistry& registry) { return registry.Add(Info()); }

}  // namespace juicer::video_ops
