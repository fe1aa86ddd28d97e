#include "ops/dedup/minhash_deduplicator.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/opensslv.h>
#include <re2/re2.h>
#include <unicode/uchar.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <unordered_set>

#include "core/union_find.h"
#include "ops/dedup/document_deduplicator.h"
#include "ops/dedup/numpy_random.h"
#include "ops/text/char_tables.h"

namespace juicer {
namespace dedup {

namespace {

constexpr uint64_t kMersennePrime = (uint64_t{1} << 61) - 1;
constexpr uint64_t kMaxHash = (uint64_t{1} << 32) - 1;

// Gauss-Legendre nodes/weights on [-1, 1]; 136 points integrate polynomials up to degree 271
// exactly, and DJ's integrands are polynomials of degree bands * rows <= num_perm.
struct GaussLegendre {
  static constexpr int kN = 136;
  std::array<double, kN> x{}, w{};
  GaussLegendre() {
    const double pi = std::acos(-1.0);
    for (int i = 0; i < kN; ++i) {
      double z = std::cos(pi * (i + 0.75) / (kN + 0.5)), dp = 0;
      for (int it = 0; it < 100; ++it) {
        double p0 = 1, p1 = z;  // P_0, P_1
        for (int k = 2; k <= kN; ++k) {
          const double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = kN * (z * p1 - p0) / (z * z - 1);
        const double dz = p1 / dp;
        z -= dz;
        if (std::fabs(dz) < 1e-16) break;
      }
      x[i] = z;
      w[i] = 2 / ((1 - z * z) * dp * dp);
    }
  }
  template <typename F>
  double Integrate(F&& f, double lo, double hi) const {
    const double half = (hi - lo) / 2, mid = (hi + lo) / 2;
    double sum = 0;
    for (int i = 0; i < kN; ++i) sum += w[i] * f(mid + half * x[i]);
    return sum * half;
  }
};

}  // namespace

std::pair<int, int> OptimalBandsRows(double threshold, int num_perm) {
  static const GaussLegendre gl;
  double min_error = std::numeric_limits<double>::infinity();
  std::pair<int, int> opt{0, 0};
  for (int b = 1; b <= num_perm; ++b) {
    const int max_r = num_perm / b;
    for (int r = 1; r <= max_r; ++r) {
      const double fb = b, fr = r;
      const double fp = gl.Integrate([&](double s) { return 1 - std::pow(1 - std::pow(s, fr), fb); }, 0.0, threshold);
      const double fn =
          gl.Integrate([&](double s) { return 1 - (1 - std::pow(1 - std::pow(s, fr), fb)); }, threshold, 1.0);
      const double error = fp * 0.5 + fn * 0.5;
      if (error < min_error) {
        min_error = error;
        opt = {b, r};
      }
    }
  }
  return opt;
}

void MinHashPermutations(int num_perm, std::vector<uint64_t>* a, std::vector<uint64_t>* b) {
  NumpyRandomState gen(42);
  a->resize(static_cast<size_t>(num_perm));
  b->resize(static_cast<size_t>(num_perm));
  for (int i = 0; i < num_perm; ++i) {
    (*a)[i] = gen.RandintU64(1, kMersennePrime);
    (*b)[i] = gen.RandintU64(0, kMersennePrime);
  }
}

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

const EVP_MD* Sha1Algorithm() {
  static const EVP_MD* md = [] {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    if (const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA1", nullptr)) return fetched;
#endif
    return EVP_sha1();
  }();
  return md;
}

}  // namespace

Status Sha1Hash32(std::string_view data, uint32_t* out) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  // Shingles are a few dozen bytes: OpenSSL 3's EVP layer (provider dispatch, context reset and
  // cleansing per call) costs several times the SHA-1 compression itself, so the direct SHA1_*
  // functions are used (deprecated in OpenSSL 3 but present; the same SHA-NI/AVX code underneath).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  SHA_CTX c;
  const bool ok = SHA1_Init(&c) == 1 && SHA1_Update(&c, data.data(), data.size()) == 1 && SHA1_Final(digest, &c) == 1;
#pragma GCC diagnostic pop
  if (!ok) {  // e.g. a FIPS-only OpenSSL: try the provider API, which reports why
    thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    unsigned int len = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), Sha1Algorithm(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1 || len != 20)
      return Status::Unavailable("SHA-1 is not available from OpenSSL");
  }
  *out = static_cast<uint32_t>(digest[0]) | static_cast<uint32_t>(digest[1]) << 8 |
         static_cast<uint32_t>(digest[2]) << 16 | static_cast<uint32_t>(digest[3]) << 24;
  return Status::OK();
}

namespace {

// Calls fn(shingle) for every shingle of DJ's tokenization; fn returns a Status.
template <typename Fn>
Status ForEachShingle(std::string_view text, MinHashTokenization mode, int window, std::string* scratch, Fn&& fn) {
  const size_t w = static_cast<size_t>(window);
  std::vector<std::pair<size_t, size_t>> spans;  // token byte spans
  if (mode == MinHashTokenization::kCharacter) {
    // text[i:i+w] over code points: spans are the code points' byte offsets.
    std::vector<size_t> starts;
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end) {
      starts.push_back(static_cast<size_t>(p - text.data()));
      text::DecodeUtf8(p, end);
    }
    starts.push_back(text.size());
    const size_t n = starts.size() - 1;
    if (n < w) return Status::OK();
    for (size_t i = 0; i + w <= n; ++i)
      JUICER_RETURN_IF_ERROR(fn(text.substr(starts[i], starts[i + w] - starts[i])));
    return Status::OK();
  }
  if (mode == MinHashTokenization::kSpace) {
    // re.split(" ") without the empty pieces.
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && text[i] == ' ') ++i;
      const size_t s = i;
      while (i < text.size() && text[i] != ' ') ++i;
      if (i > s) spans.emplace_back(s, i);
    }
  } else {
    // regex.split(r"\p{P}"): every piece, empty ones included.
    const char* p = text.data();
    const char* const end = p + text.size();
    size_t start = 0;
    while (p < end) {
      const size_t at = static_cast<size_t>(p - text.data());
      const char32_t c = text::DecodeUtf8(p, end);
      if (u_ispunct(static_cast<UChar32>(c))) {
        spans.emplace_back(start, at);
        start = static_cast<size_t>(p - text.data());
      }
    }
    spans.emplace_back(start, text.size());
  }
  if (spans.size() < w) return Status::OK();
  for (size_t i = 0; i + w <= spans.size(); ++i) {
    // The tokens of a space-split window are contiguous when single spaces separate them.
    const size_t b = spans[i].first, e = spans[i + w - 1].second;
    size_t joined = w - 1;
    for (size_t k = i; k < i + w; ++k) joined += spans[k].second - spans[k].first;
    if (mode == MinHashTokenization::kSpace && joined == e - b) {
      JUICER_RETURN_IF_ERROR(fn(text.substr(b, e - b)));
      continue;
    }
    scratch->clear();
    for (size_t k = i; k < i + w; ++k) {
      if (k > i) scratch->push_back(' ');
      scratch->append(text.data() + spans[k].first, spans[k].second - spans[k].first);
    }
    JUICER_RETURN_IF_ERROR(fn(std::string_view(*scratch)));
  }
  return Status::OK();
}

}  // namespace

namespace {

inline uint64_t PermutedHash(uint64_t h, uint64_t a, uint64_t b) {
  const uint64_t x = h * a + b;                   // wraps mod 2^64, as numpy's uint64 arithmetic
  uint64_t r = (x & kMersennePrime) + (x >> 61);  // x mod (2^61 - 1), exactly
  if (r >= kMersennePrime) r -= kMersennePrime;
  return r & kMaxHash;
}

void MinsPortable(const std::vector<uint32_t>& hv, const uint64_t* a, const uint64_t* b, size_t n, uint64_t* m) {
  for (uint32_t h : hv)
    for (size_t i = 0; i < n; ++i) m[i] = std::min(m[i], PermutedHash(h, a[i], b[i]));
}

#if defined(__x86_64__) && defined(__GNUC__)
#define JUICER_MINHASH_AVX2 1
// Four shingle hashes a step: h * a mod 2^64 from two 32x32->64 products (h < 2^32), the
// Mersenne reduction and a signed min (every value fits in 62 bits).
__attribute__((target("avx2"))) void MinsAvx2(const std::vector<uint32_t>& hv, const uint64_t* a,
                                               const uint64_t* b, size_t n, uint64_t* m) {
  const size_t full = hv.size() / 4 * 4;
  thread_local std::vector<uint64_t> wide;
  wide.assign(hv.begin(), hv.begin() + static_cast<std::ptrdiff_t>(full));
  const __m256i prime = _mm256_set1_epi64x(static_cast<int64_t>(kMersennePrime));
  const __m256i prime_m1 = _mm256_set1_epi64x(static_cast<int64_t>(kMersennePrime - 1));
  const __m256i low32 = _mm256_set1_epi64x(static_cast<int64_t>(kMaxHash));
  for (size_t i = 0; i < n; ++i) {
    const __m256i alo = _mm256_set1_epi64x(static_cast<int64_t>(a[i] & kMaxHash));
    const __m256i ahi = _mm256_set1_epi64x(static_cast<int64_t>(a[i] >> 32));
    const __m256i bv = _mm256_set1_epi64x(static_cast<int64_t>(b[i]));
    __m256i best = _mm256_set1_epi64x(static_cast<int64_t>(kMaxHash));
    for (size_t j = 0; j < full; j += 4) {
      const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wide.data() + j));
      const __m256i hi = _mm256_slli_epi64(_mm256_mul_epu32(h, ahi), 32);
      const __m256i x = _mm256_add_epi64(_mm256_add_epi64(_mm256_mul_epu32(h, alo), hi), bv);
      __m256i r = _mm256_add_epi64(_mm256_and_si256(x, prime), _mm256_srli_epi64(x, 61));
      r = _mm256_sub_epi64(r, _mm256_and_si256(_mm256_cmpgt_epi64(r, prime_m1), prime));
      r = _mm256_and_si256(r, low32);
      best = _mm256_blendv_epi8(best, r, _mm256_cmpgt_epi64(best, r));
    }
    alignas(32) uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), best);
    uint64_t v = std::min(std::min(lanes[0], lanes[1]), std::min(lanes[2], lanes[3]));
    for (size_t j = full; j < hv.size(); ++j) v = std::min(v, PermutedHash(hv[j], a[i], b[i]));
    m[i] = std::min(m[i], v);
  }
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12's avx512fintrin.h (_mm512_set1/srli) false positive
// Eight shingle hashes a step with AVX-512: vpmullq gives h * a mod 2^64 directly and vpminuq the
// unsigned min; the Mersenne reduction is the same as above.
__attribute__((target("avx512f,avx512dq"))) void MinsAvx512(const std::vector<uint32_t>& hv, const uint64_t* a,
                                                            const uint64_t* b, size_t n, uint64_t* m) {
  const size_t full = hv.size() / 8 * 8;
  thread_local std::vector<uint64_t> wide;
  wide.assign(hv.begin(), hv.begin() + static_cast<std::ptrdiff_t>(full));
  const __m512i prime = _mm512_set1_epi64(static_cast<int64_t>(kMersennePrime));
  const __m512i prime_m1 = _mm512_set1_epi64(static_cast<int64_t>(kMersennePrime - 1));
  const __m512i low32 = _mm512_set1_epi64(static_cast<int64_t>(kMaxHash));
  for (size_t i = 0; i < n; ++i) {
    const __m512i av = _mm512_set1_epi64(static_cast<int64_t>(a[i]));
    const __m512i bv = _mm512_set1_epi64(static_cast<int64_t>(b[i]));
    __m512i best = low32;
    for (size_t j = 0; j < full; j += 8) {
      const __m512i h = _mm512_loadu_si512(wide.data() + j);
      const __m512i x = _mm512_add_epi64(_mm512_mullo_epi64(h, av), bv);
      __m512i r = _mm512_add_epi64(_mm512_and_si512(x, prime), _mm512_srli_epi64(x, 61));
      r = _mm512_mask_sub_epi64(r, _mm512_cmpgt_epu64_mask(r, prime_m1), r, prime);
      best = _mm512_min_epu64(best, _mm512_and_si512(r, low32));
    }
    alignas(64) uint64_t lanes[8];
    _mm512_store_si512(lanes, best);
    uint64_t v = *std::min_element(lanes, lanes + 8);
    for (size_t j = full; j < hv.size(); ++j) v = std::min(v, PermutedHash(hv[j], a[i], b[i]));
    m[i] = std::min(m[i], v);
  }
}
#pragma GCC diagnostic pop
#endif

}  // namespace

Result<bool> MinHashSignature(std::string_view text, MinHashTokenization mode, int window,
                              const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                              std::string* scratch, std::vector<uint64_t>* mins, bool allow_simd) {
  const size_t n = a.size();
  mins->assign(n, std::numeric_limits<uint64_t>::max());
  thread_local std::vector<uint32_t> hv;
  hv.clear();
  JUICER_RETURN_IF_ERROR(ForEachShingle(text, mode, window, scratch, [&](std::string_view shingle) -> Status {
    uint32_t h32 = 0;
    JUICER_RETURN_IF_ERROR(Sha1Hash32(shingle, &h32));
    hv.push_back(h32);
    return Status::OK();
  }));
  if (hv.empty()) return false;
#ifdef JUICER_MINHASH_AVX2
  static const bool has_avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  if (allow_simd && has_avx512 && hv.size() >= 8) {
    MinsAvx512(hv, a.data(), b.data(), n, mins->data());
    return true;
  }
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (allow_simd && has_avx2 && hv.size() >= 4) {
    MinsAvx2(hv, a.data(), b.data(), n, mins->data());
    return true;
  }
#endif
  MinsPortable(hv, a.data(), b.data(), n, mins->data());
  return true;
}

}  // namespace dedup

namespace {

constexpr uint64_t kEmptyPos = ~uint64_t{0};

// Open-addressing band hash -> first position table: 16 bytes a slot, at most 70% full.
class BandTable {
 public:
  BandTable() { slots_.resize(256); }
  uint64_t FindOrInsert(uint64_t key, uint64_t pos) {
    if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
    Slot* s = Locate(slots_, key);
    if (s->pos != kEmptyPos) return s->pos;
    *s = Slot{key, pos};
    ++size_;
    return pos;
  }

 private:
  struct Slot {
    uint64_t key = 0, pos = kEmptyPos;
  };
  static Slot* Locate(std::vector<Slot>& slots, uint64_t key) {
    const size_t mask = slots.size() - 1;
    size_t i = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 17) & mask;
    while (slots[i].pos != kEmptyPos && slots[i].key != key) i = (i + 1) & mask;
    return &slots[i];
  }
  void Grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    for (const Slot& s : slots_)
      if (s.pos != kEmptyPos) *Locate(bigger, s.key) = s;
    slots_.swap(bigger);
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

struct MinHashState final : DatasetState {
  std::vector<BandTable> tables;
  std::vector<uint64_t> parent;  // union-find over positions; a root is its component's minimum
  std::vector<uint64_t> bands;   // scratch

  uint64_t Find(uint64_t x) { return FindRoot(parent, x); }
  void Union(uint64_t x, uint64_t y) {
    const uint64_t px = Find(x), py = Find(y);
    parent[px] = parent[py] = std::min(px, py);
  }
};

uint64_t Mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// __dj__minhash as juicer writes it: 16 lowercase hex digits (a 64-bit band key) per band.
bool ParseBandKeys(std::string_view hex, size_t bands, std::vector<uint64_t>* out) {
  if (hex.size() != bands * 16) return false;
  out->assign(bands, 0);
  for (size_t i = 0; i < hex.size(); ++i) {
    const int d = HexDigit(hex[i]);
    if (d < 0) return false;
    (*out)[i / 16] = (*out)[i / 16] << 4 | static_cast<uint64_t>(d);
  }
  return true;
}

class MinHashDeduplicator final : public DatasetOp {
 public:
  MinHashDeduplicator(const OpInfo& info, const OpParams& params, dedup::MinHashTokenization mode)
      : DatasetOp(info, params),
        mode_(mode),
        window_(static_cast<int>(params.GetInt("window_size"))),
        lowercase_(params.GetBool("lowercase")),
        num_perm_(static_cast<int>(params.GetInt("num_permutations"))) {
    if (!params.IsNull("ignore_pattern") && !params.GetString("ignore_pattern").empty())
      ignore_ = std::make_unique<RE2>(params.GetString("ignore_pattern"), RE2::Quiet);
    const auto nb = params.GetOptInt("num_bands"), nr = params.GetOptInt("num_rows_per_band");
    if (nb && nr) {
      bands_ = static_cast<int>(*nb);
      rows_ = static_cast<int>(*nr);
    } else {
      std::tie(bands_, rows_) = dedup::OptimalBandsRows(params.GetDouble("jaccard_threshold"), num_perm_);
    }
    dedup::MinHashPermutations(num_perm_, &perm_a_, &perm_b_);
  }

  const RE2* ignore() const { return ignore_.get(); }
  int bands() const { return bands_; }
  int rows() const { return rows_; }

  Status Prepare(Sample& sample, WorkerContext& ctx) const override {
    std::vector<uint64_t> keys;
    if (const Sample::Field* f = sample.Find(fields::kMinHash);
        f != nullptr && f->type == JsonType::kString && f->has_decoded &&
        ParseBandKeys(f->decoded, static_cast<size_t>(bands_), &keys))
      return Status::OK();  // computed already
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string work;
    if (lowercase_) {
      JUICER_RETURN_IF_ERROR(dedup::PythonLower(text, &work));
    } else {
      work.assign(text.data(), text.size());
    }
    if (ignore_) RE2::GlobalReplace(&work, *ignore_, "");
    std::vector<uint64_t> mins;
    JUICER_ASSIGN_OR_RETURN(bool any,
                            dedup::MinHashSignature(work, mode_, window_, perm_a_, perm_b_, &ctx.scratch, &mins));
    if (!any)
      return Status::DataError(name() + ": the text has fewer than window_size=" + std::to_string(window_) +
                               " tokens, so it has no shingle to hash (Data-Juicer fails on it too)");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex(static_cast<size_t>(bands_) * 16, '0');
    const size_t n = mins.size();
    for (int band = 0; band < bands_; ++band) {
      // DJ's band value is hash_values[band*r:(band+1)*r] (clamped like a Python slice).
      const size_t start = std::min(n, static_cast<size_t>(band) * rows_);
      const size_t end = std::min(n, static_cast<size_t>(band + 1) * rows_);
      uint64_t h = 0x51ED270B27A3C6D5ull ^ (end - start);
      for (size_t i = start; i < end; ++i) h = Mix64(h ^ mins[i]) + i - start;
      for (int d = 15; d >= 0; --d) {
        hex[static_cast<size_t>(band) * 16 + static_cast<size_t>(15 - d)] = kHex[(h >> (4 * d)) & 15];
      }
    }
    sample.SetString(fields::kMinHash, hex);
    return Status::OK();
  }

  std::unique_ptr<DatasetState> NewState() const override {
    auto st = std::make_unique<MinHashState>();
    st->tables.resize(static_cast<size_t>(bands_));
    return st;
  }

  Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const override {
    auto& st = static_cast<MinHashState&>(state);
    const Sample::Field* f = sample.Find(fields::kMinHash);
    JUICER_CHECK_INTERNAL(f != nullptr && f->has_decoded &&
                              ParseBandKeys(f->decoded, static_cast<size_t>(bands_), &st.bands),
                          "document_minhash_deduplicator: sample observed without a valid __dj__minhash");
    while (st.parent.size() <= pos) st.parent.push_back(st.parent.size());
    for (int band = 0; band < bands_; ++band) {
      const uint64_t first = st.tables[static_cast<size_t>(band)].FindOrInsert(st.bands[static_cast<size_t>(band)], pos);
      if (first != pos) st.Union(pos, first);
    }
    return Status::OK();
  }

  bool HasClusterKeys() const override { return true; }
  Status ClusterKeys(const Sample& sample, std::vector<ClusterKey>* keys) const override {
    const Sample::Field* f = sample.Find(fields::kMinHash);
    std::vector<uint64_t> bands;
    JUICER_CHECK_INTERNAL(f != nullptr && f->has_decoded && ParseBandKeys(f->decoded, static_cast<size_t>(bands_), &bands),
                          "document_minhash_deduplicator: sample without a valid __dj__minhash");
    keys->clear();
    for (size_t band = 0; band < bands.size(); ++band) keys->push_back(ClusterKey{band, bands[band]});
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext& ctx) const override {
    auto& st = static_cast<MinHashState&>(state);
    std::vector<BandTable>().swap(st.tables);
    Selection sel;
    std::unordered_set<uint64_t> traced;
    for (uint64_t i = 0; i < st.parent.size(); ++i) {
      const uint64_t root = st.Find(i);
      if (root == i) {
        sel.positions.push_back(i);
      } else if (ctx.trace_num > 0 && traced.size() < static_cast<size_t>(ctx.trace_num) &&
                 traced.insert(root).second) {
        sel.pairs.push_back(DuplicatePair{root, i});  // DJ: (cluster root, first other member)
      }
    }
    return sel;
  }

 private:
  dedup::MinHashTokenization mode_;
  int window_;
  bool lowercase_;
  int num_perm_;
  int bands_ = 0, rows_ = 0;
  std::unique_ptr<RE2> ignore_;
  std::vector<uint64_t> perm_a_, perm_b_;
};

Result<std::unique_ptr<Op>> MakeMinHash(const OpInfo& info, const OpParams& p) {
  const std::string& tok = p.GetString("tokenization");
  dedup::MinHashTokenization mode = dedup::MinHashTokenization::kSpace;
  if (tok == "punctuation") mode = dedup::MinHashTokenization::kPunctuation;
  else if (tok == "character") mode = dedup::MinHashTokenization::kCharacter;
  else if (tok == "sentencepiece")
    return Status::Unavailable(
        "document_minhash_deduplicator: tokenization 'sentencepiece' is not supported by juicer; use "
        "'space', 'punctuation' or 'character'");
  else if (tok != "space")
    return Status::InvalidArgument("document_minhash_deduplicator: unknown tokenization '" + tok + "'");
  const auto nb = p.GetOptInt("num_bands"), nr = p.GetOptInt("num_rows_per_band");
  if (nb && nr && *nb * *nr > 1'000'000)
    return Status::InvalidArgument("document_minhash_deduplicator: num_bands * num_rows_per_band is too large");
  auto op = std::make_unique<MinHashDeduplicator>(info, p, mode);
  if (op->ignore() != nullptr && !op->ignore()->ok())
    return Status::InvalidArgument("document_minhash_deduplicator: param 'ignore_pattern': invalid regex: " +
                                   op->ignore()->error());
  return std::unique_ptr<Op>(std::move(op));
}

OpInfo MinHashDeduplicatorInfo() {
  OpInfo info;
  info.name = "document_minhash_deduplicator";
  info.kind = OpKind::kDeduplicator;
  info.modality = Modality::kText;
  info.summary = "Remove near-duplicate texts with MinHash-LSH, keeping the first of each cluster.";
  info.description =
      "Data-Juicer's MinHash-LSH, bit for bit: the text is lowercased (Python str.lower()) when "
      "lowercase=true, then every match of ignore_pattern is removed (the pattern runs on RE2: "
      "\\p{..} classes work as in Python's `regex`; RE2 lacks look-around and backreferences, and its "
      "\\w \\d \\s are ASCII-only). Shingles are window_size consecutive tokens joined by a space "
      "(space: tokens split on ' '; punctuation: the pieces between Unicode punctuation (general "
      "category P) characters, empty pieces included) or window_size consecutive code points "
      "(character). Each shingle is hashed with the first 4 bytes of SHA-1 (little-endian), and each of "
      "the num_permutations permutations takes min(((h*a + b) mod 2^64) mod (2^61-1)) & (2^32-1), "
      "with a, b drawn as DJ does from numpy.random.RandomState(42) (a port of numpy's MT19937 and "
      "bounded randint). Unless both num_bands and num_rows_per_band are given, (bands, rows) is DJ's "
      "optimum minimising the mean of the false positive and false negative probability integrals "
      "(integrated by Gauss-Legendre quadrature, exact for these polynomials, where DJ uses scipy's "
      "quad; the defaults give 25 bands of 10 rows). Samples sharing a band in any band table are united "
      "(union-find) and each connected cluster keeps only its first sample, in input order; the tracer "
      "gets (first, next member) pairs per cluster. tokenization='sentencepiece' is not supported "
      "(Unavailable). A text with fewer tokens than window_size has no shingle: a data error, as in DJ. "
      "__dj__minhash holds a 64-bit key per band (16 hex digits each). Memory: per sample 8 bytes of "
      "union-find and a 16-byte slot per band in tables kept at most 70% full; texts are not kept.";
  info.params = {
      ParamSpec{.name = "tokenization",
                .type = ParamType::kString,
                .default_value = std::string("space"),
                .doc = "how shingles are formed",
                .choices = {"space", "punctuation", "character", "sentencepiece"}},
      ParamSpec{.name = "window_size",
                .type = ParamType::kInt,
                .default_value = int64_t{5},
                .doc = "tokens (or characters) per shingle",
                .min_value = 1},
      ParamSpec{.name = "lowercase", .type = ParamType::kBool, .default_value = true, .doc = "lowercase the text first"},
      ParamSpec{.name = "ignore_pattern",
                .type = ParamType::kString,
                .default_value = std::monostate{},
                .doc = "regex whose matches are removed before shingling",
                .nullable = true},
      ParamSpec{.name = "num_permutations",
                .type = ParamType::kInt,
                .default_value = int64_t{256},
                .doc = "number of MinHash permutations",
                .min_value = 1,
                .max_value = 65536},
      ParamSpec{.name = "jaccard_threshold",
                .type = ParamType::kFloat,
                .default_value = 0.7,
                .doc = "Jaccard similarity regarded as duplicate",
                .min_value = 0.0,
                .max_value = 1.0},
      ParamSpec{.name = "num_bands",
                .type = ParamType::kInt,
                .default_value = std::monostate{},
                .doc = "LSH bands (null: optimal for the threshold)",
                .nullable = true,
                .min_value = 1},
      ParamSpec{.name = "num_rows_per_band",
                .type = ParamType::kInt,
                .default_value = std::monostate{},
                .doc = "rows per LSH band (null: optimal for the threshold)",
                .nullable = true,
                .min_value = 1},
      ParamSpec{.name = "tokenizer_model",
                .type = ParamType::kString,
                .default_value = std::monostate{},
                .doc = "sentencepiece model (sentencepiece tokenization is not supported)",
                .nullable = true},
  };
  info.factory = MakeMinHash;
  return info;
}

}  // namespace

Status RegisterMinHashDedupOps(OpRegistry& registry) { return registry.Add(MinHashDeduplicatorInfo()); }

}  // namespace juicer
