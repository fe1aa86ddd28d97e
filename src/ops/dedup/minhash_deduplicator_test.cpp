#include "ops/dedup/minhash_deduplicator.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ops/dedup/numpy_random.h"
#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::BuildStatus;
using testing::MustBuild;
using testing::RunDatasetOp;
using testing::TextSamples;
using testing::TextsAt;

TEST(NumpyRandom, Mt19937MatchesReference) {
  dedup::Mt19937 mt;
  mt.Seed(5489);
  uint32_t v = 0;
  for (int i = 0; i < 10000; ++i) v = mt.Next32();
  EXPECT_EQ(v, 4123659995u);  // the C++ standard's check value for std::mt19937
  std::mt19937 ref(42);
  mt.Seed(42);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(mt.Next32(), ref()) << i;
  // mt19937ar.c's reference output for init_by_array({0x123, 0x234, 0x345, 0x456}).
  mt.SeedByArray({0x123, 0x234, 0x345, 0x456});
  for (uint32_t want : {1067595299u, 955945823u, 477289528u, 4107218783u, 4228976476u}) EXPECT_EQ(mt.Next32(), want);
}

TEST(NumpyRandom, RandomStateMatchesNumpy) {
  // numpy.random.RandomState(42).random_sample(3) and RandomState(0).random_sample(2).
  dedup::NumpyRandomState r42(42);
  EXPECT_DOUBLE_EQ(r42.RandomSample(), 0.3745401188473625);
  EXPECT_DOUBLE_EQ(r42.RandomSample(), 0.9507143064099162);
  EXPECT_DOUBLE_EQ(r42.RandomSample(), 0.7319939418114051);
  dedup::NumpyRandomState r0(0);
  EXPECT_DOUBLE_EQ(r0.RandomSample(), 0.5488135039273248);
  EXPECT_DOUBLE_EQ(r0.RandomSample(), 0.7151893663724195);
  // numpy.random.RandomState(42).randint(0, 10, size=10) (masked rejection on 32-bit words).
  dedup::NumpyRandomState ri(42);
  std::vector<uint64_t> got;
  for (int i = 0; i < 10; ++i) got.push_back(ri.RandintU64(0, 10));
  EXPECT_EQ(got, (std::vector<uint64_t>{6, 3, 7, 4, 6, 9, 2, 6, 7, 4}));
  EXPECT_EQ(ri.RandintU64(5, 6), 5u);  // a one-value range draws nothing
}

TEST(MinHash, PermutationsInRange) {
  std::vector<uint64_t> a, b;
  dedup::MinHashPermutations(256, &a, &b);
  ASSERT_EQ(a.size(), 256u);
  const uint64_t p = (uint64_t{1} << 61) - 1;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_GE(a[i], 1u);
    EXPECT_LT(a[i], p);
    EXPECT_LT(b[i], p);
  }
  // 64-bit draws: (high word << 32 | low word) & (2^61 - 1), rejected when > range.
  dedup::Mt19937 mt;
  mt.Seed(42);
  uint64_t first;
  do {
    first = mt.Next64() & p;
  } while (first > p - 3);
  EXPECT_EQ(a[0], first + 1);
  std::vector<uint64_t> a2, b2;
  dedup::MinHashPermutations(16, &a2, &b2);
  EXPECT_TRUE(std::equal(a2.begin(), a2.end(), a.begin()));
}

TEST(MinHash, Sha1Hash32) {
  uint32_t h = 0;
  ASSERT_TRUE(dedup::Sha1Hash32("abc", &h).ok());
  EXPECT_EQ(h, 0x363e99a9u);  // sha1("abc") = a9993e36...
  ASSERT_TRUE(dedup::Sha1Hash32("", &h).ok());
  EXPECT_EQ(h, 0xeea339dau);  // sha1("") = da39a3ee...
}

TEST(MinHash, OptimalBandsRows) {
  // Data-Juicer's optimal_param (also checked against an independent Simpson-rule integration).
  EXPECT_EQ(dedup::OptimalBandsRows(0.7, 256), std::make_pair(25, 10));
  EXPECT_EQ(dedup::OptimalBandsRows(0.5, 128), std::make_pair(25, 5));
  EXPECT_EQ(dedup::OptimalBandsRows(0.8, 64), std::make_pair(5, 11));
  EXPECT_EQ(dedup::OptimalBandsRows(0.9, 256), std::make_pair(9, 28));
}

TEST(MinHash, SignatureOfShingles) {
  std::vector<uint64_t> a = {3, (uint64_t{1} << 60) + 7}, b = {5, (uint64_t{1} << 61) - 2}, mins;
  std::string scratch;
  // Space tokenization: runs of spaces collapse; the shingle is "x y".
  auto any = dedup::MinHashSignature("  x   y ", dedup::MinHashTokenization::kSpace, 2, a, b, &scratch, &mins);
  ASSERT_TRUE(any.ok());
  ASSERT_TRUE(*any);
  uint32_t h = 0;
  ASSERT_TRUE(dedup::Sha1Hash32("x y", &h).ok());
  const uint64_t p = (uint64_t{1} << 61) - 1;
  EXPECT_EQ(mins[0], ((h * a[0] + b[0]) % p) & 0xFFFFFFFFu);
  EXPECT_EQ(mins[1], ((uint64_t{h} * a[1] + b[1]) % p) & 0xFFFFFFFFu);  // wrapping multiply
  // Too few tokens: no shingle.
  any = dedup::MinHashSignature("x", dedup::MinHashTokenization::kSpace, 2, a, b, &scratch, &mins);
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(*any);
  // Punctuation: "a,,b" -> ["a", "", "b"] -> shingles "a " and " b".
  any = dedup::MinHashSignature("a,,b", dedup::MinHashTokenization::kPunctuation, 2, a, b, &scratch, &mins);
  ASSERT_TRUE(any.ok() && *any);
  uint32_t h1 = 0, h2 = 0;
  ASSERT_TRUE(dedup::Sha1Hash32("a ", &h1).ok());
  ASSERT_TRUE(dedup::Sha1Hash32(" b", &h2).ok());
  EXPECT_EQ(mins[0], std::min(((h1 * a[0] + b[0]) % p) & 0xFFFFFFFFu, ((h2 * a[0] + b[0]) % p) & 0xFFFFFFFFu));
  // Character: code points, not bytes ("中文字" has 2 windows of 2).
  any = dedup::MinHashSignature("中文字", dedup::MinHashTokenization::kCharacter, 2, a, b, &scratch, &mins);
  ASSERT_TRUE(any.ok() && *any);
  ASSERT_TRUE(dedup::Sha1Hash32("中文", &h1).ok());
  ASSERT_TRUE(dedup::Sha1Hash32("文字", &h2).ok());
  EXPECT_EQ(mins[0], std::min(((h1 * a[0] + b[0]) % p) & 0xFFFFFFFFu, ((h2 * a[0] + b[0]) % p) & 0xFFFFFFFFu));
}

TEST(MinHash, SimdMatchesPortable) {
  std::vector<uint64_t> a, b, fast, slow;
  dedup::MinHashPermutations(256, &a, &b);
  std::string text, scratch;
  for (int i = 0; i < 1003; ++i) text += "w" + std::to_string(i * 7919 % 1000) + (i % 3 ? " " : "  ");
  for (int window : {1, 3, 5}) {
    ASSERT_TRUE(*dedup::MinHashSignature(text, dedup::MinHashTokenization::kSpace, window, a, b, &scratch, &fast));
    ASSERT_TRUE(*dedup::MinHashSignature(text, dedup::MinHashTokenization::kSpace, window, a, b, &scratch, &slow,
                                         /*allow_simd=*/false));
    EXPECT_EQ(fast, slow) << window;
  }
}

struct ConformanceCase {
  std::string id;
  GivenParams params;
  std::vector<std::string> input;
  std::vector<std::string> expected;
};

TEST(MinHashDeduplicator, ConformanceCases) {
  const std::vector<ConformanceCase> cases = {
#include "ops/dedup/minhash_cases.inc"
  };
  for (const auto& c : cases) {
    auto op = MustBuild("document_minhash_deduplicator", c.params);
    ASSERT_TRUE(op) << c.id;
    auto samples = testing::ParseJsonLines(c.input);
    ASSERT_TRUE(samples.ok()) << c.id;
    auto sel = RunDatasetOp(*op, *samples);
    ASSERT_TRUE(sel.ok()) << c.id << ": " << sel.status().ToString();
    EXPECT_EQ(TextsAt(*samples, sel->positions), c.expected) << c.id;
  }
}

TEST(MinHashDeduplicator, DefaultsAndClusters) {
  auto op = MustBuild("document_minhash_deduplicator");
  ASSERT_TRUE(op);
  EXPECT_EQ(op->params().GetString("tokenization"), "space");
  EXPECT_EQ(op->params().GetInt("window_size"), 5);
  EXPECT_EQ(op->params().GetInt("num_permutations"), 256);
  std::string base;
  for (int i = 0; i < 200; ++i) base += "word" + std::to_string(i) + " ";
  std::string near = base;
  near.replace(near.find("word100 "), 8, "WORD100 changed ");  // lowercase=true: "word100 changed"
  std::string other;
  for (int i = 0; i < 200; ++i) other += "tok" + std::to_string(i * 7) + " ";
  auto samples = TextSamples({other, base, "😊 emoji text with enough words here", near, base, other});
  auto sel = RunDatasetOp(*op, samples, 42, /*trace_num=*/5);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 2}));
  ASSERT_EQ(sel->pairs.size(), 2u);
  EXPECT_EQ(sel->pairs[0].kept, 1u);  // cluster {1, 3, 4}: traced at its first other member, 3
  EXPECT_EQ(sel->pairs[0].removed, 3u);
  EXPECT_EQ(sel->pairs[1].kept, 0u);
  EXPECT_EQ(sel->pairs[1].removed, 5u);
  // The band keys are stored, not the signature: 25 bands * 16 hex digits.
  EXPECT_EQ(samples[0].GetText("__dj__minhash")->size(), 25u * 16);
  // A precomputed key is reused (so samples 0 and 1 now collide).
  auto again = TextSamples({other, base});
  again[1].SetString("__dj__minhash", *samples[0].GetText("__dj__minhash"));
  sel = RunDatasetOp(*op, again);
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0}));
}

TEST(MinHashDeduplicator, ParamsAndEdgeCases) {
  EXPECT_EQ(BuildStatus("document_minhash_deduplicator", {{"tokenization", std::string("sentencepiece")}}).code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(BuildStatus("document_minhash_deduplicator", {{"ignore_pattern", std::string("(")}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(BuildStatus("document_minhash_deduplicator", {{"jaccard_threshold", 1.5}}).ok());
  auto op = MustBuild("document_minhash_deduplicator", {{"num_bands", int64_t{2}}, {"num_rows_per_band", int64_t{3}}});
  ASSERT_TRUE(op);
  auto samples = TextSamples({"a b c d e f", "a b c d e f"});
  auto sel = RunDatasetOp(*op, samples);
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0}));
  EXPECT_EQ(samples[0].GetText("__dj__minhash")->size(), 32u);
  // Empty and too-short texts have no shingle: a data error, as in Data-Juicer.
  samples = TextSamples({"", "a b"});
  EXPECT_EQ(RunDatasetOp(*op, samples).status().code(), StatusCode::kDataError);
  // Character mode on CJK / emoji / invalid UTF-8 and a very long text.
  auto ch = MustBuild("document_minhash_deduplicator", {{"tokenization", std::string("character")}});
  std::string long_text;
  for (int i = 0; i < 20000; ++i) long_text += "line " + std::to_string(i) + "\n";
  samples = TextSamples({"你好世界欢迎你", "😊😊😊😊😊😊", std::string("ab\xff\xfe" "cdefg"), long_text, long_text + "x"});
  sel = RunDatasetOp(*ch, samples);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace juicer
