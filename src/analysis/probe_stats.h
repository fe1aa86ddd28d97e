// Statistics for probe experiments (the Probe -> Analyze -> Refine loop): means with Student-t
// confidence intervals over seeds, paired comparisons against the random pool (paired t-test and an
// exact sign-flip permutation test), and average-linkage hierarchical clustering of OPs with the cut
// chosen by the mean silhouette. Quantiles and CDFs come from Boost.Math.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace juicer {

struct MeanSummary {
  size_t n = 0;
  double mean = 0, sd = 0, se = 0;  // sd with n-1; NaN for n < 2
  double ci_lo = 0, ci_hi = 0;      // mean +- t_{(1+level)/2, n-1} * se; NaN for n < 2
};
MeanSummary Summarize(std::span<const double> x, double level = 0.95);

// Paired comparison of a (e.g. an OP's pool, by seed) with b (the random pool, same seeds).
struct PairedComparison {
  size_t n = 0;
  double mean_diff = 0, diff_ci_lo = 0, diff_ci_hi = 0;  // a - b and its t interval
  double rel_change = 0, rel_ci_lo = 0, rel_ci_hi = 0;   // the same divided by mean(b) (as fractions)
  double t = 0, p_t = 1;                                 // paired t-test, two-sided (NaN t when sd = 0)
  double p_perm = 1;                                     // exact sign-flip permutation test, two-sided
};
PairedComparison ComparePaired(std::span<const double> a, std::span<const double> b, double level = 0.95);

// Two-sided p of the exact sign-flip test of mean(d) = 0 (all 2^n sign patterns; n <= 24).
double SignFlipPValue(std::span<const double> d);

// Agglomerative clustering with average linkage (UPGMA) on a symmetric distance matrix (row-major n x n):
// n-1 merges in order, like scipy's linkage: clusters 0..n-1 are the items, n+i the i-th merge.
struct Merge {
  size_t a = 0, b = 0;
  double height = 0;
  size_t size = 0;
};
std::vector<Merge> AverageLinkage(const std::vector<double>& dist, size_t n);
// Cluster label (0..k-1, in order of first item) of every item when the tree is cut into k clusters.
std::vector<int> CutIntoClusters(const std::vector<Merge>& merges, size_t n, size_t k);
// Mean silhouette of a labelling (NaN when there is one cluster or every cluster is a singleton).
double MeanSilhouette(const std::vector<double>& dist, size_t n, const std::vector<int>& labels);

struct ClusterCut {
  size_t k = 1;
  double silhouette = 0;
  std::vector<int> labels;
  std::vector<double> silhouette_by_k;  // index k (0 and 1 unused: NaN)
};
// Clusters items by 1 - |r| of a correlation matrix (NaN r counts as 0), choosing k in [2, n-1] with the
// best mean silhouette (k = 1 when n < 3 or no cut has a positive silhouette).
ClusterCut ClusterByCorrelation(const std::vector<double>& corr, size_t n, std::vector<Merge>* merges = nullptr);

// Power law y = a * x^b fitted by least squares on (log x, log y) (points with x, y > 0; for a metric
// that falls with compute b is negative). r2 is the coefficient of determination in log space; NaN
// fields when fewer than two usable points or all x equal.
struct PowerLawFit {
  double a = 0, b = 0, r2 = 0;
  size_t n = 0;
};
PowerLawFit FitPowerLaw(std::span<const double> x, std::span<const double> y);

// Spearman's rho of (x, y) and its exact two-sided permutation p-value (all n! orderings of y; n <= 9,
// else NaN p): the share of orderings with |rho| >= the observed |rho|.
struct RankCorrelation {
  size_t n = 0;
  double rho = 0, p = 1;
};
RankCorrelation SpearmanExact(std::span<const double> x, std::span<const double> y);

}  // namespace juicer
