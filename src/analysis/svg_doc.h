// Internal helpers of the SVG charts: a tiny SVG text builder, axis scales and tick labels.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace juicer::svg {

// A number for an SVG attribute: at most 2 decimals, no trailing zeros.
std::string Num(double x);

// Estimated rendered width in pixels of text at a font size (sans-serif).
double TextWidth(std::string_view text, double font_size);

// text cut (with "…") so that it fits in max_px at the font size; bold text is ~10% wider.
std::string FitText(std::string_view text, double max_px, double font_size, bool bold = false);

// Labels for ticks of one axis, in a shared format: decimals from the step, k / M / G suffixes for
// large magnitudes.
std::vector<std::string> TickLabels(const std::vector<double>& ticks);

// Thousands separators: 1234567 -> "1,234,567".
std::string Grouped(size_t n);

// Linear map of [d0, d1] onto [r0, r1].
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double x) const {
    return d1 == d0 ? (r0 + r1) / 2 : r0 + (x - d0) * (r1 - r0) / (d1 - d0);
  }
};

class Doc {
 public:
  Doc(double width, double height);
  // Text is escaped here; `attrs` is raw attribute text (e.g. `font-weight="bold"`).
  void Text(double x, double y, std::string_view text, double size,
            std::string_view anchor = "start", std::string_view attrs = "");
  void Rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view attrs = "", std::string_view tooltip = "");
  void Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width = 1,
            std::string_view attrs = "");
  void Circle(double cx, double cy, double r, std::string_view fill, std::string_view attrs = "");
  void Raw(std::string_view s) { out_.append(s); }
  // Title (bold, centred) and an optional grey subtitle under it.
  void Title(std::string_view title, std::string_view subtitle = "");
  std::string Finish();

  double width() const { return width_; }
  double height() const { return height_; }

 private:
  double width_, height_;
  std::string out_;
};

}  // namespace juicer::svg
