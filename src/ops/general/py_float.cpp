#include "ops/general/py_float.h"

#include <unicode/uchar.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "ops/text/char_tables.h"

namespace juicer {

namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// digitpart ::= digit (["_"] digit)*, copied without underscores. Returns false when none matched or
// an underscore is not between two digits.
bool DigitPart(std::string_view s, size_t& i, std::string& out) {
  if (i >= s.size() || !IsDigit(s[i])) return false;
  out += s[i++];
  while (i < s.size()) {
    if (IsDigit(s[i])) {
      out += s[i++];
    } else if (s[i] == '_' && i + 1 < s.size() && IsDigit(s[i + 1])) {
      out += s[i + 1];
      i += 2;
    } else {
      break;
    }
  }
  return true;
}

}  // namespace

std::optional<double> ParsePythonFloat(std::string_view s) {
  // Map to ASCII (Nd digits to 0-9, whitespace to ' '), as CPython does before parsing.
  std::string ascii;
  ascii.reserve(s.size());
  for (const char *p = s.data(), *end = p + s.size(); p < end;) {
    const char32_t c = text::DecodeUtf8(p, end);
    if (text::IsPySpace(c)) {
      ascii += ' ';
    } else if (c < 0x80) {
      if (c == 0) return std::nullopt;
      ascii += static_cast<char>(c);
    } else if (text::IsPyDecimal(c)) {
      ascii += static_cast<char>('0' + u_charDigitValue(static_cast<UChar32>(c)));
    } else {
      return std::nullopt;
    }
  }
  size_t b = 0, e = ascii.size();
  while (b < e && ascii[b] == ' ') ++b;
  while (e > b && ascii[e - 1] == ' ') --e;
  std::string_view t(ascii.data() + b, e - b);
  if (t.empty()) return std::nullopt;
  bool negative = false;
  if (t[0] == '+' || t[0] == '-') {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  const double sign = negative ? -1.0 : 1.0;
  if (EqualsNoCase(t, "inf") || EqualsNoCase(t, "infinity")) return sign * HUGE_VAL;
  if (EqualsNoCase(t, "nan")) return sign * std::nan("");

  // number ::= [digitpart] "." digitpart | digitpart ["."];  exponent ::= ("e"|"E") [sign] digitpart
  std::string clean;
  size_t i = 0;
  const bool int_part = DigitPart(t, i, clean);
  bool frac_part = false;
  if (i < t.size() && t[i] == '.') {
    clean += '.';
    ++i;
    frac_part = DigitPart(t, i, clean);
  }
  if (!int_part && !frac_part) return std::nullopt;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    clean += 'e';
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) clean += t[i++];
    if (!DigitPart(t, i, clean)) return std::nullopt;
  }
  if (i != t.size()) return std::nullopt;
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
  if (ec == std::errc::result_out_of_range) {
    value = std::strtod(clean.c_str(), nullptr);  // +-HUGE_VAL or 0 with ERANGE, as CPython
  } else if (ec != std::errc() || ptr != clean.data() + clean.size()) {
    return std::nullopt;
  }
  return sign * value;
}

}  // namespace juicer
