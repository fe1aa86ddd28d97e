#include "ops/text/text_stats.h"

#include <bit>
#include <cstring>

#include "ops/text/char_tables.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace juicer::text {

namespace {

// ---- Classifying 16 ASCII bytes at once ------------------------------------------------------
// Each classifier returns a 16-bit mask, bit i set when byte i is in the class. Only called on
// blocks whose bytes are all < 0x80; the results agree with the flag table (tested).

#if defined(__SSE2__)
using Block = __m128i;

inline Block LoadBlock(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline uint32_t Bits(Block m) { return static_cast<uint32_t>(_mm_movemask_epi8(m)); }
// Bit i set when byte i is >= 0x80.
inline uint32_t NonAsciiBits(Block v) { return Bits(v); }

// Bytes in [lo, hi]; ASCII bytes are non-negative, so signed compares are exact.
inline Block InRange(Block v, char lo, char hi) {
  return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
}

// [0-9A-Za-z]: str.isalnum() on ASCII.
inline uint32_t AlnumBits(Block v) {
  const Block folded = _mm_or_si128(v, _mm_set1_epi8(0x20));  // only A-Z/a-z land in a-z
  return Bits(_mm_or_si128(InRange(folded, 'a', 'z'), InRange(v, '0', '9')));
}

// string.punctuation + string.digits + string.whitespace: 0x09-0x0D, 0x20-0x40, 0x5B-0x60, 0x7B-0x7E.
inline uint32_t SpecialBits(Block v) {
  return Bits(_mm_or_si128(_mm_or_si128(InRange(v, 0x09, 0x0D), InRange(v, 0x20, 0x40)),
                           _mm_or_si128(InRange(v, 0x5B, 0x60), InRange(v, 0x7B, 0x7E))));
}

inline uint32_t WordSepBits(Block v) {
  return Bits(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                           _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
}
#else
struct Block {
  const unsigned char* p;
};

inline Block LoadBlock(const char* p) { return Block{reinterpret_cast<const unsigned char*>(p)}; }
inline uint32_t FlagBits(Block b, uint8_t flag) {
  const uint8_t* flags = CharFlagTable();
  uint32_t bits = 0;
  for (int i = 0; i < 16; ++i) bits |= ((flags[b.p[i]] & flag) != 0 ? 1u : 0u) << i;
  return bits;
}
inline uint32_t NonAsciiBits(Block b) {
  uint32_t bits = 0;
  for (int i = 0; i < 16; ++i) bits |= (b.p[i] >= 0x80 ? 1u : 0u) << i;
  return bits;
}
inline uint32_t AlnumBits(Block b) { return FlagBits(b, kAlnum); }
inline uint32_t SpecialBits(Block b) { return FlagBits(b, kSpecial); }
inline uint32_t WordSepBits(Block b) { return FlagBits(b, kWordSep); }
#endif

// Counts code points and those with `flag`, over [p, end) (one code point at a time).
inline void CountScalar(const char*& p, const char* end, const char* stop, uint8_t flag, uint64_t* total,
                        uint64_t* hits) {
  const uint8_t* flags = CharFlagTable();
  while (p < stop) {
    const char32_t c = DecodeUtf8(p, end);
    ++*total;
    *hits += (flags[c] & flag) != 0 ? 1u : 0u;
  }
}

// Fraction of code points carrying `flag`; 0.0 for empty text (DJ's convention).
template <uint32_t (*kAsciiBits)(Block)>
double FlagRatio(std::string_view text, uint8_t flag) {
  if (text.empty()) return 0.0;
  const char* p = text.data();
  const char* const end = p + text.size();
  uint64_t total = 0, hits = 0;
  const uint8_t* flags = CharFlagTable();
  while (end - p >= 16) {
    const Block v = LoadBlock(p);
    const uint32_t non_ascii = NonAsciiBits(v);
    if (non_ascii == 0) {
      hits += static_cast<uint64_t>(std::popcount(kAsciiBits(v)));
      total += 16;
      p += 16;
    } else {
      // The ASCII bytes before the first other byte from the masks, then that one code point.
      const int j = std::countr_zero(non_ascii);
      hits += static_cast<uint64_t>(std::popcount(kAsciiBits(v) & ((1u << j) - 1)));
      total += static_cast<uint64_t>(j) + 1;
      p += j;
      hits += (flags[DecodeUtf8(p, end)] & flag) != 0 ? 1u : 0u;
    }
  }
  CountScalar(p, end, end, flag, &total, &hits);
  // Both counts are far below 2^53, so this is Python's correctly rounded int / int.
  return static_cast<double>(hits) / static_cast<double>(total);
}

}  // namespace

int64_t TextLength(std::string_view text) { return static_cast<int64_t>(CountCodePoints(text)); }

int64_t WordCount(std::string_view text) {
  // A word survives DJ's strip-then-drop-empty refinement exactly when it holds at least one
  // code point outside SPECIAL_CHARACTERS ("content"), so no word is materialised: we count the
  // separator-delimited runs that hold content. The separators are ASCII and UTF-8 never puts
  // ASCII bytes inside a multi-byte sequence, so scanning bytes is safe.
  const uint8_t* flags = CharFlagTable();
  const char* p = text.data();
  const char* const end = p + text.size();
  int64_t words = 0;
  uint64_t has_content = 0;  // the current run holds content so far

  // One code point; ends a run on a separator.
  auto step = [&]() {
    const char32_t c = DecodeUtf8(p, end);
    const uint8_t f = flags[c];
    const uint64_t is_sep = (f & kWordSep) != 0 ? 1u : 0u;
    const uint64_t is_content = (f & kSpecial) == 0 ? 1u : 0u;
    words += static_cast<int64_t>(is_sep & has_content);
    has_content = (has_content | is_content) & (is_sep ^ 1u);
  };

  while (end - p >= 64) {
    // 64 bytes as bit masks: S = separators, C = content, X = S | C. A separator closes a
    // counted word exactly when the nearest X bit below it is a C bit. Adding the gap mask ~X
    // to T = (C << 1) | carry-in carries each C bit up through the gaps onto the next X bit,
    // so (T + ~X) & S marks exactly those separators.
    // A block with other bytes: the ASCII bytes before the first of them (the low `ascii` bits) the
    // same way, then that code point by itself.
    uint64_t sep = 0, special = 0, non_ascii = 0;
    for (int i = 0; i < 4; ++i) {
      const Block v = LoadBlock(p + 16 * i);
      non_ascii |= static_cast<uint64_t>(NonAsciiBits(v)) << (16 * i);
      sep |= static_cast<uint64_t>(WordSepBits(v)) << (16 * i);
      special |= static_cast<uint64_t>(SpecialBits(v)) << (16 * i);
    }
    const int ascii = non_ascii == 0 ? 64 : std::countr_zero(non_ascii);
    const uint64_t in = ascii == 64 ? ~uint64_t{0} : (uint64_t{1} << ascii) - 1;
    const uint64_t content = ~special & in;
    sep &= in;
    const uint64_t x = sep | content;
    const uint64_t landed = ((content << 1) | has_content) + ~x;
    words += std::popcount(landed & sep);
    if (x != 0) has_content = (content >> (63 - std::countl_zero(x))) & 1u;
    p += ascii;
    if (ascii < 64) step();
  }
  while (p < end) step();
  return words + static_cast<int64_t>(has_content);
}

double AlnumRatio(std::string_view text) { return FlagRatio<AlnumBits>(text, kAlnum); }
double SpecialCharRatio(std::string_view text) { return FlagRatio<SpecialBits>(text, kSpecial); }

}  // namespace juicer::text
