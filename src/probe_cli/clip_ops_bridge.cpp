// C functions the image-text ops (src/ops/image/clip_filters.cpp, outside libtorch) call through
// core/torch_module.h: load a juicer-trained clip model and embed images and texts with it.
// Ops call these from several worker threads at once: each call runs on the calling thread with one
// torch thread (set once per thread: OpenMP's thread count is per thread), and the encoder is
// read-only after loading.
#include <torch/torch.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "probe/clip_encoder.h"

namespace {

void SetError(char* err, size_t err_len, const std::string& msg) {
  if (err != nullptr && err_len > 0) std::snprintf(err, err_len, "%s", msg.c_str());
}

void OneTorchThreadHere() {
  thread_local bool done = false;
  if (!done) {
    torch::set_num_threads(1);
    done = true;
  }
}

juicer::probe::ClipEncoder* Enc(void* h) { return static_cast<juicer::probe::ClipEncoder*>(h); }

}  // namespace

#define JUICER_EXPORT extern "C" __attribute__((visibility("default")))

// A loaded model (free with juicer_clip_free), or null with the reason in err.
JUICER_EXPORT void* juicer_clip_load(const char* model_dir, char* err, size_t err_len) {
  try {
    OneTorchThreadHere();
    auto enc = juicer::probe::ClipEncoder::Load(model_dir, 1);
    if (!enc.ok()) {
      SetError(err, err_len, enc.status().message());
      return nullptr;
    }
    return enc->release();
  } catch (const std::exception& e) {
    SetError(err, err_len, std::string("cannot load the clip model '") + model_dir + "': " + e.what());
    return nullptr;
  }
}

JUICER_EXPORT void juicer_clip_free(void* h) { delete Enc(h); }

// Side of the square RGB input, embedding size, and the learned temperature.
JUICER_EXPORT void juicer_clip_info(void* h, int* image_res, int* dim, float* temperature) {
  *image_res = Enc(h)->image_res();
  *dim = Enc(h)->dim();
  *temperature = Enc(h)->temperature();
}

// n images (image_res x image_res x 3 RGB bytes each, back to back) -> out[n * dim], L2-normalised.
// 0 on success, else -1 with the reason in err.
JUICER_EXPORT int juicer_clip_encode_images(void* h, const uint8_t* pixels, size_t n, float* out, char* err,
                                            size_t err_len) {
  try {
    OneTorchThreadHere();
    const std::vector<float> e = Enc(h)->EncodeImages(pixels, n);
    if (e.size() != n * static_cast<size_t>(Enc(h)->dim())) {
      SetError(err, err_len, "clip image encoder returned " + std::to_string(e.size()) + " values");
      return -1;
    }
    std::memcpy(out, e.data(), e.size() * sizeof(float));
    return 0;
  } catch (const std::exception& e) {
    SetError(err, err_len, std::string("clip image encoder failed: ") + e.what());
    return -1;
  }
}

// n UTF-8 texts (DJ special tokens are stripped) -> out[n * dim], L2-normalised.
JUICER_EXPORT int juicer_clip_encode_texts(void* h, const char* const* texts, size_t n, float* out, char* err,
                                           size_t err_len) {
  try {
    OneTorchThreadHere();
    const std::vector<std::string> v(texts, texts + n);
    const std::vector<float> e = Enc(h)->EncodeTexts(v);
    if (e.size() != n * static_cast<size_t>(Enc(h)->dim())) {
      SetError(err, err_len, "clip text encoder returned " + std::to_string(e.size()) + " values");
      return -1;
    }
    std::memcpy(out, e.data(), e.size() * sizeof(float));
    return 0;
  } catch (const std::exception& e) {
    SetError(err, err_len, std::string("clip text encoder failed: ") + e.what());
    return -1;
  }
}
