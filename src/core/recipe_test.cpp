#include "core/recipe.h"

#include <gtest/gtest.h>

#include "ops/builtin.h"

namespace juicer {
namespace {

Result<Recipe> Load(const std::string& yaml, const Overrides& ov = {}) {
  return LoadRecipeString(yaml, "r.yaml", ov, BuiltinRegistry());
}

TEST(Recipe, ParsesDataJuicerKeys) {
  auto r = Load(R"(
project_name: p
dataset_path: in.jsonl
export_path: out/res.jsonl
np: 3
text_keys: [content]
keep_stats_in_res_ds: true
open_tracer: true
trace_num: 4
export_shard_size: 10MB
process:
  - text_length_filter:
      min_len: 5
  - document_deduplicator:
  - words_num_filter
)");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->np, 3);
  EXPECT_EQ(r->text_keys[0], "content");
  EXPECT_TRUE(r->keep_stats_in_res_ds);
  EXPECT_EQ(r->trace_num, 4);
  EXPECT_EQ(r->export_shard_size, 10000000u);
  EXPECT_EQ(r->work_dir, "out");
  ASSERT_EQ(r->process.size(), 3u);
  EXPECT_EQ(r->process[0].name, "text_length_filter");
  EXPECT_EQ(r->process[0].line, 12);
  auto ops = BuildRecipeOps(*r);
  ASSERT_TRUE(ops.ok()) << ops.status().message();
  EXPECT_EQ((*ops)[0]->text_key(), "content");  // recipe text_keys flow into ops
}

TEST(Recipe, UnknownOpSuggestsTheClosestNameWithTheLine) {
  auto r = Load("dataset_path: a.jsonl\nexport_path: b.jsonl\nprocess:\n  - text_lenght_filter:\n      min_len: 5\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "r.yaml:4: unknown op 'text_lenght_filter' (did you mean text_length_filter?)");
}

TEST(Recipe, UnknownParamAndWrongTypeNameTheLine) {
  auto r = Load("dataset_path: a.jsonl\nexport_path: b.jsonl\nprocess:\n  - text_length_filter:\n      min_lenn: 5\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "r.yaml:5: unknown param 'min_lenn' of text_length_filter (did you mean min_len?)");
  r = Load("dataset_path: a.jsonl\nexport_path: b.jsonl\nprocess:\n  - text_length_filter:\n      min_len: ten\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "r.yaml:5: param 'min_len' of text_length_filter: expected int, got a string (\"ten\")");
  r = Load("dataset_path: a.jsonl\nexport_path: b.jsonl\nprocess:\n  - random_selector:\n      select_ratio: 1.5\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("above the maximum"), std::string::npos);
}

TEST(Recipe, UnknownTopLevelKeysWarnButRun) {
  auto r = Load("dataset_path: a.jsonl\nexport_path: b.jsonl\nop_fusion: true\nexecutor_type: default\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->warnings.size(), 2u);
  EXPECT_NE(r->warnings[0].find("r.yaml:3: warning: 'op_fusion'"), std::string::npos);
}

TEST(Recipe, BadTopLevelValuesAreErrors) {
  auto r = Load("dataset_path: a.jsonl\nexport_path: b.jsonl\nnp: two\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "r.yaml:3: 'np' must be an integer");
  EXPECT_FALSE(Load("export_path: b.jsonl\n").ok());
  auto bad_yaml = Load("dataset_path: [a\n");
  ASSERT_FALSE(bad_yaml.ok());
  EXPECT_NE(bad_yaml.status().message().find("invalid YAML"), std::string::npos);
}

TEST(Recipe, CommandLineOverrides) {
  auto r = Load("dataset_path: a.jsonl\nexport_path: b.jsonl\nnp: 4\n",
                {{"export_path", "x/y.jsonl"}, {"np", "1"}, {"keep_stats_in_res_ds", "true"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->export_path, "x/y.jsonl");
  EXPECT_EQ(r->np, 1);
  EXPECT_TRUE(r->keep_stats_in_res_ds);
}

TEST(Recipe, JsonRecipesAreYamlToo) {
  auto r = Load(R"({"dataset_path": "in.jsonl", "export_path": "out.jsonl",
                    "process": [{"text_length_filter": {"min_len": 10, "max_len": 50}}]})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->process.size(), 1u);
}

TEST(Recipe, QuotedNumbersStayStrings) {
  auto r = Load("dataset_path: a.jsonl\nexport_path: b.jsonl\nprocess:\n  - words_num_filter:\n      lang: '12'\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
}

}  // namespace
}  // namespace juicer
