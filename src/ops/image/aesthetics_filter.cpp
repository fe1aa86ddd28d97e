// image_aesthetics_filter: Data-Juicer's op (names, params, stat key) scored by a documented heuristic
// over measured image signals, since no learned aesthetics predictor is available to juicer.
#include <simdjson.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <memory>

#include <opencv2/imgproc.hpp>

#include "ops/image/aesthetics.h"
#include "ops/image/image_filter_base.h"
#include "ops/image/image_ops.h"
#include "ops/image/image_quality.h"

namespace juicer::image_ops {

const std::array<const char*, kAestheticTerms>& AestheticTermNames() {
  static const std::array<const char*, kAestheticTerms> kNames = {"brisque", "sharpness", "colorfulness",
                                                                  "exposure", "clipping", "resolution"};
  return kNames;
}

AestheticsModel DefaultAestheticsModel() {
  AestheticsModel m;
  m.terms = {{
      {0.30, 45.0, -12.0},  // brisque: BRISQUE score, lower is better
      {0.25, 2.0, 0.35},    // sharpness: log10(1 + variance of the Laplacian)
      {0.10, 25.0, 12.0},   // colorfulness: Hasler-Suesstrunk M
      {0.10, 0.30, -0.07},  // exposure: |mean luma - 0.5|
      {0.10, 0.25, -0.06},  // clipping: fraction of pixels with luma <= 4 or >= 251
      {0.15, 8.0, 0.75},    // resolution: log2(sqrt(width * height)) of the full image
  }};
  return m;
}

Result<AestheticsModel> LoadAestheticsModel(const std::string& path) {
  AestheticsModel m = DefaultAestheticsModel();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.load(path).get(root); err)
    return Status::InvalidArgument("model_path '" + path + "': cannot read JSON: " + simdjson::error_message(err));
  simdjson::dom::object terms;
  if (root["terms"].get(terms))
    return Status::InvalidArgument("model_path '" + path + "': expected an object with a \"terms\" object");
  for (auto [key, value] : terms) {
    size_t k = 0;
    while (k < kAestheticTerms && key != AestheticTermNames()[k]) ++k;
    if (k == kAestheticTerms)
      return Status::InvalidArgument("model_path '" + path + "': unknown term '" + std::string(key) +
                                     "' (terms: brisque, sharpness, colorfulness, exposure, clipping, resolution)");
    AestheticTerm& t = m.terms[k];
    for (auto [field, dst] : {std::pair<const char*, double*>{"weight", &t.weight}, {"center", &t.center},
                              {"scale", &t.scale}}) {
      simdjson::dom::element e;
      if (value[field].get(e)) continue;  // absent: default
      double d = 0;
      if (e.is_int64()) d = static_cast<double>(int64_t(e));
      else if (e.get_double().get(d))
        return Status::InvalidArgument("model_path '" + path + "': terms." + std::string(key) + "." + field +
                                       " is not a number");
      *dst = d;
    }
    if (t.weight < 0 || t.scale == 0)
      return Status::InvalidArgument("model_path '" + path + "': terms." + std::string(key) +
                                     ": weight must be >= 0 and scale non-zero");
  }
  double total = 0;
  for (const AestheticTerm& t : m.terms) total += t.weight;
  if (total <= 0) return Status::InvalidArgument("model_path '" + path + "': all weights are 0");
  return m;
}

Result<AestheticSignals> MeasureAestheticSignals(const cv::Mat& bgr, const AestheticsModel& model,
                                                 BrisqueState& brisque) {
  AestheticSignals s{};
  s.x[5] = std::log2(std::sqrt(static_cast<double>(bgr.cols) * bgr.rows));
  // the pixel signals on a copy whose longer side is at most 512 (area-averaged), so they do not
  // depend on the resolution, which has its own term
  cv::Mat work = bgr;
  const int longer = std::max(bgr.cols, bgr.rows);
  if (longer > kAestheticWorkSide) {
    const double f = static_cast<double>(kAestheticWorkSide) / longer;
    cv::resize(bgr, work, cv::Size(std::max(1, cvRound(bgr.cols * f)), std::max(1, cvRound(bgr.rows * f))), 0, 0,
               cv::INTER_AREA);
  }
  if (model.terms[0].weight > 0) {
    JUICER_ASSIGN_OR_RETURN(s.x[0], BrisqueScore(brisque, kBrisqueModel, kBrisqueRange, work));
  }
  s.x[1] = std::log10(1.0 + LaplacianVariance(work));
  s.x[2] = Colorfulness(work);
  cv::Mat grey;
  cv::cvtColor(work, grey, cv::COLOR_BGR2GRAY);
  uint64_t sum = 0, clipped = 0;
  for (int y = 0; y < grey.rows; ++y) {
    const uchar* p = grey.ptr<uchar>(y);
    for (int x = 0; x < grey.cols; ++x) {
      sum += p[x];
      clipped += (p[x] <= 4 || p[x] >= 251) ? 1 : 0;
    }
  }
  const double n = static_cast<double>(grey.total());
  s.x[3] = std::fabs(static_cast<double>(sum) / n / 255.0 - 0.5);
  s.x[4] = static_cast<double>(clipped) / n;
  return s;
}

double AestheticsScore(const AestheticSignals& s, const AestheticsModel& model) {
  double num = 0, den = 0;
  for (size_t k = 0; k < kAestheticTerms; ++k) {
    const AestheticTerm& t = model.terms[k];
    if (t.weight <= 0) continue;
    num += t.weight / (1.0 + std::exp(-(s.x[k] - t.center) / t.scale));
    den += t.weight;
  }
  return den > 0 ? num / den : 0.0;
}

namespace {

OpInfo AestheticsInfo() {
  OpInfo info;
  info.name = "image_aesthetics_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose images' aesthetics score is within [min_score, max_score] (juicer: a "
                 "documented heuristic of measured quality signals, NOT a learned aesthetics model).";
  info.description =
      "Stat image_aesthetics_scores (list of floats in [0, 1], one per image, empty without images); an "
      "image passes when min_score <= score <= max_score; any_or_all combines the images; a sample "
      "without images is kept (Data-Juicer's names, params, defaults and stat key). WHAT THE SCORE IS: "
      "Data-Juicer scores with a CLIP-based LAION aesthetics predictor (its default "
      "shunk031/aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE, divided by 10); no such model "
      "can be obtained here, so juicer's score is a fixed heuristic, not a learned model, and it does not "
      "reproduce Data-Juicer's scores. score = sum_k w_k * sigmoid((x_k - c_k) / s_k) / sum_k w_k over six "
      "measured signals x_k (weight w, centre c, scale s; a negative scale means lower is better): "
      "brisque = OpenCV's BRISQUE no-reference quality, 0 pristine to 100 distorted (w 0.30, c 45, "
      "s -12: penalises blur, noise and compression artefacts); sharpness = log10(1 + variance of the "
      "Laplacian of the grey image) (w 0.25, c 2, s 0.35: 0.5 at a variance of about 100, the usual "
      "blur cut-off); colorfulness = Hasler-Suesstrunk M (w 0.10, c 25, s 12: washed-out and grey "
      "images score lower); exposure = |mean luma / 255 - 0.5| (w 0.10, c 0.30, s -0.07: very dark or "
      "very bright images score lower); clipping = fraction of pixels with luma <= 4 or >= 251 (w "
      "0.10, c 0.25, s -0.06: blown highlights, crushed shadows and flat backgrounds score lower); "
      "resolution = log2(sqrt(width * height)) (w 0.15, c 8, s 0.75: 0.5 for a 256x256 image, 0.94 "
      "for 1024x1024). All but resolution are measured on a copy whose longer side is at most 512 "
      "pixels (INTER_AREA), so they do not depend on the size. model_path: a JSON file "
      "{\"terms\": {\"<term>\": {\"weight\": w, \"center\": c, \"scale\": s}, ...}} replacing any of these "
      "constants (a term left out keeps its default; weight 0 drops a term, and dropping brisque also "
      "skips its cost), so a user can fit the mapping to their own ratings (e.g. a logistic "
      "regression of their ratings on the six signals); juicer ships no trained predictor. hf_scorer_model and "
      "trust_remote_code are accepted for recipe compatibility and ignored (no Hugging Face model "
      "is loaded). The score favours sharp, well-exposed, colourful, large photographs; clip art and "
      "flat synthetic images (white backgrounds, few colours) score low whatever their appeal.";
  info.params = {
      ParamSpec{.name = "hf_scorer_model", .type = ParamType::kString, .default_value = std::string(""),
                .doc = "Data-Juicer's Hugging Face predictor; accepted and IGNORED (see the op doc)"},
      ParamSpec{.name = "trust_remote_code", .type = ParamType::kBool, .default_value = false,
                .doc = "accepted and ignored (Data-Juicer's Hugging Face flag)"},
      FloatBound("min_score", 0.5, "images scoring lower fail"),
      FloatBound("max_score", 1.0, "images scoring higher fail"),
      AnyOrAllParam(),
      ParamSpec{.name = "model_path", .type = ParamType::kString, .default_value = std::string(""),
                .doc = "JSON file of the heuristic's weights/centres/scales (see the op doc); empty = defaults"},
  };
  info.stat_keys = {"image_aesthetics_scores"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    auto model = std::make_shared<AestheticsModel>(DefaultAestheticsModel());
    if (const std::string& path = p.GetString("model_path"); !path.empty()) {
      JUICER_ASSIGN_OR_RETURN(*model, LoadAestheticsModel(path));
    }
    if (model->terms[0].weight > 0) JUICER_RETURN_IF_ERROR(CheckBrisqueFiles(kBrisqueModel, kBrisqueRange));
    return std::unique_ptr<Op>(std::make_unique<RangeImageFilter>(
        i, p, std::vector<std::string>{"image_aesthetics_scores"},
        std::vector<Bound>{{p.GetOptDouble("min_score"), p.GetOptDouble("max_score")}},
        [model](const Op& op, media::SampleImage& img, WorkerContext& ctx, StatScalar* out) -> Status {
          JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, img.Pixels());
          auto s = MeasureAestheticSignals(*m, *model, ctx.StateFor<BrisqueState>(&op));
          if (!s.ok()) return s.status().WithContext("image '" + img.path() + "': ");
          out[0] = AestheticsScore(*s, *model);
          return Status::OK();
        }));
  };
  return info;
}

}  // namespace

Status RegisterImageAestheticsFilter(OpRegistry& registry) { return registry.Add(AestheticsInfo()); }

}  // namespace juicer::image_ops
