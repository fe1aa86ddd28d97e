#include "probe/caption_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace juicer::probe {
namespace {

using Strings = std::vector<std::string>;
using RefSets = std::vector<Strings>;

TEST(CaptionWordsTest, LowerCasesAndDropsPunctuation) {
  EXPECT_EQ(CaptionWords("A man, riding a HORSE."), (Strings{"a", "man", "riding", "a", "horse"}));
  EXPECT_EQ(CaptionWords("  Don't (stop)-now... \"ok\"; [x]{y}`z`?!:\t\n"),
            (Strings{"don", "t", "stop", "now", "ok", "x", "y", "z"}));
  // Non-ASCII bytes are left alone; only ASCII letters are lower-cased.
  EXPECT_EQ(CaptionWords("Caf\xC3\xA9 \xC3\x89" "COLE"), (Strings{"caf\xC3\xA9", "\xC3\x89" "cole"}));
  EXPECT_TRUE(CaptionWords(" ,.;- ").empty());
}

TEST(CorpusBleuTest, IdenticalIsOne) {
  const std::vector<double> b = CorpusBleu({"A cat sits on the mat."}, {{"a cat sits on the mat"}});
  ASSERT_EQ(b.size(), 4u);
  for (const double v : b) EXPECT_NEAR(v, 1.0, 1e-6);
}

TEST(CorpusBleuTest, HandComputedPrecisions) {
  // hyp "the cat sat on the mat" vs ref "the cat is on the mat": clipped matches 5/6 unigrams,
  // 3/5 bigrams, 1/4 trigrams, 0/3 4-grams; equal lengths, so no brevity penalty.
  // B2 = sqrt(5/6 * 3/5) = sqrt(1/2), B3 = cbrt(1/8) = 1/2; B4 is small but not 0 because of the
  // tiny/small guards: (1/8 * (1e-15 / (3 + 1e-9)))^(1/4).
  const std::vector<double> b = CorpusBleu({"the cat sat on the mat"}, {{"the cat is on the mat"}});
  EXPECT_NEAR(b[0], 5.0 / 6.0, 1e-9);
  EXPECT_NEAR(b[1], std::sqrt(0.5), 1e-9);
  EXPECT_NEAR(b[2], 0.5, 1e-9);
  EXPECT_NEAR(b[3], std::pow(0.125 * 1e-15 / (3 + 1e-9), 0.25), 1e-12);
  EXPECT_NEAR(b[3], 8.034284186199331e-05, 1e-12);  // pycocoevalcap
}

TEST(CorpusBleuTest, DisjointIsZero) {
  const std::vector<double> b = CorpusBleu({"x y z w"}, {{"a b c d"}});
  for (const double v : b) EXPECT_LT(v, 1e-15);
}

TEST(CorpusBleuTest, BrevityPenalty) {
  // Hyp length 2, ref length 6, all n-grams that exist match: BP = exp(1 - 6/2) = exp(-2).
  // There is no trigram, so B3 picks up the (tiny / small)^(1/3) = 1e-2 factor, as pycocoevalcap does.
  const std::vector<double> b = CorpusBleu({"The cat"}, {{"the cat sat on the mat"}});
  EXPECT_NEAR(b[0], std::exp(-2.0), 1e-9);
  EXPECT_NEAR(b[1], std::exp(-2.0), 1e-9);
  EXPECT_NEAR(b[2], 0.0013533528310127768, 1e-12);
  EXPECT_NEAR(b[3], 0.00013533528311819452, 1e-13);
}

TEST(CorpusBleuTest, ClosestRefLengthTiesGoToShorter) {
  // Hyp length 2; refs of length 1 and 3 are equally close, the shorter wins, so no penalty
  // (choosing 3 would have given exp(1 - 3/2)).
  const std::vector<double> b = CorpusBleu({"a b"}, {{"a", "a b c"}});
  EXPECT_NEAR(b[0], 1.0, 1e-6);
  EXPECT_NEAR(b[1], 1.0, 1e-6);
}

// Values from pycocoevalcap's Bleu(4) / ciderD scorer on the same (pre-tokenised) corpus.
const Strings kHyps = {"A man is riding a horse on the beach.", "Two dogs play with a red ball in the grass",
                       "a plate of food with broccoli", "A kitchen."};
const RefSets kRefs = {
    {"A man rides a horse along the beach.", "A person riding a brown horse on sand.",
     "man on a horse near the ocean"},
    {"Two dogs are playing with a ball on the grass.", "Dogs chasing a red ball in a field"},
    {"A plate with broccoli, rice and meat.", "a white plate of food with vegetables",
     "Broccoli and chicken on a plate."},
    {"A small kitchen with a stove and a fridge.", "The kitchen has white cabinets."}};

TEST(CorpusBleuTest, MatchesPycocoevalcapOnSmallCorpus) {
  const std::vector<double> b = CorpusBleu(kHyps, kRefs);
  EXPECT_NEAR(b[0], 0.8598175053929582, 1e-12);
  EXPECT_NEAR(b[1], 0.7452710199682263, 1e-12);
  EXPECT_NEAR(b[2], 0.4770768014241222, 1e-12);
  EXPECT_NEAR(b[3], 0.33506281817429057, 1e-12);
}

TEST(CorpusBleuTest, RejectsBadInput) {
  EXPECT_THROW(CorpusBleu({"a"}, {}), std::invalid_argument);
  EXPECT_THROW(CorpusBleu({"a"}, {{}}), std::invalid_argument);
}

TEST(CiderDTest, IdenticalTwoWordCaptions) {
  // 2 images, no shared n-grams: ref_len = log 2, every n-gram has df 1, weight log 2 per count.
  // Identical hyp/ref: cosine 1 for n = 1, 2; no 3-/4-grams give 0. Mean (1+1+0+0)/4 * 10 = 5.
  EXPECT_NEAR(CiderD({"a b", "c d"}, {{"a b"}, {"c d"}}), 5.0, 1e-12);
}

TEST(CiderDTest, HandComputedTwoImageCorpus) {
  // Image 1: hyp "a a cat", refs {"a cat", "a dog"}; image 2: hyp "a bird", ref {"a bird"}.
  // L = log 2. df("a") = 2 -> weight 0; cat, dog, bird, "a cat", "a dog", "a bird" have df 1 -> L;
  // "a a" and "a a cat" are not in any ref (df 0 -> log(max(1, 0)) = 0) -> L.
  // Image 1: hyp 1-grams {a:0, cat:L} norm L; 2-grams {"a a":L, "a cat":L} norm sqrt(2) L; 3-gram norm L.
  //   vs "a cat": n1 = L*L/(L*L) = 1, n2 = L*L/(sqrt(2) L * L) = 1/sqrt(2), n3 = n4 = 0;
  //   length (bigram count) 2 vs 1 -> penalty p = exp(-1/72).  vs "a dog": all 0.
  //   score = 10 * p * (1 + 1/sqrt(2)) / 4 / 2 = 1.25 p (1 + 1/sqrt(2)) = 2.10445...
  // Image 2: identical, n1 = n2 = 1 -> 5.  Corpus mean = (2.10445 + 5) / 2 = 3.55223.
  const double p = std::exp(-1.0 / 72.0);
  const double expected = (1.25 * p * (1.0 + 1.0 / std::sqrt(2.0)) + 5.0) / 2.0;
  const double got = CiderD({"a a cat", "a bird"}, {{"a cat", "a dog"}, {"a bird"}});
  EXPECT_NEAR(got, expected, 1e-12);
  EXPECT_NEAR(got, 3.5522255354049825, 1e-12);  // pycocoevalcap
}

TEST(CiderDTest, ClipsHypothesisCounts) {
  // Repeating a word the ref has once cannot raise the n = 1 numerator above the ref's weight.
  // 3 images; hyp 1 "dog dog dog" vs ref "dog": weight w = log 3 each; hyp vec {dog: 3w}, ref {dog: w};
  // n1 = min(3w, w) * w / (3w * w) = 1/3 (unclipped cosine would be 1); 2-grams "dog dog" vs none: 0.
  // Lengths 2 vs 0 bigrams: p = exp(-4/72). Score 10 * p / 3 / 4. Images 2, 3 identical one-word: 10/4.
  const double p = std::exp(-4.0 / 72.0);
  const double expected = (10.0 * p / 12.0 + 2.5 + 2.5) / 3.0;
  EXPECT_NEAR(CiderD({"dog dog dog", "cat", "bird"}, {{"dog"}, {"cat"}, {"bird"}}), expected, 1e-12);
}

TEST(CiderDTest, DisjointAndDegenerate) {
  EXPECT_NEAR(CiderD({"x y", "z w"}, {{"a b"}, {"c d"}}), 0.0, 1e-12);
  EXPECT_NEAR(CiderD({"a b"}, {{"a b"}}), 0.0, 1e-12);  // one image: log(1) - log(df) = 0 weights
  EXPECT_EQ(CiderD({}, {}), 0.0);
  EXPECT_NEAR(CiderD({"", "c d"}, {{"a b"}, {"c d"}}), 2.5, 1e-12);
  EXPECT_THROW(CiderD({"a", "b"}, {{"a"}}), std::invalid_argument);
}

TEST(CiderDTest, MatchesPycocoevalcapOnSmallCorpus) {
  EXPECT_NEAR(CiderD(kHyps, kRefs), 2.15384097662526, 1e-10);
}

TEST(RecallAtKTest, ThreeByThree) {
  // Row 0: true 0.9 is the best -> rank 0.  Row 1: 0.5 (col 0) ties the true 0.5 and has a lower
  // index, 0.7 (col 2) is better -> rank 2.  Row 2: 0.8 (col 0) beats the true 0.6 -> rank 1.
  const std::vector<float> sim = {0.9f, 0.1f, 0.2f,  //
                                  0.5f, 0.5f, 0.7f,  //
                                  0.8f, 0.3f, 0.6f};
  EXPECT_DOUBLE_EQ(RecallAtK(sim, 3, 1), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(RecallAtK(sim, 3, 2), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(RecallAtK(sim, 3, 3), 1.0);
  EXPECT_DOUBLE_EQ(RecallAtK(sim, 3, 0), 0.0);
  EXPECT_DOUBLE_EQ(RecallAtK(sim, 0, 1), 0.0);
  EXPECT_THROW(RecallAtK(sim, 4, 1), std::invalid_argument);
}

TEST(RecallAtKTest, TieWithHigherIndexDoesNotHurt) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> sim = {1.0f, 1.0f,  //
                                  nan, nan};
  EXPECT_DOUBLE_EQ(RecallAtK(sim, 2, 1), 0.5);  // row 0 hit (tie with col 1 goes to col 0); NaN row misses
}

}  // namespace
}  // namespace juicer::probe
