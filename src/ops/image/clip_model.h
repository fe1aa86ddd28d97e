// A juicer-trained clip model (`juicer train --task clip`) as the image-text ops use it: loaded once per
// directory and process through libjuicer_torch.so (src/probe_cli/clip_ops_bridge.cpp), read-only and
// safe to call from several worker threads. Also the images' preprocessing, which matches the trainer's
// (probe::ImagePixels) but decodes through the per-worker image cache of src/media.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "media/image_io.h"

namespace juicer::image_ops {

// Where the default scorer lives: DefaultModelsDir()/clip-scorer (scripts/setup.sh trains it).
std::string DefaultClipScorerDir();

class ClipModel {
 public:
  // The model in `dir` (shared by every op that names the same directory). Unavailable, naming `op`,
  // what to pass and what to run, when the directory has no model or the libtorch module is missing.
  static Result<std::shared_ptr<const ClipModel>> Get(const std::string& dir, const std::string& op);
  ~ClipModel();
  ClipModel(const ClipModel&) = delete;
  ClipModel& operator=(const ClipModel&) = delete;

  int image_res() const { return res_; }
  int dim() const { return dim_; }
  float temperature() const { return temperature_; }
  const std::string& dir() const { return dir_; }
  // n images of image_res() x image_res() RGB bytes -> n x dim() floats, L2-normalised.
  Result<std::vector<float>> EncodeImages(const std::vector<uint8_t>& pixels, size_t n) const;
  Result<std::vector<float>> EncodeTexts(const std::vector<std::string>& texts) const;

  // The midpoint between the mean cosine of matched and of mismatched image-text pairs (i with j != i)
  // of DIR/calibration_embeddings.bin (`juicer encode` of held-out clean pairs; scripts/setup.sh writes
  // it for the default scorer), else of the model's first 64 training pairs (DIR/embeddings_check.bin,
  // written by the trainer). NotFound when neither file exists.
  Result<double> MatchingBias() const;

 private:
  ClipModel() = default;
  void* handle_ = nullptr;
  std::string dir_;
  int res_ = 0, dim_ = 0;
  float temperature_ = 0;
};

// Pixels of one sample image for the clip model, as the trainer prepares them: alpha composited on white,
// the longer side resized to `res` (INTER_AREA when shrinking), centred on a white res x res square, RGB.
// Images without alpha are decoded through the worker's image cache; images with an alpha channel (PNG
// colour types 4/6 or tRNS, WebP with alpha) are decoded here with their alpha. Flips apply to the
// image before it is placed on the square (DJ flips the PIL image). Writes res*res*3 bytes to out.
Status ClipPixels(media::SampleImage& image, int res, bool hflip, bool vflip, uint8_t* out);

// The square placement of ClipPixels for an 8-bit 3-channel image already decoded (BGR, or RGB when
// `rgb`): longer side scaled to `res`, flips applied, centred on white; res*res*3 RGB bytes to out.
void PlaceOnSquare(const cv::Mat& src, bool rgb, int res, bool hflip, bool vflip, uint8_t* out);

// ClipPixels through a per-worker cache of prepared pixels shared by the clip ops (4,096 images).
Status ClipPixelsCached(media::SampleImage& image, int res, bool hflip, bool vflip, uint8_t* out,
                        WorkerContext& ctx);

// Cosine of two L2-normalised rows.
inline double Dot(const float* a, const float* b, int dim) {
  double s = 0;
  for (int i = 0; i < dim; ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

}  // namespace juicer::image_ops
