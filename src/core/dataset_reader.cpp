#include "core/dataset_reader.h"

#include <simdjson.h>
#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>

#include "core/json_text.h"
#include "core/sample_parser.h"

namespace fs = std::filesystem;

namespace juicer {

void RecordBatch::Clear() {
  seq = 0;
  first_index = 0;
  buffer.clear();
  recs.clear();
  input_bytes = 0;
  read_errors.clear();
}

namespace {

bool EndsWith(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && std::equal(suf.rbegin(), suf.rend(), s.rbegin(),
                                              [](char a, char b) { return std::tolower(a) == b; });
}

// ---- byte streams: plain files and zstd ----------------------------------------------------------
class ByteStream {
 public:
  static Result<std::unique_ptr<ByteStream>> Open(const std::string& path, bool zstd) {
    std::unique_ptr<ByteStream> s(new ByteStream());
    s->path_ = path;
    s->f_ = std::fopen(path.c_str(), "rb");
    if (s->f_ == nullptr) return Status::NotFound(path + ": cannot open: " + std::strerror(errno));
    if (zstd) {
      s->dctx_ = ZSTD_createDStream();
      s->zbuf_.resize(ZSTD_DStreamInSize());
    }
    return s;
  }
  ~ByteStream() {
    if (f_) std::fclose(f_);
    if (dctx_) ZSTD_freeDStream(dctx_);
  }
  // Plain files only: the next Read starts at byte `offset`.
  Status Seek(uint64_t offset) {
    if (dctx_ != nullptr || fseeko(f_, static_cast<off_t>(offset), SEEK_SET) != 0)
      return Status::IOError(path_ + ": cannot seek to byte " + std::to_string(offset));
    return Status::OK();
  }
  // Reads up to cap bytes; 0 at the end. `consumed` grows by the file bytes read.
  Result<size_t> Read(char* buf, size_t cap, uint64_t* consumed) {
    if (dctx_ == nullptr) {
      size_t n = std::fread(buf, 1, cap, f_);
      if (n == 0 && std::ferror(f_)) return Status::IOError(path_ + ": read error");
      *consumed += n;
      return n;
    }
    ZSTD_outBuffer out{buf, cap, 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size) {
        size_t n = std::fread(zbuf_.data(), 1, zbuf_.size(), f_);
        if (n == 0) {
          if (std::ferror(f_)) return Status::IOError(path_ + ": read error");
          if (!frame_done_) return Status::DataError(path_ + ": truncated zstd stream");
          return size_t{0};
        }
        *consumed += n;
        in_ = ZSTD_inBuffer{zbuf_.data(), n, 0};
      }
      size_t r = ZSTD_decompressStream(dctx_, &out, &in_);
      if (ZSTD_isError(r)) return Status::DataError(path_ + ": zstd: " + ZSTD_getErrorName(r));
      frame_done_ = (r == 0);
    }
    return out.pos;
  }

 private:
  ByteStream() = default;
  std::string path_;
  FILE* f_ = nullptr;
  ZSTD_DStream* dctx_ = nullptr;
  std::vector<char> zbuf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool frame_done_ = true;
};

// ---- per-file record readers -----------------------------------------------------------------------
class FileRecords {
 public:
  virtual ~FileRecords() = default;
  // Appends the next record's text to *out; false at end. *line = its line/element number.
  // *bad is set (and the text is the raw bytes) when the record could not be turned into JSON text.
  virtual Result<bool> Next(std::string* out, uint64_t* line, std::string* bad, uint64_t* consumed) = 0;
  // The number of the last line read (line-based formats; 0 for the others).
  virtual uint64_t line_no() const { return 0; }
};

class LineRecords : public FileRecords {
 public:
  explicit LineRecords(std::unique_ptr<ByteStream> s) : s_(std::move(s)) { buf_.resize(1 << 20); }
  // The lines of a plain file that start in bytes [begin, end), numbered from line_base + 1 (a part of
  // a file in a distributed run: a line belongs to the part holding its first byte).
  static Result<std::unique_ptr<FileRecords>> OpenRange(std::unique_ptr<ByteStream> s, uint64_t begin, uint64_t end,
                                                        uint64_t line_base) {
    std::unique_ptr<LineRecords> r(new LineRecords(std::move(s)));
    r->limit_ = end;
    if (begin > 0) {  // skip to the first line starting at or after `begin`
      JUICER_RETURN_IF_ERROR(r->s_->Seek(begin - 1));
      r->next_start_ = begin - 1;
      std::string_view partial;
      uint64_t ignored = 0;
      JUICER_RETURN_IF_ERROR(r->NextLine(&partial, &ignored).status());
    }
    r->line_no_ = line_base;
    return std::unique_ptr<FileRecords>(std::move(r));
  }
  // One line (without the newline). Blank lines are skipped but counted.
  Result<bool> NextLine(std::string_view* line, uint64_t* consumed) {
    if (next_start_ >= limit_) return false;
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(buf_.data() + pos_, '\n', end_ - pos_));
      if (nl != nullptr) {
        size_t n = nl - (buf_.data() + pos_);
        *line = std::string_view(buf_.data() + pos_, n);
        pos_ += n + 1;
        next_start_ += n + 1;
        ++line_no_;
        return true;
      }
      if (eof_) {
        if (pos_ < end_) {
          *line = std::string_view(buf_.data() + pos_, end_ - pos_);
          next_start_ += end_ - pos_;
          pos_ = end_;
          ++line_no_;
          return true;
        }
        return false;
      }
      // move the partial line to the front, grow if one line fills the buffer, refill
      if (pos_ > 0) {
        std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
      }
      if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
      JUICER_ASSIGN_OR_RETURN(size_t n, s_->Read(buf_.data() + end_, buf_.size() - end_, consumed));
      if (n == 0) eof_ = true;
      end_ += n;
    }
  }
  Result<bool> Next(std::string* out, uint64_t* line, std::string* bad, uint64_t* consumed) override {
    std::string_view l;
    for (;;) {
      JUICER_ASSIGN_OR_RETURN(bool ok, NextLine(&l, consumed));
      if (!ok) return false;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.find_first_not_of(" \t") != std::string_view::npos) break;
    }
    *line = line_no_;
    out->append(l);
    return true;
  }
  uint64_t line_no() const override { return line_no_; }

 private:
  std::unique_ptr<ByteStream> s_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  uint64_t line_no_ = 0;
  uint64_t next_start_ = 0, limit_ = UINT64_MAX;  // file offset of the next line; lines start before limit_
};

// A JSON array file: loaded whole (DJ's .json format is for small datasets), split into elements.
class ArrayRecords : public FileRecords {
 public:
  static Result<std::unique_ptr<FileRecords>> Open(const std::string& path) {
    auto r = std::make_unique<ArrayRecords>();
    auto err = simdjson::padded_string::load(path).get(r->text_);
    if (err) return Status::IOError(path + ": cannot read: " + simdjson::error_message(err));
    std::string_view sv(r->text_.data(), r->text_.size());
    simdjson::ondemand::document doc;
    err = r->parser_.iterate(r->text_).get(doc);
    simdjson::ondemand::array arr;
    if (!err) err = doc.get_array().get(arr);
    if (err) return Status::DataError(path + ": expected a JSON array of objects: " + simdjson::error_message(err));
    uint64_t idx = 0;
    for (auto el : arr) {
      ++idx;
      simdjson::ondemand::object obj;
      std::string_view raw;
      auto e2 = el.get_object().get(obj);
      if (!e2) e2 = obj.raw_json().get(raw);
      if (e2) {
        r->items_.push_back({std::string("element is not a valid JSON object: ") + simdjson::error_message(e2), ""});
        break;  // the iterator cannot continue past a malformed element
      }
      r->items_.push_back({"", std::string(raw)});
    }
    (void)sv;
    r->consumed_total_ = r->text_.size();
    return std::unique_ptr<FileRecords>(std::move(r));
  }
  Result<bool> Next(std::string* out, uint64_t* line, std::string* bad, uint64_t* consumed) override {
    if (next_ >= items_.size()) return false;
    if (next_ == 0) *consumed += consumed_total_;
    const auto& it = items_[next_++];
    *line = next_;
    if (!it.first.empty()) *bad = it.first;
    out->append(it.second);
    return true;
  }

 private:
  simdjson::padded_string text_;
  simdjson::ondemand::parser parser_;
  std::vector<std::pair<std::string, std::string>> items_;  // (error, raw)
  size_t next_ = 0;
  uint64_t consumed_total_ = 0;
};

// CSV/TSV (RFC 4180 quoting) -> one JSON object per row, keys from the header, values as strings.
// Hand-written: Debian has no C++ CSV reader that streams quoted multi-line fields.
class CsvRecords : public FileRecords {
 public:
  CsvRecords(std::unique_ptr<ByteStream> s, char delim) : s_(std::move(s)), delim_(delim) {}
  Result<bool> Next(std::string* out, uint64_t* line, std::string* bad, uint64_t* consumed) override {
    std::vector<std::string> row;
    if (header_.empty()) {
      JUICER_ASSIGN_OR_RETURN(bool ok, ReadRow(&row, consumed));
      if (!ok) return false;
      header_ = row;
    }
    for (;;) {
      uint64_t start_line = line_no_ + 1;
      JUICER_ASSIGN_OR_RETURN(bool ok, ReadRow(&row, consumed));
      if (!ok) return false;
      if (row.size() == 1 && row[0].empty()) continue;  // blank line
      *line = start_line;
      if (row.size() != header_.size()) {
        *bad = "row has " + std::to_string(row.size()) + " columns, the header has " + std::to_string(header_.size());
        for (size_t i = 0; i < row.size(); ++i) out->append((i ? std::string(1, delim_) : "") + row[i]);
        return true;
      }
      out->push_back('{');
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) out->push_back(',');
        AppendJsonString(header_[i], out);
        out->push_back(':');
        AppendJsonString(row[i], out);
      }
      out->push_back('}');
      return true;
    }
  }

 private:
  Result<int> Get(uint64_t* consumed) {
    if (pos_ == end_) {
      if (eof_) return -1;
      JUICER_ASSIGN_OR_RETURN(size_t n, s_->Read(buf_, sizeof buf_, consumed));
      if (n == 0) {
        eof_ = true;
        return -1;
      }
      pos_ = 0;
      end_ = n;
    }
    return static_cast<unsigned char>(buf_[pos_++]);
  }
  Result<bool> ReadRow(std::vector<std::string>* row, uint64_t* consumed) {
    row->clear();
    std::string field;
    bool quoted = false, any = false, was_quoted = false;
    for (;;) {
      JUICER_ASSIGN_OR_RETURN(int c, Get(consumed));
      if (c < 0) {
        if (!any) return false;
        row->push_back(field);
        ++line_no_;
        return true;
      }
      any = true;
      if (quoted) {
        if (c == '"') {
          JUICER_ASSIGN_OR_RETURN(int d, Get(consumed));
          if (d == '"') {
            field.push_back('"');
            continue;
          }
          quoted = false;
          if (d < 0) {
            row->push_back(field);
            ++line_no_;
            return true;
          }
          c = d;
        } else {
          if (c == '\n') ++line_no_;
          field.push_back(static_cast<char>(c));
          continue;
        }
      }
      if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == delim_) {
        row->push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (c == '\n') {
        if (!field.empty() && field.back() == '\r') field.pop_back();
        row->push_back(std::move(field));
        ++line_no_;
        return true;
      } else {
        field.push_back(static_cast<char>(c));
      }
    }
  }
  std::unique_ptr<ByteStream> s_;
  char delim_;
  char buf_[1 << 16];
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  uint64_t line_no_ = 0;
  std::vector<std::string> header_;
};

Result<std::unique_ptr<FileRecords>> OpenFile(const InputFile& f) {
  switch (f.format) {
    case InputFormat::kJsonl:
    case InputFormat::kJsonlZst: {
      JUICER_ASSIGN_OR_RETURN(auto s, ByteStream::Open(f.path, f.format == InputFormat::kJsonlZst));
      return std::unique_ptr<FileRecords>(new LineRecords(std::move(s)));
    }
    case InputFormat::kJsonArray: {
      // ".json" may hold JSON lines (as HF datasets accepts): decide by the first non-blank byte.
      FILE* fp = std::fopen(f.path.c_str(), "rb");
      if (fp == nullptr) return Status::NotFound(f.path + ": cannot open: " + std::strerror(errno));
      int c;
      while ((c = std::fgetc(fp)) != EOF && std::isspace(c)) {
      }
      std::fclose(fp);
      if (c != '[') {
        JUICER_ASSIGN_OR_RETURN(auto s, ByteStream::Open(f.path, false));
        return std::unique_ptr<FileRecords>(new LineRecords(std::move(s)));
      }
      return ArrayRecords::Open(f.path);
    }
    case InputFormat::kCsv:
    case InputFormat::kTsv: {
      JUICER_ASSIGN_OR_RETURN(auto s, ByteStream::Open(f.path, false));
      return std::unique_ptr<FileRecords>(new CsvRecords(std::move(s), f.format == InputFormat::kCsv ? ',' : '\t'));
    }
  }
  return Status::Internal("unknown input format");
}

// ---- the stream over all files, with weighted sampling ------------------------------------------
class MixSource : public RecordSource {
 public:
  MixSource(std::vector<InputFile> files, uint64_t seed, const InputPart* part = nullptr)
      : files_(std::move(files)), seed_(seed) {
    uint64_t at = 0;
    for (const auto& f : files_) {
      names_.push_back(f.path);
      file_start_.push_back(at);
      at += f.size_bytes;
    }
    lines_.assign(files_.size(), 0);
    if (part != nullptr) {
      part_ = *part;
      has_part_ = true;
      part_.line_base.resize(files_.size(), 0);
    }
    for (size_t i = 0; i < files_.size(); ++i) {
      if (!has_part_) {
        total_ += files_[i].size_bytes;
      } else if (SplitsByLine(files_[i])) {
        const uint64_t fs = file_start_[i], fe = fs + files_[i].size_bytes;
        const uint64_t b = std::max(part_.begin, fs), e = std::min(part_.end, fe);
        if (b < e) total_ += e - b;
      } else if (OwnsWhole(i)) {
        total_ += files_[i].size_bytes;
      }
    }
  }
  // Lines of each file read so far (line-based formats).
  const std::vector<uint64_t>& lines() const { return lines_; }
  uint64_t total_bytes() const override { return total_; }
  const std::vector<std::string>& file_names() const override { return names_; }

  Result<bool> Next(RecordBatch* batch, size_t max_records, size_t max_bytes) override {
    batch->buffer.clear();
    batch->recs.clear();
    batch->read_errors.clear();
    batch->input_bytes = 0;
    std::string bad;
    while (batch->recs.size() < max_records && batch->buffer.size() < max_bytes) {
      if (!cur_) {
        if (file_ >= files_.size()) break;
        JUICER_RETURN_IF_ERROR(StartPass());
        if (!cur_) continue;
      }
      RecordBatch::Rec rec;
      rec.file = static_cast<uint32_t>(file_);
      rec.offset = batch->buffer.size();
      bad.clear();
      auto r = cur_->Next(&batch->buffer, &rec.line, &bad, &batch->input_bytes);
      if (!r.ok()) return r.status();
      if (!*r) {
        lines_[file_] = cur_->line_no() - (has_part_ ? part_.line_base[file_] : 0);
        cur_.reset();
        if (++pass_ >= passes_) {
          ++file_;
          pass_ = 0;
          passes_ = 0;
        }
        continue;
      }
      const uint64_t k = rec_in_file_++;
      if (!keep_.empty() && !keep_[k]) {  // not drawn in this (partial) pass
        batch->buffer.resize(rec.offset);
        continue;
      }
      rec.len = batch->buffer.size() - rec.offset;
      batch->buffer.push_back('\n');
      if (!bad.empty()) batch->read_errors.emplace_back(batch->recs.size(), bad);
      batch->recs.push_back(rec);
    }
    batch->buffer.append(JsonPadding(), '\0');
    if (batch->recs.empty() && file_ >= files_.size() && !cur_) return false;
    return true;
  }

 private:
  // Opens the current file for its next pass. A weight w gives ceil(n*w) records (DJ): floor(w) full
  // passes plus a seeded random subset (in file order) for the fraction.
  static bool SplitsByLine(const InputFile& f) { return f.format == InputFormat::kJsonl && f.weight == 1.0; }
  bool OwnsWhole(size_t i) const { return file_start_[i] >= part_.begin && file_start_[i] < part_.end; }

  Status StartPass() {
    const InputFile& f = files_[file_];
    keep_.clear();
    rec_in_file_ = 0;
    if (has_part_ && SplitsByLine(f)) {
      const uint64_t fs = file_start_[file_], fe = fs + f.size_bytes;
      const uint64_t b = std::max(part_.begin, fs), e = std::min(part_.end, fe);
      passes_ = 1;
      if (b >= e) {
        ++file_;
        pass_ = passes_ = 0;
        return Status::OK();
      }
      JUICER_ASSIGN_OR_RETURN(auto s, ByteStream::Open(f.path, false));
      JUICER_ASSIGN_OR_RETURN(cur_, LineRecords::OpenRange(std::move(s), b - fs, e - fs, part_.line_base[file_]));
      return Status::OK();
    }
    if (has_part_ && !OwnsWhole(file_)) {
      ++file_;
      return Status::OK();
    }
    if (passes_ == 0) {
      if (f.weight == 1.0) {
        passes_ = 1;
      } else {
        JUICER_ASSIGN_OR_RETURN(uint64_t n, CountRecords(f));
        const uint64_t want = static_cast<uint64_t>(std::ceil(static_cast<double>(n) * f.weight));
        full_passes_ = n ? want / n : 0;
        partial_ = n ? want % n : 0;
        passes_ = full_passes_ + (partial_ ? 1 : 0);
        n_ = n;
        if (passes_ == 0) {
          ++file_;
          return Status::OK();
        }
      }
    }
    if (f.weight != 1.0 && pass_ == full_passes_ && partial_ > 0) {
      std::vector<uint64_t> idx(n_);
      for (uint64_t i = 0; i < n_; ++i) idx[i] = i;
      std::mt19937_64 rng(seed_ + file_);
      for (uint64_t i = n_ - 1; i > 0; --i) std::swap(idx[i], idx[rng() % (i + 1)]);
      keep_.assign(n_, false);
      for (uint64_t i = 0; i < partial_; ++i) keep_[idx[i]] = true;
    }
    JUICER_ASSIGN_OR_RETURN(cur_, OpenFile(f));
    return Status::OK();
  }
  Result<uint64_t> CountRecords(const InputFile& f) {
    JUICER_ASSIGN_OR_RETURN(auto r, OpenFile(f));
    std::string text, bad;
    uint64_t line = 0, consumed = 0, n = 0;
    for (;;) {
      text.clear();
      JUICER_ASSIGN_OR_RETURN(bool ok, r->Next(&text, &line, &bad, &consumed));
      if (!ok) return n;
      ++n;
    }
  }

  std::vector<InputFile> files_;
  std::vector<std::string> names_;
  std::vector<uint64_t> file_start_, lines_;
  InputPart part_;
  bool has_part_ = false;
  uint64_t seed_;
  uint64_t total_ = 0;
  size_t file_ = 0;
  uint64_t pass_ = 0, passes_ = 0, full_passes_ = 0, partial_ = 0, n_ = 0;
  uint64_t rec_in_file_ = 0;
  std::vector<bool> keep_;
  std::unique_ptr<FileRecords> cur_;
};

}  // namespace

Result<InputFormat> FormatOfPath(const std::string& path) {
  if (EndsWith(path, ".jsonl.zst") || EndsWith(path, ".json.zst")) return InputFormat::kJsonlZst;
  if (EndsWith(path, ".jsonl")) return InputFormat::kJsonl;
  if (EndsWith(path, ".json")) return InputFormat::kJsonArray;
  if (EndsWith(path, ".csv")) return InputFormat::kCsv;
  if (EndsWith(path, ".tsv")) return InputFormat::kTsv;
  return Status::InvalidArgument(path + ": unsupported dataset format (use .jsonl, .jsonl.zst, .json, .csv, .tsv)");
}

Result<std::vector<InputFile>> ResolveDatasetPath(const std::string& dataset_path) {
  std::istringstream in(dataset_path);
  std::vector<std::string> tokens;
  for (std::string t; in >> t;) tokens.push_back(t);
  if (tokens.empty()) return Status::InvalidArgument("dataset_path is empty");
  std::vector<std::pair<double, std::string>> items;
  for (size_t i = 0; i < tokens.size(); ++i) {
    char* end = nullptr;
    double w = std::strtod(tokens[i].c_str(), &end);
    const bool is_weight = end && *end == '\0' && !fs::exists(tokens[i]);
    if (is_weight) {
      if (i + 1 >= tokens.size()) return Status::InvalidArgument("dataset_path: weight " + tokens[i] + " has no path");
      if (w < 0) return Status::InvalidArgument("dataset_path: negative weight " + tokens[i]);
      items.emplace_back(w, tokens[++i]);
    } else {
      items.emplace_back(1.0, tokens[i]);
    }
  }
  if (items.size() == 1 && tokens.size() == 1) items[0].second = dataset_path;  // keep spaces in one path
  std::vector<InputFile> out;
  for (const auto& [w, p] : items) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        std::string path = it->path().string();
        if (FormatOfPath(path).ok() && path.find("_stats.jsonl") == std::string::npos) found.push_back(path);
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) return Status::NotFound("dataset_path: directory " + p + " holds no dataset files");
      for (auto& path : found)
        out.push_back({path, w, FormatOfPath(path).value(), static_cast<uint64_t>(fs::file_size(path))});
    } else if (fs::exists(p, ec)) {
      JUICER_ASSIGN_OR_RETURN(InputFormat fmt, FormatOfPath(p));
      out.push_back({p, w, fmt, static_cast<uint64_t>(fs::file_size(p, ec))});
    } else {
      return Status::NotFound("dataset_path: " + p + " does not exist");
    }
  }
  return out;
}

Result<std::unique_ptr<RecordSource>> OpenDataset(const std::vector<InputFile>& files, uint64_t seed) {
  return std::unique_ptr<RecordSource>(new MixSource(files, seed));
}

InputPart PartOfInput(const std::vector<InputFile>& files, int index, int count) {
  uint64_t total = 0;
  for (const auto& f : files) total += f.size_bytes;
  InputPart p;
  const auto bound = [&](int i) {
    return static_cast<uint64_t>(static_cast<unsigned __int128>(total) * static_cast<unsigned>(i) /
                                 static_cast<unsigned>(count));
  };
  p.begin = bound(index);
  p.end = index + 1 == count ? UINT64_MAX : bound(index + 1);
  return p;
}

Result<std::unique_ptr<RecordSource>> OpenDatasetPart(const std::vector<InputFile>& files, uint64_t seed,
                                                      const InputPart& part) {
  return std::unique_ptr<RecordSource>(new MixSource(files, seed, &part));
}

Result<PartCounts> CountInputPart(const std::vector<InputFile>& files, uint64_t seed, const InputPart& part) {
  InputPart zero = part;
  zero.line_base.assign(files.size(), 0);
  MixSource src(files, seed, &zero);
  PartCounts c;
  RecordBatch batch;
  for (;;) {
    JUICER_ASSIGN_OR_RETURN(bool more, src.Next(&batch, 4096, 8 << 20));
    if (!more) break;
    c.records += batch.recs.size();
  }
  c.lines = src.lines();
  return c;
}

}  // namespace juicer
