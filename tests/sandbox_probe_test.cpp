// `juicer sandbox probe` end to end with the lm task on a small generated corpus: pools, seeds,
// statistics, results.json, report.html, and a rerun that reuses every finished probe.
#include <gtest/gtest.h>

#include <filesystem>

#include "sandbox/json.h"
#include "tests/test_util.h"

namespace juicer::testing {
namespace {

namespace fs = std::filesystem;

TEST(SandboxProbe, LmPoolsRankedWithIntervals) {
  TempDir d;
  std::mt19937 rng(3);
  const char* words[] = {"the", "model", "reads", "data", "and", "learns", "a", "small", "probe", "of", "text", "quality"};
  auto doc = [&](int n) {
    std::string t;
    for (int w = 0; w < n; ++w) t += std::string(w ? " " : "") + words[rng() % 12];
    return "{\"text\": \"" + t + "\"}\n";
  };
  std::string train, eval;
  for (int i = 0; i < 150; ++i) train += doc(4 + i % 30);
  for (int i = 0; i < 30; ++i) eval += doc(12);
  WriteFile(d / "train.jsonl", train);
  WriteFile(d / "eval_lm.jsonl", eval);
  WriteFile(d / "ops.yaml", "process:\n  - text_length_filter: {min_len: 0}\n");
  const std::string cmd = "sandbox probe --data " + (d / "train.jsonl") + " --task lm --ops " + (d / "ops.yaml") +
                          " --out " + (d / "out") + " --seeds 2 --steps 6 --batch-size 4 --set sp_vocab=60 --quiet";
  auto r = RunJuicer(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("text_len"), std::string::npos) << r.output;
  auto res = sandbox::LoadJsonFile(d / "out/results.json");
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ((*res)["metric"], "eval_lm.bits_per_byte");
  EXPECT_EQ((*res)["lower_is_better"], true);
  ASSERT_EQ((*res)["pools"].size(), 4u);  // three thirds of text_len + random
  for (const auto& p : (*res)["pools"]) {
    ASSERT_EQ(p["values"].size(), 2u) << p.dump();
    for (const auto& v : p["values"]) EXPECT_GT(v.get<double>(), 0.0);
    EXPECT_TRUE(p["summary"]["ci95"][0].is_number()) << p.dump();
  }
  ASSERT_EQ((*res)["ranking"].size(), 1u);
  EXPECT_TRUE((*res)["ranking"][0]["vs_random"]["p_paired_t"].is_number());
  EXPECT_EQ((*res)["correlation"]["stats"], sandbox::Json::array({"text_len"}));
  const std::string html = ReadFile(d / "out/report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // self-contained, nothing to run
  // A rerun reuses every probe: no model is retrained.
  const auto before = fs::last_write_time(d / "out/runs/random/seed_1/metrics.json");
  auto again = RunJuicer(cmd);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(fs::last_write_time(d / "out/runs/random/seed_1/metrics.json"), before);
  auto res2 = sandbox::LoadJsonFile(d / "out/results.json");
  ASSERT_TRUE(res2.ok());
  EXPECT_EQ((*res2)["pools"], (*res)["pools"]);
}

TEST(SandboxProbe, ClearErrors) {
  TempDir d;
  WriteFile(d / "train.jsonl", "{\"text\": \"a\"}\n");
  WriteFile(d / "ops.yaml", "process:\n  - text_length_filter: {}\n");
  auto r = RunJuicer("sandbox probe --data " + (d / "train.jsonl") + " --task clip --ops " + (d / "ops.yaml") + " --out " + (d / "o"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("eval_retrieval.jsonl"), std::string::npos) << r.output;
  r = RunJuicer("sandbox probe --data x --task gan --ops y --out z");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not a built-in probe task"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace juicer::testing
