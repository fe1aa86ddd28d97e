#include "core/dataset_writer.h"

#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace juicer {

namespace {
FILE* F(void* p) { return static_cast<FILE*>(p); }
ZSTD_CCtx* Z(void* p) { return static_cast<ZSTD_CCtx*>(p); }
std::string Errno() { return std::strerror(errno); }
}  // namespace

Result<std::unique_ptr<DatasetWriter>> DatasetWriter::Create(const std::string& path, uint64_t shard_size,
                                                             const WriterPosition* resume) {
  std::unique_ptr<DatasetWriter> w(new DatasetWriter());
  w->path_ = path;
  w->shard_size_ = shard_size;
  fs::path p(path);
  w->dir_ = p.parent_path().empty() ? "." : p.parent_path().string();
  const std::string base = p.filename().string();
  const size_t dot = base.find('.');
  w->stem_ = base.substr(0, dot);
  w->ext_ = dot == std::string::npos ? "" : base.substr(dot + 1);
  w->zstd_ = base.size() > 4 && base.compare(base.size() - 4, 4, ".zst") == 0;
  std::error_code ec;
  fs::create_directories(w->dir_, ec);
  if (ec) return Status::IOError("cannot create directory " + w->dir_ + ": " + ec.message());
  if (resume != nullptr) {
    w->pos_ = *resume;
    // shards after the checkpointed one belong to the interrupted run: drop them
    if (shard_size > 0)
      for (uint32_t i = resume->shard + 1; fs::exists(w->TempName(i)); ++i) fs::remove(w->TempName(i), ec);
  }
  JUICER_RETURN_IF_ERROR(w->OpenShard(w->pos_.shard, resume));
  return w;
}

DatasetWriter::~DatasetWriter() {
  if (file_) std::fclose(F(file_));
  if (cctx_) ZSTD_freeCCtx(Z(cctx_));
}

std::string DatasetWriter::TempName(uint32_t index) const {
  if (shard_size_ == 0) return path_ + ".juicer-tmp";
  return dir_ + "/" + stem_ + "-" + std::to_string(index) + ".juicer-tmp";
}

Status DatasetWriter::OpenShard(uint32_t index, const WriterPosition* resume) {
  const std::string name = TempName(index);
  if (resume != nullptr && fs::exists(name)) {
    if (::truncate(name.c_str(), static_cast<off_t>(resume->shard_bytes)) != 0)
      return Status::IOError(name + ": cannot truncate for resume: " + Errno());
    file_ = std::fopen(name.c_str(), "ab");
  } else {
    if (resume != nullptr && resume->shard_bytes != 0)
      return Status::IOError(name + ": checkpointed output file is missing; delete the checkpoint to restart");
    file_ = std::fopen(name.c_str(), "wb");
    pos_.shard_bytes = 0;
    pos_.shard_text = 0;
  }
  if (file_ == nullptr) return Status::IOError(name + ": cannot open for writing: " + Errno());
  std::setvbuf(F(file_), nullptr, _IOFBF, 1 << 20);
  pos_.shard = index;
  if (zstd_ && cctx_ == nullptr) {
    cctx_ = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(Z(cctx_), ZSTD_c_compressionLevel, 3);
    zbuf_.resize(ZSTD_CStreamOutSize());
  }
  return Status::OK();
}

Status DatasetWriter::WriteRaw(std::string_view text) {
  if (!zstd_) {
    if (std::fwrite(text.data(), 1, text.size(), F(file_)) != text.size())
      return Status::IOError(TempName(pos_.shard) + ": write failed: " + Errno());
    pos_.shard_bytes += text.size();
    return Status::OK();
  }
  ZSTD_inBuffer in{text.data(), text.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
    size_t r = ZSTD_compressStream2(Z(cctx_), &out, &in, ZSTD_e_continue);
    if (ZSTD_isError(r)) return Status::IOError(std::string("zstd: ") + ZSTD_getErrorName(r));
    if (std::fwrite(zbuf_.data(), 1, out.pos, F(file_)) != out.pos)
      return Status::IOError(TempName(pos_.shard) + ": write failed: " + Errno());
    pos_.shard_bytes += out.pos;
  }
  return Status::OK();
}

Status DatasetWriter::Write(std::string_view lines, uint64_t records) {
  total_text_ += lines.size();
  if (shard_size_ == 0) {
    pos_.shard_text += lines.size();
    pos_.records += records;
    return WriteRaw(lines);
  }
  // roll shards at line boundaries
  while (!lines.empty()) {
    if (pos_.shard_text >= shard_size_) {
      JUICER_RETURN_IF_ERROR(CloseShard());
      JUICER_RETURN_IF_ERROR(OpenShard(pos_.shard + 1, nullptr));
    }
    size_t take = 0;
    while (take < lines.size() && pos_.shard_text + take < shard_size_) {
      size_t nl = lines.find('\n', take);
      take = nl == std::string_view::npos ? lines.size() : nl + 1;
      ++pos_.records;
    }
    JUICER_RETURN_IF_ERROR(WriteRaw(lines.substr(0, take)));
    pos_.shard_text += take;
    lines.remove_prefix(take);
  }
  return Status::OK();
}

Status DatasetWriter::CloseShard() {
  if (file_ == nullptr) return Status::OK();
  JUICER_RETURN_IF_ERROR(EndFrame());
  if (std::fclose(F(file_)) != 0) {
    file_ = nullptr;
    return Status::IOError(TempName(pos_.shard) + ": close failed: " + Errno());
  }
  file_ = nullptr;
  return Status::OK();
}

Status DatasetWriter::EndFrame() {
  if (!zstd_) return Status::OK();
  ZSTD_inBuffer in{nullptr, 0, 0};
  size_t r;
  do {
    ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
    r = ZSTD_compressStream2(Z(cctx_), &out, &in, ZSTD_e_end);
    if (ZSTD_isError(r)) return Status::IOError(std::string("zstd: ") + ZSTD_getErrorName(r));
    if (std::fwrite(zbuf_.data(), 1, out.pos, F(file_)) != out.pos)
      return Status::IOError(TempName(pos_.shard) + ": write failed: " + Errno());
    pos_.shard_bytes += out.pos;
  } while (r != 0);
  return Status::OK();
}

Result<WriterPosition> DatasetWriter::Checkpoint() {
  JUICER_RETURN_IF_ERROR(EndFrame());  // a zstd file is valid up to a frame end
  if (std::fflush(F(file_)) != 0) return Status::IOError(TempName(pos_.shard) + ": flush failed: " + Errno());
  ::fsync(fileno(F(file_)));
  return pos_;
}

Result<std::vector<std::string>> DatasetWriter::Commit() {
  JUICER_RETURN_IF_ERROR(CloseShard());
  std::vector<std::string> out;
  if (shard_size_ == 0) {
    std::error_code ec;
    fs::rename(TempName(0), path_, ec);
    if (ec) return Status::IOError("cannot rename " + TempName(0) + " to " + path_ + ": " + ec.message());
    out.push_back(path_);
    return out;
  }
  const uint32_t n = pos_.shard + 1;
  const int width = static_cast<int>(std::to_string(n).size()) + 1;  // DJ: len(str(num_shards)) + 1
  for (uint32_t i = 0; i < n; ++i) {
    auto pad = [width](uint32_t x) {
      std::string s = std::to_string(x);
      return std::string(width > static_cast<int>(s.size()) ? width - s.size() : 0, '0') + s;
    };
    std::string final_path =
        dir_ + "/" + stem_ + "-" + pad(i) + "-of-" + pad(n) + (ext_.empty() ? "" : "." + ext_);
    std::error_code ec;
    fs::rename(TempName(i), final_path, ec);
    if (ec) return Status::IOError("cannot rename " + TempName(i) + ": " + ec.message());
    out.push_back(final_path);
  }
  return out;
}

void DatasetWriter::Abort() {
  if (file_) {
    std::fclose(F(file_));
    file_ = nullptr;
  }
  std::error_code ec;
  for (uint32_t i = 0; i <= pos_.shard; ++i) fs::remove(TempName(i), ec);
}

Status WriteFileAtomic(const std::string& path, std::string_view text) {
  std::error_code ec;
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  const std::string tmp = path + ".juicer-tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Status::IOError(tmp + ": cannot open for writing: " + Errno());
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    const std::string err = Errno();
    fs::remove(tmp, ec);
    return Status::IOError(tmp + ": write failed: " + err);
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::IOError("cannot rename " + tmp + " to " + path + ": " + ec.message());
  }
  return Status::OK();
}

Result<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace juicer
