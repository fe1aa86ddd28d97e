// The NSFW classifier / image embedding model as the image ops use it: nsfwjs's MobileNetV2 (a
// TensorFlow.js layers model that scripts/setup.sh unpacks to <models dir>/nsfw_mobilenet_v2), run by
// libjuicer_torch.so through the C interface of nsfw_api.h. One loaded model per directory per process,
// shared read-only by every op and worker thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/status.h"

namespace juicer::image_ops {

// nsfwjs's class order (nsfw_classes.js).
inline constexpr const char* kNsfwClasses[] = {"Drawing", "Hentai", "Neutral", "Porn", "Sexy"};
enum NsfwClass { kDrawing = 0, kHentai = 1, kNeutral = 2, kPorn = 3, kSexy = 4 };

class NsfwModel {
 public:
  // <DefaultModelsDir()>/nsfw_mobilenet_v2.
  static std::string DefaultDir();
  // The model in `dir` (empty: DefaultDir()), loaded once per process. Unavailable, saying to run
  // scripts/setup.sh, when the directory has no model.json or libjuicer_torch.so does not load.
  static Result<std::shared_ptr<const NsfwModel>> Open(const std::string& dir);

  ~NsfwModel();
  NsfwModel(const NsfwModel&) = delete;
  NsfwModel& operator=(const NsfwModel&) = delete;

  int num_classes() const { return classes_; }
  int embedding_dim() const { return emb_dim_; }
  int input_size() const { return input_size_; }
  const std::string& dir() const { return dir_; }

  // Class probabilities (n * num_classes) and, when `emb` is not null, the pooled backbone features
  // (n * embedding_dim) of 8-bit BGR images, run as batches of at most `batch` images on the calling
  // thread. Errors are DataErrors.
  Status Run(const std::vector<const cv::Mat*>& images, std::vector<float>* probs, std::vector<float>* emb,
             int batch = 16) const;

 private:
  NsfwModel() = default;
  std::string dir_;
  void* handle_ = nullptr;
  void* run_ = nullptr;
  void* close_ = nullptr;
  int classes_ = 0, emb_dim_ = 0, input_size_ = 0;
};

}  // namespace juicer::image_ops
