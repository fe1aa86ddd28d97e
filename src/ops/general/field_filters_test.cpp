#include "ops/general/field_filters.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ops/general/py_float.h"
#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::RunFilter;
using testing::StringField;

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterFieldFilters>(); }

std::unique_ptr<Op> Build(std::string_view name, const GivenParams& params = {}) {
  return testing::MustBuildFrom(Registry(), name, params);
}

Status BuildStatus(std::string_view name, const GivenParams& params) {
  auto info = Registry().Find(name);
  if (!info.ok()) return info.status();
  auto op = BuildOp(**info, params);
  return op.ok() ? Status::OK() : op.status();
}

// A sample from {key, raw JSON} pairs (strings given as JSON literals).
Sample Row(const std::vector<std::pair<std::string, std::string>>& raw_fields) {
  Sample s;
  for (const auto& [k, raw] : raw_fields) {
    Sample::Field f;
    f.key = k;
    f.raw = raw;
    const char c = raw.empty() ? 'n' : raw[0];
    f.type = c == '{' ? JsonType::kObject
           : c == '[' ? JsonType::kArray
           : c == '"' ? JsonType::kString
           : c == 'n' ? JsonType::kNull
           : (c == 't' || c == 'f') ? JsonType::kBool
                                    : JsonType::kNumber;
    if (f.type == JsonType::kString) {
      f = StringField(k, raw.substr(1, raw.size() - 2));  // test strings need no unescaping
    }
    s.AddField(std::move(f));
  }
  return s;
}

std::vector<Sample> Rows(const std::vector<std::vector<std::pair<std::string, std::string>>>& rows) {
  std::vector<Sample> out;
  for (const auto& r : rows) out.push_back(Row(r));
  return out;
}

Result<std::vector<uint64_t>> RunOp(std::string_view op_name, const GivenParams& params, std::vector<Sample>& rows) {
  auto op = Build(op_name, params);
  if (!op) return Status::Internal("build failed");
  return RunFilter(*op, rows);
}

// ---- suffix_filter ----

std::vector<Sample> SuffixRows() {
  return Rows({{{"text", "\"Today is Sun\""}, {"__dj__suffix__", "\".pdf\""}},
               {{"text", "\"a v s e c s f e f g a a a  \""}, {"__dj__suffix__", "\".docx\""}},
               {{"text", "\"中文也是一个字算一个长度\""}, {"__dj__suffix__", "\".txt\""}},
               {{"text", "\"，。、„”“«»１」「《》´∶：？！\""}, {"__dj__suffix__", "\".html\""}},
               {{"text", "\"dasdasdasdasdasdasdasd\""}, {"__dj__suffix__", "\".py\""}}});
}

// conformance: suffix_filter/test_case and suffix_filter/test_none_case
TEST(SuffixFilter, DataJuicerCases) {
  auto rows = SuffixRows();
  auto kept = RunOp("suffix_filter", {{"suffixes", std::vector<std::string>{".txt", ".pdf"}}}, rows);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 2}));
  EXPECT_TRUE(rows[0].stats().empty());  // a non-stats filter
  rows = SuffixRows();
  kept = RunOp("suffix_filter", {}, rows);
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 2, 3, 4}));
}

TEST(SuffixFilter, OneStringReversedAndMissing) {
  auto rows = SuffixRows();
  rows.push_back(Row({{"text", "\"no suffix field\""}}));
  rows.push_back(Row({{"text", "\"null suffix\""}, {"__dj__suffix__", "null"}}));
  EXPECT_EQ(*RunOp("suffix_filter", {{"suffixes", std::string(".py")}}, rows), (std::vector<uint64_t>{4}));
  EXPECT_EQ(*RunOp("suffix_filter", {{"suffixes", std::vector<std::string>{".py", "txt"}}, {"reversed_range", true}},
                 rows),
            (std::vector<uint64_t>{0, 1, 2, 3, 5, 6}));
  EXPECT_EQ(RunOp("suffix_filter", {{"suffixes", std::monostate{}}}, rows).value().size(), 7u);
}

// ---- specified_field_filter ----

std::vector<Sample> MetaRows() {
  return Rows({{{"text", "\"Today is Sun\""}, {"meta", R"({"suffix": ".pdf", "star": 50})"}},
               {{"text", "\"a v s e c s f e f g a a a  \""}, {"meta", R"({"suffix": ".docx", "star": 6})"}},
               {{"text", "\"中文也是一个字算一个长度\""}, {"meta", R"({"suffix": ".txt", "star": 100})"}},
               {{"text", "\"，。、„”“«»１」「《》´∶：？！\""}, {"meta", R"({"suffix": "", "star": 12.51})"}},
               {{"text", "\"dasdasdasdasdasdasdasd\""}, {"meta", R"({"suffix": null})"}}});
}

// conformance: specified_field_filter/test_case
TEST(SpecifiedFieldFilter, DataJuicerCase) {
  auto rows = MetaRows();
  auto kept = RunOp("specified_field_filter",
                  {{"field_key", std::string("meta.suffix")}, {"target_value", std::vector<std::string>{".pdf", ".txt"}}},
                  rows);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 2}));
  // DJ copies the value into the stats under the field key itself.
  EXPECT_EQ(std::get<std::string>(rows[0].stats().Find("meta.suffix")->scalar()), ".pdf");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[4].stats().Find("meta.suffix")->scalar()));
}

// Data-Juicer's tests/ops/filter/test_specified_field_filter.py::test_list_case
TEST(SpecifiedFieldFilter, DataJuicerListCase) {
  auto rows = Rows({
      {{"text", "\"Today is Sun\""}, {"meta", R"({"suffix": ".pdf", "path": {"test": ["txt", "json"], "test2": "asadd"}})"}},
      {{"text", "\"b\""}, {"meta", R"({"suffix": ".docx", "path": {"test": ["pdf", "txt", "xbs"], "test2": ""}})"}},
      {{"text", "\"c\""}, {"meta", R"({"suffix": ".txt", "path": {"test": ["docx", "", "html"], "test2": "abcd"}})"}},
      {{"text", "\"d\""}, {"meta", R"({"suffix": "", "path": {"test": ["json"], "test2": "aasddddd"}})"}},
      {{"text", "\"e\""}, {"meta", R"({"suffix": null, "path": {"test": ["pdf", "txt", "json", "docx"]}})"}},
  });
  auto kept = RunOp("specified_field_filter",
                  {{"field_key", std::string("meta.path.test")},
                   {"target_value", std::vector<std::string>{"pdf", "txt", "json"}}},
                  rows);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 3}));
}

TEST(SpecifiedFieldFilter, NumbersBoolsObjectsAndEdges) {
  auto rows = Rows({{{"n", "50"}},
                    {{"n", "50.0"}},
                    {{"n", "true"}},
                    {{"n", "\"50\""}},
                    {{"n", "[]"}},
                    {{"n", "[1, 50]"}},
                    {{"n", R"({"a": 1})"}},
                    {{"n", "[[1]]"}},
                    {{"x", "1"}}});
  auto kept = RunOp("specified_field_filter", {{"field_key", std::string("n")}, {"target_value", std::vector<double>{50, 1}}},
                  rows);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1, 2, 4, 5}));
  // reversed_range flips every decision
  auto rows2 = rows;
  for (auto& r : rows2) r.stats().Clear();
  kept = RunOp("specified_field_filter",
             {{"field_key", std::string("n")}, {"target_value", std::vector<double>{50, 1}}, {"reversed_range", true}},
             rows2);
  EXPECT_EQ(*kept, (std::vector<uint64_t>{3, 6, 7, 8}));
  // Defaults keep everything and write nothing.
  auto rows3 = MetaRows();
  EXPECT_EQ(RunOp("specified_field_filter", {}, rows3).value().size(), 5u);
  EXPECT_TRUE(rows3[0].stats().empty());
  // A bare string target is refused (DJ would do a substring test).
  EXPECT_EQ(BuildStatus("specified_field_filter", {{"target_value", std::string(".pdf")}}).code(),
            StatusCode::kInvalidArgument);
  // Descending into a string is a DataError; an existing stat is used as is.
  auto rows4 = MetaRows();
  auto bad = RunOp("specified_field_filter",
                 {{"field_key", std::string("meta.suffix.x")}, {"target_value", std::vector<std::string>{"a"}}}, rows4);
  EXPECT_EQ(bad.status().code(), StatusCode::kDataError);
  auto rows5 = MetaRows();
  rows5[1].stats().Set("meta.suffix", StatValue(std::string(".pdf")));
  kept = RunOp("specified_field_filter",
             {{"field_key", std::string("meta.suffix")}, {"target_value", std::vector<std::string>{".pdf"}}}, rows5);
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1}));
  // __dj__stats__ paths read the parsed stats.
  auto rows6 = MetaRows();
  rows6[2].stats().Set("lang", StatValue(std::string("zh")));
  kept = RunOp("specified_field_filter",
             {{"field_key", std::string("__dj__stats__.lang")}, {"target_value", std::vector<std::string>{"zh"}}}, rows6);
  EXPECT_EQ(*kept, (std::vector<uint64_t>{2}));
}

// ---- specified_numeric_field_filter ----

// conformance: specified_numeric_field_filter/test_case
TEST(SpecifiedNumericFieldFilter, DataJuicerCase) {
  auto rows = MetaRows();
  auto kept = RunOp("specified_numeric_field_filter",
                  {{"field_key", std::string("meta.star")}, {"min_value", int64_t{10}}, {"max_value", int64_t{70}}}, rows);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 3}));
  EXPECT_EQ(std::get<int64_t>(rows[0].stats().Find("meta.star")->scalar()), 50);
}

// conformance: specified_numeric_field_filter/test_str_case
TEST(SpecifiedNumericFieldFilter, DataJuicerStringCase) {
  auto rows = Rows({{{"text", "\"a\""}, {"meta", R"({"suffix": ".pdf", "star": "36"})"}},
                    {{"text", "\"b\""}, {"meta", R"({"suffix": ".docx", "star": "13.5"})"}},
                    {{"text", "\"c\""}, {"meta", R"({"suffix": ".txt", "star": "asdkc"})"}},
                    {{"text", "\"d\""}, {"meta", R"({"suffix": ".html", "star": "441"})"}},
                    {{"text", "\"e\""}, {"meta", R"({"suffix": null})"}}});
  auto kept = RunOp("specified_numeric_field_filter",
                  {{"field_key", std::string("meta.star")}, {"min_value", 10.0}, {"max_value", 70.0}}, rows);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(std::get<std::string>(rows[0].stats().Find("meta.star")->scalar()), "36");  // raw value, like DJ
}

// Data-Juicer's tests/ops/filter/test_specified_numeric_field_filter.py::test_multi_case
TEST(SpecifiedNumericFieldFilter, DataJuicerMultiLevelCase) {
  auto rows = Rows({
      {{"text", "\"a\""}, {"count", "101"}, {"meta", R"({"suffix": ".pdf", "key1": {"key2": {"count": 34}, "count": 5}})"}},
      {{"text", "\"b\""}, {"count", "16"}, {"meta", R"({"suffix": ".docx", "key1": {"key2": {"count": 243}, "count": 63}})"}},
      {{"text", "\"c\""}, {"count", "162"}, {"meta", R"({"suffix": ".txt", "key1": {"key2": {"count": null}, "count": 23}})"}},
      {{"text", "\"d\""}, {"count", "null"}, {"meta", R"({"suffix": ".html", "key1": {"key2": {"count": 18}, "count": 48}})"}},
  });
  auto kept = RunOp("specified_numeric_field_filter",
                  {{"field_key", std::string("meta.key1.key2.count")}, {"min_value", 10.0}, {"max_value", 70.0}}, rows);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 3}));
}

TEST(SpecifiedNumericFieldFilter, PythonTruthinessAndErrors) {
  auto rows = Rows({{{"v", "0"}}, {{"v", "0.0"}}, {{"v", "false"}}, {{"v", "true"}}, {{"v", "\"\""}},
                    {{"v", "\"0\""}}, {{"v", "\" 1_0 \""}}, {{"v", "\"nan\""}}, {{"v", "[]"}}, {{"v", "{}"}},
                    {{"v", "-5"}}, {{"v", "\"-inf\""}}});
  auto kept = RunOp("specified_numeric_field_filter",
                  {{"field_key", std::string("v")}, {"min_value", -10.0}, {"max_value", 10.0}}, rows);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{3, 5, 6, 10}));
  // Non-numbers are dropped even with reversed_range; numbers outside the range are kept.
  for (auto& r : rows) r.stats().Clear();
  kept = RunOp("specified_numeric_field_filter",
             {{"field_key", std::string("v")}, {"min_value", -10.0}, {"max_value", 10.0}, {"reversed_range", true}},
             rows);
  // DJ flips the closedness with reversed_range: 10 is outside (-10, 10); nan fails every bound.
  EXPECT_EQ(*kept, (std::vector<uint64_t>{6, 7, 11}));
  // float() of a non-empty list or object raises in DJ: a DataError here.
  for (const char* raw : {"[1]", "{\"a\": 1}"}) {
    auto bad = Rows({{{"v", raw}}});
    EXPECT_EQ(RunOp("specified_numeric_field_filter", {{"field_key", std::string("v")}}, bad).status().code(),
              StatusCode::kDataError)
        << raw;
  }
  // Defaults: no field key keeps everything.
  auto all = MetaRows();
  EXPECT_EQ(RunOp("specified_numeric_field_filter", {}, all).value().size(), 5u);
  auto op = Build("specified_numeric_field_filter");
  EXPECT_EQ(op->params().GetDouble("max_value"), 9223372036854775807.0);
  EXPECT_EQ(op->params().GetDouble("min_value"), -9223372036854775807.0);
}

TEST(PythonFloat, ParsesLikeCPython) {
  struct Case {
    const char* s;
    std::optional<double> v;
  };
  const std::vector<Case> cases = {
      {"36", 36.0},          {"13.5", 13.5},      {" \t12\n", 12.0},    {"+1e3", 1000.0},   {"-.5", -0.5},
      {"1.", 1.0},           {"1_000.5", 1000.5}, {"1e1_0", 1e10},      {"١٢٣", 123.0},     {"\u3000 7 ", 7.0},
      {"1e500", HUGE_VAL},   {"-1e500", -HUGE_VAL}, {"1e-500", 0.0},    {"Infinity", HUGE_VAL}, {"-iNF", -HUGE_VAL},
      {"asdkc", std::nullopt}, {"", std::nullopt}, {"1__0", std::nullopt}, {"_1", std::nullopt}, {"1_", std::nullopt},
      {".", std::nullopt},   {"e5", std::nullopt}, {"1e", std::nullopt}, {"0x10", std::nullopt}, {"1 2", std::nullopt},
      {"nan(1)", std::nullopt}, {"infin", std::nullopt}, {"１２", 12.0},
  };
  for (const auto& c : cases) {
    const auto got = ParsePythonFloat(c.s);
    ASSERT_EQ(got.has_value(), c.v.has_value()) << c.s;
    if (got) {
      EXPECT_EQ(*got, *c.v) << c.s;
    }
  }
  EXPECT_TRUE(std::isnan(*ParsePythonFloat("NaN")));
}

}  // namespace
}  // namespace juicer
