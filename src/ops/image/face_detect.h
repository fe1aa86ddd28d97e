// Face detection shared by the face filters and image_face_blur_mapper: OpenCV's Haar cascade (as
// Data-Juicer's detect_faces) or YuNet, configured from the common detector params.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

#include "core/op.h"
#include "core/params.h"
#include "core/status.h"

namespace juicer::image_ops {

struct DetectorConfig {
  bool yunet = false;
  std::string path;  // cascade XML or YuNet ONNX
  double scale_factor = 1.1;
  int min_neighbors = 3;
  cv::Size min_size, max_size;
  float score_threshold = 1.5f;
};

// Detectors are not shared between threads: each worker loads its own on first use.
struct DetectorState final : OpWorkerState {
  cv::CascadeClassifier haar;
  cv::Ptr<cv::FaceDetectorYN> yunet;
  bool loaded = false;
};

// Face boxes (x, y, w, h) clipped to the image, as Data-Juicer's detect_faces.
Result<std::vector<cv::Rect>> DetectFaces(const DetectorConfig& cfg, DetectorState& st, const cv::Mat& bgr);

// The detector of an op from its DetectorParams (Unavailable when the cascade / model cannot be loaded).
Result<std::shared_ptr<const DetectorConfig>> MakeConfig(const OpParams& p, const std::string& op);

// cv_classifier, detector, model_path, score_threshold, scaleFactor, minNeighbors, minSize, maxSize.
std::vector<ParamSpec> DetectorParams();

// Op-doc paragraph describing the detection.
extern const char* const kDetectorDoc;

}  // namespace juicer::image_ops
