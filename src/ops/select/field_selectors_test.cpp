#include "ops/select/field_selectors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::MustBuildFrom;
using testing::ParseJsonLines;
using testing::RunDatasetOp;

const OpRegistry& Registry() {
  static const OpRegistry* registry = [] {
    auto* r = new OpRegistry();
    const Status s = RegisterFieldSelectors(*r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  }();
  return *registry;
}

struct SelectorCase {
  std::string id;
  GivenParams params;
  std::vector<std::string> input;      // JSON lines
  std::vector<std::string> expected;   // texts of the kept samples
  bool exact_order;
};

// The public conformance cases (../shared/conformance/cases/*_selector.json), verbatim.
const std::vector<SelectorCase>& ConformanceCases() {
  static const std::vector<SelectorCase> cases = {
  {R"JX(topk_specified_field_selector/test_topk_select)JX", {{"field_key", std::string(R"JX(meta.key1.key2.count)JX")}, {"top_ratio", 0.5}, {"topk", int64_t{4}}, {"reverse", true}},
     {R"JX({"text": "Today is Sun", "count": 101, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 5}}})JX",
      R"JX({"text": "a v s e c s f e f g a a a  ", "count": 16, "meta": {"suffix": ".docx", "key1": {"key2": {"count": 243}, "count": 63}}})JX",
      R"JX({"text": "中文也是一个字算一个长度", "count": 162, "meta": {"suffix": ".txt", "key1": {"key2": {"count": null}, "count": 23}}})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！", "count": null, "meta": {"suffix": ".html", "key1": {"key2": {"count": 18}, "count": 48}}})JX",
      R"JX({"text": "他的英文名字叫Harry Potter", "count": 88, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 551}, "count": 78}}})JX",
      R"JX({"text": "这是一个测试", "count": null, "meta": {"suffix": ".py", "key1": {"key2": {"count": 89}, "count": 3}}})JX",
      R"JX({"text": "我出生于2023年12月15日", "count": null, "meta": {"suffix": ".java", "key1": {"key2": {"count": 354.32}, "count": 67}}})JX",
      R"JX({"text": "emoji表情测试下😊，😸31231\n", "count": 2, "meta": {"suffix": ".html", "key1": {"key2": {"count": 354.32}, "count": 32}}})JX",
      R"JX({"text": "a=1\nb\nc=1+2+3+5\nd=6", "count": 178, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 33}, "count": 33}}})JX",
      R"JX({"text": "使用片段分词器对每个页面进行分词，使用语言", "count": 666, "meta": {"suffix": ".xml", "key1": {"key2": {"count": 18}, "count": 48}}})JX"},
     {R"JX(他的英文名字叫Harry Potter)JX",
      R"JX(我出生于2023年12月15日)JX",
      R"JX(emoji表情测试下😊，😸31231
)JX",
      R"JX(a v s e c s f e f g a a a  )JX"}, true},
  {R"JX(topk_specified_field_selector/test_reverse_select)JX", {{"field_key", std::string(R"JX(meta.key1.key2.count)JX")}, {"top_ratio", 0.5}, {"topk", int64_t{3}}, {"reverse", false}},
     {R"JX({"text": "Today is Sun", "count": 101, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 5}}})JX",
      R"JX({"text": "a v s e c s f e f g a a a  ", "count": 16, "meta": {"suffix": ".docx", "key1": {"key2": {"count": 243}, "count": 63}}})JX",
      R"JX({"text": "中文也是一个字算一个长度", "count": 162, "meta": {"suffix": ".txt", "key1": {"key2": {"count": null}, "count": 23}}})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！", "count": null, "meta": {"suffix": ".html", "key1": {"key2": {"count": 18}, "count": 48}}})JX",
      R"JX({"text": "他的英文名字叫Harry Potter", "count": 88, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 551}, "count": 78}}})JX",
      R"JX({"text": "这是一个测试", "count": null, "meta": {"suffix": ".py", "key1": {"key2": {"count": 89}, "count": 3}}})JX",
      R"JX({"text": "我出生于2023年12月15日", "count": null, "meta": {"suffix": ".java", "key1": {"key2": {"count": 354.32}, "count": 67}}})JX",
      R"JX({"text": "emoji表情测试下😊，😸31231\n", "count": 2, "meta": {"suffix": ".html", "key1": {"key2": {"count": 354.32}, "count": 32}}})JX",
      R"JX({"text": "a=1\nb\nc=1+2+3+5\nd=6", "count": 178, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 33}, "count": 33}}})JX",
      R"JX({"text": "使用片段分词器对每个页面进行分词，使用语言", "count": 666, "meta": {"suffix": ".xml", "key1": {"key2": {"count": 2}, "count": 48}}})JX"},
     {R"JX(使用片段分词器对每个页面进行分词，使用语言)JX",
      R"JX(，。、„”“«»１」「《》´∶：？！)JX",
      R"JX(a=1
b
c=1+2+3+5
d=6)JX"}, true},
  {R"JX(topk_specified_field_selector/test_str_select)JX", {{"field_key", std::string(R"JX(meta.key1.key2.count)JX")}, {"top_ratio", 0.5}, {"topk", int64_t{3}}, {"reverse", false}},
     {R"JX({"text": "Today is Sun", "count": 101, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": "34"}, "count": 5}}})JX",
      R"JX({"text": "a v s e c s f e f g a a a  ", "count": 16, "meta": {"suffix": ".docx", "key1": {"key2": {"count": "243"}, "count": 63}}})JX",
      R"JX({"text": "中文也是一个字算一个长度", "count": 162, "meta": {"suffix": ".txt", "key1": {"key2": {"count": ""}, "count": 23}}})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！", "count": null, "meta": {"suffix": ".html", "key1": {"key2": {"count": null}, "count": 48}}})JX",
      R"JX({"text": "他的英文名字叫Harry Potter", "count": 88, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": "551"}, "count": 78}}})JX",
      R"JX({"text": "这是一个测试", "count": null, "meta": {"suffix": ".py", "key1": {"key2": {"count": "89"}, "count": 3}}})JX",
      R"JX({"text": "我出生于2023年12月15日", "count": null, "meta": {"suffix": ".java", "key1": {"key2": {"count": "354.32"}, "count": 67}}})JX",
      R"JX({"text": "emoji表情测试下😊，😸31231\n", "count": 2, "meta": {"suffix": ".html", "key1": {"key2": {"count": "354.32"}, "count": 32}}})JX",
      R"JX({"text": "a=1\nb\nc=1+2+3+5\nd=6", "count": 178, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": "33"}, "count": 33}}})JX",
      R"JX({"text": "使用片段分词器对每个页面进行分词，使用语言", "count": 666, "meta": {"suffix": ".xml", "key1": {"key2": {"count": "2"}, "count": 48}}})JX"},
     {R"JX(使用片段分词器对每个页面进行分词，使用语言)JX",
      R"JX(a=1
b
c=1+2+3+5
d=6)JX",
      R"JX(Today is Sun)JX"}, true},
  {R"JX(frequency_specified_field_selector/test_topk_select)JX", {{"field_key", std::string(R"JX(meta.key1.key2.count)JX")}, {"top_ratio", 0.4}, {"topk", int64_t{2}}, {"reverse", true}},
     {R"JX({"text": "Today is Sun", "count": 101, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 5}}})JX",
      R"JX({"text": "a v s e c s f e f g a a a  ", "count": 16, "meta": {"suffix": ".docx", "key1": {"key2": {"count": 243}, "count": 63}}})JX",
      R"JX({"text": "中文也是一个字算一个长度", "count": 162, "meta": {"suffix": ".txt", "key1": {"key2": {"count": null}, "count": 23}}})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！", "count": null, "meta": {"suffix": ".html", "key1": {"key2": {"count": 34}, "count": 48}}})JX",
      R"JX({"text": "他的英文名字叫Harry Potter", "count": 88, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 551}, "count": 78}}})JX",
      R"JX({"text": "这是一个测试", "count": null, "meta": {"suffix": ".py", "key1": {"key2": {"count": 89}, "count": 3}}})JX",
      R"JX({"text": "我出生于2023年12月15日", "count": null, "meta": {"suffix": ".java", "key1": {"key2": {"count": 354.32}, "count": 67}}})JX",
      R"JX({"text": "emoji表情测试下😊，😸31231\n", "count": 2, "meta": {"suffix": ".html", "key1": {"key2": {"count": 354.32}, "count": 32}}})JX",
      R"JX({"text": "a=1\nb\nc=1+2+3+5\nd=6", "count": 178, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 33}}})JX",
      R"JX({"text": "使用片段分词器对每个页面进行分词，使用语言", "count": 666, "meta": {"suffix": ".xml", "key1": {"key2": {"count": 18}, "count": 48}}})JX"},
     {R"JX(Today is Sun)JX",
      R"JX(，。、„”“«»１」「《》´∶：？！)JX",
      R"JX(a=1
b
c=1+2+3+5
d=6)JX",
      R"JX(我出生于2023年12月15日)JX",
      R"JX(emoji表情测试下😊，😸31231
)JX"}, true},
  {R"JX(frequency_specified_field_selector/test_reverse_select)JX", {{"field_key", std::string(R"JX(meta.key1.key2.count)JX")}, {"top_ratio", 0.4}, {"topk", int64_t{2}}, {"reverse", false}},
     {R"JX({"text": "Today is Sun", "count": 101, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 5}}})JX",
      R"JX({"text": "a v s e c s f e f g a a a  ", "count": 16, "meta": {"suffix": ".docx", "key1": {"key2": {"count": 243}, "count": 63}}})JX",
      R"JX({"text": "中文也是一个字算一个长度", "count": 162, "meta": {"suffix": ".txt", "key1": {"key2": {"count": null}, "count": 23}}})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！", "count": null, "meta": {"suffix": ".html", "key1": {"key2": {"count": 34}, "count": 48}}})JX",
      R"JX({"text": "他的英文名字叫Harry Potter", "count": 88, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 551}, "count": 78}}})JX",
      R"JX({"text": "这是一个测试", "count": null, "meta": {"suffix": ".py", "key1": {"key2": {"count": 89}, "count": 3}}})JX",
      R"JX({"text": "我出生于2023年12月15日", "count": null, "meta": {"suffix": ".java", "key1": {"key2": {"count": 354.32}, "count": 67}}})JX",
      R"JX({"text": "emoji表情测试下😊，😸31231\n", "count": 2, "meta": {"suffix": ".html", "key1": {"key2": {"count": 354.32}, "count": 32}}})JX",
      R"JX({"text": "a=1\nb\nc=1+2+3+5\nd=6", "count": 178, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 33}}})JX",
      R"JX({"text": "使用片段分词器对每个页面进行分词，使用语言", "count": 666, "meta": {"suffix": ".xml", "key1": {"key2": {"count": 18}, "count": 48}}})JX"},
     {R"JX(a v s e c s f e f g a a a  )JX",
      R"JX(中文也是一个字算一个长度)JX"}, true},
  {R"JX(range_specified_field_selector/test_percentile_select)JX", {{"field_key", std::string(R"JX(meta.key1.count)JX")}, {"lower_percentile", 0.78}, {"upper_percentile", 0.9}, {"lower_rank", int64_t{5}}, {"upper_rank", int64_t{10}}},
     {R"JX({"text": "Today is Sun", "count": 101, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 5}}})JX",
      R"JX({"text": "a v s e c s f e f g a a a  ", "count": 16, "meta": {"suffix": ".docx", "key1": {"key2": {"count": 243}, "count": 63}}})JX",
      R"JX({"text": "中文也是一个字算一个长度", "count": 162, "meta": {"suffix": ".txt", "key1": {"key2": {"count": null}, "count": 23}}})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！", "count": null, "meta": {"suffix": ".html", "key1": {"key2": {"count": 18}, "count": 48}}})JX",
      R"JX({"text": "他的英文名字叫Harry Potter", "count": 88, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 551}, "count": 78}}})JX",
      R"JX({"text": "这是一个测试", "count": null, "meta": {"suffix": ".py", "key1": {"key2": {"count": 89}, "count": 3}}})JX",
      R"JX({"text": "我出生于2023年12月15日", "count": null, "meta": {"suffix": ".java", "key1": {"key2": {"count": 354.32}, "count": 67}}})JX",
      R"JX({"text": "emoji表情测试下😊，😸31231\n", "count": 2, "meta": {"suffix": ".html", "key1": {"key2": {"count": 354.32}, "count": 32}}})JX",
      R"JX({"text": "a=1\nb\nc=1+2+3+5\nd=6", "count": 178, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 33}, "count": 33}}})JX",
      R"JX({"text": "使用片段分词器对每个页面进行分词，使用语言", "count": 666, "meta": {"suffix": ".xml", "key1": {"key2": {"count": 18}, "count": 48}}})JX"},
     {R"JX(a v s e c s f e f g a a a  )JX",
      R"JX(我出生于2023年12月15日)JX"}, false},
  {R"JX(range_specified_field_selector/test_percentile_rank_select)JX", {{"field_key", std::string(R"JX(meta.key1.key2.count)JX")}, {"lower_percentile", 0.7}, {"upper_percentile", 1.0}, {"lower_rank", int64_t{3}}, {"upper_rank", int64_t{9}}},
     {R"JX({"text": "Today is Sun", "count": 101, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 5}}})JX",
      R"JX({"text": "a v s e c s f e f g a a a  ", "count": 16, "meta": {"suffix": ".docx", "key1": {"key2": {"count": 243}, "count": 63}}})JX",
      R"JX({"text": "中文也是一个字算一个长度", "count": 162, "meta": {"suffix": ".txt", "key1": {"key2": {"count": null}, "count": 23}}})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！", "count": null, "meta": {"suffix": ".html", "key1": {"key2": {"count": 18}, "count": 48}}})JX",
      R"JX({"text": "他的英文名字叫Harry Potter", "count": 88, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 551}, "count": 78}}})JX",
      R"JX({"text": "这是一个测试", "count": null, "meta": {"suffix": ".py", "key1": {"key2": {"count": 89}, "count": 3}}})JX",
      R"JX({"text": "我出生于2023年12月15日", "count": null, "meta": {"suffix": ".java", "key1": {"key2": {"count": 354.32}, "count": 67}}})JX",
      R"JX({"text": "emoji表情测试下😊，😸31231\n", "count": 2, "meta": {"suffix": ".html", "key1": {"key2": {"count": 354.32}, "count": 32}}})JX",
      R"JX({"text": "a=1\nb\nc=1+2+3+5\nd=6", "count": 178, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": 33}, "count": 33}}})JX",
      R"JX({"text": "使用片段分词器对每个页面进行分词，使用语言", "count": 666, "meta": {"suffix": ".xml", "key1": {"key2": {"count": 2}, "count": 48}}})JX"},
     {R"JX(我出生于2023年12月15日)JX",
      R"JX(emoji表情测试下😊，😸31231
)JX"}, false},
  {R"JX(range_specified_field_selector/test_list_select)JX", {{"field_key", std::string(R"JX(meta.key1.key2.count)JX")}, {"lower_percentile", 0.0}, {"upper_percentile", 0.5}, {"lower_rank", int64_t{2}}, {"upper_rank", int64_t{4}}},
     {R"JX({"text": "Today is Sun", "count": 101, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": [34.0]}, "count": 5}}})JX",
      R"JX({"text": "a v s e c s f e f g a a a  ", "count": 16, "meta": {"suffix": ".docx", "key1": {"key2": {"count": [243.0]}, "count": 63}}})JX",
      R"JX({"text": "中文也是一个字算一个长度", "count": 162, "meta": {"suffix": ".txt", "key1": {"key2": {"count": []}, "count": 23}}})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！", "count": null, "meta": {"suffix": ".html", "key1": {"key2": {"count": null}, "count": 48}}})JX",
      R"JX({"text": "他的英文名字叫Harry Potter", "count": 88, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": [551.0]}, "count": 78}}})JX",
      R"JX({"text": "这是一个测试", "count": null, "meta": {"suffix": ".py", "key1": {"key2": {"count": [89.0]}, "count": 3}}})JX",
      R"JX({"text": "我出生于2023年12月15日", "count": null, "meta": {"suffix": ".java", "key1": {"key2": {"count": [354.32]}, "count": 67}}})JX",
      R"JX({"text": "emoji表情测试下😊，😸31231\n", "count": 2, "meta": {"suffix": ".html", "key1": {"key2": {"count": [354.32]}, "count": 32}}})JX",
      R"JX({"text": "a=1\nb\nc=1+2+3+5\nd=6", "count": 178, "meta": {"suffix": ".pdf", "key1": {"key2": {"count": [33.0, 33.0]}, "count": 33}}})JX",
      R"JX({"text": "使用片段分词器对每个页面进行分词，使用语言", "count": 666, "meta": {"suffix": ".xml", "key1": {"key2": {"count": [2.0, 2.0]}, "count": 48}}})JX"},
     {R"JX(a=1
b
c=1+2+3+5
d=6)JX",
      R"JX(使用片段分词器对每个页面进行分词，使用语言)JX"}, false},
  {R"JX(tags_specified_field_selector/test_tag_select)JX", {{"field_key", std::string(R"JX(meta.sentiment)JX")}, {"target_tags", std::vector<std::string>{R"JX(happy)JX", R"JX(sad)JX"}}},
     {R"JX({"text": "a", "meta": {"sentiment": "happy"}})JX",
      R"JX({"text": "b", "meta": {"sentiment": "happy"}})JX",
      R"JX({"text": "c", "meta": {"sentiment": "sad"}})JX",
      R"JX({"text": "d", "meta": {"sentiment": "angry"}})JX"},
     {R"JX(a)JX",
      R"JX(b)JX",
      R"JX(c)JX"}, true},
  };
  return cases;
}

std::vector<std::string> Texts(const std::vector<Sample>& samples, const std::vector<uint64_t>& positions) {
  std::vector<std::string> out;
  for (uint64_t p : positions) out.emplace_back(*samples[p].GetText("text"));
  return out;
}

Result<std::vector<std::string>> Select(const std::string& op_name, const GivenParams& params,
                                        const std::vector<std::string>& lines) {
  auto op = MustBuildFrom(Registry(), op_name, params);
  if (!op) return Status::Internal("build failed");
  JUICER_ASSIGN_OR_RETURN(auto samples, ParseJsonLines(lines));
  JUICER_ASSIGN_OR_RETURN(Selection sel, RunDatasetOp(*op, samples));
  return Texts(samples, sel.positions);
}

TEST(FieldSelectors, ConformanceCases) {
  ASSERT_EQ(ConformanceCases().size(), 9u);  // 3 topk, 2 frequency, 3 range, 1 tags
  for (const SelectorCase& c : ConformanceCases()) {
    SCOPED_TRACE(c.id);
    const std::string op_name = c.id.substr(0, c.id.find('/'));
    auto got = Select(op_name, c.params, c.input);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    std::vector<std::string> want = c.expected;
    if (!c.exact_order) {
      std::sort(got->begin(), got->end());
      std::sort(want.begin(), want.end());
    }
    EXPECT_EQ(*got, want);
  }
}

std::vector<std::string> Lines(const std::vector<std::pair<std::string, std::string>>& text_and_value,
                               const std::string& key = "v") {
  std::vector<std::string> out;
  for (const auto& [t, v] : text_and_value) out.push_back(R"({"text":")" + t + R"(","meta":{")" + key + "\":" + v + "}}");
  return out;
}

TEST(StatsToNumber, FollowsDataJuicer) {
  using selection::StatsToNumber;
  EXPECT_EQ(StatsToNumber("3", true), 3.0);
  EXPECT_EQ(StatsToNumber("2.5", false), 2.5);
  EXPECT_EQ(StatsToNumber(R"(" 1_000.5 ")", true), 1000.5);
  EXPECT_EQ(StatsToNumber("[1, 2, [3, 6]]", true), 3.0);
  EXPECT_EQ(StatsToNumber("true", true), 1.0);
  const double big = 9223372036854775807.0;
  for (const char* bad : {"null", "[]", R"("abc")", R"("0x10")", R"({"a":1})", R"(["1"])", R"([1,null])"}) {
    EXPECT_EQ(StatsToNumber(bad, true), -big) << bad;
    EXPECT_EQ(StatsToNumber(bad, false), big) << bad;
  }
}

TEST(TopkSelector, OrderTiesAndCounts) {
  const auto lines = Lines({{"a", "1"}, {"b", "3"}, {"c", "3"}, {"d", "null"}, {"e", "\"2\""}});
  // Descending, ties in input order; null ranks last.
  EXPECT_EQ(*Select("topk_specified_field_selector", {{"field_key", std::string("meta.v")}, {"topk", int64_t{5}}}, lines),
            (std::vector<std::string>{"b", "c", "e", "a", "d"}));
  EXPECT_EQ(*Select("topk_specified_field_selector",
                    {{"field_key", std::string("meta.v")}, {"topk", int64_t{3}}, {"reverse", false}}, lines),
            (std::vector<std::string>{"a", "e", "b"}));
  // int(0.5 * 5) = 2.
  EXPECT_EQ(*Select("topk_specified_field_selector", {{"field_key", std::string("meta.v")}, {"top_ratio", 0.5}}, lines),
            (std::vector<std::string>{"b", "c"}));
  // No count, empty field_key, or a single sample: everything, in input order.
  EXPECT_EQ(Select("topk_specified_field_selector", {{"field_key", std::string("meta.v")}}, lines)->size(), 5u);
  EXPECT_EQ(Select("topk_specified_field_selector", {{"topk", int64_t{1}}}, lines)->size(), 5u);
  EXPECT_EQ(*Select("topk_specified_field_selector", {{"field_key", std::string("meta.nope")}, {"topk", int64_t{1}}},
                    {lines[0]}),
            (std::vector<std::string>{"a"}));
}

TEST(TopkSelector, ReadsStatsAndReportsMissingKeys) {
  const std::vector<std::string> lines = {R"({"text":"x","__dj__stats__":{"len":5}})",
                                          R"({"text":"y","__dj__stats__":{"len":9}})",
                                          R"({"text":"z","__dj__stats__":{"len":[1,2]}})"};
  EXPECT_EQ(*Select("topk_specified_field_selector",
                    {{"field_key", std::string("__dj__stats__.len")}, {"topk", int64_t{2}}}, lines),
            (std::vector<std::string>{"y", "x"}));
  auto missing = Select("topk_specified_field_selector",
                        {{"field_key", std::string("meta.v")}, {"topk", int64_t{1}}}, lines);
  EXPECT_EQ(missing.status().code(), StatusCode::kDataError);
  auto not_object = Select("topk_specified_field_selector", {{"field_key", std::string("text.v")}, {"topk", int64_t{1}}},
                           lines);
  EXPECT_EQ(not_object.status().code(), StatusCode::kDataError);
}

TEST(FrequencySelector, GroupsLikeAPythonDict) {
  const auto lines = Lines({{"a", "1"}, {"b", "\"x\""}, {"c", "1.0"}, {"d", "null"}, {"e", "\"x\""}, {"f", "true"},
                            {"g", "null"}});
  // Groups: 1 -> a,c,f (1 == 1.0 == True), "x" -> b,e, null -> d,g.
  EXPECT_EQ(*Select("frequency_specified_field_selector", {{"field_key", std::string("meta.v")}, {"topk", int64_t{2}}},
                    lines),
            (std::vector<std::string>{"a", "c", "f", "b", "e"}));
  EXPECT_EQ(*Select("frequency_specified_field_selector",
                    {{"field_key", std::string("meta.v")}, {"topk", int64_t{2}}, {"reverse", false}}, lines),
            (std::vector<std::string>{"b", "e", "d", "g"}));
  // int(0.5 * 3 distinct values) = 1 group.
  EXPECT_EQ(*Select("frequency_specified_field_selector", {{"field_key", std::string("meta.v")}, {"top_ratio", 0.5}},
                    lines),
            (std::vector<std::string>{"a", "c", "f"}));
  auto bad = Select("frequency_specified_field_selector", {{"field_key", std::string("meta.v")}, {"topk", int64_t{1}}},
                    Lines({{"a", "[1]"}, {"b", "2"}}));
  EXPECT_EQ(bad.status().code(), StatusCode::kDataError);
}

TEST(RangeSelector, BoundsAndOrder) {
  const auto lines = Lines({{"a", "5"}, {"b", "1"}, {"c", "4"}, {"d", "2"}, {"e", "3"}, {"f", "null"}});
  // Ascending: f(null=-max) b d e c a; ranks [2, 4) -> d, e; output largest first.
  EXPECT_EQ(*Select("range_specified_field_selector",
                    {{"field_key", std::string("meta.v")}, {"lower_rank", int64_t{2}}, {"upper_rank", int64_t{4}}}, lines),
            (std::vector<std::string>{"e", "d"}));
  // lower = max(int(0.5*6)=3, 1) = 3, upper = min(6, 10) = 6 -> e c a, largest first.
  EXPECT_EQ(*Select("range_specified_field_selector",
                    {{"field_key", std::string("meta.v")}, {"lower_percentile", 0.5}, {"lower_rank", int64_t{1}},
                     {"upper_percentile", 1.0}, {"upper_rank", int64_t{10}}},
                    lines),
            (std::vector<std::string>{"a", "c", "e"}));
  // upper < lower -> upper = lower -> nothing.
  EXPECT_TRUE(Select("range_specified_field_selector",
                     {{"field_key", std::string("meta.v")}, {"lower_rank", int64_t{4}}, {"upper_rank", int64_t{2}}}, lines)
                  ->empty());
  // A missing bound side keeps everything.
  EXPECT_EQ(Select("range_specified_field_selector", {{"field_key", std::string("meta.v")}, {"lower_rank", int64_t{2}}},
                   lines)
                ->size(),
            6u);
}

TEST(TagsSelector, MatchesStringsOnly) {
  const auto lines = Lines({{"a", "\"happy\""}, {"b", "1"}, {"c", "null"}, {"d", "\"Happy\""}, {"e", "\"1\""}});
  EXPECT_EQ(*Select("tags_specified_field_selector",
                    {{"field_key", std::string("meta.v")},
                     {"target_tags", std::vector<std::string>{"happy", "1"}}},
                    lines),
            (std::vector<std::string>{"a", "e"}));
  EXPECT_TRUE(Select("tags_specified_field_selector", {{"field_key", std::string("meta.v")}}, lines)->empty());
  auto bad = Select("tags_specified_field_selector",
                    {{"field_key", std::string("meta")}, {"target_tags", std::vector<std::string>{"x"}}}, lines);
  EXPECT_EQ(bad.status().code(), StatusCode::kDataError);
}

TEST(FieldSelectors, ParamValidation) {
  for (const char* name : {"topk_specified_field_selector", "frequency_specified_field_selector"}) {
    auto info = Registry().Find(name);
    ASSERT_TRUE(info.ok());
    EXPECT_FALSE(BuildOp(**info, {{"top_ratio", 1.5}}).ok());
    EXPECT_FALSE(BuildOp(**info, {{"topk", int64_t{0}}}).ok());
    EXPECT_TRUE(BuildOp(**info, {}).ok());
  }
  auto range = Registry().Find("range_specified_field_selector");
  ASSERT_TRUE(range.ok());
  EXPECT_FALSE(BuildOp(**range, {{"lower_percentile", -0.1}}).ok());
  EXPECT_FALSE(BuildOp(**range, {{"upper_rank", int64_t{0}}}).ok());
}

}  // namespace
}  // namespace juicer
