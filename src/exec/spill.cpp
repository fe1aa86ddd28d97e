#include "exec/spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/dataset_writer.h"
#include "core/sample_parser.h"

namespace juicer {

namespace {

class SpillSource : public RecordSource {
 public:
  SpillSource(std::vector<SpillFile> files, std::vector<int> fds, std::vector<SpillPos> positions)
      : files_(std::move(files)), fds_(std::move(fds)), positions_(std::move(positions)) {
    for (const auto& f : files_) names_.push_back(f.path);
    for (const SpillPos& p : positions_) total_ += Off(p.file, p.pos + 1) - Off(p.file, p.pos);
  }
  ~SpillSource() override {
    for (int fd : fds_) ::close(fd);
  }
  uint64_t total_bytes() const override { return total_; }
  const std::vector<std::string>& file_names() const override { return names_; }

  Result<bool> Next(RecordBatch* batch, size_t max_records, size_t max_bytes) override {
    batch->buffer.clear();
    batch->recs.clear();
    batch->read_errors.clear();
    batch->input_bytes = 0;
    if (next_ >= positions_.size()) return false;
    while (next_ < positions_.size() && batch->recs.size() < max_records && batch->buffer.size() < max_bytes) {
      // one pread for a run of consecutive positions of one file
      const uint32_t file = positions_[next_].file;
      size_t run = 1;
      while (next_ + run < positions_.size() && positions_[next_ + run].file == file &&
             positions_[next_ + run].pos == positions_[next_ + run - 1].pos + 1 &&
             batch->recs.size() + run < max_records &&
             Off(file, positions_[next_ + run].pos + 1) - Off(file, positions_[next_].pos) < max_bytes)
        ++run;
      const uint64_t first = positions_[next_].pos, last = positions_[next_ + run - 1].pos;
      const uint64_t begin = Off(file, first), end = Off(file, last + 1);
      const size_t base = batch->buffer.size();
      batch->buffer.resize(base + (end - begin));
      size_t got = 0;
      while (got < end - begin) {
        ssize_t n = ::pread(fds_[file], batch->buffer.data() + base + got, end - begin - got, begin + got);
        if (n <= 0) return Status::IOError(files_[file].path + ": read failed: " + std::strerror(errno));
        got += static_cast<size_t>(n);
      }
      for (uint64_t p = first; p <= last; ++p) {
        RecordBatch::Rec r;
        r.file = file;
        r.line = p + 1;
        r.offset = base + (Off(file, p) - begin);
        r.len = Off(file, p + 1) - Off(file, p) - 1;  // without '\n'
        batch->recs.push_back(r);
      }
      batch->input_bytes += end - begin;
      next_ += run;
    }
    batch->buffer.append(JsonPadding(), '\0');
    return true;
  }

 private:
  uint64_t Off(uint32_t file, uint64_t pos) const { return files_[file].offsets[pos]; }
  std::vector<SpillFile> files_;
  std::vector<int> fds_;
  std::vector<SpillPos> positions_;
  std::vector<std::string> names_;
  uint64_t total_ = 0;
  size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordSource>> OpenSpills(std::vector<SpillFile> files, std::vector<SpillPos> positions) {
  for (const SpillPos& p : positions)
    if (p.file >= files.size() || p.pos + 1 >= files[p.file].offsets.size())
      return Status::Internal("spill selection position out of range");
  std::vector<int> fds;
  for (const auto& f : files) {
    int fd = ::open(f.path.c_str(), O_RDONLY);
    if (fd < 0) {
      const std::string err = std::strerror(errno);
      for (int open_fd : fds) ::close(open_fd);
      return Status::IOError(f.path + ": cannot open spill file: " + err);
    }
    fds.push_back(fd);
  }
  return std::unique_ptr<RecordSource>(new SpillSource(std::move(files), std::move(fds), std::move(positions)));
}

Result<std::unique_ptr<RecordSource>> OpenSpill(const std::string& path, std::vector<uint64_t> offsets,
                                                std::vector<uint64_t> positions) {
  std::vector<SpillPos> pos(positions.size());
  for (size_t i = 0; i < positions.size(); ++i) pos[i].pos = positions[i];
  std::vector<SpillFile> files(1);
  files[0].path = path;
  files[0].offsets = std::move(offsets);
  return OpenSpills(std::move(files), std::move(pos));
}

Result<std::string> ReadSpillLine(const std::string& path, const std::vector<uint64_t>& offsets, uint64_t pos) {
  if (pos + 1 >= offsets.size()) return Status::Internal("spill line out of range");
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  std::string s(offsets[pos + 1] - offsets[pos] - 1, '\0');
  ssize_t n = ::pread(fd, s.data(), s.size(), offsets[pos]);
  ::close(fd);
  if (n != static_cast<ssize_t>(s.size())) return Status::IOError(path + ": short read");
  return s;
}

Status SaveU64s(const std::string& path, const std::vector<uint64_t>& v) {
  return WriteFileAtomic(path, std::string_view(reinterpret_cast<const char*>(v.data()), v.size() * 8));
}

Result<std::vector<uint64_t>> LoadU64s(const std::string& path) {
  JUICER_ASSIGN_OR_RETURN(std::string s, ReadFileToString(path));
  std::vector<uint64_t> v(s.size() / 8);
  std::memcpy(v.data(), s.data(), v.size() * 8);
  return v;
}

}  // namespace juicer
