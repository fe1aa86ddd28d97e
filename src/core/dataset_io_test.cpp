// Readers and writers: every input format, weighted mixes, sharding, zstd, checkpoint truncation.
#include <gtest/gtest.h>
#include <zstd.h>

#include <filesystem>

#include "core/dataset_reader.h"
#include "core/dataset_writer.h"
#include "tests/test_util.h"

namespace juicer {
namespace {

using juicer::testing::ReadFile;
using juicer::testing::TempDir;
using juicer::testing::WriteFile;

struct Rec {
  std::string file, text;
  uint64_t line;
  std::string error;
};

std::vector<Rec> ReadAll(const std::string& dataset_path, uint64_t seed = 42) {
  auto files = ResolveDatasetPath(dataset_path);
  EXPECT_TRUE(files.ok()) << files.status().message();
  if (!files.ok()) return {};
  auto src = OpenDataset(*files, seed);
  std::vector<Rec> out;
  RecordBatch b;
  for (;;) {
    auto more = (*src)->Next(&b, 3, 1 << 20);  // tiny batches exercise batch boundaries
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    for (size_t i = 0; i < b.recs.size(); ++i) {
      Rec r{(*src)->file_names()[b.recs[i].file], std::string(b.data(b.recs[i]), b.recs[i].len), b.recs[i].line, ""};
      for (const auto& [idx, msg] : b.read_errors)
        if (idx == i) r.error = msg;
      out.push_back(r);
    }
  }
  return out;
}

std::string Zstd(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3));
  return out;
}

TEST(Reader, JsonlWithBlankLinesCrlfAndLineNumbers) {
  TempDir d;
  WriteFile(d / "a.jsonl", "{\"text\":\"one\"}\r\n\n   \n{\"text\":\"two\"}\n{\"text\":\"three\"}");
  auto recs = ReadAll(d / "a.jsonl");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].text, "{\"text\":\"one\"}");
  EXPECT_EQ(recs[1].line, 4u);
  EXPECT_EQ(recs[2].text, "{\"text\":\"three\"}");
  EXPECT_EQ(recs[2].line, 5u);
}

TEST(Reader, HugeLineLargerThanTheBuffer) {
  TempDir d;
  std::string big(5 << 20, 'x');
  WriteFile(d / "a.jsonl", "{\"text\":\"a\"}\n{\"text\":\"" + big + "\"}\n{\"text\":\"c\"}\n");
  auto recs = ReadAll(d / "a.jsonl");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].text.size(), big.size() + 11);
}

TEST(Reader, ZstdJsonArrayCsvTsvAndDirectory) {
  TempDir d;
  WriteFile(d / "dir/a.jsonl.zst", Zstd("{\"text\":\"z1\"}\n{\"text\":\"z2\"}\n"));
  WriteFile(d / "dir/b.json", "[{\"text\":\"j1\"}, {\"text\":\"j2\",\"n\":[1,2]}]");
  WriteFile(d / "dir/c.csv", "text,label\n\"a, \"\"quoted\"\"\nline\",1\nplain,2\n");
  WriteFile(d / "dir/d.tsv", "text\tlabel\nt1\tx\n");
  WriteFile(d / "dir/out_stats.jsonl", "{\"__dj__stats__\":{}}\n");  // stats files are not data
  WriteFile(d / "dir/notes.txt", "ignored");
  auto recs = ReadAll(d / "dir");
  ASSERT_EQ(recs.size(), 7u);
  EXPECT_EQ(recs[0].text, "{\"text\":\"z1\"}");
  EXPECT_EQ(recs[2].text, "{\"text\":\"j1\"}");
  EXPECT_EQ(recs[3].text, "{\"text\":\"j2\",\"n\":[1,2]}");
  EXPECT_EQ(recs[3].line, 2u);
  EXPECT_EQ(recs[4].text, "{\"text\":\"a, \\\"quoted\\\"\\nline\",\"label\":\"1\"}");
  EXPECT_EQ(recs[5].line, 4u);
  EXPECT_EQ(recs[6].text, "{\"text\":\"t1\",\"label\":\"x\"}");
}

TEST(Reader, CsvRowWithWrongColumnCountIsReported) {
  TempDir d;
  WriteFile(d / "a.csv", "text,label\nok,1\nbroken\n");
  auto recs = ReadAll(d / "a.csv");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].error.empty());
  EXPECT_NE(recs[1].error.find("1 columns"), std::string::npos);
  EXPECT_EQ(recs[1].line, 3u);
}

TEST(Reader, WeightedMixFollowsDataJuicerCounts) {
  TempDir d;
  std::string a, b;
  for (int i = 0; i < 10; ++i) a += "{\"a\":" + std::to_string(i) + "}\n";
  for (int i = 0; i < 4; ++i) b += "{\"b\":" + std::to_string(i) + "}\n";
  WriteFile(d / "a.jsonl", a);
  WriteFile(d / "b.jsonl", b);
  // ceil(10 * 0.35) = 4 from a; ceil(4 * 2.5) = 10 from b (two full passes + 2 drawn)
  auto recs = ReadAll("0.35 " + (d / "a.jsonl") + " 2.5 " + (d / "b.jsonl"));
  ASSERT_EQ(recs.size(), 14u);
  size_t from_a = 0;
  for (const auto& r : recs) from_a += r.file.find("a.jsonl") != std::string::npos;
  EXPECT_EQ(from_a, 4u);
  auto again = ReadAll("0.35 " + (d / "a.jsonl") + " 2.5 " + (d / "b.jsonl"));
  for (size_t i = 0; i < recs.size(); ++i) EXPECT_EQ(recs[i].text, again[i].text);  // deterministic
}

TEST(Reader, MissingPathAndBadFormat) {
  EXPECT_EQ(ResolveDatasetPath("/nonexistent/x.jsonl").status().code(), StatusCode::kNotFound);
  TempDir d;
  WriteFile(d / "x.parquet", "PAR1");
  auto r = ResolveDatasetPath(d / "x.parquet");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unsupported dataset format"), std::string::npos);
}

TEST(Writer, ShardsNamedLikeDataJuicer) {
  TempDir d;
  auto w = DatasetWriter::Create(d / "out.jsonl", 100);
  ASSERT_TRUE(w.ok());
  std::string lines;
  for (int i = 0; i < 10; ++i) lines += "{\"text\":\"" + std::string(40, 'a' + i) + "\"}\n";  // 53 bytes each
  ASSERT_TRUE((*w)->Write(lines, 10).ok());
  auto paths = (*w)->Commit();
  ASSERT_TRUE(paths.ok());
  ASSERT_EQ(paths->size(), 5u);
  EXPECT_EQ((*paths)[0], d / "out-00-of-05.jsonl");
  std::string all;
  for (const auto& p : *paths) all += ReadFile(p);
  EXPECT_EQ(all, lines);
  EXPECT_FALSE(std::filesystem::exists(d / "out.jsonl"));
}

TEST(Writer, ZstdOutputRoundTripsThroughTheReader) {
  TempDir d;
  auto w = DatasetWriter::Create(d / "out.jsonl.zst", 0);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write("{\"text\":\"a\"}\n", 1).ok());
  ASSERT_TRUE((*w)->Checkpoint().ok());  // ends a frame: multi-frame files must read back
  ASSERT_TRUE((*w)->Write("{\"text\":\"b\"}\n", 1).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  auto recs = ReadAll(d / "out.jsonl.zst");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].text, "{\"text\":\"b\"}");
}

TEST(Writer, ResumeTruncatesToTheCheckpoint) {
  for (const std::string name : {"out.jsonl", "out.jsonl.zst"}) {
    TempDir d;
    WriterPosition pos;
    {
      auto w = DatasetWriter::Create(d / name, 0);
      ASSERT_TRUE((*w)->Write("{\"a\":1}\n", 1).ok());
      pos = *(*w)->Checkpoint();
      ASSERT_TRUE((*w)->Write("{\"lost\":1}\n", 1).ok());
      (void)(*w)->Checkpoint();  // written but not recorded: a crash right here
    }
    auto w = DatasetWriter::Create(d / name, 0, &pos);
    ASSERT_TRUE(w.ok()) << w.status().message();
    ASSERT_TRUE((*w)->Write("{\"b\":2}\n", 1).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    auto recs = ReadAll(d / name);
    ASSERT_EQ(recs.size(), 2u) << name;
    EXPECT_EQ(recs[1].text, "{\"b\":2}");
  }
}

TEST(Writer, NothingVisibleBeforeCommit) {
  TempDir d;
  auto w = DatasetWriter::Create(d / "out.jsonl", 0);
  ASSERT_TRUE((*w)->Write("{\"a\":1}\n", 1).ok());
  EXPECT_FALSE(std::filesystem::exists(d / "out.jsonl"));
  (*w)->Abort();
  EXPECT_TRUE(std::filesystem::is_empty(d.path()));
}

}  // namespace
}  // namespace juicer
