#include "analysis/probe_stats.h"

#include "analysis/correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/students_t.hpp>

namespace juicer {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double TQuantile(double level, size_t n) {
  boost::math::students_t dist(static_cast<double>(n - 1));
  return boost::math::quantile(dist, (1 + level) / 2);
}
}  // namespace

MeanSummary Summarize(std::span<const double> x, double level) {
  MeanSummary s;
  s.n = x.size();
  if (x.empty()) {
    s.mean = s.sd = s.se = s.ci_lo = s.ci_hi = kNaN;
    return s;
  }
  s.mean = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
  if (x.size() < 2) {
    s.sd = s.se = s.ci_lo = s.ci_hi = kNaN;
    return s;
  }
  double ss = 0;
  for (double v : x) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / (x.size() - 1));
  s.se = s.sd / std::sqrt(static_cast<double>(x.size()));
  const double h = TQuantile(level, x.size()) * s.se;
  s.ci_lo = s.mean - h;
  s.ci_hi = s.mean + h;
  return s;
}

double SignFlipPValue(std::span<const double> d) {
  const size_t n = d.size();
  if (n == 0 || n > 24) return kNaN;
  const double observed = std::fabs(std::accumulate(d.begin(), d.end(), 0.0));
  const uint64_t total = uint64_t{1} << n;
  uint64_t extreme = 0;
  for (uint64_t mask = 0; mask < total; ++mask) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += (mask >> i & 1) ? -d[i] : d[i];
    if (std::fabs(s) >= observed - 1e-12 * (1 + observed)) ++extreme;
  }
  return static_cast<double>(extreme) / static_cast<double>(total);
}

PairedComparison ComparePaired(std::span<const double> a, std::span<const double> b, double level) {
  PairedComparison c;
  const size_t n = std::min(a.size(), b.size());
  c.n = n;
  std::vector<double> d(n);
  for (size_t i = 0; i < n; ++i) d[i] = a[i] - b[i];
  const MeanSummary s = Summarize(d, level);
  const double base = Summarize(b.first(n), level).mean;
  c.mean_diff = s.mean;
  c.diff_ci_lo = s.ci_lo;
  c.diff_ci_hi = s.ci_hi;
  c.rel_change = base != 0 ? s.mean / std::fabs(base) : kNaN;
  c.rel_ci_lo = base != 0 ? s.ci_lo / std::fabs(base) : kNaN;
  c.rel_ci_hi = base != 0 ? s.ci_hi / std::fabs(base) : kNaN;
  if (n >= 2 && s.se > 0) {
    c.t = s.mean / s.se;
    boost::math::students_t dist(static_cast<double>(n - 1));
    c.p_t = 2 * boost::math::cdf(boost::math::complement(dist, std::fabs(c.t)));
  } else {
    c.t = kNaN;
    c.p_t = n >= 2 && s.mean != 0 ? 0.0 : 1.0;  // every seed moved by the same amount
  }
  c.p_perm = n > 0 ? SignFlipPValue(d) : 1.0;
  return c;
}

std::vector<Merge> AverageLinkage(const std::vector<double>& dist, size_t n) {
  std::vector<Merge> merges;
  if (n < 2) return merges;
  // Active clusters with their ids, sizes, and the current average distances between them.
  std::vector<size_t> id(n), size(n, 1);
  std::iota(id.begin(), id.end(), 0);
  std::vector<double> d(dist.begin(), dist.begin() + n * n);
  std::vector<bool> alive(n, true);
  for (size_t step = 0; step + 1 < n; ++step) {
    double best = std::numeric_limits<double>::infinity();
    size_t bi = 0, bj = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!alive[i]) continue;
      for (size_t j = i + 1; j < n; ++j) {
        if (!alive[j]) continue;
        // Ties break by the lower pair of indices, which keeps the result deterministic.
        if (d[i * n + j] < best) {
          best = d[i * n + j];
          bi = i;
          bj = j;
        }
      }
    }
    Merge m;
    m.a = std::min(id[bi], id[bj]);
    m.b = std::max(id[bi], id[bj]);
    m.height = best;
    m.size = size[bi] + size[bj];
    merges.push_back(m);
    for (size_t k = 0; k < n; ++k) {
      if (!alive[k] || k == bi || k == bj) continue;
      const double v = (d[bi * n + k] * size[bi] + d[bj * n + k] * size[bj]) / (size[bi] + size[bj]);
      d[bi * n + k] = d[k * n + bi] = v;
    }
    alive[bj] = false;
    size[bi] += size[bj];
    id[bi] = n + step;
  }
  return merges;
}

std::vector<int> CutIntoClusters(const std::vector<Merge>& merges, size_t n, size_t k) {
  // Union the first n-k merges; label clusters in order of their first item.
  std::vector<size_t> parent(2 * n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const size_t use = k >= n ? 0 : std::min(merges.size(), n - std::max<size_t>(k, 1));
  for (size_t i = 0; i < use; ++i) {
    parent[find(merges[i].a)] = n + i;
    parent[find(merges[i].b)] = n + i;
  }
  std::vector<int> labels(n, -1);
  std::vector<size_t> roots;
  for (size_t i = 0; i < n; ++i) {
    const size_t r = find(i);
    auto it = std::find(roots.begin(), roots.end(), r);
    if (it == roots.end()) {
      roots.push_back(r);
      labels[i] = static_cast<int>(roots.size() - 1);
    } else {
      labels[i] = static_cast<int>(it - roots.begin());
    }
  }
  return labels;
}

double MeanSilhouette(const std::vector<double>& dist, size_t n, const std::vector<int>& labels) {
  const int k = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
  if (k < 2 || k >= static_cast<int>(n)) return kNaN;
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> sum(k, 0.0);
    std::vector<int> cnt(k, 0);
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      sum[labels[j]] += dist[i * n + j];
      ++cnt[labels[j]];
    }
    if (cnt[labels[i]] == 0) continue;  // a singleton's silhouette is 0 (sklearn)
    const double a = sum[labels[i]] / cnt[labels[i]];
    double b = std::numeric_limits<double>::infinity();
    for (int c = 0; c < k; ++c) {
      if (c != labels[i] && cnt[c] > 0) b = std::min(b, sum[c] / cnt[c]);
    }
    const double m = std::max(a, b);
    total += m > 0 ? (b - a) / m : 0.0;
  }
  return total / n;
}

ClusterCut ClusterByCorrelation(const std::vector<double>& corr, size_t n, std::vector<Merge>* merges_out) {
  std::vector<double> dist(n * n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const double r = corr[i * n + j];
      dist[i * n + j] = i == j ? 0.0 : 1.0 - (std::isfinite(r) ? std::fabs(r) : 0.0);
    }
  }
  const std::vector<Merge> merges = AverageLinkage(dist, n);
  if (merges_out != nullptr) *merges_out = merges;
  ClusterCut cut;
  cut.labels.assign(n, 0);
  cut.silhouette = kNaN;
  cut.silhouette_by_k.assign(n + 1, kNaN);
  for (size_t k = 2; k + 1 <= n; ++k) {
    std::vector<int> labels = CutIntoClusters(merges, n, k);
    const double s = MeanSilhouette(dist, n, labels);
    cut.silhouette_by_k[k] = s;
    if (std::isfinite(s) && s > 0 && (!std::isfinite(cut.silhouette) || s > cut.silhouette)) {
      cut.silhouette = s;
      cut.k = k;
      cut.labels = std::move(labels);
    }
  }
  if (cut.k == 1) {
    for (size_t i = 0; i < n; ++i) cut.labels[i] = 0;
  }
  return cut;
}

PowerLawFit FitPowerLaw(std::span<const double> x, std::span<const double> y) {
  PowerLawFit f;
  f.a = f.b = f.r2 = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> lx, ly;
  for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
    if (x[i] > 0 && y[i] > 0 && std::isfinite(x[i]) && std::isfinite(y[i])) {
      lx.push_back(std::log(x[i]));
      ly.push_back(std::log(y[i]));
    }
  }
  f.n = lx.size();
  if (f.n < 2) return f;
  double mx = 0, my = 0;
  for (size_t i = 0; i < f.n; ++i) {
    mx += lx[i];
    my += ly[i];
  }
  mx /= static_cast<double>(f.n);
  my /= static_cast<double>(f.n);
  double sxx = 0, sxy = 0, syy = 0;
  for (size_t i = 0; i < f.n; ++i) {
    sxx += (lx[i] - mx) * (lx[i] - mx);
    sxy += (lx[i] - mx) * (ly[i] - my);
    syy += (ly[i] - my) * (ly[i] - my);
  }
  if (sxx <= 0) return f;
  f.b = sxy / sxx;
  f.a = std::exp(my - f.b * mx);
  double sse = 0;
  for (size_t i = 0; i < f.n; ++i) {
    const double e = ly[i] - (my + f.b * (lx[i] - mx));
    sse += e * e;
  }
  f.r2 = syy > 0 ? 1.0 - sse / syy : 1.0;
  return f;
}

RankCorrelation SpearmanExact(std::span<const double> x, std::span<const double> y) {
  RankCorrelation r;
  r.n = std::min(x.size(), y.size());
  r.rho = SpearmanCorrelation(x.first(r.n), y.first(r.n));
  if (!std::isfinite(r.rho) || r.n > 9) {
    r.p = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  std::vector<double> perm(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(r.n));
  std::sort(perm.begin(), perm.end());
  size_t total = 0, extreme = 0;
  const double observed = std::fabs(r.rho) - 1e-12;
  do {
    const double rho = SpearmanCorrelation(x.first(r.n), perm);
    ++total;
    extreme += std::isfinite(rho) && std::fabs(rho) >= observed;
  } while (std::next_permutation(perm.begin(), perm.end()));
  r.p = static_cast<double>(extreme) / static_cast<double>(total);
  return r;
}

}  // namespace juicer
