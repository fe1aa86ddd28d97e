// Data for the probe models: Data-Juicer JSONL samples -> captions, image pixels, labels. No libtorch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace juicer::probe {

struct ProbeRecord {
  std::string origin;                   // "file:line", for messages
  std::string text;                     // caption (DJ special tokens removed) or document text
  std::string image_path;               // resolved path of images[0]; empty for text-only data
  std::string task, label;              // zero-shot eval sets: "task" and "label" fields
  std::vector<std::string> references;  // caption eval sets: "references" (else {text})
};

// `<__dj__image> A cat. <|__dj__eoc|>` -> "A cat." (every DJ special token removed, spaces collapsed).
std::string StripSpecialTokens(std::string_view text);

// Reads every sample of `dataset_path` (any input juicer reads: JSONL, .jsonl.zst, JSON, dir, mix).
// `text_key` is the text field ("text"). need_image: samples must have a non-empty `images` list whose
// first file exists (a missing one is an error naming sample and path). Samples with empty text are
// kept (they are data). `limit` 0 = all.
Result<std::vector<ProbeRecord>> ReadProbeRecords(const std::string& dataset_path, bool need_image,
                                                  size_t limit = 0, const std::string& text_key = "text");

// Pixels of one image for the probe models: decoded with OpenCV (alpha composited on white, grey ->
// RGB), the longer side resized to `res` (INTER_AREA), centred on a white res x res square.
// RGB, HWC, res*res*3 bytes. Errors name the path.
Result<std::vector<uint8_t>> ImagePixels(const std::string& path, int res);

// ImagePixels for many images, decoded on `threads` threads and cached on disk (the cache key is
// the absolute path, size, mtime and res; dir from ImageCacheDir()). out: n*res*res*3 bytes in record
// order. Images that fail to decode are reported in `failed` (index, message) and left white.
struct ImageLoadStats {
  size_t decoded = 0, cached = 0;
  double seconds = 0;
  std::vector<std::pair<size_t, std::string>> failed;
};
Result<ImageLoadStats> LoadImages(const std::vector<ProbeRecord>& records, int res, int threads,
                                  std::vector<uint8_t>* out, bool show_progress);

// $JUICER_CACHE_DIR, else $XDG_CACHE_HOME/juicer, else $HOME/.cache/juicer; "" disables the cache
// (JUICER_CACHE_DIR=off).
std::string ImageCacheDir();

}  // namespace juicer::probe
