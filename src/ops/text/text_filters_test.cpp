#include "ops/text/text_filters.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "ops/text/char_tables.h"
#include "ops/text/text_stats.h"

#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::MustBuild;
using testing::RunFilter;
using testing::TextSample;
using testing::TextSamples;
using testing::TextsAt;

// Expected stats computed with Data-Juicer's own Python code (helper_func.py,
// special_characters.py with the emoji package) for each text.
struct StatCase {
  std::string text;
  int64_t len;
  int64_t words;
  double alnum;
  double special;
};

const std::vector<StatCase>& StatCases() {
  static const std::vector<StatCase> kCases = {
      {"Today is Sunday and it's a happy day!", 37, 8, 0.7567567567567568, 0.24324324324324326},
      {"Today is Sund Sund Sund Sund Sunda and it's a happy day!", 56, 12, 0.7678571428571429, 0.23214285714285715},
      {"a v s e c s f e f g a qkc", 25, 12, 0.56, 0.44},
      {"，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►", 34, 1, 0.029411764705882353, 0.8529411764705882},
      {"Do you need a cup of coffee?", 28, 7, 0.75, 0.25},
      {"emoji表情测试下😊，😸31231", 18, 1, 0.8333333333333334, 0.4444444444444444},
      {"a=1\nb\nc=1+2+3+5\nd=6", 19, 4, 0.5263157894736842, 0.7894736842105263},
      {"Today is Sund Sund Sund Sunda and it's a happy day!\nYou know", 60, 13, 0.7666666666666667,
       0.23333333333333334},
      {"emoji表情测试下😊，😸31231\n", 19, 1, 0.7894736842105263, 0.47368421052631576},
      {"", 0, 0, 0.0, 0.0},
      {"   \t\n ", 6, 0, 0.0, 1.0},
      // decomposed accents (combining marks count as characters), a skin-tone emoji, a flag
      {"e\u0301te\u0301 ca\u0300 👍🏽 🇫🇷", 15, 3, 0.3333333333333333, 0.3333333333333333},
      {"中文也是一个字算一个长度", 12, 1, 1.0, 0.16666666666666666},
      {"hello, world!! -- 42 ...", 24, 2, 0.5, 0.5833333333333334},
      // numerics that are not decimal digits: ¼ and ² are special, ⅷ 三 ٣ are not
      {"¼ ² ⅷ 三 ٣", 9, 3, 0.5555555555555556, 0.6666666666666666},
  };
  return kCases;
}

TEST(TextStats, MatchDataJuicer) {
  for (const auto& c : StatCases()) {
    EXPECT_EQ(text::TextLength(c.text), c.len) << c.text;
    EXPECT_EQ(text::WordCount(c.text), c.words) << c.text;
    EXPECT_EQ(text::AlnumRatio(c.text), c.alnum) << c.text;
    EXPECT_EQ(text::SpecialCharRatio(c.text), c.special) << c.text;
  }
}

TEST(TextStats, WordSplitting) {
  EXPECT_EQ(text::WordCount("one"), 1);
  EXPECT_EQ(text::WordCount("  one  two\t\tthree\n\nfour  "), 4);
  // Only ' ', '\n', '\t' split; other whitespace stays inside a word.
  EXPECT_EQ(text::WordCount("one\rtwo\x0bthree"), 1);
  EXPECT_EQ(text::WordCount("one\u3000two"), 1);
  // Stripping is at the ends only: inner specials keep a word whole.
  EXPECT_EQ(text::WordCount("(it's) \"x-y\" ..."), 2);
  EXPECT_EQ(text::WordCount("😊😊 😊a😊"), 1);
}

TEST(TextStats, VeryLongText) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "word 中文, ";
  EXPECT_EQ(text::TextLength(text), 100000 * 9);
  EXPECT_EQ(text::WordCount(text), 200000);
  EXPECT_EQ(text::AlnumRatio(text), 6.0 / 9.0);
  EXPECT_EQ(text::SpecialCharRatio(text), 3.0 / 9.0);
}

// Straightforward per-code-point versions of the stats (DJ's definitions over the flag table),
// to check the block-at-a-time fast paths against.
struct NaiveStats {
  int64_t len = 0, words = 0;
  double alnum = 0, special = 0;
};

NaiveStats Naive(const std::string& s) {
  NaiveStats r;
  int64_t alnum = 0, special = 0;
  bool in_word = false, content = false;
  for (const char* p = s.data(); p < s.data() + s.size();) {
    const char32_t c = text::DecodeUtf8(p, s.data() + s.size());
    ++r.len;
    alnum += text::IsPyAlnum(c);
    special += text::IsSpecialChar(c);
    if (c == ' ' || c == '\n' || c == '\t') {
      r.words += (in_word && content) ? 1 : 0;
      in_word = content = false;
    } else {
      in_word = true;
      content = content || !text::IsSpecialChar(c);
    }
  }
  r.words += (in_word && content) ? 1 : 0;
  r.alnum = r.len ? static_cast<double>(alnum) / static_cast<double>(r.len) : 0.0;
  r.special = r.len ? static_cast<double>(special) / static_cast<double>(r.len) : 0.0;
  return r;
}

TEST(TextStats, FastPathsMatchNaiveDefinitions) {
  std::mt19937 rng(12345);
  // Every ASCII byte, plus some non-ASCII characters, in runs that make words of all shapes.
  std::vector<std::string> pool;
  for (int c = 1; c < 0x80; ++c) pool.emplace_back(1, static_cast<char>(c));
  for (const char* s : {" ", " ", "\n", "\t", "a", "Z", "7", ".", "é", "中", "😊", "\u3000", "\u00bd", "\u2019"})
    pool.emplace_back(s);
  // Invalid UTF-8 too (a stray continuation byte, cut-short sequences; the reader rejects such text, so
  // only crash-freedom matters in the ops): the word and ratio paths decode it as the naive loop does.
  // TextLength counts lead bytes instead and is compared on valid text only.
  const size_t valid_pieces = pool.size();
  for (const char* s : {"\x80", "\xE4\xB8", "\xF0\x9F", "\xC3"}) pool.emplace_back(s);
  for (int round = 0; round < 600; ++round) {
    std::string s;
    const size_t len = rng() % 300;
    // Rounds of three kinds: ASCII only, mixed, and mostly ASCII (a few other characters per block).
    const bool ascii_only = round % 3 == 0, sparse = round % 3 == 2;
    bool valid = true;
    for (size_t i = 0; i < len; ++i) {
      const size_t which = rng() % pool.size();
      const std::string& piece = pool[which];
      const bool other = static_cast<unsigned char>(piece[0]) >= 0x80;
      if (other && (ascii_only || (sparse && rng() % 8 != 0))) continue;
      valid = valid && which < valid_pieces;
      // Long letter / separator runs too, so whole 64-byte blocks have few boundaries.
      const int repeat = rng() % 8 == 0 ? static_cast<int>(rng() % 70) : 1;
      for (int k = 0; k < repeat; ++k) s += piece;
    }
    const NaiveStats want = Naive(s);
    if (valid) {
      ASSERT_EQ(text::TextLength(s), want.len) << s;
    }
    ASSERT_EQ(text::WordCount(s), want.words) << s;
    ASSERT_EQ(text::AlnumRatio(s), want.alnum) << s;
    ASSERT_EQ(text::SpecialCharRatio(s), want.special) << s;
  }
}

TEST(TextStats, TruncatedUtf8DoesNotCrash) {
  const std::string text = "abc\xE4\xB8";  // a 3-byte sequence cut short
  EXPECT_EQ(text::TextLength(text), 4);  // the lead byte counts, the continuation does not
  EXPECT_EQ(text::WordCount(text), 1);
  (void)text::AlnumRatio(text);
  (void)text::SpecialCharRatio(text);
}

// Data-Juicer's tests (tests/ops/filter/test_*.py), as in /work/shared/conformance/cases.
TEST(TextLengthFilter, DataJuicerCase) {
  auto op = MustBuild("text_length_filter", {{"min_len", int64_t{10}}, {"max_len", int64_t{50}}});
  ASSERT_TRUE(op);
  auto samples = TextSamples({"Today is", "Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!",
                              "a v s e c s f e f g a a a  ", "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►",
                              "中文也是一个字算一个长度"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{2, 3, 4}));
  const StatValue* v = samples[4].stats().Find("text_len");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(std::get<int64_t>(v->scalar()), 12);  // an int, like DJ's
}

TEST(WordsNumFilter, DataJuicerCase) {
  auto op = MustBuild("words_num_filter", {{"min_num", int64_t{5}}, {"max_num", int64_t{15}}, {"batch_size", int64_t{2}}});
  ASSERT_TRUE(op);
  auto samples = TextSamples({"Today is Sun", "Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!",
                              "a v s e c s f e f g a a a  ", "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(std::get<int64_t>(samples[1].stats().Find("num_words")->scalar()), 13);
}

TEST(SpecialCharactersFilter, DataJuicerCase) {
  auto op = MustBuild("special_characters_filter", {{"min_ratio", 0.0}, {"max_ratio", 0.25}});
  ASSERT_TRUE(op);
  auto samples = TextSamples({"Today is Sunday and it's a happy day!",
                              "Today is Sund Sund Sund Sund Sunda and it's a happy day!", "a v s e c s f e f g a qkc",
                              "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►", "Do you need a cup of coffee?",
                              "emoji表情测试下😊，😸31231"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 4}));
}

TEST(AlphanumericFilter, DataJuicerCase) {
  auto op = MustBuild("alphanumeric_filter", {{"min_ratio", 0.2}, {"max_ratio", 0.9}});
  ASSERT_TRUE(op);
  auto samples = TextSamples({"a=1\nb\nc=1+2+3+5\nd=6", "Today is Sund Sund Sund Sunda and it's a happy day!\nYou know",
                              "a v s e e f g a qkc", "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►",
                              "Do you need a cup of coffee?", "emoji表情测试下😊，😸31231\n"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 2, 4, 5}));
  EXPECT_TRUE(std::holds_alternative<double>(samples[0].stats().Find("alnum_ratio")->scalar()));
}

TEST(TextFilters, Defaults) {
  // text_length_filter: [10, sys.maxsize]
  auto len = MustBuild("text_length_filter");
  ASSERT_TRUE(len);
  EXPECT_EQ(len->params().GetInt("max_len"), std::numeric_limits<int64_t>::max());
  auto samples = TextSamples({"123456789", "1234567890", std::string(1 << 20, 'x'), ""});
  EXPECT_EQ(*RunFilter(*len, samples), (std::vector<uint64_t>{1, 2}));
  // words_num_filter: [10, sys.maxsize]
  auto words = MustBuild("words_num_filter");
  ASSERT_TRUE(words);
  EXPECT_EQ(words->params().GetString("lang"), "en");
  samples = TextSamples({"1 2 3 a b c d e f g h i", "a b c d e f g h i", "a b c d e f g h i j"});
  EXPECT_EQ(*RunFilter(*words, samples), (std::vector<uint64_t>{2}));
  // alphanumeric_filter: [0.25, sys.maxsize]
  auto alnum = MustBuild("alphanumeric_filter");
  ASSERT_TRUE(alnum);
  samples = TextSamples({"a...", "a..", ""});
  EXPECT_EQ(*RunFilter(*alnum, samples), (std::vector<uint64_t>{0, 1}));
  // special_characters_filter: [0.0, 0.25]
  auto special = MustBuild("special_characters_filter");
  ASSERT_TRUE(special);
  samples = TextSamples({"abc.", "ab..", ""});
  EXPECT_EQ(*RunFilter(*special, samples), (std::vector<uint64_t>{0, 2}));
}

TEST(TextFilters, RangeOptions) {
  auto samples = TextSamples({"12345", "1234567890", "123456789012345"});
  auto open = MustBuild("text_length_filter", {{"min_len", int64_t{5}},
                                               {"max_len", int64_t{15}},
                                               {"min_closed_interval", false},
                                               {"max_closed_interval", false}});
  EXPECT_EQ(*RunFilter(*open, samples), (std::vector<uint64_t>{1}));
  samples = TextSamples({"12345", "1234567890", "123456789012345"});
  auto reversed = MustBuild("text_length_filter",
                            {{"min_len", int64_t{5}}, {"max_len", int64_t{15}}, {"reversed_range", true}});
  // DJ flips the closedness with reversed_range: keep = !(5 < len < 15).
  EXPECT_EQ(*RunFilter(*reversed, samples), (std::vector<uint64_t>{0, 2}));
  samples = TextSamples({"12345", "1234567890", "123456789012345"});
  auto unbounded = MustBuild("text_length_filter", {{"min_len", std::monostate{}}, {"max_len", int64_t{10}}});
  EXPECT_EQ(*RunFilter(*unbounded, samples), (std::vector<uint64_t>{0, 1}));
}

TEST(TextFilters, ExistingStatIsNotRecomputed) {
  for (const char* name : {"text_length_filter", "words_num_filter", "alphanumeric_filter", "special_characters_filter"}) {
    auto op = MustBuild(name, {});
    ASSERT_TRUE(op);
    const std::string key = op->info().stat_keys.at(0);
    Sample s = TextSample(std::string(5000, 'a') + " b c d e f g h i j k");
    s.stats().Set(key, StatValue(int64_t{3}));
    WorkerContext ctx;
    const auto* f = dynamic_cast<const Filter*>(op.get());
    ASSERT_TRUE(f->ComputeStats(s, ctx).ok());
    EXPECT_EQ(std::get<int64_t>(s.stats().Find(key)->scalar()), 3) << name;
    EXPECT_EQ(s.stats().size(), 1u);
  }
  // The reused value decides: a long text with a stored text_len of 3 is dropped.
  auto op = MustBuild("text_length_filter");
  std::vector<Sample> samples;
  samples.push_back(TextSample(std::string(100, 'a')));
  samples[0].stats().Set("text_len", StatValue(int64_t{3}));
  EXPECT_EQ(*RunFilter(*op, samples), (std::vector<uint64_t>{}));
}

TEST(TextFilters, TextKeyAndDataErrors) {
  auto op = MustBuild("text_length_filter", {{"text_key", std::string("content")}});
  ASSERT_TRUE(op);
  std::vector<Sample> samples;
  samples.push_back(TextSample("0123456789ab", "content"));
  EXPECT_EQ(*RunFilter(*op, samples), (std::vector<uint64_t>{0}));

  // No "content" field: a DataError naming the field (the executor adds file:line).
  samples.clear();
  samples.push_back(TextSample("0123456789ab", "text"));
  auto r = RunFilter(*op, samples);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find("content"), std::string::npos);

  // A non-string text field.
  Sample s;
  Sample::Field f;
  f.key = "text";
  f.type = JsonType::kNumber;
  f.raw = "12";
  s.AddField(f);
  WorkerContext ctx;
  auto words = MustBuild("words_num_filter");
  Status st = dynamic_cast<const Filter*>(words.get())->ComputeStats(s, ctx);
  EXPECT_EQ(st.code(), StatusCode::kDataError);
  // Keep() without stats: a DataError, not a crash.
  auto keep = dynamic_cast<const Filter*>(words.get())->Keep(s);
  EXPECT_FALSE(keep.ok());
}

TEST(TextFilters, TokenizationIsUnavailable) {
  Status st = testing::BuildStatus("words_num_filter", {{"tokenization", true}, {"lang", std::string("zh")}});
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("SentencePiece"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("words_num_filter"), std::string::npos) << st.message();
  st = testing::BuildStatus("alphanumeric_filter", {{"tokenization", true}});
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("pythia"), std::string::npos) << st.message();
  // Bad param types are caught by the op builder.
  st = testing::BuildStatus("text_length_filter", {{"min_len", std::string("ten")}});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace juicer
