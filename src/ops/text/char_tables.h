// Per-code-point character classes with Python / Data-Juicer semantics, and a small UTF-8 decoder.
//
// One flat table of flag bytes (0x110000 entries, ~1.1 MB) is built from ICU on first use
// (thread-safe function-local static) and then read without locks. Hot loops should fetch the
// table pointer once (CharFlagTable()) and index it directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace juicer::text {

// Flag bits of one code point.
enum CharFlag : uint8_t {
  kAlpha = 1u << 0,       // Python str.isalpha(): general category L* (Lu, Ll, Lt, Lm, Lo)
  kAlnum = 1u << 1,       // Python str.isalnum(): isalpha, or Numeric_Type != None
  kPySpace = 1u << 2,     // Python str.isspace(): bidi class WS / B / S, or category Zs
  kDecimal = 1u << 3,     // Python str.isdecimal(): category Nd (also the `regex` module's \d)
  kSpecial = 1u << 4,     // Data-Juicer's SPECIAL_CHARACTERS set (see char_tables.cpp)
  kWhiteSpace = 1u << 5,  // Unicode White_Space property (the `regex` module's \s)
  kWordSep = 1u << 6,     // ' ', '\n', '\t': DJ's split_on_whitespace(new_line=True, tab=True)
};

inline constexpr char32_t kMaxCodePoint = 0x10FFFF;
inline constexpr char32_t kReplacementChar = 0xFFFD;

// The flag table, indexed by code point (0 .. 0x10FFFF). Built once, never freed.
const uint8_t* CharFlagTable();

inline uint8_t CharFlags(char32_t c) { return c <= kMaxCodePoint ? CharFlagTable()[c] : 0; }
inline bool IsPyAlpha(char32_t c) { return (CharFlags(c) & kAlpha) != 0; }
inline bool IsPyAlnum(char32_t c) { return (CharFlags(c) & kAlnum) != 0; }
inline bool IsPySpace(char32_t c) { return (CharFlags(c) & kPySpace) != 0; }
inline bool IsPyDecimal(char32_t c) { return (CharFlags(c) & kDecimal) != 0; }
inline bool IsSpecialChar(char32_t c) { return (CharFlags(c) & kSpecial) != 0; }
inline bool IsUnicodeWhiteSpace(char32_t c) { return (CharFlags(c) & kWhiteSpace) != 0; }

// Decodes one code point at `p` and advances `p` past it. The input is expected to be valid
// UTF-8 already (simdjson validated every string when the sample was read), so this does not
// validate; it only guarantees never to read at or past `end`: a truncated sequence or a stray
// continuation byte yields U+FFFD and consumes one byte. Requires p < end.
inline char32_t DecodeUtf8(const char*& p, const char* end) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const unsigned c0 = u[0];
  if (c0 < 0x80) {
    p += 1;
    return c0;
  }
  const ptrdiff_t left = end - p;
  if (c0 < 0xC0) {  // a stray continuation byte
    p += 1;
    return kReplacementChar;
  }
  if (c0 < 0xE0) {
    if (left < 2) {
      p += 1;
      return kReplacementChar;
    }
    p += 2;
    return ((c0 & 0x1Fu) << 6) | (u[1] & 0x3Fu);
  }
  if (c0 < 0xF0) {
    if (left < 3) {
      p += 1;
      return kReplacementChar;
    }
    p += 3;
    return ((c0 & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
  }
  if (left < 4) {
    p += 1;
    return kReplacementChar;
  }
  p += 4;
  const char32_t cp = ((c0 & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
  return cp <= kMaxCodePoint ? cp : kReplacementChar;
}

// Decodes the code point that ends just before `p` and moves `p` back to its first byte.
// Byte offsets of every code point of `t` (same contract as DecodeUtf8), plus t.size() at the end:
// code point i is t.substr(off[i], off[i + 1] - off[i]).
inline std::vector<size_t> CodePointOffsets(std::string_view t) {
  std::vector<size_t> off;
  off.reserve(t.size() + 1);
  const char* p = t.data();
  const char* const end = p + t.size();
  while (p < end) {
    off.push_back(static_cast<size_t>(p - t.data()));
    DecodeUtf8(p, end);
  }
  off.push_back(t.size());
  return off;
}

// Requires begin < p; same no-validation contract as DecodeUtf8.
inline char32_t DecodeUtf8Backward(const char*& p, const char* begin) {
  const char* q = p - 1;
  int back = 0;
  while (q > begin && back < 3 && (static_cast<unsigned char>(*q) & 0xC0u) == 0x80u) {
    --q;
    ++back;
  }
  const char* r = q;
  const char32_t cp = DecodeUtf8(r, p);
  if (r != p) {  // not a well-formed sequence ending at p: treat the last byte alone
    p -= 1;
    return kReplacementChar;
  }
  p = q;
  return cp;
}

// Number of code points in valid UTF-8 (Python's len(str)): counts the bytes that are not
// continuation bytes, eight at a time.
size_t CountCodePoints(std::string_view s);

// True when every byte is < 0x80.
bool IsAscii(std::string_view s);

}  // namespace juicer::text
