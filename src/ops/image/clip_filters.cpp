// image_text_similarity_filter, image_text_matching_filter, image_pair_similarity_filter: scored by a
// juicer-trained clip model (no pretrained CLIP/BLIP is obtainable here; see docs/probes.md).
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/params.h"
#include "ops/image/clip_model.h"
#include "ops/image/image_filter_base.h"
#include "ops/image/clip_ops.h"
#include "ops/image/image_text_chunks.h"

namespace juicer::image_ops {

namespace {

enum class Score { kSimilarity, kMatching, kPair };

// Common construction: the model, and the bounds/keep strategy of every op.
struct ClipOpConfig {
  std::shared_ptr<const ClipModel> model;
  std::optional<double> min_score, max_score;
  bool any = true;
  bool hflip = false, vflip = false;
  std::string reduce = "avg";
  double bias = 0;  // matching: sigmoid(temperature * (cos - bias))
};

class ClipFilter final : public Filter {
 public:
  ClipFilter(const OpInfo& info, const OpParams& params, Score score, ClipOpConfig cfg)
      : Filter(info, params), score_(score), cfg_(std::move(cfg)), key_(info.stat_keys[0]) {}

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (sample.stats().Has(key_)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* paths, sample.GetStringList(image_key()));
    auto values = score_ == Score::kPair ? PairScore(sample, *paths, ctx) : ChunkScores(sample, *paths, ctx);
    if (!values.ok()) return values.status();
    std::vector<StatScalar> list(values->begin(), values->end());
    sample.stats().Set(key_, StatValue(std::move(list)));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    const StatValue* v = sample.stats().Find(key_);
    if (v == nullptr) return Status::DataError("stat '" + key_ + "' is missing");
    if (!v->is_list()) return Status::DataError("stat '" + key_ + "' is not a list");
    if (v->list().empty()) return true;
    bool any = false, all = true;
    for (const StatScalar& s : v->list()) {
      auto x = ScalarAsNumber(s);
      if (!x) return Status::DataError("stat '" + key_ + "' has a non-number entry");
      const bool keep = KeepRange(*x, cfg_.min_score, cfg_.max_score);
      any = any || keep;
      all = all && keep;
    }
    return cfg_.any ? any : all;
  }

 private:
  // Pixels of images [first, first + n) of the sample -> embeddings (one batch).
  Result<std::vector<float>> EmbedImages(const Sample& sample, const std::vector<std::string>& paths,
                                         const std::vector<size_t>& which, WorkerContext& ctx, bool flips) const {
    const int res = cfg_.model->image_res();
    const size_t per = static_cast<size_t>(res) * res * 3;
    std::vector<uint8_t> px(which.size() * per);
    for (size_t k = 0; k < which.size(); ++k) {
      media::SampleImage image(sample, image_key(), paths[which[k]], ctx);
      JUICER_RETURN_IF_ERROR(
          ClipPixelsCached(image, res, flips && cfg_.hflip, flips && cfg_.vflip, &px[k * per], ctx));
    }
    auto e = cfg_.model->EncodeImages(px, which.size());
    if (!e.ok()) return e.status().WithContext(sample.origin.ToString() + ": ");
    return e;
  }

  Result<std::vector<double>> ChunkScores(const Sample& sample, const std::vector<std::string>& paths,
                                          WorkerContext& ctx) const {
    if (paths.empty()) return std::vector<double>{};
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    auto chunks = SplitImageTextChunks(text, paths.size());
    if (!chunks.ok()) return chunks.status().WithContext(sample.origin.ToString() + ": field '" + text_key() + "': ");
    if (chunks->empty()) return std::vector<double>{};
    std::vector<size_t> which;
    std::vector<std::string> texts;
    for (const ImageTextChunk& c : *chunks) {
      texts.push_back(c.text);
      for (size_t i = 0; i < c.num_images; ++i) which.push_back(c.first_image + i);
    }
    JUICER_ASSIGN_OR_RETURN(std::vector<float> img, EmbedImages(sample, paths, which, ctx, true));
    auto txt = cfg_.model->EncodeTexts(texts);
    if (!txt.ok()) return txt.status().WithContext(sample.origin.ToString() + ": ");
    const int d = cfg_.model->dim();
    std::vector<double> out, per;
    size_t row = 0;
    for (size_t c = 0; c < chunks->size(); ++c) {
      per.clear();
      for (size_t i = 0; i < (*chunks)[c].num_images; ++i, ++row) {
        const double cos = Dot(&img[row * d], &(*txt)[c * d], d);
        per.push_back(score_ == Score::kMatching
                          ? 1.0 / (1.0 + std::exp(-cfg_.model->temperature() * (cos - cfg_.bias)))
                          : cos);
      }
      out.push_back(ReduceScores(per, cfg_.reduce));
    }
    return out;
  }

  Result<std::vector<double>> PairScore(const Sample& sample, const std::vector<std::string>& paths,
                                        WorkerContext& ctx) const {
    if (paths.empty()) return std::vector<double>{};
    if (paths.size() != 2 || paths[0] == paths[1]) {
      return Status::DataError(sample.origin.ToString() + ": field '" + image_key() +
                               "': image_pair_similarity_filter needs exactly two different images, got " +
                               std::to_string(paths.size()) + (paths.size() == 2 ? " (the same path twice)" : ""));
    }
    JUICER_ASSIGN_OR_RETURN(std::vector<float> img, EmbedImages(sample, paths, {0, 1}, ctx, false));
    return std::vector<double>{Dot(&img[0], &img[static_cast<size_t>(cfg_.model->dim())], cfg_.model->dim())};
  }

  Score score_;
  ClipOpConfig cfg_;
  std::string key_;
};

ParamSpec ModelPathParam() {
  return ParamSpec{.name = "model_path",
                   .type = ParamType::kString,
                   .default_value = std::monostate{},
                   .doc = "directory of a juicer-trained clip model (`juicer train --task clip`); null = the "
                          "default scorer third_party/models/clip-scorer trained by scripts/setup.sh",
                   .nullable = true};
}

ParamSpec IgnoredHfParam(const std::string& name, const std::string& def) {
  return ParamSpec{.name = name,
                   .type = ParamType::kString,
                   .default_value = def,
                   .doc = "Data-Juicer's Hugging Face model name: accepted and ignored (no Hugging Face models "
                          "here); the model is model_path",
                   .nullable = true};
}

ParamSpec TrustRemoteCodeParam() {
  return ParamSpec{.name = "trust_remote_code", .type = ParamType::kBool, .default_value = false,
                   .doc = "accepted and ignored (Data-Juicer's Hugging Face loader option)"};
}

ParamSpec ScoreParam(const std::string& name, double def, const std::string& doc) {
  return ParamSpec{.name = name, .type = ParamType::kFloat, .default_value = def, .doc = doc};
}

ParamSpec FlipParam(const std::string& name, const std::string& doc) {
  return ParamSpec{.name = name, .type = ParamType::kBool, .default_value = false, .doc = doc};
}

ParamSpec ReduceParam() {
  return ParamSpec{.name = "reduce_mode",
                   .type = ParamType::kString,
                   .default_value = std::string("avg"),
                   .doc = "how the scores of a chunk's images are combined: 'avg', 'max' or 'min'",
                   .choices = {"avg", "max", "min"}};
}

Result<ClipOpConfig> MakeConfig(const OpInfo& info, const OpParams& p, Score score) {
  ClipOpConfig cfg;
  const std::string dir = p.IsNull("model_path") || p.GetString("model_path").empty() ? DefaultClipScorerDir()
                                                                                      : p.GetString("model_path");
  JUICER_ASSIGN_OR_RETURN(cfg.model, ClipModel::Get(dir, info.name));
  cfg.min_score = p.GetDouble("min_score");
  cfg.max_score = p.GetDouble("max_score");
  cfg.any = p.GetString("any_or_all") != "all";
  if (score != Score::kPair) {
    cfg.hflip = p.GetBool("horizontal_flip");
    cfg.vflip = p.GetBool("vertical_flip");
    cfg.reduce = p.GetString("reduce_mode");
  }
  if (score == Score::kMatching) {
    if (!p.IsNull("matching_bias")) {
      cfg.bias = p.GetDouble("matching_bias");
    } else {
      auto b = cfg.model->MatchingBias();
      if (!b.ok()) {
        return Status::Unavailable(info.name + ": the clip model '" + dir + "' has no calibration for the " +
                                   "matching score (" + b.status().message() + "); pass matching_bias: <cosine>");
      }
      cfg.bias = *b;
    }
  }
  return cfg;
}

template <Score S>
Result<std::unique_ptr<Op>> Make(const OpInfo& info, const OpParams& p) {
  JUICER_ASSIGN_OR_RETURN(ClipOpConfig cfg, MakeConfig(info, p, S));
  return std::unique_ptr<Op>(std::make_unique<ClipFilter>(info, p, S, std::move(cfg)));
}

constexpr const char* kModelDoc =
    "The model is a juicer-trained CLIP-style probe (`juicer train --task clip`, docs/probes.md: a small CNN "
    "image encoder at 32 px and a 1-layer text transformer, embeddings L2-normalised), not OpenAI's CLIP or "
    "BLIP: there are no pretrained Hugging Face models here, so hf_clip/hf_blip and trust_remote_code are "
    "accepted and ignored. model_path names the model directory; without it the op uses the default scorer "
    "third_party/models/clip-scorer, which scripts/setup.sh trains (clip xs, seed 1, 300 steps x 128, 46 s "
    "on 2 cores) on the train split of the `demo` dataset (1,242 emoji and Tux Paint stamps with clean "
    "captions), held apart from its eval splits. On demo's held-out eval_retrieval (133 pairs) it reaches "
    "image->text R@1 0.165, R@10 0.489 and text->image R@1 0.158, R@10 0.534 (chance R@1 0.0075, R@10 "
    "0.075); there, matched pairs average cosine 0.35 against 0.01 for shuffled ones, and the matched pair scores higher in 111 of 133 cases. It knows only that kind of image and caption: treat its scores on other "
    "data as weak, and train a model on clean data of your own domain for real use. Without the model the "
    "op is Unavailable with a message saying what to run or pass. Images are prepared as the trainer "
    "prepares them (alpha composited on white, longer side scaled to the model's resolution, centred on a "
    "white square); images without alpha are decoded through the shared per-worker image cache, and the "
    "prepared pixels are cached per worker for every clip op of the recipe (4,096 images). Each "
    "sample's images and texts are embedded in one batch per sample, on the calling worker thread with one "
    "torch thread.";

constexpr const char* kChunkDoc =
    "Chunks follow Data-Juicer: the text is split at <|__dj__eoc|>; a chunk without <__dj__image> tokens "
    "is skipped; a chunk with k tokens takes the sample's next k images (fewer when images run out, as "
    "DJ's list slicing; none left is a per-sample error); the chunk's text has every DJ special token "
    "removed (then stripped) before encoding. The stat is a list with one value per scored chunk, the "
    "chunk's image scores combined by reduce_mode (avg/max/min); horizontal_flip / vertical_flip mirror "
    "each image first. A sample is kept when any (any_or_all: any) or every (all) chunk score lies in "
    "[min_score, max_score] (closed by default; the common min/max_closed_interval and reversed_range "
    "params apply); a sample without images or without scored chunks is kept with an empty list.";

OpInfo SimilarityInfo() {
  OpInfo info;
  info.name = "image_text_similarity_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImageText;
  info.summary = "Keep samples whose image-text cosine similarity (per text chunk) is within [min_score, max_score].";
  info.description =
      std::string("Stat image_text_similarity (list of floats, one per chunk): the cosine similarity of "
                  "the clip model's L2-normalised image and text embeddings, in [-1, 1], as DJ's "
                  "logits_per_text / 100 is for OpenAI CLIP (whose logit scale is 100). ") +
      kChunkDoc + " " + kModelDoc +
      " The scale differs from OpenAI CLIP's (whose matched pairs sit around 0.3): DJ's thresholds "
      "(min_score 0.1) do not carry over as they are; calibrate min_score on your data.";
  info.params = {IgnoredHfParam("hf_clip", "openai/clip-vit-base-patch32"),
                 TrustRemoteCodeParam(),
                 ModelPathParam(),
                 ScoreParam("min_score", 0.1, "chunks with a lower cosine similarity fail"),
                 ScoreParam("max_score", 1.0, "chunks with a higher cosine similarity fail"),
                 FlipParam("horizontal_flip", "mirror each image left to right first"),
                 FlipParam("vertical_flip", "flip each image top to bottom first"),
                 AnyOrAllParam(),
                 ReduceParam()};
  info.stat_keys = {"image_text_similarity"};
  info.factory = &Make<Score::kSimilarity>;
  return info;
}

OpInfo MatchingInfo() {
  OpInfo info;
  info.name = "image_text_matching_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImageText;
  info.summary = "Keep samples whose image-text matching probability (per text chunk) is within [min_score, max_score].";
  info.description =
      std::string("Stat image_text_matching_score (list of floats in (0, 1), one per chunk). DJ uses BLIP's "
                  "image-text-matching head (softmax of a 2-way match/no-match classifier); the clip probe "
                  "is contrastive and has no such head, so the score per image is a calibrated sigmoid of "
                  "its cosine similarity s with the chunk's text: p = 1 / (1 + exp(-T * (s - b))), where T "
                  "is the model's learned InfoNCE temperature (exp(logit_scale), clamped at 100: the scale "
                  "its training turned cosines into logits with) and b is the midpoint between the mean "
                  "cosine of matched pairs (i, i) and of mismatched pairs (i, j != i) of held-out clean "
                  "pairs embedded into DIR/calibration_embeddings.bin (`juicer encode`; scripts/setup.sh "
                  "writes it for the default scorer from demo's eval_caption split; measured on the splits "
                  "before near-duplicate siblings were kept together: matched 0.347, mismatched 0.009, "
                  "b = 0.178), else of the model's first 64 training pairs "
                  "(DIR/embeddings_check.bin, written by the trainer; training pairs sit higher, so b is "
                  "then too strict), or matching_bias when given. This is the 2-way softmax of the pair's logit against a 'typical boundary' "
                  "logit: p = 0.5 at b, near 1 for well-matched pairs, near 0 for mismatched ones. ") +
      kChunkDoc + " " + kModelDoc;
  info.params = {IgnoredHfParam("hf_blip", "Salesforce/blip-itm-base-coco"),
                 TrustRemoteCodeParam(),
                 ModelPathParam(),
                 ScoreParam("min_score", 0.003, "chunks with a lower matching probability fail"),
                 ScoreParam("max_score", 1.0, "chunks with a higher matching probability fail"),
                 FlipParam("horizontal_flip", "mirror each image left to right first"),
                 FlipParam("vertical_flip", "flip each image top to bottom first"),
                 AnyOrAllParam(),
                 ReduceParam(),
                 ParamSpec{.name = "matching_bias",
                           .type = ParamType::kFloat,
                           .default_value = std::monostate{},
                           .doc = "the cosine b at which the matching probability is 0.5; null = calibrated "
                                  "from the model's training pairs (juicer only)",
                           .nullable = true}};
  info.stat_keys = {"image_text_matching_score"};
  info.factory = &Make<Score::kMatching>;
  return info;
}

OpInfo PairInfo() {
  OpInfo info;
  info.name = "image_pair_similarity_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose two images' embedding cosine similarity is within [min_score, max_score].";
  info.description =
      std::string("Stat image_pair_similarity (a list of one float): the cosine similarity of the clip "
                  "model's image embeddings of the sample's two images. As in DJ, a sample with images must have "
                  "exactly two, with different paths (otherwise a per-sample error), and no flips apply; "
                  "unlike DJ (which raises), a sample without images gets an empty list and is kept. Kept "
                  "when the value lies in [min_score, max_score] (any_or_all over the one-element list). ") +
      kModelDoc +
      " The small probe's image embeddings are close for visually similar images (same colours and layout) "
      "more than for the same object drawn differently; they are much weaker than OpenAI CLIP's.";
  info.params = {IgnoredHfParam("hf_clip", "openai/clip-vit-base-patch32"),
                 TrustRemoteCodeParam(),
                 ModelPathParam(),
                 ParamSpec{.name = "min_score", .type = ParamType::kFloat, .default_value = 0.1,
                           .doc = "pairs with a lower cosine similarity fail", .min_value = 0.0, .max_value = 1.0},
                 ParamSpec{.name = "max_score", .type = ParamType::kFloat, .default_value = 1.0,
                           .doc = "pairs with a higher cosine similarity fail", .min_value = 0.0, .max_value = 1.0},
                 AnyOrAllParam()};
  info.stat_keys = {"image_pair_similarity"};
  info.factory = &Make<Score::kPair>;
  return info;
}

}  // namespace

}  // namespace juicer::image_ops

namespace juicer {

Status RegisterImageTextOps(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(image_ops::SimilarityInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(image_ops::MatchingInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(image_ops::PairInfo()));
  return Status::OK();
}

}  // namespace juicer
