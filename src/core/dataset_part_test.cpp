// Input parts of a distributed run: for every split of the input into byte ranges, the parts read in
// order (with the line numbers their counts give) are exactly the whole input.
#include <gtest/gtest.h>
#include <zstd.h>

#include <filesystem>

#include "core/dataset_reader.h"
#include "tests/test_util.h"

namespace juicer {
namespace {

using juicer::testing::TempDir;
using juicer::testing::WriteFile;

struct Rec {
  uint32_t file;
  uint64_t line;
  std::string text;
  bool operator==(const Rec& o) const { return file == o.file && line == o.line && text == o.text; }
};

std::vector<Rec> Drain(RecordSource* src) {
  std::vector<Rec> out;
  RecordBatch b;
  for (;;) {
    auto more = src->Next(&b, 2, 1 << 20);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    for (const auto& r : b.recs) out.push_back({r.file, r.line, std::string(b.data(r), r.len)});
  }
  return out;
}

// Reads the input as `count` parts, numbering lines as a distributed run does (bases = counts of the
// earlier parts).
std::vector<Rec> ReadInParts(const std::vector<InputFile>& files, int count) {
  std::vector<Rec> all;
  std::vector<uint64_t> base(files.size(), 0);
  for (int i = 0; i < count; ++i) {
    InputPart p = PartOfInput(files, i, count);
    auto counts = CountInputPart(files, 42, p);
    EXPECT_TRUE(counts.ok());
    p.line_base = base;
    auto src = OpenDatasetPart(files, 42, p);
    EXPECT_TRUE(src.ok());
    std::vector<Rec> part = Drain(src->get());
    EXPECT_EQ(part.size(), counts->records) << "part " << i << " of " << count;
    for (size_t f = 0; f < files.size(); ++f) base[f] += counts->lines[f];
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

TEST(InputParts, PartsConcatenateToTheWholeInput) {
  TempDir d;
  // blank and whitespace-only lines, CRLF, a last line without newline, a long line
  WriteFile(d / "a.jsonl", "{\"t\":1}\n\n{\"t\":2}\r\n   \n{\"t\":\"" + std::string(300, 'x') + "\"}\n{\"t\":4}\n");
  WriteFile(d / "b.jsonl", "{\"t\":5}\n{\"t\":6}\n{\"t\":7}");
  WriteFile(d / "c.jsonl", "");
  {
    const std::string text = "{\"t\":8}\n{\"t\":9}\n";
    std::string z(ZSTD_compressBound(text.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), text.data(), text.size(), 3));
    WriteFile(d / "d.jsonl.zst", z);  // not split: read whole by the part holding its first byte
  }
  WriteFile(d / "e.jsonl", "{\"t\":10}\n");
  auto files = ResolveDatasetPath(d.path());
  ASSERT_TRUE(files.ok());
  auto whole_src = OpenDataset(*files, 42);
  ASSERT_TRUE(whole_src.ok());
  const std::vector<Rec> whole = Drain(whole_src->get());
  ASSERT_EQ(whole.size(), 10u);
  for (int count : {1, 2, 3, 4, 7, 16, 64, 400}) EXPECT_EQ(ReadInParts(*files, count), whole) << count << " parts";
}

TEST(InputParts, WeightedFilesGoWhole) {
  TempDir d;
  std::string a, b;
  for (int i = 0; i < 40; ++i) a += "{\"a\":" + std::to_string(i) + "}\n";
  for (int i = 0; i < 30; ++i) b += "{\"b\":" + std::to_string(i) + "}\n";
  WriteFile(d / "a.jsonl", a);
  WriteFile(d / "b.jsonl", b);
  auto files = ResolveDatasetPath("0.5 " + (d / "a.jsonl") + " 1.5 " + (d / "b.jsonl"));
  ASSERT_TRUE(files.ok());
  auto whole_src = OpenDataset(*files, 42);
  const std::vector<Rec> whole = Drain(whole_src->get());
  ASSERT_EQ(whole.size(), 20u + 45u);
  for (int count : {2, 3, 5}) EXPECT_EQ(ReadInParts(*files, count), whole) << count << " parts";
}

}  // namespace
}  // namespace juicer
