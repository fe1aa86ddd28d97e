#include "analysis/summary.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "analysis/text_util.h"

namespace juicer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// numpy's round(x, decimals) for decimals >= 0.
double NpRound(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::nearbyint(x * scale) / scale;
}

bool IsClose(double a, double b) { return std::fabs(a - b) <= 1e-8 + 1e-5 * std::fabs(b); }

// pandas' get_precision: the least number of decimals that keeps the (ascending) percentages
// apart, and apart from 0 and 100; at least 1.
int GetPrecision(const std::vector<double>& pcts) {
  std::vector<double> diffs;
  if (pcts.front() > 0) diffs.push_back(pcts.front());
  for (size_t i = 1; i < pcts.size(); ++i) diffs.push_back(pcts[i] - pcts[i - 1]);
  if (pcts.back() < 100) diffs.push_back(100 - pcts.back());
  double min_diff = std::numeric_limits<double>::infinity();
  for (double d : diffs) min_diff = std::min(min_diff, std::fabs(d));
  if (!(min_diff > 0) || std::isinf(min_diff)) return 1;
  const int prec = -static_cast<int>(std::floor(std::log10(min_diff)));
  return std::max(1, prec);
}

// numpy's pairwise summation (pairwise_sum in loops_utils.h): blocks of at most 128 values summed
// with 8 interleaved accumulators, larger ranges split in halves (multiples of 8).
template <typename F>
double PairwiseSum(const double* a, size_t n, const F& f) {
  if (n < 8) {
    double res = 0.;
    for (size_t i = 0; i < n; ++i) res += f(a[i]);
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (size_t j = 0; j < 8; ++j) r[j] = f(a[j]);
    size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (size_t j = 0; j < 8; ++j) r[j] += f(a[i + j]);
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += f(a[i]);
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return PairwiseSum(a, n2, f) + PairwiseSum(a + n2, n - n2, f);
}

// numpy's sum of a contiguous float64 array, bit for bit: the reduction runs over buffers of
// 8192 values, each summed pairwise.
template <typename F>
double NumpySum(const std::vector<double>& xs, const F& f) {
  constexpr size_t kBuffer = 8192;
  double res = 0;
  for (size_t i = 0; i < xs.size(); i += kBuffer)
    res += PairwiseSum(xs.data() + i, std::min(kBuffer, xs.size() - i), f);
  return res;
}

enum class Row { kCount, kUnique, kTop, kFreq, kMean, kStd, kMin, kPercentile, kMax };

struct RowSpec {
  Row row;
  size_t pct = 0;  // index into percentiles for kPercentile
  std::string label;
};

std::vector<RowSpec> RowsFor(const std::vector<ColumnSummary>& summaries,
                             const std::vector<double>& percentiles) {
  bool any_numeric = false, any_string = false;
  for (const ColumnSummary& s : summaries) (s.is_string ? any_string : any_numeric) = true;
  std::vector<RowSpec> rows;
  rows.push_back({Row::kCount, 0, "count"});
  if (any_string) {
    rows.push_back({Row::kUnique, 0, "unique"});
    rows.push_back({Row::kTop, 0, "top"});
    rows.push_back({Row::kFreq, 0, "freq"});
  }
  if (any_numeric) {
    rows.push_back({Row::kMean, 0, "mean"});
    rows.push_back({Row::kStd, 0, "std"});
    rows.push_back({Row::kMin, 0, "min"});
    const std::vector<std::string> labels = PercentileLabels(percentiles);
    for (size_t i = 0; i < percentiles.size(); ++i)
      rows.push_back({Row::kPercentile, i, labels[i]});
    rows.push_back({Row::kMax, 0, "max"});
  }
  return rows;
}

// One cell; `num` formats numbers, `integer` formats string-column counts. Empty when n/a.
std::string Cell(const ColumnSummary& s, const RowSpec& r,
                 const std::function<std::string(double)>& num,
                 const std::function<std::string(size_t)>& integer) {
  if (s.is_string) {
    const StringSummary& t = s.strings;
    switch (r.row) {
      case Row::kCount:
        return integer(t.count);
      case Row::kUnique:
        return integer(t.unique);
      case Row::kTop:
        return t.count ? t.top : std::string();
      case Row::kFreq:
        return t.count ? integer(t.freq) : std::string();
      default:
        return std::string();
    }
  }
  const NumericSummary& n = s.numeric;
  switch (r.row) {
    case Row::kCount:
      return num(static_cast<double>(n.count));
    case Row::kMean:
      return num(n.mean);
    case Row::kStd:
      return num(n.std);
    case Row::kMin:
      return num(n.min);
    case Row::kPercentile:
      return num(n.percentiles[r.pct]);
    case Row::kMax:
      return num(n.max);
    default:
      return std::string();
  }
}

std::string MarkdownCell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out.append("\\|");
    } else if (c == '\n' || c == '\r') {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string HumanOrEmpty(double x) { return std::isnan(x) ? std::string() : HumanNumber(x); }

}  // namespace

Result<std::vector<double>> NormalizePercentiles(std::vector<double> percentiles) {
  for (double p : percentiles) {
    if (!(p >= 0 && p <= 1))
      return Status::InvalidArgument("percentiles should all be in the interval [0, 1], got " +
                                     PyFloatRepr(p));
  }
  if (std::find(percentiles.begin(), percentiles.end(), 0.5) == percentiles.end())
    percentiles.push_back(0.5);
  std::sort(percentiles.begin(), percentiles.end());
  percentiles.erase(std::unique(percentiles.begin(), percentiles.end()), percentiles.end());
  return percentiles;
}

std::vector<double> WithQuartiles(std::vector<double> percentiles) {
  for (double q : {0.25, 0.5, 0.75})
    if (std::find(percentiles.begin(), percentiles.end(), q) == percentiles.end())
      percentiles.push_back(q);
  std::sort(percentiles.begin(), percentiles.end());
  return percentiles;
}

std::vector<std::string> PercentileLabels(const std::vector<double>& percentiles) {
  std::vector<std::string> out;
  if (percentiles.empty()) return out;
  std::vector<double> pcts;
  for (double p : percentiles) pcts.push_back(100 * p);
  const int prec = GetPrecision(pcts);
  bool all_int = true;
  std::vector<bool> is_int;
  for (double x : pcts) {
    const double rounded_int = std::trunc(NpRound(x, prec));
    is_int.push_back(IsClose(rounded_int, x));
    all_int = all_int && is_int.back();
  }
  if (all_int) {
    for (double x : pcts)
      out.push_back(std::to_string(static_cast<int64_t>(std::trunc(NpRound(x, prec)))) + "%");
    return out;
  }
  std::vector<double> unique = pcts;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  const int prec2 = GetPrecision(unique);
  for (size_t i = 0; i < pcts.size(); ++i) {
    if (is_int[i]) {
      out.push_back(std::to_string(static_cast<int64_t>(std::nearbyint(pcts[i]))) + "%");
    } else {
      std::string s = PyFloatRepr(NpRound(pcts[i], prec2));
      out.push_back(s + "%");
    }
  }
  return out;
}

double QuantileSorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double pos = static_cast<double>(sorted.size() - 1) * p;
  double lo_d = std::floor(pos);
  lo_d = std::clamp(lo_d, 0.0, static_cast<double>(sorted.size() - 1));
  const auto lo = static_cast<size_t>(lo_d);
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double t = pos - lo_d;
  const double a = sorted[lo], b = sorted[hi];
  // numpy's _lerp: a + (b-a)*t, computed from the nearer end for t >= 0.5.
  const double diff = b - a;
  double r = t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  if (a == b) r = a;  // also keeps inf endpoints exact
  return r;
}

NumericSummary SummarizeNumbers(std::vector<double> values, const std::vector<double>& percentiles,
                                std::vector<double>* sorted_out) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return std::isnan(x); }),
               values.end());
  NumericSummary s;
  s.count = values.size();
  if (values.empty()) {
    s.mean = s.std = s.min = s.max = kNaN;
    s.percentiles.assign(percentiles.size(), kNaN);
    if (sorted_out != nullptr) sorted_out->clear();
    return s;
  }
  // pandas' nanmean / nanvar (without bottleneck): sum / count, then the sum of (mean - x)^2 over
  // count - 1, with numpy's summation, in sample order.
  const auto n = static_cast<double>(values.size());
  s.mean = NumpySum(values, [](double x) { return x; }) / n;
  if (values.size() < 2) {
    s.std = kNaN;
  } else {
    const double mean = s.mean;
    const double ss = NumpySum(values, [mean](double x) { return (mean - x) * (mean - x); });
    s.std = std::sqrt(ss / (n - 1));
  }
  std::sort(values.begin(), values.end());
  s.min = values.front();
  s.max = values.back();
  // pandas calls np.percentile(values, 100 * p), which divides by 100 again: keep that rounding.
  for (double p : percentiles) s.percentiles.push_back(QuantileSorted(values, (100 * p) / 100));
  if (sorted_out != nullptr) *sorted_out = std::move(values);
  return s;
}

std::vector<std::pair<std::string, size_t>> TopStrings(const std::vector<std::string>& values,
                                                       size_t k) {
  std::unordered_map<std::string_view, size_t> index;
  std::vector<std::pair<std::string, size_t>> counts;  // first-seen order
  for (const std::string& v : values) {
    auto [it, inserted] = index.emplace(v, counts.size());
    if (inserted) counts.emplace_back(v, 0);
    ++counts[it->second].second;
  }
  std::stable_sort(counts.begin(), counts.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (counts.size() > k) counts.resize(k);
  return counts;
}

StringSummary SummarizeStrings(const std::vector<std::string>& values) {
  StringSummary s;
  s.count = values.size();
  std::unordered_map<std::string_view, size_t> index;
  std::vector<size_t> counts;  // per distinct value, first-seen order
  for (const std::string& v : values) {
    auto [it, inserted] = index.emplace(v, counts.size());
    if (inserted) counts.push_back(0);
    ++counts[it->second];
  }
  s.unique = counts.size();
  size_t best = 0;
  for (size_t i = 1; i < counts.size(); ++i)
    if (counts[i] > counts[best]) best = i;  // strictly more: ties keep the first seen
  if (!counts.empty()) s.freq = counts[best];
  for (const auto& [value, i] : index) {
    if (i == best && !counts.empty()) {
      s.top = std::string(value);
      break;
    }
  }
  return s;
}

ColumnSummary Summarize(const StatColumn& column, const std::vector<double>& percentiles,
                        std::vector<double>* sorted_out) {
  ColumnSummary s;
  s.name = column.name;
  s.is_string = column.is_string;
  if (s.is_string) {
    s.strings = SummarizeStrings(column.strings);
    if (sorted_out != nullptr) sorted_out->clear();
  } else {
    s.numeric = SummarizeNumbers(column.flattened, percentiles, sorted_out);
  }
  return s;
}

std::string OverallCsv(const std::vector<ColumnSummary>& summaries,
                       const std::vector<double>& percentiles) {
  std::string out;
  for (const ColumnSummary& s : summaries) {
    out.push_back(',');
    out.append(CsvField(s.name));
  }
  out.push_back('\n');
  const auto integer = [](size_t n) { return std::to_string(n); };
  for (const RowSpec& r : RowsFor(summaries, percentiles)) {
    out.append(r.label);
    for (const ColumnSummary& s : summaries) {
      out.push_back(',');
      out.append(CsvField(Cell(s, r, CsvNumber, integer)));
    }
    out.push_back('\n');
  }
  return out;
}

OverallTable OverallHumanTable(const std::vector<ColumnSummary>& summaries,
                               const std::vector<double>& percentiles) {
  OverallTable t;
  for (const ColumnSummary& s : summaries) t.column_names.push_back(s.name);
  const auto integer = [](size_t n) { return std::to_string(n); };
  for (const RowSpec& r : RowsFor(summaries, percentiles)) {
    t.row_labels.push_back(r.label);
    auto& row = t.cells.emplace_back();
    for (const ColumnSummary& s : summaries) row.push_back(Cell(s, r, HumanOrEmpty, integer));
  }
  return t;
}

std::string OverallMarkdown(const std::vector<ColumnSummary>& summaries,
                            const std::vector<double>& percentiles) {
  const OverallTable t = OverallHumanTable(summaries, percentiles);
  std::string out = "|    ";
  for (const std::string& name : t.column_names) out += " | " + MarkdownCell(name);
  out += " |\n|:---";
  for (size_t i = 0; i < t.column_names.size(); ++i) out += "|---:";
  out += "|\n";
  for (size_t r = 0; r < t.row_labels.size(); ++r) {
    out += "| " + t.row_labels[r];
    for (const std::string& cell : t.cells[r]) out += " | " + MarkdownCell(cell);
    out += " |\n";
  }
  return out;
}

}  // namespace juicer
