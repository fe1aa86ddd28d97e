// image_nsfw_filter and image_deduplicator's embedding method, both on nsfwjs's MobileNetV2.
#include "ops/image/image_hash.h"
#include "ops/image/nsfw_ops.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include <opencv2/imgproc.hpp>

#include "ops/dedup/document_deduplicator.h"
#include "ops/image/image_filter_base.h"
#include "ops/image/nsfw_model.h"
#include "media/image_io.h"

namespace juicer {
namespace image_ops {

namespace {

constexpr const char* kScoreKey = "image_nsfw_score";

// Decodes every image of the sample (through the worker's image cache) and runs the model on them as
// one batch. Empty outputs for a sample without images. With `area`, images are first resized to the
// model's input size with OpenCV's INTER_AREA (an antialiased downscale) instead of nsfwjs's plain
// bilinear sampling, which aliases on large images: the embedding ops use it, as it makes the features
// stable across rescaled copies of an image (cosine 0.98-1.0 between an image and its half-size copy,
// 0.6-0.9 without).
Status RunOnSample(const NsfwModel& model, const Sample& sample, const std::string& key, WorkerContext& ctx,
                   std::vector<float>* probs, std::vector<float>* emb, size_t* count, bool area = false) {
  JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* paths, sample.GetStringList(key));
  *count = paths->size();
  std::vector<std::shared_ptr<const cv::Mat>> mats;
  std::vector<const cv::Mat*> ptrs;
  for (const std::string& path : *paths) {
    media::SampleImage image(sample, key, path, ctx);
    JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, image.Pixels());
    const int side = model.input_size();
    if (area && (m->rows != side || m->cols != side)) {
      auto small = std::make_shared<cv::Mat>();
      cv::resize(*m, *small, cv::Size(side, side), 0, 0, cv::INTER_AREA);
      m = std::move(small);
    }
    ptrs.push_back(m.get());
    mats.push_back(std::move(m));
  }
  if (ptrs.empty()) return Status::OK();
  const Status st = model.Run(ptrs, probs, emb);
  if (!st.ok()) {
    std::string names;
    for (const std::string& p : *paths) names += (names.empty() ? "" : ", ") + p;
    return st.WithContext("field '" + key + "' (" + names + "): ");
  }
  return Status::OK();
}

// The model directory of an op: model_path, else hf_nsfw_model when it names a local tfjs model
// directory, else the default (setup-installed) one.
std::string ModelDir(const OpParams& p) {
  if (p.Has("model_path") && !p.GetString("model_path").empty()) return p.GetString("model_path");
  if (p.Has("hf_nsfw_model")) {
    const std::string& hf = p.GetString("hf_nsfw_model");
    std::error_code ec;
    if (!hf.empty() && std::filesystem::is_regular_file(hf + "/model.json", ec)) return hf;
  }
  return NsfwModel::DefaultDir();
}

class NsfwFilter final : public Filter {
 public:
  NsfwFilter(const OpInfo& info, const OpParams& params, std::shared_ptr<const NsfwModel> model)
      : Filter(info, params),
        model_(std::move(model)),
        min_(params.GetOptDouble("min_score")),
        max_(params.GetOptDouble("max_score")),
        any_(params.GetString("any_or_all") != "all") {}

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (sample.stats().Has(kScoreKey)) return Status::OK();
    std::vector<float> probs;
    size_t n = 0;
    JUICER_RETURN_IF_ERROR(RunOnSample(*model_, sample, image_key(), ctx, &probs, nullptr, &n));
    std::vector<StatScalar> scores;
    const size_t c = static_cast<size_t>(model_->num_classes());
    for (size_t i = 0; i < n; ++i) {
      const float* p = probs.data() + i * c;
      scores.emplace_back(static_cast<double>(p[kPorn]) + p[kHentai] + p[kSexy]);
    }
    sample.stats().Set(kScoreKey, StatValue(std::move(scores)));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    const StatValue* v = sample.stats().Find(kScoreKey);
    if (v == nullptr) return Status::DataError(std::string("stat '") + kScoreKey + "' is missing");
    if (!v->is_list()) return Status::DataError(std::string("stat '") + kScoreKey + "' is not a list (one value per image)");
    if (v->list().empty()) return true;
    bool any = false, all = true;
    for (const StatScalar& s : v->list()) {
      auto x = ScalarAsNumber(s);
      if (!x) return Status::DataError(std::string("stat '") + kScoreKey + "' has a non-number entry");
      const bool keep = KeepRange(*x, min_, max_);
      any = any || keep;
      all = all && keep;
    }
    return any_ ? any : all;
  }

 private:
  std::shared_ptr<const NsfwModel> model_;
  std::optional<double> min_, max_;
  bool any_;
};

OpInfo NsfwFilterInfo() {
  OpInfo info;
  info.name = "image_nsfw_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose images' NSFW score (nsfwjs MobileNetV2: P(porn)+P(hentai)+P(sexy)) is in range.";
  info.description =
      "Stat image_nsfw_score (list of floats, one per image, empty without images; an existing stat is kept) "
      "= P(Porn) + P(Hentai) + P(Sexy) of nsfwjs's MobileNetV2 classifier (npm nsfwjs@4.4.0; classes "
      "Drawing, Hentai, Neutral, Porn, Sexy), i.e. 1 - P(Drawing) - P(Neutral): the probability that the "
      "image is sexual content, photographic or drawn. An image passes when min_score <= score <= "
      "max_score; any_or_all combines the images; a sample without images is kept. The model is the "
      "TensorFlow.js layers model scripts/setup.sh unpacks from nsfwjs's bundles into "
      "<models dir>/nsfw_mobilenet_v2 (node needed at setup time only), rebuilt in libtorch layer by "
      "layer from its model.json with the uint8-quantized weights dequantized as tfjs does; its class "
      "probabilities match tfjs's within 1e-3 (scripts/nsfw_verify.js). Preprocessing is nsfwjs's: RGB "
      "/ 255, bilinear resize with align_corners to 224x224 (aspect ratio not kept). A sample's images "
      "run as one batch on the worker's thread; decoding goes through the per-worker image cache. "
      "Differs from Data-Juicer, whose score is P(nsfw) of the Hugging Face model "
      "Falconsai/nsfw_image_detection (a ViT, not obtainable here): same name, params, defaults and stat "
      "key, but scores are a different model's, so thresholds tuned on Data-Juicer's scores (its tests "
      "use max_score 0.0005) do not transfer; hf_nsfw_model and trust_remote_code are accepted and "
      "ignored (hf_nsfw_model is used as the model directory when it is a local directory holding a "
      "model.json). Unavailable until scripts/setup.sh has installed the model.";
  info.params = {
      ParamSpec{.name = "hf_nsfw_model", .type = ParamType::kString,
                .default_value = std::string("Falconsai/nsfw_image_detection"),
                .doc = "Data-Juicer's Hugging Face model: ignored unless it is a local tfjs model directory"},
      ParamSpec{.name = "trust_remote_code", .type = ParamType::kBool, .default_value = false,
                .doc = "accepted for Data-Juicer compatibility; ignored"},
      FloatBound("min_score", 0.0, "images with a lower NSFW score fail"),
      FloatBound("max_score", 0.5, "images with a higher NSFW score fail"),
      AnyOrAllParam(),
      ParamSpec{.name = "model_path", .type = ParamType::kString, .default_value = std::string(""),
                .doc = "tfjs layers model directory (model.json + shards); empty = <models dir>/nsfw_mobilenet_v2"},
  };
  info.stat_keys = {kScoreKey};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    auto model = NsfwModel::Open(ModelDir(p));
    if (!model.ok()) return model.status().WithContext(i.name + ": ");
    return std::unique_ptr<Op>(std::make_unique<NsfwFilter>(i, p, *model));
  };
  return info;
}

// ---- image_deduplicator, method: embedding ----

constexpr std::string_view kEmbPrefix = "emb1:";

std::string Base64(const void* data, size_t n) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* b = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  for (size_t i = 0; i < n; i += 3) {
    const uint32_t v = (uint32_t{b[i]} << 16) | (i + 1 < n ? uint32_t{b[i + 1]} << 8 : 0) | (i + 2 < n ? b[i + 2] : 0);
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += i + 1 < n ? k[(v >> 6) & 63] : '=';
    out += i + 2 < n ? k[v & 63] : '=';
  }
  return out;
}

bool Unbase64(std::string_view s, std::string* out) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
  };
  if (s.size() % 4 != 0) return false;
  out->clear();
  for (size_t i = 0; i < s.size(); i += 4) {
    int v[4];
    for (int j = 0; j < 4; ++j) v[j] = s[i + j] == '=' ? 0 : val(s[i + j]);
    if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0) return false;
    const uint32_t x = (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out->push_back(static_cast<char>(x >> 16));
    if (s[i + 2] != '=') out->push_back(static_cast<char>((x >> 8) & 255));
    if (s[i + 3] != '=') out->push_back(static_cast<char>(x & 255));
  }
  return true;
}

void Normalize(float* v, size_t d) {
  double s = 0;
  for (size_t i = 0; i < d; ++i) s += double{v[i]} * v[i];
  const double inv = s > 0 ? 1.0 / std::sqrt(s) : 0.0;
  for (size_t i = 0; i < d; ++i) v[i] = static_cast<float>(v[i] * inv);
}

struct Kept {
  uint64_t pos = 0, first_dup = 0, dups = 0;
};

struct EmbDedupState final : DatasetState {
  // Per key (text hash with consider_text, else one group): kept samples and their unit vectors.
  struct Group {
    std::vector<size_t> kept;  // indices into `all`
    std::vector<float> vecs;   // kept.size() * dim
    std::optional<size_t> no_image;  // consider_text: the kept sample without images
  };
  std::unordered_map<std::string, Group> groups;
  std::vector<Kept> all;
  std::vector<uint64_t> positions;
  uint64_t n = 0;
  std::string buf;
};

class EmbeddingDeduplicator final : public DatasetOp {
 public:
  EmbeddingDeduplicator(const OpInfo& info, const OpParams& params, std::shared_ptr<const NsfwModel> model)
      : DatasetOp(info, params),
        model_(std::move(model)),
        threshold_(params.GetDouble("embedding_threshold")),
        consider_text_(params.GetBool("consider_text")),
        lowercase_(params.GetBool("lowercase")),
        ignore_non_character_(params.GetBool("ignore_non_character")) {}

  Status Prepare(Sample& sample, WorkerContext& ctx) const override {
    if (consider_text_ && !sample.Has(fields::kHash)) {
      JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
      std::string hex;
      JUICER_RETURN_IF_ERROR(dedup::DocumentHashHex(text, lowercase_, ignore_non_character_, &ctx.scratch, &hex));
      sample.SetString(fields::kHash, hex);
    }
    if (const Sample::Field* f = sample.Find(fields::kImageHash); f != nullptr) {
      const std::string v = HashFieldString(*f);
      if (v.empty() || v.rfind(kEmbPrefix, 0) == 0) return Status::OK();  // ours; a perceptual hash is redone
    }
    std::vector<float> probs, emb;
    size_t n = 0;
    JUICER_RETURN_IF_ERROR(RunOnSample(*model_, sample, image_key(), ctx, &probs, &emb, &n, /*area=*/true));
    if (n == 0) {
      sample.SetString(fields::kImageHash, "");
      return Status::OK();
    }
    const size_t d = static_cast<size_t>(model_->embedding_dim());
    std::vector<float> mean(d, 0.0f);
    for (size_t i = 0; i < n; ++i) {
      Normalize(emb.data() + i * d, d);
      for (size_t k = 0; k < d; ++k) mean[k] += emb[i * d + k];
    }
    Normalize(mean.data(), d);
    sample.SetString(fields::kImageHash, std::string(kEmbPrefix) + Base64(mean.data(), d * sizeof(float)));
    return Status::OK();
  }

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<EmbDedupState>(); }

  std::optional<std::vector<std::string>> ObservedFields() const override {
    return std::vector<std::string>{std::string(fields::kImageHash), std::string(fields::kHash)};
  }

  Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const override {
    auto& st = static_cast<EmbDedupState&>(state);
    ++st.n;
    const Sample::Field* img = sample.Find(fields::kImageHash);
    JUICER_CHECK_INTERNAL(img != nullptr, "image_deduplicator: sample observed without __dj__imagehash");
    const std::string v = HashFieldString(*img);
    std::string key;
    if (consider_text_) {
      const Sample::Field* txt = sample.Find(fields::kHash);
      JUICER_CHECK_INTERNAL(txt != nullptr, "image_deduplicator: sample observed without __dj__hash");
      key = HashFieldString(*txt);
    }
    auto keep = [&](EmbDedupState::Group& g) {
      g.kept.push_back(st.all.size());
      st.all.push_back(Kept{pos, 0, 0});
      st.positions.push_back(pos);
    };
    auto dup = [&](size_t of) {
      Kept& k = st.all[of];
      if (k.dups++ == 0) k.first_dup = pos;
    };
    if (v.empty()) {  // no image: always kept, unless consider_text finds the same text without images
      if (!consider_text_) {
        st.all.push_back(Kept{pos, 0, 0});
        st.positions.push_back(pos);
        return Status::OK();
      }
      EmbDedupState::Group& g = st.groups[key];
      if (g.no_image) {
        dup(*g.no_image);
      } else {
        g.no_image = st.all.size();
        st.all.push_back(Kept{pos, 0, 0});
        st.positions.push_back(pos);
      }
      return Status::OK();
    }
    const size_t d = static_cast<size_t>(model_->embedding_dim());
    if (v.rfind(kEmbPrefix, 0) != 0 || !Unbase64(std::string_view(v).substr(kEmbPrefix.size()), &st.buf) ||
        st.buf.size() != d * sizeof(float))
      return Status::DataError("__dj__imagehash is not an image embedding of this model");
    const float* e = reinterpret_cast<const float*>(st.buf.data());
    EmbDedupState::Group& g = st.groups[key];
    for (size_t j = 0; j < g.kept.size(); ++j) {
      const float* o = g.vecs.data() + j * d;
      double dot = 0;
      for (size_t k = 0; k < d; ++k) dot += double{e[k]} * o[k];
      if (dot >= threshold_) {
        dup(g.kept[j]);
        return Status::OK();
      }
    }
    g.vecs.insert(g.vecs.end(), e, e + d);
    keep(g);
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext& ctx) const override {
    auto& st = static_cast<EmbDedupState&>(state);
    Selection sel;
    if (st.n <= 1) {
      for (uint64_t i = 0; i < st.n; ++i) sel.positions.push_back(i);
      return sel;
    }
    sel.positions = std::move(st.positions);
    std::vector<Kept> dups;
    for (const Kept& k : st.all)
      if (k.dups > 0) dups.push_back(k);
    std::stable_sort(dups.begin(), dups.end(), [](const Kept& a, const Kept& b) { return a.dups > b.dups; });
    for (size_t i = 0; i < dups.size() && static_cast<int>(i) < ctx.trace_num; ++i)
      sel.pairs.push_back(DuplicatePair{dups[i].pos, dups[i].first_dup});
    return sel;
  }

 private:
  std::shared_ptr<const NsfwModel> model_;
  double threshold_;
  bool consider_text_, lowercase_, ignore_non_character_;
};

// ---- image_embedding_mapper ----

class EmbeddingMapper final : public Mapper {
 public:
  EmbeddingMapper(const OpInfo& info, const OpParams& params, std::shared_ptr<const NsfwModel> model)
      : Mapper(info, params),
        model_(std::move(model)),
        key_(params.GetString("embedding_key")),
        normalize_(params.GetBool("normalize")) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    std::vector<float> probs, emb;
    size_t n = 0;
    JUICER_RETURN_IF_ERROR(RunOnSample(*model_, sample, image_key(), ctx, &probs, &emb, &n, /*area=*/true));
    const size_t d = static_cast<size_t>(model_->embedding_dim());
    std::string json = "[";
    char buf[32];
    for (size_t i = 0; i < n; ++i) {
      if (normalize_) Normalize(emb.data() + i * d, d);
      json += i ? ",[" : "[";
      for (size_t k = 0; k < d; ++k) {
        const int len = std::snprintf(buf, sizeof buf, "%s%.6g", k ? "," : "", static_cast<double>(emb[i * d + k]));
        json.append(buf, static_cast<size_t>(len));
      }
      json += "]";
    }
    json += "]";
    sample.SetRaw(key_, std::move(json), JsonType::kArray);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  std::shared_ptr<const NsfwModel> model_;
  std::string key_;
  bool normalize_;
};

OpInfo EmbeddingMapperInfo() {
  OpInfo info;
  info.name = "image_embedding_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kImage;
  info.summary = "Write each image's 1280-d MobileNetV2 feature vector (nsfwjs's backbone) into a sample field.";
  info.description =
      "juicer only (Data-Juicer has no such op). Sets the field embedding_key to a list with one list of "
      "1280 floats per image (in the order of the image field; [] without images): the pooled backbone "
      "features of nsfwjs's MobileNetV2, i.e. the input of its classifier head, the same vectors "
      "image_deduplicator's embedding method compares (same model and preprocessing as "
      "image_nsfw_filter, except that each image is first resized to 224x224 with OpenCV's INTER_AREA, "
      "an antialiased downscale that makes the features stable across rescaled copies). With normalize (default) each vector has unit L2 norm, so a dot product is the "
      "cosine similarity. Values are written with 6 significant digits (about 12 KB of JSON per image). "
      "For diversity analysis and semantic deduplication outside juicer. Unavailable until "
      "scripts/setup.sh has installed the model.";
  info.params = {
      ParamSpec{.name = "embedding_key", .type = ParamType::kString, .default_value = std::string("image_embedding"),
                .doc = "field written: one list of floats per image"},
      ParamSpec{.name = "normalize", .type = ParamType::kBool, .default_value = true,
                .doc = "scale each vector to unit L2 norm"},
      ParamSpec{.name = "model_path", .type = ParamType::kString, .default_value = std::string(""),
                .doc = "tfjs layers model directory; empty = <models dir>/nsfw_mobilenet_v2"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    auto model = NsfwModel::Open(ModelDir(p));
    if (!model.ok()) return model.status().WithContext(i.name + ": ");
    return std::unique_ptr<Op>(std::make_unique<EmbeddingMapper>(i, p, *model));
  };
  return info;
}

}  // namespace

Result<std::unique_ptr<Op>> MakeEmbeddingDeduplicator(const OpInfo& info, const OpParams& params) {
  auto model = NsfwModel::Open(ModelDir(params));
  if (!model.ok()) return model.status().WithContext(info.name + " (method: embedding): ");
  return std::unique_ptr<Op>(std::make_unique<EmbeddingDeduplicator>(info, params, *model));
}

}  // namespace image_ops

Status RegisterNsfwOps(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(image_ops::NsfwFilterInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(image_ops::EmbeddingMapperInfo()));
  return Status::OK();
}

}  // namespace juicer
