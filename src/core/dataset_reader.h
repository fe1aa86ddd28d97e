// Streaming input: dataset_path (file, directory, or Data-Juicer weighted mix "0.5 a.jsonl 1.0 dir/")
// -> batches of raw JSON object texts. Memory is bounded by the batch size, never the dataset size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace juicer {

enum class InputFormat { kJsonl, kJsonlZst, kJsonArray, kCsv, kTsv };

struct InputFile {
  std::string path;
  double weight = 1.0;
  InputFormat format = InputFormat::kJsonl;
  uint64_t size_bytes = 0;
};

// Format from the name: .jsonl/.jsonl.zst/.json/.csv/.tsv (.json holding JSON lines is detected at read).
Result<InputFormat> FormatOfPath(const std::string& path);
// Parses dataset_path: one path, or pairs of "<weight> <path>" (a bare path has weight 1.0).
// Directories expand to their supported files (recursively, sorted by name).
Result<std::vector<InputFile>> ResolveDatasetPath(const std::string& dataset_path);

struct RecordBatch {
  struct Rec {
    uint32_t file = 0;    // index into RecordSource::file_names()
    uint64_t line = 0;    // 1-based line / element number in that file
    uint64_t offset = 0;  // into buffer
    uint64_t len = 0;
  };
  uint64_t seq = 0;
  uint64_t first_index = 0;  // stream position of recs[0]
  std::string buffer;        // record texts back to back, followed by JsonPadding() spare bytes
  std::vector<Rec> recs;
  uint64_t input_bytes = 0;  // input bytes consumed by this batch (progress)
  // Records that are not JSON text at all (a CSV row with the wrong column count, ...): kept so the
  // executor reports them like a malformed JSON line.
  std::vector<std::pair<size_t, std::string>> read_errors;  // (rec index, message)

  const char* data(const Rec& r) const { return buffer.data() + r.offset; }
  size_t capacity(const Rec& r) const { return buffer.size() - r.offset; }
  void Clear();
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Fills `batch` with the next records (about max_bytes of text); false at the end of the stream.
  virtual Result<bool> Next(RecordBatch* batch, size_t max_records, size_t max_bytes) = 0;
  virtual uint64_t total_bytes() const = 0;
  virtual const std::vector<std::string>& file_names() const = 0;
};

// `seed` drives the weighted-mix sampling (weights != 1). `skip` records are read and dropped
// (used by resume).
Result<std::unique_ptr<RecordSource>> OpenDataset(const std::vector<InputFile>& files, uint64_t seed);

// One process's part of the input in a distributed run: bytes [begin, end) of the files laid end to end.
// A plain .jsonl file of weight 1 is split at line starts (a line belongs to the part holding its first
// byte); any other file goes whole to the part holding its first byte.
struct InputPart {
  uint64_t begin = 0, end = UINT64_MAX;
  std::vector<uint64_t> line_base;  // per file: its lines before this part (numbering continues from there)
};
// Part `index` of `count` equal byte ranges.
InputPart PartOfInput(const std::vector<InputFile>& files, int index, int count);
Result<std::unique_ptr<RecordSource>> OpenDatasetPart(const std::vector<InputFile>& files, uint64_t seed,
                                                      const InputPart& part);
struct PartCounts {
  uint64_t records = 0;
  std::vector<uint64_t> lines;  // per file: lines of it in the part (blank ones included)
};
// Reads the part once (line splitting only) and counts its records and lines.
Result<PartCounts> CountInputPart(const std::vector<InputFile>& files, uint64_t seed, const InputPart& part);

}  // namespace juicer
