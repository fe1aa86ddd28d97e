// `juicer sandbox probe --executor slurm` on a real one-node Slurm cluster (slurm-wlm + munge, started
// by tests/slurm/start_cluster.sh as root): the single-OP probe runs go out as one job array, each task
// leaves its metrics.json marker, a rerun resubmits only the runs whose marker is missing, and a failed
// task is reported with its run and logs.
// Skipped, with the reason, only where the daemons cannot start (not root, not installed).
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "sandbox/json.h"
#include "tests/test_util.h"

namespace juicer::testing {
namespace {

namespace fs = std::filesystem;

class SlurmCluster {
 public:
  explicit SlurmCluster(const std::string& dir) : dir_(dir) {
    auto r = RunCommand(SourceDir() + "/tests/slurm/start_cluster.sh " + dir);
    started_ = r.exit_code == 0;
    output_ = r.output;
    if (started_) conf_ = output_.substr(0, output_.find('\n'));
  }
  ~SlurmCluster() { RunCommand(SourceDir() + "/tests/slurm/stop_cluster.sh " + dir_); }
  bool started() const { return started_; }
  const std::string& output() const { return output_; }
  const std::string& conf() const { return conf_; }

 private:
  std::string dir_, output_, conf_;
  bool started_ = false;
};

TEST(Slurm, ProbeJobArrayResubmissionAndFailure) {
  TempDir d;
  SlurmCluster cluster(d / "cluster");
  if (!cluster.started()) GTEST_SKIP() << "no Slurm cluster could be started here: " << cluster.output();
  WriteTinyLmCorpus(d.path(), 90, 20);
  WriteFile(d / "ops.yaml", "process:\n  - text_length_filter: {min_len: 0}\n");
  const std::string cmd = "SLURM_CONF=" + cluster.conf() + " " + JuicerBinary() + " sandbox probe --data " +
                          (d / "train.jsonl") + " --task lm --ops " + (d / "ops.yaml") + " --out " + (d / "out") +
                          " --seeds 2 --steps 4 --batch-size 4 --set sp_vocab=60 --skip recipes,scaling,refine,transfer,diversity"
                          " --executor slurm --parallel 4 --slurm-partition test --slurm-time 00:10:00";
  auto r = RunCommand(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("submitting 8 probe runs as a Slurm job array"), std::string::npos) << r.output;
  const std::string script = ReadFile(d / "out/runs/slurm/juicer-probe-single-OP-pools.sbatch");
  EXPECT_NE(script.find("#SBATCH --array=0-7%4"), std::string::npos) << script;
  EXPECT_NE(script.find("#SBATCH --partition=test"), std::string::npos) << script;
  EXPECT_NE(script.find("SLURM_ARRAY_TASK_ID"), std::string::npos) << script;
  auto res = sandbox::LoadJsonFile(d / "out/results.json");
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ASSERT_EQ((*res)["pools"].size(), 4u);  // three thirds of text_len + random
  for (const auto& p : (*res)["pools"]) {
    ASSERT_EQ(p["values"].size(), 2u) << p.dump();
    for (const auto& v : p["values"]) EXPECT_GT(v.get<double>(), 0.0);
  }
  // A lost run (its marker gone) is all a rerun submits; the others are reused.
  const std::string lost = d / "out/runs/random/seed_2/metrics.json";
  ASSERT_TRUE(fs::exists(lost));
  const std::string before = ReadFile(lost);
  fs::remove(lost);
  r = RunCommand(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("(7 already done)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("submitting 1 probe runs"), std::string::npos) << r.output;
  EXPECT_NE(ReadFile(d / "out/runs/slurm/juicer-probe-single-OP-pools.sbatch").find("#SBATCH --array=0-0%4"),
            std::string::npos);
  EXPECT_EQ(ReadFile(lost), before);  // same seed, same data: the same metric

  // A task that fails (`juicer train` rejects the model key) leaves no marker: the error names the run
  // and its logs.
  r = RunCommand("SLURM_CONF=" + cluster.conf() + " " + JuicerBinary() + " sandbox probe --data " + (d / "train.jsonl") +
                 " --task lm --ops " + (d / "ops.yaml") + " --out " + (d / "failing") +
                 " --seeds 2 --steps 2 --batch-size 4 --set no_such_key=1 --skip recipes,scaling,refine,transfer,diversity"
                 " --executor slurm --parallel 8");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("its Slurm task did not finish"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("train.log, eval.log"), std::string::npos) << r.output;
  EXPECT_NE(ReadFile(d / "failing/runs/random/seed_1/train.log").find("unknown model config key 'no_such_key'"),
            std::string::npos);
}

}  // namespace
}  // namespace juicer::testing
