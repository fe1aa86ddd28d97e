#include "ops/text/latex_mappers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::MustBuildFrom;
using testing::ParseJsonLines;
using testing::RunMapper;

using testing::MapperCase;

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterLatexMappers>(); }

const std::vector<MapperCase>& ConformanceCases() {
  static const std::vector<MapperCase> cases = {
#include "ops/text/latex_mappers_cases.inc"
  };
  return cases;
}

std::string Map1(const std::string& op_name, const std::string& text, const GivenParams& params = {}) {
  auto op = MustBuildFrom(Registry(), op_name, params);
  if (!op) return "<build error>";
  std::vector<Sample> samples;
  samples.push_back(testing::TextSample(text));
  auto out = RunMapper(*op, std::move(samples));
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() && out->size() == 1 ? std::string(*(*out)[0].GetText("text")) : "<error>";
}

TEST(LatexMappers, ConformanceCases) {
  // comments 1, bibliography 2, macro 1, table text 5
  ASSERT_EQ(ConformanceCases().size(), 9u);
  for (const MapperCase& c : ConformanceCases()) {
    SCOPED_TRACE(c.id);
    const std::string op_name = c.id.substr(0, c.id.find('/'));
    auto op = MustBuildFrom(Registry(), op_name, c.params);
    ASSERT_TRUE(op);
    auto samples = ParseJsonLines(c.input);
    ASSERT_TRUE(samples.ok()) << samples.status().ToString();
    auto out = RunMapper(*op, std::move(samples).value());
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    std::vector<std::string> got;
    for (const auto& s : *out) got.emplace_back(*s.GetText("text"));
    EXPECT_EQ(got, c.expected);
  }
}

TEST(RemoveCommentsMapper, InlineAndMultiline) {
  const std::string text = "a % inline\n% whole line\nx\\% kept\n%last";
  // The inline pattern also eats the '\n' before a line that starts with '%' (DJ).
  EXPECT_EQ(Map1("remove_comments_mapper", text), "a\nx\\% kept");
  EXPECT_EQ(Map1("remove_comments_mapper", text, {{"multiline", false}}), "a\nx\\% kept");
  EXPECT_EQ(Map1("remove_comments_mapper", text, {{"inline", false}}), "a % inline\nx\\% kept\n");
  EXPECT_EQ(Map1("remove_comments_mapper", ""), "");
  EXPECT_EQ(Map1("remove_comments_mapper", "中文%注释\n😀"), "中\n😀");
}

TEST(RemoveBibliographyMapper, CutsToEnd) {
  EXPECT_EQ(Map1("remove_bibliography_mapper", "body\n\\appendix\nA\n\\bibliography{x}"), "body\n");
  EXPECT_EQ(Map1("remove_bibliography_mapper", "no refs here"), "no refs here");
  EXPECT_EQ(Map1("remove_bibliography_mapper", ""), "");
}

TEST(RemoveHeaderMapper, DropsPreamble) {
  EXPECT_EQ(Map1("remove_header_mapper", "preamble\n\\section{Intro}\ntext\n\\section*{B}"),
            "\\section{Intro}\ntext\n\\section*{B}");
  EXPECT_EQ(Map1("remove_header_mapper", "x \\chapter[s]{Long} y"), "\\chapter[s]{Long} y");
  // DJ quirk: no header -> unchanged even with drop_no_head; \paragraph alone is not a header.
  EXPECT_EQ(Map1("remove_header_mapper", "no header"), "no header");
  EXPECT_EQ(Map1("remove_header_mapper", "a \\paragraph{p} b"), "a \\paragraph{p} b");
  EXPECT_EQ(Map1("remove_header_mapper", "a \\paragraph{p}\\subparagraph{q} b"), "\\paragraph{p}\\subparagraph{q} b");
  EXPECT_EQ(Map1("remove_header_mapper", "no header", {{"drop_no_head", false}}), "no header");
}

TEST(ExpandMacroMapper, NonArgMacros) {
  EXPECT_EQ(Map1("expand_macro_mapper", "\\newcommand{\\foo}{bar}\nuse \\foo here, \\foobar \\foo"),
            "\\newcommand{bar}{bar}\nuse bar here, \\foobar \\foo");
  EXPECT_EQ(Map1("expand_macro_mapper", "\\def\\x{1}\n\\def \\x {2}\n$\\x$"), "\\def2{1}\n\\def 2 {2}\n$2$");
  EXPECT_EQ(Map1("expand_macro_mapper", "plain 中文 😀"), "plain 中文 😀");
}

TEST(RemoveTableTextMapper, NeedsPrecedingNewline) {
  EXPECT_EQ(Map1("remove_table_text_mapper", "a b\nc d\ne f\n"), "a b\n");
  EXPECT_EQ(Map1("remove_table_text_mapper", "intro\n1 2 3\n4 5 6\nend"), "intro\nend");
  EXPECT_EQ(Map1("remove_table_text_mapper", "intro\n1|2\n单 字\n"), "intro\n");
  EXPECT_EQ(Map1("remove_table_text_mapper", "intro\n1 2\n4 5 6\nend"), "intro\n1 2\n4 5 6\nend");
  EXPECT_EQ(Map1("remove_table_text_mapper", ""), "");
  EXPECT_EQ(testing::BuildStatus("remove_table_text_mapper", {{"min_col", int64_t{1}}}).ok(), false);
}

TEST(LatexMappers, LongText) {
  std::string body;
  for (int i = 0; i < 20000; ++i) body += "word 中文 😀 \\foo{x} % c\n";
  const std::string text = "\\newcommand{\\foo}{F}\n\\section{S}\n" + body + "\\bibliography{refs}\nend";
  for (const char* op : {"remove_comments_mapper", "remove_bibliography_mapper", "expand_macro_mapper",
                         "remove_table_text_mapper", "remove_header_mapper"}) {
    SCOPED_TRACE(op);
    EXPECT_FALSE(Map1(op, text).empty());
  }
  EXPECT_EQ(Map1("remove_bibliography_mapper", text), "\\newcommand{\\foo}{F}\n\\section{S}\n" + body);
}

}  // namespace
}  // namespace juicer
