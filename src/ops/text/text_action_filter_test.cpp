#include "ops/text/text_action_filter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/assets.h"
#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::RunFilter;
using testing::TextSamples;
using testing::TextsAt;

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterTextActionFilter>(); }

#define SKIP_WITHOUT_LEXICON()                                                          \
  if (!std::filesystem::exists(NpmAsset("pos", "lexicon.js")))                          \
  GTEST_SKIP() << "npm pos@0.4.2 lexicon " << NpmAsset("pos", "lexicon.js") << " absent " \
               << "(run scripts/setup.sh)"

int64_t NumAction(const Sample& s) { return std::get<int64_t>(s.stats().Find("num_action")->scalar()); }

// cases/text_action_filter.json test_en_text_case (Data-Juicer counts verbs with spaCy).
TEST(TextActionFilter, ConformanceEnCase) {
  SKIP_WITHOUT_LEXICON();
  auto op = testing::MustBuildFrom(Registry(), "text_action_filter", {{"lang", std::string("en")}});
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples({"Tom is playing piano.", "Tom plays piano.", "Tom played piano.", "I play piano.",
                              "to play piano.", "Tom 在打篮球", "a v s e c s f e f g a a a  ",
                              "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►", "that is a green tree"});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(TextsAt(samples, *kept), (std::vector<std::string>{"Tom is playing piano.", "Tom plays piano.",
                                                               "Tom played piano.", "I play piano.", "to play piano."}));
}

TEST(TextActionFilter, ChineseIsRefused) {
  Status st = testing::BuildStatus("text_action_filter", {{"lang", std::string("zh")}});
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("lang 'zh' is not supported"), std::string::npos) << st.message();
  EXPECT_EQ(testing::BuildStatus("text_action_filter", {{"lang", std::string("fr")}}).code(),
            StatusCode::kInvalidArgument);
}

TEST(TextActionFilter, MissingLexicon) {
  Status st = testing::BuildStatus("text_action_filter", {{"lexicon_path", std::string("/nonexistent/lexicon.js")}});
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("lexicon_path"), std::string::npos) << st.message();
}

TEST(TextActionFilter, SpecialTokensTrickyTextAndThreshold) {
  SKIP_WITHOUT_LEXICON();
  auto op = testing::MustBuildFrom(Registry(), "text_action_filter", {{"min_action_num", int64_t{2}}});
  ASSERT_NE(op, nullptr);
  std::string long_text;
  for (int i = 0; i < 20000; ++i) long_text += "Tom plays piano and sings. ";
  auto samples = TextSamples({"", "<__dj__image>Tom plays<|__dj__eoc|> piano <__dj__video>and sings",
                              "😊 plays 🇫🇷 played", "plays \xE4\xB8 played", long_text, "中文 playing"});
  samples[5].stats().Set("num_action", StatValue(int64_t{7}));
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(NumAction(samples[0]), 0);
  EXPECT_EQ(NumAction(samples[1]), 2);
  EXPECT_EQ(NumAction(samples[2]), 2);
  EXPECT_EQ(NumAction(samples[3]), 2);
  EXPECT_EQ(NumAction(samples[4]), 40000);
  EXPECT_EQ(NumAction(samples[5]), 7);  // reused, not recomputed
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace juicer
