// Writes the analysis of collected stats into a directory (what `juicer analyze` produces):
//   overall.csv, overall.md          the overall table (see summary.h)
//   <stat>-hist.svg, <stat>-box.svg  per numeric stat (flattened values)
//   <stat>-bar.svg                   per string stat (most frequent values)
//   correlation_<method>.csv / .svg  per requested method, when there are >= 2 numeric stats
//   index.html                       the overall table and every picture, for a browser
// Stat names become file names with characters other than [A-Za-z0-9._-] replaced by '_' (and a
// "-2", "-3" ... suffix when two names collide). Every file is written atomically (core's
// WriteFileAtomic: a temporary file beside it, then renamed over it).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/stats_collector.h"
#include "core/status.h"

namespace juicer {

struct AnalysisOptions {
  // Percentiles of the overall table, normalized like pandas (0.5 added, sorted, deduplicated).
  // DJ always adds the quartiles to its configured `percentiles`: pass WithQuartiles(configured)
  // (summary.h) to reproduce that.
  std::vector<double> percentiles = {0.25, 0.5, 0.75};
  bool pearson = true, spearman = false, kendall = false;
  size_t top_k_strings = 20;  // bars in a string stat's chart
};

// Writes the analysis of `columns` into `dir` (created when missing). Appends the path of every
// file written (dir + "/" + name) to *written_files when it is not null.
// InvalidArgument for bad percentiles; IOError naming the path when a file cannot be written.
Status WriteAnalysis(const std::vector<StatColumn>& columns, const AnalysisOptions& opts,
                     const std::string& dir, std::vector<std::string>* written_files);

// The file-name stem used for a stat name (before any collision suffix).
std::string StatFileStem(const std::string& stat_name);

}  // namespace juicer
