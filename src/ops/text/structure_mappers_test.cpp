#include "ops/text/structure_mappers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

std::vector<std::string> MapTexts(const std::string& op_name, const GivenParams& params,
                                  const std::vector<std::string>& texts) {
  auto op = testing::MustBuild(op_name, params);
  auto out = testing::RunMapper(*op, testing::TextSamples(texts));
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  std::vector<std::string> result;
  if (out.ok())
    for (const auto& s : *out) result.emplace_back(*s.GetText("text"));
  return result;
}

TEST(CleanHtmlMapper, DataJuicerCases) {
  EXPECT_EQ(text::HtmlToText("<p>This is a test</p>"), "This is a test");
  EXPECT_EQ(text::HtmlToText("<li>Apple</li>"), "*Apple");
  EXPECT_EQ(text::HtmlToText("<ol>苹果</ol>"), "*苹果");
  EXPECT_EQ(text::HtmlToText("This is a test</p>"), "This is a test");
  EXPECT_EQ(text::HtmlToText("<测试>这是个测试</测试>"), "<测试>这是个测试");
  EXPECT_EQ(text::HtmlToText("<abc=\"https://www.example.com/file.html?name=Test\">测试"), "测试");
  EXPECT_EQ(text::HtmlToText("    This is a test  "), "This is a test  ");
  EXPECT_EQ(text::HtmlToText("<footer><p>&copy; 2021 &amp; &lt;x&gt;</p></footer>"), "© 2021 & <x>");
  EXPECT_EQ(text::HtmlToText("a<!-- comment -->b<script>c</script>"), "abc");
}

TEST(CleanHtmlMapper, EdgeCases) {
  EXPECT_EQ(MapTexts("clean_html_mapper", {}, {"", "   ", "emoji 😀 <b>bold</b>", "abc\xE4\xB8"}),
            (std::vector<std::string>{"", "", "emoji 😀 bold", "abc\xEF\xBF\xBD"}));
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "<div><p>x</p>";  // deep nesting
  EXPECT_EQ(text::HtmlToText(big), std::string(20000, 'x'));
}

TEST(SentenceSplitMapper, EnglishAndSpanish) {
  EXPECT_EQ(MapTexts("sentence_split_mapper", {{"lang", std::string("en")}},
                     {"Smithfield employs 3,700 people at its plant in Sioux Falls, South Dakota. The plant "
                      "slaughters 19,500 pigs a day — 5 percent of U.S. pork."}),
            (std::vector<std::string>{"Smithfield employs 3,700 people at its plant in Sioux Falls, South Dakota.\n"
                                      "The plant slaughters 19,500 pigs a day — 5 percent of U.S. pork."}));
  EXPECT_EQ(MapTexts("sentence_split_mapper", {{"lang", std::string("es")}},
                     {"Smithfield emplea a 3.700 personas en su planta de Sioux Falls, Dakota del Sur. La planta "
                      "sacrifica 19.500 cerdos al día, el 5 por ciento de la carne de cerdo de EE."}),
            (std::vector<std::string>{"Smithfield emplea a 3.700 personas en su planta de Sioux Falls, Dakota del "
                                      "Sur.\nLa planta sacrifica 19.500 cerdos al día, el 5 por ciento de la carne "
                                      "de cerdo de EE."}));
}

TEST(SentenceSplitMapper, LineBreaksAbbreviationsAndEdges) {
  EXPECT_EQ(text::SplitSentences("Mr. Smith went home.  Did he? (Yes!) She did.", "en"),
            (std::vector<std::string>{"Mr. Smith went home.", "Did he?", "(Yes!)", "She did."}));
  EXPECT_EQ(text::SplitSentences("a line\nwithout a stop. Next one", "en"),
            (std::vector<std::string>{"a line\nwithout a stop.", "Next one"}));
  EXPECT_EQ(text::SplitSentences("", "en"), std::vector<std::string>{});
  EXPECT_EQ(text::SplitSentences("这是第一句。这是第二句！", "en"),
            (std::vector<std::string>{"这是第一句。", "这是第二句！"}));
  EXPECT_EQ(MapTexts("sentence_split_mapper", {}, {"Hi 😀. Bye 👋.", "abc\xE4\xB8"}),
            (std::vector<std::string>{"Hi 😀.\nBye 👋.", "abc\xEF\xBF\xBD"}));
  const Status st = testing::BuildStatus("sentence_split_mapper", {{"lang", std::string("xx")}});
  EXPECT_FALSE(st.ok());
}

TEST(TextChunkMapper, DataJuicerModes) {
  const std::vector<std::string> in = {"Today is Sunday and it's a happy day!",
                                       "Sur la plateforme MT4, plusieurs manières d'accéder à ces fonctionnalités "
                                       "sont conçues simultanément.",
                                       "欢迎来到阿里巴巴！"};
  EXPECT_EQ(MapTexts("text_chunk_mapper", {{"max_len", int64_t{20}}, {"split_pattern", std::monostate{}}}, in),
            (std::vector<std::string>{"Today is Sunday and ", "it's a happy day!", "Sur la plateforme MT",
                                      "4, plusieurs manière", "s d'accéder à ces fo", "nctionnalités sont c",
                                      "onçues simultanément", ".", "欢迎来到阿里巴巴！"}));
  EXPECT_EQ(MapTexts("text_chunk_mapper", {{"split_pattern", std::string("\\n")}}, {"a \nb", "x\n\n\ny", "\n \n"}),
            (std::vector<std::string>{"a ", "b", "x", "y"}));  // blank pieces (and samples) disappear
  // A separator that is not blank is a piece of its own (re.split with a capture group).
  EXPECT_EQ(MapTexts("text_chunk_mapper", {{"split_pattern", std::string("。")}}, {"一。二"}),
            (std::vector<std::string>{"一", "。", "二"}));
}

TEST(TextChunkMapper, MaxLenWithPatternAndOverlap) {
  // Cut at the last "\n\n" inside the first 10 code points; without one, cut hard and overlap.
  EXPECT_EQ(MapTexts("text_chunk_mapper", {{"max_len", int64_t{10}}}, {"ab\n\ncd\n\nefgh ijklmnop"}),
            (std::vector<std::string>{"ab\n\ncd", "efgh ijklm", "nop"}));
  EXPECT_EQ(MapTexts("text_chunk_mapper",
                     {{"max_len", int64_t{4}}, {"overlap_len", int64_t{1}}, {"split_pattern", std::monostate{}}},
                     {"😀😁😂🤣😃😄😅"}),
            (std::vector<std::string>{"😀😁😂🤣", "🤣😃😄😅", "😅"}));
  EXPECT_EQ(MapTexts("text_chunk_mapper", {{"max_len", int64_t{4}}, {"overlap_len", int64_t{1}}}, {"abcdefg"}),
            (std::vector<std::string>{"abcd", "defg"}));
  const std::string long_text(1 << 20, 'z');
  EXPECT_EQ(MapTexts("text_chunk_mapper", {{"max_len", int64_t{1 << 18}}}, {long_text}).size(), 4u);
}

TEST(TextChunkMapper, CopiesOtherFieldsAndRejectsBadParams) {
  auto op = testing::MustBuild("text_chunk_mapper", {{"max_len", int64_t{2}}, {"split_pattern", std::monostate{}}});
  auto rows = testing::ParseJsonLines({R"({"text":"abcd","id":7})"});
  ASSERT_TRUE(rows.ok());
  auto out = testing::RunMapper(*op, std::move(*rows));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 2u);
  for (const auto& s : *out) EXPECT_EQ(s.Find("id")->RawText(), "7");
  EXPECT_FALSE(testing::BuildStatus("text_chunk_mapper", {{"max_len", std::monostate{}}, {"split_pattern", std::monostate{}}}).ok());
  EXPECT_FALSE(testing::BuildStatus("text_chunk_mapper", {{"max_len", int64_t{3}}, {"overlap_len", int64_t{3}}}).ok());
  EXPECT_FALSE(testing::BuildStatus("text_chunk_mapper", {{"max_len", int64_t{3}}, {"tokenizer", std::string("gpt-4o")}}).ok());
  EXPECT_FALSE(testing::BuildStatus("text_chunk_mapper", {{"split_pattern", std::string("(")}}).ok());
}

}  // namespace
}  // namespace juicer
