// Pieces of the probe report (probe_report*.cpp): number formats, escaping and the SVG charts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sandbox/json.h"

namespace juicer::sandbox::report {

// A JSON number as a double; NaN for null, missing or non-numbers.
double Num(const Json& v);
double NumAt(const Json& obj, std::string_view key);
// Safe member access for results of any shape: a missing key, or a receiver that is not an object,
// gives null / the fallback, never an exception.
const Json& At(const Json& obj, std::string_view key);
std::string StrAt(const Json& obj, std::string_view key);  // strings as they are, other values dumped
int IntAt(const Json& obj, std::string_view key, int fallback);
bool BoolAt(const Json& obj, std::string_view key);
// printf-formatted number, "n/a" when not finite.
std::string Fmt(const char* fmt, double v);
// Escaped text for HTML content and attributes.
std::string H(std::string_view s);
// An SVG document as an inline <svg> element of HTML (no XML declaration, no namespace attribute).
std::string InlineSvg(std::string svg);
// "low", "mid", "high" for thirds 0, 1, 2.
std::string ThirdName(int third);

// Horizontal interval bar of a relative change on a shared scale (+-scale), 0 marked.
std::string CiBarSvg(double lo, double hi, double mean, double scale);
// Metric means of every pool with 95% CI error bars, grouped by OP (low/mid/high), random as a line
// with its interval as a band.
std::string PoolMeansSvg(const Json& pools, const std::string& metric, bool lower_is_better);
// Dendrogram of `merges` (scipy linkage rows) over `names`, leaves coloured by cluster, the cut
// between k clusters marked.
std::string DendrogramSvg(const std::vector<std::string>& names, const Json& merges, const Json& clusters,
                          size_t k);
// Means with 95% CIs as horizontal interval rows: rows [{name, summary{mean, ci95}, ref}], reference
// rows (ref true: random, the best single-OP pool) in grey; the first row named "random" is also
// drawn as a band across the chart.
std::string IntervalRowsSvg(const Json& rows, const std::string& title, const std::string& metric);
// Metric vs compute (log x) of both scaling strategies with CI whiskers and the fitted curves.
std::string ScalingSvg(const Json& scaling, const std::string& metric);
// Scatter of the xs means against the m means of the transfer pools.
std::string TransferSvg(const Json& transfer, const std::string& metric);

// Diversity (probe_report_diversity.cpp).
std::string WordCloudSvg(const Json& word_counts, double width, double height);
std::string VerbNounSvg(const Json& diversity);
// A <figure> with the image as an inline JPEG thumbnail (<= max_px a side), or a grey placeholder
// box with the file name when it cannot be read.
std::string ThumbnailHtml(const std::string& path, int max_px = 96);
// Text width in px of `text` in DejaVu Sans at `size` px (FreeType; an estimate without the font).
double MeasureText(std::string_view text, double size, bool bold = false);

}  // namespace juicer::sandbox::report
