#include <gtest/gtest.h>

#include <filesystem>

#include "sandbox/config.h"
#include "sandbox/hooks_impl.h"
#include "sandbox/pools.h"
#include "sandbox/refine.h"
#include "sandbox/sandbox_test_util.h"

namespace juicer::sandbox {
namespace {

using testing_util::MakeTempDir;
using testing_util::WriteText;

// 9 samples with text_len 10..90 split into thirds by data_pool_construction; the probe "ranked" the
// middle third of text_len first, so the refined recipe keeps text_len within that third's range.
TEST(SandboxModelFeedback, ThresholdsFromTheBestPool) {
  const std::string dir = MakeTempDir("feedback");
  std::string data;
  for (int i = 1; i <= 9; ++i) {
    data += "{\"text\": \"t" + std::to_string(i) + "\", \"__dj__stats__\": {\"text_len\": " + std::to_string(10 * i) +
            ", \"num_words\": " + std::to_string(i) + "}}\n";
  }
  WriteText(dir + "/data.jsonl", data);
  auto pools = RunDataPoolManipulator(
      Json{{"type", "data_pool_construction"}, {"dataset_path", dir + "/data.jsonl"}, {"export_path", dir + "/pools"}});
  ASSERT_TRUE(pools.ok()) << pools.status().ToString();
  std::string mid, high;
  for (const auto& p : *pools) {
    const std::string s = p.get<std::string>();
    if (s.find("text_len_1.jsonl") != std::string::npos) mid = s;
    if (s.find("num_words_2.jsonl") != std::string::npos) high = s;
  }
  ASSERT_FALSE(mid.empty()) << pools->dump();
  ASSERT_FALSE(high.empty()) << pools->dump();

  JobConfig job;
  job.meta_name = "refine";
  HookCall call;
  call.job = &job;
  Json watch = Json::object();
  call.watch = &watch;
  call.dj_cfg = Json::parse(R"({"dataset_path": "x.jsonl", "process": [{"text_length_filter": {"min_len": 5}}]})");
  call.extra_cfg = Json{{"ranked_pools", Json::array({mid, high, dir + "/unused.jsonl"})},
                        {"top_k", 2},
                        {"path_model_feedback_recipe", dir + "/refined.yaml"}};
  auto out = RefineRecipeViaModelFeedbackHook(call);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto recipe = LoadYamlFile(dir + "/refined.yaml");
  ASSERT_TRUE(recipe.ok());
  const Json& ops = (*recipe)["process"];
  ASSERT_EQ(ops.size(), 2u) << recipe->dump();
  // The middle third of text_len is 40, 50, 60: both bounds set.
  EXPECT_EQ(ops[0]["text_length_filter"]["min_len"], 40);
  EXPECT_EQ(ops[0]["text_length_filter"]["max_len"], 60);
  // The top third of num_words (7..9): the op was added, only its lower bound set.
  EXPECT_EQ(ops[1]["words_num_filter"]["min_num"], 7);
  EXPECT_FALSE(ops[1]["words_num_filter"].contains("max_num"));
  EXPECT_EQ(watch["refine"][0]["split"], 1);
  EXPECT_EQ(watch["refine"][0]["splits"], 3);

  call.extra_cfg["ranked_pools"] = Json::array({dir + "/data.jsonl"});
  auto bad = RefineRecipeViaModelFeedbackHook(call);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("data_pool_construction"), std::string::npos) << bad.status().message();
}

// The low third of lang_score needs an upper bound, but language_id_score_filter only has min_score:
// the refinement says so instead of dropping the bound silently.
TEST(SandboxModelFeedback, ReportsBoundsTheOpCannotExpress) {
  const std::string dir = MakeTempDir("feedback-missing");
  std::string data;
  for (int i = 1; i <= 9; ++i) {
    data += "{\"text\": \"t" + std::to_string(i) + "\", \"__dj__stats__\": {\"lang_score\": " + std::to_string(0.1 * i) + "}}\n";
  }
  WriteText(dir + "/data.jsonl", data);
  auto pools = RunDataPoolManipulator(
      Json{{"type", "data_pool_construction"}, {"dataset_path", dir + "/data.jsonl"}, {"export_path", dir + "/pools"}});
  ASSERT_TRUE(pools.ok()) << pools.status().ToString();
  std::string low;
  for (const auto& p : *pools) {
    if (p.get<std::string>().find("lang_score_0.jsonl") != std::string::npos) low = p.get<std::string>();
  }
  ASSERT_FALSE(low.empty()) << pools->dump();
  Json applied;
  std::vector<std::string> lines;
  auto recipe = RefineRecipeFromPools(Json::parse(R"({"process": [{"language_id_score_filter": {"min_score": 0.0}}]})"),
                                      {low}, "", &applied, [&](const std::string& l) { lines.push_back(l); });
  ASSERT_TRUE(recipe.ok()) << recipe.status().ToString();
  EXPECT_EQ((*recipe)["process"][0]["language_id_score_filter"]["min_score"], 0.0);  // unchanged: a low third
  ASSERT_TRUE(applied[0].contains("not_expressible")) << applied.dump();
  EXPECT_NE(applied[0]["not_expressible"][0].get<std::string>().find("upper bound"), std::string::npos);
  bool warned = false;
  for (const auto& l : lines) warned = warned || l.find("warning: cannot express") != std::string::npos;
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace juicer::sandbox
