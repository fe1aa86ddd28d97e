#include "analysis/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "analysis/summary.h"
#include "analysis/svg_doc.h"
#include "analysis/text_util.h"

namespace juicer {
namespace {

using svg::Doc;
using svg::Grouped;
using svg::Num;
using svg::Scale;
using svg::TextWidth;

constexpr const char* kBarColor = "#4c72b0";
constexpr const char* kAxisColor = "#444444";
constexpr const char* kGridColor = "#e6e6e6";
constexpr const char* kMedianColor = "#dd8452";
constexpr const char* kMeanColor = "#2e8b57";

// 1, 2, 5 or 10 times a power of ten, near x.
double NiceNum(double x) {
  const double exp = std::floor(std::log10(x));
  const double f = x / std::pow(10.0, exp);
  const double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * std::pow(10.0, exp);
}

std::vector<double> FiniteSorted(const std::vector<double>& values, size_t* dropped) {
  std::vector<double> v;
  v.reserve(values.size());
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  *dropped = values.size() - v.size();
  if (!std::is_sorted(v.begin(), v.end())) std::sort(v.begin(), v.end());
  return v;
}

HistogramBins BinsOfSorted(const std::vector<double>& v, size_t max_bins) {
  HistogramBins b;
  if (v.empty()) return b;
  max_bins = std::max<size_t>(1, max_bins);
  b.lo = v.front();
  b.hi = v.back();
  size_t bins = 1;
  if (b.hi == b.lo) {
    if (b.lo == std::floor(b.lo)) b.integers_per_bin = 1;
    b.lo -= 0.5;
    b.hi += 0.5;
  } else {
    const auto n = static_cast<double>(v.size());
    bins = static_cast<size_t>(std::ceil(std::log2(n))) + 1;  // Sturges
    const double iqr = QuantileSorted(v, 0.75) - QuantileSorted(v, 0.25);
    const double fd_width = 2 * iqr / std::cbrt(n);
    if (fd_width > 0) {
      const double fd = std::ceil((b.hi - b.lo) / fd_width);
      if (fd > static_cast<double>(bins))
        bins = fd >= static_cast<double>(max_bins) ? max_bins : static_cast<size_t>(fd);
    }
    bins = std::min(bins, max_bins);
    // Integer data: bins of a whole number of integers centred on them, so none gets more
    // integers than its neighbours (no comb pattern) and small counts get one bar per value.
    bool integral = b.hi - b.lo < 1e15;
    for (size_t i = 0; integral && i < v.size(); ++i) integral = v[i] == std::floor(v[i]);
    if (integral) {
      const double values = b.hi - b.lo + 1;
      const double per_bin = std::ceil(values / static_cast<double>(bins));
      bins = static_cast<size_t>(std::ceil(values / per_bin));
      b.lo -= 0.5;
      b.hi = b.lo + per_bin * static_cast<double>(bins);
      b.integers_per_bin = static_cast<size_t>(per_bin);
    }
  }
  b.counts.assign(bins, 0);
  const double width = b.hi - b.lo;
  for (double x : v) {
    auto i = static_cast<size_t>(std::floor((x - b.lo) / width * static_cast<double>(bins)));
    b.counts[std::min(i, bins - 1)]++;
  }
  return b;
}

// Ticks inside [lo, hi] whose labels do not collide at the given pixel spacing.
// Integer data gets integer ticks only.
std::vector<double> XTicksInside(double lo, double hi, const Scale& sx, double font,
                                 bool integers) {
  std::vector<double> ticks;
  for (int target = 8; target >= 2; --target) {
    ticks.clear();
    const double eps = (hi - lo) * 1e-9;
    std::vector<double> nice =
        integers ? NiceTicks(std::ceil(lo), std::floor(hi), target) : NiceTicks(lo, hi, target);
    if (integers && nice.size() > 1 && nice[1] - nice[0] < 1) {
      nice.clear();
      for (double t = std::ceil(lo); t <= hi; ++t) nice.push_back(t);
    }
    for (double t : nice)
      if (t >= lo - eps && t <= hi + eps) ticks.push_back(t);
    const std::vector<std::string> labels = svg::TickLabels(ticks);
    bool fits = true;
    for (size_t i = 1; i < ticks.size(); ++i) {
      const double gap = std::fabs(sx(ticks[i]) - sx(ticks[i - 1]));
      if (gap < (TextWidth(labels[i], font) + TextWidth(labels[i - 1], font)) / 2 + 8) fits = false;
    }
    if (fits) break;
  }
  return ticks;
}

double MaxLabelWidth(const std::vector<std::string>& labels, double font) {
  double w = 0;
  for (const std::string& l : labels) w = std::max(w, TextWidth(l, font));
  return w;
}

void EmptyMessage(Doc* doc, std::string_view message) {
  doc->Text(doc->width() / 2, doc->height() / 2, message, 14, "middle", "fill=\"#888888\"");
}

std::string Rgb(double r, double g, double b) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround(r)),
                static_cast<int>(std::lround(g)), static_cast<int>(std::lround(b)));
  return buf;
}

// red (-1) .. white (0) .. green (+1); grey for NaN.
std::string CorrColor(double r) {
  if (std::isnan(r)) return "#d9d9d9";
  const double t = std::clamp(r, -1.0, 1.0);
  const double to[3] = {t < 0 ? 215.0 : 26.0, t < 0 ? 48.0 : 152.0, t < 0 ? 39.0 : 80.0};
  const double a = std::fabs(t);
  return Rgb(255 + (to[0] - 255) * a, 255 + (to[1] - 255) * a, 255 + (to[2] - 255) * a);
}

// Spreads label positions (ascending y) at least `gap` apart within [lo, hi].
void SpreadLabels(std::vector<double>* ys, double gap, double lo, double hi) {
  auto& y = *ys;
  for (size_t i = 1; i < y.size(); ++i) y[i] = std::max(y[i], y[i - 1] + gap);
  if (!y.empty() && y.back() > hi) {
    y.back() = hi;
    for (size_t i = y.size() - 1; i-- > 0;) y[i] = std::min(y[i], y[i + 1] - gap);
  }
  if (!y.empty() && y.front() < lo) {
    y.front() = lo;
    for (size_t i = 1; i < y.size(); ++i) y[i] = std::max(y[i], y[i - 1] + gap);
  }
}

void YAxis(Doc* doc, const std::vector<double>& ticks, const Scale& sy, double left, double right,
           bool grid) {
  const std::vector<std::string> labels = svg::TickLabels(ticks);
  for (size_t i = 0; i < ticks.size(); ++i) {
    const double y = sy(ticks[i]);
    if (grid) doc->Line(left, y, right, y, kGridColor);
    doc->Line(left - 5, y, left, y, kAxisColor);
    doc->Text(left - 8, y + 4, labels[i], 11, "end", "fill=\"#333333\"");
  }
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double d = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const double step = NiceNum((hi - lo) / std::max(1, target - 1));
  const double start = std::floor(lo / step) * step;
  const double end = std::ceil(hi / step) * step;
  const auto n = static_cast<int64_t>(std::llround((end - start) / step));
  for (int64_t i = 0; i <= n; ++i) ticks.push_back(start + static_cast<double>(i) * step);
  return ticks;
}

HistogramBins ComputeHistogramBins(const std::vector<double>& values, size_t max_bins) {
  size_t dropped = 0;
  return BinsOfSorted(FiniteSorted(values, &dropped), max_bins);
}

std::string HistogramSvg(std::string_view title, const std::vector<double>& values) {
  size_t dropped = 0;
  const std::vector<double> v = FiniteSorted(values, &dropped);
  const double W = 720, H = 430;
  if (v.empty()) {
    Doc doc(W, H);
    doc.Title(title, dropped ? Grouped(dropped) + " non-finite values" : "");
    EmptyMessage(&doc, "no finite values");
    return doc.Finish();
  }
  const HistogramBins bins = BinsOfSorted(v, 100);
  const size_t nb = bins.counts.size();
  const size_t max_count = *std::max_element(bins.counts.begin(), bins.counts.end());
  const double median = QuantileSorted(v, 0.5);
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());
  const std::string med_text = "median " + HumanNumber(median);
  const std::string mean_text = "mean " + HumanNumber(mean);
  const double legend_w = std::max(TextWidth(med_text, 11), TextWidth(mean_text, 11)) + 40;
  const double legend_h = 40;
  const double top = 60, bottom = H - 58;

  // The legend goes in the upper corner (right or left) with the lower bars under it; the count
  // axis gets headroom when those bars would still reach it.
  const double approx_plot_w =
      W - 28 - 34 - 10 -
      MaxLabelWidth(svg::TickLabels(NiceTicks(0, static_cast<double>(max_count), 6)), 11);
  const double legend_frac = std::min(1.0, (legend_w + 12) / approx_plot_w);
  const auto span =
      std::min(nb, static_cast<size_t>(std::ceil(legend_frac * static_cast<double>(nb))));
  const size_t right_max =
      *std::max_element(bins.counts.end() - static_cast<std::ptrdiff_t>(span), bins.counts.end());
  const size_t left_max = *std::max_element(
      bins.counts.begin(), bins.counts.begin() + static_cast<std::ptrdiff_t>(span));
  const bool legend_left = left_max < right_max;
  const double under = static_cast<double>(legend_left ? left_max : right_max);
  const double plot_h = bottom - top, free_h = plot_h - legend_h - 12;
  const double y_needed = std::max(static_cast<double>(max_count) * 1.04, under * plot_h / free_h);
  const std::vector<double> yticks = NiceTicks(0, y_needed, 6);
  const double ylabel_w = MaxLabelWidth(svg::TickLabels(yticks), 11);
  const double left = 34 + ylabel_w + 10;
  double right = W - 28;
  Scale sx{bins.lo, bins.hi, left, right};
  std::vector<double> xticks = XTicksInside(bins.lo, bins.hi, sx, 11, bins.integers_per_bin > 0);
  const std::vector<std::string> xlabels = svg::TickLabels(xticks);
  if (!xticks.empty() && sx(xticks.back()) + TextWidth(xlabels.back(), 11) / 2 > W - 4) {
    right = W - 4 - TextWidth(xlabels.back(), 11) / 2;
    sx.r1 = right;
  }
  const Scale sy{0, yticks.back(), bottom, top};

  std::string subtitle =
      Grouped(v.size()) + " values, " + std::to_string(nb) + (nb == 1 ? " bin" : " bins");
  if (dropped) subtitle += ", " + Grouped(dropped) + " non-finite left out";
  Doc doc(W, H);
  doc.Title(title, subtitle);
  YAxis(&doc, yticks, sy, left, right, true);
  const double bin_w = (bins.hi - bins.lo) / static_cast<double>(nb);
  const bool outline = (right - left) / static_cast<double>(nb) > 4;
  for (size_t i = 0; i < nb; ++i) {
    if (bins.counts[i] == 0) continue;
    const double a = bins.lo + bin_w * static_cast<double>(i), b = a + bin_w;
    double x0 = sx(a), x1 = sx(b);
    const double y = sy(static_cast<double>(bins.counts[i]));
    if (bins.integers_per_bin == 1 && x1 - x0 > 6) {  // one bar per value: leave gaps
      const double gap = (x1 - x0) * 0.12;
      x0 += gap;
      x1 -= gap;
    }
    std::string tip;
    if (bins.integers_per_bin == 1) {
      tip = HumanNumber(a + 0.5);
    } else if (bins.integers_per_bin > 1) {
      tip = HumanNumber(a + 0.5) + " \u2013 " + HumanNumber(b - 0.5);
    } else {
      tip = "[" + HumanNumber(a) + ", " + HumanNumber(b) + (i + 1 == nb ? "]" : ")");
    }
    tip += ": " + Grouped(bins.counts[i]);
    doc.Rect(x0, y, x1 - x0, bottom - y, kBarColor,
             outline ? "stroke=\"#ffffff\" stroke-width=\"0.6\"" : "", tip);
  }
  // Median and mean markers with a small legend.
  doc.Line(sx(median), top, sx(median), bottom, kMedianColor, 1.6, "stroke-dasharray=\"6 3\"");
  doc.Line(sx(mean), top, sx(mean), bottom, kMeanColor, 1.6, "stroke-dasharray=\"2 2\"");
  const double lx = legend_left ? left + 6 : right - legend_w - 6;
  doc.Rect(lx, top + 4, legend_w, legend_h, "#ffffff", "fill-opacity=\"0.85\" stroke=\"#cccccc\"");
  doc.Line(lx + 8, top + 18, lx + 30, top + 18, kMedianColor, 1.6, "stroke-dasharray=\"6 3\"");
  doc.Text(lx + 34, top + 22, med_text, 11, "start", "fill=\"#333333\"");
  doc.Line(lx + 8, top + 34, lx + 30, top + 34, kMeanColor, 1.6, "stroke-dasharray=\"2 2\"");
  doc.Text(lx + 34, top + 38, mean_text, 11, "start", "fill=\"#333333\"");
  // Axes.
  doc.Line(left, bottom, right, bottom, kAxisColor);
  doc.Line(left, top, left, bottom, kAxisColor);
  for (size_t i = 0; i < xticks.size(); ++i) {
    const double x = sx(xticks[i]);
    doc.Line(x, bottom, x, bottom + 5, kAxisColor);
    doc.Text(x, bottom + 18, xlabels[i], 11, "middle", "fill=\"#333333\"");
  }
  doc.Text((left + right) / 2, H - 14, svg::FitText(title, W - 40, 12), 12, "middle",
           "fill=\"#222222\"");
  const double ymid = (top + bottom) / 2;
  doc.Text(16, ymid, "count", 12, "middle",
           "fill=\"#222222\" transform=\"rotate(-90 16 " + Num(ymid) + ")\"");
  return doc.Finish();
}

std::string BoxPlotSvg(std::string_view title, const std::vector<double>& values,
                       size_t max_outliers) {
  size_t dropped = 0;
  const std::vector<double> v = FiniteSorted(values, &dropped);
  const double H = 470;
  if (v.empty()) {
    Doc doc(520, H);
    doc.Title(title, dropped ? Grouped(dropped) + " non-finite values" : "");
    EmptyMessage(&doc, "no finite values");
    return doc.Finish();
  }
  const double q1 = QuantileSorted(v, 0.25), med = QuantileSorted(v, 0.5),
               q3 = QuantileSorted(v, 0.75);
  const double iqr = q3 - q1;
  const double lo_fence = q1 - 1.5 * iqr, hi_fence = q3 + 1.5 * iqr;
  const auto lo_it = std::lower_bound(v.begin(), v.end(), lo_fence);
  const auto hi_it = std::upper_bound(v.begin(), v.end(), hi_fence);
  const double whisker_lo = std::min(*lo_it, q1);
  const double whisker_hi = std::max(*(hi_it - 1), q3);
  std::vector<double> outliers(v.begin(), lo_it);
  outliers.insert(outliers.end(), hi_it, v.end());
  const size_t n_out = outliers.size();
  if (max_outliers >= 2 && n_out > max_outliers) {  // evenly spaced in sorted order, extremes kept
    std::vector<double> kept;
    kept.reserve(max_outliers);
    for (size_t k = 0; k < max_outliers; ++k)
      kept.push_back(outliers[static_cast<size_t>(
          std::llround(static_cast<double>(k) * static_cast<double>(n_out - 1) /
                       static_cast<double>(max_outliers - 1)))]);
    outliers = std::move(kept);
  }
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());

  const std::vector<double> yticks = NiceTicks(v.front(), v.back(), 7);
  const double ylabel_w = MaxLabelWidth(svg::TickLabels(yticks), 11);
  const double left = 34 + ylabel_w + 10, top = 62, bottom = H - 40;
  const double cx = left + 110, box_w = 84;
  const Scale sy{yticks.front(), yticks.back(), bottom, top};

  struct Note {
    double y;
    std::string text;
    const char* color;
  };
  std::vector<Note> notes = {
      {sy(v.back()), "max " + HumanNumber(v.back()), "#333333"},
      {sy(q3), "Q3 " + HumanNumber(q3), "#333333"},
      {sy(med), "median " + HumanNumber(med), kMedianColor},
      {sy(mean), "mean " + HumanNumber(mean), kMeanColor},
      {sy(q1), "Q1 " + HumanNumber(q1), "#333333"},
      {sy(v.front()), "min " + HumanNumber(v.front()), "#333333"},
  };
  std::stable_sort(notes.begin(), notes.end(),
                   [](const Note& a, const Note& b) { return a.y < b.y; });
  double notes_w = 0;
  for (const Note& n : notes) notes_w = std::max(notes_w, TextWidth(n.text, 11));
  const double note_x = cx + box_w / 2 + 56;
  const double W =
      std::max(note_x + notes_w + 20, std::min(680.0, TextWidth(title, 16) * 1.1 + 30));

  std::string subtitle = Grouped(v.size()) + " values, " + Grouped(n_out) + " outliers";
  if (outliers.size() < n_out) subtitle += " (" + Grouped(outliers.size()) + " drawn)";
  if (dropped) subtitle += ", " + Grouped(dropped) + " non-finite left out";
  Doc doc(W, H);
  doc.Title(title, subtitle);
  YAxis(&doc, yticks, sy, left, W - 12, true);
  doc.Line(left, top, left, bottom, kAxisColor);
  // Whiskers and caps.
  doc.Line(cx, sy(whisker_hi), cx, sy(q3), kAxisColor, 1.2);
  doc.Line(cx, sy(q1), cx, sy(whisker_lo), kAxisColor, 1.2);
  doc.Line(cx - box_w / 4, sy(whisker_hi), cx + box_w / 4, sy(whisker_hi), kAxisColor, 1.2);
  doc.Line(cx - box_w / 4, sy(whisker_lo), cx + box_w / 4, sy(whisker_lo), kAxisColor, 1.2);
  // Box and median.
  const double box_top = sy(q3), box_bottom = sy(q1);
  doc.Rect(cx - box_w / 2, box_top, box_w, std::max(1.0, box_bottom - box_top), "#a6bddb",
           "stroke=\"#2b4c7e\" stroke-width=\"1.2\"",
           "Q1 " + HumanNumber(q1) + ", median " + HumanNumber(med) + ", Q3 " + HumanNumber(q3));
  doc.Line(cx - box_w / 2, sy(med), cx + box_w / 2, sy(med), kMedianColor, 2.4);
  // Outliers, jittered horizontally (deterministically) so dense ones stay visible.
  std::string points = "<g fill=\"#c44e52\" fill-opacity=\"0.45\">\n";
  for (size_t i = 0; i < outliers.size(); ++i) {
    const uint32_t h = static_cast<uint32_t>(i) * 2654435761u;
    const double jitter = (static_cast<double>(h % 1000) / 1000.0 - 0.5) * box_w * 0.5;
    points +=
        "<circle cx=\"" + Num(cx + jitter) + "\" cy=\"" + Num(sy(outliers[i])) + "\" r=\"2.2\"/>\n";
  }
  doc.Raw(points + "</g>\n");
  // Mean diamond.
  const double my = sy(mean);
  doc.Raw("<path d=\"M" + Num(cx) + " " + Num(my - 6) + " L" + Num(cx + 6) + " " + Num(my) + " L" +
          Num(cx) + " " + Num(my + 6) + " L" + Num(cx - 6) + " " + Num(my) + " Z\" fill=\"" +
          kMeanColor + "\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n");
  // Annotations with leader lines, spread so they do not overlap.
  std::vector<double> ys;
  for (const Note& n : notes) ys.push_back(n.y);
  SpreadLabels(&ys, 14, top + 4, bottom);
  for (size_t i = 0; i < notes.size(); ++i) {
    doc.Line(cx + box_w / 2 + 4, notes[i].y, note_x - 6, ys[i], "#bbbbbb", 0.8);
    doc.Text(note_x, ys[i] + 4, notes[i].text, 11, "start",
             std::string("fill=\"") + notes[i].color + "\"");
  }
  const double ymid = (top + bottom) / 2;
  doc.Text(16, ymid, svg::FitText(title, bottom - top, 12), 12, "middle",
           "fill=\"#222222\" transform=\"rotate(-90 16 " + Num(ymid) + ")\"");
  return doc.Finish();
}

std::string CorrelationHeatmapSvg(const CorrelationMatrix& matrix) {
  const size_t k = matrix.names.size();
  std::string title = CorrelationMethodName(matrix.method);
  title[0] = static_cast<char>(title[0] - 'a' + 'A');
  title += " correlation";
  const double cell = std::clamp(std::floor(520.0 / std::max<size_t>(k, 1)), 18.0, 64.0);
  const double font =
      std::clamp(std::floor(cell * 0.6), 9.0, 12.0);  // rotated labels must not touch
  std::vector<std::string> labels;
  for (const std::string& name : matrix.names) labels.push_back(svg::FitText(name, 190, font));
  const double label_w = MaxLabelWidth(labels, font);
  const double grid = cell * static_cast<double>(k);
  const double diag = label_w * 0.7072;
  const double left = std::max(label_w + 14, diag - cell / 2 + 8) + 10;
  const double top = 58;
  const double bar_x = left + grid + 26;
  double W = bar_x + 16 + 46;
  W = std::max({W, TextWidth(title, 16) * 1.1 + 40, 360.0});
  const double H = top + grid + diag + 26;
  Doc doc(W, H);
  doc.Title(title, Grouped(k) + " stats, pairwise-complete samples");
  if (k == 0) {
    EmptyMessage(&doc, "no numeric stats");
    return doc.Finish();
  }
  const double value_font = std::min(12.0, cell * 0.3);
  const bool show_values = cell >= 26;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < k; ++j) {
      const double r = matrix.at(i, j);
      const double x = left + cell * static_cast<double>(j),
                   y = top + cell * static_cast<double>(i);
      const std::string tip = matrix.names[i] + " \u00d7 " + matrix.names[j] + ": " +
                              (std::isnan(r) ? std::string("NaN") : PyFloatRepr(r));
      doc.Rect(x, y, cell, cell, CorrColor(r), "stroke=\"#ffffff\" stroke-width=\"1\"", tip);
      if (!show_values) continue;
      char buf[16];
      if (std::isnan(r)) {
        std::snprintf(buf, sizeof buf, "NaN");
      } else {
        std::snprintf(buf, sizeof buf, "%.2f", std::fabs(r) < 0.005 ? 0.0 : r);
      }
      const char* color = std::isnan(r) ? "#777777" : std::fabs(r) > 0.6 ? "#ffffff" : "#222222";
      doc.Text(x + cell / 2, y + cell / 2 + value_font * 0.35, buf, value_font, "middle",
               std::string("fill=\"") + color + "\"");
    }
  }
  for (size_t i = 0; i < k; ++i) {
    const double cy = top + cell * (static_cast<double>(i) + 0.5);
    doc.Text(left - 8, cy + font * 0.35, labels[i], font, "end", "fill=\"#222222\"");
    const double cx = left + cell * (static_cast<double>(i) + 0.5), ly = top + grid + 10;
    doc.Text(cx, ly, labels[i], font, "end",
             "fill=\"#222222\" dominant-baseline=\"central\" transform=\"rotate(-45 " + Num(cx) +
                 " " + Num(ly) + ")\"");
  }
  // Colour bar: +1 (green) at the top, -1 (red) at the bottom.
  doc.Raw(
      "<defs><linearGradient id=\"corr-scale\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">"
      "<stop offset=\"0\" stop-color=\"" +
      CorrColor(1) +
      "\"/>"
      "<stop offset=\"0.5\" stop-color=\"#ffffff\"/>"
      "<stop offset=\"1\" stop-color=\"" +
      CorrColor(-1) + "\"/></linearGradient></defs>\n");
  doc.Rect(bar_x, top, 16, grid, "url(#corr-scale)", "stroke=\"#999999\" stroke-width=\"0.8\"");
  const int steps = grid >= 120 ? 4 : 2;
  for (int s = 0; s <= steps; ++s) {
    const double value = 1.0 - 2.0 * s / steps;
    const double y = top + grid * s / steps;
    doc.Line(bar_x + 16, y, bar_x + 20, y, kAxisColor);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%g", value);
    doc.Text(bar_x + 23, y + 4, buf, 11, "start", "fill=\"#333333\"");
  }
  return doc.Finish();
}

std::string TopValuesBarSvg(std::string_view title,
                            const std::vector<std::pair<std::string, size_t>>& top, size_t total,
                            size_t unique) {
  const double font = 12, row_h = 24, top_y = 62;
  std::vector<std::string> labels;
  for (const auto& [value, count] : top)
    labels.push_back(svg::FitText(value.empty() ? "(empty)" : value, 240, font));
  std::vector<std::string> counts;
  for (const auto& [value, count] : top) {
    char pct[32];
    std::snprintf(pct, sizeof pct, " (%.1f%%)",
                  total ? 100.0 * static_cast<double>(count) / static_cast<double>(total) : 0.0);
    counts.push_back(Grouped(count) + pct);
  }
  const double left = MaxLabelWidth(labels, font) + 22;
  const double bar_area = 420;
  const double right_text = MaxLabelWidth(counts, 11) + 16;
  const double W = std::max(left + bar_area + right_text, 480.0);
  const double H = top_y + row_h * static_cast<double>(std::max<size_t>(top.size(), 1)) + 46;
  std::string subtitle = "top " + std::to_string(top.size()) + " of " + Grouped(unique) +
                         " distinct values, " + Grouped(total) + " in total";
  Doc doc(W, H);
  doc.Title(title, subtitle);
  if (top.empty()) {
    EmptyMessage(&doc, "no values");
    return doc.Finish();
  }
  const double max_count = static_cast<double>(top.front().second);
  const std::vector<double> ticks = NiceTicks(0, max_count, 5);
  const Scale sx{0, ticks.back(), left, left + bar_area};
  const double bottom = top_y + row_h * static_cast<double>(top.size());
  const std::vector<std::string> tick_labels = svg::TickLabels(ticks);
  for (size_t i = 0; i < ticks.size(); ++i) {
    const double x = sx(ticks[i]);
    doc.Line(x, top_y, x, bottom, kGridColor);
    doc.Line(x, bottom, x, bottom + 5, kAxisColor);
    doc.Text(x, bottom + 18, tick_labels[i], 11, "middle", "fill=\"#333333\"");
  }
  for (size_t i = 0; i < top.size(); ++i) {
    const double y = top_y + row_h * static_cast<double>(i);
    const double x1 = sx(static_cast<double>(top[i].second));
    doc.Rect(left, y + 3, x1 - left, row_h - 6, kBarColor, "",
             top[i].first + ": " + Grouped(top[i].second));
    doc.Text(left - 8, y + row_h / 2 + 4, labels[i], font, "end", "fill=\"#222222\"");
    doc.Text(x1 + 5, y + row_h / 2 + 4, counts[i], 11, "start", "fill=\"#333333\"");
  }
  doc.Line(left, top_y, left, bottom, kAxisColor);
  doc.Line(left, bottom, left + bar_area, bottom, kAxisColor);
  doc.Text(left + bar_area / 2, H - 8, "count", 12, "middle", "fill=\"#222222\"");
  return doc.Finish();
}

}  // namespace juicer
