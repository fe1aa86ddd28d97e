#include "datasets/text_sources.h"

#include <gtest/gtest.h>

#include "datasets/man_roff.h"

namespace juicer {
namespace {

TEST(TextSources, CleanUtf8RepairsLatin1AndControls) {
  EXPECT_EQ(CleanUtf8("caf\xe9 \x93quoted\x94\r\nnext\x01"), "café “quoted”\nnext");
  EXPECT_EQ(CleanUtf8("ok ü \xf0\x9f\x98\x80"), "ok ü 😀");
  // an encoded surrogate is not UTF-8: three single bytes read as Windows-1252 / Latin-1
  EXPECT_EQ(CleanUtf8("\xed\xa0\x80"), "í\xc2\xa0€");
}

TEST(TextSources, Utf8PrefixKeepsWholeCharacters) {
  EXPECT_EQ(Utf8Prefix("aü", 2), "a");
  EXPECT_EQ(Utf8Prefix("aü", 3), "aü");
}

TEST(TextSources, SplitFortunes) {
  const auto f = SplitFortunes("one\n%\n\n%\ntwo\nlines\n%\nthree");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[1], "two\nlines");
}

TEST(TextSources, ChunkDocumentGroupsParagraphsAndSentences) {
  std::string para;
  for (int i = 0; i < 100; ++i) para += "This is sentence number " + std::to_string(i) + ". ";
  const auto chunks = ChunkDocument(para, 500);
  ASSERT_GT(chunks.size(), 3u);
  for (const auto& c : chunks) {
    EXPECT_GE(c.size(), 500u / 3);
    EXPECT_EQ(c.back(), '.');  // cut at sentence ends
  }
  const auto small = ChunkDocument("A.\n\nB.\n\n\nC.", 500);
  ASSERT_EQ(small.size(), 1u);
  EXPECT_EQ(small[0], "A.\n\nB.\n\nC.");
}

TEST(ManRoff, ConvertsCommonManMacros) {
  const std::string roff =
      ".\\\" comment\n.TH LS 1\n.SH NAME\nls \\- list\n.SH OPTIONS\n.TP\n\\fB\\-a\\fP, \\fB\\-\\-all\\fR\n"
      "do not ignore\nentries \\(em really\n.PP\n.BR ls (1)\n.de XX\nignored\n..\n\\*(L\xc2\xbbword\n";
  const std::string text = RoffToText(roff);
  EXPECT_NE(text.find("NAME\n\nls - list"), std::string::npos) << text;
  EXPECT_NE(text.find("-a, --all\ndo not ignore entries — really"), std::string::npos) << text;
  EXPECT_NE(text.find("ls(1)"), std::string::npos) << text;
  EXPECT_EQ(text.find("ignored"), std::string::npos) << text;
  EXPECT_EQ(CleanUtf8(text), text);  // valid UTF-8 even after a malformed \*( escape
  EXPECT_EQ(RoffToText(".so man1/other.1\n"), "");
}

}  // namespace
}  // namespace juicer
