// Line chart (SVG) of one or more series: training curves, metric-vs-compute curves.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace juicer {

struct LineSeries {
  std::string name;
  std::vector<double> x, y;  // same length; non-finite points are skipped
};

// Axes with nice ticks, one coloured polyline per series, a legend when there are several.
// log_x: logarithmic x axis (x must be > 0; other points are skipped).
std::string LineChartSvg(std::string_view title, std::string_view x_label, std::string_view y_label,
                         const std::vector<LineSeries>& series, bool log_x = false);

}  // namespace juicer
