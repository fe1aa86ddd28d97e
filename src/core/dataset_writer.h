// Streaming output: JSONL or .jsonl.zst, optionally sharded (export_shard_size), written to temporary
// files and renamed into place on Commit, so an output file never appears half-written. Checkpoint()
// records a position that a resumed run truncates back to (zstd frames end there, so the file stays valid).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace juicer {

struct WriterPosition {
  uint32_t shard = 0;        // index of the open shard
  uint64_t shard_bytes = 0;  // bytes of that shard on disk at the checkpoint
  uint64_t shard_text = 0;   // uncompressed bytes in that shard (for the shard-size rule)
  uint64_t records = 0;      // records written so far (all shards)
};

class DatasetWriter {
 public:
  // shard_size 0: one file at `path`. Otherwise shards named like Data-Juicer's exporter:
  // <dir>/<stem>-<i>-of-<n>.<ext>, each closed once it holds >= shard_size bytes.
  // `resume` continues from a checkpoint of an earlier run with the same path.
  static Result<std::unique_ptr<DatasetWriter>> Create(const std::string& path, uint64_t shard_size,
                                                       const WriterPosition* resume = nullptr);
  ~DatasetWriter();

  // `lines`: whole lines, each ending in '\n'; `records` of them.
  Status Write(std::string_view lines, uint64_t records);
  Result<WriterPosition> Checkpoint();
  // Closes and renames temporary files to their final names; returns the final paths.
  Result<std::vector<std::string>> Commit();
  // Removes the temporary files (on error, when not checkpointing).
  void Abort();
  uint64_t records() const { return pos_.records; }
  uint64_t bytes_written() const { return total_text_; }

 private:
  DatasetWriter() = default;
  Status OpenShard(uint32_t index, const WriterPosition* resume);
  Status WriteRaw(std::string_view text);
  Status CloseShard();
  Status EndFrame();  // zstd: finish the current frame
  std::string TempName(uint32_t index) const;

  std::string path_, dir_, stem_, ext_;
  uint64_t shard_size_ = 0;
  bool zstd_ = false;
  void* file_ = nullptr;   // FILE*
  void* cctx_ = nullptr;   // ZSTD_CCtx*
  std::string zbuf_;
  WriterPosition pos_;
  uint64_t total_text_ = 0;
};

// Writes `text` to `path` atomically (temp file + rename).
Status WriteFileAtomic(const std::string& path, std::string_view text);
Result<std::string> ReadFileToString(const std::string& path);

}  // namespace juicer
