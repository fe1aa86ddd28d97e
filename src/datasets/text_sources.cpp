#include "datasets/text_sources.h"
#include "core/utf8.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/json_text.h"
#include "datasets/dataset_output.h"

namespace fs = std::filesystem;

namespace juicer {

Status MissingSource(const std::string& what, const std::string& package) {
  return Status::Unavailable(what + " not found: run scripts/setup.sh --datasets (package " + package + ")");
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> ReadGzipFile(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(path + ": cannot open");
  gzbuffer(f, 1 << 17);
  std::string out;
  std::vector<char> buf(1 << 17);
  while (true) {
    const int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int err = 0;
      std::string msg = gzerror(f, &err);
      gzclose(f);
      return Status::IOError(path + ": gzip read failed: " + msg);
    }
    if (n == 0) break;
    out.append(buf.data(), static_cast<size_t>(n));
  }
  gzclose(f);
  return out;
}

std::vector<std::string> ListFiles(const std::string& dir, bool skip_symlinks) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (skip_symlinks && it->is_symlink(ec)) continue;
    if (it->is_regular_file(ec)) out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ListDirs(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec)) out.push_back(it->path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ListFilesRecursive(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ext) out.push_back(it->path().string());
  std::sort(out.begin(), out.end());
  return out;
}

bool IsDir(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool IsFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

namespace {

// Windows-1252 for 0x80..0x9F (what stray bytes in old mail usually are); 0 = undefined.
const uint16_t kCp1252[32] = {0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                              0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                              0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};


// Length of a valid UTF-8 sequence at s[i], or 0.
size_t ValidSeq(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string CleanUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      if (c == '\r') {
        if (i + 1 >= in.size() || in[i + 1] != '\n') out.push_back('\n');
      } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F)) {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    const size_t n = ValidSeq(in, i);
    if (n > 0) {
      out.append(in.data() + i, n);
      i += n;
      continue;
    }
    // Not UTF-8: read the byte as Windows-1252 / Latin-1.
    const uint32_t cp = c < 0xA0 ? kCp1252[c - 0x80] : c;
    if (cp != 0) AppendUtf8(cp, &out);
    ++i;
  }
  return out;
}

std::string Trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && IsSpace(s[a])) ++a;
  while (b > a && IsSpace(s[b - 1])) --b;
  return std::string(s.substr(a, b - a));
}

std::string TidyLines(std::string_view s) {
  std::string out;
  int blank = 0;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(start, end - start);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    if (line.empty()) {
      ++blank;
    } else {
      if (!out.empty()) out += blank > 0 ? "\n\n" : "\n";
      out.append(line);
      blank = 0;
    }
    start = end + 1;
  }
  return out;
}

std::string Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

namespace {

// Sentences of one paragraph: cut after . ? ! (and closing quotes/brackets) followed by a space and
// an upper-case letter, digit or opening quote.
std::vector<std::string> Sentences(std::string_view p) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '.' && p[i] != '?' && p[i] != '!') continue;
    size_t j = i + 1;
    while (j < p.size() && (p[j] == '"' || p[j] == '\'' || p[j] == ')' || p[j] == ']')) ++j;
    if (j >= p.size() || !IsSpace(p[j])) continue;
    size_t k = j;
    while (k < p.size() && IsSpace(p[k])) ++k;
    if (k >= p.size()) break;
    const unsigned char n = static_cast<unsigned char>(p[k]);
    if (!((n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9') || n == '"' || n == '\'' || n >= 0x80)) continue;
    std::string s = Trim(p.substr(start, j - start));
    if (!s.empty()) out.push_back(std::move(s));
    start = k;
    i = k - 1;
  }
  std::string s = Trim(p.substr(start));
  if (!s.empty()) out.push_back(std::move(s));
  return out;
}

// Groups pieces into chunks of >= target bytes joined by sep; a short tail joins the last chunk.
std::vector<std::string> Group(const std::vector<std::string>& pieces, size_t target, const char* sep) {
  std::vector<std::string> out;
  std::string cur;
  for (const auto& p : pieces) {
    if (!cur.empty()) cur += sep;
    cur += p;
    if (cur.size() >= target) out.push_back(std::move(cur)), cur.clear();
  }
  if (!cur.empty()) {
    if (!out.empty() && cur.size() < target / 3) out.back() += sep + cur;
    else out.push_back(std::move(cur));
  }
  return out;
}

}  // namespace

std::vector<std::string> ChunkDocument(std::string_view text, size_t target) {
  const std::string tidy = TidyLines(text);
  std::vector<std::string> units;
  size_t start = 0;
  while (start < tidy.size()) {
    size_t end = tidy.find("\n\n", start);
    if (end == std::string::npos) end = tidy.size();
    std::string para = Trim(std::string_view(tidy).substr(start, end - start));
    start = end + 2;
    if (para.empty()) continue;
    if (para.size() <= 2 * target) {
      units.push_back(std::move(para));
      continue;
    }
    for (auto& piece : Group(Sentences(para), target, " ")) units.push_back(std::move(piece));
  }
  return Group(units, target, "\n\n");
}

std::vector<std::string> SplitFortunes(std::string_view file_text) {
  std::vector<std::string> out;
  std::string cur;
  size_t start = 0;
  while (start < file_text.size()) {
    size_t end = file_text.find('\n', start);
    if (end == std::string_view::npos) end = file_text.size();
    std::string_view line = file_text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == "%") {
      std::string t = Trim(cur);
      if (!t.empty()) out.push_back(std::move(t));
      cur.clear();
    } else {
      cur.append(line);
      cur.push_back('\n');
    }
    start = end + 1;
  }
  std::string t = Trim(cur);
  if (!t.empty()) out.push_back(std::move(t));
  return out;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

namespace {

std::string SampleJson(const TextSource& src, const TextDoc& d) {
  std::string j = "{\"text\":";
  AppendJsonString(d.text, &j);
  if (!d.lang.empty()) {
    j += ",\"lang\":";
    AppendJsonString(d.lang, &j);
  }
  j += ",\"__dj__meta__\":{\"source\":";
  AppendJsonString(src.name, &j);
  j += ",\"license\":";
  AppendJsonString(src.license, &j);
  if (!d.label.empty()) {
    j += ",\"label\":";
    AppendJsonString(d.label, &j);
  }
  for (const auto& [k, v] : d.meta) {
    j += ",";
    AppendJsonString(k, &j);
    j += ":";
    AppendJsonString(v, &j);
  }
  j += "}}";
  return j;
}

}  // namespace

void EmitTextSplits(std::vector<TextSource>& sources, uint64_t seed, size_t limit, double eval_fraction,
                    DatasetOutput& out) {
  // (line, source) per split, shuffled at the end so sources interleave.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> splits;
  for (auto& src : sources) {
    std::mt19937_64 rng(seed ^ Fnv1a(src.name));
    // groups in first-appearance order, then shuffled
    std::map<std::string, size_t> index;
    std::vector<std::vector<size_t>> groups;
    for (size_t i = 0; i < src.docs.size(); ++i) {
      auto [it, fresh] = index.emplace(src.docs[i].group, groups.size());
      if (fresh) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    SeededShuffle(groups, rng);
    size_t kept = 0, kept_groups = 0;
    for (auto& g : groups) {
      if (limit > 0 && kept >= limit) break;
      if (limit > 0 && kept + g.size() > limit) g.resize(limit - kept);
      kept += g.size();
      ++kept_groups;
    }
    groups.resize(kept_groups);
    // eval_lm: whole groups, about eval_fraction of the kept documents (the last held-out group may be cut
    // short; its remaining documents are dropped, never put in train)
    size_t eval_target = 0;
    if (src.eval && kept_groups >= 2)
      eval_target = std::max<size_t>(1, static_cast<size_t>(std::llround(eval_fraction * static_cast<double>(kept))));
    size_t eval_docs = 0;
    for (const auto& g : groups) {
      if (eval_docs < eval_target) {
        const size_t take = std::min(g.size(), eval_target - eval_docs);
        for (size_t k = 0; k < take; ++k) splits["eval_lm"].emplace_back(SampleJson(src, src.docs[g[k]]), src.name);
        eval_docs += take;
        continue;
      }
      for (size_t i : g) splits["train"].emplace_back(SampleJson(src, src.docs[i]), src.name);
    }
    src.docs.clear();
    src.docs.shrink_to_fit();
  }
  for (auto& [split, lines] : splits) {
    std::mt19937_64 rng(seed ^ Fnv1a("split:" + split));
    SeededShuffle(lines, rng);
    for (auto& [line, source] : lines) {
      out.CountSource(split, source);
      out.AddSample(split, std::move(line));
    }
  }
}

}  // namespace juicer
