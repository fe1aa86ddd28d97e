#include "ops/text/normalize_mappers.h"

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

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterNormalizeMappers>(); }

const std::vector<MapperCase>& ConformanceCases() {
  static const std::vector<MapperCase> cases = {
#include "ops/text/normalize_mappers_cases.inc"
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

TEST(NormalizeMappers, ConformanceCases) {
  ASSERT_EQ(ConformanceCases().size(), 5u);  // remove_non_chinese_character_mapper
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

TEST(RemoveNonChineseCharacterMapper, Defaults) {
  EXPECT_EQ(Map1("remove_non_chinese_character_mapper", "中文abc 123，😀\n!?"), "中文abc 123，!");
  EXPECT_EQ(Map1("remove_non_chinese_character_mapper", ""), "");
}

TEST(WhitespaceNormalizationMapper, StripsAndNormalizes) {
  // From Data-Juicer's test: various whitespace becomes ' ', the text is stripped.
  EXPECT_EQ(Map1("whitespace_normalization_mapper", "x \t\u00a0\u2000\u2001\u200b\u3000y\n"), "x       y");
  EXPECT_EQ(Map1("whitespace_normalization_mapper", "\n a\nb \u3000"), "a\nb");
  EXPECT_EQ(Map1("whitespace_normalization_mapper", "中文\u2060😀"), "中文 😀");
  EXPECT_EQ(Map1("whitespace_normalization_mapper", "   "), "");
  EXPECT_EQ(Map1("whitespace_normalization_mapper", ""), "");
}

TEST(PunctuationNormalizationMapper, Table) {
  EXPECT_EQ(Map1("punctuation_normalization_mapper", "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►"),
            ",.,\"\"\"\"\"\"\"\"\"\"'::?!();- - . ~'...-<>[]%-");
  EXPECT_EQ(Map1("punctuation_normalization_mapper", "plain 😀 text"), "plain 😀 text");
}

TEST(RemoveSpecificCharsMapper, StringAndList) {
  EXPECT_EQ(Map1("remove_specific_chars_mapper", "◆a●b|c□😀"), "abc😀");
  EXPECT_EQ(Map1("remove_specific_chars_mapper", "abc|d", {{"chars_to_remove", std::string("ab")}}), "cd");
  EXPECT_EQ(Map1("remove_specific_chars_mapper", "abc|d", {{"chars_to_remove", std::string("a")}}), "bc|d");
  EXPECT_EQ(Map1("remove_specific_chars_mapper", "abc|d",
                 {{"chars_to_remove", std::vector<std::string>{"ab"}}}),
            "c|d");
  EXPECT_EQ(Map1("remove_specific_chars_mapper", "abc|d", {{"chars_to_remove", std::string()}}), "abc|d");
  EXPECT_EQ(Map1("remove_specific_chars_mapper", "abc", {{"chars_to_remove", std::monostate{}}}), "abc");
  EXPECT_FALSE(testing::BuildStatus("remove_specific_chars_mapper", {{"chars_to_remove", int64_t{3}}}).ok());
}

TEST(NormalizeMappers, LongText) {
  std::string text, expected;
  for (int i = 0; i < 50000; ++i) {
    text += "a\u3000中，😀◆\t";
    expected += "a 中,😀◆ ";
  }
  EXPECT_EQ(Map1("punctuation_normalization_mapper", Map1("whitespace_normalization_mapper", text)),
            expected.substr(0, expected.size() - 1));
  EXPECT_EQ(Map1("remove_specific_chars_mapper", text).size(), text.size() - 50000 * 3);
  EXPECT_EQ(Map1("remove_non_chinese_character_mapper", text).size(), 50000u * 7);  // a 中 ，
}

}  // namespace
}  // namespace juicer
