// Word-level n-gram language model with interpolated modified Kneser-Ney smoothing (Chen & Goodman
// 1998, as KenLM's lmplz estimates it), stored as a backoff model: log10 probabilities and backoff
// weights of the n-grams seen in training, in open-addressing hash tables keyed by a 64-bit hash of
// the n-gram's word ids (as KenLM's "probing" format, no strings are kept per n-gram).
//
// No n-gram LM library is packaged by Debian (KenLM, SRILM, IRSTLM, MITLM are absent), so juicer
// implements estimation, storage and scoring here; see docs/lm.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace juicer::lm {

using WordId = uint32_t;

// Reserved words (ids 0, 1, 2 in every model).
inline constexpr WordId kUnk = 0;       // "<unk>": any word not in the vocabulary
inline constexpr WordId kBos = 1;       // "<s>": sentence start, only ever a context
inline constexpr WordId kEos = 2;       // "</s>": sentence end
inline constexpr const char* kUnkWord = "<unk>";
inline constexpr const char* kBosWord = "<s>";
inline constexpr const char* kEosWord = "</s>";

struct TrainOptions {
  int order = 5;
  // N-grams of order >= 3 whose adjusted count is below this are pruned (0 or 1 = keep all), unless a
  // longer kept n-gram extends them; backoff weights are recomputed so the model stays normalised.
  int prune_min_count = 0;
  // Write the model as ARPA text as well (empty = no).
  std::string arpa_path;
};

struct Discounts {
  double d1 = 0, d2 = 0, d3 = 0;  // D1, D2, D3+
  bool fallback = false;          // count-of-counts could not give valid discounts
};

class NgramLm {
 public:
  // Estimates a model from sentences of words (a word is any non-empty string; the reserved words
  // in the input are read as <unk>). Deterministic: the same sentences give the same bytes.
  static Result<std::unique_ptr<NgramLm>> Train(const std::vector<std::vector<std::string>>& sentences,
                                                const TrainOptions& options);
  static Result<std::unique_ptr<NgramLm>> Load(const std::string& path);
  Status Save(const std::string& path) const;

  int order() const { return order_; }
  // Vocabulary size including <unk>, <s>, </s>.
  size_t vocab_size() const { return words_.size(); }
  const std::string& word(WordId id) const { return words_[id]; }
  // Id of a word, kUnk when unknown.
  WordId Id(std::string_view word) const;
  // Number of stored n-grams of order n (1-based).
  uint64_t NumNgrams(int n) const { return tables_[n - 1].count; }
  const std::vector<Discounts>& discounts() const { return discounts_; }

  // log10 p(word | context), context = the preceding words, oldest first (only the last order-1
  // are used; kBos may be the first). Unknown words are scored as <unk>.
  double LogProb(const WordId* context, size_t context_len, WordId word) const;
  // log10 probability of a sentence with <s> before and </s> after it, as KenLM's
  // Model.score(sentence, bos=True, eos=True).
  double ScoreSentence(const std::vector<WordId>& words) const;

  // The stored log10 probability and backoff of an n-gram (ids); false when it is not in the model.
  bool Find(const std::vector<WordId>& ngram, float* log10_prob, float* log10_backoff) const;

 private:
  struct Entry {
    uint64_t key = 0;  // 0 = empty slot
    float prob = 0;    // log10
    float backoff = 0; // log10
  };
  struct Table {
    std::vector<Entry> slots;  // power-of-two size
    uint64_t count = 0;
    const Entry* Find(uint64_t key) const;
    Entry* Insert(uint64_t key);
  };
  friend class Trainer;

  int order_ = 0;
  std::vector<std::string> words_;
  std::unordered_map<std::string, WordId> ids_;
  std::vector<Table> tables_;  // one per order
  std::vector<Discounts> discounts_;
};

// 64-bit key of an n-gram (never 0).
uint64_t NgramKey(const WordId* ids, size_t n);

}  // namespace juicer::lm
