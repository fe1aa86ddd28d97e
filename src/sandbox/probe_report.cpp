#include "sandbox/probe_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/correlation.h"
#include "analysis/svg_charts.h"
#include "analysis/text_util.h"
#include "core/dataset_writer.h"
#include "sandbox/probe_report_internal.h"

namespace juicer::sandbox {

namespace report {

double Num(const Json& v) { return v.is_number() ? v.get<double>() : NAN; }

double NumAt(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return NAN;
  auto it = obj.find(key);
  return it == obj.end() ? NAN : Num(*it);
}

const Json& At(const Json& obj, std::string_view key) {
  static const Json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

std::string StrAt(const Json& obj, std::string_view key) {
  const Json& v = At(obj, key);
  return v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
}

int IntAt(const Json& obj, std::string_view key, int fallback) {
  const double v = Num(At(obj, key));
  return std::isfinite(v) && std::fabs(v) < 1e9 ? static_cast<int>(v) : fallback;
}

bool BoolAt(const Json& obj, std::string_view key) {
  const Json& v = At(obj, key);
  return v.is_boolean() && v.get<bool>();
}

std::string Fmt(const char* fmt, double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string H(std::string_view s) { return XmlEscape(s); }

std::string InlineSvg(std::string svg) {
  if (svg.starts_with("<?xml")) svg.erase(0, svg.find("?>") + 2);
  while (!svg.empty() && (svg.front() == '\n' || svg.front() == ' ')) svg.erase(0, 1);
  const std::string ns = " xmlns=\"http://www.w3.org/2000/svg\"";
  if (const size_t at = svg.find(ns); at != std::string::npos && at < 64) svg.erase(at, ns.size());
  return svg;
}

std::string ThirdName(int third) { return third == 0 ? "low" : third == 1 ? "mid" : third == 2 ? "high" : "—"; }

}  // namespace report

namespace {

using report::At;
using report::BoolAt;
using report::Fmt;
using report::IntAt;
using report::H;
using report::Num;
using report::NumAt;

std::string Str(const Json& obj, std::string_view key, const std::string& fallback = "") {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

const Json* Find(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string Pct(double v) { return std::isfinite(v) ? Fmt("%+.1f%%", 100 * v) : "n/a"; }

std::string Interval(const Json& pair, const char* fmt, bool pct = false) {
  if (!pair.is_array() || pair.size() != 2) return "n/a";
  const double lo = Num(pair[0]), hi = Num(pair[1]);
  if (!std::isfinite(lo) && !std::isfinite(hi)) return "n/a";
  return "[" + (pct ? Pct(lo) : Fmt(fmt, lo)) + ", " + (pct ? Pct(hi) : Fmt(fmt, hi)) + "]";
}

std::string PValue(double p) {
  if (!std::isfinite(p)) return "n/a";
  std::string s = p < 1e-4 ? "&lt;1e-4" : Fmt("%.3g", p);
  return p < 0.05 ? "<b>" + s + "</b>" : s;
}

constexpr const char* kCss =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:24px auto;max-width:1280px;padding:0 16px;"
    "color:#1f2937;font-size:14px;line-height:1.45}"
    "h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:36px;border-bottom:2px solid #e5e7eb;"
    "padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}"
    "nav a{margin-right:14px;color:#2563eb;text-decoration:none}"
    "table{border-collapse:collapse;margin:8px 0 14px}td,th{border:1px solid #d1d5db;padding:3px 8px;"
    "text-align:right;vertical-align:middle;white-space:nowrap}th{background:#f3f4f6;font-weight:600;white-space:normal}td.l,th.l{text-align:left}"
    "tr.ref td{color:#6b7280}table.kv td:first-child{font-weight:600;text-align:left;background:#f9fafb}"
    "table.kv td{text-align:left}.note{color:#4b5563;font-size:13px}.verdict{font-size:15px;background:#eff6ff;"
    "border-left:4px solid #2563eb;padding:8px 12px}"
    "pre{background:#f6f8fa;border:1px solid #e5e7eb;padding:10px;overflow:auto;max-height:480px;font-size:12px}"
    "svg{max-width:100%;height:auto}svg.cibar{vertical-align:middle;min-width:160px}"
    ".charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}"
    ".pool{border:1px solid #e5e7eb;border-radius:6px;padding:8px 14px;margin:14px 0}"
    ".gallery{display:flex;flex-wrap:wrap;gap:8px}"
    "figure.thumb{margin:0;width:100px;text-align:center;font-size:11px;color:#4b5563}"
    "figure.thumb img{display:block;margin:0 auto;border:1px solid #d1d5db}"
    "div.missing{display:flex;align-items:center;justify-content:center;margin:0 auto;background:#d1d5db;"
    "color:#374151;font-size:10px;overflow:hidden;word-break:break-all;padding:2px;box-sizing:border-box}"
    "#render-check{margin-top:28px;color:#6b7280;font-size:12px}";

// The self-check of the page: every image decoded, every SVG laid out with a non-empty box.
constexpr const char* kRenderCheck =
    "<div id=\"render-check\" data-status=\"pending\" data-failed=\"\">render check: pending</div>\n"
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var failed = [];\n"
    "  var imgs = document.querySelectorAll('img'), svgs = document.querySelectorAll('svg');\n"
    "  imgs.forEach(function (im, i) { if (!(im.complete && im.naturalWidth > 0)) failed.push('img#' + i + ':' + im.alt); });\n"
    "  svgs.forEach(function (s, i) { var r = s.getBoundingClientRect(); if (!(r.width > 0 && r.height > 0)) failed.push('svg#' + i); });\n"
    "  var d = document.getElementById('render-check');\n"
    "  d.setAttribute('data-status', failed.length ? 'fail' : 'ok');\n"
    "  d.setAttribute('data-failed', failed.join(' '));\n"
    "  d.textContent = 'render check: ' + (failed.length ? 'FAILED ' + failed.join(' ') : 'ok') + ' (' + imgs.length +\n"
    "      ' images, ' + svgs.length + ' SVG charts)';\n"
    "});\n"
    "</script>\n";

class Page {
 public:
  explicit Page(const Json& r) : r_(r) {}
  std::string Render();

 private:
  void Header();
  void Ranking();
  void Correlation();
  void Recipes();
  void Scaling();
  void Refined();
  void Transfer();
  void Diversity();
  std::string ChangeCells(const Json& row);
  double CiScale() const;
  void Section(const std::string& id, const std::string& title) {
    out_ += "<h2 id=\"" + id + "\">" + H(title) + "</h2>\n";
    nav_ += "<a href=\"#" + id + "\">" + H(title) + "</a>";
  }

  const Json& r_;
  std::string out_, nav_;
  std::string metric_;
  bool lower_ = false;
  double scale_ = 0.05;
};

// The widest |relative change| bound of any interval, for one shared CI-bar scale.
double Page::CiScale() const {
  double scale = 0.05;
  auto add = [&](const Json& rows) {
    if (!rows.is_array()) return;
    for (const auto& row : rows) {
      const Json* v = Find(row, "vs_random");
      const Json* ci = v ? Find(*v, "rel_ci95") : nullptr;
      if (ci == nullptr || !ci->is_array()) continue;
      for (const auto& b : *ci) {
        if (std::isfinite(Num(b))) scale = std::max(scale, std::fabs(Num(b)));
      }
    }
  };
  for (const char* key : {"pools", "ranking", "recipes"}) {
    if (const Json* rows = Find(r_, key)) add(*rows);
  }
  return scale * 1.05;
}

// mean, CI, change vs random, its CI, p-values and the CI bar of a pool or recipe row.
std::string Page::ChangeCells(const Json& row) {
  const Json summary = At(row, "summary");
  std::string h = "<td>" + Fmt("%.4g", NumAt(summary, "mean")) + "</td><td>" +
                  Interval(At(summary, "ci95"), "%.4g") + "</td>";
  const Json* v = Find(row, "vs_random");
  if (v == nullptr) return h + "<td colspan=\"5\" class=\"l note\">reference</td>";
  const Json ci = At(*v, "rel_ci95");
  const double lo = ci.is_array() && ci.size() == 2 ? Num(ci[0]) : NAN, hi = ci.is_array() && ci.size() == 2 ? Num(ci[1]) : NAN;
  h += "<td>" + Pct(NumAt(*v, "rel_change")) + "</td><td>" + Interval(ci, "", true) + "</td><td>" +
       PValue(NumAt(*v, "p_paired_t")) + "</td><td>" + PValue(NumAt(*v, "p_sign_flip")) + "</td><td>" +
       report::CiBarSvg(lo, hi, NumAt(*v, "rel_change"), scale_) + "</td>";
  return h;
}

void Page::Header() {
  out_ += "<table class=\"kv\">";
  auto kv = [&](const std::string& k, const std::string& v_html) {
    out_ += "<tr><td>" + H(k) + "</td><td>" + v_html + "</td></tr>";
  };
  if (Find(r_, "data")) kv("data", "<code>" + H(Str(r_, "data")) + "</code>");
  if (Find(r_, "n_samples")) kv("samples", H(Str(r_, "n_samples")));
  if (Find(r_, "ops")) kv("OP recipe", "<code>" + H(Str(r_, "ops")) + "</code>");
  if (Find(r_, "task")) kv("task", H(Str(r_, "task")) + (Find(r_, "size") ? " (probe size " + H(Str(r_, "size")) + ")" : ""));
  if (Find(r_, "metric")) kv("metric", "<code>" + H(metric_) + "</code> (" + (lower_ ? "lower" : "higher") + " is better)");
  if (const Json* e = Find(r_, "eval")) {
    std::string s;
    for (const auto& x : e->is_array() ? *e : Json::array({*e})) s += (s.empty() ? "" : ", ") + ("<code>" + H(x.is_string() ? x.get<std::string>() : x.dump()) + "</code>");
    kv("evaluation", s);
  }
  if (Find(r_, "seeds")) kv("seeds per pool", H(Str(r_, "seeds")));
  if (Find(r_, "pool_size")) kv("pool size", H(Str(r_, "pool_size")) + " samples (equal compute per probe)");
  if (const Json* ph = Find(r_, "phases_s"); ph && ph->is_object()) {
    std::string s;
    for (auto it = ph->begin(); it != ph->end(); ++it) {
      std::string name = it.key();
      if (name.ends_with("_s")) name.resize(name.size() - 2);
      s += (s.empty() ? "" : ", ") + H(name) + " " + Fmt(Num(it.value()) < 10 ? "%.1f" : "%.0f", Num(it.value())) + " s";
    }
    kv("time", s);
  }
  out_ += "</table>\n";
}

void Page::Ranking() {
  const std::string head =
      "<th>OP stat</th><th>third</th><th>mean</th><th>95% CI</th><th>change vs random</th>"
      "<th>95% CI of change</th><th>p (paired t)</th><th>p (sign flip)</th><th>interval of the change (0 = random)</th></tr>\n";
  if (const Json* ranking = Find(r_, "ranking"); ranking && ranking->is_array()) {
    Section("ranking", "OP ranking");
    out_ += "<p class=\"note\">The best third of each OP against the random pool of the same seeds, best first.</p>";
    out_ += "<table><tr><th>rank</th>" + head;
    size_t rank = 0;
    for (const auto& row : *ranking) {
      out_ += "<tr><td>" + std::to_string(++rank) + "</td><td class=\"l\">" + H(Str(row, "stat")) + "</td><td>" +
              report::ThirdName(IntAt(row, "third", -1)) + "</td>" + ChangeCells(row) + "</tr>\n";
    }
    out_ += "</table>\n";
  }
  if (const Json* pools = Find(r_, "pools"); pools && pools->is_array()) {
    Section("pools", "Every pool");
    out_ += "<table><tr><th class=\"l\">pool</th>" + head;
    for (const auto& row : *pools) {
      const bool ref = Find(row, "vs_random") == nullptr;
      out_ += std::string(ref ? "<tr class=\"ref\">" : "<tr>") + "<td class=\"l\">" + H(Str(row, "pool")) +
              "</td><td class=\"l\">" + H(Str(row, "stat", "")) + "</td><td>" +
              report::ThirdName(IntAt(row, "third", -1)) + "</td>" + ChangeCells(row) + "</tr>\n";
    }
    out_ += "</table>\n" + report::PoolMeansSvg(*pools, metric_, lower_) + "\n";
  }
}

void Page::Correlation() {
  const Json* corr = Find(r_, "correlation");
  const Json* clus = Find(r_, "clustering");
  if (corr == nullptr && clus == nullptr) return;
  Section("correlation", "Correlation and clusters of the OP stats");
  std::vector<std::string> names;
  if (corr) {
    for (const auto& s : At(*corr, "stats")) names.push_back(s.is_string() ? s.get<std::string>() : s.dump());
    out_ += "<div class=\"charts\">";
    for (const auto& [key, method] : {std::pair{"spearman", CorrelationMethod::kSpearman},
                                      std::pair{"pearson", CorrelationMethod::kPearson}}) {
      const Json* m = Find(*corr, key);
      if (m == nullptr || !m->is_array() || m->size() != names.size() * names.size() || names.empty()) continue;
      CorrelationMatrix cm;
      cm.method = method;
      cm.names = names;
      for (const auto& v : *m) cm.values.push_back(Num(v));
      out_ += report::InlineSvg(CorrelationHeatmapSvg(cm));
    }
    out_ += "</div>\n";
  }
  if (clus) {
    const size_t k = static_cast<size_t>(std::max(0.0, std::isfinite(NumAt(*clus, "k")) ? NumAt(*clus, "k") : 0.0));
    out_ += "<p class=\"note\">" + H(Str(*clus, "method", "average linkage")) + ": k = " + std::to_string(k) +
            ", mean silhouette " + Fmt("%.3f", NumAt(*clus, "silhouette")) + ".</p>\n";
    if (const Json* merges = Find(*clus, "merges"); merges && !names.empty()) {
      out_ += report::DendrogramSvg(names, *merges, At(*clus, "clusters"), k) + "\n";
    }
    if (const Json* cl = Find(*clus, "clusters"); cl && cl->is_array()) {
      out_ += "<ol>";
      for (const auto& c : *cl) {
        std::string members;
        for (const auto& m : c.is_array() ? c : Json::array({c})) {
          members += (members.empty() ? "" : ", ") + ("<code>" + H(m.is_string() ? m.get<std::string>() : m.dump()) + "</code>");
        }
        out_ += "<li>" + members + "</li>";
      }
      out_ += "</ol>\n";
    }
  }
}

void Page::Recipes() {
  const Json* block = Find(r_, "recipes");
  if (block == nullptr) return;
  // The loop writes {pool_size, recipes: [...], random, vs_top_1, aliases, best}; a bare list also renders.
  const Json* recipes = block->is_object() ? Find(*block, "recipes") : block;
  if (recipes == nullptr || !recipes->is_array()) return;
  Section("recipes", "Recipes from the ranking");
  if (block->is_object()) {
    out_ += "<p>Each recipe is the intersection of its OPs' chosen thirds, downsampled per seed to <b>" +
            H(Str(*block, "pool_size", "n/a")) + "</b> samples (the smallest intersection) and compared with a random "
            "pool of that size, at the same compute.";
    if (const Json* aliases = Find(*block, "aliases"); aliases && aliases->is_object()) {
      for (auto it = aliases->begin(); it != aliases->end(); ++it) {
        out_ += " <i>" + H(it.key()) + "</i> is the same set of OPs as <i>" + H(it.value().is_string() ? it.value().get<std::string>() : it.value().dump()) + "</i>.";
      }
    }
    out_ += "</p>\n";
  }
  out_ += "<table><tr><th class=\"l\">recipe</th><th class=\"l\">OPs (stat, third, range)</th><th>samples in the "
          "intersection</th><th>pool size</th><th>mean</th><th>95% CI</th><th>change vs random</th><th>95% CI of "
          "change</th><th>p (paired t)</th><th>p (sign flip)</th><th>change vs random</th></tr>\n";
  Json rows = Json::array();
  for (const auto& rec : *recipes) {
    std::string ops;
    for (const auto& op : At(rec, "ops")) {
      ops += (ops.empty() ? "" : "<br>") + ("<code>" + H(Str(op, "stat")) + "</code> " + report::ThirdName(IntAt(op, "third", -1)) +
                                           " " + Interval(At(op, "range"), "%.4g"));
    }
    out_ += "<tr><td class=\"l\">" + H(Str(rec, "name")) + "</td><td class=\"l\">" + ops + "</td><td>" +
            H(Str(rec, "n_intersection", "n/a")) + "</td><td>" + H(Str(rec, "pool_size", "n/a")) + "</td>" +
            ChangeCells(rec) + "</tr>\n";
    if (Find(rec, "summary")) rows.push_back({{"name", Str(rec, "name")}, {"summary", At(rec, "summary")}, {"ref", false}});
  }
  out_ += "</table>\n";
  if (const Json* stacking = block->is_object() ? Find(*block, "vs_top_1") : nullptr; stacking && stacking->is_array() && !stacking->empty()) {
    out_ += "<p>Stacking OPs vs. the single best OP (same pool size, paired by seed):</p><ul>";
    for (const auto& st : *stacking) {
      out_ += "<li><b>" + H(Str(st, "recipe")) + "</b> vs top-1: " + Fmt("%+.1f%%", 100 * NumAt(st, "rel_change")) +
              " " + Interval(At(st, "rel_ci95"), "", true) + ", p (paired t) = " + Fmt("%.3g", NumAt(st, "p_paired_t")) + "</li>";
    }
    out_ += "</ul>\n";
  }
  // Reference rows: the best single-OP pool and the random pool.
  if (const Json* ranking = Find(r_, "ranking"); ranking && ranking->is_array() && !ranking->empty()) {
    const Json& best = (*ranking)[0];
    rows.insert(rows.begin(), Json{{"name", "best single OP: " + Str(best, "pool", Str(best, "stat"))},
                                   {"summary", At(best, "summary")}, {"ref", true}});
  }
  if (const Json* same_size = block->is_object() ? Find(*block, "random") : nullptr; same_size && Find(*same_size, "summary")) {
    rows.insert(rows.begin(), Json{{"name", "random (recipe size)"}, {"summary", At(*same_size, "summary")}, {"ref", true}});
  } else if (const Json* pools = Find(r_, "pools"); pools && pools->is_array()) {
    for (const auto& p : *pools) {
      if (Str(p, "stat").empty() || Str(p, "pool") == "random") {
        rows.insert(rows.begin(), Json{{"name", "random"}, {"summary", At(p, "summary")}, {"ref", true}});
        break;
      }
    }
  }
  out_ += report::IntervalRowsSvg(rows, "Recipes against the best single OP and random", metric_ + (lower_ ? " (lower is better)" : " (higher is better)")) + "\n";
}

void Page::Scaling() {
  const Json* sc = Find(r_, "scaling");
  if (sc == nullptr || !sc->is_object()) return;
  Section("scaling", "Scaling");
  out_ += report::ScalingSvg(*sc, metric_) + "\n";
  if (const Json* verdict = Find(*sc, "verdict")) {
    out_ += "<p class=\"verdict\">" + H(verdict->is_string() ? verdict->get<std::string>() : verdict->dump()) + "</p>\n";
  }
  if (const Json* fits = Find(*sc, "fits"); fits && fits->is_object()) {
    out_ += "<table><tr><th class=\"l\">strategy</th><th class=\"l\">fit</th><th>a</th><th>b</th><th>c</th><th>r²</th></tr>";
    for (auto it = fits->begin(); it != fits->end(); ++it) {
      out_ += "<tr><td class=\"l\">" + H(it.key()) + "</td><td class=\"l\">" + H(Str(it.value(), "formula")) + "</td><td>" +
              Fmt("%.4g", NumAt(it.value(), "a")) + "</td><td>" + Fmt("%.4g", NumAt(it.value(), "b")) + "</td><td>" +
              Fmt("%.4g", NumAt(it.value(), "c")) + "</td><td>" + Fmt("%.3f", NumAt(it.value(), "r2")) + "</td></tr>";
    }
    out_ += "</table>\n";
  }
  if (const Json* levels = Find(*sc, "levels"); levels && levels->is_array()) {
    std::string top_ops;
    for (const auto& op : At(*sc, "top_ops")) top_ops += (top_ops.empty() ? "" : ", ") + H(op.is_string() ? op.get<std::string>() : op.dump());
    out_ += "<h3>Pyramid levels</h3>";
    if (!top_ops.empty()) out_ += "<p>Built from the best thirds of the top OPs: " + top_ops + ".</p>";
    bool any_ops = false;
    for (const auto& l : *levels) any_ops = any_ops || !At(l, "ops").empty();
    out_ += std::string("<table><tr><th>level</th><th>samples</th><th>in how many top pools</th>") +
            (any_ops ? "<th class=\"l\">OPs</th>" : "") + "</tr>";
    for (const auto& l : *levels) {
      std::string ops;
      for (const auto& op : At(l, "ops")) ops += (ops.empty() ? "" : ", ") + H(op.is_string() ? op.get<std::string>() : op.dump());
      out_ += "<tr><td>" + H(Str(l, "level")) + "</td><td>" + H(Str(l, "n")) + "</td><td>" + H(Str(l, "in_top_pools", "")) +
              "</td>" + (any_ops ? "<td class=\"l\">" + ops + "</td>" : "") + "</tr>";
    }
    out_ += "</table>\n";
  }
}

void Page::Refined() {
  const Json* rr = Find(r_, "refined_recipe");
  if (rr == nullptr || !rr->is_object()) return;
  Section("refined", "Refined recipe");
  if (Find(*rr, "path")) out_ += "<p>Written to <code>" + H(Str(*rr, "path")) + "</code>.</p>";
  if (const Json* ap = Find(*rr, "applied")) {
    const double kept = NumAt(*ap, "kept"), total = NumAt(*ap, "total");
    out_ += "<p>Applied to the full data: kept <b>" + Fmt("%.0f", kept) + "</b> of " + Fmt("%.0f", total) + " samples (" +
            (total > 0 ? Fmt("%.1f", 100 * kept / total) : std::string("n/a")) + "%)" +
            (Find(*ap, "export_path") ? ", exported to <code>" + H(Str(*ap, "export_path")) + "</code>" : "") + ".</p>";
  }
  for (const auto& b : At(*rr, "bounds")) {
    for (const auto& m : At(b, "not_expressible")) {
      out_ += "<p class=\"note\">Not expressible in the recipe: " + H(m.is_string() ? m.get<std::string>() : m.dump()) +
              " &mdash; the refined recipe keeps more than the winning third.</p>";
    }
  }
  if (Find(*rr, "yaml")) out_ += "<pre>" + H(Str(*rr, "yaml")) + "</pre>\n";
}

void Page::Transfer() {
  const Json* tr = Find(r_, "transfer");
  if (tr == nullptr || !tr->is_object()) return;
  Section("transfer", "Transfer to a larger probe");
  const std::string size = Str(*tr, "size", "m");
  out_ += "<p>Spearman ρ between the pools' xs and " + H(size) + " means: <b>" + Fmt("%.3f", NumAt(*tr, "spearman")) +
          "</b> (p = " + Fmt("%.3g", NumAt(*tr, "p")) + ", n = " + Fmt("%.0f", NumAt(*tr, "n")) + ").</p>";
  out_ += "<div class=\"charts\"><table><tr><th class=\"l\">pool</th><th>xs mean</th><th>" + H(size) + " mean</th></tr>";
  for (const auto& p : At(*tr, "pools")) {
    out_ += "<tr><td class=\"l\">" + H(Str(p, "pool")) + "</td><td>" + Fmt("%.4g", NumAt(p, "xs_mean")) + "</td><td>" +
            Fmt("%.4g", NumAt(p, "m_mean")) + "</td></tr>";
  }
  out_ += "</table>" + report::TransferSvg(*tr, metric_) + "</div>\n";
}

void Page::Diversity() {
  const Json* div = Find(r_, "diversity");
  if (div == nullptr || !div->is_object()) return;
  Section("diversity", "Diversity of the pools");
  out_ += "<p class=\"note\">Words: lower-cased, stop words and special tokens removed. Verb–noun pairs approximate "
          "Data-Juicer's dependency parse: the first verb of a sample (crudely lemmatised) and the first noun after it "
          "in the same sentence, from a lexicon POS tagger.</p>\n";
  for (auto it = div->begin(); it != div->end(); ++it) {
    const Json& d = it.value();
    out_ += "<div class=\"pool\"><h3>" + H(it.key()) + "</h3><p class=\"note\">" + Fmt("%.0f", NumAt(d, "n_samples")) +
            " samples, " + Fmt("%.0f", NumAt(d, "n_words")) + " words" +
            (Find(d, "n_unique_words") ? " (" + Fmt("%.0f", NumAt(d, "n_unique_words")) + " distinct)" : "") + ", " +
            Fmt("%.0f", NumAt(d, "n_with_verb_noun")) + " with a verb–noun pair</p>\n<div class=\"charts\">" +
            report::WordCloudSvg(At(d, "word_counts"), 560, 320) + report::VerbNounSvg(d) + "</div>\n";
    if (const Json* g = Find(d, "gallery"); g && g->is_array() && !g->empty()) {
      out_ += "<div class=\"gallery\">";
      for (const auto& p : *g) {
        if (p.is_string()) out_ += report::ThumbnailHtml(p.get<std::string>());
      }
      out_ += "</div>\n";
    }
    out_ += "</div>\n";
  }
}

std::string Page::Render() {
  metric_ = Str(r_, "metric", "metric");
  lower_ = BoolAt(r_, "lower_is_better");
  scale_ = CiScale();
  Header();
  Ranking();
  Correlation();
  Recipes();
  Scaling();
  Refined();
  Transfer();
  Diversity();
  std::string title = "Probe report";
  if (Find(r_, "task")) title += ": " + Str(r_, "task");
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + H(title) + "</title><style>" + kCss +
         "</style></head><body>\n<h1>" + H(title) + "</h1>\n<nav>" + nav_ + "</nav>\n" + out_ + kRenderCheck +
         "</body></html>\n";
}

}  // namespace

std::string RenderProbeReport(const Json& results) {
  static const Json kEmpty = Json::object();
  return Page(results.is_object() ? results : kEmpty).Render();
}

Status WriteProbeReport(const Json& results, const std::string& html_path) {
  return WriteFileAtomic(html_path, RenderProbeReport(results));
}

}  // namespace juicer::sandbox
