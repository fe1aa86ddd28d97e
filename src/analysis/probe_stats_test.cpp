#include "analysis/probe_stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace juicer {
namespace {

TEST(ProbeStats, MeanAndStudentInterval) {
  const std::vector<double> x = {1, 2, 3};
  const MeanSummary s = Summarize(x);
  EXPECT_DOUBLE_EQ(s.mean, 2);
  EXPECT_DOUBLE_EQ(s.sd, 1);
  // t_{0.975, 2} = 4.302653; se = 1/sqrt(3).
  EXPECT_NEAR(s.ci_hi - s.mean, 4.302653 / std::sqrt(3.0), 1e-6);
  EXPECT_NEAR(s.mean - s.ci_lo, 4.302653 / std::sqrt(3.0), 1e-6);
  EXPECT_TRUE(std::isnan(Summarize(std::vector<double>{5}).ci_lo));
}

TEST(ProbeStats, PairedTTestAndSignFlip) {
  const std::vector<double> a = {1.2, 2.1, 3.3}, b = {0.2, 0.1, 0.3};  // diffs 1, 2, 3
  const PairedComparison c = ComparePaired(a, b);
  EXPECT_NEAR(c.mean_diff, 2, 1e-12);
  EXPECT_NEAR(c.t, 2 / (1 / std::sqrt(3.0)), 1e-9);  // 3.4641
  EXPECT_NEAR(c.p_t, 0.07418, 1e-4);                 // two-sided, df 2
  EXPECT_NEAR(c.rel_change, 2 / 0.2, 1e-9);
  // All diffs positive: only the all-plus and all-minus patterns are as extreme: 2/8.
  EXPECT_DOUBLE_EQ(c.p_perm, 0.25);
  const std::vector<double> d = {1, -1, 2, 0.5, 3, 2, 1.5};
  const double p = SignFlipPValue(d);
  EXPECT_GT(p, 0.0);
  EXPECT_LT(p, 0.2);
  // Identical shifts: sd 0, the t-test degenerates to p = 0 (documented) and the permutation test does not.
  const std::vector<double> e = {2, 3, 4}, f = {1, 2, 3};
  const PairedComparison g = ComparePaired(e, f);
  EXPECT_DOUBLE_EQ(g.p_t, 0.0);
  EXPECT_DOUBLE_EQ(g.p_perm, 0.25);
}

TEST(ProbeStats, AverageLinkageLikeScipy) {
  // Points 0, 1, 5, 6 on a line: scipy.cluster.hierarchy.linkage(method='average') gives
  // [[0,1,1,2],[2,3,1,2],[4,5,5,4]].
  const double p[] = {0, 1, 5, 6};
  std::vector<double> dist(16);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) dist[i * 4 + j] = std::fabs(p[i] - p[j]);
  }
  const auto m = AverageLinkage(dist, 4);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].a, 0u);
  EXPECT_EQ(m[0].b, 1u);
  EXPECT_DOUBLE_EQ(m[0].height, 1);
  EXPECT_EQ(m[1].a, 2u);
  EXPECT_EQ(m[1].b, 3u);
  EXPECT_EQ(m[2].a, 4u);
  EXPECT_EQ(m[2].b, 5u);
  EXPECT_DOUBLE_EQ(m[2].height, 5);
  EXPECT_EQ(m[2].size, 4u);
  EXPECT_EQ(CutIntoClusters(m, 4, 2), (std::vector<int>{0, 0, 1, 1}));
  EXPECT_EQ(CutIntoClusters(m, 4, 4), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(CutIntoClusters(m, 4, 1), (std::vector<int>{0, 0, 0, 0}));
  // Silhouette of {0,1},{5,6}: a = 1, b = 5 and 4 / 5 and 5 -> (0.8 + 0.75 + 0.75 + 0.8) / 4... computed:
  // item 0: a=1, b=(5+6)/2=5.5 -> 1-1/5.5; item 1: a=1, b=(4+5)/2=4.5 -> 1-1/4.5; symmetric for 2, 3.
  const double expect = (2 * (1 - 1 / 5.5) + 2 * (1 - 1 / 4.5)) / 4;
  EXPECT_NEAR(MeanSilhouette(dist, 4, {0, 0, 1, 1}), expect, 1e-12);
}

TEST(ProbeStats, ClusterByCorrelationFindsBlocks) {
  // Two blocks of strongly correlated OPs (|r| 0.9 inside, 0.1 across; sign ignored).
  const size_t n = 5;
  std::vector<double> r(n * n, 0.1);
  const int block[] = {0, 0, 1, 1, 1};
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j) r[i * n + j] = 1;
      else if (block[i] == block[j]) r[i * n + j] = (i + j) % 2 ? -0.9 : 0.9;
    }
  }
  const ClusterCut cut = ClusterByCorrelation(r, n);
  EXPECT_EQ(cut.k, 2u);
  EXPECT_EQ(cut.labels, (std::vector<int>{0, 0, 1, 1, 1}));
  EXPECT_GT(cut.silhouette, 0.8);
}

TEST(ProbeStats, PowerLawFitRecoversExponent) {
  const std::vector<double> x = {1, 2, 4, 8};
  std::vector<double> y;
  for (double v : x) y.push_back(0.3 * std::pow(v, 0.25));
  const PowerLawFit f = FitPowerLaw(x, y);
  EXPECT_EQ(f.n, 4u);
  EXPECT_NEAR(f.a, 0.3, 1e-12);
  EXPECT_NEAR(f.b, 0.25, 1e-12);
  EXPECT_NEAR(f.r2, 1.0, 1e-12);
  // Noisy points: r2 below 1, non-positive points ignored.
  const std::vector<double> y2 = {0.30, 0.37, 0.40, 0.48, -1};
  const std::vector<double> x2 = {1, 2, 4, 8, 16};
  const PowerLawFit g = FitPowerLaw(x2, y2);
  EXPECT_EQ(g.n, 4u);
  EXPECT_GT(g.b, 0.1);
  EXPECT_LT(g.r2, 1.0);
  EXPECT_TRUE(std::isnan(FitPowerLaw(std::vector<double>{1}, std::vector<double>{1}).b));
}

TEST(ProbeStats, SpearmanExactPermutationP) {
  // Perfect agreement of 5 items: rho 1, p = 2/120 (the identity and the reversal are as extreme).
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const RankCorrelation r = SpearmanExact(x, std::vector<double>{10, 20, 30, 40, 50});
  EXPECT_DOUBLE_EQ(r.rho, 1.0);
  EXPECT_NEAR(r.p, 2.0 / 120.0, 1e-12);
  const RankCorrelation q = SpearmanExact(x, std::vector<double>{3, 1, 5, 2, 4});
  EXPECT_LT(std::fabs(q.rho), 0.5);
  EXPECT_GT(q.p, 0.3);
  EXPECT_TRUE(std::isnan(SpearmanExact(std::vector<double>(10, 1.0), std::vector<double>(10, 1.0)).p));
}

}  // namespace
}  // namespace juicer
