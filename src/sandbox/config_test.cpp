#include "sandbox/config.h"

#include <gtest/gtest.h>

namespace juicer::sandbox {
namespace {

HookRegistry TestHooks() {
  HookRegistry r;
  for (auto [name, cls] : {std::pair{"probe_via_analyzer", "ProbeViaAnalyzerHook"},
                           std::pair{"process_data", "ProcessDataHook"}, std::pair{"train_model", "TrainModelHook"}}) {
    EXPECT_TRUE(r.Register({name, cls, "", "", [](HookCall&) -> Result<std::vector<Json>> { return std::vector<Json>{}; }}).ok());
  }
  return r;
}

Result<SandboxConfig> Parse(const std::string& yaml) {
  auto j = ParseYamlText(yaml, "sb.yaml");
  if (!j.ok()) return j.status();
  static HookRegistry hooks = TestHooks();
  return ParseSandboxConfig(*j, "cfgdir/sb.yaml", hooks);
}

TEST(SandboxConfig, SinglePipelineInStageOrder) {
  auto c = Parse(R"(
project_name: p
work_dir: out
evaluation_job_configs:
  - hook: TrainModelHook
    meta_name: last
execution_job_configs:
  - hook: process_data
    meta_name: proc
    output: path
    input:
      dj_configs.dataset_path: '-1.x'
probe_job_configs:
  - hook: ProbeViaAnalyzerHook
    meta_name: probe
    dj_configs: {dataset_path: a.jsonl}
    local: {dj_configs.np: 2}
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->pipelines.size(), 1u);
  EXPECT_EQ(c->pipelines[0].name, "anonymous");
  ASSERT_EQ(c->pipelines[0].jobs.size(), 3u);
  EXPECT_EQ(c->pipelines[0].jobs[0].meta_name, "probe");
  EXPECT_EQ(c->pipelines[0].jobs[0].hook, "probe_via_analyzer");
  EXPECT_EQ(c->pipelines[0].jobs[1].meta_name, "proc");
  EXPECT_EQ(c->pipelines[0].jobs[2].hook, "train_model");
  EXPECT_EQ(c->config_dir, "cfgdir");
  EXPECT_EQ(c->max_iter_num, 1);
}

TEST(SandboxConfig, UnknownHookNamesYamlPath) {
  auto c = Parse("work_dir: o\npipelines:\n  - p1:\n      probe_job_configs:\n        - hook: NoSuchHook\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("pipelines[0].p1.probe_job_configs[0].hook"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("NoSuchHook"), std::string::npos);
}

TEST(SandboxConfig, DanglingReferences) {
  // A job that does not exist.
  auto c = Parse(R"(
work_dir: o
execution_job_configs:
  - hook: process_data
    meta_name: a
    input: {dj_configs.dataset_path: 'anonymous.nope.path'}
)");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("execution_job_configs[0].input.dj_configs.dataset_path"), std::string::npos);
  EXPECT_NE(c.status().message().find("no job with meta_name 'nope'"), std::string::npos) << c.status().message();
  // A job that runs later.
  c = Parse(R"(
work_dir: o
probe_job_configs:
  - {hook: process_data, meta_name: a, input: {dj_configs.x: 'anonymous.b.out'}}
  - {hook: process_data, meta_name: b, output: out}
)");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("runs after this one"), std::string::npos) << c.status().message();
  // An output the job does not declare.
  c = Parse(R"(
work_dir: o
probe_job_configs:
  - {hook: process_data, meta_name: b, output: out}
  - {hook: process_data, meta_name: a, input: {dj_configs.x: 'anonymous.b.other'}}
)");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("has no output 'other'"), std::string::npos) << c.status().message();
  // -1 on the first job.
  c = Parse("work_dir: o\nprobe_job_configs:\n  - {hook: process_data, input: {extra_configs.x: '-1.y'}}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("no job runs before"), std::string::npos);
  // The key to update must be a config group.
  c = Parse("work_dir: o\nprobe_job_configs:\n  - {hook: process_data, meta_name: b, output: o}\n  - {hook: process_data, input: {x: '-1.o'}}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("must start with dj_configs or extra_configs"), std::string::npos);
}

TEST(SandboxConfig, IterTargets) {
  auto t = ParseIterTarget("p.m.acc >= 0.8");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->op, ">=");
  EXPECT_EQ(t->key, "p.m.acc");
  EXPECT_TRUE(t->Check(0.8));
  EXPECT_FALSE(t->Check(0.7));
  EXPECT_FALSE(t->Check("0.9"));
  EXPECT_FALSE(ParseIterTarget("p.m.acc ~ 3").ok());
  EXPECT_FALSE(ParseIterTarget("p.m.acc >= high").ok());
  auto c = Parse(R"(
work_dir: o
max_iter_num: 0
iter_targets: ['anonymous.m.acc >= 0.9', 'anonymous.zz.acc > 1']
probe_job_configs:
  - {hook: process_data, meta_name: m, output: acc}
)");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("iter_targets[1]"), std::string::npos) << c.status().message();
  c = Parse("work_dir: o\nmax_iter_num: 0\nprobe_job_configs:\n  - {hook: process_data}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("needs iter_targets"), std::string::npos);
}

TEST(SandboxConfig, PipelinesAndUpdater) {
  auto c = Parse(R"(
work_dir: o
max_iter_num: 3
iter_updater:
  p1.m.out: p2.n.extra_configs.k
pipelines:
  - p1:
      probe_job_configs: [{hook: process_data, meta_name: m, output: out}]
  - p2:
      execution_job_configs: [{hook: train_model, meta_name: n, input: {extra_configs.x: 'p1.m.out'}}]
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->pipelines.size(), 2u);
  EXPECT_EQ(c->pipelines[1].name, "p2");
  ASSERT_EQ(c->iter_updater.size(), 1u);
  c = Parse("work_dir: o\niter_updater: {anonymous.m.out: anonymous.m.k}\nprobe_job_configs:\n  - {hook: process_data, meta_name: m, output: out}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("iter_updater"), std::string::npos);
  c = Parse("work_dir: o\npipelines:\n  - a: {probe_job_configs: [{hook: process_data}]}\n  - a: {probe_job_configs: [{hook: process_data}]}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("duplicate pipeline"), std::string::npos);
}

TEST(SandboxConfig, UnknownKeysAndHpo) {
  auto c = Parse("work_dir: o\nprobe_job_config: []\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("probe_job_config"), std::string::npos);
  c = Parse("work_dir: o\nprobe_job_configs:\n  - {hook: process_data, extra_config: {}}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("probe_job_configs[0].extra_config"), std::string::npos);
  c = Parse("work_dir: o\nhpo_config: sweep.yaml\nprobe_job_configs:\n  - {hook: process_data}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("hpo_config"), std::string::npos);
}

}  // namespace
}  // namespace juicer::sandbox
