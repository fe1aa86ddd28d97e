// The probe report: a results.json fixture covering every section -> report.html, checked for its
// structure and then rendered in headless Chromium (its inline self-check must say ok, and a
// screenshot must come out). Set JUICER_KEEP_REPORT=<dir> to keep the HTML and the screenshot.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <regex>
#include <string>

#include "sandbox/probe_diversity.h"
#include "sandbox/probe_report.h"
#include "tests/test_util.h"

namespace juicer::sandbox {
namespace {

namespace fs = std::filesystem;
using juicer::testing::ReadFile;
using juicer::testing::RunCommand;
using juicer::testing::TempDir;
using juicer::testing::WriteFile;

Json Summary(double mean, double half) {
  return Json{{"n", 3}, {"mean", mean}, {"sd", half / 2.5}, {"ci95", Json::array({mean - half, mean + half})}};
}

Json VsRandom(double rel, double half, double p) {
  return Json{{"mean_diff", rel * 0.3}, {"rel_change", rel}, {"rel_ci95", Json::array({rel - half, rel + half})},
              {"p_paired_t", p}, {"p_sign_flip", std::min(1.0, p * 2)}, {"improvement", rel}};
}

Json PoolRow(const std::string& stat, int third, double mean, double rel) {
  Json row = {{"pool", stat + "/" + std::to_string(third)}, {"stat", stat}, {"third", third},
              {"values", Json::array({mean - 0.01, mean, mean + 0.01})}, {"summary", Summary(mean, 0.02)}};
  row["vs_random"] = VsRandom(rel, 0.04, std::fabs(rel) > 0.05 ? 0.01 : 0.4);
  return row;
}

// Small images for the gallery: a gradient PNG, a coloured JPEG, and a grey PNG.
std::vector<std::string> MakeImages(const std::string& dir) {
  fs::create_directories(dir + "/img");
  cv::Mat a(48, 64, CV_8UC3);
  for (int y = 0; y < a.rows; ++y) {
    for (int x = 0; x < a.cols; ++x) a.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 4, y * 5, 128);
  }
  cv::Mat b(120, 200, CV_8UC3, cv::Scalar(40, 160, 220));
  cv::circle(b, {100, 60}, 40, cv::Scalar(200, 40, 40), -1);
  cv::Mat c(30, 30, CV_8UC1, cv::Scalar(90));
  std::vector<std::string> paths = {dir + "/img/a.png", dir + "/img/b.jpg", dir + "/img/c.png"};
  EXPECT_TRUE(cv::imwrite(paths[0], a));
  EXPECT_TRUE(cv::imwrite(paths[1], b));
  EXPECT_TRUE(cv::imwrite(paths[2], c));
  return paths;
}

Json Fixture(const std::string& dir) {
  MakeImages(dir);
  const char* captions[] = {
      "A man riding a horse on the beach.", "A woman riding a bicycle down the street.",
      "Two dogs playing with a ball in the park.", "A cat sitting on a wooden table.",
      "A boy eating a sandwich at the table.", "A man riding a horse through a field.",
      "A red car parked next to a building.", "People walking on a busy street at night.",
      "A girl holding an umbrella in the rain.", "A horse eating grass in a green field."};
  std::string jsonl;
  for (int i = 0; i < 10; ++i) {
    const std::string img = i % 4 == 0 ? "img/a.png" : i % 4 == 1 ? "img/b.jpg" : i % 4 == 2 ? "img/c.png" : "img/missing.png";
    jsonl += Json{{"text", std::string("<__dj__image> ") + captions[i] + " <|__dj__eoc|>"}, {"images", {img}}}.dump() + "\n";
  }
  WriteFile(dir + "/pools/text_len_2.jsonl", jsonl);
  DiversityOptions o;
  o.n_gallery = 12;
  auto div = PoolDiversity(dir + "/pools/text_len_2.jsonl", o);
  EXPECT_TRUE(div.ok()) << div.status().ToString();
  // The images are relative to the pool's directory: point them at dir/img.
  Json d = div.ok() ? *div : Json::object();
  Json gallery = Json::array();
  for (const char* name : {"a.png", "b.jpg", "c.png", "missing.png"}) gallery.push_back(dir + "/img/" + name);
  d["gallery"] = gallery;

  const std::vector<std::string> stats = {"text_len", "clip_similarity", "aspect_ratio", "word_rep_ratio"};
  Json pools = Json::array();
  const double means[4][3] = {{0.30, 0.33, 0.36}, {0.28, 0.31, 0.38}, {0.31, 0.32, 0.30}, {0.33, 0.31, 0.29}};
  for (size_t s = 0; s < stats.size(); ++s) {
    for (int t = 0; t < 3; ++t) pools.push_back(PoolRow(stats[s], t, means[s][t], means[s][t] / 0.31 - 1));
  }
  pools.push_back({{"pool", "random"}, {"stat", ""}, {"third", -1}, {"values", {0.30, 0.31, 0.32}}, {"summary", Summary(0.31, 0.015)}});
  Json ranking = Json::array({pools[5], pools[2], pools[9], pools[7]});

  Json results = {
      {"data", dir + "/data.jsonl"}, {"task", "clip"}, {"ops", "configs/probe_ops.yaml"}, {"size", "xs"},
      {"seeds", 3}, {"metric", "eval_retrieval.i2t_R@1"}, {"lower_is_better", false},
      {"eval", {dir + "/eval_retrieval.jsonl"}}, {"n_samples", 3000}, {"pool_size", 1000},
      {"pools", pools}, {"ranking", ranking},
      {"correlation", {{"stats", stats},
                       {"pearson", {1, 0.8, 0.1, -0.2, 0.8, 1, 0.05, -0.1, 0.1, 0.05, 1, 0.6, -0.2, -0.1, 0.6, 1}},
                       {"spearman", {1, 0.85, 0.12, -0.25, 0.85, 1, 0.02, -0.15, 0.12, 0.02, 1, 0.55, -0.25, -0.15, 0.55, 1}}}},
      {"clustering", {{"method", "average linkage on 1 - |spearman r|, cut at the best mean silhouette"},
                      {"merges", {{0, 1, 0.15, 2}, {2, 3, 0.45, 2}, {4, 5, 0.85, 4}}},
                      {"k", 2}, {"silhouette", 0.52},
                      {"clusters", Json::array({Json::array({"text_len", "clip_similarity"}),
                                                Json::array({"aspect_ratio", "word_rep_ratio"})})}}},
      {"recipes", Json::array()},
      {"scaling", {{"curves", {{"repeat", Json::array()}, {"add", Json::array()}}},
                   {"fits", {{"repeat", {{"a", -0.9}, {"b", -0.35}, {"c", 0.45}, {"r2", 0.97},
                                         {"formula", "0.45 - 0.9·C^-0.35"}}},
                             {"add", {{"a", -1.4}, {"b", -0.4}, {"c", 0.52}, {"r2", 0.99},
                                      {"formula", "0.52 - 1.4·C^-0.4"}}}}},
                   {"levels", {{{"level", 1}, {"n", 1000}, {"ops", {"clip_similarity"}}},
                               {{"level", 2}, {"n", 640}, {"ops", {"clip_similarity", "text_len"}}}}},
                   {"verdict", "Adding new data beats repeating the top-1 pool at every compute level measured."}}},
      {"refined_recipe", {{"yaml", "project_name: refined\nprocess:\n  - clip_similarity_filter:\n      min_score: 0.31\n"},
                          {"path", dir + "/refined.yaml"},
                          {"applied", {{"export_path", dir + "/refined/data.jsonl"}, {"kept", 1234}, {"total", 3000}}}}},
      {"transfer", {{"size", "m"}, {"spearman", 0.8}, {"p", 0.1}, {"n", 5},
                    {"pools", {{{"pool", "clip_similarity/2"}, {"xs_mean", 0.38}, {"m_mean", 0.47}},
                               {{"pool", "text_len/2"}, {"xs_mean", 0.36}, {"m_mean", 0.44}},
                               {{"pool", "aspect_ratio/1"}, {"xs_mean", 0.32}, {"m_mean", 0.41}},
                               {{"pool", "word_rep_ratio/0"}, {"xs_mean", 0.33}, {"m_mean", 0.40}},
                               {{"pool", "random"}, {"xs_mean", 0.31}, {"m_mean", 0.42}}}}}},
      {"diversity", {{"clip_similarity/2", d}, {"random", d}}},
      {"phases_s", {{"stats_s", 12.5}, {"pools_s", 1.2}, {"probes_s", 640}, {"analyze_s", 0.4}, {"total_s", 655}}}};
  const char* names[] = {"top-1", "top-2", "top-3"};
  const double rmeans[] = {0.38, 0.40, 0.395};
  for (int i = 0; i < 3; ++i) {
    Json ops = Json::array();
    for (int j = 0; j <= i; ++j) {
      ops.push_back({{"stat", stats[j == 0 ? 1 : j == 1 ? 0 : 3]}, {"third", 2}, {"range", {0.2 + j, 0.9 + j}}});
    }
    results["recipes"].push_back({{"name", names[i]}, {"ops", ops}, {"n_intersection", 1000 - 250 * i},
                                  {"pool_size", 1000}, {"values", {rmeans[i] - 0.01, rmeans[i], rmeans[i] + 0.01}},
                                  {"summary", Summary(rmeans[i], 0.02)}, {"vs_random", VsRandom(rmeans[i] / 0.31 - 1, 0.05, 0.01)}});
  }
  for (int i = 0; i < 4; ++i) {
    const double c = 1e3 * std::pow(4.0, i);
    results["scaling"]["curves"]["repeat"].push_back(
        {{"compute", c}, {"samples_unique", 1000}, {"summary", Summary(0.45 - 0.9 * std::pow(c, -0.35), 0.015)}});
    results["scaling"]["curves"]["add"].push_back(
        {{"compute", c}, {"samples_unique", c}, {"summary", Summary(0.52 - 1.4 * std::pow(c, -0.4), 0.015)}});
  }
  return results;
}

std::string Chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (fs::exists(p)) return p;
  }
  return "";
}

// The HTML without its inline base64 images (their text could hold anything).
std::string WithoutDataUris(std::string html) {
  return std::regex_replace(html, std::regex("data:image/jpeg;base64,[A-Za-z0-9+/=]*"), "data:");
}

TEST(ProbeReport, EverySectionFromAFixture) {
  TempDir tmp;
  const Json results = Fixture(tmp.path());
  const std::string html_path = tmp / "report.html";
  ASSERT_TRUE(WriteProbeReport(results, html_path).ok());
  const std::string html = ReadFile(html_path);
  for (const char* id : {"ranking", "pools", "correlation", "recipes", "scaling", "refined", "transfer", "diversity"}) {
    EXPECT_NE(html.find(std::string("<h2 id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  const std::string text = WithoutDataUris(html);
  EXPECT_FALSE(std::regex_search(text, std::regex("\\b(nan|inf)\\b", std::regex::icase))) << "non-finite text";
  EXPECT_EQ(text.find("n/a"), std::string::npos);
  // Three readable images per gallery (two galleries), one placeholder each.
  size_t imgs = 0, missing = 0;
  for (size_t at = 0; (at = html.find("<img ", at)) != std::string::npos; ++at) ++imgs;
  for (size_t at = 0; (at = html.find("class=\"missing\"", at)) != std::string::npos; ++at) ++missing;
  EXPECT_EQ(imgs, 6u);
  EXPECT_EQ(missing, 2u);
  EXPECT_NE(html.find("missing.png"), std::string::npos);
  EXPECT_NE(html.find("ride horse"), std::string::npos);  // verb–noun bar
  EXPECT_NE(html.find("Adding new data beats"), std::string::npos);
  EXPECT_NE(html.find("r² = 0.970"), std::string::npos);
  EXPECT_NE(html.find("cut: k = 2"), std::string::npos);
  EXPECT_NE(html.find("<li><code>text_len</code>, <code>clip_similarity</code></li>"), std::string::npos);
  EXPECT_NE(html.find("id=\"render-check\""), std::string::npos);
  // Escaping: the YAML and the paths are text.
  EXPECT_NE(html.find("min_score: 0.31"), std::string::npos);

  if (const char* keep = std::getenv("JUICER_KEEP_REPORT")) {
    fs::create_directories(keep);
    fs::copy_file(html_path, fs::path(keep) / "report.html", fs::copy_options::overwrite_existing);
  }
  const std::string chromium = Chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium): render check skipped";
  const std::string flags = "--headless --disable-gpu --no-sandbox --user-data-dir=" + (tmp / "chrome") +
                            " --virtual-time-budget=5000 --hide-scrollbars";
  const auto t0 = std::chrono::steady_clock::now();
  auto dom = RunCommand("{ timeout 60 " + chromium + " " + flags + " --dump-dom file://" + html_path + " > " +
                        (tmp / "dom.html") + " 2> " + (tmp / "chrome.log") + "; }");
  ASSERT_EQ(dom.exit_code, 0) << ReadFile(tmp / "chrome.log");
  const std::string rendered = ReadFile(tmp / "dom.html");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(rendered, m, std::regex("<div id=\"render-check\" data-status=\"([a-z]+)\" data-failed=\"([^\"]*)\"")))
      << rendered.substr(0, 400);
  EXPECT_EQ(m[1].str(), "ok") << "failed: " << m[2].str();
  const std::string png = tmp / "report.png";
  auto shot = RunCommand("{ timeout 60 " + chromium + " " + flags + " --window-size=1400,3000 --screenshot=" + png +
                         " file://" + html_path + " > /dev/null 2> " + (tmp / "chrome.log") + "; }");
  ASSERT_EQ(shot.exit_code, 0) << ReadFile(tmp / "chrome.log");
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 10000u);
  const cv::Mat img = cv::imread(png);
  ASSERT_FALSE(img.empty());
  EXPECT_EQ(img.cols, 1400);
  std::printf("chromium render check + screenshot: %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (const char* keep = std::getenv("JUICER_KEEP_REPORT")) {
    fs::copy_file(png, fs::path(keep) / "report.png", fs::copy_options::overwrite_existing);
  }
}

TEST(ProbeReport, PartialResultsRenderOnlyTheirSections) {
  const Json partial = {{"data", "d.jsonl"}, {"task", "lm"}, {"metric", "eval_lm.bits_per_byte"},
                        {"lower_is_better", true}, {"seeds", 2},
                        {"pools", {{{"pool", "random"}, {"stat", ""}, {"third", -1}, {"summary", Summary(1.2, 0.1)}}}},
                        {"clustering", {{"k", 1}, {"merges", Json::array()}, {"clusters", Json::array()}}}};
  const std::string html = RenderProbeReport(partial);
  EXPECT_NE(html.find("<h2 id=\"pools\""), std::string::npos);
  EXPECT_NE(html.find("lower is better"), std::string::npos);
  for (const char* id : {"ranking", "recipes", "scaling", "refined", "transfer", "diversity"}) {
    EXPECT_EQ(html.find(std::string("<h2 id=\"") + id + "\""), std::string::npos) << id;
  }
  // Malformed and empty input never throws.
  const std::string empty = RenderProbeReport(Json::object());
  EXPECT_NE(empty.find("render-check"), std::string::npos);
  const Json bad = {{"pools", 3}, {"ranking", "x"}, {"correlation", {{"stats", {"a", "b"}}, {"spearman", {1}}}},
                    {"clustering", {{"merges", {{0, 7, 0.1, 2}}}, {"k", 9}}},
                    {"scaling", {{"curves", {{"repeat", {{{"compute", -1}}}}}}}},
                    {"transfer", {{"pools", {{{"pool", 1}}}}}},
                    {"diversity", {{"p", {{"word_counts", {{"x", "y"}}}, {"gallery", {"/nonexistent.png", 5}}}}, {"q", 3}}}};
  const std::string h = RenderProbeReport(bad);
  EXPECT_NE(h.find("nonexistent.png"), std::string::npos);
  // Values of the wrong type are shown as n/a or dumped, never thrown on.
  const Json wrong_types = {
      {"lower_is_better", "yes"}, {"metric", 5},
      {"ranking", {1, "a", {{"stat", 3}, {"third", "high"}, {"summary", {{"mean", "x"}, {"ci95", {1}}}}}}},
      {"pools", {{{"pool", "a"}, {"stat", 1}, {"third", "low"}, {"summary", 2}}}},
      {"recipes", {{{"name", 5}, {"ops", {{{"third", "x"}, {"range", "r"}}}}, {"vs_random", 1}}}},
      {"scaling", {{"curves", {{"repeat", 3}}}, {"fits", {{"repeat", {{"a", "x"}}}}}, {"levels", {{{"ops", 1}}}}}},
      {"refined_recipe", {{"applied", 1}, {"yaml", 2}}},
      {"transfer", {{"pools", 1}, {"size", 3}}}};
  EXPECT_NE(RenderProbeReport(wrong_types).find("render-check"), std::string::npos);
  const std::string esc = RenderProbeReport({{"data", "<script>alert(1)</script>"}});
  EXPECT_EQ(esc.find("<script>alert"), std::string::npos);
  EXPECT_NE(esc.find("&lt;script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace juicer::sandbox
