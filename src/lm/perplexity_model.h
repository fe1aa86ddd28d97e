// A perplexity model as perplexity_filter and `juicer lm` use it: a SentencePiece tokenizer plus a
// word-level Kneser-Ney n-gram model over its pieces, stored in one directory:
//   DIR/sp.model + DIR/tokenizer.json   SentencePiece (unigram) model
//   DIR/lm.bin                          NgramLm (ngram_lm.h)
//   DIR/info.json                       corpus and model statistics (informative)
//   DIR/lm.arpa                         the same n-gram model as ARPA text (optional)
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "lm/ngram_lm.h"
#include "tokenize/tokenizer.h"

namespace juicer::lm {

struct PerplexityTrainOptions {
  int order = 5;
  int vocab_size = 8000;      // SentencePiece pieces
  int prune_min_count = 0;    // see TrainOptions
  bool write_arpa = false;
  uint64_t max_documents = 0;  // 0 = all; else a seeded sample of this many documents
  uint64_t seed = 42;
  bool progress = false;      // progress lines on stderr
};

// Perplexity of one text, Data-Juicer's way: the pieces joined by spaces are one line (SentencePiece
// turns line breaks into spaces), scored with <s> and </s>; length = pieces + 1.
struct PerplexityResult {
  double log10_prob = 0;
  size_t length = 0;  // pieces + 1 per line; 0 for a text without pieces
  double perplexity = 0;  // 10^(-log10_prob / length), 0 when length is 0 (not rounded)
};

class PerplexityModel {
 public:
  static Result<std::shared_ptr<const PerplexityModel>> Load(const std::string& dir);
  // Trains on `documents` and writes the model into `dir` (created).
  static Status Train(const std::vector<std::string>& documents, const std::string& dir,
                      const PerplexityTrainOptions& options, const std::string& corpus_name);

  PerplexityResult Score(std::string_view text) const;
  // The words a text is scored on: its SentencePiece pieces (EncodeAsPieces) as LM ids.
  std::vector<WordId> Words(std::string_view text) const;
  const NgramLm& lm() const { return *lm_; }
  const Tokenizer& tokenizer() const { return *tok_; }

 private:
  std::unique_ptr<Tokenizer> tok_;
  std::unique_ptr<NgramLm> lm_;
};

// Python's round(x, 1) (correctly rounded, ties to even on the exact binary value).
double PyRound1(double x);

}  // namespace juicer::lm
