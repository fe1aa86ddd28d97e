// Spill files between pipeline segments: JSONL written by the executor with line offsets, read back
// in the order a deduplicator / selector chose.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dataset_reader.h"

namespace juicer {

// Reads the records at `positions` (in that order) of a JSONL file whose line starts are `offsets`
// (offsets.size() == lines + 1, the last is the file size).
Result<std::unique_ptr<RecordSource>> OpenSpill(const std::string& path, std::vector<uint64_t> offsets,
                                                std::vector<uint64_t> positions);

struct SpillFile {
  std::string path;
  std::vector<uint64_t> offsets;  // line starts, then the file size
};
struct SpillPos {
  uint32_t file = 0;  // index into the SpillFile list
  uint64_t pos = 0;   // line of that file
};
// The same over several spill files (a distributed run reads the spills of other processes).
Result<std::unique_ptr<RecordSource>> OpenSpills(std::vector<SpillFile> files, std::vector<SpillPos> positions);

// Reads one line (without the newline) of a spill file.
Result<std::string> ReadSpillLine(const std::string& path, const std::vector<uint64_t>& offsets, uint64_t pos);

Status SaveU64s(const std::string& path, const std::vector<uint64_t>& v);
Result<std::vector<uint64_t>> LoadU64s(const std::string& path);

}  // namespace juicer
