#include "ops/dedup/document_deduplicator.h"

#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/stringpiece.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <vector>

#include "ops/text/char_tables.h"

namespace juicer {

namespace dedup {

Status PythonLower(std::string_view text, std::string* out) {
  if (text::IsAscii(text)) {
    const size_t base = out->size();
    out->resize(base + text.size());
    char* dst = out->data() + base;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      dst[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
    }
    return Status::OK();
  }
  // Root locale (""): no language-specific rules, like Python. ICU applies the unconditional
  // SpecialCasing mappings (U+0130 -> "i\u0307") and the Final_Sigma rule, as CPython does.
  UErrorCode err = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(out, static_cast<int32_t>(text.size()));
  icu::CaseMap::utf8ToLower("", 0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink,
                            nullptr, err);
  if (U_FAILURE(err)) return Status::DataError(std::string("cannot lowercase text: ") + u_errorName(err));
  return Status::OK();
}

size_t RemoveNonCharacters(char* data, size_t size) {
  const uint8_t* flags = text::CharFlagTable();
  const char* p = data;
  const char* const end = data + size;
  char* out = data;
  while (p < end) {
    const auto b = static_cast<unsigned char>(*p);
    if (b < 0x80) {
      // ASCII: \s (whitespace), \d (0-9) and string.punctuation are exactly the special set.
      if ((flags[b] & text::kSpecial) == 0) *out++ = static_cast<char>(b);
      ++p;
      continue;
    }
    const char* start = p;
    const char32_t c = text::DecodeUtf8(p, end);
    if ((flags[c] & (text::kWhiteSpace | text::kDecimal)) != 0) continue;
    const size_t len = static_cast<size_t>(p - start);
    std::memmove(out, start, len);  // out <= start: compaction never overtakes the reader
    out += len;
  }
  return static_cast<size_t>(out - data);
}

std::string_view PythonStrip(std::string_view text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  while (begin < end) {
    const char* next = begin;
    if (!text::IsPySpace(text::DecodeUtf8(next, end))) break;
    begin = next;
  }
  while (end > begin) {
    const char* prev = end;
    if (!text::IsPySpace(text::DecodeUtf8Backward(prev, begin))) break;
    end = prev;
  }
  return std::string_view(begin, static_cast<size_t>(end - begin));
}

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

const EVP_MD* Md5Algorithm() {
  static const EVP_MD* md = [] {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    // Fetch once: passing EVP_md5() to every EVP_DigestInit_ex would re-fetch it each time.
    if (const EVP_MD* fetched = EVP_MD_fetch(nullptr, "MD5", nullptr)) return fetched;
#endif
    return EVP_md5();
  }();
  return md;
}

}  // namespace

Status Md5(std::string_view data, unsigned char digest[16]) {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), Md5Algorithm(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1 || len != 16)
    return Status::Unavailable("MD5 is not available from OpenSSL (is the library in FIPS-only mode?)");
  return Status::OK();
}

Status DocumentHashHex(std::string_view text, bool lowercase, bool ignore_non_character, std::string* scratch,
                       std::string* hex_out) {
  std::string_view cur = text;
  if (lowercase) {
    scratch->clear();
    JUICER_RETURN_IF_ERROR(PythonLower(text, scratch));
    cur = *scratch;
  }
  if (ignore_non_character) {
    if (!lowercase) scratch->assign(text.data(), text.size());
    scratch->resize(RemoveNonCharacters(scratch->data(), scratch->size()));
    cur = *scratch;
  }
  cur = PythonStrip(cur);
  unsigned char digest[16];
  JUICER_RETURN_IF_ERROR(Md5(cur, digest));
  static constexpr char kHex[] = "0123456789abcdef";
  hex_out->resize(32);
  for (int i = 0; i < 16; ++i) {
    (*hex_out)[2 * i] = kHex[digest[i] >> 4];
    (*hex_out)[2 * i + 1] = kHex[digest[i] & 15];
  }
  return Status::OK();
}

}  // namespace dedup

namespace {

struct Digest {
  uint64_t lo = 0, hi = 0;
  bool operator==(const Digest& o) const { return lo == o.lo && hi == o.hi; }
};

struct DigestHash {
  size_t operator()(const Digest& d) const {
    return static_cast<size_t>((d.lo ^ (d.hi * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull);
  }
};

Digest DigestFromBytes(const unsigned char b[16]) {
  Digest d;
  for (int i = 0; i < 8; ++i) d.hi = (d.hi << 8) | b[i];
  for (int i = 8; i < 16; ++i) d.lo = (d.lo << 8) | b[i];
  return d;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // DJ's hexdigest is lowercase; anything else goes through the generic path
}

// The 128-bit key of a __dj__hash value. DJ compares the values themselves; a 32-digit
// lowercase hex string (what DJ and juicer write) is parsed losslessly, any other value (a hash
// written by some other tool) is keyed by the MD5 of its type and content instead.
Status HashFieldDigest(const Sample::Field& f, Digest* out) {
  std::string_view content;
  char tag = 'r';
  if (f.type == JsonType::kString && f.has_decoded) {
    content = f.decoded;
    tag = 's';
  } else if (f.type == JsonType::kString && f.RawText().size() >= 2 &&
             f.RawText().find('\\') == std::string_view::npos) {
    content = f.RawText().substr(1, f.RawText().size() - 2);
    tag = 's';
  } else {
    content = f.RawText();
  }
  if (tag == 's' && content.size() == 32) {
    unsigned char bytes[16];
    bool ok = true;
    for (int i = 0; i < 16 && ok; ++i) {
      const int h = HexValue(content[2 * i]), l = HexValue(content[2 * i + 1]);
      ok = h >= 0 && l >= 0;
      bytes[i] = static_cast<unsigned char>((h << 4) | (l & 15));
    }
    if (ok) {
      *out = DigestFromBytes(bytes);
      return Status::OK();
    }
  }
  std::string keyed;
  keyed.reserve(content.size() + 2);
  keyed.push_back(tag);
  keyed.push_back(static_cast<char>('0' + static_cast<int>(f.type)));
  keyed.append(content);
  unsigned char digest[16];
  JUICER_RETURN_IF_ERROR(dedup::Md5(keyed, digest));
  *out = DigestFromBytes(digest);
  return Status::OK();
}

// Open-addressing digest -> first position table: 24 bytes a slot, at most 70% full.
class FirstSeenTable {
 public:
  FirstSeenTable() { slots_.resize(1024); }

  // The position the digest was first seen at; inserts `pos` (and returns it) when new.
  uint64_t FindOrInsert(const Digest& d, uint64_t pos) {
    if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
    Slot* s = Locate(slots_, d);
    if (s->pos != kEmpty) return s->pos;
    *s = Slot{d.lo, d.hi, pos};
    ++size_;
    return pos;
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  struct Slot {
    uint64_t lo = 0, hi = 0, pos = kEmpty;
  };

  static Slot* Locate(std::vector<Slot>& slots, const Digest& d) {
    const size_t mask = slots.size() - 1;
    size_t i = DigestHash{}(d) >> 20 & mask;
    while (slots[i].pos != kEmpty && !(slots[i].lo == d.lo && slots[i].hi == d.hi)) i = (i + 1) & mask;
    return &slots[i];
  }

  void Grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    for (const Slot& s : slots_)
      if (s.pos != kEmpty) *Locate(bigger, Digest{s.lo, s.hi}) = s;
    slots_.swap(bigger);
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

struct DupGroup {
  uint64_t first = 0, second = 0, count = 0;
};

struct DedupState final : DatasetState {
  FirstSeenTable seen;
  std::vector<uint64_t> kept;
  // Only hashes seen more than once (for the tracer's duplicate pairs).
  std::unordered_map<Digest, size_t, DigestHash> group_index;
  std::vector<DupGroup> groups;
};

class DocumentDeduplicator final : public DatasetOp {
 public:
  DocumentDeduplicator(const OpInfo& info, const OpParams& params)
      : DatasetOp(info, params),
        lowercase_(params.GetBool("lowercase")),
        ignore_non_character_(params.GetBool("ignore_non_character")) {}

  Status Prepare(Sample& sample, WorkerContext& ctx) const override {
    if (sample.Has(fields::kHash)) return Status::OK();  // computed already (DJ keeps it too)
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string hex;
    JUICER_RETURN_IF_ERROR(dedup::DocumentHashHex(text, lowercase_, ignore_non_character_, &ctx.scratch, &hex));
    sample.SetString(fields::kHash, hex);
    return Status::OK();
  }

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<DedupState>(); }

  Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const override {
    auto& st = static_cast<DedupState&>(state);
    const Sample::Field* f = sample.Find(fields::kHash);
    JUICER_CHECK_INTERNAL(f != nullptr, "document_deduplicator: sample observed without __dj__hash");
    Digest d;
    JUICER_RETURN_IF_ERROR(HashFieldDigest(*f, &d));
    const uint64_t first = st.seen.FindOrInsert(d, pos);
    if (first == pos) {
      st.kept.push_back(pos);
      return Status::OK();
    }
    auto [it, inserted] = st.group_index.try_emplace(d, st.groups.size());
    if (inserted) st.groups.push_back(DupGroup{first, pos, 2});
    else ++st.groups[it->second].count;
    return Status::OK();
  }

  bool HasClusterKeys() const override { return true; }
  Status ClusterKeys(const Sample& sample, std::vector<ClusterKey>* keys) const override {
    const Sample::Field* f = sample.Find(fields::kHash);
    JUICER_CHECK_INTERNAL(f != nullptr, "document_deduplicator: sample without __dj__hash");
    Digest d;
    JUICER_RETURN_IF_ERROR(HashFieldDigest(*f, &d));
    keys->assign(1, ClusterKey{d.hi, d.lo});
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext& ctx) const override {
    auto& st = static_cast<DedupState&>(state);
    Selection sel;
    sel.positions = std::move(st.kept);
    if (ctx.trace_num > 0 && !st.groups.empty()) {
      // DJ traces the show_num largest duplicate groups (ties: first occurrence first), one pair
      // (first occurrence, second occurrence) each.
      std::vector<DupGroup>& g = st.groups;
      std::stable_sort(g.begin(), g.end(), [](const DupGroup& a, const DupGroup& b) {
        if (a.count != b.count) return a.count > b.count;
        return a.first < b.first;
      });
      const size_t n = std::min(g.size(), static_cast<size_t>(ctx.trace_num));
      for (size_t i = 0; i < n; ++i) sel.pairs.push_back(DuplicatePair{g[i].first, g[i].second});
    }
    return sel;
  }

 private:
  bool lowercase_;
  bool ignore_non_character_;
};

OpInfo DocumentDeduplicatorInfo() {
  OpInfo info;
  info.name = "document_deduplicator";
  info.kind = OpKind::kDeduplicator;
  info.modality = Modality::kText;
  info.summary = "Remove exact duplicate texts (MD5 of the optionally normalised text), keeping the first.";
  info.description =
      "Each sample gets __dj__hash = md5(strip(text')).hexdigest(), where text' is the text field, "
      "lowercased with Python's str.lower() (full Unicode, no locale) when lowercase=true, then with "
      "every whitespace, decimal digit and ASCII punctuation character removed when "
      "ignore_non_character=true (Data-Juicer's regex \\s+|\\d+|[punctuation], Unicode \\s and \\d), and "
      "strip removes leading/trailing whitespace as Python's str.strip(). A sample that already has "
      "__dj__hash keeps it. Samples are then kept in input order, the first occurrence of each hash "
      "only. Same semantics and hash values as Data-Juicer. With the tracer on, the trace_num largest "
      "duplicate groups are reported as (first, second occurrence) pairs. Memory: a 128-bit digest and "
      "a position per distinct text (a 24-byte slot of a table kept at most 70% full) and 8 bytes per "
      "kept sample, plus one small entry per duplicated hash; texts themselves are not kept.";
  info.params = {
      ParamSpec{.name = "lowercase",
                .type = ParamType::kBool,
                .default_value = false,
                .doc = "compare texts case-insensitively (Python str.lower())"},
      ParamSpec{.name = "ignore_non_character",
                .type = ParamType::kBool,
                .default_value = false,
                .doc = "ignore whitespace, digits and ASCII punctuation when comparing"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<DocumentDeduplicator>(i, p));
  };
  return info;
}

}  // namespace

Status RegisterDedupOps(OpRegistry& registry) { return registry.Add(DocumentDeduplicatorInfo()); }

}  // namespace juicer
