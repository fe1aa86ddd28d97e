// The SVG charts of the probe report (see probe_report_internal.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "analysis/svg_charts.h"
#include "analysis/svg_doc.h"
#include "analysis/text_util.h"
#include "sandbox/probe_report_internal.h"

namespace juicer::sandbox::report {

namespace {

using svg::Doc;
using svg::Scale;

constexpr const char* kGrid = "#e5e7eb";
constexpr const char* kAxis = "#444444";
constexpr const char* kText = "fill=\"#333333\"";
constexpr const char* kThirdColors[] = {"#2563eb", "#f59e0b", "#16a34a"};
constexpr const char* kSeriesColors[] = {"#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2",
                                         "#be185d", "#4d7c0f", "#7c2d12", "#475569"};

bool Finite(double v) { return std::isfinite(v); }

struct Range {
  double lo = INFINITY, hi = -INFINITY;
  void Add(double v) {
    if (Finite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  bool empty() const { return !(lo <= hi); }
  // Padded so that points do not sit on the frame; a flat range gets a width.
  void Pad(double frac) {
    if (empty()) lo = 0, hi = 1;
    const double span = hi - lo;
    const double pad = span > 0 ? span * frac : std::max(std::fabs(lo) * 0.05, 0.5);
    lo -= pad, hi += pad;
  }
};

struct Summary {
  double mean = NAN, lo = NAN, hi = NAN;
};
Summary SummaryOf(const Json& s) {
  Summary out;
  if (!s.is_object()) return out;
  out.mean = NumAt(s, "mean");
  if (auto it = s.find("ci95"); it != s.end() && it->is_array() && it->size() == 2) {
    out.lo = Num((*it)[0]), out.hi = Num((*it)[1]);
  }
  return out;
}

// Horizontal grid lines and labels of a linear y axis; returns the scale.
Scale YAxis(Doc& doc, const std::vector<double>& ticks, double x0, double x1, double y_top, double y_bottom) {
  const Scale sy{ticks.front(), ticks.back(), y_bottom, y_top};
  const std::vector<std::string> labels = svg::TickLabels(ticks);
  for (size_t i = 0; i < ticks.size(); ++i) {
    const double y = sy(ticks[i]);
    doc.Line(x0, y, x1, y, kGrid);
    doc.Text(x0 - 6, y + 4, labels[i], 11, "end", kText);
  }
  doc.Line(x0, y_top, x0, y_bottom, kAxis);
  doc.Line(x0, y_bottom, x1, y_bottom, kAxis);
  return sy;
}

// Vertical grid lines and labels of a linear x axis.
Scale XAxis(Doc& doc, const std::vector<double>& ticks, double x0, double x1, double y_top, double y_bottom) {
  const Scale sx{ticks.front(), ticks.back(), x0, x1};
  const std::vector<std::string> labels = svg::TickLabels(ticks);
  for (size_t i = 0; i < ticks.size(); ++i) {
    const double x = sx(ticks[i]);
    doc.Line(x, y_top, x, y_bottom, kGrid);
    doc.Line(x, y_bottom, x, y_bottom + 5, kAxis);
    doc.Text(x, y_bottom + 18, labels[i], 11, "middle", kText);
  }
  doc.Line(x0, y_bottom, x1, y_bottom, kAxis);
  return sx;
}

void YTitle(Doc& doc, double x, double y_mid, const std::string& text) {
  doc.Raw("<text x=\"" + svg::Num(x) + "\" y=\"" + svg::Num(y_mid) + "\" font-size=\"12\" text-anchor=\"middle\" " +
          kText + " transform=\"rotate(-90 " + svg::Num(x) + " " + svg::Num(y_mid) + ")\">" + H(text) + "</text>\n");
}

// A vertical error bar with caps and the point.
void VErrorBar(Doc& doc, double x, double ylo, double yhi, double ymean, const char* color, const std::string& tip) {
  if (Finite(ylo) && Finite(yhi)) {
    doc.Line(x, ylo, x, yhi, color, 1.6);
    doc.Line(x - 4, ylo, x + 4, ylo, color, 1.6);
    doc.Line(x - 4, yhi, x + 4, yhi, color, 1.6);
  }
  if (Finite(ymean)) {
    doc.Raw("<circle cx=\"" + svg::Num(x) + "\" cy=\"" + svg::Num(ymean) + "\" r=\"4.5\" fill=\"" + color +
            "\" stroke=\"#ffffff\" stroke-width=\"1\"><title>" + H(tip) + "</title></circle>\n");
  }
}

void LegendItem(Doc& doc, double x, double y, const char* color, const std::string& label, bool line = false) {
  if (line) {
    doc.Line(x, y - 4, x + 18, y - 4, color, 2.5);
  } else {
    doc.Circle(x + 9, y - 4, 5, color);
  }
  doc.Text(x + 24, y, label, 12, "start", kText);
}

double LegendWidth(const std::string& label) { return 24 + MeasureText(label, 12) + 18; }

std::string MessageSvg(const std::string& title, const std::string& message) {
  Doc doc(520, 90);
  doc.Title(title);
  doc.Text(260, 64, message, 13, "middle", "fill=\"#777777\"");
  return InlineSvg(doc.Finish());
}

std::string Direction(bool lower_is_better) { return lower_is_better ? " (lower is better)" : " (higher is better)"; }

}  // namespace

std::string CiBarSvg(double lo, double hi, double mean, double scale) {
  const double w = 200, mid = w / 2;
  auto x = [&](double v) { return std::clamp(mid + v / scale * (w / 2 - 6), 3.0, w - 3); };
  std::string s = "<svg class=\"cibar\" width=\"200\" height=\"16\" viewBox=\"0 0 200 16\">";
  s += "<line x1=\"" + svg::Num(mid) + "\" y1=\"1\" x2=\"" + svg::Num(mid) + "\" y2=\"15\" stroke=\"#999\"/>";
  if (Finite(lo) && Finite(hi)) {
    s += "<line x1=\"" + svg::Num(x(lo)) + "\" y1=\"8\" x2=\"" + svg::Num(x(hi)) + "\" y2=\"8\" stroke=\"" +
         (lo > 0 ? "#1a7f37" : hi < 0 ? "#cf222e" : "#57606a") + "\" stroke-width=\"3\"/>";
  }
  if (Finite(mean)) s += "<circle cx=\"" + svg::Num(x(mean)) + "\" cy=\"8\" r=\"3.5\" fill=\"#24292f\"/>";
  return s + "</svg>";
}

std::string PoolMeansSvg(const Json& pools, const std::string& metric, bool lower_is_better) {
  const std::string title = "Metric of every pool (mean and 95% CI over seeds)";
  std::vector<std::string> groups;
  std::map<std::string, std::vector<const Json*>> by_group;
  const Json* random = nullptr;
  Range yr;
  for (const auto& p : pools) {
    if (!p.is_object()) continue;
    const std::string stat = StrAt(p, "stat");
    const Summary s = SummaryOf(At(p, "summary"));
    yr.Add(s.mean), yr.Add(s.lo), yr.Add(s.hi);
    if (stat.empty()) {
      random = &p;
      continue;
    }
    if (!by_group.count(stat)) groups.push_back(stat);
    by_group[stat].push_back(&p);
  }
  if (groups.empty() && random == nullptr) return MessageSvg(title, "no pools");
  yr.Pad(0.06);
  const std::vector<double> ticks = NiceTicks(yr.lo, yr.hi, 6);
  double max_label = 0;
  for (const auto& g : groups) max_label = std::max(max_label, MeasureText(g, 12));
  const double gw = std::clamp(900.0 / std::max<size_t>(groups.size(), 1), 64.0, 120.0);
  const bool rotate = max_label > gw - 6;
  const double left = 78, top = 84, plot_h = 300;
  const double bottom_pad = rotate ? std::min(max_label, 220.0) * 0.6 + 34 : 40;
  const double W = std::max(left + gw * static_cast<double>(std::max<size_t>(groups.size(), 1)) + 30, 620.0);
  const double doc_h = top + plot_h + bottom_pad;
  Doc doc(W, doc_h);
  doc.Title(title, metric + Direction(lower_is_better));
  const double x0 = left, x1 = W - 30, yb = top + plot_h;
  const Scale sy = YAxis(doc, ticks, x0, x1, top, yb);
  YTitle(doc, 18, top + plot_h / 2, metric);
  if (random != nullptr) {
    const Summary r = SummaryOf((*random)["summary"]);
    if (Finite(r.lo) && Finite(r.hi)) {
      doc.Rect(x0, sy(r.hi), x1 - x0, sy(r.lo) - sy(r.hi), "#9ca3af", "fill-opacity=\"0.18\"");
    }
    if (Finite(r.mean)) doc.Line(x0, sy(r.mean), x1, sy(r.mean), "#6b7280", 1.5, "stroke-dasharray=\"6 4\"");
  }
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const double cx = x0 + gw * (static_cast<double>(gi) + 0.5) + (x1 - x0 - gw * groups.size()) / 2;
    if (gi > 0) doc.Line(cx - gw / 2, top, cx - gw / 2, yb, "#f3f4f6");
    for (const Json* p : by_group[groups[gi]]) {
      const int third = std::clamp(IntAt(*p, "third", 1), 0, 2);
      const Summary s = SummaryOf((*p)["summary"]);
      const double x = cx + (third - 1) * gw * 0.24;
      VErrorBar(doc, x, Finite(s.lo) ? sy(s.lo) : NAN, Finite(s.hi) ? sy(s.hi) : NAN, Finite(s.mean) ? sy(s.mean) : NAN,
                kThirdColors[third],
                groups[gi] + " " + ThirdName(third) + ": " + Fmt("%.4g", s.mean) + " [" + Fmt("%.4g", s.lo) + ", " +
                    Fmt("%.4g", s.hi) + "]");
    }
    const std::string label = svg::FitText(groups[gi], 220, 12);
    if (rotate) {
      doc.Raw("<text x=\"" + svg::Num(cx) + "\" y=\"" + svg::Num(yb + 16) + "\" font-size=\"12\" text-anchor=\"end\" " +
              kText + " transform=\"rotate(-35 " + svg::Num(cx) + " " + svg::Num(yb + 16) + ")\">" + H(label) +
              "</text>\n");
    } else {
      doc.Text(cx, yb + 18, label, 12, "middle", kText);
    }
  }
  // Legend in the top-right corner above the plot.
  const std::vector<std::pair<const char*, std::string>> items = {
      {kThirdColors[0], "low third"}, {kThirdColors[1], "mid third"}, {kThirdColors[2], "high third"}};
  double lx = x0 + 4;
  for (const auto& [color, label] : items) {
    LegendItem(doc, lx, top - 14, color, label);
    lx += LegendWidth(label);
  }
  if (random != nullptr) LegendItem(doc, lx, top - 14, "#6b7280", "random (band: 95% CI)", true);
  return InlineSvg(doc.Finish());
}

std::string DendrogramSvg(const std::vector<std::string>& names, const Json& merges, const Json& clusters, size_t k) {
  const std::string title = "Clusters of the OP stats (average linkage)";
  const size_t n = names.size();
  if (n < 2 || !merges.is_array() || merges.size() != n - 1) return MessageSvg(title, "no merges to draw");
  struct Node {
    size_t a, b;
    double h;
  };
  std::vector<Node> nodes;
  for (size_t i = 0; i < merges.size(); ++i) {
    const Json& m = merges[i];
    if (!m.is_array() || m.size() < 3) return MessageSvg(title, "malformed merges");
    const double a = Num(m[0]), b = Num(m[1]), h = Num(m[2]);
    if (!(a >= 0 && b >= 0 && a < n + i && b < n + i) || !Finite(h)) return MessageSvg(title, "malformed merges");
    nodes.push_back({static_cast<size_t>(a), static_cast<size_t>(b), h});
  }
  std::map<std::string, int> cluster_of;
  if (clusters.is_array()) {
    for (size_t c = 0; c < clusters.size(); ++c) {
      if (!clusters[c].is_array()) continue;
      for (const auto& m : clusters[c]) {
        if (m.is_string()) cluster_of[m.get<std::string>()] = static_cast<int>(c);
      }
    }
  }
  // Leaf order: depth first from the root; leaves then nodes get (y, height, cluster).
  std::vector<size_t> order;
  std::vector<size_t> stack = {2 * n - 2};
  while (!stack.empty()) {
    const size_t id = stack.back();
    stack.pop_back();
    if (id < n) {
      order.push_back(id);
    } else {
      stack.push_back(nodes[id - n].b);
      stack.push_back(nodes[id - n].a);
    }
  }
  if (order.size() != n) return MessageSvg(title, "malformed merges");
  double max_label = 0, max_h = 0;
  for (const auto& s : names) max_label = std::max(max_label, MeasureText(svg::FitText(s, 260, 12), 12));
  for (const auto& nd : nodes) max_h = std::max(max_h, nd.h);
  const double row = 24, top = 58, left = max_label + 24, plot_w = 420;
  const double doc_h = top + row * static_cast<double>(n) + 48;
  const double W = left + plot_w + 40;
  Doc doc(W, doc_h);
  doc.Title(title, "leaves coloured by cluster; dashed line: the cut into k = " + std::to_string(k));
  const std::vector<double> ticks = NiceTicks(0, max_h > 0 ? max_h * 1.05 : 1, 6);
  const double yb = top + row * static_cast<double>(n);
  const Scale sx = XAxis(doc, ticks, left, left + plot_w, top, yb);
  doc.Text(left + plot_w / 2, yb + 38, "merge height (1 − |r|)", 12, "middle", kText);
  std::vector<double> y(2 * n - 1), x(2 * n - 1);
  std::vector<int> cl(2 * n - 1, -1);
  for (size_t i = 0; i < n; ++i) {
    y[order[i]] = top + row * (static_cast<double>(i) + 0.5);
    x[order[i]] = sx(0);
    auto it = cluster_of.find(names[order[i]]);
    cl[order[i]] = it == cluster_of.end() ? -1 : it->second;
  }
  for (size_t i = 0; i < n; ++i) {
    const int c = cl[i];
    const char* color = c >= 0 ? kSeriesColors[c % 10] : "#333333";
    doc.Circle(x[i], y[i], 3.5, color);
    doc.Text(left - 10, y[i] + 4, svg::FitText(names[i], 260, 12), 12, "end", "fill=\"" + std::string(color) + "\"");
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const size_t id = n + i;
    const Node& nd = nodes[i];
    x[id] = sx(nd.h);
    y[id] = (y[nd.a] + y[nd.b]) / 2;
    cl[id] = cl[nd.a] == cl[nd.b] ? cl[nd.a] : -1;
    const char* color = cl[id] >= 0 ? kSeriesColors[cl[id] % 10] : "#6b7280";
    doc.Line(x[nd.a], y[nd.a], x[id], y[nd.a], color, 1.8);
    doc.Line(x[nd.b], y[nd.b], x[id], y[nd.b], color, 1.8);
    doc.Line(x[id], y[nd.a], x[id], y[nd.b], color, 1.8);
  }
  if (k >= 2 && k <= n) {
    const size_t applied = n - k;  // merges below the cut
    const double below = applied > 0 ? nodes[applied - 1].h : 0;
    const double cut = (below + nodes[applied].h) / 2;
    doc.Line(sx(cut), top - 4, sx(cut), yb, "#dc2626", 1.5, "stroke-dasharray=\"5 4\"");
    doc.Text(sx(cut) + 4, top + 8, "cut: k = " + std::to_string(k), 11, "start", "fill=\"#dc2626\"");
  }
  return InlineSvg(doc.Finish());
}

std::string IntervalRowsSvg(const Json& rows, const std::string& title, const std::string& metric) {
  if (!rows.is_array() || rows.empty()) return MessageSvg(title, "nothing to draw");
  Range xr;
  double max_label = 0;
  const Json* random = nullptr;
  for (const auto& r : rows) {
    const Summary s = SummaryOf(At(r, "summary"));
    xr.Add(s.mean), xr.Add(s.lo), xr.Add(s.hi);
    max_label = std::max(max_label, MeasureText(svg::FitText(StrAt(r, "name"), 300, 12), 12));
    if (random == nullptr && StrAt(r, "name") == "random") random = &r;
  }
  xr.Pad(0.08);
  const double row = 28, top = 58, left = max_label + 26, plot_w = 460;
  const double yb = top + row * static_cast<double>(rows.size());
  Doc doc(left + plot_w + 30, yb + 52);
  doc.Title(title, "mean and 95% CI over seeds; grey: reference pools");
  const Scale sx = XAxis(doc, NiceTicks(xr.lo, xr.hi, 6), left, left + plot_w, top, yb);
  doc.Text(left + plot_w / 2, yb + 40, metric, 12, "middle", kText);
  if (random != nullptr) {
    const Summary r = SummaryOf((*random)["summary"]);
    if (Finite(r.lo) && Finite(r.hi)) doc.Rect(sx(r.lo), top, sx(r.hi) - sx(r.lo), yb - top, "#9ca3af", "fill-opacity=\"0.18\"");
    if (Finite(r.mean)) doc.Line(sx(r.mean), top, sx(r.mean), yb, "#6b7280", 1.5, "stroke-dasharray=\"6 4\"");
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const Json& r = rows[i];
    const double y = top + row * (static_cast<double>(i) + 0.5);
    const bool ref = BoolAt(r, "ref");
    const char* color = ref ? "#6b7280" : "#2563eb";
    const Summary s = SummaryOf(At(r, "summary"));
    const std::string name = svg::FitText(StrAt(r, "name"), 300, 12);
    doc.Text(left - 10, y + 4, name, 12, "end", ref ? "fill=\"#6b7280\"" : "fill=\"#111111\" font-weight=\"bold\"");
    if (Finite(s.lo) && Finite(s.hi)) {
      doc.Line(sx(s.lo), y, sx(s.hi), y, color, 2.2);
      doc.Line(sx(s.lo), y - 5, sx(s.lo), y + 5, color, 2);
      doc.Line(sx(s.hi), y - 5, sx(s.hi), y + 5, color, 2);
    }
    if (Finite(s.mean)) {
      doc.Raw("<circle cx=\"" + svg::Num(sx(s.mean)) + "\" cy=\"" + svg::Num(y) + "\" r=\"5\" fill=\"" + color +
              "\"><title>" + H(name + ": " + Fmt("%.4g", s.mean) + " [" + Fmt("%.4g", s.lo) + ", " + Fmt("%.4g", s.hi) + "]") +
              "</title></circle>\n");
    }
  }
  return InlineSvg(doc.Finish());
}

std::string ScalingSvg(const Json& scaling, const std::string& metric) {
  const std::string title = "Scaling: metric vs compute";
  const Json& curves = At(scaling, "curves");
  const Json& fits = At(scaling, "fits");
  struct Pt {
    double x;
    Summary s;
  };
  std::vector<std::pair<std::string, std::vector<Pt>>> series;
  Range xr, yr;
  for (auto it = curves.begin(); curves.is_object() && it != curves.end(); ++it) {
    std::vector<Pt> pts;
    for (const auto& p : it.value()) {
      const double x = NumAt(p, "compute");
      if (!(x > 0)) continue;
      const Summary s = SummaryOf(At(p, "summary"));
      pts.push_back({x, s});
      xr.Add(x), yr.Add(s.mean), yr.Add(s.lo), yr.Add(s.hi);
    }
    std::sort(pts.begin(), pts.end(), [](const Pt& a, const Pt& b) { return a.x < b.x; });
    series.emplace_back(it.key(), std::move(pts));
  }
  if (xr.empty()) return MessageSvg(title, "no points with compute > 0");
  // Log-x ticks: decades (1-2-5 within a narrow range).
  const double d0 = std::floor(std::log10(xr.lo)), d1 = std::ceil(std::log10(xr.hi) + 1e-12);
  std::vector<double> xt;
  const bool narrow = d1 - d0 <= 2;
  for (double d = d0; d <= d1; ++d) {
    for (double m : narrow ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
      const double v = m * std::pow(10.0, d);
      if (v >= std::pow(10.0, d0) * 0.999 && v <= std::pow(10.0, d1) * 1.001) xt.push_back(v);
    }
  }
  // Fitted curves, metric = a * compute^b + c, sampled in log space.
  const double lx0 = std::log10(xt.front()), lx1 = std::log10(xt.back());
  std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> fit_lines;
  for (const auto& [name, pts] : series) {
    const Json f = fits.is_object() ? At(fits, name) : Json();
    if (!f.is_object()) continue;
    const double a = NumAt(f, "a"), b = NumAt(f, "b"), c = NumAt(f, "c");
    if (!Finite(a) || !Finite(b)) continue;
    std::vector<std::pair<double, double>> line;
    for (int i = 0; i <= 80; ++i) {
      const double lx = lx0 + (lx1 - lx0) * i / 80.0, v = a * std::pow(10.0, lx * b) + (Finite(c) ? c : 0);
      if (Finite(v)) line.emplace_back(lx, v);
    }
    fit_lines.emplace_back(name, std::move(line));
  }
  Range fit_r = yr;
  for (const auto& [name, line] : fit_lines) {
    for (const auto& [lx, v] : line) fit_r.Add(v);
  }
  // Keep the fits from blowing up the axis: at most one extra span of the data each way.
  yr.Pad(0.08);
  const double span = yr.hi - yr.lo;
  yr.lo = std::max(fit_r.lo, yr.lo - span), yr.hi = std::min(fit_r.hi, yr.hi + span);
  yr.Pad(0.02);
  const std::vector<double> yt = NiceTicks(yr.lo, yr.hi, 6);
  const double left = 78, top = 50, plot_w = 620, plot_h = 320;
  const double legend_rows = static_cast<double>(series.size());
  Doc doc(left + plot_w + 30, top + plot_h + 56 + 20 * legend_rows);
  doc.Title(title, "mean and 95% CI over seeds; lines: fitted power laws metric = a·compute^b + c");
  const double x0 = left, x1 = left + plot_w, yb = top + plot_h;
  const Scale sy = YAxis(doc, yt, x0, x1, top, yb);
  const Scale slx{lx0, lx1, x0, x1};
  for (double v : xt) {
    const double x = slx(std::log10(v));
    doc.Line(x, top, x, yb, kGrid);
    doc.Line(x, yb, x, yb + 5, kAxis);
    doc.Text(x, yb + 18, HumanNumber(v), 11, "middle", kText);
  }
  doc.Text(x0 + plot_w / 2, yb + 36, "compute (log scale)", 12, "middle", kText);
  YTitle(doc, 18, top + plot_h / 2, metric);
  doc.Raw("<clipPath id=\"scaling-clip\"><rect x=\"" + svg::Num(x0) + "\" y=\"" + svg::Num(top) + "\" width=\"" +
          svg::Num(plot_w) + "\" height=\"" + svg::Num(plot_h) + "\"/></clipPath>\n");
  for (size_t si = 0; si < series.size(); ++si) {
    const auto& [name, pts] = series[si];
    const char* color = kSeriesColors[si % 10];
    for (const auto& [fname, line] : fit_lines) {
      if (fname != name || line.size() < 2) continue;
      std::string d;
      for (const auto& [lx, v] : line) d += (d.empty() ? "M" : " L") + svg::Num(slx(lx)) + " " + svg::Num(sy(v));
      doc.Raw("<path d=\"" + d + "\" fill=\"none\" stroke=\"" + color +
              "\" stroke-width=\"1.6\" stroke-dasharray=\"7 4\" clip-path=\"url(#scaling-clip)\"/>\n");
    }
    std::string poly;
    for (const auto& p : pts) {
      if (Finite(p.s.mean)) poly += (poly.empty() ? "M" : " L") + svg::Num(slx(std::log10(p.x))) + " " + svg::Num(sy(p.s.mean));
    }
    if (!poly.empty()) doc.Raw("<path d=\"" + poly + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\"/>\n");
    for (const auto& p : pts) {
      const double x = slx(std::log10(p.x)) + (static_cast<double>(si) - 0.5 * (series.size() - 1)) * 5;
      VErrorBar(doc, x, Finite(p.s.lo) ? sy(p.s.lo) : NAN, Finite(p.s.hi) ? sy(p.s.hi) : NAN,
                Finite(p.s.mean) ? sy(p.s.mean) : NAN, color,
                name + " @ " + HumanNumber(p.x) + ": " + Fmt("%.4g", p.s.mean) + " [" + Fmt("%.4g", p.s.lo) + ", " +
                    Fmt("%.4g", p.s.hi) + "]");
    }
    // Legend row: the strategy, its fitted formula and r².
    std::string label = name;
    const Json f = fits.is_object() ? At(fits, name) : Json();
    if (f.is_object()) {
      if (f.contains("formula") && f["formula"].is_string()) label += ": " + f["formula"].get<std::string>();
      label += "  (r² = " + Fmt("%.3f", NumAt(f, "r2")) + ")";
    }
    LegendItem(doc, x0, yb + 58 + 20 * static_cast<double>(si), color, svg::FitText(label, plot_w - 30, 12), true);
  }
  return InlineSvg(doc.Finish());
}

std::string TransferSvg(const Json& transfer, const std::string& metric) {
  const std::string title = "Transfer: small vs larger probe model";
  struct P {
    std::string name;
    double x, y;
  };
  std::vector<P> pts;
  Range xr, yr;
  for (const auto& p : At(transfer, "pools")) {
    const double x = NumAt(p, "xs_mean"), y = NumAt(p, "m_mean");
    if (!Finite(x) || !Finite(y)) continue;
    pts.push_back({StrAt(p, "pool"), x, y});
    xr.Add(x), yr.Add(y);
  }
  if (pts.empty()) return MessageSvg(title, "no pools with both means");
  xr.Pad(0.1), yr.Pad(0.1);
  const double left = 78, top = 50, plot_w = 460, plot_h = 340;
  Doc doc(left + plot_w + 140, top + plot_h + 50);
  const std::string size = transfer.contains("size") && transfer["size"].is_string() ? transfer["size"].get<std::string>() : "m";
  doc.Title(title, "Spearman ρ = " + Fmt("%.3f", NumAt(transfer, "spearman")) + ", p = " +
                       Fmt("%.3g", NumAt(transfer, "p")) + ", n = " + Fmt("%.0f", NumAt(transfer, "n")));
  const double yb = top + plot_h;
  const Scale sy = YAxis(doc, NiceTicks(yr.lo, yr.hi, 6), left, left + plot_w, top, yb);
  const Scale sx = XAxis(doc, NiceTicks(xr.lo, xr.hi, 6), left, left + plot_w, top, yb);
  doc.Text(left + plot_w / 2, yb + 38, "xs probe: " + metric, 12, "middle", kText);
  YTitle(doc, 18, top + plot_h / 2, size + " probe: " + metric);
  for (const auto& p : pts) {
    const char* color = p.name == "random" ? "#6b7280" : "#2563eb";
    doc.Raw("<circle cx=\"" + svg::Num(sx(p.x)) + "\" cy=\"" + svg::Num(sy(p.y)) + "\" r=\"5\" fill=\"" + color +
            "\" fill-opacity=\"0.85\"><title>" + H(p.name + ": xs " + Fmt("%.4g", p.x) + ", " + size + " " + Fmt("%.4g", p.y)) +
            "</title></circle>\n");
    doc.Text(sx(p.x) + 7, sy(p.y) - 6, svg::FitText(p.name, 130, 10), 10, "start", "fill=\"#555555\"");
  }
  return InlineSvg(doc.Finish());
}

}  // namespace juicer::sandbox::report
