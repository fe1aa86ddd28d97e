#include "ops/dedup/simhash_deduplicator.h"

#include <gtest/gtest.h>

#include <bit>
#include <random>
#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

std::vector<std::string> KeptTexts(const GivenParams& params, const std::vector<std::string>& texts) {
  auto op = testing::MustBuild("document_simhash_deduplicator", params);
  auto samples = testing::TextSamples(texts);
  auto sel = testing::RunDatasetOp(*op, samples);
  EXPECT_TRUE(sel.ok()) << sel.status().ToString();
  return sel.ok() ? testing::TextsAt(samples, sel->positions) : std::vector<std::string>{};
}

TEST(SimHash, TokenHashIsMd5Prefix) {
  // md5("") = d41d8cd98f00b204e9800998ecf8427e; md5("abc") = 900150983cd24fb0d6963f7d28e17f72.
  EXPECT_EQ(dedup::SimHashTokenHash(""), 0xd41d8cd98f00b204ULL);
  EXPECT_EQ(dedup::SimHashTokenHash("abc"), 0x900150983cd24fb0ULL);
  EXPECT_EQ(dedup::SimHashCombine({}), 0u);
  EXPECT_EQ(dedup::SimHashCombine({0b1100, 0b1010, 0b1001}), 0b1000u);
}

TEST(SimHash, NearPairsAreExact) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> h;
  for (int i = 0; i < 300; ++i) h.push_back(rng());
  for (int i = 0; i < 300; ++i) {  // plant near copies with 1..6 flipped bits
    uint64_t x = h[i];
    for (int b = 0; b < 1 + i % 6; ++b) x ^= uint64_t{1} << (rng() % 64);
    h.push_back(x);
  }
  std::sort(h.begin(), h.end());
  h.erase(std::unique(h.begin(), h.end()), h.end());
  for (auto [blocks, k] : std::vector<std::pair<int, int>>{{6, 4}, {5, 3}, {3, 1}}) {
    std::vector<std::pair<uint32_t, uint32_t>> brute;
    for (uint32_t i = 0; i < h.size(); ++i)
      for (uint32_t j = i + 1; j < h.size(); ++j)
        if (std::popcount(h[i] ^ h[j]) <= k) brute.emplace_back(i, j);
    EXPECT_EQ(dedup::SimHashNearPairs(h, blocks, k), brute) << blocks << " " << k;
  }
}

TEST(SimHashDeduplicator, DataJuicerChineseCase) {
  const std::vector<std::string> texts = {"你好，请问你是谁", "欢迎来到阿里巴巴！", "欢迎来到阿里巴巴!"};
  EXPECT_EQ(KeptTexts({{"tokenization", std::string("character")}, {"ignore_pattern", std::string("\\p{P}")}}, texts),
            (std::vector<std::string>{"你好，请问你是谁", "欢迎来到阿里巴巴！"}));
}

TEST(SimHashDeduplicator, NearDuplicatesEnglish) {
  std::string base =
      "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat and the bird sings a song "
      "about the morning sun rising over the quiet hills of the old town near the river";
  std::string near = base + " today";
  std::string other =
      "completely different text about databases indexes and query planners that has nothing in common with the "
      "first one at all beyond a few stop words here and there in the sentence";
  // Texts shorter than one 6-word window all have SimHash 0: they are one cluster (as in Data-Juicer).
  EXPECT_EQ(KeptTexts({}, {base, near, other, "", "", "😀 emoji only 😀"}),
            (std::vector<std::string>{base, other, ""}));
  EXPECT_EQ(KeptTexts({{"tokenization", std::string("punctuation")}, {"window_size", int64_t{1}}},
                      {"a, b. c", "A, B. C", "x; y"}),
            (std::vector<std::string>{"a, b. c", "x; y"}));
  const std::string big(1 << 20, 'q');
  EXPECT_EQ(KeptTexts({{"tokenization", std::string("character")}}, {big, big + "r", "abc\xE4\xB8"}).size(), 2u);
}

TEST(SimHashDeduplicator, ErrorsAreClear) {
  EXPECT_FALSE(testing::BuildStatus("document_simhash_deduplicator",
                                    {{"num_blocks", int64_t{4}}, {"hamming_distance", int64_t{4}}}).ok());
  auto op = testing::MustBuild("document_simhash_deduplicator", {{"tokenization", std::string("unimplemented")}});
  auto samples = testing::TextSamples({"This is a test."});
  auto sel = testing::RunDatasetOp(*op, samples);
  ASSERT_FALSE(sel.ok());
  EXPECT_NE(sel.status().message().find("unimplemented tokenization"), std::string::npos);
}

}  // namespace
}  // namespace juicer
