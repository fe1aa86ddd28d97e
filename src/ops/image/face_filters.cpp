// image_face_count_filter and image_face_ratio_filter: OpenCV Haar cascade (as Data-Juicer) or YuNet.
#include <algorithm>
#include <filesystem>
#include <memory>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "core/assets.h"
#include "ops/image/face_detect.h"
#include "ops/image/image_filter_base.h"
#include "ops/image/image_ops.h"

namespace juicer::image_ops {

namespace {
constexpr const char* kHaarDefault = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt.xml";
}  // namespace

Result<std::vector<cv::Rect>> DetectFaces(const DetectorConfig& cfg, DetectorState& st, const cv::Mat& bgr) {
  try {
    if (!st.loaded) {
      if (cfg.yunet) {
        st.yunet = cv::FaceDetectorYN::create(cfg.path, "", cv::Size(320, 320), cfg.score_threshold, 0.3f, 5000);
      } else if (!st.haar.load(cfg.path)) {
        return Status::Internal("cannot load the Haar cascade '" + cfg.path + "'");
      }
      st.loaded = true;
    }
    std::vector<cv::Rect> faces;
    if (cfg.yunet) {
      // Under OpenCV 4.6 the YuNet graph only runs at its export size (320x320): the image is scaled
      // so its longer side is 320, padded right/bottom with black, and the boxes scaled back.
      const double scale = 320.0 / std::max(bgr.cols, bgr.rows);
      cv::Mat small, in;
      cv::resize(bgr, small,
                 cv::Size(std::clamp(cvRound(bgr.cols * scale), 1, 320), std::clamp(cvRound(bgr.rows * scale), 1, 320)),
                 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
      cv::copyMakeBorder(small, in, 0, 320 - small.rows, 0, 320 - small.cols, cv::BORDER_CONSTANT, cv::Scalar::all(0));
      st.yunet->setInputSize(in.size());
      cv::Mat out;
      st.yunet->detect(in, out);
      for (int r = 0; r < out.rows; ++r)
        faces.emplace_back(cvRound(out.at<float>(r, 0) / scale), cvRound(out.at<float>(r, 1) / scale),
                           cvRound(out.at<float>(r, 2) / scale), cvRound(out.at<float>(r, 3) / scale));
    } else {
      cv::Mat grey;
      cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
      st.haar.detectMultiScale(grey, faces, cfg.scale_factor, cfg.min_neighbors, 0, cfg.min_size, cfg.max_size);
    }
    for (cv::Rect& f : faces) {
      f.x = std::max(f.x, 0);
      f.y = std::max(f.y, 0);
      f.width = std::min(f.width, bgr.cols - f.x);
      f.height = std::min(f.height, bgr.rows - f.y);
    }
    return faces;
  } catch (const cv::Exception& e) {
    return Status::DataError(std::string("face detection failed: ") + e.what());
  }
}

namespace {

// <models dir>/face_detection_yunet_320.onnx, else the shared models folder beside the repository
// (<repo>/../shared/models, where the OpenCV-zoo model is provided), else the first candidate.
std::string DefaultYunetPath() {
  namespace fs = std::filesystem;
  const char* file = "face_detection_yunet_320.onnx";
  std::vector<fs::path> candidates = {fs::path(DefaultModelsDir()) / file};
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path().parent_path() / "shared" / "models" / file);
  candidates.push_back(fs::path("..") / "shared" / "models" / file);
  for (const fs::path& c : candidates)
    if (fs::is_regular_file(c, ec)) return c.string();
  return candidates[0].string();
}

Result<cv::Size> SizeParam(const OpParams& p, const std::string& name) {
  if (p.IsNull(name)) return cv::Size();
  const std::vector<double> v = p.GetDoubleList(name);
  if (v.size() != 2) return Status::InvalidArgument(name + ": expected [width, height]");
  return cv::Size(static_cast<int>(v[0]), static_cast<int>(v[1]));
}

}  // namespace

Result<std::shared_ptr<const DetectorConfig>> MakeConfig(const OpParams& p, const std::string& op) {
  auto cfg = std::make_shared<DetectorConfig>();
  cfg->yunet = p.GetString("detector") == "yunet";
  cfg->scale_factor = p.GetDouble("scaleFactor");
  cfg->min_neighbors = static_cast<int>(p.GetInt("minNeighbors"));
  JUICER_ASSIGN_OR_RETURN(cfg->min_size, SizeParam(p, "minSize"));
  JUICER_ASSIGN_OR_RETURN(cfg->max_size, SizeParam(p, "maxSize"));
  cfg->score_threshold = static_cast<float>(p.GetDouble("score_threshold"));
  std::error_code ec;
  if (cfg->yunet) {
    cfg->path = p.GetString("model_path");
    if (cfg->path.empty()) cfg->path = DefaultYunetPath();
    if (!std::filesystem::is_regular_file(cfg->path, ec))
      return Status::Unavailable(op + ": detector 'yunet' needs the YuNet ONNX model, not found at '" + cfg->path +
                                 "'; pass model_path: <face_detection_yunet_320.onnx> (OpenCV zoo) or use "
                                 "detector: haar");
    DetectorState probe;  // fail now, not on the first sample, when the model cannot be loaded
    auto ran = DetectFaces(*cfg, probe, cv::Mat(320, 320, CV_8UC3, cv::Scalar::all(0)));
    if (!ran.ok())
      return Status::Unavailable(op + ": OpenCV " + CV_VERSION + " cannot run the YuNet model '" + cfg->path +
                                 "' (" + ran.status().message() +
                                 "); OpenCV 4.6 needs face_detection_yunet_2022mar.onnx (the 2023mar model "
                                 "needs OpenCV >= 4.8): pass its path as model_path, or use detector: haar");
  } else {
    cfg->path = p.GetString("cv_classifier");
    if (cfg->path.empty()) cfg->path = kHaarDefault;
    cv::CascadeClassifier c;
    if (!std::filesystem::is_regular_file(cfg->path, ec) || !c.load(cfg->path))
      return Status::Unavailable(op + ": cannot load the Haar cascade '" + cfg->path +
                                 "'; install Debian's opencv-data (scripts/setup.sh does) or pass cv_classifier");
  }
  return std::shared_ptr<const DetectorConfig>(std::move(cfg));
}

std::vector<ParamSpec> DetectorParams() {
  return {
      ParamSpec{.name = "cv_classifier", .type = ParamType::kString, .default_value = std::string(""),
                .doc = "Haar cascade XML; empty = haarcascade_frontalface_alt.xml of opencv-data"},
      ParamSpec{.name = "detector", .type = ParamType::kString, .default_value = std::string("haar"),
                .doc = "'haar' (Data-Juicer's cascade) or 'yunet' (OpenCV's CNN face detector, juicer only)",
                .choices = {"haar", "yunet"}},
      ParamSpec{.name = "model_path", .type = ParamType::kString, .default_value = std::string(""),
                .doc = "YuNet ONNX model; empty = face_detection_yunet_320.onnx in the models dir or <repo>/../shared/models"},
      ParamSpec{.name = "score_threshold", .type = ParamType::kFloat, .default_value = 1.5,
                .doc = "YuNet: minimum face score (not a probability with this model, see the op doc)",
                .min_value = 0.0},
      ParamSpec{.name = "scaleFactor", .type = ParamType::kFloat, .default_value = 1.1,
                .doc = "Haar: image pyramid scale step (detectMultiScale)", .min_value = 1.0001},
      ParamSpec{.name = "minNeighbors", .type = ParamType::kInt, .default_value = int64_t{3},
                .doc = "Haar: neighbours a candidate needs to be kept (detectMultiScale)", .min_value = 0.0},
      ParamSpec{.name = "minSize", .type = ParamType::kIntList, .doc = "Haar: smallest face [w, h]; null = no limit",
                .nullable = true},
      ParamSpec{.name = "maxSize", .type = ParamType::kIntList, .doc = "Haar: largest face [w, h]; null = no limit",
                .nullable = true},
  };
}

const char* const kDetectorDoc =
    " Detection (Data-Juicer's detect_faces): the image is decoded (shared per worker with the other "
    "image ops), converted to grey and run through cv::CascadeClassifier::detectMultiScale with "
    "scaleFactor, minNeighbors, minSize and maxSize (defaults 1.1, 3, none, none), the cascade being "
    "cv_classifier or haarcascade_frontalface_alt.xml from Debian's opencv-data, as Data-Juicer's "
    "cv2.data default; boxes are clipped to the image. With detector: yunet, OpenCV's YuNet CNN "
    "(cv::FaceDetectorYN, model_path, NMS 0.3) runs on the colour image instead "
    "(scaled so its longer side is 320 pixels and padded to 320x320, the only input size the model "
    "runs at under OpenCV 4.6, so faces under about 10 pixels at that scale are missed). The 2022 "
    "YuNet release it loads returns scores that are not probabilities: real faces on Data-Juicer's "
    "test images score 2.2 to 3.4, false detections below 1, hence score_threshold 1.5 by default. "
    "YuNet has "
    "far fewer false positives than the cascade, so counts differ from Data-Juicer's. Decoding is "
    "OpenCV's (libjpeg-turbo, libpng) where Data-Juicer uses PIL: pixels may differ by rounding, which can "
    "move a borderline detection.";

namespace {

OpInfo FaceCountInfo() {
  OpInfo info;
  info.name = "image_face_count_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose images contain between min_face_count and max_face_count faces.";
  info.description =
      std::string("Stat face_counts (list of ints, faces detected per image, empty without images). An "
                  "image passes when min_face_count <= count <= max_face_count; any_or_all combines the "
                  "images; a sample without images is kept. Same name, params, defaults and stat key as "
                  "Data-Juicer (which checks for face_ratios instead of face_counts before recomputing; "
                  "juicer checks face_counts).") +
      kDetectorDoc;
  info.params = {IntBound("min_face_count", 1, "images with fewer faces fail"),
                 IntBound("max_face_count", 1, "images with more faces fail"), AnyOrAllParam()};
  for (auto& p : DetectorParams()) info.params.push_back(std::move(p));
  info.stat_keys = {"face_counts"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const DetectorConfig> cfg, MakeConfig(p, i.name));
    return std::unique_ptr<Op>(std::make_unique<RangeImageFilter>(
        i, p, std::vector<std::string>{"face_counts"},
        std::vector<Bound>{{p.GetOptDouble("min_face_count"), p.GetOptDouble("max_face_count")}},
        [cfg](const Op& op, media::SampleImage& img, WorkerContext& ctx, StatScalar* out) -> Status {
          JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, img.Pixels());
          auto faces = DetectFaces(*cfg, ctx.StateFor<DetectorState>(&op), *m);
          if (!faces.ok()) return faces.status().WithContext("image '" + img.path() + "': ");
          out[0] = static_cast<int64_t>(faces->size());
          return Status::OK();
        }));
  };
  return info;
}

OpInfo FaceRatioInfo() {
  OpInfo info;
  info.name = "image_face_ratio_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose images' largest face covers between min_ratio and max_ratio of the image.";
  info.description =
      std::string("Stat face_ratios (list of floats per image, empty without images) = area (w*h) of the "
                  "largest detected face box / (width*height) of the image, 0.0 without faces. An image "
                  "passes when min_ratio <= ratio <= max_ratio; any_or_all combines the images; a sample "
                  "without images is kept. Same name, params, defaults and stat key as Data-Juicer.") +
      kDetectorDoc;
  info.params = {FloatBound("min_ratio", 0.0, "images whose largest face covers less fail"),
                 FloatBound("max_ratio", 0.4, "images whose largest face covers more fail"), AnyOrAllParam()};
  for (auto& p : DetectorParams()) info.params.push_back(std::move(p));
  info.stat_keys = {"face_ratios"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const DetectorConfig> cfg, MakeConfig(p, i.name));
    return std::unique_ptr<Op>(std::make_unique<RangeImageFilter>(
        i, p, std::vector<std::string>{"face_ratios"},
        std::vector<Bound>{{p.GetOptDouble("min_ratio"), p.GetOptDouble("max_ratio")}},
        [cfg](const Op& op, media::SampleImage& img, WorkerContext& ctx, StatScalar* out) -> Status {
          JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, img.Pixels());
          auto faces = DetectFaces(*cfg, ctx.StateFor<DetectorState>(&op), *m);
          if (!faces.ok()) return faces.status().WithContext("image '" + img.path() + "': ");
          double largest = 0;
          for (const cv::Rect& f : *faces) largest = std::max(largest, double{1} * f.width * f.height);
          out[0] = largest / (static_cast<double>(m->cols) * m->rows);
          return Status::OK();
        }));
  };
  return info;
}

}  // namespace

Status RegisterImageFaceFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(FaceCountInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(FaceRatioInfo()));
  return Status::OK();
}

}  // namespace juicer::image_ops
