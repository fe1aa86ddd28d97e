#include "analysis/summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/text_util.h"

namespace juicer {
namespace {

const double kNaN = std::nan("");
const std::vector<double> kQuartiles = {0.25, 0.5, 0.75};

TEST(SummaryTest, QuantilesMatchNumpyLinear) {
  // np.percentile([1, 2, 3, 4], [25, 50, 75]) == [1.75, 2.5, 3.25]
  const std::vector<double> a = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(QuantileSorted(a, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(QuantileSorted(a, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(QuantileSorted(a, 0.75), 3.25);
  EXPECT_DOUBLE_EQ(QuantileSorted(a, 0.0), 1);
  EXPECT_DOUBLE_EQ(QuantileSorted(a, 1.0), 4);
  // np.percentile([10, 20, 30, 40, 50], [10, 90]) == [14, 46]: position (n-1)*p = 0.4, 3.6
  const std::vector<double> b = {10, 20, 30, 40, 50};
  EXPECT_DOUBLE_EQ(QuantileSorted(b, 0.1), 14);
  EXPECT_DOUBLE_EQ(QuantileSorted(b, 0.9), 46);
  EXPECT_DOUBLE_EQ(QuantileSorted({5}, 0.3), 5);
  EXPECT_TRUE(std::isnan(QuantileSorted({}, 0.5)));
}

TEST(SummaryTest, DescribeNumbers) {
  // pandas: Series([3.5, 1, 2, 10, 7, nan]).describe(percentiles=[.1, .9])
  //   count 5.0, mean 4.7, std 3.73496987939662, min 1.0, 10% 1.4, 50% 3.5, 90% 8.8, max 10.0
  auto ps = NormalizePercentiles({0.1, 0.9});
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(*ps, std::vector<double>({0.1, 0.5, 0.9}));
  NumericSummary s = SummarizeNumbers({3.5, 1, 2, 10, 7, kNaN}, *ps);
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.mean, 4.7);
  EXPECT_NEAR(s.std, 3.73496987939662, 1e-14);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 10);
  ASSERT_EQ(s.percentiles.size(), 3u);
  EXPECT_DOUBLE_EQ(s.percentiles[0], 1.4);
  EXPECT_DOUBLE_EQ(s.percentiles[1], 3.5);
  EXPECT_DOUBLE_EQ(s.percentiles[2], 8.8);
}

TEST(SummaryTest, MeanAndStdBitExactLikePandas) {
  // numpy's pairwise summation, not a naive (9.70867853474831) or exact (9.708678534748302) sum:
  // v = [(i * 2 % 97) / 7.0 + 1e3 / i for i in range(1, 3001)]; pandas (without bottleneck)
  // gives Series(v).mean() == 9.7086785347483 and Series(v).std() == 23.3285367442699.
  std::vector<double> v;
  for (int i = 1; i <= 3000; ++i) v.push_back((i * 2 % 97) / 7.0 + 1e3 / i);
  NumericSummary s = SummarizeNumbers(v, kQuartiles);
  EXPECT_EQ(PyFloatRepr(s.mean), "9.7086785347483");
  EXPECT_EQ(PyFloatRepr(s.std), "23.3285367442699");
}

TEST(SummaryTest, SampleStdUsesDdofOne) {
  // Population variance of {2,4,4,4,5,5,7,9} is 4; the sample variance is 32/7.
  NumericSummary s = SummarizeNumbers({2, 4, 4, 4, 5, 5, 7, 9}, kQuartiles);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_NEAR(s.std, 2.138089935299395, 1e-15);
  EXPECT_NEAR(s.std, std::sqrt(32.0 / 7.0), 1e-15);
  NumericSummary one = SummarizeNumbers({42}, kQuartiles);
  EXPECT_EQ(one.count, 1u);
  EXPECT_DOUBLE_EQ(one.mean, 42);
  EXPECT_TRUE(std::isnan(one.std));
  EXPECT_DOUBLE_EQ(one.percentiles[1], 42);
  NumericSummary none = SummarizeNumbers({kNaN}, kQuartiles);
  EXPECT_EQ(none.count, 0u);
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.min));
  EXPECT_TRUE(std::isnan(none.percentiles[0]));
  // Two-pass like pandas: Series([0.1] * 3).std() == 1.6996749443881478e-17 (not 0).
  NumericSummary c = SummarizeNumbers({0.1, 0.1, 0.1}, kQuartiles);
  EXPECT_DOUBLE_EQ(c.std, 1.6996749443881478e-17);
}

TEST(SummaryTest, NormalizePercentiles) {
  auto ps = NormalizePercentiles({0.9, 0.1, 0.9});
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(*ps, std::vector<double>({0.1, 0.5, 0.9}));
  EXPECT_EQ(NormalizePercentiles({1.5}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizePercentiles({-0.1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizePercentiles({kNaN}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(WithQuartiles({0.9}), std::vector<double>({0.25, 0.5, 0.75, 0.9}));
}

TEST(SummaryTest, PercentileLabelsLikePandas) {
  using V = std::vector<std::string>;
  EXPECT_EQ(PercentileLabels({0.25, 0.5, 0.75}), V({"25%", "50%", "75%"}));
  EXPECT_EQ(PercentileLabels({0.025, 0.5, 0.975}), V({"2.5%", "50%", "97.5%"}));
  EXPECT_EQ(PercentileLabels({0.001, 0.25, 0.5, 0.75, 0.999}),
            V({"0.1%", "25%", "50%", "75%", "99.9%"}));
  EXPECT_EQ(PercentileLabels({1.0 / 3, 0.5, 2.0 / 3}), V({"33.3%", "50%", "66.7%"}));
  EXPECT_EQ(PercentileLabels({0, 0.5, 1}), V({"0%", "50%", "100%"}));
  // 0.29 * 100 == 28.999999999999996: pandas 2.x rounds first, so "29%".
  EXPECT_EQ(PercentileLabels({0.29, 0.5}), V({"29%", "50%"}));
  // pandas' own doc example (after its first rounding step).
  EXPECT_EQ(PercentileLabels({0.01999, 0.02001, 0.5, 0.666666, 0.9999}),
            V({"1.999%", "2.001%", "50%", "66.667%", "99.99%"}));
}

TEST(SummaryTest, StringsTopTiesFirstSeen) {
  StringSummary s = SummarizeStrings({"en", "zh", "zh", "en", "fr"});
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.unique, 3u);
  EXPECT_EQ(s.top, "en");  // en and zh both 2: en seen first
  EXPECT_EQ(s.freq, 2u);
  StringSummary t = SummarizeStrings({"a", "b", "b"});
  EXPECT_EQ(t.top, "b");
  EXPECT_EQ(t.freq, 2u);
  StringSummary e = SummarizeStrings({});
  EXPECT_EQ(e.count, 0u);
  EXPECT_EQ(e.unique, 0u);
  auto top = TopStrings({"x", "y", "z", "y", "z", "w"}, 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0], std::make_pair(std::string("y"), size_t{2}));
  EXPECT_EQ(top[1], std::make_pair(std::string("z"), size_t{2}));
  EXPECT_EQ(top[2], std::make_pair(std::string("x"), size_t{1}));
}

TEST(SummaryTest, OverallCsvNumericOnly) {
  StatColumn a{"text_len", false, {}, {1, 2, 3, 4}, {}};
  StatColumn b{"ratio", false, {}, {0.5}, {}};
  std::vector<ColumnSummary> s = {Summarize(a, kQuartiles), Summarize(b, kQuartiles)};
  EXPECT_EQ(OverallCsv(s, kQuartiles),
            ",text_len,ratio\n"
            "count,4.0,1.0\n"
            "mean,2.5,0.5\n"
            "std,1.2909944487358056,\n"
            "min,1.0,0.5\n"
            "25%,1.75,0.5\n"
            "50%,2.5,0.5\n"
            "75%,3.25,0.5\n"
            "max,4.0,0.5\n");
}

TEST(SummaryTest, OverallMixedRowsAndMarkdown) {
  StatColumn num{"x", false, {}, {1, 2}, {}};
  StatColumn str{"lang", true, {}, {}, {"en", "zh", "en"}};
  std::vector<ColumnSummary> s = {Summarize(num, kQuartiles), Summarize(str, kQuartiles)};
  EXPECT_EQ(OverallCsv(s, kQuartiles),
            ",x,lang\n"
            "count,2.0,3\n"
            "unique,,2\n"
            "top,,en\n"
            "freq,,2\n"
            "mean,1.5,\n"
            "std,0.7071067811865476,\n"
            "min,1.0,\n"
            "25%,1.25,\n"
            "50%,1.5,\n"
            "75%,1.75,\n"
            "max,2.0,\n");
  const std::string md = OverallMarkdown(s, kQuartiles);
  EXPECT_NE(md.find("|     | x | lang |"), std::string::npos) << md;
  EXPECT_NE(md.find("| std | 0.7071 |  |"), std::string::npos) << md;
  EXPECT_NE(md.find("| top |  | en |"), std::string::npos) << md;
  EXPECT_NE(md.find("| count | 2 | 3 |"), std::string::npos) << md;
}

TEST(SummaryTest, CsvQuotesNames) {
  StatColumn a{"a,b", false, {}, {1}, {}};
  StatColumn s{"s", true, {}, {}, {"x\"y"}};
  std::vector<ColumnSummary> sums = {Summarize(a, kQuartiles), Summarize(s, kQuartiles)};
  const std::string csv = OverallCsv(sums, kQuartiles);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), ",\"a,b\",s");
  EXPECT_NE(csv.find("top,,\"x\"\"y\"\n"), std::string::npos) << csv;
}

TEST(TextUtilTest, PyFloatRepr) {
  EXPECT_EQ(PyFloatRepr(100), "100.0");
  EXPECT_EQ(PyFloatRepr(0.1), "0.1");
  EXPECT_EQ(PyFloatRepr(-2.5), "-2.5");
  EXPECT_EQ(PyFloatRepr(1e-5), "1e-05");
  EXPECT_EQ(PyFloatRepr(0.0001), "0.0001");
  EXPECT_EQ(PyFloatRepr(1.5e-7), "1.5e-07");
  EXPECT_EQ(PyFloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(PyFloatRepr(1e16), "1e+16");
  EXPECT_EQ(PyFloatRepr(1.2345e100), "1.2345e+100");
  EXPECT_EQ(PyFloatRepr(123456.789), "123456.789");
  EXPECT_EQ(PyFloatRepr(0.0), "0.0");
  EXPECT_EQ(PyFloatRepr(-0.0), "-0.0");
  EXPECT_EQ(PyFloatRepr(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(PyFloatRepr(kNaN), "nan");
  EXPECT_EQ(CsvNumber(kNaN), "");
}

TEST(TextUtilTest, HumanNumberAndEscapes) {
  EXPECT_EQ(HumanNumber(12), "12");
  EXPECT_EQ(HumanNumber(1234.56789), "1234.5679");
  EXPECT_EQ(HumanNumber(0.123456), "0.1235");
  EXPECT_EQ(HumanNumber(0.5), "0.5");
  EXPECT_EQ(HumanNumber(-0.0), "0");
  EXPECT_EQ(HumanNumber(0.00001234), "1.234e-05");
  EXPECT_EQ(XmlEscape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(XmlEscape(std::string("x\x01y\xffz")), "xy\xEF\xBF\xBDz");
  EXPECT_EQ(XmlEscape("中文"), "中文");
  EXPECT_EQ(Ellipsize("abcdef", 4), "abc\u2026");
  EXPECT_EQ(Ellipsize("abcd", 4), "abcd");
  EXPECT_EQ(Ellipsize("中文中文", 3), "中文\u2026");
  EXPECT_DOUBLE_EQ(TextWidthUnits("ab中"), 4);
}

}  // namespace
}  // namespace juicer
