#include "analysis/stats_collector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace juicer {
namespace {

Stats Make(std::vector<std::pair<std::string, StatValue>> items) {
  Stats s;
  for (auto& [k, v] : items) s.Set(k, std::move(v));
  return s;
}

void ExpectSeries(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "index " << i << " got " << got[i];
    } else {
      EXPECT_DOUBLE_EQ(got[i], want[i]) << "index " << i;
    }
  }
}

const double kNaN = std::nan("");

TEST(StatsCollectorTest, ListsMissingKeysAndOrder) {
  StatsCollector c;
  c.Add(Make({{"a", StatValue(1)},
              {"b", StatValue(std::vector<StatScalar>{int64_t{1}, 2.0, int64_t{3}})}}));
  c.Add(Make({{"a", StatValue(2.5)}, {"c", StatValue(std::string("en"))}}));
  c.Add(Make({{"b", StatValue(std::vector<StatScalar>{})}, {"a", StatValue(true)}}));
  c.Add(Stats());
  EXPECT_EQ(c.num_samples(), 4u);
  std::vector<StatColumn> cols = c.Finish();
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(cols[0].name, "a");
  EXPECT_EQ(cols[1].name, "b");
  EXPECT_EQ(cols[2].name, "c");

  EXPECT_FALSE(cols[0].is_string);
  ExpectSeries(cols[0].per_sample, {1, 2.5, 1, kNaN});
  ExpectSeries(cols[0].flattened, {1, 2.5, 1});

  // A list is pooled to its mean; an empty list to 0 (DJ), and flattened adds nothing for it.
  ExpectSeries(cols[1].per_sample, {2, kNaN, 0, kNaN});
  ExpectSeries(cols[1].flattened, {1, 2, 3});

  // A key first seen at sample 1 gets NaN for sample 0.
  EXPECT_TRUE(cols[2].is_string);
  ExpectSeries(cols[2].per_sample, {kNaN, kNaN, kNaN, kNaN});
  EXPECT_EQ(cols[2].strings, std::vector<std::string>({"en"}));
  EXPECT_TRUE(cols[2].flattened.empty());

  // Finish leaves the collector empty.
  EXPECT_EQ(c.num_samples(), 0u);
  EXPECT_TRUE(c.Finish().empty());
}

TEST(StatsCollectorTest, StringListsFlattenAndNullIsMissing) {
  StatsCollector c;
  c.Add(Make({{"lang", StatValue(std::vector<StatScalar>{std::string("en"), std::string("zh")})},
              {"score", StatValue(std::vector<StatScalar>{std::monostate{}, 0.5})}}));
  Stats nulls;
  nulls.Set("lang", StatValue());  // null scalar
  nulls.Set("score", StatValue(std::vector<StatScalar>{std::monostate{}}));
  c.Add(nulls);
  std::vector<StatColumn> cols = c.Finish();
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_TRUE(cols[0].is_string);
  EXPECT_EQ(cols[0].strings, std::vector<std::string>({"en", "zh"}));
  ExpectSeries(cols[0].per_sample, {kNaN, kNaN});
  EXPECT_FALSE(cols[1].is_string);
  ExpectSeries(cols[1].per_sample, {0.5, kNaN});  // nulls in a list are skipped; none left -> NaN
  ExpectSeries(cols[1].flattened, {0.5});
}

TEST(StatsCollectorTest, NaNValuesAreMissingInFlattened) {
  StatsCollector c;
  c.Add(Make({{"x", StatValue(kNaN)}}));
  c.Add(Make({{"x", StatValue(int64_t{7})}}));
  std::vector<StatColumn> cols = c.Finish();
  ASSERT_EQ(cols.size(), 1u);
  ExpectSeries(cols[0].per_sample, {kNaN, 7});
  ExpectSeries(cols[0].flattened, {7});
}

TEST(StatsCollectorTest, AppendEqualsSequentialAdds) {
  std::vector<Stats> samples = {
      Make({{"a", StatValue(1)}}),
      Make({{"b", StatValue(std::string("x"))}, {"a", StatValue(2)}}),
      Make({{"c", StatValue(3.5)}}),
      Make({{"a", StatValue(4)}, {"c", StatValue(std::vector<StatScalar>{1.0, 2.0})}}),
      Make({{"b", StatValue(std::string("y"))}}),
  };
  StatsCollector all;
  for (const Stats& s : samples) all.Add(s);
  StatsCollector first, second;
  for (size_t i = 0; i < 2; ++i) first.Add(samples[i]);
  for (size_t i = 2; i < samples.size(); ++i) second.Add(samples[i]);
  first.Append(std::move(second));
  EXPECT_EQ(first.num_samples(), samples.size());
  EXPECT_EQ(second.num_samples(), 0u);  // NOLINT(bugprone-use-after-move): documented as emptied
  std::vector<StatColumn> want = all.Finish(), got = first.Finish();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].name, want[i].name);
    EXPECT_EQ(got[i].is_string, want[i].is_string);
    ExpectSeries(got[i].per_sample, want[i].per_sample);
    ExpectSeries(got[i].flattened, want[i].flattened);
    EXPECT_EQ(got[i].strings, want[i].strings);
  }
}

TEST(StatsCollectorTest, MostlyStringsDecidesType) {
  StatsCollector c;
  c.Add(Make({{"m", StatValue(std::string("a"))}}));
  c.Add(Make({{"m", StatValue(std::string("b"))}}));
  c.Add(Make({{"m", StatValue(1)}}));
  std::vector<StatColumn> cols = c.Finish();
  ASSERT_EQ(cols.size(), 1u);
  EXPECT_TRUE(cols[0].is_string);
  EXPECT_EQ(cols[0].strings.size(), 2u);
  ExpectSeries(cols[0].per_sample, {kNaN, kNaN, 1});
}

}  // namespace
}  // namespace juicer
