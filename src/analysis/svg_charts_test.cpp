#include "analysis/svg_charts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "analysis/xml_check_for_test.h"

namespace juicer {
namespace {

const double kNaN = std::nan("");

size_t Count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

TEST(XmlCheckTest, CatchesBrokenXml) {
  using test_util::CheckXml;
  EXPECT_EQ(CheckXml("<svg a=\"1\"><g><rect/></g><text>a &amp; b</text></svg>"), "");
  EXPECT_NE(CheckXml("<svg><g></svg>"), "");
  EXPECT_NE(CheckXml("<svg><text>a & b</text></svg>"), "");
  EXPECT_NE(CheckXml("<svg a=1></svg>"), "");
  EXPECT_NE(CheckXml("<svg></svg><svg></svg>"), "");
  EXPECT_NE(CheckXml("<svg><text>a < b</text></svg>"), "");
}

TEST(SvgChartsTest, NiceTicks) {
  EXPECT_EQ(NiceTicks(0, 10, 6), std::vector<double>({0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(NiceTicks(0, 97, 6), std::vector<double>({0, 20, 40, 60, 80, 100}));
  const std::vector<double> t = NiceTicks(0.013, 0.087, 5);
  ASSERT_GE(t.size(), 2u);
  EXPECT_LE(t.front(), 0.013);
  EXPECT_GE(t.back(), 0.087);
  EXPECT_NEAR(t[1] - t[0], 0.02, 1e-12);
  const std::vector<double> same = NiceTicks(5, 5, 5);
  EXPECT_LE(same.front(), 5);
  EXPECT_GE(same.back(), 5);
  EXPECT_TRUE(NiceTicks(0, kNaN, 5).empty());
}

TEST(SvgChartsTest, HistogramBinsLikeNumpyAuto) {
  // 1.5, 2.5, ..., 100.5: Sturges gives ceil(log2 100) + 1 = 8; FD width 2*49.5/100^(1/3) = 21.3
  // gives 5 bins; numpy's "auto" takes the larger count.
  std::vector<double> v(100);
  std::iota(v.begin(), v.end(), 1.5);
  HistogramBins b = ComputeHistogramBins(v);
  EXPECT_EQ(b.counts.size(), 8u);
  EXPECT_DOUBLE_EQ(b.lo, 1.5);
  EXPECT_DOUBLE_EQ(b.hi, 100.5);
  EXPECT_EQ(std::accumulate(b.counts.begin(), b.counts.end(), size_t{0}), 100u);
  EXPECT_EQ(b.counts.back(), 13u);  // the last bin, 88.125 .. 100.5, includes the right edge
  // Integers 1..100: 8 bins of 13 integers each, centred on them.
  std::iota(v.begin(), v.end(), 1.0);
  b = ComputeHistogramBins(v);
  EXPECT_EQ(b.counts.size(), 8u);
  EXPECT_DOUBLE_EQ(b.lo, 0.5);
  EXPECT_DOUBLE_EQ(b.hi, 104.5);
  EXPECT_EQ(b.counts.front(), 13u);
  EXPECT_EQ(b.counts.back(), 9u);  // 92 .. 100
  // Few distinct integers: one bin per value.
  b = ComputeHistogramBins({0, 1, 1, 0, 1, 1, 1, 0, 0, 1});
  EXPECT_EQ(b.counts, std::vector<size_t>({4, 6}));
  EXPECT_DOUBLE_EQ(b.lo, -0.5);
  // All equal: one bin around the value; non-finite values are left out.
  HistogramBins one = ComputeHistogramBins({3, 3, 3, kNaN, INFINITY});
  ASSERT_EQ(one.counts.size(), 1u);
  EXPECT_EQ(one.counts[0], 3u);
  EXPECT_DOUBLE_EQ(one.lo, 2.5);
  // A heavy tail is capped.
  std::vector<double> tail(10000, 1.0);
  for (size_t i = 0; i < tail.size(); ++i) tail[i] = static_cast<double>(i % 100);
  tail.push_back(1e9);
  EXPECT_EQ(ComputeHistogramBins(tail, 100).counts.size(), 100u);
  EXPECT_TRUE(ComputeHistogramBins({}).counts.empty());
}

TEST(SvgChartsTest, ChartsAreWellFormedAndEscaped) {
  std::mt19937 rng(3);
  std::lognormal_distribution<double> dist(3, 1);
  std::vector<double> v(5000);
  for (double& x : v) x = dist(rng);
  const std::string title = "len <&> \"q\" 'a'";
  for (const std::string& svg : {HistogramSvg(title, v), BoxPlotSvg(title, v)}) {
    EXPECT_EQ(test_util::CheckXml(svg), "") << svg.substr(0, 400);
    EXPECT_NE(svg.find("len &lt;&amp;&gt; &quot;q&quot; &#39;a&#39;"), std::string::npos);
    EXPECT_EQ(svg.find("<&>"), std::string::npos);
  }
  CorrelationMatrix m;
  m.names = {"a<b", "x&y", "\xff bad utf8"};
  m.values = {1, 0.5, -0.7, 0.5, 1, kNaN, -0.7, kNaN, 1};
  const std::string heat = CorrelationHeatmapSvg(m);
  EXPECT_EQ(test_util::CheckXml(heat), "");
  EXPECT_EQ(Count(heat, "<rect x="), 1u + 9u + 1u);  // background, cells, colour bar
  EXPECT_NE(heat.find("-0.70"), std::string::npos);
  EXPECT_NE(heat.find("NaN"), std::string::npos);
  const std::string bar = TopValuesBarSvg("lang", {{"en", 7}, {"<zh>", 3}, {"", 1}}, 11, 3);
  EXPECT_EQ(test_util::CheckXml(bar), "");
  EXPECT_NE(bar.find("&lt;zh&gt;"), std::string::npos);
  EXPECT_NE(bar.find("63.6%"), std::string::npos);
}

TEST(SvgChartsTest, EmptyAndDegenerateInputs) {
  for (const std::string& svg :
       {HistogramSvg("e", {}), BoxPlotSvg("e", {}), HistogramSvg("c", {2, 2, 2}),
        BoxPlotSvg("c", {2, 2, 2}), HistogramSvg("n", {kNaN, INFINITY}), BoxPlotSvg("one", {1}),
        TopValuesBarSvg("s", {}, 0, 0), CorrelationHeatmapSvg(CorrelationMatrix{})}) {
    EXPECT_EQ(test_util::CheckXml(svg), "") << svg;
  }
  EXPECT_NE(HistogramSvg("e", {}).find("no finite values"), std::string::npos);
}

TEST(SvgChartsTest, BoxPlotSubsamplesOutliers) {
  std::vector<double> v(20000, 0.0);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i % 10);
  for (size_t i = 0; i < 5000; ++i) v.push_back(1000.0 + static_cast<double>(i));  // outliers
  const std::string svg = BoxPlotSvg("x", v, 2000);
  EXPECT_EQ(test_util::CheckXml(svg), "");
  EXPECT_EQ(Count(svg, "<circle "), 2000u);
  EXPECT_NE(svg.find("5,000 outliers (2,000 drawn)"), std::string::npos);
  EXPECT_LT(svg.size(), 200000u);
}

}  // namespace
}  // namespace juicer
