// `mpirun -n N juicer process`: the same recipe (mapper + text filters, MinHash and exact dedup, field
// and random selectors, a filter after them) gives byte-identical output and stats with 1 process, 2
// ranks and 4 oversubscribed ranks; the analyzer's tables equal the single process's; a rank killed
// mid-run leaves no output or manifest, and the rerun finishes from the segments every rank completed.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "sandbox/json.h"
#include "tests/test_util.h"

namespace juicer::testing {
namespace {

namespace fs = std::filesystem;

#ifdef JUICER_MPIEXEC
// Open MPI refuses to run as root (CI) unless told twice; only these child processes are told.
std::string Mpirun(int ranks) {
  return std::string("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader "
                     "OMPI_MCA_btl_vader_single_copy_mechanism=none ") +
         JUICER_MPIEXEC + " -n " + std::to_string(ranks) + " --oversubscribe " + JuicerBinary();
}
#endif

// ~4k documents: random word sequences, near duplicates (one word changed), exact duplicates (other
// case), and short ones the filters drop.
void WriteCorpus(const std::string& path, int n) {
  std::mt19937_64 rng(11);
  std::vector<std::string> vocab;
  for (int i = 0; i < 400; ++i) vocab.push_back("w" + std::to_string(i * 7919 % 1000));
  std::vector<std::vector<std::string>> docs;
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> words;
    const int kind = static_cast<int>(rng() % 10);
    if (kind < 2 && !docs.empty()) {  // near duplicate of an earlier document
      words = docs[rng() % docs.size()];
      words[rng() % words.size()] = vocab[rng() % vocab.size()];
    } else if (kind == 2 && !docs.empty()) {  // exact duplicate
      words = docs[rng() % docs.size()];
    } else {
      const int len = kind == 3 ? 3 : 8 + static_cast<int>(rng() % 60);
      for (int w = 0; w < len; ++w) words.push_back(vocab[rng() % vocab.size()]);
    }
    docs.push_back(words);
    std::string text;
    for (size_t w = 0; w < words.size(); ++w) text += (w ? (rng() % 17 == 0 ? "  " : " ") : "") + words[w];
    if (kind == 2 && rng() % 2) text[0] = 'W';
    out += "{\"id\":" + std::to_string(i) + ",\"text\":\"" + text + "\",\"meta\":{\"n\":" + std::to_string(rng() % 5) + "}}\n";
    if (i % 97 == 0) out += "\n";  // blank lines are skipped but counted
  }
  WriteFile(path, out);
}

void WriteRecipe(const std::string& path, const std::string& data) {
  WriteFile(path, "dataset_path: " + data +
                      "\nnp: 1\nseed: 5\n"
                      "process:\n"
                      "  - whitespace_normalization_mapper: {}\n"
                      "  - text_length_filter: {min_len: 30}\n"
                      "  - words_num_filter: {min_num: 6}\n"
                      "  - document_minhash_deduplicator: {jaccard_threshold: 0.6}\n"
                      "  - document_deduplicator: {lowercase: true}\n"
                      "  - topk_specified_field_selector: {field_key: __dj__stats__.text_len, top_ratio: 0.8}\n"
                      "  - alphanumeric_filter: {min_ratio: 0.7}\n"
                      "  - random_selector: {select_ratio: 0.9}\n");
}

// The files the manifest lists (output or stats), concatenated in order.
std::string ReadManifest(const std::string& manifest, const char* key) {
  auto m = sandbox::LoadJsonFile(manifest);
  EXPECT_TRUE(m.ok()) << manifest;
  if (!m.ok()) return "";
  std::string all;
  for (const auto& part : (*m)["parts"])
    for (const auto& f : part[key]) all += ReadFile((fs::path(manifest).parent_path() / f.get<std::string>()).string());
  return all;
}

TEST(Mpi, SameOutputWith1And2And4Ranks) {
#ifndef JUICER_MPIEXEC
  GTEST_SKIP() << "juicer was built without MPI (JUICER_WITH_MPI off or libopenmpi-dev missing)";
#else
  TempDir d;
  WriteCorpus(d / "in.jsonl", 4000);
  WriteRecipe(d / "r.yaml", d / "in.jsonl");
  auto one = RunJuicer("process --config " + (d / "r.yaml") + " --export_path " + (d / "p1/out.jsonl") +
                       " --work_dir " + (d / "w1") + " --quiet");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  const std::string want = ReadFile(d / "p1/out.jsonl"), want_stats = ReadFile(d / "p1/out_stats.jsonl");
  const size_t kept = CountLines(want);
  ASSERT_GT(kept, 1000u);
  ASSERT_LT(kept, 3000u);  // every barrier removed something
  for (int ranks : {2, 4}) {
    const std::string out = d / ("p" + std::to_string(ranks));
    auto r = RunCommand(Mpirun(ranks) + " process --config " + (d / "r.yaml") + " --export_path " + out +
                        "/out.jsonl --work_dir " + (d / ("w" + std::to_string(ranks))) + " --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("manifest:"), std::string::npos) << r.output;
    EXPECT_EQ(ReadManifest(out + "/out.manifest.json", "files"), want) << ranks << " ranks";
    EXPECT_EQ(ReadManifest(out + "/out.manifest.json", "stats_files"), want_stats) << ranks << " ranks";
    EXPECT_TRUE(fs::exists(out + "/out-rank00001-of-0000" + std::to_string(ranks) + ".jsonl"));
    EXPECT_FALSE(fs::exists(d / ("w" + std::to_string(ranks)) + "/.juicer-dist")) << "temporary files left";
  }
#endif
}

TEST(Mpi, AnalyzerEqualsSingleProcess) {
#ifndef JUICER_MPIEXEC
  GTEST_SKIP() << "juicer was built without MPI (JUICER_WITH_MPI off or libopenmpi-dev missing)";
#else
  TempDir d;
  WriteCorpus(d / "in.jsonl", 1500);
  WriteRecipe(d / "r.yaml", d / "in.jsonl");
  auto one = RunJuicer("analyze --config " + (d / "r.yaml") + " --export_path " + (d / "a1/out.jsonl") +
                       " --work_dir " + (d / "w1") + " --quiet");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = RunCommand(Mpirun(3) + " analyze --config " + (d / "r.yaml") + " --export_path " + (d / "a3/out.jsonl") +
                        " --work_dir " + (d / "w3") + " --quiet");
  ASSERT_EQ(two.exit_code, 0) << two.output;
  const std::string want = ReadFile(d / "w1/analysis/overall.csv");
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(ReadFile(d / "w3/analysis/overall.csv"), want);
  EXPECT_EQ(ReadManifest(d / "a3/out.manifest.json", "files"), ReadFile(d / "a1/out.jsonl"));
#endif
}

TEST(Mpi, KilledRankLeavesNoOutputAndRerunFinishes) {
#ifndef JUICER_MPIEXEC
  GTEST_SKIP() << "juicer was built without MPI (JUICER_WITH_MPI off or libopenmpi-dev missing)";
#else
  TempDir d;
  WriteCorpus(d / "in.jsonl", 6000);
  WriteRecipe(d / "r.yaml", d / "in.jsonl");
  auto one = RunJuicer("process --config " + (d / "r.yaml") + " --export_path " + (d / "p1/out.jsonl") +
                       " --work_dir " + (d / "w1") + " --quiet");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  // Each rank has ~3000 records (3 batches) in segment 1: the 4th committed batch is in segment 2.
  const std::string args = " process --config " + (d / "r.yaml") + " --export_path " + (d / "p2/out.jsonl") +
                           " --work_dir " + (d / "w2") + " --quiet";
  auto killed = RunCommand("JUICER_DEBUG_KILL_AFTER_BATCHES=4 " + Mpirun(2) + args);
  ASSERT_NE(killed.exit_code, 0) << killed.output;
  EXPECT_FALSE(fs::exists(d / "p2/out.manifest.json"));
  EXPECT_FALSE(fs::exists(d / "p2/out-rank00000-of-00002.jsonl"));
  EXPECT_FALSE(fs::exists(d / "p2/out-rank00001-of-00002.jsonl"));
  auto rerun = RunCommand(Mpirun(2) + args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("resuming after segment"), std::string::npos) << rerun.output;
  EXPECT_EQ(ReadManifest(d / "p2/out.manifest.json", "files"), ReadFile(d / "p1/out.jsonl"));
#endif
}

}  // namespace
}  // namespace juicer::testing
