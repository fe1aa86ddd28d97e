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
  WriteTinyLmCorpus(d.path(), 150, 30);
  WriteFile(d / "ops.yaml", "process:\n  - text_length_filter: {min_len: 0}\n  - alphanumeric_filter: {min_ratio: 0}\n");
  const std::string cmd = "sandbox probe --data " + (d / "train.jsonl") + " --task lm --ops " + (d / "ops.yaml") +
                          " --out " + (d / "out") + " --seeds 2 --steps 6 --batch-size 4 --set sp_vocab=60 --quiet" +
                          " --top-k 2 --min-pool 8 --scale-factors 1,2 --transfer-size s --transfer-pools 1";
  auto r = RunJuicer(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("text_len"), std::string::npos) << r.output;
  auto res = sandbox::LoadJsonFile(d / "out/results.json");
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ((*res)["metric"], "eval_lm.bits_per_byte");
  EXPECT_EQ((*res)["lower_is_better"], true);
  ASSERT_EQ((*res)["pools"].size(), 7u);  // three thirds of text_len and alnum_ratio + random
  for (const auto& p : (*res)["pools"]) {
    ASSERT_EQ(p["values"].size(), 2u) << p.dump();
    for (const auto& v : p["values"]) EXPECT_GT(v.get<double>(), 0.0);
    EXPECT_TRUE(p["summary"]["ci95"][0].is_number()) << p.dump();
  }
  ASSERT_EQ((*res)["ranking"].size(), 2u);
  EXPECT_TRUE((*res)["ranking"][0]["vs_random"]["p_paired_t"].is_number());
  EXPECT_EQ((*res)["correlation"]["stats"], sandbox::Json::array({"alnum_ratio", "text_len"}));
  // Recipes: top-1 and top-2 at one common size, each compared with a random pool of that size.
  const auto& recipes = (*res)["recipes"];
  ASSERT_GE(recipes["recipes"].size(), 2u) << recipes.dump();
  EXPECT_EQ(recipes["recipes"][0]["name"], "top-1");
  EXPECT_EQ(recipes["recipes"][1]["ops"].size(), 2u);
  const size_t common = recipes["pool_size"].get<size_t>();
  EXPECT_GE(common, 8u);
  for (const auto& r : recipes["recipes"]) {
    EXPECT_GE(r["n_intersection"].get<size_t>(), common);
    if (r["trained"] == true) {
      EXPECT_EQ(r["values"].size(), 2u);
    }
  }
  EXPECT_LE(recipes["recipes"][1]["n_intersection"].get<size_t>(), recipes["recipes"][0]["n_intersection"].get<size_t>());
  // Scaling: both strategies at 1x and 2x compute, the 1x runs shared, power-law fits.
  const auto& scaling = (*res)["scaling"];
  ASSERT_EQ(scaling["curves"]["repeat"].size(), 2u) << scaling.dump();
  ASSERT_EQ(scaling["curves"]["add"].size(), 2u);
  EXPECT_EQ(scaling["curves"]["repeat"][0]["values"], scaling["curves"]["add"][0]["values"]);
  EXPECT_GT(scaling["curves"]["add"][1]["samples_unique"].get<size_t>(), scaling["curves"]["repeat"][1]["samples_unique"].get<size_t>());
  EXPECT_DOUBLE_EQ(scaling["curves"]["add"][1]["compute"].get<double>(), 2 * scaling["curves"]["add"][0]["compute"].get<double>());
  EXPECT_TRUE(scaling["fits"]["repeat"]["b"].is_number());
  EXPECT_FALSE(scaling["verdict"].get<std::string>().empty());
  // The refined recipe is a DJ recipe with bounds from the winning thirds, applied to the full data.
  const auto& refined = (*res)["refined_recipe"];
  EXPECT_TRUE(fs::exists(refined["path"].get<std::string>()));
  EXPECT_NE(refined["yaml"].get<std::string>().find("process:"), std::string::npos);
  EXPECT_GT(refined["applied"]["kept"].get<size_t>(), 0u);
  EXPECT_LT(refined["applied"]["kept"].get<size_t>(), 150u);
  EXPECT_EQ(refined["applied"]["total"], 150);
  // Transfer: the top, bottom and random pools again at size s.
  const auto& transfer = (*res)["transfer"];
  EXPECT_EQ(transfer["size"], "s");
  EXPECT_EQ(transfer["pools"].size(), 3u);
  EXPECT_TRUE(transfer["spearman"].is_number()) << transfer.dump();
  const std::string html = ReadFile(d / "out/report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);  // self-contained: nothing fetched
  EXPECT_EQ(html.find("https://"), std::string::npos);
  for (const char* section : {"ranking", "recipes", "scaling", "refined", "transfer", "diversity"}) {
    EXPECT_NE(html.find("id=\"" + std::string(section)), std::string::npos) << section;
  }
  ASSERT_TRUE((*res).contains("diversity"));
  EXPECT_TRUE((*res)["diversity"].contains("random"));
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

TEST(SandboxProbe, LoopHookOptionsAreChecked) {
  TempDir d;
  WriteFile(d / "train.jsonl", "{\"text\": \"a\"}\n");
  WriteFile(d / "eval_lm.jsonl", "{\"text\": \"a\"}\n");
  auto run = [&](const std::string& extra) {
    WriteFile(d / "sandbox.yaml", "work_dir: " + (d / "work") + "\nprobe_job_configs:\n  - hook: ProbeRefineLoopHook\n" +
                                      "    meta_name: loop\n    dj_configs: {dataset_path: " + (d / "train.jsonl") +
                                      ", process: [{text_length_filter: {}}]}\n    extra_configs: " + extra + "\n");
    return RunJuicer("sandbox run " + (d / "sandbox.yaml") + " --quiet");
  };
  auto r = run("{task: lm, bogus: 1}");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("extra_configs.bogus: unknown key of probe_refine_loop"), std::string::npos) << r.output;
  r = run("{task: lm, seeds: many}");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("extra_configs.seeds: expected a non-negative integer"), std::string::npos) << r.output;
  r = run("{task: lm, skip: [everything]}");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("unknown phase 'everything'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace juicer::testing
