#include "ops/select/random_selector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

using selection::RandomSelectCount;
using selection::ShuffledPrefix;
using selection::ShuffleStorage;
using testing::MustBuild;
using testing::RunDatasetOp;
using testing::TextSamples;

std::vector<std::string> Texts(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("sample " + std::to_string(i));
  return out;
}

TEST(RandomSelectCount, FollowsDataJuicer) {
  const auto none = std::nullopt;
  EXPECT_EQ(RandomSelectCount(10, 0.2, 5), 2u);     // int(0.2 * 10) = 2 < 5
  EXPECT_EQ(RandomSelectCount(10, 0.5, 7), 5u);
  EXPECT_EQ(RandomSelectCount(10, 0.5, 3), 3u);     // select_num smaller: wins
  EXPECT_EQ(RandomSelectCount(10, none, 3), 3u);
  EXPECT_EQ(RandomSelectCount(10, 0.0, 3), 3u);     // `not select_ratio`: ratio 0 uses select_num
  EXPECT_EQ(RandomSelectCount(10, 0.29, none), 2u);  // truncation, not rounding
  EXPECT_EQ(RandomSelectCount(10, none, none), none);
  EXPECT_EQ(RandomSelectCount(1, 0.5, 1), none);    // N <= 1
  EXPECT_EQ(RandomSelectCount(0, 0.5, 1), none);
  EXPECT_EQ(RandomSelectCount(10, 0.05, none), none);  // n = 0: random_sample keeps everything
  EXPECT_EQ(RandomSelectCount(10, 1.0, none), none);   // n == N
  EXPECT_EQ(RandomSelectCount(10, none, 10), none);
  EXPECT_EQ(RandomSelectCount(10, none, 15), none);    // n > N: kept once each
}

// tests/ops/selector/test_random_selector.py::test_ratio_select: only the count is checked.
TEST(RandomSelector, DataJuicerRatioSelect) {
  auto op = MustBuild("random_selector", {{"select_ratio", 0.2}, {"select_num", int64_t{5}}});
  ASSERT_TRUE(op);
  auto samples = TextSamples(Texts(10));
  auto sel = RunDatasetOp(*op, samples, 42);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  ASSERT_EQ(sel->positions.size(), 2u);
  EXPECT_NE(sel->positions[0], sel->positions[1]);
  for (uint64_t p : sel->positions) EXPECT_LT(p, 10u);
  EXPECT_TRUE(sel->pairs.empty());
}

TEST(RandomSelector, SeedDeterminism) {
  auto op = MustBuild("random_selector", {{"select_num", int64_t{30}}});
  ASSERT_TRUE(op);
  auto samples = TextSamples(Texts(100));
  auto a = RunDatasetOp(*op, samples, 7);
  auto b = RunDatasetOp(*op, samples, 7);
  auto c = RunDatasetOp(*op, samples, 8);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->positions, b->positions);
  EXPECT_NE(a->positions, c->positions);
  EXPECT_EQ(std::set<uint64_t>(a->positions.begin(), a->positions.end()).size(), 30u);
  // Output is in shuffled order (DJ: dataset.shuffle(seed).select(range(n))), not sorted.
  EXPECT_FALSE(std::is_sorted(a->positions.begin(), a->positions.end()));
}

TEST(RandomSelector, KeepAllCasesAreInInputOrder) {
  for (const GivenParams& params :
       {GivenParams{}, GivenParams{{"select_num", int64_t{50}}},
        GivenParams{{"select_ratio", 1.0}}, GivenParams{{"select_ratio", 0.01}}}) {
    auto op = MustBuild("random_selector", params);
    ASSERT_TRUE(op);
    auto samples = TextSamples(Texts(20));
    auto sel = RunDatasetOp(*op, samples);
    ASSERT_TRUE(sel.ok());
    ASSERT_EQ(sel->positions.size(), 20u);
    for (uint64_t i = 0; i < 20; ++i) EXPECT_EQ(sel->positions[i], i);
  }
  auto op = MustBuild("random_selector", {{"select_num", int64_t{1}}});
  auto one = TextSamples(Texts(1));
  EXPECT_EQ(RunDatasetOp(*op, one)->positions, (std::vector<uint64_t>{0}));
  std::vector<Sample> empty;
  EXPECT_TRUE(RunDatasetOp(*op, empty)->positions.empty());
}

TEST(RandomSelector, ParamValidation) {
  EXPECT_EQ(testing::BuildStatus("random_selector", {{"select_ratio", 1.5}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(testing::BuildStatus("random_selector", {{"select_ratio", -0.1}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(testing::BuildStatus("random_selector", {{"select_num", int64_t{0}}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(testing::BuildStatus("random_selector", {{"select_ratio", 0.0}}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(testing::BuildStatus("random_selector", {{"select_ratio", 0.0}, {"select_num", int64_t{2}}}).ok());
  EXPECT_TRUE(testing::BuildStatus("random_selector", {{"select_ratio", std::monostate{}}}).ok());
  EXPECT_TRUE(testing::BuildStatus("random_selector", {{"select_ratio", int64_t{1}}}).ok());  // int -> float
}

TEST(ShuffledPrefix, IsAPermutationPrefix) {
  for (uint64_t total : {uint64_t{1}, uint64_t{2}, uint64_t{10}, uint64_t{1000}}) {
    auto all = ShuffledPrefix(total, total, 42);
    ASSERT_EQ(all.size(), total);
    std::vector<uint64_t> sorted = all;
    std::sort(sorted.begin(), sorted.end());
    for (uint64_t i = 0; i < total; ++i) EXPECT_EQ(sorted[i], i);
    // A shorter prefix of the same shuffle is the prefix of the full shuffle.
    auto part = ShuffledPrefix(total, total / 2, 42);
    EXPECT_TRUE(std::equal(part.begin(), part.end(), all.begin()));
  }
  EXPECT_TRUE(ShuffledPrefix(0, 0, 1).empty());
  EXPECT_EQ(ShuffledPrefix(5, 9, 1).size(), 5u);
}

TEST(ShuffledPrefix, DenseAndSparseAgree) {
  for (uint64_t seed : {uint64_t{0}, uint64_t{42}, uint64_t{123456789}}) {
    EXPECT_EQ(ShuffledPrefix(1000, 10, seed, ShuffleStorage::kDense),
              ShuffledPrefix(1000, 10, seed, ShuffleStorage::kSparse));
    EXPECT_EQ(ShuffledPrefix(1000, 1000, seed, ShuffleStorage::kDense),
              ShuffledPrefix(1000, 1000, seed, ShuffleStorage::kSparse));
  }
  // A large dataset with a small selection takes the sparse path: O(n) memory.
  auto big = ShuffledPrefix(uint64_t{1} << 40, 100, 42);
  EXPECT_EQ(big.size(), 100u);
  EXPECT_EQ(std::set<uint64_t>(big.begin(), big.end()).size(), 100u);
}

TEST(ShuffledPrefix, GoldenValues) {
  // std::mt19937_64 is fully specified by the standard and the draw is our own, so these values
  // are the same with every compiler and standard library. A change here changes users' subsets.
  EXPECT_EQ(ShuffledPrefix(10, 2, 42), (std::vector<uint64_t>{6, 0}));
  EXPECT_EQ(ShuffledPrefix(1000, 5, 42), (std::vector<uint64_t>{406, 249, 958, 58, 897}));
}

}  // namespace
}  // namespace juicer
