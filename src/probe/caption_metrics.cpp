#include "probe/caption_metrics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace juicer::probe {
namespace {

constexpr size_t kMaxN = 4;      // BLEU-4 and CIDEr-D both use 1..4-grams
constexpr double kSigma = 6.0;   // CIDEr-D length-penalty standard deviation
constexpr double kTiny = 1e-15;  // bleu_scorer.py constants
constexpr double kSmall = 1e-9;

// counts[k] maps a (k+1)-gram (words joined by ' ', which never occurs inside a word) to its count.
using NgramCounts = std::array<std::unordered_map<std::string, int>, kMaxN>;

bool IsSeparator(unsigned char c) {
  switch (c) {
    case ' ': case '\t': case '\n': case '\v': case '\f': case '\r':
    case '.': case '?': case '!': case ',': case ':': case ';': case '-':
    case '\'': case '`': case '"': case '(': case ')': case '[': case ']': case '{': case '}':
      return true;
    default:
      return false;
  }
}

NgramCounts CountNgrams(const std::vector<std::string>& words) {
  NgramCounts counts;
  for (size_t k = 0; k < kMaxN; ++k) {
    for (size_t i = 0; i + k < words.size(); ++i) {
      std::string gram = words[i];
      for (size_t j = 1; j <= k; ++j) gram.append(" ").append(words[i + j]);
      ++counts[k][gram];
    }
  }
  return counts;
}

void CheckSizes(size_t hyps, const std::vector<std::vector<std::string>>& refs, const char* what) {
  if (hyps != refs.size()) throw std::invalid_argument(std::string(what) + ": hyps/refs size mismatch");
  for (const auto& r : refs) {
    if (r.empty()) throw std::invalid_argument(std::string(what) + ": an item has no reference");
  }
}

// CIDEr-D tf-idf vector of one sentence (counts2vec in ciderD_scorer.py).
struct TfIdf {
  std::array<std::unordered_map<std::string, double>, kMaxN> vec;
  std::array<double, kMaxN> norm{};
  int64_t length = 0;  // as in ciderD_scorer.py: the number of bigrams (delta only uses differences)
};

TfIdf ToTfIdf(const NgramCounts& counts, const std::array<std::unordered_map<std::string, int>, kMaxN>& df,
              double ref_len) {
  TfIdf t;
  for (size_t k = 0; k < kMaxN; ++k) {
    for (const auto& [gram, tf] : counts[k]) {
      const auto it = df[k].find(gram);
      const double d = it == df[k].end() ? 0.0 : static_cast<double>(it->second);
      const double w = static_cast<double>(tf) * (ref_len - std::log(std::max(1.0, d)));
      t.vec[k][gram] = w;
      t.norm[k] += w * w;
      if (k == 1) t.length += tf;
    }
    t.norm[k] = std::sqrt(t.norm[k]);
  }
  return t;
}

}  // namespace

std::vector<std::string> CaptionWords(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsSeparator(c)) {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : ch);
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

std::vector<double> CorpusBleu(const std::vector<std::string>& hyps,
                               const std::vector<std::vector<std::string>>& refs) {
  CheckSizes(hyps.size(), refs, "CorpusBleu");
  std::array<int64_t, kMaxN> guess{}, correct{};
  int64_t testlen_sum = 0, reflen_sum = 0;
  for (size_t i = 0; i < hyps.size(); ++i) {
    // cook_refs: max count of each n-gram over the references, and all reference lengths.
    std::array<std::unordered_map<std::string, int>, kMaxN> maxcounts;
    std::vector<int64_t> reflens;
    for (const std::string& ref : refs[i]) {
      const std::vector<std::string> words = CaptionWords(ref);
      reflens.push_back(static_cast<int64_t>(words.size()));
      const NgramCounts counts = CountNgrams(words);
      for (size_t k = 0; k < kMaxN; ++k) {
        for (const auto& [gram, c] : counts[k]) maxcounts[k][gram] = std::max(maxcounts[k][gram], c);
      }
    }
    // cook_test with the "closest" reference length (ties go to the shorter reference).
    const std::vector<std::string> words = CaptionWords(hyps[i]);
    const auto testlen = static_cast<int64_t>(words.size());
    int64_t reflen = reflens[0];
    for (const int64_t l : reflens) {
      const int64_t d = std::llabs(l - testlen), best = std::llabs(reflen - testlen);
      if (d < best || (d == best && l < reflen)) reflen = l;
    }
    testlen_sum += testlen;
    reflen_sum += reflen;
    const NgramCounts counts = CountNgrams(words);
    for (size_t k = 0; k < kMaxN; ++k) {
      guess[k] += std::max<int64_t>(0, testlen - static_cast<int64_t>(k));
      for (const auto& [gram, c] : counts[k]) {
        const auto it = maxcounts[k].find(gram);
        if (it != maxcounts[k].end()) correct[k] += std::min(it->second, c);
      }
    }
  }
  // BleuScorer.compute_score: corpus-level precisions with the tiny/small guards, closest-length BP.
  std::vector<double> bleus;
  const double ratio =
      (static_cast<double>(testlen_sum) + kTiny) / (static_cast<double>(reflen_sum) + kSmall);
  double prod = 1.0;
  for (size_t k = 0; k < kMaxN; ++k) {
    prod *= (static_cast<double>(correct[k]) + kTiny) / (static_cast<double>(guess[k]) + kSmall);
    double bleu = std::pow(prod, 1.0 / static_cast<double>(k + 1));
    if (ratio < 1) bleu *= std::exp(1.0 - 1.0 / ratio);
    bleus.push_back(bleu);
  }
  return bleus;
}

double CiderD(const std::vector<std::string>& hyps, const std::vector<std::vector<std::string>>& refs) {
  CheckSizes(hyps.size(), refs, "CiderD");
  if (hyps.empty()) return 0.0;
  std::vector<NgramCounts> ctest;
  std::vector<std::vector<NgramCounts>> crefs(refs.size());
  for (size_t i = 0; i < hyps.size(); ++i) {
    ctest.push_back(CountNgrams(CaptionWords(hyps[i])));
    for (const std::string& ref : refs[i]) crefs[i].push_back(CountNgrams(CaptionWords(ref)));
  }
  // Document frequency: the number of images whose reference set contains the n-gram.
  std::array<std::unordered_map<std::string, int>, kMaxN> df;
  for (const auto& image_refs : crefs) {
    for (size_t k = 0; k < kMaxN; ++k) {
      std::unordered_set<std::string> seen;
      for (const NgramCounts& r : image_refs) {
        for (const auto& kv : r[k]) seen.insert(kv.first);
      }
      for (const std::string& gram : seen) ++df[k][gram];
    }
  }
  const double ref_len = std::log(static_cast<double>(crefs.size()));
  double total = 0.0;
  for (size_t i = 0; i < ctest.size(); ++i) {
    const TfIdf hyp = ToTfIdf(ctest[i], df, ref_len);
    std::array<double, kMaxN> score{};
    for (const NgramCounts& r : crefs[i]) {
      const TfIdf ref = ToTfIdf(r, df, ref_len);
      const auto delta = static_cast<double>(hyp.length - ref.length);
      const double penalty = std::exp(-(delta * delta) / (2 * kSigma * kSigma));
      for (size_t k = 0; k < kMaxN; ++k) {
        double val = 0.0;
        for (const auto& [gram, vh] : hyp.vec[k]) {
          const auto it = ref.vec[k].find(gram);
          if (it == ref.vec[k].end()) continue;  // vec_ref is 0 there
          val += std::min(vh, it->second) * it->second;
        }
        if (hyp.norm[k] != 0 && ref.norm[k] != 0) val /= hyp.norm[k] * ref.norm[k];
        score[k] += val * penalty;
      }
    }
    double mean = 0.0;
    for (const double s : score) mean += s;
    mean /= static_cast<double>(kMaxN);
    total += mean / static_cast<double>(crefs[i].size()) * 10.0;
  }
  return total / static_cast<double>(ctest.size());
}

double RecallAtK(const std::vector<float>& sim, int n, int k) {
  if (n <= 0) return 0.0;
  const auto un = static_cast<size_t>(n);
  if (sim.size() < un * un) throw std::invalid_argument("RecallAtK: similarity matrix smaller than n x n");
  int hits = 0;
  for (size_t i = 0; i < un; ++i) {
    const float* row = sim.data() + i * un;
    if (std::isnan(row[i])) continue;  // an undefined true score never counts as retrieved
    // Rank of the true column: columns strictly better, or equal with a lower index, come first.
    int64_t rank = 0;
    for (size_t j = 0; j < un; ++j) {
      if (row[j] > row[i] || (row[j] == row[i] && j < i)) ++rank;
    }
    if (rank < k) ++hits;
  }
  return static_cast<double>(hits) / n;
}

}  // namespace juicer::probe
