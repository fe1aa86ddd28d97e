#include "ops/text/repetition_filters.h"

#include <xxhash.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ops/text/char_tables.h"
#include "ops/text/words.h"

namespace juicer {

namespace text {

namespace {

constexpr uint64_t kBase = 0x9E3779B97F4A7C15ull;  // odd multiplier of the rolling hash

inline size_t TableCapacity(size_t items) {
  size_t cap = 16;
  while (cap < 2 * items) cap <<= 1;
  return cap;
}

// Where CountNgrams left the counts: arena[at, at + distinct), one per distinct n-gram, in no order.
struct NgramCounts {
  size_t at = 0;
  size_t distinct = 0;
};

// Counts the distinct n-grams (exact: equal hashes are confirmed by comparing the n items) of the
// sequence arena[base, base+len), len >= n >= 1. Everything lives in the arena after the sequence: an
// open-addressing table of {tag, distinct index} slots (8 bytes, so a 2 KB document's table fits in L1)
// and, per distinct n-gram, its slot, first position and count. The table is never cleared: a slot is
// occupied only when its index is below `distinct` and that entry points back at the slot (the
// sparse-set trick), so stale contents from earlier documents are harmless.
NgramCounts CountNgrams(std::vector<uint32_t>& arena, size_t base, size_t len, size_t n) {
  const size_t windows = len - n + 1;
  const size_t cap = TableCapacity(windows);
  const size_t mask = cap - 1;
  const size_t table_at = base + len;
  const size_t slot_at = table_at + 2 * cap;
  const size_t first_at = slot_at + windows;
  const size_t count_at = first_at + windows;
  if (arena.size() < count_at + windows) arena.resize(count_at + windows);
  const uint32_t* seq = arena.data() + base;
  uint32_t* table = arena.data() + table_at;
  uint32_t* slot_of = arena.data() + slot_at;
  uint32_t* first = arena.data() + first_at;
  uint32_t* count = arena.data() + count_at;

  uint64_t base_pow_n = 1;
  uint64_t h = 0;
  for (size_t j = 0; j < n; ++j) {
    h = h * kBase + seq[j];
    base_pow_n *= kBase;
  }
  const int shift = 64 - std::countr_zero(cap);
  uint32_t distinct = 0;
  for (size_t i = 0;; ++i) {
    // Multiply-shift takes the slot from the well-mixed high bits; the tag is another mix of h.
    size_t idx = static_cast<size_t>((h * 0x9FB21C651E98DF25ull) >> shift);
    const uint32_t tag = static_cast<uint32_t>((h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ull >> 32);
    for (;;) {
      const uint32_t d = table[2 * idx + 1];
      if (d >= distinct || slot_of[d] != idx) {  // empty: a new n-gram
        table[2 * idx] = tag;
        table[2 * idx + 1] = distinct;
        slot_of[distinct] = static_cast<uint32_t>(idx);
        first[distinct] = static_cast<uint32_t>(i);
        count[distinct] = 1;
        ++distinct;
        break;
      }
      if (table[2 * idx] == tag) {
        const uint32_t* x = seq + i;
        const uint32_t* y = seq + first[d];
        size_t k = 0;
        while (k < n && x[k] == y[k]) ++k;
        if (k == n) {
          ++count[d];
          break;
        }
      }
      idx = (idx + 1) & mask;
    }
    if (i + 1 == windows) break;
    h = h * kBase - base_pow_n * seq[i] + seq[i + n];
  }
  return NgramCounts{count_at, distinct};
}

// CountNgrams for a sequence whose items all fit in `bits` = 128 / n bits: each n-gram is packed into
// one 128-bit key, exactly, so equal keys are equal n-grams and no item-by-item confirmation is needed.
// Each slot holds the key and its count, so a window costs one random access (the general path needs
// three dependent ones); slots belong to the current call when their stamp equals `epoch`, so the table
// is never cleared. Returns the number of distinct n-grams; their counts are in `counts`.
struct PackedSlot {
  unsigned __int128 key;
  uint32_t count;
  uint32_t stamp;
};

size_t CountPackedNgrams(const uint32_t* seq, size_t len, size_t n, int bits, std::vector<PackedSlot>& table,
                         uint32_t& epoch, std::vector<uint32_t>& counts) {
  using u128 = unsigned __int128;
  const size_t windows = len - n + 1;
  // Load factor <= 1/4: almost every window finds its slot at the first probe, so the loop's only branch
  // is predictable; new and repeated n-grams are told apart without a branch.
  const size_t cap = TableCapacity(2 * windows);
  const size_t mask = cap - 1;
  if (table.size() < cap) {
    table.assign(cap, PackedSlot{0, 0, 0});
    epoch = 0;
  }
  if (++epoch == 0) {  // wrapped: forget every old stamp
    for (auto& sl : table) sl.stamp = 0;
    epoch = 1;
  }
  // Locals only in the loop: a thread_local or a reference here would be reloaded after every store.
  const uint32_t stamp = epoch;
  counts.resize(windows);
  uint32_t* used = counts.data();  // slots of the distinct n-grams, then their counts
  size_t distinct = 0;
  const u128 key_mask = static_cast<size_t>(bits) * n >= 128 ? ~u128{0} : ((u128{1} << (bits * n)) - 1);
  const int shift = 64 - std::countr_zero(cap);
  u128 key = 0;
  for (size_t j = 0; j + 1 < n; ++j) key = (key << bits) | seq[j];
  PackedSlot* const t = table.data();
  for (size_t i = 0; i < windows; ++i) {
    key = ((key << bits) | seq[i + n - 1]) & key_mask;
    const uint64_t lo = static_cast<uint64_t>(key), hi = static_cast<uint64_t>(key >> 64);
    size_t idx = static_cast<size_t>(((lo ^ (hi * 0xC2B2AE3D27D4EB4Full)) * 0x9FB21C651E98DF25ull) >> shift);
    for (;;) {
      PackedSlot& sl = t[idx];
      const bool fresh = sl.stamp != stamp;
      if (fresh || sl.key == key) {
        sl.key = key;
        sl.count = (fresh ? 0 : sl.count) + 1;
        sl.stamp = stamp;
        used[distinct] = static_cast<uint32_t>(idx);
        distinct += fresh;
        break;
      }
      idx = (idx + 1) & mask;
    }
  }
  for (size_t d = 0; d < distinct; ++d) used[d] = t[used[d]].count;
  return distinct;
}

// The byte path of CharRepetitionRatio: the text as one byte per code point (ASCII keeps its value; other
// code points get 128, 129, ... in order of appearance, a bijection) into `ids`, followed by 32 zero
// bytes so that any window can be read as two 8-byte words (and eight windows as one 32-byte load).
// Returns false, leaving the general path to the caller, when the text has more than 128 distinct
// non-ASCII code points.
bool ToByteIds(std::string_view text, std::vector<uint8_t>& ids, size_t& len) {
  constexpr size_t kMap = 512;  // >= 4 x 128 entries: short probes
  thread_local std::array<uint32_t, kMap> key{}, stamp{};
  thread_local std::array<uint8_t, kMap> val{};
  thread_local uint32_t epoch = 0;
  if (++epoch == 0) {  // wrapped: forget every old stamp
    stamp.fill(0);
    epoch = 1;
  }
  ids.resize(text.size() + 32);
  uint8_t* out = ids.data();
  uint32_t next = 128;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    uint64_t w;
    if (end - p >= 8 && (std::memcpy(&w, p, 8), (w & 0x8080808080808080ull) == 0)) {  // 8 ASCII bytes
      std::memcpy(out, &w, 8);
      out += 8;
      p += 8;
      continue;
    }
    if (static_cast<unsigned char>(*p) < 0x80) {
      *out++ = static_cast<uint8_t>(*p++);
      continue;
    }
    const uint32_t c = DecodeUtf8(p, end);
    size_t slot = (c * 0x9E3779B1u) >> (32 - 9);
    while (stamp[slot] == epoch && key[slot] != c) slot = (slot + 1) & (kMap - 1);
    if (stamp[slot] != epoch) {
      if (next > 255) return false;
      stamp[slot] = epoch;
      key[slot] = c;
      val[slot] = static_cast<uint8_t>(next++);
    }
    *out++ = val[slot];
  }
  len = static_cast<size_t>(out - ids.data());
  std::memset(out, 0, 32);
  return true;
}

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t WindowHash(uint64_t lo, uint64_t hi) {
  return (lo * 0x9E3779B97F4A7C15ull) ^ (hi * 0xC2B2AE3D27D4EB4Full);
}

// The sieve's hash of a window (its two masked words): one multiply, whose high bits depend on every bit
// of the window; the top `bits` bits are kept.
inline uint32_t SieveHash(uint64_t lo, uint64_t hi, int shift) {
  return static_cast<uint32_t>(((lo ^ std::rotl(hi, 29)) * 0x9E3779B97F4A7C15ull) >> shift);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define JUICER_REP_AVX512 1
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12's AVX-512 headers: a false positive
// SieveHash of windows [0, windows / 8 * 8), eight a step: lane k's two words are permuted out of one
// 32-byte load at s + i (vpermb), then masked, mixed and multiplied (vpmullq) as SieveHash does, so
// the hashes are the same. Returns the number of windows done.
__attribute__((target("avx512f,avx512dq,avx512bw,avx512vbmi"))) size_t SieveHashesAvx512(
    const uint8_t* s, size_t windows, uint64_t mlo, uint64_t mhi, int shift, uint32_t* out) {
  alignas(64) uint8_t lo_at[64], hi_at[64];
  for (int k = 0; k < 8; ++k)
    for (int b = 0; b < 8; ++b) {
      lo_at[8 * k + b] = static_cast<uint8_t>(k + b);
      hi_at[8 * k + b] = static_cast<uint8_t>(k + 8 + b);
    }
  const __m512i lo_idx = _mm512_load_si512(lo_at), hi_idx = _mm512_load_si512(hi_at);
  const __m512i lo_mask = _mm512_set1_epi64(static_cast<int64_t>(mlo));
  const __m512i hi_mask = _mm512_set1_epi64(static_cast<int64_t>(mhi));
  const __m512i mul = _mm512_set1_epi64(static_cast<int64_t>(0x9E3779B97F4A7C15ull));
  const __m128i count = _mm_cvtsi32_si128(shift);
  size_t i = 0;
  for (; i + 8 <= windows; i += 8) {
    const __m512i v = _mm512_zextsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i)));
    const __m512i lo = _mm512_and_si512(_mm512_permutexvar_epi8(lo_idx, v), lo_mask);
    const __m512i hi = _mm512_and_si512(_mm512_permutexvar_epi8(hi_idx, v), hi_mask);
    const __m512i h = _mm512_srl_epi64(_mm512_mullo_epi64(_mm512_xor_si512(lo, _mm512_rol_epi64(hi, 29)), mul), count);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm512_cvtepi64_epi32(h));
  }
  return i;
}
#pragma GCC diagnostic pop

bool HaveAvx512Vbmi() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                          __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi");
  return has;
}
#endif

struct ByteNgramScratch {
  std::vector<uint64_t> seen;    // two bitsets: hashes seen once, hashes seen again
  std::vector<uint32_t> cand;    // windows whose hash was seen again
  std::vector<uint32_t> table;   // exact counting of those (all zero between calls)
  std::vector<uint32_t> counts;  // their distinct n-grams' counts
};

// Where CountByteNgrams left its result: `distinct` n-grams in all; the counts of those that can repeat
// are scratch.counts[0, ncounts) (every n-gram seen more than once is among them, with its exact count).
struct ByteNgramCounts {
  size_t distinct = 0;
  size_t ncounts = 0;
};

// Counts the n-grams of the byte ids s[0, len), 1 <= n <= 16, n <= len < 65536; s[len, len + 32) must
// be readable. A window is its two masked 8-byte words. Most n-grams of a text occur once, so the
// windows are first sieved without a branch: a bit per hash value (32+ bits per window) marks the
// hashes seen, a second bitset those seen again. Every occurrence of a repeated n-gram has its hash in
// the second set, so only those windows (the repeats plus a few percent of hash collisions) are counted
// exactly, against their first occurrence, in a small table: a slot is one word (first position + 1 in
// the low half, count in the high half). The rest are distinct singletons.
ByteNgramCounts CountByteNgrams(const uint8_t* s, size_t len, size_t n, ByteNgramScratch& sc, bool allow_simd) {
  const size_t windows = len - n + 1;
  const uint64_t mlo = n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
  const uint64_t mhi = n <= 8 ? 0 : n >= 16 ? ~uint64_t{0} : (uint64_t{1} << (8 * (n - 8))) - 1;
  const int bits_log = std::max(12, static_cast<int>(std::bit_width(windows)) + 5);
  const size_t words = size_t{1} << (bits_log - 6);
  sc.seen.assign(2 * words, 0);
  uint64_t* const once = sc.seen.data();
  uint64_t* const again = once + words;
  const int sieve_shift = 64 - bits_log;
  sc.cand.resize(windows);
  uint32_t* const cand = sc.cand.data();  // each window's sieve hash, then the candidates
  size_t hashed = 0;
#ifdef JUICER_REP_AVX512
  if (allow_simd && HaveAvx512Vbmi()) hashed = SieveHashesAvx512(s, windows, mlo, mhi, sieve_shift, cand);
#else
  (void)allow_simd;
#endif
  for (size_t i = hashed; i < windows; ++i)
    cand[i] = SieveHash(Load64(s + i) & mlo, Load64(s + i + 8) & mhi, sieve_shift);
  for (size_t i = 0; i < windows; ++i) {
    const uint32_t h = cand[i];
    const uint64_t bit = uint64_t{1} << (h & 63);
    again[h >> 6] |= once[h >> 6] & bit;
    once[h >> 6] |= bit;
  }
  size_t nc = 0;
  for (size_t i = 0; i < windows; ++i) {
    const uint32_t h = cand[i];
    cand[nc] = static_cast<uint32_t>(i);
    nc += (again[h >> 6] >> (h & 63)) & 1;
  }

  const size_t cap = TableCapacity(2 * nc);
  const size_t mask = cap - 1;
  if (sc.table.size() < cap) sc.table.assign(cap, 0u);
  sc.counts.resize(nc);
  uint32_t* const t = sc.table.data();
  uint32_t* const used = sc.counts.data();  // slots of the distinct n-grams, then their counts
  const int shift = 64 - std::countr_zero(cap);
  size_t distinct = 0;
  for (size_t c = 0; c < nc; ++c) {
    const size_t i = cand[c];
    const uint64_t lo = Load64(s + i) & mlo, hi = Load64(s + i + 8) & mhi;
    size_t idx = static_cast<size_t>(WindowHash(lo, hi) * 0xBF58476D1CE4E5B9ull >> shift);
    for (;;) {
      const uint32_t e = t[idx];
      if (e == 0) {
        t[idx] = static_cast<uint32_t>(i + 1) | (1u << 16);
        used[distinct++] = static_cast<uint32_t>(idx);
        break;
      }
      const uint8_t* q = s + (e & 0xFFFFu) - 1;
      if ((Load64(q) & mlo) == lo && (Load64(q + 8) & mhi) == hi) {
        t[idx] = e + (1u << 16);
        break;
      }
      idx = (idx + 1) & mask;
    }
  }
  for (size_t d = 0; d < distinct; ++d) {
    const uint32_t slot = used[d];
    used[d] = t[slot] >> 16;
    t[slot] = 0;
  }
  return ByteNgramCounts{(windows - nc) + distinct, distinct};
}

// Data-Juicer's char_rep_ratio: k = min(int(sqrt(distinct)), number of n-grams seen more than once); the
// ratio is the sum of the k largest counts over all n-grams. counts[0, ncounts) (reordered in place)
// must hold the count of every n-gram seen more than once; other entries are 1.
double TopCountsShare(uint32_t* counts, size_t ncounts, size_t distinct, size_t windows) {
  // The counts above 1 to the front (branch-free compaction: most n-grams occur once).
  size_t repeated = 0;
  for (size_t i = 0; i < ncounts; ++i) {
    const uint32_t c = counts[i];
    counts[repeated] = c;
    repeated += c > 1;
  }
  const size_t k = std::min(static_cast<size_t>(std::sqrt(static_cast<double>(distinct))), repeated);
  if (k == 0) return 0.0;
  std::nth_element(counts, counts + (k - 1), counts + repeated, std::greater<uint32_t>());
  uint64_t top = 0;
  for (size_t i = 0; i < k; ++i) top += counts[i];
  return static_cast<double>(top) / static_cast<double>(windows);
}

}  // namespace

double CharRepetitionRatio(std::string_view text, size_t n, WorkerContext& ctx) {
  return CharRepetitionRatio(text, n, ctx, true);
}

double CharRepetitionRatio(std::string_view text, size_t n, WorkerContext& ctx, bool allow_simd) {
  if (n >= 1 && n <= 16 && text.size() < 65536) {
    thread_local std::vector<uint8_t> bytes;
    thread_local ByteNgramScratch scratch;
    size_t len = 0;
    if (ToByteIds(text, bytes, len)) {
      if (len < n) return 0.0;
      const ByteNgramCounts c = CountByteNgrams(bytes.data(), len, n, scratch, allow_simd);
      return TopCountsShare(scratch.counts.data(), c.ncounts, c.distinct, len - n + 1);
    }
  }
  std::vector<uint32_t>& arena = ctx.codepoints;
  arena.resize(text.size());
  size_t len = 0;
  for (const char *p = text.data(), *end = p + text.size(); p < end;) {
    if (static_cast<unsigned char>(*p) < 0x80) {
      arena[len++] = static_cast<unsigned char>(*p++);  // ASCII, most of most texts
    } else {
      arena[len++] = DecodeUtf8(p, end);
    }
  }
  if (n == 0 || len < n) return 0.0;  // no n-grams
  size_t distinct = 0;
  uint32_t* counts = nullptr;
  // Code points renamed to small per-document ids (ASCII keeps its value, others get 128, 129, ... in
  // order of appearance): a bijection, so n-grams of ids count exactly like n-grams of code points, and
  // a document's alphabet is small enough that n ids pack into one 128-bit key.
  const int bits = n <= 128 ? std::min(static_cast<int>(128 / n), 32) : 0;
  thread_local std::vector<uint32_t> ids, map_key, map_val, map_stamp;
  thread_local uint32_t epoch = 0;
  bool packed = bits >= 8;
  if (packed) {
    constexpr size_t kMapSize = 8192;
    if (map_key.size() != kMapSize) {
      map_key.assign(kMapSize, 0);
      map_val.assign(kMapSize, 0);
      map_stamp.assign(kMapSize, 0);
    }
    if (++epoch == 0) {  // wrapped: forget every old stamp
      std::fill(map_stamp.begin(), map_stamp.end(), 0u);
      epoch = 1;
    }
    const uint64_t limit = bits >= 32 ? (uint64_t{1} << 32) : (uint64_t{1} << bits);
    const uint64_t max_ids = std::min<uint64_t>(limit, 128 + kMapSize / 2);
    uint32_t next = 128;
    ids.resize(len);
    for (size_t i = 0; i < len && packed; ++i) {
      const uint32_t c = arena[i];
      if (c < 128) {
        ids[i] = c;
        continue;
      }
      size_t slot = (c * 0x9E3779B1u) >> (32 - 13);
      while (map_stamp[slot] == epoch && map_key[slot] != c) slot = (slot + 1) & (kMapSize - 1);
      if (map_stamp[slot] != epoch) {
        if (next >= max_ids) {
          packed = false;  // too many distinct characters to pack: the general path below
          break;
        }
        map_stamp[slot] = epoch;
        map_key[slot] = c;
        map_val[slot] = next++;
      }
      ids[i] = map_val[slot];
    }
  }
  if (packed) {
    thread_local std::vector<PackedSlot> table;
    thread_local uint32_t table_epoch = 0;
    thread_local std::vector<uint32_t> packed_counts;
    distinct = CountPackedNgrams(ids.data(), len, n, bits, table, table_epoch, packed_counts);
    counts = packed_counts.data();
  } else {
    const NgramCounts nc = CountNgrams(arena, 0, len, n);
    distinct = nc.distinct;
    counts = arena.data() + nc.at;
  }
  return TopCountsShare(counts, distinct, distinct, len - n + 1);
}

double WordRepetitionRatio(std::string_view text, size_t n, WorkerContext& ctx) {
  // Upper bound on the words: the non-empty runs between separators.
  size_t runs = 0;
  for (size_t i = 0; i < text.size(); ++i)
    runs += (!IsWordSep(text[i]) && (i == 0 || IsWordSep(text[i - 1]))) ? 1 : 0;
  if (n == 0 || runs < n) return 0.0;

  // Arena layout: [offset: runs][length: runs][intern table: 2 * cap][word ids: runs] then the
  // n-gram table (CountNgrams). Word bytes go to ctx.scratch.
  std::string& bytes = ctx.scratch;
  bytes.clear();
  std::vector<uint32_t>& arena = ctx.codepoints;
  const size_t cap = TableCapacity(runs);
  const size_t mask = cap - 1;
  const size_t off_at = 0, len_at = runs, table_at = 2 * runs, ids_at = 2 * runs + 2 * cap;
  arena.resize(ids_at + runs);
  std::fill(arena.begin() + static_cast<ptrdiff_t>(table_at), arena.begin() + static_cast<ptrdiff_t>(ids_at), 0u);
  uint32_t* a = arena.data();

  size_t words = 0, distinct_words = 0;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    while (p < end && IsWordSep(*p)) ++p;
    const char* w = p;
    while (p < end && !IsWordSep(*p)) ++p;
    if (w == p) continue;
    const size_t at = bytes.size();
    AppendRefinedWord(std::string_view(w, static_cast<size_t>(p - w)), bytes);
    const size_t wlen = bytes.size() - at;
    if (wlen == 0) continue;
    // Intern: equal words get the same id.
    const uint64_t h = XXH3_64bits(bytes.data() + at, wlen);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    size_t idx = static_cast<size_t>(h) & mask;
    uint32_t id = 0;
    for (;;) {
      uint32_t* slot = a + table_at + 2 * idx;
      if (slot[1] == 0) {  // new word: its id is the index of its first occurrence's record
        a[off_at + distinct_words] = static_cast<uint32_t>(at);
        a[len_at + distinct_words] = static_cast<uint32_t>(wlen);
        id = static_cast<uint32_t>(distinct_words++);
        slot[0] = tag;
        slot[1] = id + 1;
        break;
      }
      const uint32_t other = slot[1] - 1;
      if (slot[0] == tag && a[len_at + other] == wlen &&
          std::memcmp(bytes.data() + a[off_at + other], bytes.data() + at, wlen) == 0) {
        id = other;
        bytes.resize(at);  // a repeat: its bytes are not needed
        break;
      }
      idx = (idx + 1) & mask;
    }
    a[ids_at + words++] = id;
  }
  if (words < n) return 0.0;
  const NgramCounts nc = CountNgrams(arena, ids_at, words, n);
  const uint32_t* counts = arena.data() + nc.at;
  uint64_t repeated = 0;
  for (size_t i = 0; i < nc.distinct; ++i) repeated += counts[i] > 1 ? counts[i] : 0;
  return static_cast<double>(repeated) / static_cast<double>(words - n + 1);
}

}  // namespace text

namespace {

enum class RepKind { kChar, kWord };

class RepetitionFilter final : public Filter {
 public:
  RepetitionFilter(const OpInfo& info, const OpParams& params, RepKind kind)
      : Filter(info, params),
        kind_(kind),
        key_(kind == RepKind::kChar ? "char_rep_ratio" : "word_rep_ratio"),
        n_(static_cast<size_t>(params.GetInt("rep_len"))),
        min_(params.GetOptDouble("min_ratio")),
        max_(params.GetOptDouble("max_ratio")) {}

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (sample.stats().Has(key_)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(std::string_view t, sample.GetText(text_key()));
    const double r = kind_ == RepKind::kChar ? text::CharRepetitionRatio(t, n_, ctx)
                                             : text::WordRepetitionRatio(t, n_, ctx);
    sample.stats().Set(key_, StatValue(r));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    JUICER_ASSIGN_OR_RETURN(double v, NumericStat(sample, key_));
    return KeepRange(v, min_, max_);
  }

 private:
  RepKind kind_;
  std::string key_;
  size_t n_;
  std::optional<double> min_, max_;
};

ParamSpec RatioBound(std::string name, double def, std::string doc) {
  return ParamSpec{.name = std::move(name), .type = ParamType::kFloat, .default_value = def, .doc = std::move(doc),
                   .nullable = true};
}

ParamSpec RepLen(std::string doc) {
  return ParamSpec{.name = "rep_len",
                   .type = ParamType::kInt,
                   .default_value = int64_t{10},
                   .doc = std::move(doc),
                   .min_value = 1.0};
}

OpInfo CharacterRepetitionInfo() {
  OpInfo info;
  info.name = "character_repetition_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose character n-gram repetition ratio is within [min_ratio, max_ratio].";
  info.description =
      "Stat char_rep_ratio (float), Data-Juicer's formula: take every n-gram of rep_len consecutive "
      "Unicode code points (text[i:i+rep_len], len(text)-rep_len+1 of them) and count how often each "
      "distinct n-gram occurs. With D distinct n-grams of which R occur more than once, "
      "k = min(floor(sqrt(D)), R), and char_rep_ratio = (sum of the k largest counts) / (number of "
      "n-grams). So a text without any repeated n-gram scores 0.0 (k = 0), and a text shorter than "
      "rep_len has no n-grams and scores 0.0. Kept when min_ratio <= char_rep_ratio <= max_ratio. Same "
      "name, params, defaults and stat key as Data-Juicer; n-grams are counted exactly (hashes are "
      "confirmed by comparing the code points), and an existing char_rep_ratio stat is reused.";
  info.params = {
      RepLen("n-gram length in characters (code points)"),
      RatioBound("min_ratio", 0.0, "samples with a lower repetition ratio are dropped"),
      RatioBound("max_ratio", 0.5, "samples with a higher repetition ratio are dropped"),
  };
  info.stat_keys = {"char_rep_ratio"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<RepetitionFilter>(i, p, RepKind::kChar));
  };
  return info;
}

OpInfo WordRepetitionInfo() {
  OpInfo info;
  info.name = "word_repetition_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose word n-gram repetition ratio is within [min_ratio, max_ratio].";
  info.description =
      "Stat word_rep_ratio (float), Data-Juicer's formula: the text is split on ' ', '\\n' and '\\t' "
      "(empty words dropped); each word is lower-cased (full Unicode lower-casing as Python's "
      "str.lower(), via ICU's root locale) and then stripped at both ends of Data-Juicer's "
      "SPECIAL_CHARACTERS (ASCII punctuation, digits and whitespace, ~190 other symbols, emoji), and "
      "the words left empty are dropped. Every run of rep_len consecutive words is an n-gram; "
      "word_rep_ratio = (sum of the counts of the n-grams that occur more than once) / (number of "
      "n-grams), 0.0 when there are fewer than rep_len words. Kept when min_ratio <= word_rep_ratio "
      "<= max_ratio. Same as Data-Juicer with tokenization=false (its default); tokenization=true, "
      "which takes words from a per-language SentencePiece model, is not available in juicer yet and "
      "is refused when the op is built; lang only selects that model. An existing word_rep_ratio stat "
      "is reused.";
  info.params = {
      ParamSpec{.name = "lang",
                .type = ParamType::kString,
                .default_value = std::string("en"),
                .doc = "language of the samples (selects the SentencePiece model when tokenization=true)"},
      ParamSpec{.name = "tokenization",
                .type = ParamType::kBool,
                .default_value = false,
                .doc = "split words with a SentencePiece model instead of whitespace (not available in juicer yet)"},
      RepLen("n-gram length in words"),
      RatioBound("min_ratio", 0.0, "samples with a lower repetition ratio are dropped"),
      RatioBound("max_ratio", 0.5, "samples with a higher repetition ratio are dropped"),
  };
  info.stat_keys = {"word_rep_ratio"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    if (p.GetBool("tokenization"))
      return Status::Unavailable(
          "tokenization=true needs the SentencePiece word model for lang '" + p.GetString("lang") +
          "', and juicer has no SentencePiece support yet; use tokenization=false (whitespace words)");
    return std::unique_ptr<Op>(std::make_unique<RepetitionFilter>(i, p, RepKind::kWord));
  };
  return info;
}

}  // namespace

Status RegisterTextRepetitionFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(CharacterRepetitionInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(WordRepetitionInfo()));
  return Status::OK();
}

}  // namespace juicer
