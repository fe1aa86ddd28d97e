#include "analysis/line_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/svg_charts.h"
#include "analysis/svg_doc.h"

namespace juicer {

std::string LineChartSvg(std::string_view title, std::string_view x_label, std::string_view y_label,
                         const std::vector<LineSeries>& series, bool log_x) {
  static const char* kColors[] = {"#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"};
  const double W = 640, H = 400, left = 70, right = 20, top = 56, bottom = H - 50;
  svg::Doc doc(W, H);
  doc.Title(title);
  auto tx = [&](double x) { return log_x ? std::log10(x) : x; };
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const auto& s : series) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]) || (log_x && s.x[i] <= 0)) continue;
      x0 = std::min(x0, tx(s.x[i]));
      x1 = std::max(x1, tx(s.x[i]));
      y0 = std::min(y0, s.y[i]);
      y1 = std::max(y1, s.y[i]);
    }
  }
  if (!std::isfinite(x0)) {
    doc.Text(W / 2, H / 2, "no data", 13, "middle", R"(fill="#888888")");
    return doc.Finish();
  }
  if (x1 == x0) x1 = x0 + 1;
  if (y1 == y0) y1 = y0 + 1;
  const std::vector<double> xt = NiceTicks(x0, x1, 6), yt = NiceTicks(y0, y1, 6);
  const svg::Scale sx{xt.front(), xt.back(), left, W - right}, sy{yt.front(), yt.back(), bottom, top};
  const auto xl = svg::TickLabels(xt), yl = svg::TickLabels(yt);
  for (size_t i = 0; i < yt.size(); ++i) {
    doc.Line(left, sy(yt[i]), W - right, sy(yt[i]), "#e6e6e6");
    doc.Text(left - 6, sy(yt[i]) + 4, yl[i], 11, "end");
  }
  for (size_t i = 0; i < xt.size(); ++i) {
    doc.Line(sx(xt[i]), top, sx(xt[i]), bottom, "#e6e6e6");
    const std::string label = log_x ? svg::TickLabels({std::pow(10.0, xt[i])})[0] : xl[i];
    doc.Text(sx(xt[i]), bottom + 16, label, 11, "middle");
  }
  doc.Line(left, bottom, W - right, bottom, "#444444");
  doc.Line(left, top, left, bottom, "#444444");
  doc.Text((left + W - right) / 2, H - 12, std::string(x_label) + (log_x ? " (log scale)" : ""), 12, "middle");
  doc.Text(16, (top + bottom) / 2, y_label, 12, "middle",
           "transform=\"rotate(-90 16 " + svg::Num((top + bottom) / 2) + ")\"");
  for (size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    const char* color = kColors[k % 6];
    std::string pts;
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]) || (log_x && s.x[i] <= 0)) continue;
      pts += svg::Num(sx(tx(s.x[i]))) + "," + svg::Num(sy(s.y[i])) + " ";
      if (s.x.size() <= 30) doc.Circle(sx(tx(s.x[i])), sy(s.y[i]), 2.5, color);
    }
    doc.Raw("<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\"1.6\" points=\"" + pts +
            "\"/>\n");
    if (series.size() > 1) {
      const double ly = top + 4 + 16 * static_cast<double>(k);
      doc.Line(W - right - 150, ly, W - right - 130, ly, color, 2);
      doc.Text(W - right - 125, ly + 4, s.name, 11);
    }
  }
  return doc.Finish();
}

}  // namespace juicer
