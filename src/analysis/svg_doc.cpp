#include "analysis/svg_doc.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/text_util.h"

namespace juicer::svg {

std::string Num(double x) {
  if (!std::isfinite(x)) return "0";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

double TextWidth(std::string_view text, double font_size) {
  return TextWidthUnits(text) * font_size * 0.62;
}

std::string FitText(std::string_view text, double max_px, double font_size, bool bold) {
  const double factor = bold ? 1.1 : 1.0;
  std::string out = Ellipsize(text, 400);
  size_t chars = 400;
  while (chars > 2 && TextWidth(out, font_size) * factor > max_px) {
    chars = std::min(chars, static_cast<size_t>(TextWidthUnits(out))) - 1;
    out = Ellipsize(text, chars);
  }
  return out;
}

std::string Grouped(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::vector<std::string> TickLabels(const std::vector<double>& ticks) {
  std::vector<std::string> out;
  if (ticks.empty()) return out;
  double max_abs = 0;
  for (double t : ticks) max_abs = std::max(max_abs, std::fabs(t));
  const double step = ticks.size() > 1 ? std::fabs(ticks[1] - ticks[0]) : std::max(max_abs, 1.0);
  char buf[64];
  if (step > 0 && step < 1e-5) {
    for (double t : ticks) {
      std::snprintf(buf, sizeof buf, "%.3g", std::fabs(t) < step * 1e-6 ? 0.0 : t);
      out.push_back(buf);
    }
    return out;
  }
  double scale = 1;
  const char* suffix = "";
  if (max_abs >= 1e9) {
    scale = 1e9, suffix = "G";
  } else if (max_abs >= 1e6) {
    scale = 1e6, suffix = "M";
  } else if (max_abs >= 1e4) {
    scale = 1e3, suffix = "k";
  }
  const double s = step / scale;
  int decimals = 0;
  while (decimals < 10) {
    const double scaled = s * std::pow(10.0, decimals);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) break;
    ++decimals;
  }
  for (double t : ticks) {
    double v = t / scale;
    if (std::fabs(v) < s * 1e-9) v = 0;
    std::snprintf(buf, sizeof buf, "%.*f%s", decimals, v, v == 0 ? "" : suffix);
    out.push_back(buf);
  }
  return out;
}

Doc::Doc(double width, double height) : width_(width), height_(height) {
  out_ =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"" +
      Num(width) + "\" height=\"" + Num(height) + "\" viewBox=\"0 0 " + Num(width) + " " +
      Num(height) +
      "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      "<rect x=\"0\" y=\"0\" width=\"" +
      Num(width) + "\" height=\"" + Num(height) + "\" fill=\"#ffffff\"/>\n";
}

void Doc::Text(double x, double y, std::string_view text, double size, std::string_view anchor,
               std::string_view attrs) {
  out_ += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" font-size=\"" + Num(size) + "\"";
  if (anchor != "start") out_ += " text-anchor=\"" + std::string(anchor) + "\"";
  if (!attrs.empty()) out_ += " " + std::string(attrs);
  out_ += ">" + XmlEscape(text) + "</text>\n";
}

void Doc::Rect(double x, double y, double w, double h, std::string_view fill,
               std::string_view attrs, std::string_view tooltip) {
  out_ += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(std::max(0.0, w)) +
          "\" height=\"" + Num(std::max(0.0, h)) + "\" fill=\"" + std::string(fill) + "\"";
  if (!attrs.empty()) out_ += " " + std::string(attrs);
  if (tooltip.empty()) {
    out_ += "/>\n";
  } else {
    out_ += "><title>" + XmlEscape(tooltip) + "</title></rect>\n";
  }
}

void Doc::Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width,
               std::string_view attrs) {
  out_ += "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" +
          Num(y2) + "\" stroke=\"" + std::string(stroke) + "\" stroke-width=\"" + Num(width) + "\"";
  if (!attrs.empty()) out_ += " " + std::string(attrs);
  out_ += "/>\n";
}

void Doc::Circle(double cx, double cy, double r, std::string_view fill, std::string_view attrs) {
  out_ += "<circle cx=\"" + Num(cx) + "\" cy=\"" + Num(cy) + "\" r=\"" + Num(r) + "\" fill=\"" +
          std::string(fill) + "\"";
  if (!attrs.empty()) out_ += " " + std::string(attrs);
  out_ += "/>\n";
}

void Doc::Title(std::string_view title, std::string_view subtitle) {
  Text(width_ / 2, 24, FitText(title, width_ - 20, 16, true), 16, "middle",
       "font-weight=\"bold\" fill=\"#222222\"");
  if (!subtitle.empty())
    Text(width_ / 2, 42, FitText(subtitle, width_ - 20, 11), 11, "middle", "fill=\"#666666\"");
}

std::string Doc::Finish() {
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace juicer::svg
