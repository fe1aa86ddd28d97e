// Correlation matrices of stats, like pandas' DataFrame.corr: pairwise-complete observations (a
// pair of series uses the samples where both are finite: NaN and +-inf are missing), NaN for a
// constant series or fewer than two observations. Pearson follows pandas' nancorr (Welford's
// updates), Spearman its nancorr_spearman, Kendall scipy's kendalltau, to the last bit.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "analysis/stats_collector.h"

namespace juicer {

enum class CorrelationMethod { kPearson, kSpearman, kKendall };

// "pearson", "spearman", "kendall".
const char* CorrelationMethodName(CorrelationMethod method);

// Pearson's r over the pairs where both x[i] and y[i] are finite (the longer series is cut).
double PearsonCorrelation(std::span<const double> x, std::span<const double> y);
// Spearman's rho: Pearson's r of the average ranks (ties share their mean rank) of the complete
// pairs.
double SpearmanCorrelation(std::span<const double> x, std::span<const double> y);
// Kendall's tau-b (like scipy.stats.kendalltau), exact, O(n log n) (Knight's algorithm).
double KendallTauB(std::span<const double> x, std::span<const double> y);

struct CorrelationMatrix {
  CorrelationMethod method = CorrelationMethod::kPearson;
  std::vector<std::string> names;
  std::vector<double> values;  // row-major, names.size() squared; symmetric
  double at(size_t i, size_t j) const { return values[i * names.size() + j]; }
};

// The matrix over the per_sample values of the numeric columns (is_string false), in their order.
// The diagonal is 1 for a column with two or more distinct values, else NaN.
CorrelationMatrix ComputeCorrelation(const std::vector<StatColumn>& columns,
                                     CorrelationMethod method);

// CSV like pandas' to_csv of the matrix: a header row (empty corner, then the names), one row per
// stat; Python float format, NaN as an empty cell.
std::string CorrelationCsv(const CorrelationMatrix& matrix);

}  // namespace juicer
