#include "ops/text/word_list_filters.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/assets.h"
#include "ops/op_test_util.h"
#include "ops/text/word_lists.h"
#include "tests/test_util.h"
#include "tokenize/tokenizer.h"

namespace juicer {
namespace {

namespace fs = std::filesystem;
using testing::RunFilter;
using testing::TextSample;
using testing::TextSamples;
using testing::TextsAt;
using text::LoadWordList;
using text::WordAugOptions;
using text::WordListKind;
using text::WordListRatio;

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterWordListFilters>(); }

fs::path TempDir(const std::string& name) { return testing::ScratchDir("wordlist-" + name); }

void WriteFile(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

bool HaveNpm(const std::string& package) { return fs::exists(DefaultNpmDir() + "/" + package); }

#define SKIP_WITHOUT_NPM(pkg)                                                                        \
  if (!HaveNpm(pkg)) GTEST_SKIP() << "npm package " pkg " absent under " << DefaultNpmDir() \
                                  << " (run scripts/setup.sh)"

// A Data-Juicer-format word list directory: {lang: [words]} files named *stopwords*.json.
std::string DjDir(const std::string& name, const std::string& json) {
  const fs::path dir = TempDir(name);
  WriteFile(dir / "stopwords.json", json);
  return dir.string();
}

std::shared_ptr<const text::WordSet> Set(const std::string& dir, const std::string& lang = "en") {
  auto s = LoadWordList(WordListKind::kStopwords, dir, lang);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : nullptr;
}

double Ratio(std::string_view text, const text::WordSet& set, const WordAugOptions& aug = {}) {
  WorkerContext ctx;
  return WordListRatio(text, set, aug, nullptr, ctx);
}

TEST(WordListRatio, DataJuicerFormula) {
  const auto set = Set(DjDir("formula", R"({"en": ["foo", "bar", "été", "你好"], "de": ["und"]})"));
  ASSERT_NE(set, nullptr);
  // Split on ' ', '\n', '\t'; lower-case; strip SPECIAL_CHARACTERS at the ends; empty words dropped.
  EXPECT_DOUBLE_EQ(Ratio("Foo, BAR! qux", *set), 2.0 / 3);
  EXPECT_DOUBLE_EQ(Ratio("foo\tbar\nqux  zap", *set), 2.0 / 4);
  EXPECT_DOUBLE_EQ(Ratio("-- 42 ... foo", *set), 1.0);  // the special-only words are dropped
  EXPECT_DOUBLE_EQ(Ratio("(foo) f-o-o", *set), 0.5);    // inner specials stay
  EXPECT_DOUBLE_EQ(Ratio("foo\rbar", *set), 0.0);       // '\r' does not split
  EXPECT_DOUBLE_EQ(Ratio("und", *set), 0.0);            // another language's word
  // No words: 0.0.
  EXPECT_EQ(Ratio("", *set), 0.0);
  EXPECT_EQ(Ratio("   \n\t ", *set), 0.0);
  EXPECT_EQ(Ratio("，。！ 😊 123", *set), 0.0);
  // Unicode lower-casing, CJK, emoji stripped at the ends.
  EXPECT_DOUBLE_EQ(Ratio("ÉTÉ Été", *set), 1.0);
  EXPECT_DOUBLE_EQ(Ratio("😊你好😊 世界", *set), 0.5);
}

TEST(WordListRatio, WordsAugmentation) {
  const auto set = Set(DjDir("aug", R"({"en": ["ab", "a b", "abc"]})"));
  ASSERT_NE(set, nullptr);
  WordAugOptions aug;
  aug.use_words_aug = true;
  // words a, b, c + augmentation ab, bc: 1 of 5.
  EXPECT_DOUBLE_EQ(Ratio("a b c", *set, aug), 1.0 / 5);
  aug.join_char = " ";  // a b, b c
  EXPECT_DOUBLE_EQ(Ratio("a b c", *set, aug), 1.0 / 5);
  aug.join_char = "";
  aug.group_sizes = {2, 3};  // ab, bc, abc
  EXPECT_DOUBLE_EQ(Ratio("a b c", *set, aug), 2.0 / 6);
  aug.group_sizes = {5};  // longer than the text: nothing added
  EXPECT_DOUBLE_EQ(Ratio("a b c", *set, aug), 0.0);
  // Augmentation joins the refined words.
  aug.group_sizes = {2};
  EXPECT_DOUBLE_EQ(Ratio("A, B!", *set, aug), 1.0 / 3);
  EXPECT_EQ(Ratio("", *set, aug), 0.0);
}

TEST(WordListRatio, InvalidUtf8AndLongText) {
  const auto set = Set(DjDir("long", R"({"en": ["foo"]})"));
  ASSERT_NE(set, nullptr);
  // Stray bytes read as U+FFFD, one of SPECIAL_CHARACTERS: such words strip to nothing.
  EXPECT_DOUBLE_EQ(Ratio("foo \xE4\xB8 \xFF", *set), 1.0);
  EXPECT_DOUBLE_EQ(Ratio("foo a\xE4\xB8", *set), 0.5);
  std::string text;
  for (int i = 0; i < 200000; ++i) text += i % 4 == 0 ? "Foo, " : "bar\n";
  EXPECT_DOUBLE_EQ(Ratio(text, *set), 0.25);
}

TEST(WordLists, DataJuicerDirectoryMergesFiles) {
  const fs::path dir = TempDir("merge");
  WriteFile(dir / "stopwords.json", R"({"en": ["foo"], "fr": ["le"]})");
  WriteFile(dir / "extra_stopwords_v2.json", R"({"en": ["bar"]})");
  WriteFile(dir / "other.json", R"({"en": ["ignored"]})");              // name lacks "stopwords"
  WriteFile(dir / "stopwords.txt", "not json");                          // not .json
  WriteFile(dir / "flagged_words.json", R"({"en": ["bad"]})");           // the other kind
  const auto en = Set(dir.string(), "en");
  ASSERT_NE(en, nullptr);
  EXPECT_TRUE(en->Contains("foo"));
  EXPECT_TRUE(en->Contains("bar"));
  EXPECT_FALSE(en->Contains("ignored"));
  EXPECT_FALSE(en->Contains("bad"));
  EXPECT_FALSE(en->Contains("le"));
  const auto all = Set(dir.string(), "all");  // every language merged
  ASSERT_NE(all, nullptr);
  EXPECT_TRUE(all->Contains("le"));
  EXPECT_TRUE(all->Contains("foo"));
  EXPECT_EQ(all->size(), 3u);
  auto flagged = LoadWordList(WordListKind::kFlaggedWords, dir.string(), "en");
  ASSERT_TRUE(flagged.ok()) << flagged.status().ToString();
  EXPECT_TRUE((*flagged)->Contains("bad"));
  EXPECT_EQ((*flagged)->size(), 1u);
}

TEST(WordLists, FileWithItsOwnAllEntryKeepsIt) {
  const auto all = Set(DjDir("own_all", R"({"en": ["foo"], "all": ["only"]})"), "all");
  ASSERT_NE(all, nullptr);
  EXPECT_TRUE(all->Contains("only"));
  EXPECT_FALSE(all->Contains("foo"));
}

TEST(WordLists, ErrorsAreClear) {
  const std::string dir = DjDir("errors", R"({"en": ["foo"], "de": ["und"]})");
  auto st = LoadWordList(WordListKind::kStopwords, dir, "xx").status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("lang 'xx'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("available: all, de, en"), std::string::npos) << st.message();

  const fs::path empty = TempDir("empty");
  st = LoadWordList(WordListKind::kStopwords, empty.string(), "en").status();
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("stopwords_dir"), std::string::npos) << st.message();

  st = LoadWordList(WordListKind::kStopwords, "/nonexistent/juicer/dir", "en").status();
  EXPECT_EQ(st.code(), StatusCode::kNotFound);

  const fs::path bad = TempDir("bad");
  WriteFile(bad / "stopwords.json", R"({"en": ["foo", 3]})");
  st = LoadWordList(WordListKind::kStopwords, bad.string(), "en").status();
  EXPECT_EQ(st.code(), StatusCode::kDataError);
  EXPECT_NE(st.message().find("'en' is not a list of strings"), std::string::npos) << st.message();
  WriteFile(bad / "stopwords.json", R"({"en": ["foo")");
  st = LoadWordList(WordListKind::kStopwords, bad.string(), "de").status();
  EXPECT_EQ(st.code(), StatusCode::kDataError);

  // Built-in lists missing: Unavailable, naming setup.sh.
  st = LoadWordList(WordListKind::kStopwords, "", "en", "/nonexistent/npm").status();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("scripts/setup.sh"), std::string::npos);
  st = LoadWordList(WordListKind::kFlaggedWords, "", "en", "/nonexistent/npm").status();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
}

TEST(WordLists, BuiltInStopwordsIso) {
  SKIP_WITHOUT_NPM("stopwords-iso");
  auto en = LoadWordList(WordListKind::kStopwords, "", "en");
  ASSERT_TRUE(en.ok()) << en.status().ToString();
  EXPECT_EQ((*en)->size(), 1298u - 24u);  // the alphabet minus 'a' and 'i'
  for (const char* w : {"the", "and", "is", "it's", "today", "a", "i"}) EXPECT_TRUE((*en)->Contains(w)) << w;
  for (const char* w : {"coffee", "sunday", "The", "und", "z", "q"}) EXPECT_FALSE((*en)->Contains(w)) << w;
  auto zh = LoadWordList(WordListKind::kStopwords, "", "zh");
  ASSERT_TRUE(zh.ok());
  EXPECT_TRUE((*zh)->Contains("的"));
  auto all = LoadWordList(WordListKind::kStopwords, "", "all");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE((*all)->Contains("und"));
  EXPECT_TRUE((*all)->Contains("the"));
  EXPECT_TRUE((*all)->Contains("的"));
  // Loaded once: the same list object is shared.
  auto again = LoadWordList(WordListKind::kStopwords, "", "en");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), en->get());
}

TEST(WordLists, BuiltInNaughtyWords) {
  SKIP_WITHOUT_NPM("naughty-words");
  auto en = LoadWordList(WordListKind::kFlaggedWords, "", "en");
  ASSERT_TRUE(en.ok()) << en.status().ToString();
  EXPECT_EQ((*en)->size(), 403u);
  for (const char* w : {"fuck", "shit", "2 girls 1 cup"}) EXPECT_TRUE((*en)->Contains(w)) << w;
  EXPECT_FALSE((*en)->Contains("hello"));
  auto zh = LoadWordList(WordListKind::kFlaggedWords, "", "zh");
  ASSERT_TRUE(zh.ok());
  EXPECT_TRUE((*zh)->Contains("下贱"));
  // package.json and friends are not languages.
  auto pkg = LoadWordList(WordListKind::kFlaggedWords, "", "package");
  EXPECT_EQ(pkg.status().code(), StatusCode::kInvalidArgument);
}

// ---- The ops ------------------------------------------------------------------------------------

TEST(StopwordsFilter, ConformanceEnCaseWithBuiltInList) {
  SKIP_WITHOUT_NPM("stopwords-iso");
  // cases/stopwords_filter.json test_en_case: Data-Juicer keeps 0, 1, 4. stopwords-iso lists every
  // single letter, but juicer drops those that are not English words ('a' and 'i' stay): 2/12.
  auto op = testing::MustBuildFrom(Registry(), "stopwords_filter", {{"lang", std::string("en")}, {"min_ratio", 0.3}});
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples({"Today is Sunday and it's a happy day!",
                              "Today is Sund Sund Sund Sund Sunda and it's a happy day!", "a v s e c s f e f g a qkc",
                              "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►", "Do you need a cup of coffee?"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 4}));
  const double expect[] = {5.0 / 8, 5.0 / 12, 2.0 / 12, 0.0, 5.0 / 7};
  for (size_t i = 0; i < samples.size(); ++i)
    EXPECT_DOUBLE_EQ(*samples[i].stats().Find("stopwords_ratio")->AsNumber(), expect[i]) << i;
}

TEST(StopwordsFilter, DataJuicerListReproducesConformance) {
  // With a stopwords_dir holding a list shaped like Data-Juicer's (no single letters), the en case
  // keeps exactly what Data-Juicer keeps.
  const std::string dir = DjDir("dj_like", R"({"en": ["today", "is", "and", "it's", "a", "do", "you", "need", "of"]})");
  auto op = testing::MustBuildFrom(Registry(), "stopwords_filter", {{"stopwords_dir", dir}});
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples({"Today is Sunday and it's a happy day!",
                              "Today is Sund Sund Sund Sund Sunda and it's a happy day!", "a v s e c s f e f g a qkc",
                              "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►", "Do you need a cup of coffee?"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 4}));
}

TEST(StopwordsFilter, TokenizationNeedsTheModel) {
  const std::string dir = DjDir("zh_model", R"({"zh": ["你好"]})");
  Status st = testing::BuildStatus("stopwords_filter", {{"tokenization", true},
                                                        {"lang", std::string("zh")},
                                                        {"stopwords_dir", dir},
                                                        {"sp_model_path", std::string("/nonexistent/zh.sp.model")}});
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("zh.sp.model"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("sp_model_path"), std::string::npos) << st.message();
}

TEST(StopwordsFilter, TokenizationWithASentencePieceModel) {
  // A small model trained here stands in for Data-Juicer's <lang>.sp.model: words are its pieces.
  std::vector<std::string> corpus;
  for (int i = 0; i < 200; ++i) corpus.push_back("the cat sat on the mat and the dog sat on the log " + std::to_string(i));
  auto tok = TrainSentencePiece(corpus, 40);
  if (!tok.ok() && tok.status().code() == StatusCode::kUnavailable) GTEST_SKIP() << tok.status().ToString();
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  const fs::path dir = TempDir("spm");
  ASSERT_TRUE((*tok)->Save(dir.string()).ok());
  const std::string model = (dir / "sentencepiece.model").string();
  auto loaded = LoadSentencePieceModel(model);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const auto pieces = (*loaded)->EncodeAsPieces("the cat");
  ASSERT_FALSE(pieces.empty());
  std::string joined;
  for (const auto& p : pieces) joined += p;
  EXPECT_EQ(joined, "\xE2\x96\x81the\xE2\x96\x81" "cat");  // "▁the▁cat"

  // Pieces keep SentencePiece's '▁' (not a SPECIAL_CHARACTER), as in Data-Juicer.
  std::string words = "[";
  for (const auto& p : pieces) words += "\"" + p + "\",";
  words.back() = ']';
  const std::string list_dir = DjDir("spm_list", "{\"en\": " + words + "}");
  auto op = testing::MustBuildFrom(Registry(), "stopwords_filter",
                                   {{"tokenization", true}, {"sp_model_path", model}, {"stopwords_dir", list_dir}});
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples({"the cat", "", "dog"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*samples[0].stats().Find("stopwords_ratio")->AsNumber(), 1.0);
  EXPECT_EQ(*samples[1].stats().Find("stopwords_ratio")->AsNumber(), 0.0);
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0}));
}

TEST(StopwordsFilter, ParamsAndErrors) {
  EXPECT_EQ(testing::BuildStatus("stopwords_filter", {{"words_aug_group_sizes", std::vector<double>{0.0}}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(testing::BuildStatus("stopwords_filter", {{"words_aug_group_sizes", std::vector<double>{1.5}}}).code(),
            StatusCode::kInvalidArgument);
  const std::string dir = DjDir("params", R"({"en": ["foo"]})");
  Status st = testing::BuildStatus("stopwords_filter", {{"stopwords_dir", dir}, {"lang", std::string("vi")}});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("lang 'vi'"), std::string::npos);
}

TEST(StopwordsFilter, ReusesExistingStatAndHandlesTrickyText) {
  const std::string dir = DjDir("tricky", R"({"en": ["foo"]})");
  auto op = testing::MustBuildFrom(Registry(), "stopwords_filter", {{"stopwords_dir", dir}});
  ASSERT_NE(op, nullptr);
  std::string long_text;
  for (int i = 0; i < 100000; ++i) long_text += "foo bar 中文 😊 ";
  auto samples = TextSamples({"", "中文 😊 🇫🇷", "foo \xE4\xB8", long_text, "foo"});
  samples[4].stats().Set("stopwords_ratio", StatValue(0.1));
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*samples[0].stats().Find("stopwords_ratio")->AsNumber(), 0.0);
  EXPECT_EQ(*samples[1].stats().Find("stopwords_ratio")->AsNumber(), 0.0);
  EXPECT_DOUBLE_EQ(*samples[2].stats().Find("stopwords_ratio")->AsNumber(), 1.0);  // U+FFFD strips away
  EXPECT_DOUBLE_EQ(*samples[3].stats().Find("stopwords_ratio")->AsNumber(), 1.0 / 3);
  EXPECT_EQ(*samples[4].stats().Find("stopwords_ratio")->AsNumber(), 0.1);  // not recomputed
  EXPECT_EQ(*kept, (std::vector<uint64_t>{2, 3}));
}

TEST(FlaggedWordsFilter, BuiltInListDefaults) {
  SKIP_WITHOUT_NPM("naughty-words");
  auto op = testing::MustBuildFrom(Registry(), "flagged_words_filter");
  ASSERT_NE(op, nullptr);
  std::string clean;
  for (int i = 0; i < 30; ++i) clean += "word ";
  auto samples = TextSamples({"What the fuck is this shit", "Today is a happy day", clean + "fuck", "", "ＦＵＣＫ"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_DOUBLE_EQ(*samples[0].stats().Find("flagged_words_ratio")->AsNumber(), 2.0 / 6);
  EXPECT_DOUBLE_EQ(*samples[2].stats().Find("flagged_words_ratio")->AsNumber(), 1.0 / 31);
  // Full-width letters lower-case to full-width, not to ASCII: no match (as in Python).
  EXPECT_EQ(*samples[4].stats().Find("flagged_words_ratio")->AsNumber(), 0.0);
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2, 3, 4}));  // default max_ratio 0.045
}

TEST(FlaggedWordsFilter, PhrasesMatchThroughAugmentation) {
  SKIP_WITHOUT_NPM("naughty-words");
  auto op = testing::MustBuildFrom(Registry(), "flagged_words_filter",
                                   {{"use_words_aug", true},
                                    {"words_aug_group_sizes", std::vector<double>{2, 3}},
                                    {"words_aug_join_char", std::string(" ")}});
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples({"an Alabama hot pocket"});
  ASSERT_TRUE(RunFilter(*op, samples).ok());
  // 4 words + 3 pairs + 2 triples; "alabama hot pocket" is one of the triples.
  EXPECT_DOUBLE_EQ(*samples[0].stats().Find("flagged_words_ratio")->AsNumber(), 1.0 / 9);
}

TEST(FlaggedWordsFilter, LangAllAndDjDirectory) {
  const fs::path dir = TempDir("flagged");
  WriteFile(dir / "flagged_words.json", R"({"en": ["bad"], "zh": ["坏"]})");
  auto op = testing::MustBuildFrom(Registry(), "flagged_words_filter",
                                   {{"flagged_words_dir", dir.string()}, {"lang", std::string("all")}});
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples({"bad 坏 good"});
  ASSERT_TRUE(RunFilter(*op, samples).ok());
  EXPECT_DOUBLE_EQ(*samples[0].stats().Find("flagged_words_ratio")->AsNumber(), 2.0 / 3);
}

}  // namespace
}  // namespace juicer
