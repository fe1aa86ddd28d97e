// The exported encoders of a trained clip probe (`juicer train --task clip`), for ops that score
// image-text similarity with it. No libtorch in this header.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace juicer::probe {

class ClipEncoder {
 public:
  // Loads model.pt, config.json and tokenizer/ of a clip model directory. threads 0 = the model's.
  static Result<std::unique_ptr<ClipEncoder>> Load(const std::string& model_dir, int threads = 0);
  virtual ~ClipEncoder() = default;

  // Side of the square images the encoder takes (pixels from probe::ImagePixels(path, image_res())).
  virtual int image_res() const = 0;
  virtual int dim() const = 0;
  // The learned InfoNCE temperature exp(logit_scale), clamped at 100 as in training: the factor by
  // which the trainer scaled cosine similarities into logits.
  virtual float temperature() const = 0;
  // n images, each image_res x image_res x 3 RGB bytes back to back -> n x dim() floats, L2-normalised.
  // Computed in chunks of the model's eval_batch from the first image, as the trainer does, so the
  // results equal the trainer's bit for bit. Safe to call from several threads.
  virtual std::vector<float> EncodeImages(const uint8_t* pixels, size_t n) const = 0;
  // Captions (DJ special tokens are stripped first) -> n x dim() floats, L2-normalised.
  virtual std::vector<float> EncodeTexts(const std::vector<std::string>& texts) const = 0;
};

}  // namespace juicer::probe
