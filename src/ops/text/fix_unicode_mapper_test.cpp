#include "ops/text/fix_unicode_mapper.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

std::string Fix(const std::string& s) { return text::FixText(s, text::NormalForm::kNFC); }

TEST(FixUnicodeMapper, DataJuicerCases) {
  EXPECT_EQ(Fix("âœ” No problems"), "✔ No problems");
  EXPECT_EQ(Fix("The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows."), "The Mona Lisa doesn't have eyebrows.");
  EXPECT_EQ(Fix("No problems"), "No problems");
  EXPECT_EQ(Fix("阿里巴巴"), "阿里巴巴");
}

TEST(FixUnicodeMapper, FtfyFixes) {
  EXPECT_EQ(Fix("cafÃ© au lait"), "café au lait");                  // UTF-8 read as Latin-1
  EXPECT_EQ(Fix("Ã© mixed with ✔ and Ã¼"), "é mixed with ✔ and ü");  // sequences fixed in isolation
  EXPECT_EQ(Fix("&lt;b&gt; &amp; &eacute; &#x2014; &bogus;"), "<b> & é — &bogus;");
  EXPECT_EQ(Fix("<b>&amp;</b>"), "<b>&amp;</b>");  // looks like HTML: entities kept
  EXPECT_EQ(Fix("\x1b[36;44mcolor\x1b[0m"), "color");
  EXPECT_EQ(Fix("ﬁne ﬂoor"), "fine floor");
  EXPECT_EQ(Fix("ＬＯＵＤ　ＮＯＩＳＥＳ"), "LOUD NOISES");
  EXPECT_EQ(Fix("“quoted” ‘single’"), "\"quoted\" 'single'");
  EXPECT_EQ(Fix("a\r\nb\rc\u2028d"), "a\nb\nc\nd");
  EXPECT_EQ(Fix("x\x01y\ufeffz\tw"), "xyz\tw");
  EXPECT_EQ(Fix("e\u0301"), "\u00e9");  // NFC
  EXPECT_EQ(text::FixText("\u00e9", text::NormalForm::kNFD), "e\u0301");
  EXPECT_EQ(Fix("\u0080uro"), "€uro");  // a C1 control standing for Windows-1252
}

TEST(FixUnicodeMapper, LeavesGoodTextAlone) {
  for (const std::string s : {"", " ", "Ça va? Très bien. Straße, naïve, Ærø.",                               "emoji 😊👍🏽🇫🇷👨‍👩‍👧", "PÂTÉ ET ÇA", "tab\tnew\nline"})
    EXPECT_EQ(Fix(s), s);
  const std::string big(1 << 20, 'a');
  EXPECT_EQ(Fix(big), big);
  // As ftfy: fullwidth punctuation (U+FF01-FFEF) becomes its NFKC form, CJK text stays.
  EXPECT_EQ(Fix("中文也是一个字算一个长度，。！"), "中文也是一个字算一个长度,。!");
}

TEST(FixUnicodeMapper, OpParams) {
  auto op = testing::MustBuild("fix_unicode_mapper", {{"normalization", std::string("nfkc")}});
  auto out = testing::RunMapper(*op, testing::TextSamples({"ﬁ①", "abc\xE4\xB8"}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*(*out)[0].GetText("text"), "fi1");
  EXPECT_EQ(*(*out)[1].GetText("text"), "abc\xE4\xB8");  // never produced by the reader; kept as is
  EXPECT_FALSE(testing::BuildStatus("fix_unicode_mapper", {{"normalization", std::string("NFX")}}).ok());
}

}  // namespace
}  // namespace juicer
