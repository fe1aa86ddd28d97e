#include "analysis/correlation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace juicer {
namespace {

const double kNaN = std::nan("");

// Kendall's tau-b by its definition, O(n^2), over the complete pairs.
double BruteKendall(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> a, b;
  for (size_t i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i]) && !std::isnan(y[i])) a.push_back(x[i]), b.push_back(y[i]);
  int64_t conc = 0, disc = 0, xtie = 0, ytie = 0;
  const int64_t n = static_cast<int64_t>(a.size());
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = i + 1; j < n; ++j) {
      const double dx = a[i] - a[j], dy = b[i] - b[j];
      if (dx == 0) ++xtie;
      if (dy == 0) ++ytie;
      if (dx != 0 && dy != 0) (dx * dy > 0 ? conc : disc)++;
    }
  }
  const int64_t tot = n * (n - 1) / 2;
  if (tot == xtie || tot == ytie) return kNaN;
  return static_cast<double>(conc - disc) / std::sqrt(static_cast<double>(tot - xtie)) /
         std::sqrt(static_cast<double>(tot - ytie));
}

TEST(CorrelationTest, PearsonKnownValue) {
  // scipy.stats.pearsonr([1,2,3,4,5], [2,4,5,4,5]) == 0.7745966692414834
  std::vector<double> x = {1, 2, 3, 4, 5}, y = {2, 4, 5, 4, 5};
  EXPECT_NEAR(PearsonCorrelation(x, y), 0.7745966692414834, 1e-15);
  std::vector<double> neg = {10, 8, 6, 4, 2};
  EXPECT_DOUBLE_EQ(PearsonCorrelation(x, neg), -1.0);
  EXPECT_DOUBLE_EQ(PearsonCorrelation(x, x), 1.0);
}

TEST(CorrelationTest, PearsonBitExactLikePandas) {
  // pandas.DataFrame({'a': a, 'b': b}).corr().loc['a', 'b'] == 0.3005501664120526 (Welford's
  // updates with b as x); numpy.corrcoef gives 0.30055016641205273.
  std::vector<double> a = {0.9, 2.4, 8.0, 5.8, 0.9, 4.3}, b = {4.8, 1.6, 7.3, 1.1, 3.9, 5.2};
  EXPECT_EQ(PearsonCorrelation(a, b), 0.3005501664120526);
  std::vector<StatColumn> cols(2);
  cols[0].name = "a";
  cols[0].per_sample = a;
  cols[1].name = "b";
  cols[1].per_sample = b;
  const CorrelationMatrix m = ComputeCorrelation(cols, CorrelationMethod::kPearson);
  EXPECT_EQ(m.at(0, 1), 0.3005501664120526);
  EXPECT_EQ(m.at(1, 0), 0.3005501664120526);
  // Infinite values are missing, as in pandas (np.isfinite mask).
  std::vector<double> x = {1, 2, 3, 4}, y = {2, INFINITY, 6, 8};
  EXPECT_DOUBLE_EQ(PearsonCorrelation(x, y), 1.0);
}

TEST(CorrelationTest, SpearmanWithTies) {
  // scipy.stats.spearmanr([1,2,3,4,5], [5,6,7,8,7]) == 0.8207826816681233 (ranks of y:
  // 1,2,3.5,5,3.5)
  std::vector<double> x = {1, 2, 3, 4, 5}, y = {5, 6, 7, 8, 7};
  EXPECT_NEAR(SpearmanCorrelation(x, y), 0.8207826816681233, 1e-15);
  // Monotone but non-linear: rho = 1 while Pearson's r < 1.
  std::vector<double> cube = {1, 8, 27, 64, 125};
  EXPECT_DOUBLE_EQ(SpearmanCorrelation(x, cube), 1.0);
  EXPECT_LT(PearsonCorrelation(x, cube), 0.99);
}

TEST(CorrelationTest, KendallKnownValues) {
  // scipy's doc example: kendalltau([12,2,1,12,2], [1,4,7,1,0]) == -0.47140452079103173
  std::vector<double> x = {12, 2, 1, 12, 2}, y = {1, 4, 7, 1, 0};
  EXPECT_NEAR(KendallTauB(x, y), -0.47140452079103173, 1e-15);
  // By hand: x = 1..4, y = 1,3,2,4 -> 5 concordant, 1 discordant of 6 pairs: tau = 4/6.
  std::vector<double> a = {1, 2, 3, 4}, b = {1, 3, 2, 4};
  EXPECT_NEAR(KendallTauB(a, b), 4.0 / 6.0, 1e-15);
  std::vector<double> rev = {4, 3, 2, 1};
  EXPECT_DOUBLE_EQ(KendallTauB(a, rev), -1.0);
}

TEST(CorrelationTest, KendallMatchesBruteForceWithTiesAndNaN) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    const size_t n = 50 + 37 * round;
    std::uniform_int_distribution<int> small(0, round % 5 + 2);  // many ties
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<double> x(n), y(n);
    for (size_t i = 0; i < n; ++i) {
      x[i] = small(rng);
      y[i] = round % 2 ? x[i] + small(rng) : unit(rng);
      if (unit(rng) < 0.05) x[i] = kNaN;
      if (unit(rng) < 0.05) y[i] = kNaN;
    }
    EXPECT_NEAR(KendallTauB(x, y), BruteKendall(x, y), 1e-12) << "round " << round;
  }
}

TEST(CorrelationTest, KendallLargeInputIsFastAndExact) {
  const size_t n = 300000;
  std::vector<double> x(n), same(n), rev(n), mod(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(i % 1000);  // heavy ties
    same[i] = 2 * x[i] + 1;
    rev[i] = -x[i];
    mod[i] = static_cast<double>(i);
  }
  EXPECT_DOUBLE_EQ(KendallTauB(x, same), 1.0);
  EXPECT_DOUBLE_EQ(KendallTauB(x, rev), -1.0);
  const double t = KendallTauB(x, mod);
  EXPECT_GT(t, -1);
  EXPECT_LT(t, 1);
}

TEST(CorrelationTest, PairwiseCompleteLikePandas) {
  // pandas: DataFrame({'a':[1,2,nan,4,5,6], 'b':[2,1,4,3,nan,7]}).corr(method=...)
  std::vector<double> a = {1, 2, kNaN, 4, 5, 6}, b = {2, 1, 4, 3, kNaN, 7};
  EXPECT_NEAR(PearsonCorrelation(a, b), 0.9002756367784497, 1e-14);
  // Spearman re-ranks the complete pairs: a' = 1,2,4,6 and b' = 2,1,3,7 -> 1 - 6*2/60 = 0.8
  EXPECT_NEAR(SpearmanCorrelation(a, b), 0.8, 1e-15);
  EXPECT_NEAR(KendallTauB(a, b), 2.0 / 3.0, 1e-15);
}

TEST(CorrelationTest, ConstantAndTooShortAreNaN) {
  std::vector<double> x = {1, 2, 3}, c = {5, 5, 5}, tenths = {0.1, 0.1, 0.1};
  EXPECT_TRUE(std::isnan(PearsonCorrelation(x, c)));
  EXPECT_TRUE(std::isnan(PearsonCorrelation(x, tenths)));
  EXPECT_TRUE(std::isnan(SpearmanCorrelation(c, x)));
  EXPECT_TRUE(std::isnan(KendallTauB(x, c)));
  std::vector<double> one = {1, kNaN, kNaN}, two = {kNaN, 1, 2};
  EXPECT_TRUE(std::isnan(PearsonCorrelation(x, one)));
  EXPECT_TRUE(std::isnan(PearsonCorrelation(one, two)));  // no complete pair
  EXPECT_TRUE(std::isnan(KendallTauB(one, two)));
  EXPECT_TRUE(std::isnan(SpearmanCorrelation(std::vector<double>{}, std::vector<double>{})));
}

TEST(CorrelationTest, MatrixSkipsStringsAndWritesCsv) {
  std::vector<StatColumn> cols(4);
  cols[0].name = "a";
  cols[0].per_sample = {1, 2, kNaN, 4, 5, 6};
  cols[1].name = "lang";
  cols[1].is_string = true;
  cols[1].per_sample = {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
  cols[2].name = "b";
  cols[2].per_sample = {2, 1, 4, 3, kNaN, 7};
  cols[3].name = "c";
  cols[3].per_sample = {1, 1, 1, 1, 1, 1};
  for (CorrelationMethod m :
       {CorrelationMethod::kPearson, CorrelationMethod::kSpearman, CorrelationMethod::kKendall}) {
    const CorrelationMatrix mat = ComputeCorrelation(cols, m);
    ASSERT_EQ(mat.names, std::vector<std::string>({"a", "b", "c"}));
    EXPECT_DOUBLE_EQ(mat.at(0, 0), 1.0);
    EXPECT_DOUBLE_EQ(mat.at(1, 1), 1.0);
    EXPECT_TRUE(std::isnan(mat.at(2, 2)));
    EXPECT_TRUE(std::isnan(mat.at(0, 2)));
    EXPECT_TRUE(std::isnan(mat.at(2, 1)));
    EXPECT_DOUBLE_EQ(mat.at(0, 1), mat.at(1, 0));
  }
  const CorrelationMatrix sp = ComputeCorrelation(cols, CorrelationMethod::kSpearman);
  EXPECT_NEAR(sp.at(0, 1), 0.8, 1e-15);
  CorrelationMatrix fixed;
  fixed.names = {"a", "b,c"};
  fixed.values = {1.0, 0.5, 0.5, kNaN};
  EXPECT_EQ(CorrelationCsv(fixed), ",a,\"b,c\"\na,1.0,0.5\n\"b,c\",0.5,\n");
}

}  // namespace
}  // namespace juicer
