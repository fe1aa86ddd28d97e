#include "analysis/analysis_writer.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "analysis/correlation.h"
#include "analysis/summary.h"
#include "analysis/svg_charts.h"
#include "analysis/svg_doc.h"
#include "analysis/text_util.h"

namespace juicer {
namespace {

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin-bottom: 6px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: right; white-space: nowrap; }
th { background: #f3f5f8; } td.label, th.label { text-align: left; font-weight: bold; }
.scroll { overflow-x: auto; max-width: 100%; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.charts img { border: 1px solid #eee; max-width: 100%; height: auto; }
.files { color: #666; font-size: 12px; }
)";

struct Output {
  std::string dir;
  std::vector<std::string>* written;

  Status Write(const std::string& name, const std::string& content) const {
    const std::string path = dir + "/" + name;
    JUICER_RETURN_IF_ERROR(WriteFileAtomic(path, content));
    if (written != nullptr) written->push_back(path);
    return Status::OK();
  }
};

std::string HtmlTable(const OverallTable& t) {
  std::string out = "<div class=\"scroll\"><table>\n<tr><th class=\"label\"></th>";
  for (const std::string& name : t.column_names) out += "<th>" + XmlEscape(name) + "</th>";
  out += "</tr>\n";
  for (size_t r = 0; r < t.row_labels.size(); ++r) {
    out += "<tr><td class=\"label\">" + XmlEscape(t.row_labels[r]) + "</td>";
    for (const std::string& cell : t.cells[r]) out += "<td>" + XmlEscape(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table></div>\n";
}

std::string Img(const std::string& file, const std::string& alt) {
  return "<img src=\"" + XmlEscape(file) + "\" alt=\"" + XmlEscape(alt) + "\">";
}

std::string FileLink(const std::string& file) {
  return "<a href=\"" + XmlEscape(file) + "\">" + XmlEscape(file) + "</a>";
}

}  // namespace

std::string StatFileStem(const std::string& stat_name) {
  std::string out;
  for (char c : stat_name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    out.push_back(ok ? c : '_');
  }
  if (out.empty() || out[0] == '.') out.insert(out.begin(), '_');
  if (out.size() > 120) out.resize(120);
  return out;
}

Status WriteAnalysis(const std::vector<StatColumn>& columns, const AnalysisOptions& opts,
                     const std::string& dir, std::vector<std::string>* written_files) {
  JUICER_ASSIGN_OR_RETURN(std::vector<double> percentiles, NormalizePercentiles(opts.percentiles));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create directory " + dir + ": " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) return Status::IOError("not a directory: " + dir);
  const Output out{dir, written_files};

  // Per-stat summaries and charts; each column's values are sorted once, for both.
  std::vector<ColumnSummary> summaries;
  summaries.reserve(columns.size());
  std::string stats_html;
  std::set<std::string> stems;
  for (size_t i = 0; i < columns.size(); ++i) {
    const StatColumn& c = columns[i];
    std::vector<double> sorted;
    summaries.push_back(Summarize(c, percentiles, &sorted));
    std::string stem = StatFileStem(c.name);
    for (int n = 2; stems.count(stem) != 0; ++n)
      stem = StatFileStem(c.name) + "-" + std::to_string(n);
    stems.insert(stem);
    stats_html +=
        "<div class=\"stat\">\n<h3>" + XmlEscape(c.name) + "</h3>\n<div class=\"charts\">";
    if (c.is_string) {
      const std::string bar = stem + "-bar.svg";
      const StringSummary& s = summaries[i].strings;
      JUICER_RETURN_IF_ERROR(out.Write(
          bar,
          TopValuesBarSvg(c.name, TopStrings(c.strings, opts.top_k_strings), s.count, s.unique)));
      stats_html += Img(bar, c.name + " top values");
    } else {
      const std::string hist = stem + "-hist.svg", box = stem + "-box.svg";
      JUICER_RETURN_IF_ERROR(out.Write(hist, HistogramSvg(c.name, sorted)));
      JUICER_RETURN_IF_ERROR(out.Write(box, BoxPlotSvg(c.name, sorted)));
      stats_html += Img(hist, c.name + " histogram") + "\n" + Img(box, c.name + " box plot");
    }
    stats_html += "</div>\n</div>\n";
  }

  // Overall table.
  JUICER_RETURN_IF_ERROR(out.Write("overall.csv", OverallCsv(summaries, percentiles)));
  JUICER_RETURN_IF_ERROR(out.Write("overall.md", OverallMarkdown(summaries, percentiles)));
  size_t num_samples = 0;
  for (const StatColumn& c : columns) num_samples = std::max(num_samples, c.per_sample.size());
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>juicer analysis</title>\n<style>" +
      std::string(kStyle) + "</style>\n</head>\n<body>\n<h1>Data analysis</h1>\n<p>" +
      svg::Grouped(num_samples) + " samples, " + svg::Grouped(columns.size()) + " stats.</p>\n" +
      "<h2>Overall</h2>\n" + HtmlTable(OverallHumanTable(summaries, percentiles)) +
      "<p class=\"files\">" + FileLink("overall.csv") + " &middot; " + FileLink("overall.md") +
      "</p>\n";
  if (!columns.empty()) html += "<h2>Stats</h2>\n" + stats_html;

  // Correlations.
  size_t numeric = 0;
  for (const StatColumn& c : columns) numeric += c.is_string ? 0 : 1;
  std::vector<CorrelationMethod> methods;
  if (opts.pearson) methods.push_back(CorrelationMethod::kPearson);
  if (opts.spearman) methods.push_back(CorrelationMethod::kSpearman);
  if (opts.kendall) methods.push_back(CorrelationMethod::kKendall);
  if (numeric >= 2 && !methods.empty()) {
    html += "<h2>Correlation</h2>\n<div class=\"charts\">";
    std::string links;
    for (CorrelationMethod m : methods) {
      const CorrelationMatrix matrix = ComputeCorrelation(columns, m);
      const std::string base = std::string("correlation_") + CorrelationMethodName(m);
      JUICER_RETURN_IF_ERROR(out.Write(base + ".csv", CorrelationCsv(matrix)));
      JUICER_RETURN_IF_ERROR(out.Write(base + ".svg", CorrelationHeatmapSvg(matrix)));
      html += Img(base + ".svg", std::string(CorrelationMethodName(m)) + " correlation") + "\n";
      links += (links.empty() ? "" : " &middot; ") + FileLink(base + ".csv");
    }
    html += "</div>\n<p class=\"files\">" + links + "</p>\n";
  }
  html += "</body>\n</html>\n";
  return out.Write("index.html", html);
}

}  // namespace juicer
