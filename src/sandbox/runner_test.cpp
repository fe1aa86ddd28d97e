#include "sandbox/runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sandbox/sandbox_test_util.h"

namespace juicer::sandbox {
namespace {

using testing_util::MakeTempDir;
namespace fs = std::filesystem;

// Hooks for the tests: `emit` returns extra_configs.values (a list) as its outputs and counts its runs in
// <work_dir>/runs.txt; `fail_if` fails while the file extra_configs.fail_if exists.
HookRegistry TestHooks() {
  HookRegistry r;
  auto emit = [](HookCall& call) -> Result<std::vector<Json>> {
    std::ofstream(call.work_dir + "/runs.txt", std::ios::app) << call.pipeline << "/" << call.job->meta_name << "\n";
    if (call.extra_cfg.contains("fail_if") && fs::exists(call.extra_cfg["fail_if"].get<std::string>())) {
      return Status::DataError("planted failure");
    }
    std::vector<Json> out;
    if (call.extra_cfg.contains("values")) {
      for (const auto& v : call.extra_cfg["values"]) out.push_back(v);
    }
    if (call.extra_cfg.contains("echo_config")) out.push_back(call.extra_cfg);
    return out;
  };
  EXPECT_TRUE(r.Register({"emit", "EmitHook", "", "", emit}).ok());
  return r;
}

Result<SandboxConfig> Parse(const std::string& yaml, const HookRegistry& hooks) {
  auto j = ParseYamlText(yaml, "sb.yaml");
  if (!j.ok()) return j.status();
  return ParseSandboxConfig(*j, "sb.yaml", hooks);
}

int CountLines(const std::string& path) {
  std::ifstream in(path);
  int n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

TEST(SandboxRunner, InputsLocalAndIterSubdirs) {
  const HookRegistry hooks = TestHooks();
  const std::string dir = MakeTempDir("runner");
  auto cfg = Parse("work_dir: " + dir + R"(
probe_job_configs:
  - {hook: emit, meta_name: a, output: [x, y], extra_configs: {values: [1.5, {nested: 7}]}}
execution_job_configs:
  - hook: emit
    meta_name: b
    output: cfg
    extra_configs: {echo_config: true, export_path: out/data.jsonl, dir_out: keep}
    local: {extra_configs.k: 3}
    input: {extra_configs.from_x: '-1.y.nested', extra_configs.from_a: 'anonymous.a.x'}
)", hooks);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  RunOptions opts;
  opts.quiet = true;
  auto res = RunSandbox(*cfg, hooks, opts);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ASSERT_EQ(res->size(), 1u);
  const Json* echoed = (*res)[0].Lookup("anonymous.b.cfg");
  ASSERT_NE(echoed, nullptr);
  EXPECT_EQ((*echoed)["k"], 3);
  EXPECT_EQ((*echoed)["from_x"], 7);
  EXPECT_EQ((*echoed)["from_a"], 1.5);
  EXPECT_EQ((*echoed)["export_path"], "out/iter_1/data.jsonl");
  EXPECT_EQ(AddIterSubdir("a/b/dir", 2), "a/b/dir/iter_2");
  EXPECT_EQ(AddIterSubdir("a/b/dir/", 2), "a/b/dir/iter_2");
  EXPECT_EQ(AddIterSubdir("a/.hidden", 1), "a/.hidden/iter_1");
  // context_infos.json in DJ's layout, and the metrics store.
  auto ctx = LoadJsonFile(dir + "/context_infos.json");
  ASSERT_TRUE(ctx.ok());
  ASSERT_TRUE(ctx->is_array());
  EXPECT_EQ((*ctx)[0]["iter"], 1);
  EXPECT_EQ((*ctx)[0]["pipeline_infos"][0]["pipeline_name"], "anonymous");
  EXPECT_EQ((*ctx)[0]["pipeline_infos"][0]["job_infos"][0]["meta_name"], "a");
  EXPECT_EQ((*ctx)[0]["pipeline_infos"][0]["job_infos"][0]["x"], 1.5);
  EXPECT_GE(CountLines(dir + "/" + kMetricsFile), 3);
}

TEST(SandboxRunner, FailedJobThenResumeMatchesUninterruptedRun) {
  const HookRegistry hooks = TestHooks();
  const std::string dir = MakeTempDir("resume");
  const std::string ref_dir = MakeTempDir("resume-ref");
  const std::string marker = dir + "/fail.marker";
  testing_util::WriteText(marker, "x");
  auto yaml = [&](const std::string& wd) {
    return "work_dir: " + wd + "\nresume: true\n" + R"(
pipelines:
  - p1:
      probe_job_configs: [{hook: emit, meta_name: a, output: v, extra_configs: {values: [1]}}]
      execution_job_configs: [{hook: emit, meta_name: b, output: v, extra_configs: {values: [2]}}]
  - p2:
      execution_job_configs:
        - {hook: emit, meta_name: c, output: v, extra_configs: {values: [3], fail_if: )" + marker + R"(}}
        - {hook: emit, meta_name: d, output: v, extra_configs: {values: [4]}, input: {extra_configs.prev: 'p1.b.v'}}
)";
  };
  RunOptions opts;
  opts.quiet = true;
  auto cfg = Parse(yaml(dir), hooks);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto first = RunSandbox(*cfg, hooks, opts);
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.status().message().find("planted failure"), std::string::npos);
  EXPECT_NE(first.status().message().find("p2/c"), std::string::npos) << first.status().message();
  EXPECT_EQ(CountLines(dir + "/runs.txt"), 3);  // a, b, c (failed)
  fs::remove(marker);
  auto second = RunSandbox(*cfg, hooks, opts);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(CountLines(dir + "/runs.txt"), 5);  // + c, d: a and b were not rerun
  auto ref_cfg = Parse(yaml(ref_dir), hooks);
  ASSERT_TRUE(ref_cfg.ok());
  auto ref = RunSandbox(*ref_cfg, hooks, opts);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ContextListToJson(*second), ContextListToJson(*ref));
  // Resuming a finished run runs nothing.
  auto third = RunSandbox(*cfg, hooks, opts);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(CountLines(dir + "/runs.txt"), 5);
}

TEST(SandboxRunner, IteratesUntilTargetWithUpdater) {
  HookRegistry hooks;
  // `step` returns extra_configs.v + 1, so with the updater feeding v back the value climbs 1, 2, 3...
  ASSERT_TRUE(hooks.Register({"step", "StepHook", "", "", [](HookCall& call) -> Result<std::vector<Json>> {
                                const int v = call.extra_cfg.value("v", 0);
                                return std::vector<Json>{v + 1};
                              }}).ok());
  const std::string dir = MakeTempDir("iter");
  auto cfg = Parse("work_dir: " + dir + R"(
max_iter_num: 0
iter_targets: 'anonymous.s.v >= 3'
iter_updater: {anonymous.s.v: anonymous.s.extra_configs.v}
probe_job_configs: [{hook: step, meta_name: s, output: v, extra_configs: {v: 0}}]
)", hooks);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  RunOptions opts;
  opts.quiet = true;
  auto res = RunSandbox(*cfg, hooks, opts);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ASSERT_EQ(res->size(), 3u);
  EXPECT_EQ(*(*res)[2].Lookup("anonymous.s.v"), 3);
  EXPECT_EQ((*res)[2].iter(), 3);
}

TEST(SandboxRunner, OutputCountMismatchIsAnError) {
  const HookRegistry hooks = TestHooks();
  const std::string dir = MakeTempDir("mismatch");
  auto cfg = Parse("work_dir: " + dir + "\nprobe_job_configs:\n  - {hook: emit, output: [a, b], extra_configs: {values: [1]}}\n", hooks);
  ASSERT_TRUE(cfg.ok());
  RunOptions opts;
  opts.quiet = true;
  auto res = RunSandbox(*cfg, hooks, opts);
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find("returned 1 value(s) but 2 output name(s)"), std::string::npos) << res.status().message();
}

}  // namespace
}  // namespace juicer::sandbox
