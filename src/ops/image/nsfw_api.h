// The C interface between the NSFW/embedding ops (no libtorch) and the Keras-model runner inside
// libjuicer_torch.so (src/probe_cli/nsfw_model.cpp), looked up by name with TorchModuleSymbol.
//
// The model is a TensorFlow.js layers model directory (model.json + weight shards), as
// scripts/nsfw_extract.js unpacks it from the npm package nsfwjs: nsfwjs's MobileNetV2 NSFW
// classifier (classes Drawing, Hentai, Neutral, Porn, Sexy, in that order).
#pragma once

#include <cstdint>

extern "C" {

// Loads <model_dir>/model.json and its shards. Returns a handle, or null with a one-line message in
// err (NUL-terminated, at most errlen bytes). The handle is read-only and may be used from several
// threads at once.
using JuicerNsfwOpenFn = void* (*)(const char* model_dir, char* err, int errlen);
inline constexpr const char* kJuicerNsfwOpen = "juicer_nsfw_open";

using JuicerNsfwCloseFn = void (*)(void* handle);
inline constexpr const char* kJuicerNsfwClose = "juicer_nsfw_close";

// Output sizes: classes (5), embedding dimension (1280: the input of the first Dense layer, i.e. the
// pooled backbone features) and the square input side (224).
using JuicerNsfwInfoFn = void (*)(void* handle, int* num_classes, int* embedding_dim, int* input_size);
inline constexpr const char* kJuicerNsfwInfo = "juicer_nsfw_info";

// Runs n images as one batch. Image i is 8-bit, 3 interleaved channels (BGR when bgr != 0, else RGB),
// heights[i] rows of widths[i] pixels, row_bytes[i] bytes apart. Preprocessing is nsfwjs's: pixels / 255,
// then (unless already input_size square) bilinear resize with align_corners to input_size x
// input_size. Writes n*num_classes probabilities to probs and, when emb is not null,
// n*embedding_dim features to emb. Runs on the calling thread only (one intra-op thread). Returns 0,
// or non-zero with a message in err.
using JuicerNsfwRunFn = int (*)(void* handle, const uint8_t* const* images, const int* heights, const int* widths,
                                const int* row_bytes, int n, int bgr, float* probs, float* emb, char* err,
                                int errlen);
inline constexpr const char* kJuicerNsfwRun = "juicer_nsfw_run";

}  // extern "C"
