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
  SpillSource(std::string path, int fd, std::vector<uint64_t> offsets, std::vector<uint64_t> positions)
      : path_(std::move(path)), fd_(fd), offsets_(std::move(offsets)), positions_(std::move(positions)) {
    names_.push_back(path_);
    for (uint64_t p : positions_) total_ += offsets_[p + 1] - offsets_[p];
  }
  ~SpillSource() override { ::close(fd_); }
  uint64_t total_bytes() const override { return total_; }
  const std::vector<std::string>& file_names() const override { return names_; }

  Result<bool> Next(RecordBatch* batch, size_t max_records, size_t max_bytes) override {
    batch->buffer.clear();
    batch->recs.clear();
    batch->read_errors.clear();
    batch->input_bytes = 0;
    if (next_ >= positions_.size()) return false;
    while (next_ < positions_.size() && batch->recs.size() < max_records && batch->buffer.size() < max_bytes) {
      // one pread for a run of consecutive positions
      size_t run = 1;
      while (next_ + run < positions_.size() && positions_[next_ + run] == positions_[next_ + run - 1] + 1 &&
             batch->recs.size() + run < max_records && offsets_[positions_[next_ + run] + 1] -
                 offsets_[positions_[next_]] < max_bytes)
        ++run;
      const uint64_t first = positions_[next_], last = positions_[next_ + run - 1];
      const uint64_t begin = offsets_[first], end = offsets_[last + 1];
      const size_t base = batch->buffer.size();
      batch->buffer.resize(base + (end - begin));
      size_t got = 0;
      while (got < end - begin) {
        ssize_t n = ::pread(fd_, batch->buffer.data() + base + got, end - begin - got, begin + got);
        if (n <= 0) return Status::IOError(path_ + ": read failed: " + std::strerror(errno));
        got += static_cast<size_t>(n);
      }
      for (uint64_t p = first; p <= last; ++p) {
        RecordBatch::Rec r;
        r.file = 0;
        r.line = p + 1;
        r.offset = base + (offsets_[p] - begin);
        r.len = offsets_[p + 1] - offsets_[p] - 1;  // without '\n'
        batch->recs.push_back(r);
      }
      batch->input_bytes += end - begin;
      next_ += run;
    }
    batch->buffer.append(JsonPadding(), '\0');
    return true;
  }

 private:
  std::string path_;
  int fd_;
  std::vector<uint64_t> offsets_, positions_;
  std::vector<std::string> names_;
  uint64_t total_ = 0;
  size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordSource>> OpenSpill(const std::string& path, std::vector<uint64_t> offsets,
                                                std::vector<uint64_t> positions) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Status::IOError(path + ": cannot open spill file: " + std::strerror(errno));
  for (uint64_t p : positions)
    if (p + 1 >= offsets.size()) {
      ::close(fd);
      return Status::Internal("spill selection position out of range");
    }
  return std::unique_ptr<RecordSource>(new SpillSource(path, fd, std::move(offsets), std::move(positions)));
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
