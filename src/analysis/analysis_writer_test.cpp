#include "analysis/analysis_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/xml_check_for_test.h"

namespace juicer {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AnalysisWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("juicer_analysis_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Samples with two numeric stats (one a list), a string stat and a stat that starts late.
  static std::vector<StatColumn> Columns() {
    StatsCollector c;
    std::mt19937 rng(11);
    std::normal_distribution<double> normal(100, 20);
    for (int i = 0; i < 500; ++i) {
      Stats s;
      const double len = std::max(1.0, std::round(normal(rng)));
      s.Set("text_len", StatValue(len));
      s.Set("alnum_ratio", StatValue(0.5 + len / 1000.0));
      s.Set("aspect_ratios",
            StatValue(std::vector<StatScalar>{len / 100.0, 1.0 + static_cast<double>(i % 3)}));
      s.Set("lang", StatValue(std::string(i % 3 == 0 ? "zh" : "en")));
      if (i >= 100) s.Set("late<stat>", StatValue(int64_t{i % 7}));
      c.Add(s);
    }
    return c.Finish();
  }

  fs::path dir_;
};

TEST_F(AnalysisWriterTest, WritesEverythingWellFormed) {
  AnalysisOptions opts;
  opts.spearman = true;
  opts.kendall = true;
  std::vector<std::string> written;
  const Status st = WriteAnalysis(Columns(), opts, dir_.string(), &written);
  ASSERT_TRUE(st.ok()) << st.ToString();

  std::vector<std::string> names;
  for (const std::string& p : written) {
    EXPECT_TRUE(fs::is_regular_file(p)) << p;
    EXPECT_EQ(fs::path(p).parent_path(), dir_);
    names.push_back(fs::path(p).filename().string());
  }
  std::sort(names.begin(), names.end());
  const std::vector<std::string> want = {"alnum_ratio-box.svg",
                                         "alnum_ratio-hist.svg",
                                         "aspect_ratios-box.svg",
                                         "aspect_ratios-hist.svg",
                                         "correlation_kendall.csv",
                                         "correlation_kendall.svg",
                                         "correlation_pearson.csv",
                                         "correlation_pearson.svg",
                                         "correlation_spearman.csv",
                                         "correlation_spearman.svg",
                                         "index.html",
                                         "lang-bar.svg",
                                         "late_stat_-box.svg",
                                         "late_stat_-hist.svg",
                                         "overall.csv",
                                         "overall.md",
                                         "text_len-box.svg",
                                         "text_len-hist.svg"};
  EXPECT_EQ(names, want);
  for (const auto& entry : fs::directory_iterator(dir_))  // no temporary file left behind
    EXPECT_EQ(entry.path().filename().string().find("tmp"), std::string::npos) << entry.path();

  const std::string overall = ReadAll(dir_ / "overall.csv");
  EXPECT_EQ(overall.substr(0, overall.find('\n')),
            ",text_len,alnum_ratio,aspect_ratios,lang,late<stat>");
  EXPECT_NE(overall.find("\ncount,500.0,500.0,1000.0,500,400.0\n"), std::string::npos) << overall;
  EXPECT_NE(overall.find("\ntop,,,,en,\n"), std::string::npos) << overall;
  const std::string md = ReadAll(dir_ / "overall.md");
  EXPECT_NE(md.find("| count | 500 | 500 | 1000 | 500 | 400 |"), std::string::npos) << md;

  // text_len and alnum_ratio are linearly related: all three coefficients are 1.
  for (const char* m : {"pearson", "spearman", "kendall"}) {
    const std::string csv = ReadAll(dir_ / (std::string("correlation_") + m + ".csv"));
    EXPECT_EQ(csv.substr(0, csv.find('\n')), ",text_len,alnum_ratio,aspect_ratios,late<stat>");
    const size_t row = csv.find("\nalnum_ratio,");
    ASSERT_NE(row, std::string::npos) << csv;
    EXPECT_NEAR(std::stod(csv.substr(row + 13)), 1.0, 1e-12) << m << "\n" << csv;
  }

  bool have_xmllint = std::system("command -v xmllint >/dev/null 2>&1") == 0;
  for (const std::string& p : written) {
    if (fs::path(p).extension() != ".svg") continue;
    EXPECT_EQ(test_util::CheckXml(ReadAll(p)), "") << p;
    if (have_xmllint) {
      EXPECT_EQ(std::system(("xmllint --noout '" + p + "'").c_str()), 0) << p;
    }
  }
  const std::string html = ReadAll(dir_ / "index.html");
  for (const std::string& n : names) {
    if (n.ends_with(".svg")) {
      EXPECT_NE(html.find("<img src=\"" + n + "\""), std::string::npos) << n;
    }
  }
  EXPECT_NE(html.find("<th>late&lt;stat&gt;</th>"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST_F(AnalysisWriterTest, NoCorrelationWithOneNumericStat) {
  StatsCollector c;
  for (int i = 0; i < 10; ++i) {
    Stats s;
    s.Set("x", StatValue(i));
    s.Set("lang", StatValue(std::string("en")));
    c.Add(s);
  }
  std::vector<std::string> written;
  ASSERT_TRUE(WriteAnalysis(c.Finish(), AnalysisOptions(), dir_.string(), &written).ok());
  EXPECT_EQ(written.size(), 6u);  // overall.csv/.md, x-hist, x-box, lang-bar, index.html
  EXPECT_FALSE(fs::exists(dir_ / "correlation_pearson.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "index.html"));
}

TEST_F(AnalysisWriterTest, EmptyInputStillWritesTables) {
  ASSERT_TRUE(WriteAnalysis({}, AnalysisOptions(), dir_.string(), nullptr).ok());
  EXPECT_TRUE(fs::exists(dir_ / "overall.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "index.html"));
}

TEST_F(AnalysisWriterTest, FileNameCollisions) {
  EXPECT_EQ(StatFileStem("a/b c"), "a_b_c");
  EXPECT_EQ(StatFileStem(".hidden"), "_.hidden");
  EXPECT_EQ(StatFileStem(""), "_");
  std::vector<StatColumn> cols(2);
  cols[0].name = "a/b";
  cols[0].flattened = {1, 2};
  cols[1].name = "a_b";
  cols[1].flattened = {3, 4};
  ASSERT_TRUE(WriteAnalysis(cols, AnalysisOptions(), dir_.string(), nullptr).ok());
  EXPECT_TRUE(fs::exists(dir_ / "a_b-hist.svg"));
  EXPECT_TRUE(fs::exists(dir_ / "a_b-2-hist.svg"));
}

TEST_F(AnalysisWriterTest, Errors) {
  AnalysisOptions bad;
  bad.percentiles = {1.2};
  EXPECT_EQ(WriteAnalysis({}, bad, dir_.string(), nullptr).code(), StatusCode::kInvalidArgument);
  // The output directory is a regular file.
  fs::create_directories(dir_);
  const fs::path file = dir_ / "plain";
  std::ofstream(file) << "x";
  const Status st = WriteAnalysis({}, AnalysisOptions(), file.string(), nullptr);
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find(file.string()), std::string::npos) << st.message();
  // A directory where a file should go: the rename fails, the error names the path.
  fs::create_directories(dir_ / "out" / "overall.csv" / "sub");
  const Status st2 = WriteAnalysis({}, AnalysisOptions(), (dir_ / "out").string(), nullptr);
  EXPECT_EQ(st2.code(), StatusCode::kIOError);
  EXPECT_NE(st2.message().find("overall.csv"), std::string::npos) << st2.message();
  for (const auto& entry : fs::directory_iterator(dir_ / "out"))
    EXPECT_EQ(entry.path().filename().string().find("tmp"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace juicer
