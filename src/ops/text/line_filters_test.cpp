#include "ops/text/line_filters.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::RunFilter;
using testing::TextSample;
using testing::TextSamples;

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterTextLineFilters>(); }

std::unique_ptr<Op> Build(std::string_view name, const GivenParams& params = {}) {
  return testing::MustBuildFrom(Registry(), name, params);
}

// Expected values from Python: len(t) / len(t.splitlines()) and max(map(len, t.splitlines())).
struct LineCase {
  std::string text;
  double avg;
  int64_t max;
  int64_t chars;
};

TEST(TextLineStats, MatchPythonSplitlines) {
  const std::vector<LineCase> cases = {
      {"a=1\nb\nc=1+2+3+5\nd=6", 4.75, 9, 19},
      {"Today is Sund Sund Sunda and it's a happy day!\nYou know", 27.5, 46, 55},
      {"emoji表情测试下😊，😸31231\n", 19.0, 18, 19},
      {"", 0.0, 0, 0},
      {"\n", 1.0, 0, 1},
      {"a\r\nb\rc\x0b" "d\x0c" "e\x1c" "f\x1d" "g\x1eh\u0085i\u2028j\u2029k", 2.0, 1, 22},
      {"a\n\nbb\n", 2.0, 2, 6},
      {"  \n\n\n", 1.6666666666666667, 2, 5},
      {"中文\r\n😊😊😊", 3.5, 3, 7},
      {"no break at all, just one long line of text here", 48.0, 48, 48},
      // \u2027 and \xc2\xa0 look like break candidates but are not breaks
      {"x\u2027y\u00a0z", 5.0, 5, 5},
  };
  for (const auto& c : cases) {
    const text::LineStats s = text::ComputeLineStats(c.text);
    EXPECT_EQ(s.chars, c.chars) << c.text;
    EXPECT_EQ(s.max_line, c.max) << c.text;
    const double avg = s.lines ? static_cast<double>(s.chars) / static_cast<double>(s.lines) : 0.0;
    EXPECT_EQ(avg, c.avg) << c.text;
  }
}

TEST(TextLineStats, LongAndInvalidText) {
  std::string t;
  for (int i = 0; i < 10000; ++i) t += std::string(static_cast<size_t>(i % 97), 'x') + "中\n";
  const text::LineStats s = text::ComputeLineStats(t);
  EXPECT_EQ(s.lines, 10000);
  EXPECT_EQ(s.max_line, 97);
  const text::LineStats bad = text::ComputeLineStats("abc\xE4\xB8");  // truncated UTF-8: no crash
  EXPECT_EQ(bad.lines, 1);
  const text::LineStats cut = text::ComputeLineStats("ab\xE2\x80");  // truncated U+2028 candidate
  EXPECT_EQ(cut.lines, 1);
}

const std::vector<std::string> kDjTexts = {
    "a=1\nb\nc=1+2+3+5\nd=6",
    "Today is Sund Sund Sunda and it's a happy day!\nYou know",
    "a v s e e f g a qkc",
    "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►",
    "Do you need a cup of coffee?",
    "emoji表情测试下😊，😸31231\n",
};

// conformance: average_line_length_filter/test_case_default and /test_case_context
TEST(AverageLineLengthFilter, DataJuicerCases) {
  for (int64_t batch : {3, 2}) {
    auto op = Build("average_line_length_filter",
                    {{"min_len", int64_t{10}}, {"max_len", int64_t{20}}, {"batch_size", batch}});
    ASSERT_TRUE(op);
    auto samples = TextSamples(kDjTexts);
    auto kept = RunFilter(*op, samples);
    ASSERT_TRUE(kept.ok()) << kept.status().ToString();
    EXPECT_EQ(*kept, (std::vector<uint64_t>{2, 5}));
    EXPECT_EQ(std::get<double>(samples[0].stats().Find("avg_line_length")->scalar()), 4.75);
  }
}

// conformance: maximum_line_length_filter/test_case_context
TEST(MaximumLineLengthFilter, DataJuicerCase) {
  auto op = Build("maximum_line_length_filter",
                  {{"min_len", int64_t{10}}, {"max_len", int64_t{20}}, {"batch_size", int64_t{2}}});
  ASSERT_TRUE(op);
  std::vector<std::string> texts = kDjTexts;
  texts[1] = "Today is Sund Sund Sund Sunda and it's a happy day!\nYou know";
  auto samples = TextSamples(texts);
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{2, 5}));
  EXPECT_EQ(std::get<int64_t>(samples[0].stats().Find("max_line_length")->scalar()), 9);  // an int, like DJ
}

TEST(LineFilters, DefaultsAndEdgeTexts) {
  for (const char* name : {"average_line_length_filter", "maximum_line_length_filter"}) {
    SCOPED_TRACE(name);
    auto op = Build(name);
    ASSERT_TRUE(op);
    EXPECT_EQ(op->params().GetInt("min_len"), 10);
    EXPECT_EQ(op->params().GetInt("max_len"), std::numeric_limits<int64_t>::max());
    auto samples = TextSamples({"", "short", "0123456789", std::string(1 << 20, 'a'), "中文也是一个字算一个长度",
                                "emoji 😊👍🏽🇫🇷👨‍👩‍👧 and ZWJ", "abc\xE4\xB8"});
    auto kept = RunFilter(*op, samples);
    ASSERT_TRUE(kept.ok()) << kept.status().ToString();
    EXPECT_EQ(*kept, (std::vector<uint64_t>{2, 3, 4, 5}));
  }
}

TEST(LineFilters, ExistingStatIsReusedAndErrorsPropagate) {
  for (const char* name : {"average_line_length_filter", "maximum_line_length_filter"}) {
    auto op = Build(name);
    const std::string key = op->info().stat_keys.at(0);
    std::vector<Sample> samples;
    samples.push_back(TextSample(std::string(100, 'a')));
    samples[0].stats().Set(key, StatValue(int64_t{3}));
    EXPECT_EQ(*RunFilter(*op, samples), (std::vector<uint64_t>{}));
    EXPECT_EQ(std::get<int64_t>(samples[0].stats().Find(key)->scalar()), 3);

    samples.clear();
    samples.push_back(TextSample("0123456789ab", "content"));  // no "text" field
    auto r = RunFilter(*op, samples);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  }
}

}  // namespace
}  // namespace juicer
