#include "lm/ngram_lm.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace juicer::lm {
namespace {

std::vector<std::vector<std::string>> Split(const std::vector<std::string>& lines) {
  std::vector<std::vector<std::string>> out;
  for (const auto& l : lines) {
    std::istringstream in(l);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    out.push_back(words);
  }
  return out;
}

std::unique_ptr<NgramLm> MustTrain(const std::vector<std::vector<std::string>>& sents, int order, int prune = 0,
                                   const std::string& arpa = "") {
  TrainOptions o;
  o.order = order;
  o.prune_min_count = prune;
  o.arpa_path = arpa;
  auto lm = NgramLm::Train(sents, o);
  EXPECT_TRUE(lm.ok()) << lm.status().ToString();
  return lm.ok() ? std::move(lm).value() : nullptr;
}

double P(const NgramLm& lm, const std::vector<std::string>& ctx, const std::string& w) {
  std::vector<WordId> ids;
  for (const auto& c : ctx) ids.push_back(lm.Id(c));
  return std::pow(10.0, lm.LogProb(ids.data(), ids.size(), lm.Id(w)));
}

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("juicer_lm_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Corpus "a b", "a b", "b a" as a bigram model, computed by hand:
//  unigram adjusted counts a = b = </s> = 2 (two distinct left words each), <unk> = 0;
//  count-of-counts t1 = 0 -> fallback discount 0.5; gamma0 = 0.5*3/6 = 1/4; |V| = 4 (no <s>):
//  p(a) = (2-0.5)/6 + (1/4)/4 = 5/16, p(<unk>) = 1/16.
//  bigram counts: <s> a 2, a b 2, b </s> 2, <s> b 1, b a 1, a </s> 1 -> t1 = 3, t2 = 3, t3 = 0 ->
//  fallback D = Y = 3/9 = 1/3; context <s>: S = 3, gamma = (2/3)/3 = 2/9;
//  p(a|<s>) = (2-1/3)/3 + 2/9*5/16 = 5/8, p(b|<s>) = (1-1/3)/3 + 2/9*5/16 = 7/24,
//  p(</s>|<s>) = 2/9*5/16 = 5/72, p(<unk>|<s>) = 2/9*1/16 = 1/72.
TEST(NgramLm, HandComputedKneserNeyBigram) {
  auto lm = MustTrain(Split({"a b", "a b", "b a"}), 2);
  ASSERT_NE(lm, nullptr);
  EXPECT_EQ(lm->vocab_size(), 5u);
  EXPECT_TRUE(lm->discounts()[0].fallback);
  EXPECT_DOUBLE_EQ(lm->discounts()[0].d1, 0.5);
  EXPECT_TRUE(lm->discounts()[1].fallback);
  EXPECT_NEAR(lm->discounts()[1].d1, 1.0 / 3, 1e-12);
  EXPECT_NEAR(P(*lm, {}, "a"), 5.0 / 16, 1e-6);
  EXPECT_NEAR(P(*lm, {}, "</s>"), 5.0 / 16, 1e-6);
  EXPECT_NEAR(P(*lm, {}, "zzz"), 1.0 / 16, 1e-6);  // unknown -> <unk>
  EXPECT_NEAR(P(*lm, {"<s>"}, "a"), 5.0 / 8, 1e-6);
  EXPECT_NEAR(P(*lm, {"<s>"}, "b"), 7.0 / 24, 1e-6);
  EXPECT_NEAR(P(*lm, {"<s>"}, "</s>"), 5.0 / 72, 1e-6);
  EXPECT_NEAR(P(*lm, {"<s>"}, "<unk>"), 1.0 / 72, 1e-6);
  EXPECT_NEAR(P(*lm, {"a"}, "b"), 5.0 / 8, 1e-6);
  EXPECT_NEAR(P(*lm, {"b"}, "a"), 7.0 / 24, 1e-6);
  float bo = 0;
  ASSERT_TRUE(lm->Find({kBos}, nullptr, &bo));
  EXPECT_NEAR(bo, std::log10(2.0 / 9), 1e-6);
  // Sentence "a b": p(a|<s>) p(b|a) p(</s>|b), each 5/8.
  EXPECT_NEAR(lm->ScoreSentence({lm->Id("a"), lm->Id("b")}), 3 * std::log10(5.0 / 8), 1e-6);
}

// Unigram counts 1,1,1,1,2,2,3,4 plus </s> once: t1 = 5, t2 = 2, t3 = 1, t4 = 1 -> Y = 5/9,
// D1 = 1 - 2Y(2/5) = 5/9, D2 = 2 - 3Y(1/2) = 7/6, D3+ = 3 - 4Y = 7/9.
TEST(NgramLm, ModifiedKneserNeyDiscountsFromCountOfCounts) {
  auto lm = MustTrain(Split({"a b c d e e f f g g g h h h h"}), 1);
  ASSERT_NE(lm, nullptr);
  const Discounts& d = lm->discounts()[0];
  EXPECT_FALSE(d.fallback);
  EXPECT_NEAR(d.d1, 5.0 / 9, 1e-12);
  EXPECT_NEAR(d.d2, 7.0 / 6, 1e-12);
  EXPECT_NEAR(d.d3, 7.0 / 9, 1e-12);
  // p(h) = (4 - 7/9)/16 + gamma/|V|, gamma = (5*5/9 + 2*7/6 + 2*7/9)/16, |V| = 10 (8 words, </s>, <unk>).
  const double gamma = (5 * 5.0 / 9 + 2 * 7.0 / 6 + 2 * 7.0 / 9) / 16;
  EXPECT_NEAR(P(*lm, {}, "h"), (4 - 7.0 / 9) / 16 + gamma / 10, 1e-6);
  EXPECT_NEAR(P(*lm, {}, "<unk>"), gamma / 10, 1e-6);
}

std::vector<std::vector<std::string>> RandomCorpus(int sentences, int vocab, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<std::string>> out;
  for (int s = 0; s < sentences; ++s) {
    std::vector<std::string> words;
    const int len = 1 + static_cast<int>(rng() % 12);
    int prev = static_cast<int>(rng() % vocab);
    for (int i = 0; i < len; ++i) {
      // Skewed, context-dependent choices so that higher orders matter.
      prev = (rng() % 3 == 0) ? static_cast<int>(rng() % vocab) : (prev * 7 + 3) % vocab;
      words.push_back("w" + std::to_string(prev));
    }
    out.push_back(words);
  }
  return out;
}

void ExpectNormalised(const NgramLm& lm, const std::vector<std::vector<std::string>>& corpus) {
  std::vector<std::vector<WordId>> contexts = {{}, {kBos}, {lm.Id("w1"), lm.Id("w2")}, {lm.Id("nope"), lm.Id("w3")}};
  // Contexts taken from the corpus (seen ones, of every length).
  for (size_t s = 0; s < 6 && s < corpus.size(); ++s) {
    std::vector<WordId> ctx{kBos};
    for (const auto& w : corpus[s]) ctx.push_back(lm.Id(w));
    contexts.push_back(ctx);
    contexts.push_back(std::vector<WordId>(ctx.begin(), ctx.begin() + std::min<size_t>(ctx.size(), 2)));
  }
  for (const auto& ctx : contexts) {
    double sum = 0;
    for (WordId w = 0; w < lm.vocab_size(); ++w) {
      if (w == kBos) continue;
      sum += std::pow(10.0, lm.LogProb(ctx.data(), ctx.size(), w));
    }
    EXPECT_NEAR(sum, 1.0, 1e-6) << "context of " << ctx.size() << " words";
  }
}

TEST(NgramLm, ProbabilitiesSumToOneForEveryContext) {
  const auto corpus = RandomCorpus(400, 40, 7);
  for (int order : {2, 3, 5}) {
    SCOPED_TRACE(order);
    auto lm = MustTrain(corpus, order);
    ASSERT_NE(lm, nullptr);
    ExpectNormalised(*lm, corpus);
  }
}

TEST(NgramLm, PrunedModelStaysNormalised) {
  const auto corpus = RandomCorpus(400, 40, 11);
  auto full = MustTrain(corpus, 4);
  auto pruned = MustTrain(corpus, 4, 2);
  ASSERT_NE(pruned, nullptr);
  EXPECT_LT(pruned->NumNgrams(4), full->NumNgrams(4));
  EXPECT_LT(pruned->NumNgrams(3), full->NumNgrams(3));
  EXPECT_EQ(pruned->NumNgrams(2), full->NumNgrams(2));
  ExpectNormalised(*pruned, corpus);
}

TEST(NgramLm, DeterministicAndSaveLoadRoundTrip) {
  const auto corpus = RandomCorpus(300, 30, 3);
  const std::string dir = TempDir("roundtrip");
  auto a = MustTrain(corpus, 5);
  auto b = MustTrain(corpus, 5);
  ASSERT_TRUE(a->Save(dir + "/a.bin").ok());
  ASSERT_TRUE(b->Save(dir + "/b.bin").ok());
  auto read = [](const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  const std::string bytes = read(dir + "/a.bin");
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(bytes, read(dir + "/b.bin"));
  auto loaded = NgramLm::Load(dir + "/a.bin");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const NgramLm& l = **loaded;
  EXPECT_EQ(l.order(), 5);
  EXPECT_EQ(l.vocab_size(), a->vocab_size());
  for (int n = 1; n <= 5; ++n) EXPECT_EQ(l.NumNgrams(n), a->NumNgrams(n));
  for (const auto& s : corpus) {
    std::vector<WordId> ids;
    for (const auto& w : s) ids.push_back(a->Id(w));
    EXPECT_EQ(l.ScoreSentence(ids), a->ScoreSentence(ids));
  }
  ASSERT_TRUE(l.Save(dir + "/c.bin").ok());
  EXPECT_EQ(read(dir + "/c.bin"), bytes);
  // Corrupt files give a clear error, not a crash.
  std::ofstream(dir + "/bad.bin", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  auto bad = NgramLm::Load(dir + "/bad.bin");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("corrupt"), std::string::npos);
  EXPECT_EQ(NgramLm::Load(dir + "/missing.bin").status().code(), StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

TEST(NgramLm, ArpaExportListsEveryNgram) {
  const std::string dir = TempDir("arpa");
  auto lm = MustTrain(Split({"a b", "a b", "b a"}), 2, 0, dir + "/lm.arpa");
  std::ifstream f(dir + "/lm.arpa");
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("ngram 1=5\nngram 2=6\n"), std::string::npos) << text;
  EXPECT_NE(text.find("-99\t<s>"), std::string::npos);
  EXPECT_NE(text.find("\t<s> a\n"), std::string::npos);
  EXPECT_NE(text.find("\\end\\"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(NgramLm, RejectsBadInput) {
  EXPECT_FALSE(NgramLm::Train({}, TrainOptions{}).ok());
  EXPECT_TRUE(NgramLm::Train({{}}, TrainOptions{}).ok());  // an empty sentence is "<s> </s>"
  TrainOptions o;
  o.order = 0;
  EXPECT_EQ(NgramLm::Train(Split({"a"}), o).status().code(), StatusCode::kInvalidArgument);
  // Reserved words in the text are read as <unk>.
  auto lm = MustTrain(Split({"<s> x </s>"}), 2);
  EXPECT_EQ(lm->Id("x"), 3u);
}

}  // namespace
}  // namespace juicer::lm
