#include "analysis/correlation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "analysis/text_util.h"

namespace juicer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr uint32_t kMissing = std::numeric_limits<uint32_t>::max();

// One series prepared for the pair loops: which samples are present (finite; like pandas, +-inf
// counts as missing) and, for the rank methods, dense ranks (0 = the smallest value).
struct Prepared {
  std::span<const double> data;
  std::vector<uint32_t> dense;  // kMissing for missing; else the dense rank (0 without ranks)
  uint32_t distinct = 0;        // number of distinct values (with ranks)
  size_t valid = 0;
  bool varies = false;            // at least two distinct values
  std::vector<double> avg_ranks;  // average ranks over all valid values (1-based); lazily filled
};

Prepared Prepare(std::span<const double> data, bool ranks) {
  Prepared p;
  p.data = data;
  p.dense.assign(data.size(), kMissing);
  double first = kNaN;
  for (size_t i = 0; i < data.size(); ++i) {
    if (!std::isfinite(data[i])) continue;
    p.dense[i] = 0;
    ++p.valid;
    if (p.valid == 1) first = data[i];
    p.varies = p.varies || data[i] != first;
  }
  if (!ranks) return p;
  std::vector<std::pair<double, uint32_t>> order;  // (value, index): sorts cache-friendly
  order.reserve(p.valid);
  for (size_t i = 0; i < data.size(); ++i)
    if (p.dense[i] != kMissing) order.emplace_back(data[i], static_cast<uint32_t>(i));
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t k = 0; k < order.size(); ++k) {
    if (k > 0 && order[k].first != order[k - 1].first) ++p.distinct;
    p.dense[order[k].second] = p.distinct;
  }
  if (!order.empty()) ++p.distinct;
  return p;
}

// Average ranks (1-based, ties share their mean rank) of the dense ranks at `idx`.
std::vector<double> AverageRanks(const Prepared& p, const std::vector<uint32_t>& idx) {
  std::vector<uint32_t> count(p.distinct, 0);
  for (uint32_t i : idx) ++count[p.dense[i]];
  std::vector<double> rank_of(p.distinct);
  uint64_t before = 0;
  for (uint32_t d = 0; d < p.distinct; ++d) {
    rank_of[d] = static_cast<double>(before) + (static_cast<double>(count[d]) + 1) / 2;
    before += count[d];
  }
  std::vector<double> out;
  out.reserve(idx.size());
  for (uint32_t i : idx) out.push_back(rank_of[p.dense[i]]);
  return out;
}

std::vector<uint32_t> CompleteIndices(const Prepared& a, const Prepared& b) {
  std::vector<uint32_t> idx;
  idx.reserve(std::min(a.valid, b.valid));
  for (size_t i = 0; i < a.dense.size(); ++i)
    if (a.dense[i] != kMissing && b.dense[i] != kMissing) idx.push_back(static_cast<uint32_t>(i));
  return idx;
}

// Pearson's r with Welford's updates in sample order, exactly as pandas' nancorr. Its rounding is
// not symmetric: pandas computes entry [i][j] (i < j) with column j in the role of x.
double PearsonPair(const Prepared& a, const Prepared& b) {
  const std::vector<uint32_t> idx = CompleteIndices(a, b);
  if (idx.size() < 2) return kNaN;
  double mean_x = 0, mean_y = 0, ssq_x = 0, ssq_y = 0, cov = 0, nobs = 0;
  for (uint32_t i : idx) {
    const double vx = b.data[i], vy = a.data[i];
    nobs += 1;
    const double dx = vx - mean_x, dy = vy - mean_y;
    mean_x += 1. / nobs * dx;
    mean_y += 1. / nobs * dy;
    ssq_x += (vx - mean_x) * dx;
    ssq_y += (vy - mean_y) * dy;
    cov += (vx - mean_x) * dy;
  }
  const double div = std::sqrt(ssq_x * ssq_y);
  if (!(div > 0)) return kNaN;  // a constant series
  return std::clamp(cov / div, -1.0, 1.0);
}

// Pearson's r of two rank series of length n (mean (n+1)/2), as pandas' nancorr_spearman.
template <typename RankX, typename RankY>
double RankCorrelation(size_t n, RankX rx, RankY ry) {
  if (n < 2) return kNaN;
  const double mean = (static_cast<double>(n) + 1) / 2.;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t k = 0; k < n; ++k) {
    const double vx = rx(k) - mean, vy = ry(k) - mean;
    sxy += vx * vy;
    sxx += vx * vx;
    syy += vy * vy;
  }
  const double div = std::sqrt(sxx * syy);
  if (!(div > 0)) return kNaN;
  return std::clamp(sxy / div, -1.0, 1.0);
}

const std::vector<double>& FullRanks(Prepared* p) {
  if (p->avg_ranks.empty() && p->valid > 0) {
    std::vector<uint32_t> all;
    all.reserve(p->valid);
    for (size_t i = 0; i < p->dense.size(); ++i)
      if (p->dense[i] != kMissing) all.push_back(static_cast<uint32_t>(i));
    const std::vector<double> r = AverageRanks(*p, all);
    p->avg_ranks.assign(p->dense.size(), kNaN);
    for (size_t k = 0; k < all.size(); ++k) p->avg_ranks[all[k]] = r[k];
  }
  return p->avg_ranks;
}

double SpearmanPair(Prepared* a, Prepared* b) {
  const std::vector<uint32_t> idx = CompleteIndices(*a, *b);
  if (idx.size() == a->valid && idx.size() == b->valid) {
    // No sample dropped: the ranks over each whole column are the ranks of the complete pairs.
    const std::vector<double>& ra = FullRanks(a);
    const std::vector<double>& rb = FullRanks(b);
    return RankCorrelation(
        idx.size(), [&](size_t k) { return ra[idx[k]]; }, [&](size_t k) { return rb[idx[k]]; });
  }
  const std::vector<double> ra = AverageRanks(*a, idx);
  const std::vector<double> rb = AverageRanks(*b, idx);
  return RankCorrelation(
      idx.size(), [&](size_t k) { return ra[k]; }, [&](size_t k) { return rb[k]; });
}

// Stable counting sort of `idx` by key(i) in [0, buckets).
std::vector<uint32_t> CountingSort(const std::vector<uint32_t>& idx,
                                   const std::vector<uint32_t>& key, uint32_t buckets) {
  std::vector<size_t> start(static_cast<size_t>(buckets) + 1, 0);
  for (uint32_t i : idx) ++start[key[i] + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<uint32_t> out(idx.size());
  for (uint32_t i : idx) out[start[key[i]]++] = i;
  return out;
}

// Number of pairs i < j with v[i] > v[j]; sorts v (bottom-up merge sort).
uint64_t CountInversions(std::vector<uint32_t>* v) {
  uint64_t inversions = 0;
  const size_t n = v->size();
  std::vector<uint32_t> buf(n);
  std::vector<uint32_t>* src = v;
  std::vector<uint32_t>* dst = &buf;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      const size_t mid = std::min(lo + width, n), hi = std::min(lo + 2 * width, n);
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if ((*src)[j] < (*src)[i]) {
          inversions += mid - i;
          (*dst)[k++] = (*src)[j++];
        } else {
          (*dst)[k++] = (*src)[i++];
        }
      }
      while (i < mid) (*dst)[k++] = (*src)[i++];
      while (j < hi) (*dst)[k++] = (*src)[j++];
    }
    std::swap(src, dst);
  }
  if (src != v) *v = std::move(*src);
  return inversions;
}

// Sum of t*(t-1)/2 over runs of equal adjacent values.
uint64_t TiedPairs(const std::vector<uint32_t>& sorted) {
  uint64_t ties = 0, run = 1;
  for (size_t k = 1; k <= sorted.size(); ++k) {
    if (k < sorted.size() && sorted[k] == sorted[k - 1]) {
      ++run;
    } else {
      ties += run * (run - 1) / 2;
      run = 1;
    }
  }
  return ties;
}

double KendallPair(const Prepared& a, const Prepared& b) {
  const std::vector<uint32_t> idx = CompleteIndices(a, b);
  const uint64_t n = idx.size();
  const uint64_t tot = n * (n - (n > 0 ? 1 : 0)) / 2;
  // Sort by (x, y): by y first, then stably by x.
  const std::vector<uint32_t> by_xy =
      CountingSort(CountingSort(idx, b.dense, b.distinct), a.dense, a.distinct);
  std::vector<uint32_t> xs(n), ys(n);
  for (size_t k = 0; k < n; ++k) {
    xs[k] = a.dense[by_xy[k]];
    ys[k] = b.dense[by_xy[k]];
  }
  const uint64_t xtie = TiedPairs(xs);
  uint64_t ntie = 0, run = 1;  // pairs tied in both x and y
  for (size_t k = 1; k <= n; ++k) {
    if (k < n && xs[k] == xs[k - 1] && ys[k] == ys[k - 1]) {
      ++run;
    } else {
      ntie += run * (run - 1) / 2;
      run = 1;
    }
  }
  const uint64_t dis = CountInversions(&ys);  // ys is sorted afterwards
  const uint64_t ytie = TiedPairs(ys);
  if (xtie == tot || ytie == tot) return kNaN;
  const auto con_minus_dis = static_cast<double>(static_cast<int64_t>(tot - xtie - ytie + ntie) -
                                                 2 * static_cast<int64_t>(dis));
  const double tau = con_minus_dis / std::sqrt(static_cast<double>(tot - xtie)) /
                     std::sqrt(static_cast<double>(tot - ytie));
  return std::clamp(tau, -1.0, 1.0);
}

double Pair(CorrelationMethod method, Prepared* a, Prepared* b) {
  switch (method) {
    case CorrelationMethod::kPearson:
      return PearsonPair(*a, *b);
    case CorrelationMethod::kSpearman:
      return SpearmanPair(a, b);
    case CorrelationMethod::kKendall:
      return KendallPair(*a, *b);
  }
  return kNaN;
}

bool TooLong(size_t n) { return n >= kMissing; }

}  // namespace

const char* CorrelationMethodName(CorrelationMethod method) {
  switch (method) {
    case CorrelationMethod::kPearson:
      return "pearson";
    case CorrelationMethod::kSpearman:
      return "spearman";
    case CorrelationMethod::kKendall:
      return "kendall";
  }
  return "unknown";
}

double PearsonCorrelation(std::span<const double> x, std::span<const double> y) {
  const size_t n = std::min(x.size(), y.size());
  if (TooLong(n)) return kNaN;
  Prepared a = Prepare(x.first(n), false), b = Prepare(y.first(n), false);
  return PearsonPair(a, b);
}

double SpearmanCorrelation(std::span<const double> x, std::span<const double> y) {
  const size_t n = std::min(x.size(), y.size());
  if (TooLong(n)) return kNaN;
  Prepared a = Prepare(x.first(n), true), b = Prepare(y.first(n), true);
  return SpearmanPair(&a, &b);
}

double KendallTauB(std::span<const double> x, std::span<const double> y) {
  const size_t n = std::min(x.size(), y.size());
  if (TooLong(n)) return kNaN;
  Prepared a = Prepare(x.first(n), true), b = Prepare(y.first(n), true);
  return KendallPair(a, b);
}

CorrelationMatrix ComputeCorrelation(const std::vector<StatColumn>& columns,
                                     CorrelationMethod method) {
  CorrelationMatrix m;
  m.method = method;
  std::vector<const StatColumn*> numeric;
  for (const StatColumn& c : columns)
    if (!c.is_string) numeric.push_back(&c);
  const size_t k = numeric.size();
  for (const StatColumn* c : numeric) m.names.push_back(c->name);
  m.values.assign(k * k, kNaN);
  size_t n = 0;
  for (const StatColumn* c : numeric) n = std::max(n, c->per_sample.size());
  if (TooLong(n)) return m;
  std::vector<Prepared> prepared;
  prepared.reserve(k);
  const bool ranks = method != CorrelationMethod::kPearson;
  for (const StatColumn* c : numeric) prepared.push_back(Prepare(c->per_sample, ranks));
  for (size_t i = 0; i < k; ++i) {
    m.values[i * k + i] = prepared[i].varies ? 1.0 : kNaN;
    for (size_t j = i + 1; j < k; ++j) {
      const bool same_length = prepared[i].dense.size() == prepared[j].dense.size();
      const double r = same_length ? Pair(method, &prepared[i], &prepared[j]) : kNaN;
      m.values[i * k + j] = m.values[j * k + i] = r;
    }
  }
  return m;
}

std::string CorrelationCsv(const CorrelationMatrix& matrix) {
  std::string out;
  const size_t k = matrix.names.size();
  for (const std::string& name : matrix.names) {
    out.push_back(',');
    out.append(CsvField(name));
  }
  out.push_back('\n');
  for (size_t i = 0; i < k; ++i) {
    out.append(CsvField(matrix.names[i]));
    for (size_t j = 0; j < k; ++j) {
      out.push_back(',');
      out.append(CsvNumber(matrix.at(i, j)));
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace juicer
