#include "ops/text/char_tables.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>

namespace juicer::text {
namespace {

std::string Utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (c >> 6)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (c >> 12)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (c >> 18)));
    s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  return s;
}

TEST(CharTables, AsciiMatchesPython) {
  const std::string punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  const std::string whitespace = " \t\n\r\x0b\x0c";
  for (char32_t c = 0; c < 0x80; ++c) {
    const char ch = static_cast<char>(c);
    const bool letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    const bool digit = ch >= '0' && ch <= '9';
    EXPECT_EQ(IsPyAlpha(c), letter) << static_cast<uint32_t>(c);
    EXPECT_EQ(IsPyAlnum(c), letter || digit) << static_cast<uint32_t>(c);
    EXPECT_EQ(IsPyDecimal(c), digit) << static_cast<uint32_t>(c);
    // str.isspace() also holds for the separators U+001C..U+001F; White_Space does not.
    const bool ws = whitespace.find(ch) != std::string::npos;
    EXPECT_EQ(IsPySpace(c), ws || (c >= 0x1C && c <= 0x1F)) << static_cast<uint32_t>(c);
    EXPECT_EQ(IsUnicodeWhiteSpace(c), ws) << static_cast<uint32_t>(c);
    const bool special = punctuation.find(ch) != std::string::npos || digit || ws;
    EXPECT_EQ(IsSpecialChar(c), special) << static_cast<uint32_t>(c);
  }
}

TEST(CharTables, NonAsciiClasses) {
  EXPECT_TRUE(IsPyAlpha(U'é'));
  EXPECT_TRUE(IsPyAlpha(U'三'));  // Lo
  EXPECT_TRUE(IsPyAlnum(U'三'));
  EXPECT_FALSE(IsPyDecimal(U'三'));
  EXPECT_TRUE(IsPyDecimal(0x0663));  // ARABIC-INDIC DIGIT THREE
  EXPECT_TRUE(IsPyAlnum(0x0663));
  EXPECT_FALSE(IsPyAlpha(0x0663));
  // Numeric but not letters: isalnum() true, isalpha()/isdecimal() false.
  for (char32_t c : {char32_t{0x00BD}, char32_t{0x00B2}, char32_t{0x2177}, char32_t{0x2460}}) {
    EXPECT_TRUE(IsPyAlnum(c)) << std::hex << static_cast<uint32_t>(c);
    EXPECT_FALSE(IsPyAlpha(c)) << std::hex << static_cast<uint32_t>(c);
    EXPECT_FALSE(IsPyDecimal(c)) << std::hex << static_cast<uint32_t>(c);
  }
  EXPECT_FALSE(IsPyAlnum(0x0301));  // combining acute accent (Mn)
  EXPECT_FALSE(IsPyAlnum(0x1F600));
  EXPECT_TRUE(IsPySpace(0x3000));
  EXPECT_TRUE(IsPySpace(0x00A0));
  EXPECT_TRUE(IsPySpace(0x2029));
  EXPECT_FALSE(IsPySpace(0x200B));  // zero width space is Cf, not a space for Python
  EXPECT_TRUE(IsUnicodeWhiteSpace(0x1680));
  EXPECT_FALSE(IsPyAlnum(0x10FFFF));
  EXPECT_EQ(CharFlags(0x110000), 0);
  EXPECT_EQ(CharFlags(0xE000), 0);  // private use
}

TEST(CharTables, SpecialCharacters) {
  // Samples of DJ's OTHER_SPECIAL_CHARACTERS, including letters it lists (ı, Г, ه, 一, 上, 士).
  for (char32_t c : {char32_t{0x85}, char32_t{0xA9}, char32_t{0xB7}, char32_t{0xD7}, char32_t{0x131},
                     char32_t{0x413}, char32_t{0x647}, char32_t{0x200B}, char32_t{0x2019}, char32_t{0x201C},
                     char32_t{0x2026}, char32_t{0x20AC}, char32_t{0x2122}, char32_t{0x25CF}, char32_t{0x3000},
                     char32_t{0x3001}, char32_t{0x3002}, char32_t{0x300A}, char32_t{0x4E00}, char32_t{0x4E0A},
                     char32_t{0x58EB}, char32_t{0xFEFF}, char32_t{0xFF01}, char32_t{0xFF0C}, char32_t{0xFF11},
                     char32_t{0xFFFC}, char32_t{0xFFFD}})
    EXPECT_TRUE(IsSpecialChar(c)) << std::hex << static_cast<uint32_t>(c);
  // Emoji (single code points of the emoji package), skin tone modifiers included.
  for (char32_t c : {char32_t{0x1F600}, char32_t{0x1F60A}, char32_t{0x1F638}, char32_t{0x1F44D},
                     char32_t{0x1F3FD}, char32_t{0x2764}, char32_t{0x231A}, char32_t{0x1FAE8}})
    EXPECT_TRUE(IsSpecialChar(c)) << std::hex << static_cast<uint32_t>(c);
  // Not special: letters, CJK outside the list, regional indicators, combining marks, other spaces.
  for (char32_t c : {char32_t{'a'}, char32_t{0xE9}, char32_t{0x4E8C}, char32_t{0x8868}, char32_t{0x1F1EB},
                     char32_t{0x1F1F7}, char32_t{0x0301}, char32_t{0x2001}, char32_t{0x00A0}, char32_t{0x200D},
                     char32_t{0xFE0F}, char32_t{0xFF0D}, char32_t{0x2118}})
    EXPECT_FALSE(IsSpecialChar(c)) << std::hex << static_cast<uint32_t>(c);
}

TEST(CharTables, DecodeUtf8) {
  for (char32_t c : {char32_t{0x24}, char32_t{0xA2}, char32_t{0x939}, char32_t{0x20AC}, char32_t{0xD55C},
                     char32_t{0x10348}, char32_t{0x1F600}, char32_t{0x10FFFF}}) {
    const std::string s = Utf8(c);
    const char* p = s.data();
    EXPECT_EQ(DecodeUtf8(p, s.data() + s.size()), c);
    EXPECT_EQ(p, s.data() + s.size());
    const char* q = s.data() + s.size();
    EXPECT_EQ(DecodeUtf8Backward(q, s.data()), c);
    EXPECT_EQ(q, s.data());
  }
}

TEST(CharTables, DecodeTruncatedNeverOverreads) {
  // Exact-size heap buffers so a sanitizer would catch any read past the end.
  for (const std::string& full : {Utf8(0xA2), Utf8(0x20AC), Utf8(0x1F600)}) {
    for (size_t cut = 1; cut < full.size(); ++cut) {
      std::unique_ptr<char[]> buf(new char[cut]);
      std::memcpy(buf.get(), full.data(), cut);
      const char* p = buf.get();
      const char* end = buf.get() + cut;
      size_t n = 0;
      while (p < end) {
        EXPECT_EQ(DecodeUtf8(p, end), kReplacementChar);
        ++n;
      }
      EXPECT_EQ(n, cut);
    }
  }
}

TEST(CharTables, CountCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("中文也是一个字算一个长度"), 12u);
  EXPECT_EQ(CountCodePoints("e\u0301"), 2u);  // combining mark counts on its own
  EXPECT_EQ(CountCodePoints("👍🏽"), 2u);
  // Random mixes of 1-4 byte characters, lengths across the 8-byte and 255-word block edges.
  std::mt19937 rng(7);
  const char32_t pool[] = {U'a', U' ', U'é', U'ж', U'中', U'€', U'😊', 0x10348};
  for (size_t len : {size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{63}, size_t{500}, size_t{2040},
                     size_t{2041}, size_t{5000}, size_t{100000}}) {
    std::string s;
    for (size_t i = 0; i < len; ++i) s += Utf8(pool[rng() % 8]);
    EXPECT_EQ(CountCodePoints(s), len) << len;
    EXPECT_EQ(IsAscii(s), s.size() == len);
  }
  EXPECT_TRUE(IsAscii(std::string(1000, 'x')));
  EXPECT_FALSE(IsAscii(std::string(1000, 'x') + "é"));
}

}  // namespace
}  // namespace juicer::text
