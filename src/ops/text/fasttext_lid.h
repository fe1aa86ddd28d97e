// fastText language identification (the lid.176 model Data-Juicer's language_id_score_filter uses),
// loaded with Debian's libfasttext and evaluated without per-call allocations from the library.
//
// Prediction follows fastText 0.9.2's FastText::predictLine(text + "\n", k = 1, threshold = 0) as the
// Python binding calls it: the line is split into tokens on ' ', '\t', '\v', '\f', '\r', '\0' and ends
// with the end-of-sentence token "</s>"; a token in the model's vocabulary contributes its precomputed
// input rows (the word and its character n-grams), any other token the rows of its character n-grams
// ("<" + token + ">", minn..maxn UTF-8 characters, hashed into the model's buckets); tokens starting with
// "__label__" are skipped. The hidden vector is the mean of those rows, and the best label is found by
// fastText's own hierarchical-softmax search. Quantized input rows (.ftz) are decoded once into a
// dense float table at load time, so a prediction is a sum of 16-float rows plus a tree walk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace juicer::lid {

struct Prediction {
  std::string label;  // without the "__label__" prefix, e.g. "en"; empty when nothing was predicted
  double score = 0;   // fastText's probability (a float32 value, as the Python binding returns it)
};

// Per-thread scratch of Predict (reused between calls; one per worker).
struct LidScratch {
  // Direct-mapped cache of out-of-vocabulary tokens (up to kMaxCachedBytes bytes) -> their character
  // n-gram rows: computing them costs a dozen lookups in the bucket index, and words repeat. A slot
  // is overwritten on collision; no allocation after the first use.
  static constexpr size_t kCacheSlots = 4096;
  static constexpr size_t kMaxCachedBytes = 16;
  static constexpr size_t kMaxCachedRows = 64;
  struct CacheSlot {
    uint32_t hash = 0;
    uint8_t len = 0;   // 0 = empty
    uint8_t nrows = 0;
    char word[kMaxCachedBytes];
    int32_t rows[kMaxCachedRows];
  };
  std::vector<CacheSlot> cache;
  std::vector<int32_t> ids;
  std::string word;                    // "<" + token + ">"
  std::shared_ptr<void> state;         // fasttext::Model::State, made on first use
  std::vector<std::pair<float, int32_t>> heap;  // fasttext::Predictions
};

class FastTextLid {
 public:
  // Loads a supervised fastText model (.bin or quantized .ftz). Errors name the file.
  static Result<std::shared_ptr<const FastTextLid>> Load(const std::string& path);
  ~FastTextLid();
  struct Impl;  // the loaded model (defined in the .cpp)
  FastTextLid(const FastTextLid&) = delete;
  FastTextLid& operator=(const FastTextLid&) = delete;

  // Top-1 label of one line of text (no '\n' inside expected: a '\n' ends the line as in fastText).
  // Thread-safe: the model is read-only; all mutable state lives in `scratch`.
  Prediction Predict(std::string_view line, LidScratch& scratch) const;

  int Dim() const { return dim_; }
  int NumLabels() const;

 private:
  FastTextLid();
  void AddCharNgrams(std::string_view word, std::vector<int32_t>& ids) const;
  std::unique_ptr<Impl> impl_;
  int dim_ = 0;
};

}  // namespace juicer::lid
