// Self-contained SVG charts of the analyzer: histogram, box plot, correlation heat-map and a bar
// chart of the most frequent string values. Plain SVG 1.1 text (no scripts, no external resources).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/correlation.h"

namespace juicer {

// "Nice" axis ticks (steps of 1, 2 or 5 times a power of ten) covering [lo, hi], about `target` of
// them; the first tick is <= lo and the last >= hi.
std::vector<double> NiceTicks(double lo, double hi, int target);

struct HistogramBins {
  double lo = 0, hi = 0;        // edges: lo + (hi - lo) * i / counts.size()
  std::vector<size_t> counts;   // the last bin includes hi, like numpy.histogram
  size_t integers_per_bin = 0;  // integer data: each bin holds this many integers (centred); else 0
};
// Bins of the finite values, their number like numpy's bins="auto" (the larger of the
// Freedman-Diaconis and Sturges counts), at most max_bins. All values equal -> one bin [v-0.5,
// v+0.5]. Integer data gets bins of a whole number of integers, edges halfway between integers.
HistogramBins ComputeHistogramBins(const std::vector<double>& values, size_t max_bins = 100);

// Histogram of the values (non-finite ones are left out and counted in the subtitle).
std::string HistogramSvg(std::string_view title, const std::vector<double>& values);

// Vertical box plot: box from Q1 to Q3 with the median, whiskers to the furthest values within
// 1.5 IQR, the mean as a diamond, outliers as points (at most max_outliers drawn, evenly
// subsampled, the extremes always kept).
std::string BoxPlotSvg(std::string_view title, const std::vector<double>& values,
                       size_t max_outliers = 2000);

// Heat-map of a correlation matrix: red (-1) .. white (0) .. green (+1), values printed in the
// cells when they fit, column labels rotated, a colour bar legend.
std::string CorrelationHeatmapSvg(const CorrelationMatrix& matrix);

// Horizontal bars of the most frequent values (`top`, most frequent first) of a string stat with
// `total` values of which `unique` distinct.
std::string TopValuesBarSvg(std::string_view title,
                            const std::vector<std::pair<std::string, size_t>>& top, size_t total,
                            size_t unique);

}  // namespace juicer
