// End-to-end executor properties: thread-count equivalence, kill + resume gives byte-identical output,
// outputs appear atomically.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_util.h"

namespace fs = std::filesystem;

namespace juicer::testing {
namespace {

const char* kRecipe = R"(dataset_path: {IN}
export_path: {OUT}
keep_stats_in_res_ds: true
use_checkpoint: true
open_tracer: true
process:
  - text_length_filter:
      min_len: 100
  - words_num_filter:
      min_num: 20
  - document_deduplicator:
      lowercase: true
  - special_characters_filter:
      max_ratio: 0.3
  - random_selector:
      select_ratio: 0.8
  - alphanumeric_filter:
      min_ratio: 0.5
)";

std::string MakeRecipe(const TempDir& d, const std::string& in, const std::string& out) {
  std::string r = kRecipe;
  r.replace(r.find("{IN}"), 4, in);
  r.replace(r.find("{OUT}"), 5, out);
  const std::string path = d / ("recipe-" + fs::path(out).stem().string() + ".yaml");
  WriteFile(path, r);
  return path;
}

TEST(Executor, SameOutputForAnyThreadCount) {
  TempDir d;
  WriteFile(d / "in.jsonl", SyntheticJsonl(6000, 400, 1));
  std::string ref;
  for (const std::string np : {"1", "2", "4"}) {
    const std::string out = d / ("o" + np + "/out.jsonl");
    auto r = RunJuicer("process --quiet --np " + np + " --config " + MakeRecipe(d, d / "in.jsonl", out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string got = ReadFile(out) + ReadFile(d / ("o" + np + "/out_stats.jsonl")) +
                            ReadFile(d / ("o" + np + "/trace/duplicate-document_deduplicator.jsonl"));
    if (ref.empty()) ref = got;
    EXPECT_EQ(got, ref) << "np=" << np;
  }
  EXPECT_GT(CountLines(ref), 1000u);
}

// Kills the run after `kill_after` committed batches (checkpointing after every batch), checks that no
// output is visible, reruns, and compares with an uninterrupted run.
void KillAndResume(long kill_after, const std::string& np) {
  TempDir d;
  WriteFile(d / "in.jsonl", SyntheticJsonl(30000, 300, 2));  // ~30 batches in the first segment
  auto ref = RunJuicer("process --quiet --np " + np + " --config " + MakeRecipe(d, d / "in.jsonl", d / "ref/out.jsonl"));
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  const std::string recipe = MakeRecipe(d, d / "in.jsonl", d / "res/out.jsonl");
  auto killed = RunCommand("JUICER_CHECKPOINT_INTERVAL_S=0 JUICER_DEBUG_KILL_AFTER_BATCHES=" +
                           std::to_string(kill_after) + " " + JuicerBinary() + " process --quiet --np " + np +
                           " --config " + recipe);
  ASSERT_EQ(killed.signal, 9) << killed.output;
  EXPECT_FALSE(fs::exists(d / "res/out.jsonl")) << "a killed run must not leave a visible output";
  ASSERT_TRUE(fs::exists(d / "res/.juicer-checkpoint"));
  auto resumed = RunJuicer("process --np " + np + " --config " + recipe);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming from checkpoint"), std::string::npos) << resumed.output;
  EXPECT_EQ(ReadFile(d / "res/out.jsonl"), ReadFile(d / "ref/out.jsonl"));
  EXPECT_EQ(ReadFile(d / "res/out_stats.jsonl"), ReadFile(d / "ref/out_stats.jsonl"));
  EXPECT_EQ(ReadFile(d / "res/trace/duplicate-document_deduplicator.jsonl"),
            ReadFile(d / "ref/trace/duplicate-document_deduplicator.jsonl"));
  EXPECT_FALSE(fs::exists(d / "res/.juicer-checkpoint")) << "checkpoint must be removed after success";
}

TEST(Executor, KillInFirstSegmentThenResume) { KillAndResume(7, "2"); }
TEST(Executor, KillInLaterSegmentThenResume) { KillAndResume(45, "1"); }

TEST(Executor, ChangedRecipeDoesNotReuseACheckpoint) {
  TempDir d;
  WriteFile(d / "in.jsonl", SyntheticJsonl(5000, 300, 3));
  const std::string recipe = MakeRecipe(d, d / "in.jsonl", d / "o/out.jsonl");
  auto killed = RunCommand("JUICER_CHECKPOINT_INTERVAL_S=0 JUICER_DEBUG_KILL_AFTER_BATCHES=2 " + JuicerBinary() +
                           " process --quiet --config " + recipe);
  ASSERT_EQ(killed.signal, 9);
  // a different threshold: a different fingerprint, so a fresh run
  std::string text = ReadFile(recipe);
  text.replace(text.find("min_len: 100"), 12, "min_len: 150");
  WriteFile(recipe, text);
  auto r = RunJuicer("process --config " + recipe);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("resuming"), std::string::npos);
}

}  // namespace
}  // namespace juicer::testing

namespace juicer::testing {
namespace {

TEST(Executor, InterruptLeavesNoPartialFiles) {
  TempDir d;
  WriteFile(d / "in.jsonl", SyntheticJsonl(200000, 300, 4));
  WriteFile(d / "r.yaml", "dataset_path: " + (d / "in.jsonl") + "\nexport_path: " + (d / "o/out.jsonl") +
                              "\nnp: 1\nprocess:\n  - words_num_filter:\n  - character_repetition_filter:\n"
                              "  - word_repetition_filter:\n");
  // Three ops over 60 MB take a few seconds on one thread; juicer starts in ~0.2 s, so the signal
  // arrives mid-run.
  auto r = RunCommand("(" + JuicerBinary() + " process --quiet --config " + (d / "r.yaml") +
                      " & p=$!; sleep 0.5; kill -INT $p; wait $p)");
  if (r.exit_code == 0) GTEST_SKIP() << "the run finished before the signal arrived";
  EXPECT_EQ(r.exit_code, 130) << r.output;
  EXPECT_NE(r.output.find("interrupted"), std::string::npos) << r.output;
  for (const auto& e : std::filesystem::recursive_directory_iterator(d.path()))
    EXPECT_EQ(e.path().string().find("juicer-tmp"), std::string::npos) << e.path();
  EXPECT_FALSE(std::filesystem::exists(d / "o/out.jsonl"));
}

}  // namespace
}  // namespace juicer::testing
