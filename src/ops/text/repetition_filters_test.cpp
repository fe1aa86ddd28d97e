#include "ops/text/repetition_filters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::RunFilter;
using testing::TextSample;
using testing::TextSamples;

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterTextRepetitionFilters>(); }

std::unique_ptr<Op> Build(std::string_view name, const GivenParams& params = {}) {
  return testing::MustBuildFrom(Registry(), name, params);
}

// Expected values computed with Data-Juicer's formulas in Python (character_repetition_filter.py,
// word_repetition_filter.py with helper_func.words_refinement).
struct RepCase {
  std::string text;
  double char5, char10, word3, word2;
};

const std::vector<RepCase>& RepCases() {
  static const std::vector<RepCase> kCases = {
      {"Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!", 0.45614035087719296, 0.40384615384615385,
       0.2727272727272727, 0.3333333333333333},
      {"a v s e c s f e f g a a a a a a a a a a", 0.45714285714285713, 0.36666666666666664, 0.4444444444444444,
       0.47368421052631576},
      {"，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►", 0.0, 0.0, 0.0, 0.0},
      {"中文也是一个字算一个长度", 0.0, 0.0, 0.0, 0.0},
      {"Today is Sunday Sunday Sunday Sunday Sunday and it's a happy day!", 0.45901639344262296,
       0.42857142857142855, 0.3, 0.36363636363636365},
      {"Today is Sunday Sunday Sunday and it's a happy day!", 0.3404255319148936, 0.2857142857142857, 0.0,
       0.2222222222222222},
      {"plusieurs èrdash@hqbchd.ckd d'accéder à ces wwwasdasd fonc", 0.0, 0.0, 0.0, 0.0},
      {"This proposed a novel proposed pretraining proposed pretraining.", 0.3, 0.23636363636363636, 0.0,
       0.2857142857142857},
      // Python's str.lower(): final sigma, and İ -> i + combining dot
      {"ΣΑΣ ΟΔΟΣ σας οδος ΣΑΣ ΟΔΟΣ", 0.36363636363636365, 0.0, 1.0, 1.0},
      {"İstanbul İSTANBUL i̇stanbul", 0.2608695652173913, 0.0, 0.0, 1.0},
      {"", 0.0, 0.0, 0.0, 0.0},
      {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1.0, 1.0, 0.0, 0.0},
      {"abcabcabcabcabcxyz😊😊😊😊😊😊😊😊😊😊😊😊😊", 0.6296296296296297, 0.45454545454545453, 0.0, 0.0},
      // punctuation and digits stripped, case folded
      {"A B C D. a b c d! (A) b, c; d", 0.0, 0.0, 1.0, 1.0},
  };
  return kCases;
}

TEST(RepetitionStats, MatchDataJuicer) {
  WorkerContext ctx;
  for (const auto& c : RepCases()) {
    EXPECT_EQ(text::CharRepetitionRatio(c.text, 5, ctx), c.char5) << c.text;
    EXPECT_EQ(text::CharRepetitionRatio(c.text, 10, ctx), c.char10) << c.text;
    EXPECT_EQ(text::WordRepetitionRatio(c.text, 3, ctx), c.word3) << c.text;
    EXPECT_EQ(text::WordRepetitionRatio(c.text, 2, ctx), c.word2) << c.text;
  }
}

// Straightforward versions over std::map, to check the hashed counting against.
double NaiveCharRep(const std::u32string& s, size_t n) {
  if (s.size() < n) return 0.0;
  std::map<std::u32string, int> f;
  for (size_t i = 0; i + n <= s.size(); ++i) ++f[s.substr(i, n)];
  std::vector<int> v;
  int singles = 0;
  for (auto& [k, c] : f) {
    v.push_back(c);
    singles += c == 1;
  }
  std::sort(v.rbegin(), v.rend());
  const size_t k = std::min(static_cast<size_t>(std::sqrt(static_cast<double>(v.size()))), v.size() - singles);
  double top = 0;
  for (size_t i = 0; i < k; ++i) top += v[i];
  return top / static_cast<double>(s.size() - n + 1);
}

TEST(RepetitionStats, CharRatioMatchesNaiveCounting) {
  std::mt19937 rng(7);
  WorkerContext ctx;
  const std::vector<std::string> alphabet = {"a", "b", "c", " ", "中", "😊"};
  const std::vector<char32_t> cps = {U'a', U'b', U'c', U' ', U'中', U'😊'};
  for (int round = 0; round < 300; ++round) {
    std::string s;
    std::u32string u;
    const size_t len = rng() % 400;
    const size_t sigma = 1 + rng() % alphabet.size();
    for (size_t i = 0; i < len; ++i) {
      const size_t k = rng() % sigma;
      s += alphabet[k];
      u += cps[k];
    }
    for (size_t n : {1u, 2u, 5u, 7u, 8u, 9u, 10u, 15u, 16u, 17u, 37u})
      ASSERT_EQ(text::CharRepetitionRatio(s, n, ctx), NaiveCharRep(u, n)) << s << " n=" << n;
  }
}

// Each counting path against naive counting: one byte per code point (<= 128 distinct non-ASCII code
// points), packed 128-bit keys (more of them), the general hashed path (long n-grams), and texts over
// 64 KB.
TEST(RepetitionStats, CharRatioPathsMatchNaiveCounting) {
  std::mt19937 rng(11);
  WorkerContext ctx;

  struct Case {
    size_t len, cjk, ascii;
  };
  for (const Case c : {Case{600, 100, 4}, Case{600, 127, 3}, Case{900, 128, 2}, Case{1500, 400, 3},
                       Case{70000, 2, 3}, Case{70000, 0, 2}, Case{30000, 200, 2}}) {
    for (int round = 0; round < 3; ++round) {
      std::string s;
      std::u32string u;
      // Repeated stretches so that some n-grams occur many times.
      while (u.size() < c.len) {
        std::u32string piece;
        const size_t plen = 1 + rng() % 30;
        for (size_t i = 0; i < plen; ++i) {
          const size_t k = rng() % (c.cjk + c.ascii);
          piece += k < c.cjk ? static_cast<char32_t>(0x4E00 + k) : static_cast<char32_t>('a' + (k - c.cjk));
        }
        const int reps = 1 + static_cast<int>(rng() % 3);
        for (int r = 0; r < reps; ++r) u += piece;
      }
      u.resize(c.len);
      for (char32_t ch : u) AppendUtf8(ch, &s);
      for (size_t n : {1u, 3u, 8u, 10u, 16u, 17u, 40u}) {
        const double want = NaiveCharRep(u, n);
        ASSERT_EQ(text::CharRepetitionRatio(s, n, ctx), want) << "len " << c.len << " cjk " << c.cjk << " n=" << n;
        ASSERT_EQ(text::CharRepetitionRatio(s, n, ctx, false), want) << "portable, len " << c.len << " n=" << n;
      }
    }
  }
}

TEST(RepetitionStats, LongAndInvalidText) {
  WorkerContext ctx;
  std::string t;
  for (int i = 0; i < 20000; ++i) t += "word" + std::to_string(i % 1000) + " 中文, ";
  const double c = text::CharRepetitionRatio(t, 10, ctx);
  EXPECT_GT(c, 0.0);
  EXPECT_LE(c, 1.0);
  // 20000 words "wordN" (digits stripped: all "word") and "中文": every 3-gram repeats.
  EXPECT_EQ(text::WordRepetitionRatio(t, 3, ctx), 1.0);
  (void)text::CharRepetitionRatio("abc\xE4\xB8", 2, ctx);  // truncated UTF-8: no crash
  (void)text::WordRepetitionRatio("abc\xE4\xB8 abc\xE4\xB8 \xff\xfe x", 2, ctx);
  EXPECT_EQ(text::CharRepetitionRatio(std::string(100000, 'z'), 10, ctx), 1.0);
}

// conformance: character_repetition_filter/test_case
TEST(CharacterRepetitionFilter, DataJuicerCase) {
  auto op = Build("character_repetition_filter",
                  {{"rep_len", int64_t{5}}, {"min_ratio", 0.0}, {"max_ratio", 0.4}, {"batch_size", int64_t{2}}});
  ASSERT_TRUE(op);
  auto samples = TextSamples({"Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!",
                              "a v s e c s f e f g a a a a a a a a a a",
                              "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►", "中文也是一个字算一个长度"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{2, 3}));
}

// conformance: character_repetition_filter/test_existing_stats
TEST(CharacterRepetitionFilter, ExistingStatsAreKept) {
  auto op = Build("character_repetition_filter", {{"rep_len", int64_t{5}}, {"max_ratio", 0.4}});
  ASSERT_TRUE(op);
  auto samples = TextSamples(
      {"Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!", "a v s e c s f e f g a a a a a a a a a a"});
  for (auto& s : samples) s.stats().Set("char_rep_ratio", StatValue(0.5));
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok());
  for (auto& s : samples) EXPECT_EQ(std::get<double>(s.stats().Find("char_rep_ratio")->scalar()), 0.5);
  EXPECT_EQ(*kept, (std::vector<uint64_t>{}));
}

// Data-Juicer's tests/ops/filter/test_word_repetition_filter.py::test_en_case (no public conformance
// case: the zh case needs the SentencePiece model).
TEST(WordRepetitionFilter, DataJuicerEnglishCase) {
  auto op = Build("word_repetition_filter",
                  {{"rep_len", int64_t{3}}, {"min_ratio", 0.0}, {"max_ratio", 0.2}, {"batch_size", int64_t{2}}});
  ASSERT_TRUE(op);
  auto samples = TextSamples({"Today is Sunday Sunday Sunday Sunday Sunday and it's a happy day!",
                              "Today is Sunday Sunday Sunday and it's a happy day!",
                              "Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!",
                              "plusieurs èrdash@hqbchd.ckd d'accéder à ces wwwasdasd fonc",
                              "This proposed a novel proposed pretraining proposed pretraining."});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 3, 4}));
  EXPECT_EQ(std::get<double>(samples[0].stats().Find("word_rep_ratio")->scalar()), 0.3);
}

// conformance: word_repetition_filter/test_zh_case needs tokenization=true (SentencePiece): refused.
TEST(WordRepetitionFilter, TokenizationIsUnavailable) {
  auto info = Registry().Find("word_repetition_filter");
  ASSERT_TRUE(info.ok());
  auto op = BuildOp(**info, {{"lang", std::string("zh")}, {"tokenization", true}, {"rep_len", int64_t{3}}});
  ASSERT_FALSE(op.ok());
  EXPECT_EQ(op.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(op.status().message().find("SentencePiece"), std::string::npos);
  auto bad = BuildOp(**info, {{"rep_len", int64_t{0}}});  // PositiveInt
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(RepetitionFilters, DefaultsEdgeTextsAndErrors) {
  for (const char* name : {"character_repetition_filter", "word_repetition_filter"}) {
    SCOPED_TRACE(name);
    auto op = Build(name);
    ASSERT_TRUE(op);
    EXPECT_EQ(op->params().GetInt("rep_len"), 10);
    EXPECT_EQ(op->params().GetDouble("max_ratio"), 0.5);
    auto samples = TextSamples({"", "short", std::string(1 << 20, 'a'), "中文也是一个字算一个长度",
                                "emoji 😊👍🏽🇫🇷👨‍👩‍👧 and ZWJ", "abc\xE4\xB8"});
    auto kept = RunFilter(*op, samples);
    ASSERT_TRUE(kept.ok()) << kept.status().ToString();
    // The 1 MiB run of 'a' repeats as characters, but is a single word (no word 10-grams).
    if (std::string(name) == "character_repetition_filter")
      EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 3, 4, 5}));
    else
      EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 2, 3, 4, 5}));

    const std::string key = op->info().stat_keys.at(0);
    std::vector<Sample> one;
    one.push_back(TextSample(std::string(100, 'a')));
    one[0].stats().Set(key, StatValue(0.0));  // reused, not recomputed
    EXPECT_EQ(*RunFilter(*op, one), (std::vector<uint64_t>{0}));

    one.clear();
    one.push_back(TextSample("text", "content"));
    auto r = RunFilter(*op, one);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  }
}

}  // namespace
}  // namespace juicer
