// image_shape_filter, image_aspect_ratio_filter, image_size_filter (header / file-size only: no
// decoding) and the pixel-statistics filters juicer adds: sharpness, colorfulness, entropy, BRISQUE.
#include <cmath>
#include <filesystem>
#include <memory>

#include <opencv2/imgproc.hpp>
#include <opencv2/quality/qualitybrisque.hpp>

#include "ops/image/image_filter_base.h"
#include "ops/image/image_ops.h"
#include "ops/image/image_quality.h"

namespace juicer::image_ops {

namespace {

Result<std::unique_ptr<Op>> MakeRange(const OpInfo& info, const OpParams& params, std::vector<std::string> keys,
                                      std::vector<Bound> bounds, MeasureFn fn) {
  return std::unique_ptr<Op>(
      std::make_unique<RangeImageFilter>(info, params, std::move(keys), std::move(bounds), std::move(fn)));
}

Result<double> SizeParam(const OpParams& p, const std::string& name) {
  const ParamValue& v = p.Get(name);
  if (const auto* s = std::get_if<std::string>(&v)) {
    JUICER_ASSIGN_OR_RETURN(uint64_t bytes, ParseSize(*s));
    return static_cast<double>(bytes);
  }
  return p.GetDouble(name);
}

OpInfo ShapeInfo() {
  OpInfo info;
  info.name = "image_shape_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose images' width and height are within [min, max].";
  info.description =
      "Stats image_width and image_height (lists of ints, one per image of the image field, empty for a "
      "sample without images). An image passes when min_width <= width <= max_width and min_height <= "
      "height <= max_height; any_or_all combines the images; a sample without images is kept. The size "
      "comes from the file header (PNG IHDR, JPEG SOF, GIF screen, BMP info header, WebP VP8/VP8L/VP8X), "
      "nothing is decoded, so it is the stored size as PIL reports it (EXIF orientation not applied). "
      "Same name, params, defaults and stat keys as Data-Juicer. A missing, empty or non-image file is a "
      "per-sample data error naming the file.";
  info.params = {IntBound("min_width", 1, "images narrower than this fail"),
                 IntBound("max_width", INT64_MAX, "images wider than this fail (default sys.maxsize)"),
                 IntBound("min_height", 1, "images lower than this fail"),
                 IntBound("max_height", INT64_MAX, "images higher than this fail (default sys.maxsize)"),
                 AnyOrAllParam()};
  info.stat_keys = {"image_width", "image_height"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return MakeRange(i, p, {"image_width", "image_height"},
                     {{p.GetOptDouble("min_width"), p.GetOptDouble("max_width")},
                      {p.GetOptDouble("min_height"), p.GetOptDouble("max_height")}},
                     [](const Op&, media::SampleImage& img, WorkerContext&, StatScalar* out) -> Status {
                       JUICER_ASSIGN_OR_RETURN(media::ImageHeader h, img.Header());
                       out[0] = h.width;
                       out[1] = h.height;
                       return Status::OK();
                     });
  };
  return info;
}

OpInfo AspectInfo() {
  OpInfo info;
  info.name = "image_aspect_ratio_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose images' aspect ratio (width / height) is within [min_ratio, max_ratio].";
  info.description =
      "Stat aspect_ratios (list of floats, width / height per image, empty without images), with the "
      "size read from the file header without decoding (see image_shape_filter). An image passes when "
      "min_ratio <= ratio <= max_ratio; any_or_all combines the images; a sample without images is "
      "kept. Same name, params, defaults and stat key as Data-Juicer.";
  info.params = {FloatBound("min_ratio", 0.333, "images with a lower width/height fail"),
                 FloatBound("max_ratio", 3.0, "images with a higher width/height fail"), AnyOrAllParam()};
  info.stat_keys = {"aspect_ratios"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return MakeRange(i, p, {"aspect_ratios"}, {{p.GetOptDouble("min_ratio"), p.GetOptDouble("max_ratio")}},
                     [](const Op&, media::SampleImage& img, WorkerContext&, StatScalar* out) -> Status {
                       JUICER_ASSIGN_OR_RETURN(media::ImageHeader h, img.Header());
                       out[0] = static_cast<double>(h.width) / static_cast<double>(h.height);
                       return Status::OK();
                     });
  };
  return info;
}

OpInfo SizeInfo() {
  OpInfo info;
  info.name = "image_size_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose image files' size in bytes is within [min_size, max_size].";
  info.description =
      "Stat image_sizes (list of ints: the file size in bytes of each image, empty without images); "
      "the file is only stat()ed, not read or decoded, so any file passes through (as in Data-Juicer). "
      "Sizes are given as Data-Juicer's size strings: \"120kb\" = 120,000 bytes, \"120KiB\" = 122,880 "
      "(case-insensitive), or a number of bytes. An image passes when min_size <= size <= max_size; "
      "any_or_all combines the images; a sample without images is kept. Same name, params, defaults and "
      "stat key as Data-Juicer (its image-bytes field is not supported: paths only).";
  info.params = {
      ParamSpec{.name = "min_size", .type = ParamType::kSize, .default_value = std::string("0"),
                .doc = "smaller image files fail"},
      ParamSpec{.name = "max_size", .type = ParamType::kSize, .default_value = std::string("1TB"),
                .doc = "larger image files fail (default 1TB: no limit in practice)"},
      AnyOrAllParam()};
  info.stat_keys = {"image_sizes"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(double lo, SizeParam(p, "min_size"));
    JUICER_ASSIGN_OR_RETURN(double hi, SizeParam(p, "max_size"));
    return MakeRange(i, p, {"image_sizes"}, {{lo, hi}},
                     [](const Op&, media::SampleImage& img, WorkerContext&, StatScalar* out) -> Status {
                       JUICER_ASSIGN_OR_RETURN(uint64_t size, img.FileSize());
                       out[0] = static_cast<int64_t>(size);
                       return Status::OK();
                     });
  };
  return info;
}

}  // namespace

// ---- pixel statistics (decoded through the worker's image cache) ----

static cv::Mat Grey(const cv::Mat& bgr) {
  cv::Mat g;
  cv::cvtColor(bgr, g, cv::COLOR_BGR2GRAY);
  return g;
}

double LaplacianVariance(const cv::Mat& bgr) {
  cv::Mat lap;
  cv::Laplacian(Grey(bgr), lap, CV_64F);
  cv::Scalar mean, dev;
  cv::meanStdDev(lap, mean, dev);
  return dev[0] * dev[0];
}

double Colorfulness(const cv::Mat& bgr) {
  // Hasler & Suesstrunk (2003): rg = R - G, yb = (R + G) / 2 - B,
  // M = sqrt(sd_rg^2 + sd_yb^2) + 0.3 * sqrt(mean_rg^2 + mean_yb^2).
  double s_rg = 0, s_yb = 0, q_rg = 0, q_yb = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    const uchar* p = bgr.ptr<uchar>(y);
    for (int x = 0; x < bgr.cols; ++x, p += 3) {
      const double rg = static_cast<double>(p[2]) - p[1];
      const double yb = 0.5 * (static_cast<double>(p[2]) + p[1]) - p[0];
      s_rg += rg;
      s_yb += yb;
      q_rg += rg * rg;
      q_yb += yb * yb;
    }
  }
  const double n = static_cast<double>(bgr.total());
  const double m_rg = s_rg / n, m_yb = s_yb / n;
  const double v_rg = std::max(0.0, q_rg / n - m_rg * m_rg), v_yb = std::max(0.0, q_yb / n - m_yb * m_yb);
  return std::sqrt(v_rg + v_yb) + 0.3 * std::sqrt(m_rg * m_rg + m_yb * m_yb);
}

double GreyEntropy(const cv::Mat& bgr) {
  const cv::Mat g = Grey(bgr);
  uint64_t hist[256] = {};
  for (int y = 0; y < g.rows; ++y) {
    const uchar* p = g.ptr<uchar>(y);
    for (int x = 0; x < g.cols; ++x) ++hist[p[x]];
  }
  const double n = static_cast<double>(g.total());
  double h = 0;
  for (uint64_t c : hist)
    if (c != 0) h -= (static_cast<double>(c) / n) * std::log2(static_cast<double>(c) / n);
  return h;
}

namespace {

using PixelFn = double (*)(const cv::Mat&);

OpInfo PixelStatInfo(std::string name, std::string key, std::string summary, std::string description,
                     std::string min_param, std::optional<double> min_def, std::string max_param,
                     std::optional<double> max_def, PixelFn fn) {
  OpInfo info;
  info.name = std::move(name);
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = std::move(summary);
  info.description = std::move(description) +
                     " Stat " + key + " is a list (one float per image, empty without images); an image passes when " +
                     min_param + " <= value <= " + max_param +
                     " (null = no bound); any_or_all combines the images; a sample without images is kept. "
                     "Data-Juicer has no such op. Images are decoded once per worker and shared with the "
                     "other decoding image ops of the recipe.";
  info.params = {FloatBound(min_param, min_def, "images with a lower value fail"),
                 FloatBound(max_param, max_def, "images with a higher value fail"), AnyOrAllParam()};
  info.stat_keys = {key};
  info.factory = [key, min_param, max_param, fn](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return MakeRange(i, p, {key}, {{p.GetOptDouble(min_param), p.GetOptDouble(max_param)}},
                     [fn](const Op&, media::SampleImage& img, WorkerContext&, StatScalar* out) -> Status {
                       JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, img.Pixels());
                       out[0] = fn(*m);
                       return Status::OK();
                     });
  };
  return info;
}


OpInfo BrisqueInfo() {
  OpInfo info;
  info.name = "image_brisque_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose images' BRISQUE no-reference quality score is within [min_score, max_score].";
  info.description =
      "Stat image_brisque (list of floats, one per image, empty without images): OpenCV contrib's "
      "BRISQUE (Mittal et al. 2012, cv::quality::QualityBRISQUE) with the LIVE-trained SVR model from "
      "Debian's opencv-data (/usr/share/opencv4/quality/brisque_{model,range}_live.yml), clamped by "
      "OpenCV to [0, 100]: 0 pristine, 100 badly distorted; LOWER IS BETTER, so the useful bound is "
      "max_score (a sharp photograph such as Data-Juicer's lena.jpg scores 0, a Gaussian-blurred copy "
      "about 70). BRISQUE was trained on natural photographs; flat synthetic images (clip art, "
      "screenshots) get less meaningful scores. An image passes when min_score <= score <= max_score (null = no bound); "
      "any_or_all combines the images; a sample without images is kept. Data-Juicer has no such op.";
  info.params = {FloatBound("min_score", std::nullopt, "images with a lower score fail"),
                 FloatBound("max_score", std::nullopt, "images with a higher (worse) score fail"),
                 ParamSpec{.name = "model_path", .type = ParamType::kString, .default_value = std::string(kBrisqueModel),
                           .doc = "BRISQUE SVR model (YAML)"},
                 ParamSpec{.name = "range_path", .type = ParamType::kString, .default_value = std::string(kBrisqueRange),
                           .doc = "BRISQUE feature range file (YAML)"},
                 AnyOrAllParam()};
  info.stat_keys = {"image_brisque"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const std::string model = p.GetString("model_path"), range = p.GetString("range_path");
    JUICER_RETURN_IF_ERROR(CheckBrisqueFiles(model, range));
    return MakeRange(i, p, {"image_brisque"}, {{p.GetOptDouble("min_score"), p.GetOptDouble("max_score")}},
                     [model, range](const Op& op, media::SampleImage& img, WorkerContext& ctx,
                                    StatScalar* out) -> Status {
                       JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, img.Pixels());
                       auto score = BrisqueScore(ctx.StateFor<BrisqueState>(&op), model, range, *m);
                       if (!score.ok()) return score.status().WithContext("image '" + img.path() + "': ");
                       out[0] = *score;
                       return Status::OK();
                     });
  };
  return info;
}

}  // namespace

Status CheckBrisqueFiles(const std::string& model, const std::string& range) {
  std::error_code ec;
  for (const std::string& f : {model, range})
    if (!std::filesystem::is_regular_file(f, ec))
      return Status::Unavailable("BRISQUE file '" + f +
                                 "' not found; install Debian's opencv-data (scripts/setup.sh does) or "
                                 "pass model_path/range_path");
  return Status::OK();
}

Result<double> BrisqueScore(BrisqueState& st, const std::string& model, const std::string& range, const cv::Mat& bgr) {
  try {
    if (!st.model) st.model = cv::quality::QualityBRISQUE::create(model, range);
    return st.model->compute(bgr)[0];
  } catch (const cv::Exception& e) {
    return Status::DataError(std::string("BRISQUE failed: ") + e.what());
  }
}

Status RegisterImageBasicFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(ShapeInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(AspectInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(SizeInfo()));
  return Status::OK();
}

Status RegisterImageQualityFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(PixelStatInfo(
      "image_sharpness_filter", "image_sharpness",
      "Keep samples whose images' sharpness (variance of the Laplacian) is within [min_sharpness, max_sharpness].",
      "Sharpness = variance of the 3x3 Laplacian (cv::Laplacian, CV_64F) of the grey image (BT.601 luma "
      "of the decoded 8-bit image), the classic blur measure (Pech-Pacheco et al. 2000): blurry or flat "
      "images score low (a common blur cut-off for photographs is about 100); it grows with noise and "
      "with image content, so compare within one kind of data.",
      "min_sharpness", 0.0, "max_sharpness", std::nullopt, &LaplacianVariance)));
  JUICER_RETURN_IF_ERROR(registry.Add(PixelStatInfo(
      "image_colorfulness_filter", "image_colorfulness",
      "Keep samples whose images' colorfulness (Hasler-Suesstrunk) is within [min_colorfulness, max_colorfulness].",
      "Colorfulness M of Hasler & Suesstrunk (2003) over all pixels of the decoded 8-bit RGB image: with "
      "rg = R - G and yb = (R + G)/2 - B, M = sqrt(sd(rg)^2 + sd(yb)^2) + 0.3 * sqrt(mean(rg)^2 + "
      "mean(yb)^2). 0 for any grey image; their scale reads about 15 'slightly', 33 'moderately', 45 "
      "'averagely', 59 'quite', 82 'highly' and 109 'extremely' colorful.",
      "min_colorfulness", 0.0, "max_colorfulness", std::nullopt, &Colorfulness)));
  JUICER_RETURN_IF_ERROR(registry.Add(PixelStatInfo(
      "image_entropy_filter", "image_entropy",
      "Keep samples whose images' grey-level entropy (bits) is within [min_entropy, max_entropy].",
      "Entropy = -sum p_i log2 p_i over the 256-bin histogram of the grey image (BT.601 luma of the "
      "decoded 8-bit image), in bits, from 0 (one flat colour) to 8 (every grey level equally "
      "frequent). Low values flag blank, near-uniform or posterised images.",
      "min_entropy", 0.0, "max_entropy", std::nullopt, &GreyEntropy)));
  JUICER_RETURN_IF_ERROR(registry.Add(BrisqueInfo()));
  return Status::OK();
}

}  // namespace juicer::image_ops

namespace juicer {

Status RegisterImageOps(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(image_ops::RegisterImageBasicFilters(registry));
  JUICER_RETURN_IF_ERROR(image_ops::RegisterImageQualityFilters(registry));
  JUICER_RETURN_IF_ERROR(image_ops::RegisterImageFaceFilters(registry));
  JUICER_RETURN_IF_ERROR(image_ops::RegisterImageDeduplicator(registry));
  JUICER_RETURN_IF_ERROR(image_ops::RegisterImageAestheticsFilter(registry));
  JUICER_RETURN_IF_ERROR(image_ops::RegisterImageMappers(registry));
  JUICER_RETURN_IF_ERROR(image_ops::RegisterImageOcrFilter(registry));
  return Status::OK();
}

}  // namespace juicer
