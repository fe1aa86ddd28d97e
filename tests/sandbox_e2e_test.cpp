// The sandbox end to end through the juicer binary: analyzer probe -> k-sigma refinement -> processing ->
// data pools -> an external `command` trainer -> data and model evaluation; killed midway and resumed.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "sandbox/json.h"
#include "tests/test_util.h"

namespace juicer::testing {
namespace {

namespace fs = std::filesystem;
using sandbox::Json;

void WriteTextData(const std::string& path) {
  std::string data;
  std::mt19937 rng(7);
  const char* words[] = {"data", "model", "juicer", "sandbox", "probe", "recipe", "filter", "image", "text", "pool"};
  for (int i = 0; i < 120; ++i) {
    std::string text;
    const int n = 3 + static_cast<int>(rng() % 40);
    for (int w = 0; w < n; ++w) text += std::string(w ? " " : "") + words[rng() % 10];
    data += "{\"text\": \"" + text + "\", \"id\": " + std::to_string(i) + "}\n";
  }
  WriteFile(path, data);
}

std::string Config(const std::string& d, double nap) {
  const std::string trainer = SourceDir() + "/tests/data/sandbox/e2e_trainer.sh";
  return "project_name: e2e\nwork_dir: " + d + "/work\nresume: true\n" + R"(
probe_job_configs:
  - hook: ProbeViaAnalyzerHook
    meta_name: stats
    output: analyzed
    dj_configs: )" + d + R"(/recipe.yaml
refine_recipe_job_configs:
  - hook: RefineRecipeViaKSigmaHook
    meta_name: stats
    output: recipe
    dj_configs: )" + d + R"(/recipe.yaml
    extra_configs: {path_k_sigma_recipe: )" + d + R"(/work/refined.yaml, k: 1}
execution_job_configs:
  - hook: ProcessDataHook
    meta_name: process
    input: {dj_configs: '-1.recipe'}
    local: {dj_configs.export_path: )" + d + R"(/work/processed/out.jsonl}
    output: processed
  - hook: DataPoolManipulationHook
    meta_name: pools
    input: {extra_configs.dataset_path: 'anonymous.stats.analyzed'}
    output: pools
    extra_configs: {type: data_pool_construction, export_path: )" + d + R"(/work/pools/}
  - hook: TrainModelHook
    meta_name: train
    input: {extra_configs.pool: 'anonymous.process.processed'}
    output: result
    extra_configs:
      type: command
      argv: [bash, )" + trainer + R"(, '{pool}', '{job_dir}/model', ')" + std::to_string(nap) + R"(']
      env: {RUN_NAME: '{meta_name}-{iter}'}
      timeout: 60
      metrics: {json_file: '{job_dir}/model/metrics.json', regex: {loss: 'loss=([0-9.]+)'}}
evaluation_job_configs:
  - hook: EvaluateDataHook
    meta_name: data_eval
    input: {extra_configs.dataset_path: 'anonymous.stats.analyzed'}
    output: summary
    extra_configs: {type: stats_summary, stats_keys: [text_len]}
)";
}

std::string Recipe(const std::string& d) {
  return "dataset_path: " + d + "/data.jsonl\nexport_path: " + d + "/work/analyzed/data.jsonl\nnp: 1\nprocess:\n"
         "  - text_length_filter: {min_len: 1, max_len: 100000}\n  - words_num_filter: {min_num: 1, max_num: 100000}\n";
}

// The context with run-specific values (paths, timings) normalised away.
std::string Normalised(const std::string& ctx_path, const std::string& d) {
  std::string text = ReadFile(ctx_path);
  text = std::regex_replace(text, std::regex(d), "<D>");
  text = std::regex_replace(text, std::regex("\"wall_s\": [0-9.e+-]+"), "\"wall_s\": 0");
  return text;
}

TEST(SandboxE2E, FullFlowThenKillAndResumeEqualsUninterrupted) {
  TempDir ref, run;
  for (const TempDir* t : {&ref, &run}) {
    WriteTextData(*t / "data.jsonl");
    WriteFile(*t / "recipe.yaml", Recipe(t->path()));
  }
  // Uninterrupted reference run.
  WriteFile(ref / "sb.yaml", Config(ref.path(), 0.1));
  auto r = RunJuicer("sandbox run " + (ref / "sb.yaml") + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto ctx = sandbox::LoadJsonFile(ref / "work/context_infos.json");
  ASSERT_TRUE(ctx.ok());
  const Json& jobs = (*ctx)[0]["pipeline_infos"][0]["job_infos"];
  ASSERT_EQ(jobs.size(), 6u) << ctx->dump(1);
  // The k-sigma recipe exists and tightened the bounds; processing kept a subset; pools were built; the
  // external trainer's metrics came through both ways; the data evaluator summarised the stat.
  EXPECT_TRUE(fs::exists(ref / "work/refined.yaml"));
  EXPECT_NE(ReadFile(ref / "work/refined.yaml").find("min_len"), std::string::npos);
  const size_t kept = CountLines(ReadFile(ref / "work/processed/iter_1/out.jsonl"));
  EXPECT_GT(kept, 10u);
  EXPECT_LT(kept, 120u);
  EXPECT_TRUE(jobs[3]["pools"].is_array());
  EXPECT_EQ(jobs[4]["result"]["metrics"]["samples"], kept) << jobs[4].dump();
  EXPECT_EQ(jobs[4]["result"]["metrics"]["run"], "train-1");
  EXPECT_NEAR(jobs[4]["result"]["metrics"]["loss"].get<double>(), 1.0 / (1 + kept), 1e-4);
  EXPECT_EQ(jobs[5]["summary"]["stats"]["text_len"]["count"], 120) << jobs[5].dump();
  auto table = RunJuicer("sandbox results " + (ref / "work") + " --key loss");
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.output.find("result.metrics.loss"), std::string::npos) << table.output;

  // The same run killed (SIGKILL) while the trainer job runs, then resumed.
  WriteFile(run / "sb.yaml", Config(run.path(), 3.0));
  const std::string ctx_file = run / "work/context_infos.json";
  auto killed = RunCommand("(" + JuicerBinary() + " sandbox run " + (run / "sb.yaml") + " --quiet & p=$!; " +
                           "for i in $(seq 600); do grep -q '\"pools\"' " + ctx_file + " 2>/dev/null && break; sleep 0.05; done; " +
                           "sleep 0.5; kill -9 $p; wait $p)");
  EXPECT_EQ(killed.signal, 9) << killed.output;
  auto partial = sandbox::LoadJsonFile(ctx_file);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ((*partial)[0]["pipeline_infos"][0]["job_infos"].size(), 4u) << partial->dump(1);
  WriteFile(run / "sb.yaml", Config(run.path(), 0.1));
  auto resumed = RunJuicer("sandbox run " + (run / "sb.yaml"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("done in an earlier run, skipped"), std::string::npos) << resumed.output;
  EXPECT_EQ(Normalised(ctx_file, run.path()), Normalised(ref / "work/context_infos.json", ref.path()));
}

TEST(SandboxE2E, ConfigErrorsBeforeTheFirstJob) {
  TempDir d;
  WriteFile(d / "sb.yaml", "work_dir: " + (d / "w") + R"(
probe_job_configs:
  - {hook: ProcessDataHook, meta_name: a, output: x, dj_configs: {dataset_path: nope.jsonl}}
execution_job_configs:
  - {hook: TrainModelHook, input: {extra_configs.d: 'anonymous.a.y'}}
)");
  auto r = RunJuicer("sandbox run " + (d / "sb.yaml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("execution_job_configs[0].input.extra_configs.d"), std::string::npos) << r.output;
  EXPECT_EQ(CountLines(r.output), 1u) << r.output;
  EXPECT_FALSE(fs::exists(d / "w/context_infos.json"));
}

TEST(SandboxE2E, FailingCommandShowsLogTail) {
  TempDir d;
  WriteFile(d / "sb.yaml", "work_dir: " + (d / "w") + R"(
execution_job_configs:
  - hook: TrainModelHook
    meta_name: boom
    extra_configs: {type: command, argv: [bash, -c, 'echo preparing; echo "CUDA out of memory" >&2; exit 3']}
)");
  auto r = RunJuicer("sandbox run " + (d / "sb.yaml") + " --quiet");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("CUDA out of memory"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("boom"), std::string::npos) << r.output;
}

TEST(SandboxE2E, HelpAndHooks) {
  auto h = RunJuicer("sandbox --help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.output.find("usage: juicer sandbox run"), std::string::npos);
  auto hooks = RunJuicer("sandbox hooks");
  EXPECT_EQ(hooks.exit_code, 0);
  for (const char* name : {"ProbeViaAnalyzerHook", "ProbeViaModelInferHook", "GeneralProbeHook", "RefineRecipeViaKSigmaHook",
                           "RefineRecipeViaModelFeedbackHook", "ProcessDataHook", "DataPoolManipulationHook",
                           "GeneralDataExecutorHook", "TrainModelHook", "InferModelHook", "EvaluateDataHook",
                           "EvaluateModelHook", "refine_recipe_via_k_sigma"}) {
    EXPECT_NE(hooks.output.find(name), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace juicer::testing
