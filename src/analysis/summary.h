// The analyzer's overall table: a pandas-describe-compatible summary of every stat column.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "analysis/stats_collector.h"
#include "core/status.h"

namespace juicer {

// Percentiles as pandas' describe uses them: each checked to lie in [0, 1] (InvalidArgument
// otherwise), 0.5 added when missing, sorted, duplicates removed.
Result<std::vector<double>> NormalizePercentiles(std::vector<double> percentiles);

// DJ's analyzer always adds the quartiles to the configured percentiles: {0.25, 0.5, 0.75} ∪ ps.
std::vector<double> WithQuartiles(std::vector<double> percentiles);

// Row labels of percentiles like pandas' format_percentiles (2.x): {0.25, 0.5} -> "25%", "50%";
// {0.025, 0.5, 0.975} -> "2.5%", "50%", "97.5%". Expects normalized percentiles.
std::vector<std::string> PercentileLabels(const std::vector<double>& percentiles);

// The p-quantile of ascending `sorted` values, linear interpolation at position (n-1)*p exactly
// like numpy.quantile / pandas' Series.quantile. NaN for no values.
double QuantileSorted(const std::vector<double>& sorted, double p);

struct NumericSummary {
  size_t count = 0;
  double mean = 0, std = 0, min = 0, max = 0;  // NaN when count == 0; std NaN when count < 2
  std::vector<double> percentiles;             // one per requested percentile
};

struct StringSummary {
  size_t count = 0;
  size_t unique = 0;
  std::string top;  // most frequent value, ties to the first seen; empty when count == 0
  size_t freq = 0;  // its count
};

struct ColumnSummary {
  std::string name;
  bool is_string = false;
  NumericSummary numeric;  // filled when !is_string
  StringSummary strings;   // filled when is_string
};

// count, mean, sample std (ddof = 1), min, percentiles, max of the non-NaN values. When sorted_out
// is not null it receives those values sorted ascending (saves the charts another sort).
NumericSummary SummarizeNumbers(std::vector<double> values, const std::vector<double>& percentiles,
                                std::vector<double>* sorted_out = nullptr);
StringSummary SummarizeStrings(const std::vector<std::string>& values);
// The k most frequent values with their counts, most frequent first, ties in first-seen order.
std::vector<std::pair<std::string, size_t>> TopStrings(const std::vector<std::string>& values,
                                                       size_t k);
// A column's summary over its flattened values (numbers or strings). `percentiles` normalized.
// sorted_out: as for SummarizeNumbers (left empty for a string column).
ColumnSummary Summarize(const StatColumn& column, const std::vector<double>& percentiles,
                        std::vector<double>* sorted_out = nullptr);

// The overall table as text: rows are describe's statistics, columns the stats. With numeric stats
// only the rows are count, mean, std, min, <percentiles>, max; with string stats only count,
// unique, top, freq; with both, pandas' describe(include='all') order: count, unique, top, freq,
// mean, std, min, <percentiles>, max, cells that do not apply left empty.
//   CSV like pandas' to_csv: numbers as Python floats ("100.0", "0.25"), string counts as integers.
//   Markdown: a pipe table, numbers as HumanNumber (at most 4 decimals / 4 significant digits).
std::string OverallCsv(const std::vector<ColumnSummary>& summaries,
                       const std::vector<double>& percentiles);
std::string OverallMarkdown(const std::vector<ColumnSummary>& summaries,
                            const std::vector<double>& percentiles);

// The same table as cells, for other renderers (HTML): cells[row][col], human-formatted.
struct OverallTable {
  std::vector<std::string> row_labels;
  std::vector<std::string> column_names;
  std::vector<std::vector<std::string>> cells;
};
OverallTable OverallHumanTable(const std::vector<ColumnSummary>& summaries,
                               const std::vector<double>& percentiles);

}  // namespace juicer
