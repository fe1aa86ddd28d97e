// Reading and writing data pools, stable sample ids, names and config getters (see pools_internal.h).
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <unordered_map>
#include <utility>

#include "core/dataset_reader.h"
#include "sandbox/pools.h"
#include "sandbox/pools_internal.h"

#include "core/media.h"

namespace fs = std::filesystem;

namespace juicer::sandbox {

namespace {

// Canonical text: object keys sorted (byte order), compact; top-level reserved fields skipped.
void CanonicalDump(const Json& j, bool top, std::string* out) {
  if (j.is_object()) {
    std::vector<std::pair<const std::string*, const Json*>> kv;
    kv.reserve(j.size());
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (top && (it.key() == pools::kStatsKey || it.key() == pools::kMetaKey)) continue;
      kv.emplace_back(&it.key(), &it.value());
    }
    std::sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
    out->push_back('{');
    for (size_t i = 0; i < kv.size(); ++i) {
      if (i) out->push_back(',');
      out->append(Json(*kv[i].first).dump(-1, ' ', false, Json::error_handler_t::replace));
      out->push_back(':');
      CanonicalDump(*kv[i].second, false, out);
    }
    out->push_back('}');
  } else if (j.is_array()) {
    out->push_back('[');
    for (size_t i = 0; i < j.size(); ++i) {
      if (i) out->push_back(',');
      CanonicalDump(j[i], false, out);
    }
    out->push_back(']');
  } else {
    out->append(j.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
}

}  // namespace

std::string SampleUid(const Json& sample) {
  std::string text;
  CanonicalDump(sample, true, &text);
  XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  XXH128_canonical_t c;
  XXH128_canonicalFromHash(&c, h);
  static const char* kHex = "0123456789abcdef";
  std::string hex(32, '0');
  for (int i = 0; i < 16; ++i) {
    hex[2 * i] = kHex[c.digest[i] >> 4];
    hex[2 * i + 1] = kHex[c.digest[i] & 15];
  }
  return hex;
}

namespace pools {

Result<std::string> EnsureUid(Json& sample) {
  if (!sample.is_object()) return Status::DataError("sample is not a JSON object");
  auto meta = sample.find(kMetaKey);
  if (meta != sample.end() && !meta->is_null()) {
    if (!meta->is_object()) return Status::DataError(std::string(kMetaKey) + " is not an object");
    auto uid = meta->find(kUidKey);
    if (uid != meta->end()) {
      if (!uid->is_string() || uid->get_ref<const std::string&>().empty())
        return Status::DataError(std::string(kMetaKey) + ".uid must be a non-empty string, got " + Brief(*uid));
      return uid->get<std::string>();
    }
  }
  std::string id = SampleUid(sample);
  if (meta == sample.end() || meta->is_null()) {
    sample[kMetaKey] = Json::object();
  }
  sample[kMetaKey][kUidKey] = id;
  return id;
}

namespace {

Result<std::vector<InputFile>> FilesOf(const std::string& path) {
  std::vector<InputFile> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> names;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file(ec) && FormatOfPath(it->path().string()).ok()) names.push_back(it->path().string());
    }
    if (ec) return Status::IOError(path + ": cannot list directory: " + ec.message());
    std::sort(names.begin(), names.end());
    for (auto& n : names) {
      InputFile f;
      f.path = n;
      f.format = *FormatOfPath(n);
      f.size_bytes = fs::file_size(n, ec);
      files.push_back(std::move(f));
    }
    return files;
  }
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file or directory");
  InputFile f;
  f.path = path;
  JUICER_ASSIGN_OR_RETURN(f.format, FormatOfPath(path));
  f.size_bytes = fs::file_size(path, ec);
  files.push_back(std::move(f));
  return files;
}

std::string ParseErrorText(const std::exception& e) {
  std::string m = e.what();
  // "[json.exception.parse_error.101] parse error at ..." -> "parse error at ..."
  if (!m.empty() && m[0] == '[') {
    size_t p = m.find("] ");
    if (p != std::string::npos) m = m.substr(p + 2);
  }
  return m;
}

// Pools are written far from the data they came from: relative media paths (DJ's image/video/audio
// keys) that exist relative to the source file become absolute, so they stay valid in every pool.
void AbsoluteMediaPaths(const std::string& src_dir, Json* sample) {
  for (const char* key : {"images", "videos", "audios"}) {
    auto it = sample->find(key);
    if (it == sample->end()) continue;
    auto fix = [&](Json& v) {
      if (!v.is_string()) return;
      const std::string p = v.get<std::string>();
      if (p.empty() || fs::path(p).is_absolute()) return;
      std::error_code ec;
      const fs::path full = (fs::path(src_dir) / p).lexically_normal();
      if (fs::exists(full, ec)) v = full.string();
    };
    if (it->is_array()) {
      for (auto& v : *it) fix(v);
    } else {
      fix(*it);
    }
  }
}

}  // namespace

Status ForEachSample(const std::string& path, const SampleFn& fn) {
  JUICER_ASSIGN_OR_RETURN(auto files, FilesOf(path));
  if (files.empty()) return Status::OK();
  JUICER_ASSIGN_OR_RETURN(auto source, OpenDataset(files, 0));
  RecordBatch batch;
  for (;;) {
    JUICER_ASSIGN_OR_RETURN(bool more, source->Next(&batch, 4096, 8 << 20));
    if (!more) break;
    size_t next_err = 0;
    for (size_t i = 0; i < batch.recs.size(); ++i) {
      const auto& rec = batch.recs[i];
      const std::string where = source->file_names()[rec.file] + ":" + std::to_string(rec.line);
      while (next_err < batch.read_errors.size() && batch.read_errors[next_err].first < i) ++next_err;
      if (next_err < batch.read_errors.size() && batch.read_errors[next_err].first == i)
        return Status::DataError(where + ": " + batch.read_errors[next_err].second);
      const char* p = batch.data(rec);
      Json sample;
      try {
        sample = Json::parse(p, p + rec.len);
      } catch (const std::exception& e) {
        return Status::DataError(where + ": malformed JSON: " + ParseErrorText(e));
      }
      auto uid = EnsureUid(sample);
      if (!uid.ok()) return uid.status().WithContext(where + ": ");
      AbsoluteMediaPaths(AbsoluteDirOf(source->file_names()[rec.file]), &sample);
      JUICER_RETURN_IF_ERROR(fn(sample, *uid, where));
    }
  }
  return Status::OK();
}

Result<std::vector<PoolRecord>> LoadPool(const std::string& path) {
  std::vector<PoolRecord> out;
  Status st = ForEachSample(path, [&](Json& s, const std::string& uid, const std::string&) {
    out.push_back({uid, s.dump(-1, ' ', false, Json::error_handler_t::replace)});
    return Status::OK();
  });
  if (!st.ok()) return st;
  return out;
}

// ---- writing ---------------------------------------------------------------------------------------

Result<std::unique_ptr<PoolWriter>> PoolWriter::Open(const std::string& path) {
  std::unique_ptr<PoolWriter> w(new PoolWriter());
  w->path_ = path;
  JUICER_ASSIGN_OR_RETURN(w->w_, DatasetWriter::Create(path, 0));
  return w;
}

PoolWriter::~PoolWriter() {
  if (w_ && !committed_) w_->Abort();
}

Status PoolWriter::Flush() {
  if (buf_.empty()) return Status::OK();
  Status st = w_->Write(buf_, pending_);
  buf_.clear();
  pending_ = 0;
  return st;
}

Status PoolWriter::Add(std::string_view line) {
  buf_.append(line);
  buf_.push_back('\n');
  ++pending_;
  if (buf_.size() >= (1u << 20)) return Flush();
  return Status::OK();
}

Result<std::string> PoolWriter::Commit() {
  JUICER_RETURN_IF_ERROR(Flush());
  JUICER_ASSIGN_OR_RETURN(auto paths, w_->Commit());
  committed_ = true;
  return path_;
}

Result<std::string> WritePool(const std::string& path, const std::vector<PoolRecord>& records,
                              const std::vector<uint32_t>* order) {
  JUICER_ASSIGN_OR_RETURN(auto w, PoolWriter::Open(path));
  if (order != nullptr) {
    for (uint32_t i : *order) JUICER_RETURN_IF_ERROR(w->Add(records[i].text));
  } else {
    for (const auto& r : records) JUICER_RETURN_IF_ERROR(w->Add(r.text));
  }
  return w->Commit();
}

// ---- names -----------------------------------------------------------------------------------------

std::string PathStem(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  std::string base = slash == std::string::npos ? p : p.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == std::string::npos) return base;
  // a leading run of dots is part of the name (".hidden" has no extension)
  if (base.find_first_not_of('.') >= dot) return base;
  return base.substr(0, dot);
}

std::string LongestCommonPrefix(const std::vector<std::string>& strs) {
  if (strs.empty()) return "";
  size_t n = strs[0].size();
  for (const auto& s : strs) {
    size_t k = 0;
    while (k < n && k < s.size() && s[k] == strs[0][k]) ++k;
    n = k;
  }
  // never end inside a UTF-8 sequence: back off while the next byte is a continuation byte
  for (const auto& s : strs) {
    while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  }
  return strs[0].substr(0, n);
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string Brief(const Json& v) {
  std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > 120) s = s.substr(0, 117) + "...";
  return s;
}

void Warn(const std::string& msg) { std::fprintf(stderr, "juicer: warning: %s\n", msg.c_str()); }

// ---- config getters --------------------------------------------------------------------------------

Result<std::vector<std::string>> GetPathList(const Json& cfg, std::string_view what, const char* key) {
  return PathListKey(cfg, key, what);
}

Result<std::string> GetExportPath(const Json& cfg, std::string_view what) {
  auto it = cfg.find("export_path");
  if (it == cfg.end() || it->is_null())
    return Status::InvalidArgument(std::string(what) + ": export_path is not specified");
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    return Status::InvalidArgument(std::string(what) + ": export_path must be a non-empty path, got " + Brief(*it));
  return it->get<std::string>();
}

Result<std::vector<std::string>> ExistingPaths(const std::vector<std::string>& paths, std::string_view what,
                                               const char* key) {
  if (paths.empty()) return Status::InvalidArgument(std::string(what) + ": " + key + " is empty");
  std::vector<std::string> existing, missing;
  for (const auto& p : paths) {
    std::error_code ec;
    (fs::exists(p, ec) ? existing : missing).push_back(p);
  }
  std::string joined;
  for (const auto& m : missing) joined += (joined.empty() ? "" : ", ") + m;
  if (existing.empty())
    return Status::NotFound(std::string(what) + ": no path in " + key + " exists: " + joined);
  if (!missing.empty()) Warn(std::string(what) + ": " + key + " paths do not exist, skipped: " + joined);
  return existing;
}

Result<bool> GetBool(const Json& cfg, std::string_view what, const char* key, bool dflt) {
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return dflt;
  if (!it->is_boolean())
    return Status::InvalidArgument(std::string(what) + ": " + key + " must be true or false, got " + Brief(*it));
  return it->get<bool>();
}

Result<std::optional<int64_t>> GetOptInt(const Json& cfg, std::string_view what, const char* key,
                                         int64_t min_value) {
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return std::optional<int64_t>();
  bool ok = it->is_number_integer();
  int64_t v = 0;
  if (ok && it->is_number_unsigned()) {
    ok = it->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX);
    if (ok) v = static_cast<int64_t>(it->get<uint64_t>());
  } else if (ok) {
    v = it->get<int64_t>();
  }
  if (!ok || v < min_value)
    return Status::InvalidArgument(std::string(what) + ": " + key + " must be an integer >= " +
                                   std::to_string(min_value) + ", got " + Brief(*it));
  return std::optional<int64_t>(v);
}

Result<std::string> GetStratifyKey(const Json& cfg, std::string_view what) {
  auto it = cfg.find("stratify_by");
  if (it == cfg.end() || it->is_null()) return std::string();
  if (!it->is_string())
    return Status::InvalidArgument(std::string(what) + ": stratify_by must be a dotted field name such as "
                                   "__dj__meta__.source, got " + Brief(*it));
  return it->get<std::string>();
}

std::string StratumOf(const Json& sample, const std::string& dotted_key) {
  const Json* v = &sample;
  size_t from = 0;
  while (from <= dotted_key.size()) {
    const size_t dot = std::min(dotted_key.find('.', from), dotted_key.size());
    const std::string part = dotted_key.substr(from, dot - from);
    if (!v->is_object()) return "(missing)";
    auto it = v->find(part);
    if (it == v->end()) return "(missing)";
    v = &*it;
    from = dot + 1;
  }
  if (v->is_string()) return v->get<std::string>();
  return v->dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<std::vector<uint32_t>> GroupByStratum(const std::vector<std::string>& strata,
                                                  const std::vector<uint32_t>& order) {
  std::unordered_map<std::string, size_t> group_of;
  std::vector<std::vector<uint32_t>> groups;
  for (uint32_t i : order) {
    auto [it, fresh] = group_of.emplace(strata[i], groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

std::vector<uint32_t> ShuffledOrder(size_t n, uint64_t seed) {
  std::vector<uint32_t> idx(n);
  for (size_t i = 0; i < n; ++i) idx[i] = static_cast<uint32_t>(i);
  std::mt19937_64 rng(seed);
  for (size_t i = n; i > 1; --i) std::swap(idx[i - 1], idx[rng() % i]);
  return idx;
}

}  // namespace pools
}  // namespace juicer::sandbox
