#include "ops/general/general_field_filter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

// Kept positions of `lines` (JSON rows) under `condition`.
std::vector<uint64_t> Kept(const std::string& condition, const std::vector<std::string>& lines) {
  auto op = testing::MustBuild("general_field_filter", {{"filter_condition", condition}});
  auto rows = testing::ParseJsonLines(lines);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  auto kept = testing::RunFilter(*op, *rows);
  EXPECT_TRUE(kept.ok()) << kept.status().ToString();
  return kept.ok() ? *kept : std::vector<uint64_t>{};
}

const std::vector<std::string> kNums = {R"({"text":"a","num":5,"flag":true,"__dj__meta__":{"a":1}})",
                                        R"({"text":"b","num":15,"flag":false,"__dj__meta__":{"a":2}})",
                                        R"({"text":"c","num":25,"flag":true,"__dj__meta__":{"a":3}})"};

TEST(GeneralFieldFilter, DataJuicerCases) {
  EXPECT_EQ(Kept("10 < num < 20", kNums), (std::vector<uint64_t>{1}));
  EXPECT_EQ(Kept("num < 10 and flag == True", kNums), (std::vector<uint64_t>{0}));
  EXPECT_EQ(Kept("__dj__meta__.a == 2", kNums), (std::vector<uint64_t>{1}));
  EXPECT_EQ(Kept("10 < num < 20 and __dj__meta__.a == 2", kNums), (std::vector<uint64_t>{1}));
  EXPECT_EQ(Kept("", kNums), (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_EQ(Kept("   ", kNums), (std::vector<uint64_t>{0, 1, 2}));
  // A missing field is None: the comparison is false.
  EXPECT_EQ(Kept("num <= 5", {R"({"text":"a","num":5})", R"({"text":"b"})", R"({"text":"c","num":25})"}),
            (std::vector<uint64_t>{0}));
}

TEST(GeneralFieldFilter, OrParenthesesNotAndStrings) {
  EXPECT_EQ(Kept("num < 10 or num > 20", kNums), (std::vector<uint64_t>{0, 2}));
  EXPECT_EQ(Kept("(num < 10 or num > 20) and text != 'c'", kNums), (std::vector<uint64_t>{0}));
  EXPECT_EQ(Kept("not flag", kNums), (std::vector<uint64_t>{1}));
  EXPECT_EQ(Kept("text == \"b\"", kNums), (std::vector<uint64_t>{1}));
  EXPECT_EQ(Kept("'a' < text <= 'c'", kNums), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(Kept("num > -1 and num >= 2.5e1", kNums), (std::vector<uint64_t>{2}));
  EXPECT_EQ(Kept("num == 15.0", kNums), (std::vector<uint64_t>{1}));
  EXPECT_EQ(Kept("flag == 1", kNums), (std::vector<uint64_t>{0, 2}));  // True == 1
  EXPECT_EQ(Kept("text == 5", kNums), (std::vector<uint64_t>{}));       // mixed ==: false, no error
  EXPECT_EQ(Kept("__dj__meta__.missing.deeper == 1", kNums), (std::vector<uint64_t>{}));
  EXPECT_EQ(Kept("text.attr == 1", kNums), (std::vector<uint64_t>{}));  // attribute of a str: None
}

TEST(GeneralFieldFilter, StatsAndUnicode) {
  const std::vector<std::string> rows = {
      R"({"text":"日本語","__dj__stats__":{"text_len":3}})",
      R"({"text":"😀 emoji","__dj__stats__":{"text_len":7}})",
      R"({"text":"","__dj__stats__":{"text_len":0}})",
  };
  EXPECT_EQ(Kept("__dj__stats__.text_len > 2", rows), (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(Kept("text == '日本語' or text == ''", rows), (std::vector<uint64_t>{0, 2}));
  EXPECT_EQ(Kept("text", rows), (std::vector<uint64_t>{0, 1}));  // truthiness of a bare value
  std::string long_text(1 << 20, 'x');
  EXPECT_EQ(Kept("text > 'w'", {R"({"text":")" + long_text + R"("})"}), (std::vector<uint64_t>{0}));
}

TEST(GeneralFieldFilter, WritesAndReusesStat) {
  auto op = testing::MustBuild("general_field_filter", {{"filter_condition", std::string("num > 10")}});
  auto rows = testing::ParseJsonLines(kNums);
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE(testing::RunFilter(*op, *rows).ok());
  const StatValue* v = (*rows)[1].stats().Find("general_field_filter_condition");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(std::get<bool>(v->scalar()), true);
  // A stat already there is reused, not recomputed.
  auto pre = testing::ParseJsonLines({R"({"num":1,"__dj__stats__":{"general_field_filter_condition":true}})"});
  ASSERT_TRUE(pre.ok());
  auto kept = testing::RunFilter(*op, *pre);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->size(), 1u);
}

TEST(GeneralFieldFilter, TypeErrorIsADataError) {
  auto op = testing::MustBuild("general_field_filter", {{"filter_condition", std::string("text < 5")}});
  auto rows = testing::ParseJsonLines({R"({"text":"a"})"});
  ASSERT_TRUE(rows.ok());
  auto kept = testing::RunFilter(*op, *rows);
  ASSERT_FALSE(kept.ok());
  EXPECT_NE(kept.status().message().find("'<' not supported between instances of 'str' and 'int'"),
            std::string::npos)
      << kept.status().ToString();
}

TEST(GeneralFieldFilter, SyntaxErrorsFailAtBuild) {
  for (const char* bad : {"num <", "num < 'x", "(num < 1", "num in [1]", "num is None", "len(text) > 1",
                          "num = 3", "num < 1 and", "a & b"}) {
    const Status st = testing::BuildStatus("general_field_filter", {{"filter_condition", std::string(bad)}});
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_NE(st.message().find("invalid filter_condition"), std::string::npos) << st.ToString();
  }
}

}  // namespace
}  // namespace juicer
