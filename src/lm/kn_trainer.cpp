// Interpolated modified Kneser-Ney estimation (Chen & Goodman 1998; the counting rules of KenLM's lmplz):
//
//  * every sentence is padded as <s> w1 .. wk </s>; all n-grams of order 1..N ending after <s> are
//    counted (an n-gram may start with <s>, never contain it elsewhere);
//  * adjusted counts a(g): raw counts at the highest order and for n-grams starting with <s>;
//    otherwise the number of distinct words seen immediately before g (continuation counts);
//  * per order, discounts from the count-of-counts t1..t4 of the adjusted counts:
//    Y = t1 / (t1 + 2 t2), D1 = 1 - 2Y t2/t1, D2 = 2 - 3Y t3/t2, D3+ = 3 - 4Y t4/t3;
//  * p(w | h) = (a(hw) - D(a(hw))) / S(h) + gamma(h) p(w | h'), with S(h) = sum_x a(hx),
//    gamma(h) = (D1 N1(h) + D2 N2(h) + D3+ N3+(h)) / S(h) and h' = h without its first word;
//    unigrams interpolate with the uniform distribution over the vocabulary (without <s>, with
//    <unk>), so <unk> gets gamma(empty) / |V|;
//  * the backoff weight of a context is gamma(h): the stored interpolated probabilities plus these
//    backoffs give exactly the interpolated model, normalised over the vocabulary.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <unordered_map>

#include "lm/ngram_lm.h"

namespace juicer::lm {

namespace {

constexpr int kMaxOrder = 8;
using Gram = std::array<WordId, kMaxOrder>;

struct Order {
  int n = 0;
  std::vector<Gram> grams;     // sorted, unique (words beyond n are 0)
  std::vector<uint64_t> raw;   // raw counts
  std::vector<uint64_t> adj;   // adjusted counts
  std::vector<double> prob;    // interpolated probability
  std::vector<double> gamma;   // backoff weight when a context (1 otherwise)
  std::vector<uint8_t> keep;
  Discounts disc;

  // Index of `ids[0..n)` or -1.
  int64_t Find(const WordId* ids) const {
    Gram g{};
    std::copy(ids, ids + n, g.begin());
    auto it = std::lower_bound(grams.begin(), grams.end(), g);
    if (it == grams.end() || *it != g) return -1;
    return it - grams.begin();
  }
  double D(uint64_t a) const { return a == 0 ? 0.0 : a == 1 ? disc.d1 : a == 2 ? disc.d2 : disc.d3; }
};

Discounts EstimateDiscounts(const std::array<uint64_t, 5>& t) {
  Discounts d;
  const double t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4];
  if (t1 > 0 && t2 > 0 && t3 > 0 && t4 > 0) {
    const double y = t1 / (t1 + 2 * t2);
    d.d1 = 1 - 2 * y * t2 / t1;
    d.d2 = 2 - 3 * y * t3 / t2;
    d.d3 = 3 - 4 * y * t4 / t3;
    if (d.d1 > 0 && d.d1 < 1 && d.d2 > 0 && d.d2 < 2 && d.d3 > 0 && d.d3 < 3) return d;
  }
  // Too little data for modified KN: one absolute discount Y (Ney's estimate), else 0.5.
  d.fallback = true;
  double y = (t1 > 0 && t2 > 0) ? t1 / (t1 + 2 * t2) : 0.5;
  if (!(y > 0 && y < 1)) y = 0.5;
  d.d1 = d.d2 = d.d3 = y;
  return d;
}

}  // namespace

class Trainer {
 public:
  static Result<std::unique_ptr<NgramLm>> Run(const std::vector<std::vector<std::string>>& sentences,
                                              const TrainOptions& o);

 private:
  // Backoff-model probability (not log) over the n-grams kept so far, for orders < limit.
  double QueryKept(const WordId* ctx, size_t ctx_len, WordId w) const;
  std::vector<Order> orders_;
  size_t vocab_ = 0;
};

double Trainer::QueryKept(const WordId* ctx, size_t ctx_len, WordId w) const {
  WordId buf[kMaxOrder];
  std::copy(ctx, ctx + ctx_len, buf);
  buf[ctx_len] = w;
  double bo = 1;
  for (size_t m = ctx_len;; --m) {
    const WordId* start = buf + (ctx_len - m);
    const Order& o = orders_[m];
    const int64_t i = o.Find(start);
    if (i >= 0 && o.keep[i]) return o.prob[i] * bo;
    if (m == 0) return 0;
    const Order& c = orders_[m - 1];
    const int64_t j = c.Find(start);
    if (j >= 0 && c.keep[j]) bo *= c.gamma[j];
  }
}

Result<std::unique_ptr<NgramLm>> Trainer::Run(const std::vector<std::vector<std::string>>& sentences,
                                              const TrainOptions& opt) {
  if (opt.order < 1 || opt.order > kMaxOrder)
    return Status::InvalidArgument("n-gram order must be in 1.." + std::to_string(kMaxOrder));
  const int N = opt.order;
  auto lm = std::make_unique<NgramLm>();
  lm->order_ = N;
  lm->words_ = {kUnkWord, kBosWord, kEosWord};
  for (WordId i = 0; i < 3; ++i) lm->ids_.emplace(lm->words_[i], i);

  // Vocabulary (ids by first occurrence) and padded sentences.
  std::vector<std::vector<WordId>> padded;
  padded.reserve(sentences.size());
  uint64_t tokens = 0;
  for (const auto& s : sentences) {
    std::vector<WordId> p{kBos};
    for (const auto& w : s) {
      if (w.empty()) continue;
      auto [it, added] = lm->ids_.emplace(w, static_cast<WordId>(lm->words_.size()));
      if (added) lm->words_.push_back(w);
      const WordId id = (it->second == kBos || it->second == kEos) ? kUnk : it->second;
      p.push_back(id);
    }
    p.push_back(kEos);
    tokens += p.size() - 1;
    padded.push_back(std::move(p));
  }
  if (tokens == 0) return Status::InvalidArgument("language model training needs at least one sentence");

  Trainer t;
  t.vocab_ = lm->words_.size();
  t.orders_.resize(N);
  // Raw counts per order: sort the windows, count runs.
  for (int n = 1; n <= N; ++n) {
    Order& o = t.orders_[n - 1];
    o.n = n;
    std::vector<Gram> all;
    for (const auto& p : padded) {
      for (size_t e = (n == 1 ? 0 : 1); e < p.size(); ++e) {
        if (e + 1 < static_cast<size_t>(n)) continue;
        Gram g{};
        std::copy(p.begin() + (e + 1 - n), p.begin() + e + 1, g.begin());
        all.push_back(g);
      }
    }
    if (n == 1) all.push_back(Gram{kUnk});  // <unk> is always in the vocabulary (count 0 if unseen)
    std::sort(all.begin(), all.end());
    for (size_t i = 0; i < all.size();) {
      size_t j = i;
      while (j < all.size() && all[j] == all[i]) ++j;
      o.grams.push_back(all[i]);
      o.raw.push_back(j - i);
      i = j;
    }
    if (n == 1) {
      const int64_t u = o.Find(&kUnk);
      o.raw[u] -= 1;  // the sentinel added above
    }
  }
  // Adjusted counts.
  for (int n = 1; n <= N; ++n) {
    Order& o = t.orders_[n - 1];
    o.adj.assign(o.grams.size(), 0);
    for (size_t i = 0; i < o.grams.size(); ++i)
      if (n == N || o.grams[i][0] == kBos) o.adj[i] = o.raw[i];
    if (n == N) continue;
    const Order& hi = t.orders_[n];
    for (const Gram& g : hi.grams) {
      const int64_t i = o.Find(g.data() + 1);
      if (i >= 0 && g[1] != kBos) o.adj[i] += 1;
    }
  }
  // Discounts.
  for (Order& o : t.orders_) {
    std::array<uint64_t, 5> coc{};
    for (size_t i = 0; i < o.grams.size(); ++i) {
      if (o.n == 1 && o.grams[i][0] == kBos) continue;
      if (o.adj[i] >= 1 && o.adj[i] <= 4) ++coc[o.adj[i]];
    }
    o.disc = EstimateDiscounts(coc);
  }
  // Interpolated probabilities and gammas, lowest order first.
  for (int n = 1; n <= N; ++n) {
    Order& o = t.orders_[n - 1];
    o.prob.assign(o.grams.size(), 0.0);
    o.gamma.assign(o.grams.size(), 1.0);
    o.keep.assign(o.grams.size(), 1);
    // Groups of equal context (the first n-1 words) are contiguous in sorted order.
    for (size_t i = 0; i < o.grams.size();) {
      size_t j = i;
      while (j < o.grams.size() && std::equal(o.grams[j].begin(), o.grams[j].begin() + (n - 1), o.grams[i].begin()))
        ++j;
      double sum = 0, discounted = 0;
      for (size_t k = i; k < j; ++k) {
        if (n == 1 && o.grams[k][0] == kBos) continue;
        sum += static_cast<double>(o.adj[k]);
        discounted += o.D(o.adj[k]);
      }
      const double gamma = sum > 0 ? discounted / sum : 1.0;
      if (n == 1) {
        const double uniform = 1.0 / static_cast<double>(t.vocab_ - 1);  // the vocabulary without <s>
        for (size_t k = i; k < j; ++k) {
          if (o.grams[k][0] == kBos) continue;
          const double a = static_cast<double>(o.adj[k]);
          o.prob[k] = (a > 0 ? (a - o.D(o.adj[k])) / sum : 0.0) + gamma * uniform;
        }
      } else {
        Order& lo = t.orders_[n - 2];
        const int64_t ctx = lo.Find(o.grams[i].data());
        if (ctx < 0) return Status::Internal("n-gram context missing while estimating the language model");
        lo.gamma[ctx] = gamma;
        for (size_t k = i; k < j; ++k) {
          const int64_t lower = lo.Find(o.grams[k].data() + 1);
          if (lower < 0) return Status::Internal("n-gram suffix missing while estimating the language model");
          o.prob[k] = (static_cast<double>(o.adj[k]) - o.D(o.adj[k])) / sum + gamma * lo.prob[lower];
        }
      }
      i = j;
    }
  }
  // Words never seen (only possible: none) would need unigrams; every vocabulary word has one.
  // Pruning: orders >= 3, top down; the prefix and suffix of a kept n-gram are kept.
  if (opt.prune_min_count > 1 && N >= 3) {
    for (int n = N; n >= 3; --n) {
      Order& o = t.orders_[n - 1];
      for (size_t i = 0; i < o.grams.size(); ++i)
        if (o.adj[i] < static_cast<uint64_t>(opt.prune_min_count) && o.keep[i] == 1) o.keep[i] = 0;
      // keep[i] == 2 marks "kept because extended" (set by the order above).
      Order& lo = t.orders_[n - 2];
      if (n - 1 >= 3) {
        for (size_t i = 0; i < o.grams.size(); ++i) {
          if (!o.keep[i]) continue;
          // Its prefix (the context holding its backoff) and its suffix stay, so every stored n-gram's
          // prefix and suffix are stored: scoring can stop at the first missing n-gram.
          for (const WordId* start : {o.grams[i].data(), o.grams[i].data() + 1}) {
            const int64_t p = lo.Find(start);
            if (p >= 0 && lo.adj[p] < static_cast<uint64_t>(opt.prune_min_count)) lo.keep[p] = 2;
          }
        }
      }
    }
    // Backoffs after pruning: bo(h) = (1 - sum_kept p(w|h)) / (1 - sum_kept P(w|h')).
    for (int n = 3; n <= N; ++n) {
      Order& o = t.orders_[n - 1];
      Order& lo = t.orders_[n - 2];
      // Every context of order >= 2 is recomputed: its children or the lower orders may have changed.
      for (size_t i = 0; i < o.grams.size();) {
        size_t j = i;
        while (j < o.grams.size() && std::equal(o.grams[j].begin(), o.grams[j].begin() + (n - 1), o.grams[i].begin()))
          ++j;
        {
          double num = 1, den = 1;
          for (size_t k = i; k < j; ++k) {
            if (!o.keep[k]) continue;
            num -= o.prob[k];
            den -= t.QueryKept(o.grams[k].data() + 1, n - 2, o.grams[k][n - 1]);
          }
          const int64_t ctx = lo.Find(o.grams[i].data());
          lo.gamma[ctx] = (num > 0 && den > 1e-12) ? num / den : 1.0;
        }
        i = j;
      }
    }
  }
  // Tables (and ARPA text).
  lm->tables_.resize(N);
  lm->discounts_.resize(N);
  for (int n = 1; n <= N; ++n) {
    const Order& o = t.orders_[n - 1];
    lm->discounts_[n - 1] = o.disc;
    uint64_t kept = 0;
    for (uint8_t k : o.keep) kept += k != 0;
    NgramLm::Table& table = lm->tables_[n - 1];
    uint64_t slots = 16;
    while (slots < kept + kept / 2 + 1) slots <<= 1;
    table.slots.assign(slots, NgramLm::Entry{});
    for (size_t i = 0; i < o.grams.size(); ++i) {
      if (!o.keep[i]) continue;
      NgramLm::Entry* e = table.Insert(NgramKey(o.grams[i].data(), n));
      const bool bos = n == 1 && o.grams[i][0] == kBos;
      e->prob = bos ? -99.0f : static_cast<float>(std::log10(o.prob[i]));
      e->backoff = static_cast<float>(std::log10(o.gamma[i]));
    }
  }
  if (!opt.arpa_path.empty()) {
    std::ofstream f(opt.arpa_path, std::ios::trunc);
    f << "\\data\\\n";
    for (int n = 1; n <= N; ++n) f << "ngram " << n << "=" << lm->tables_[n - 1].count << "\n";
    char num[64];
    for (int n = 1; n <= N; ++n) {
      const Order& o = t.orders_[n - 1];
      f << "\n\\" << n << "-grams:\n";
      for (size_t i = 0; i < o.grams.size(); ++i) {
        if (!o.keep[i]) continue;
        const bool bos = n == 1 && o.grams[i][0] == kBos;
        std::snprintf(num, sizeof num, "%.7g", bos ? -99.0 : std::log10(o.prob[i]));
        f << num << '\t';
        for (int k = 0; k < n; ++k) f << (k ? " " : "") << lm->words_[o.grams[i][k]];
        if (n < N) {
          std::snprintf(num, sizeof num, "%.7g", std::log10(o.gamma[i]));
          f << '\t' << num;
        }
        f << '\n';
      }
    }
    f << "\n\\end\\\n";
    if (!f) return Status::IOError("cannot write " + opt.arpa_path);
  }
  return lm;
}

Result<std::unique_ptr<NgramLm>> NgramLm::Train(const std::vector<std::vector<std::string>>& sentences,
                                                const TrainOptions& options) {
  return Trainer::Run(sentences, options);
}

}  // namespace juicer::lm
