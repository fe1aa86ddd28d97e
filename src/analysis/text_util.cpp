#include "analysis/text_util.h"
#include "core/utf8.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace juicer {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one UTF-8 code point at s[*i], advancing *i; invalid input gives U+FFFD and one byte.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++*i;
    return kReplacement;
  }
  if (*i + len > s.size()) {
    ++*i;
    return kReplacement;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return kReplacement;
  }
  *i += len;
  return cp;
}


bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

// Strips trailing zeros (and a trailing point) of a fixed-point number.
void TrimZeros(std::string* s) {
  if (s->find('.') == std::string::npos) return;
  while (!s->empty() && s->back() == '0') s->pop_back();
  if (!s->empty() && s->back() == '.') s->pop_back();
}

}  // namespace

std::string PyFloatRepr(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string_view sci(buf, r.ptr - buf);  // e.g. "-1.2345e+02", "1e-05"
  std::string out;
  size_t pos = 0;
  if (sci[0] == '-') {
    out.push_back('-');
    pos = 1;
  }
  const size_t e = sci.find('e');
  std::string digits;
  for (size_t i = pos; i < e; ++i)
    if (sci[i] != '.') digits.push_back(sci[i]);
  const int exp = std::atoi(std::string(sci.substr(e + 1)).c_str());
  if (exp < -4 || exp >= 16) {
    out.push_back(digits[0]);
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out.append(ebuf);
    return out;
  }
  if (exp < 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-exp - 1), '0');
    out.append(digits);
    return out;
  }
  const auto int_len = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_len) {
    out.append(digits);
    out.append(int_len - digits.size(), '0');
    out.append(".0");
  } else {
    out.append(digits, 0, int_len);
    out.push_back('.');
    out.append(digits, int_len);
  }
  return out;
}

std::string CsvNumber(double x) { return std::isnan(x) ? std::string() : PyFloatRepr(x); }

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string HumanNumber(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0) return "0";
  char buf[64];
  const double ax = std::fabs(x);
  if (ax >= 1e15 || (ax > 0 && ax < 1e-4)) {
    std::snprintf(buf, sizeof buf, "%.4g", x);
    return buf;
  }
  if (x == std::floor(x)) {
    std::snprintf(buf, sizeof buf, "%.0f", x);
    return buf;
  }
  if (ax >= 1) {
    std::snprintf(buf, sizeof buf, "%.4f", x);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", x);
  }
  std::string s = buf;
  TrimZeros(&s);
  return s;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = NextCodePoint(s, &i);
    switch (cp) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&#39;");
        break;
      default:
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') break;  // not allowed in XML 1.0
        if (cp == 0xFFFE || cp == 0xFFFF) break;
        AppendUtf8(cp, &out);
    }
  }
  return out;
}

std::string Ellipsize(std::string_view s, size_t max_chars) {
  std::string out;
  size_t i = 0;
  size_t n = 0;
  while (i < s.size()) {
    const char32_t cp = NextCodePoint(s, &i);
    if (n + 1 == max_chars && i < s.size()) {
      out.append("\u2026");
      return out;
    }
    AppendUtf8(cp, &out);
    ++n;
  }
  return out;
}

double TextWidthUnits(std::string_view s) {
  double w = 0;
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = NextCodePoint(s, &i);
    if (cp >= 0x300 && cp <= 0x36F) continue;  // combining marks
    w += IsWide(cp) ? 2.0 : 1.0;
  }
  return w;
}

}  // namespace juicer
