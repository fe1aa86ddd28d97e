#include "ops/text/char_tables.h"

#include <unicode/uchar.h>

#include <cstring>
#include <memory>

namespace juicer::text {

namespace {

// Data-Juicer's OTHER_SPECIAL_CHARACTERS (data_juicer/ops/common/special_characters.py) as code
// points; DJ puts the string's characters in a set, so order and repeats do not matter.
constexpr char32_t kOtherSpecial[] = {
    0x20,   0x81,   0x82,   0x83,   0x84,   0x85,   0x91,   0x92,   0x93,   0x95,   0x96,   0x97,   0x98,
    0x99,   0x9C,   0x9D,   0xA1,   0xA2,   0xA3,   0xA4,   0xA5,   0xA6,   0xA7,   0xA8,   0xA9,   0xAA,
    0xAB,   0xAD,   0xAE,   0xAF,   0xB0,   0xB1,   0xB2,   0xB3,   0xB4,   0xB7,   0xB8,   0xB9,   0xBA,
    0xBB,   0xBC,   0xBD,   0xBE,   0xBF,   0xD7,   0xF7,   0xF8,   0x131,  0x26A,  0x2BA,  0x2BB,  0x2BC,
    0x2C8,  0x2CC,  0x2D0,  0x2D8,  0x2DA,  0x2DC,  0x3C0,  0x413,  0x60C,  0x647,  0x66A,  0x66C,  0x6E9,
    0x93E,  0x940,  0x947,  0x94D,  0x97D,  0x9BE,  0xE51,  0x2002, 0x2003, 0x2005, 0x2008, 0x2009, 0x200A,
    0x200B, 0x2010, 0x2011, 0x2013, 0x2014, 0x2015, 0x2016, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E,
    0x201F, 0x2020, 0x2022, 0x2024, 0x2026, 0x202F, 0x2030, 0x2032, 0x2033, 0x2039, 0x203A, 0x203F, 0x2043,
    0x2044, 0x20A8, 0x20AA, 0x20AC, 0x2103, 0x2122, 0x2190, 0x2191, 0x2192, 0x2193, 0x21D3, 0x2206, 0x2208,
    0x2212, 0x221A, 0x221E, 0x221F, 0x223C, 0x2248, 0x2256, 0x2264, 0x2265, 0x2295, 0x22C5, 0x2550, 0x25A0,
    0x25AC, 0x25B2, 0x25B4, 0x25B7, 0x25BA, 0x25BB, 0x25BC, 0x25C6, 0x25CF, 0x25E6, 0x2605, 0x2606, 0x261B,
    0x263B, 0x2661, 0x2665, 0x266B, 0x2713, 0x2726, 0x2731, 0x2756, 0x27A4, 0x27A9, 0x2800, 0x3000, 0x3001,
    0x3002, 0x300A, 0x300B, 0x300C, 0x300D, 0x3010, 0x3011, 0x309C, 0x30B7, 0x30C3, 0x30C4, 0x30F3, 0x30FB,
    0x30FC, 0x4E00, 0x4E0A, 0x58EB, 0xFD3E, 0xFD3F, 0xFEFF, 0xFF01, 0xFF08, 0xFF09, 0xFF0C, 0xFF0E, 0xFF11,
    0xFF1A, 0xFF1B, 0xFF1F, 0xFF3E, 0xFF5E, 0xFFFC, 0xFFFD,
};

// Single-code-point emoji of Emoji 16.0, newer than the Unicode version of older ICU builds (ICU 72
// knows Unicode 15.0). Marking them again is harmless when ICU already knows them.
constexpr char32_t kNewerEmoji[] = {0x1FA89, 0x1FA8F, 0x1FABE, 0x1FAC6, 0x1FADC, 0x1FADF, 0x1FAE9};

bool IsLetterCategory(int8_t gc) {
  return gc == U_UPPERCASE_LETTER || gc == U_LOWERCASE_LETTER || gc == U_TITLECASE_LETTER ||
         gc == U_MODIFIER_LETTER || gc == U_OTHER_LETTER;
}

// SPECIAL_CHARACTERS = set(string.punctuation + string.digits + string.whitespace +
//                          OTHER_SPECIAL_CHARACTERS) | set(emoji.EMOJI_DATA.keys()).
// DJ tests `char in SPECIAL_CHARACTERS` one code point at a time, so only the single-code-point
// keys of EMOJI_DATA can ever match. We approximate those with ICU's Emoji property minus the
// 26 regional indicators U+1F1E6..U+1F1FF (Emoji=Yes in Unicode, but the emoji package lists
// them only inside flag sequences) plus kNewerEmoji. Checked against the emoji package: its
// single-code-point keys equal this set outside ASCII (where ICU's extra '#', '*', '0'-'9' are
// special anyway).
bool IsDjEmoji(UChar32 c) {
  if (c >= 0x1F1E6 && c <= 0x1F1FF) return false;
  return u_hasBinaryProperty(c, UCHAR_EMOJI) != 0;
}

struct FlagTable {
  std::unique_ptr<uint8_t[]> flags;

  FlagTable() : flags(new uint8_t[kMaxCodePoint + 1]) {
    uint8_t* f = flags.get();
    std::memset(f, 0, kMaxCodePoint + 1);
    for (UChar32 c = 0; c <= static_cast<UChar32>(kMaxCodePoint); ++c) {
      const int8_t gc = u_charType(c);
      if (gc == U_UNASSIGNED || gc == U_PRIVATE_USE_CHAR || gc == U_SURROGATE) continue;
      uint8_t v = 0;
      if (IsLetterCategory(gc)) v |= kAlpha | kAlnum;
      if (gc == U_DECIMAL_DIGIT_NUMBER) v |= kDecimal;
      if (u_getIntPropertyValue(c, UCHAR_NUMERIC_TYPE) != U_NT_NONE) v |= kAlnum;
      const UCharDirection dir = u_charDirection(c);
      if (gc == U_SPACE_SEPARATOR || dir == U_WHITE_SPACE_NEUTRAL || dir == U_BLOCK_SEPARATOR ||
          dir == U_SEGMENT_SEPARATOR)
        v |= kPySpace;
      if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE)) v |= kWhiteSpace;
      if (IsDjEmoji(c)) v |= kSpecial;
      f[c] = v;
    }
    // string.punctuation + string.digits + string.whitespace
    const std::string_view ascii_special = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~0123456789 \t\n\r\x0b\x0c";
    for (char ch : ascii_special) f[static_cast<unsigned char>(ch)] |= kSpecial;
    for (char32_t c : kOtherSpecial) f[c] |= kSpecial;
    for (char32_t c : kNewerEmoji) f[c] |= kSpecial;
    for (char c : {' ', '\n', '\t'}) f[static_cast<unsigned char>(c)] |= kWordSep;
  }
};

}  // namespace

const uint8_t* CharFlagTable() {
  static const FlagTable table;
  return table.flags.get();
}

size_t CountCodePoints(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  size_t continuation = 0;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  constexpr uint64_t kLow16 = 0x00FF00FF00FF00FFull;
  constexpr uint64_t kOnes16 = 0x0001000100010001ull;
  while (n >= 8) {
    // Sum per byte lane, at most 255 words per round so a lane cannot overflow.
    uint64_t acc = 0;
    size_t words = n / 8;
    if (words > 255) words = 255;
    for (size_t i = 0; i < words; ++i) {
      uint64_t w;
      std::memcpy(&w, p + 8 * i, 8);
      // A continuation byte is 10xxxxxx: bit 7 set and bit 6 clear. (w << 1) moves each byte's
      // bit 6 to its bit 7; carries from the byte below land in bit 0 and are masked away.
      acc += ((w & ~(w << 1)) & kHigh) >> 7;
    }
    // Horizontal sum: pair up lanes into 16-bit lanes (each <= 510), then add those four.
    const uint64_t pairs = (acc & kLow16) + ((acc >> 8) & kLow16);
    continuation += static_cast<size_t>((pairs * kOnes16) >> 48);
    p += 8 * words;
    n -= 8 * words;
  }
  for (size_t i = 0; i < n; ++i) continuation += (static_cast<unsigned char>(p[i]) & 0xC0u) == 0x80u;
  return s.size() - continuation;
}

bool IsAscii(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t any = 0;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    any |= w;
    p += 8;
    n -= 8;
  }
  for (size_t i = 0; i < n; ++i) any |= static_cast<unsigned char>(p[i]);
  return (any & 0x8080808080808080ull) == 0;
}

}  // namespace juicer::text
