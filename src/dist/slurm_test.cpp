// The generated sbatch script and shell quoting (the real cluster run is tests/slurm_test.cpp).
#include "dist/slurm.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/test_util.h"

namespace juicer::dist {
namespace {

TEST(SlurmScript, OneCaseBranchPerTaskAndTheOptions) {
  SlurmOptions o;
  o.partition = "gpu";
  o.time = "01:00:00";
  o.mem = "4G";
  o.cpus_per_task = 2;
  o.max_parallel = 3;
  o.extra = {"--account=proj"};
  const std::string s = SbatchScript("job", {{"a", "echo one\necho two"}, {"b", "echo three"}}, "/logs", o);
  for (const char* want : {"#SBATCH --array=0-1%3\n", "#SBATCH --partition=gpu\n", "#SBATCH --time=01:00:00\n",
                           "#SBATCH --mem=4G\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --account=proj\n",
                           "#SBATCH --output=/logs/%A_%a.out\n", "  0)  # a\n    echo one\n    echo two\n    ;;\n",
                           "  1)  # b\n    echo three\n    ;;\n"})
    EXPECT_NE(s.find(want), std::string::npos) << want << "\n" << s;
  EXPECT_EQ(s.find("--partition", s.find("--partition") + 1), std::string::npos);
}

TEST(SlurmScript, TaskIdSelectsTheBranch) {
  // the script is plain bash: run it as array task 1 without Slurm
  juicer::testing::TempDir d;
  const std::string marker = d / "marker";
  const std::string s = SbatchScript("job", {{"a", "echo zero > " + ShellQuote(marker)}, {"b", "echo one > " + ShellQuote(marker)}},
                                     d.path(), SlurmOptions{});
  juicer::testing::WriteFile(d / "job.sbatch", s);
  EXPECT_EQ(std::system(("SLURM_ARRAY_TASK_ID=1 bash " + (d / "job.sbatch")).c_str()), 0);
  EXPECT_EQ(juicer::testing::ReadFile(marker), "one\n");
  EXPECT_NE(std::system(("SLURM_ARRAY_TASK_ID=7 bash " + (d / "job.sbatch") + " 2>/dev/null").c_str()), 0);
  EXPECT_NE(std::system(("bash " + (d / "job.sbatch") + " 2>/dev/null").c_str()), 0);  // not an array task
}

TEST(SlurmScript, ShellQuoteSurvivesBash) {
  juicer::testing::TempDir d;
  const std::string nasty = "it's a $HOME `x` \"q\" \\ ;|&";
  juicer::testing::WriteFile(d / "t.sh", "printf %s " + ShellQuote(nasty) + " > " + ShellQuote(d / "out"));
  ASSERT_EQ(std::system(("bash " + (d / "t.sh")).c_str()), 0);
  EXPECT_EQ(juicer::testing::ReadFile(d / "out"), nasty);
}

TEST(SlurmScript, MissingSbatchIsAClearError) {
  juicer::testing::TempDir d;
  SlurmOptions o;
  o.sbatch = d / "no-such-sbatch";
  Status st = RunSlurmArray(d.path(), "job", {{"a", "true"}}, o);
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("cannot run"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace juicer::dist
