// CLIP's byte-level BPE tokenizer (openai/CLIP simple_tokenizer.py), optionally truncated to the first K
// merges. See tokenizer.h.
#include <re2/re2.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tokenize/tokenizer.h"

namespace juicer {
namespace {

constexpr int kClipMerges = 49152 - 256 - 2;  // merges lines used by CLIP (after the header line)
constexpr const char* kStartOfText = "<|startoftext|>";
constexpr const char* kEndOfText = "<|endoftext|>";
constexpr const char* kMergesFileName = "bpe_merges.txt";

// Appends the UTF-8 encoding of code point `cp` to `out`.
void AppendUtf8(UChar32 cp, std::string* out) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, cp, error);
  if (!error) out->append(buf, static_cast<size_t>(len));
}

// CLIP's bytes_to_unicode(): byte -> code point.
std::vector<UChar32> BytesToUnicode() {
  std::vector<UChar32> table(256, -1);
  for (int b = 0; b < 256; ++b) {
    if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) table[b] = b;
  }
  int n = 0;
  for (int b = 0; b < 256; ++b) {
    if (table[b] < 0) table[b] = 256 + n++;
  }
  return table;
}

// Whitespace collapsed to single spaces and stripped, lower-cased (ASCII in place, else with ICU, like
// Python's str.lower()); invalid UTF-8 becomes U+FFFD.
std::string CleanText(std::string_view text, bool* ascii) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  bool non_ascii = false;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t len = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < len) {
    UChar32 c;
    if (s[i] < 0x80) {
      c = s[i++];
    } else {
      U8_NEXT(s, i, len, c);
      if (c < 0) c = 0xFFFD;
    }
    const bool space = c < 0x80 ? (c == ' ' || (c >= '\t' && c <= '\r'))
                                : (u_isUWhiteSpace(c) || c == 0x85);
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
    } else {
      non_ascii = true;
      AppendUtf8(c, &out);
    }
  }
  // Python's str.strip() also strips U+001C..U+001F (which regex's \s+ does not collapse).
  auto strip = [](char ch) { return ch == ' ' || (ch >= 0x1C && ch <= 0x1F); };
  size_t b = 0, e = out.size();
  while (b < e && strip(out[b])) ++b;
  while (e > b && strip(out[e - 1])) --e;
  if (b > 0 || e < out.size()) out = out.substr(b, e - b);
  *ascii = !non_ascii;
  if (!non_ascii) return out;
  // Full (context-sensitive) lower-casing like Python's str.lower(): 'İ' -> 'i̇', final sigma.
  std::string lower;
  icu::UnicodeString::fromUTF8(out).toLower(icu::Locale::getRoot()).toUTF8String(lower);
  return lower;
}

// CLIP's pre-tokenisation pattern on cleaned all-ASCII text (no RE2): the same pieces, found the same way
// (at each position the alternatives in pattern order; spaces are skipped).
template <typename Emit>
void SplitAscii(std::string_view s, Emit&& emit) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  static constexpr std::string_view kSpecials[] = {"<|startoftext|>", "<|endoftext|>"};
  static constexpr std::string_view kSuffixes[] = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ') {
      ++i;
      continue;
    }
    size_t len = 0;
    if (c == '<' || c == '\'') {
      for (std::string_view w : c == '<' ? std::span<const std::string_view>(kSpecials)
                                         : std::span<const std::string_view>(kSuffixes)) {
        if (s.substr(i, w.size()) == w) {
          len = w.size();
          break;
        }
      }
    }
    if (len == 0) {
      if (letter(c)) {
        while (i + len < s.size() && letter(s[i + len])) ++len;
      } else if (digit(c)) {
        len = 1;
      } else {
        while (i + len < s.size() && s[i + len] != ' ' && !letter(s[i + len]) && !digit(s[i + len])) ++len;
      }
    }
    emit(s.substr(i, len));
    i += len;
  }
}

std::atomic<uint64_t> g_next_instance{1};

class ClipBpeTokenizer final : public Tokenizer {
 public:
  ClipBpeTokenizer(std::vector<std::pair<std::string, std::string>> merges, int max_merges)
      : merges_(std::move(merges)),
        max_merges_(max_merges),
        instance_(g_next_instance.fetch_add(1)),
        pattern_("<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|"
                 "[^\\s\\p{L}\\p{N}]+") {
    const std::vector<UChar32> b2u = BytesToUnicode();
    byte_decoder_.assign(512, -1);
    std::vector<std::string> byte_chars(256);
    for (int b = 0; b < 256; ++b) {
      AppendUtf8(b2u[b], &byte_chars[b]);
      byte_decoder_[b2u[b]] = b;
    }
    // vocab order: list(bytes_to_unicode().values()), i.e. the printable bytes first, then the others.
    std::vector<int> order;
    for (int b = 0; b < 256; ++b) {
      if (b2u[b] == b) order.push_back(b);
    }
    for (int b = 0; b < 256; ++b) {
      if (b2u[b] != b) order.push_back(b);
    }
    for (int b : order) vocab_.push_back(byte_chars[b]);
    for (int b : order) vocab_.push_back(byte_chars[b] + "</w>");
    for (const auto& m : merges_) vocab_.push_back(m.first + m.second);
    vocab_.push_back(kStartOfText);
    vocab_.push_back(kEndOfText);
    for (size_t id = 0; id < vocab_.size(); ++id) encoder_[vocab_[id]] = static_cast<int>(id);
    sot_ = encoder_[kStartOfText];
    eot_ = encoder_[kEndOfText];
    pad_ = static_cast<int>(vocab_.size());
    for (int b = 0; b < 256; ++b) {
      byte_id_[b] = encoder_[byte_chars[b]];
      byte_end_id_[b] = encoder_[byte_chars[b] + "</w>"];
    }
    for (size_t r = 0; r < merges_.size(); ++r) {
      auto a = encoder_.find(merges_[r].first);
      auto b = encoder_.find(merges_[r].second);
      if (a == encoder_.end() || b == encoder_.end()) continue;  // can never apply
      const uint64_t key = PairKey(a->second, b->second);
      if (ranks_.count(key) == 0) {
        ranks_[key] = {static_cast<int>(r), encoder_[merges_[r].first + merges_[r].second]};
      }
    }
  }

  bool ok() const { return pattern_.ok(); }

  std::vector<int> Encode(std::string_view text) const override {
    std::vector<int> ids;
    bool ascii = false;
    const std::string clean = CleanText(text, &ascii);
    auto emit = [&](std::string_view piece) {
      if (piece == kStartOfText) {
        ids.push_back(sot_);
      } else if (piece == kEndOfText) {
        ids.push_back(eot_);
      } else if (!piece.empty()) {
        EncodeWord(piece, &ids);
      }
    };
    if (ascii) {
      SplitAscii(clean, emit);
      return ids;
    }
    // No capture groups: RE2 finds the match bounds with its DFAs only.
    const re2::StringPiece input(clean);
    re2::StringPiece piece;
    size_t pos = 0;
    while (pos < clean.size() && pattern_.Match(input, pos, clean.size(), RE2::UNANCHORED, &piece, 1)) {
      emit(std::string_view(piece.data(), piece.size()));
      pos = static_cast<size_t>(piece.data() + piece.size() - clean.data());
      if (piece.empty()) ++pos;
    }
    return ids;
  }

  std::string Decode(const std::vector<int>& ids) const override {
    std::string joined;
    for (int id : ids) {
      if (id < 0 || id >= static_cast<int>(vocab_.size()) || id == sot_ || id == eot_) continue;
      joined += vocab_[id];
    }
    // Unicode chars back to bytes ('<', '/', 'w', '>' map to themselves, so '</w>' survives as is).
    std::string bytes;
    const auto* s = reinterpret_cast<const uint8_t*>(joined.data());
    const int32_t len = static_cast<int32_t>(joined.size());
    for (int32_t i = 0; i < len;) {
      UChar32 c;
      U8_NEXT(s, i, len, c);
      if (c >= 0 && c < static_cast<UChar32>(byte_decoder_.size()) && byte_decoder_[c] >= 0) {
        bytes.push_back(static_cast<char>(byte_decoder_[c]));
      }
    }
    // Invalid UTF-8 -> U+FFFD (errors="replace"), '</w>' -> ' '.
    std::string text;
    const auto* t = reinterpret_cast<const uint8_t*>(bytes.data());
    const int32_t tlen = static_cast<int32_t>(bytes.size());
    for (int32_t i = 0; i < tlen;) {
      if (bytes.compare(static_cast<size_t>(i), 4, "</w>") == 0) {
        text.push_back(' ');
        i += 4;
        continue;
      }
      UChar32 c;
      U8_NEXT(t, i, tlen, c);
      AppendUtf8(c < 0 ? 0xFFFD : c, &text);
    }
    const size_t b = text.find_first_not_of(' ');
    if (b == std::string::npos) return "";
    return text.substr(b, text.find_last_not_of(' ') - b + 1);
  }

  int VocabSize() const override { return pad_ + 1; }
  int Bos() const override { return sot_; }
  int Eos() const override { return eot_; }
  int Pad() const override { return pad_; }
  std::string Kind() const override { return "clip_bpe"; }

  Status Save(const std::string& dir) const override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create directory " + dir + ": " + ec.message());
    {
      std::ofstream f(dir + "/" + kMergesFileName, std::ios::binary | std::ios::trunc);
      f << "#version: 0.2 (CLIP bpe_simple_vocab_16e6, first " << merges_.size() << " merges)\n";
      for (const auto& m : merges_) f << m.first << ' ' << m.second << '\n';
      if (!f) return Status::IOError("cannot write " + dir + "/" + kMergesFileName);
    }
    std::ofstream f(dir + "/tokenizer.json", std::ios::binary | std::ios::trunc);
    f << "{\"kind\":\"clip_bpe\",\"max_merges\":" << max_merges_ << ",\"merges_file\":\"" << kMergesFileName
      << "\"}\n";
    if (!f) return Status::IOError("cannot write " + dir + "/tokenizer.json");
    return Status::OK();
  }

 private:
  static uint64_t PairKey(int a, int b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  }

  // BPE of one pre-token (raw bytes); appends its ids. Results are cached per thread and instance.
  void EncodeWord(std::string_view word, std::vector<int>* ids) const {
    struct Hash {
      using is_transparent = void;
      size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Cache {
      uint64_t instance = 0;
      std::unordered_map<std::string, std::vector<int>, Hash, std::equal_to<>> words;
    };
    thread_local Cache cache;
    if (cache.instance != instance_ || cache.words.size() > 200000) {
      cache.words.clear();
      cache.instance = instance_;
    }
    auto it = cache.words.find(word);
    if (it != cache.words.end()) {
      ids->insert(ids->end(), it->second.begin(), it->second.end());
      return;
    }
    std::vector<int> sym;
    sym.reserve(word.size());
    for (size_t i = 0; i < word.size(); ++i) {
      const auto b = static_cast<uint8_t>(word[i]);
      sym.push_back(i + 1 == word.size() ? byte_end_id_[b] : byte_id_[b]);
    }
    while (sym.size() > 1) {
      int best_rank = -1;
      uint64_t best_key = 0;
      int best_result = -1;
      for (size_t i = 0; i + 1 < sym.size(); ++i) {
        const uint64_t key = PairKey(sym[i], sym[i + 1]);
        auto r = ranks_.find(key);
        if (r != ranks_.end() && (best_rank < 0 || r->second.first < best_rank)) {
          best_rank = r->second.first;
          best_key = key;
          best_result = r->second.second;
        }
      }
      if (best_rank < 0) break;
      // Merge every occurrence of the best pair, left to right.
      size_t out = 0;
      for (size_t i = 0; i < sym.size(); ++i) {
        if (i + 1 < sym.size() && PairKey(sym[i], sym[i + 1]) == best_key) {
          sym[out++] = best_result;
          ++i;
        } else {
          sym[out++] = sym[i];
        }
      }
      sym.resize(out);
    }
    ids->insert(ids->end(), sym.begin(), sym.end());
    cache.words.emplace(std::string(word), std::move(sym));
  }

  std::vector<std::pair<std::string, std::string>> merges_;
  int max_merges_;
  uint64_t instance_;
  RE2 pattern_;
  std::vector<std::string> vocab_;
  std::unordered_map<std::string, int> encoder_;
  std::vector<int> byte_decoder_;  // code point -> byte
  int byte_id_[256] = {};
  int byte_end_id_[256] = {};
  std::unordered_map<uint64_t, std::pair<int, int>> ranks_;  // pair -> (rank, merged id)
  int sot_ = 0, eot_ = 0, pad_ = 0;
};

}  // namespace

Result<std::unique_ptr<Tokenizer>> LoadClipBpe(const std::string& merges_path, int max_merges) {
  if (max_merges < 0) return Status::InvalidArgument("max_merges must be >= 0");
  gzFile gz = gzopen(merges_path.c_str(), "rb");
  if (gz == nullptr) return Status::NotFound("cannot open CLIP merges file " + merges_path);
  std::string data;
  char buf[1 << 16];
  int n;
  while ((n = gzread(gz, buf, sizeof(buf))) > 0) data.append(buf, static_cast<size_t>(n));
  const bool read_error = n < 0;
  gzclose(gz);
  if (read_error) return Status::IOError("cannot read CLIP merges file " + merges_path);

  const int limit = max_merges > 0 && max_merges < kClipMerges ? max_merges : kClipMerges;
  std::vector<std::pair<std::string, std::string>> merges;
  size_t pos = data.find('\n');  // skip the header line
  pos = pos == std::string::npos ? data.size() : pos + 1;
  while (pos < data.size() && static_cast<int>(merges.size()) < limit) {
    size_t end = data.find('\n', pos);
    if (end == std::string::npos) end = data.size();
    std::string_view line(data.data() + pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos || sp == 0 || sp + 1 >= line.size()) {
      return Status::DataError(merges_path + ": malformed merges line " + std::to_string(merges.size() + 2));
    }
    merges.emplace_back(std::string(line.substr(0, sp)), std::string(line.substr(sp + 1)));
  }
  if (merges.empty()) return Status::DataError(merges_path + ": no merges");
  if (max_merges > 0 && static_cast<int>(merges.size()) < max_merges) {
    return Status::InvalidArgument(merges_path + " has only " + std::to_string(merges.size()) +
                                   " merges, fewer than max_merges=" + std::to_string(max_merges));
  }
  auto tok = std::make_unique<ClipBpeTokenizer>(std::move(merges), max_merges);
  if (!tok->ok()) return Status::Internal("CLIP pre-tokenisation pattern does not compile");
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

std::string FindClipBpe() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const char* env = std::getenv("JUICER_CLIP_BPE");
  if (env != nullptr && *env != '\0' && fs::is_regular_file(env, ec)) return env;
  const std::string rel = "shared/models/clip_bpe_simple_vocab_16e6.txt.gz";
  std::vector<fs::path> candidates = {fs::path("..") / rel};
#ifdef JUICER_SOURCE_DIR
  candidates.push_back(fs::path(JUICER_SOURCE_DIR) / ".." / rel);
#endif
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    const fs::path exe_dir = exe.parent_path();
    // <src>/build/juicer -> <src>/../shared; <src>/build/sub/juicer_test -> <src>/../shared.
    candidates.push_back(exe_dir.parent_path() / ".." / rel);
    candidates.push_back(exe_dir.parent_path().parent_path() / ".." / rel);
  }
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c, ec)) return fs::absolute(c, ec).lexically_normal().string();
  }
  return "";
}

}  // namespace juicer
