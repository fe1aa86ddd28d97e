// The juicer binary: subcommands, --help, ops listing/docs, docs/ops.md freshness, recipe errors.
#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace juicer::testing {
namespace {

TEST(Cli, HelpOnEverySubcommand) {
  for (const std::string cmd : {"process", "analyze", "ops", "demo"}) {
    auto r = RunJuicer(cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd << r.output;
    EXPECT_NE(r.output.find("usage: juicer " + cmd), std::string::npos) << r.output;
  }
  auto r = RunJuicer("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(RunJuicer("").exit_code, 2);
  EXPECT_EQ(RunJuicer("frobnicate").exit_code, 2);
}

TEST(Cli, OpsListingAndDocs) {
  auto list = RunJuicer("ops --list 2>/dev/null");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find("text_length_filter\n"), std::string::npos);
  EXPECT_NE(list.output.find("document_deduplicator\n"), std::string::npos);
  auto table = RunJuicer("ops");
  EXPECT_NE(table.output.find("filter"), std::string::npos);
  auto doc = RunJuicer("ops text_length_filter");
  EXPECT_EQ(doc.exit_code, 0);
  EXPECT_NE(doc.output.find("min_len: int = 10"), std::string::npos) << doc.output;
  EXPECT_NE(doc.output.find("text_len"), std::string::npos);
  auto bad = RunJuicer("ops text_lenght_filter");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("did you mean text_length_filter?"), std::string::npos);
}

TEST(Cli, DocsOpsMdIsFresh) {
  auto md = RunJuicer("ops --markdown 2>/dev/null");
  ASSERT_EQ(md.exit_code, 0);
  EXPECT_EQ(md.output, ReadFile(SourceDir() + "/docs/ops.md"))
      << "docs/ops.md is stale: run `build/juicer ops --markdown > docs/ops.md`";
}

TEST(Cli, RecipeErrorsAreOneLineBeforeAnyDataIsRead) {
  TempDir d;
  WriteFile(d / "r.yaml", "dataset_path: " + (d / "missing.jsonl") + "\nexport_path: " + (d / "o.jsonl") +
                              "\nprocess:\n  - text_lenght_filter:\n      min_len: 5\n");
  auto r = RunJuicer("process --config " + (d / "r.yaml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("r.yaml:4: unknown op 'text_lenght_filter' (did you mean text_length_filter?)"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(CountLines(r.output), 1u) << r.output;
  auto m = RunJuicer("process --config " + (d / "nope.yaml"));
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.output.find("nope.yaml: recipe file does not exist"), std::string::npos);
}

TEST(Cli, OverridesFromTheCommandLine) {
  TempDir d;
  WriteFile(d / "in.jsonl", "{\"text\":\"a long enough text\"}\n{\"text\":\"short\"}\n");
  WriteFile(d / "r.yaml", "dataset_path: " + (d / "in.jsonl") + "\nexport_path: " + (d / "o.jsonl") +
                              "\nprocess:\n  - text_length_filter:\n      min_len: 10\n");
  auto r = RunJuicer("process --config " + (d / "r.yaml") + " --export_path " + (d / "x.jsonl") +
                     " --keep_stats_in_res_ds true --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(ReadFile(d / "x.jsonl"), "{\"text\":\"a long enough text\",\"__dj__stats__\":{\"text_len\":18}}\n");
  EXPECT_EQ(ReadFile(d / "x_stats.jsonl"), "{\"__dj__stats__\":{\"text_len\":18}}\n");
}

}  // namespace
}  // namespace juicer::testing
