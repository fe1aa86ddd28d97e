#include "ops/text/fix_unicode_mapper.h"

#include <gumbo.h>
#include <simdjson.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <array>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/utf8.h"
#include "ops/text/char_tables.h"
#include "ops/text/clean_mappers.h"

namespace juicer {

namespace text {

namespace {

// Windows-1252 bytes 0x80-0x9F. 0 marks the five bytes Windows-1252 leaves undefined: "sloppy"
// Windows-1252 (ftfy's) maps them to the C1 control of the same number.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The byte of `c` in sloppy Windows-1252, or -1.
int SloppyByte(char32_t c) {
  if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) return static_cast<int>(c);
  if (c >= 0x80 && c <= 0x9F) return kCp1252High[c - 0x80] == 0 ? static_cast<int>(c) : -1;
  for (int i = 0; i < 32; ++i)
    if (kCp1252High[i] == c) return 0x80 + i;
  return -1;
}

std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (const char *p = s.data(), *end = p + s.size(); p < end;) out.push_back(DecodeUtf8(p, end));
  return out;
}

std::string Encode(const std::vector<char32_t>& cps, size_t b = 0, size_t e = std::string::npos) {
  std::string out;
  e = std::min(e, cps.size());
  for (size_t i = b; i < e; ++i) AppendUtf8(cps[i], &out);
  return out;
}

bool IsLead(int b) { return b >= 0xC2 && b <= 0xF4; }
bool IsCont(int b) { return b >= 0x80 && b <= 0xBF; }

// ftfy's is_bad, reduced to what fix_encoding acts on: a C1 control, or a UTF-8 lead byte followed by
// a continuation byte, both read as Latin-1 / Windows-1252 characters ("Ã©", "â€™", "Â ").
bool LooksLikeMojibake(const std::vector<char32_t>& cps) {
  for (char32_t c : cps)
    if (c >= 0x80 && c <= 0x9F) return true;  // C1 controls never belong in text
  for (size_t i = 0; i + 1 < cps.size(); ++i)
    if (IsLead(SloppyByte(cps[i])) && IsCont(SloppyByte(cps[i + 1]))) return true;
  return false;
}

bool ValidUtf8(const std::string& bytes) { return simdjson::validate_utf8(bytes.data(), bytes.size()); }

// Length of the UTF-8 sequence a lead byte starts.
size_t SeqLen(int lead) { return lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4); }

}  // namespace

bool FixEncodingOnce(std::string_view line, std::string* out) {
  std::vector<char32_t> cps = Decode(line);
  bool ascii = true;
  for (char32_t c : cps) ascii = ascii && c < 0x80;
  if (ascii || !LooksLikeMojibake(cps)) return false;
  // 1. The whole line re-encoded as Latin-1, else as sloppy Windows-1252, decoded as UTF-8.
  for (const bool latin1 : {true, false}) {
    std::string bytes;
    bool ok = true;
    for (char32_t c : cps) {
      const int b = latin1 ? (c <= 0xFF ? static_cast<int>(c) : -1) : SloppyByte(c);
      if (b < 0) {
        ok = false;
        break;
      }
      bytes.push_back(static_cast<char>(b));
    }
    if (ok && ValidUtf8(bytes)) {
      *out = std::move(bytes);
      return *out != line;
    }
  }
  // 2. ftfy's decode_inconsistent_utf8: each complete mojibake sequence on its own.
  std::string fixed;
  bool changed = false;
  for (size_t i = 0; i < cps.size();) {
    const int lead = SloppyByte(cps[i]);
    if (IsLead(lead)) {
      const size_t n = SeqLen(lead);
      std::string seq(1, static_cast<char>(lead));
      size_t k = 1;
      for (; k < n && i + k < cps.size(); ++k) {
        const int b = SloppyByte(cps[i + k]);
        if (!IsCont(b)) break;
        seq.push_back(static_cast<char>(b));
      }
      if (k == n && ValidUtf8(seq)) {
        fixed += seq;
        i += n;
        changed = true;
        continue;
      }
    }
    AppendUtf8(cps[i], &fixed);
    ++i;
  }
  if (changed) {
    *out = std::move(fixed);
    return true;
  }
  // 3. C1 controls that stand for Windows-1252 characters.
  for (char32_t& c : cps)
    if (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] != 0) {
      c = kCp1252High[c - 0x80];
      changed = true;
    }
  if (!changed) return false;
  *out = Encode(cps);
  return true;
}

namespace {

std::string FixEncoding(std::string line) {
  std::string next;
  for (int round = 0; round < 16 && FixEncodingOnce(line, &next); ++round) line.swap(next);
  return line;
}

// An HTML character reference ("&amp;", "&#233;", "&#x2014;") decoded by the HTML5 parser, or nullopt.
std::optional<std::string> DecodeEntity(std::string_view ent) {
  GumboOutput* doc = gumbo_parse_with_options(&kGumboDefaultOptions, ent.data(), ent.size());
  std::string text;
  const GumboNode* root = doc->root;
  const GumboVector& kids = root->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    const auto* body = static_cast<const GumboNode*>(kids.data[i]);
    if (body->type != GUMBO_NODE_ELEMENT || body->v.element.tag != GUMBO_TAG_BODY) continue;
    const GumboVector& t = body->v.element.children;
    for (unsigned j = 0; j < t.length; ++j) {
      const auto* n = static_cast<const GumboNode*>(t.data[j]);
      if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE) text += n->v.text.text;
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, doc);
  if (text.empty() || text == ent) return std::nullopt;
  return text;
}

bool IsAlnumAscii(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// ftfy's unescape_html: every "&#?[0-9A-Za-z]{1,24};" that is a known reference.
std::string UnescapeHtml(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) break;
    out.append(s.substr(i, amp - i));
    size_t j = amp + 1;
    if (j < s.size() && s[j] == '#') ++j;
    const size_t name_start = j;
    while (j < s.size() && j - name_start < 24 && IsAlnumAscii(s[j])) ++j;
    if (j > name_start && j < s.size() && s[j] == ';') {
      if (auto dec = DecodeEntity(s.substr(amp, j + 1 - amp))) {
        out += *dec;
        i = j + 1;
        continue;
      }
    }
    out += '&';
    i = amp + 1;
  }
  out.append(s.substr(std::min(i, s.size())));
  return out;
}

// ESC [ digits/semicolons letter: terminal color codes.
std::string RemoveTerminalEscapes(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      size_t j = i + 2;
      while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';')) ++j;
      if (j < s.size() && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))) {
        i = j + 1;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

const char* Ligature(char32_t c) {
  switch (c) {
    case 0x0132: return "IJ";
    case 0x0133: return "ij";
    case 0x0149: return "\u02BCn";
    case 0x01F1: return "DZ";
    case 0x01F2: return "Dz";
    case 0x01F3: return "dz";
    case 0x01C4: return "D\u017D";
    case 0x01C5: return "D\u017E";
    case 0x01C6: return "d\u017E";
    case 0x01C7: return "LJ";
    case 0x01C8: return "Lj";
    case 0x01C9: return "lj";
    case 0x01CA: return "NJ";
    case 0x01CB: return "Nj";
    case 0x01CC: return "nj";
    case 0xFB00: return "ff";
    case 0xFB01: return "fi";
    case 0xFB02: return "fl";
    case 0xFB03: return "ffi";
    case 0xFB04: return "ffl";
    case 0xFB05: return "\u017Ft";
    case 0xFB06: return "st";
    default: return nullptr;
  }
}

const icu::Normalizer2* Nfkc() {
  static const icu::Normalizer2* n = [] {
    UErrorCode st = U_ZERO_ERROR;
    const icu::Normalizer2* x = icu::Normalizer2::getNFKCInstance(st);
    return U_SUCCESS(st) ? x : nullptr;
  }();
  return n;
}

// ligatures, character width, curly quotes, line breaks and control characters, one pass.
std::string CharacterFixes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* start = p;
    const char32_t c = DecodeUtf8(p, end);
    if (const char* lig = Ligature(c)) {
      out += lig;
    } else if (c == 0x3000) {
      out += ' ';
    } else if (c >= 0xFF01 && c <= 0xFFEF && Nfkc() != nullptr) {  // fullwidth / halfwidth forms
      icu::UnicodeString u(static_cast<UChar32>(c)), n;
      UErrorCode st = U_ZERO_ERROR;
      Nfkc()->normalize(u, n, st);
      std::string utf8;
      if (U_SUCCESS(st)) n.toUTF8String(utf8);
      out += utf8.empty() ? std::string(start, p) : utf8;
    } else if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B)) {
      out += '\'';
    } else if (c >= 0x201C && c <= 0x201F) {
      out += '"';
    } else if (c == '\r') {
      out += '\n';
      if (p < end && *p == '\n') ++p;
    } else if (c == 0x2028 || c == 0x2029 || c == 0x85) {
      out += '\n';
    } else if ((c < 0x09) || c == 0x0B || (c >= 0x0E && c < 0x20) || c == 0x7F || (c >= 0x206A && c <= 0x206F) ||
               c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC)) {
      // removed (ftfy's remove_control_chars keeps \t \n \f \r)
    } else {
      out.append(start, p);
    }
  }
  return out;
}

std::string Normalize(const std::string& s, NormalForm form) {
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* n = nullptr;
  switch (form) {
    case NormalForm::kNFC: n = icu::Normalizer2::getNFCInstance(st); break;
    case NormalForm::kNFKC: n = icu::Normalizer2::getNFKCInstance(st); break;
    case NormalForm::kNFD: n = icu::Normalizer2::getNFDInstance(st); break;
    case NormalForm::kNFKD: n = icu::Normalizer2::getNFKDInstance(st); break;
  }
  if (U_FAILURE(st) || n == nullptr) return s;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  if (n->isNormalized(u, st) && U_SUCCESS(st)) return s;
  st = U_ZERO_ERROR;
  icu::UnicodeString r;
  n->normalize(u, r, st);
  if (U_FAILURE(st)) return s;
  std::string out;
  r.toUTF8String(out);
  return out;
}

std::string FixSegment(std::string seg, bool unescape_html, NormalForm form) {
  for (int round = 0; round < 16; ++round) {
    const std::string orig = seg;
    if (unescape_html && seg.find('&') != std::string::npos) seg = UnescapeHtml(seg);
    if (seg.find('\x1b') != std::string::npos) seg = RemoveTerminalEscapes(seg);
    seg = FixEncoding(std::move(seg));
    seg = CharacterFixes(seg);
    seg = Normalize(seg, form);
    if (seg == orig) break;
  }
  return seg;
}

}  // namespace

std::string FixText(std::string_view text, NormalForm form) {
  const bool unescape_html = text.find('<') == std::string_view::npos;  // ftfy's "auto"
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {  // line by line, each line keeping its '\n' (as ftfy)
    size_t nl = text.find('\n', pos);
    nl = nl == std::string_view::npos ? text.size() : nl + 1;
    out += FixSegment(std::string(text.substr(pos, nl - pos)), unescape_html, form);
    pos = nl;
  }
  return out;
}

}  // namespace text

namespace {

class FixUnicodeMapper final : public Mapper {
 public:
  FixUnicodeMapper(const OpInfo& info, const OpParams& params, text::NormalForm form)
      : Mapper(info, params), form_(form) {}
  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext&) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view t, sample.GetText(text_key()));
    const std::string fixed = text::FixText(t, form_);
    if (fixed != t) sample.SetString(text_key(), fixed);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  text::NormalForm form_;
};

OpInfo FixUnicodeInfo() {
  OpInfo info = text::TextMapperInfo(
      "fix_unicode_mapper", "Repair mojibake and normalise Unicode (ftfy.fix_text).",
      "Data-Juicer runs ftfy.fix_text(text, normalization). juicer implements the same pipeline, line by "
      "line and repeated until nothing changes: HTML character references decoded (only when the text has "
      "no '<', ftfy's 'auto'; names resolved by the HTML5 parser gumbo); terminal escape codes removed; "
      "mojibake repaired (a line that shows a UTF-8 lead byte followed by a continuation byte read as "
      "Latin-1/Windows-1252, such as \"Ã©\" or \"â€™\", is re-encoded as Latin-1 or sloppy Windows-1252 and "
      "decoded as UTF-8, repeatedly, so double and triple encodings come out; when the whole line cannot be "
      "re-encoded, each complete mojibake sequence is decoded on its own; C1 controls become their "
      "Windows-1252 characters); Latin ligatures expanded (ﬁ -> fi); fullwidth forms made halfwidth (NFKC) "
      "and U+3000 a space; curly quotes straightened; \\r\\n, \\r, U+2028/2029 and U+0085 become \\n; control "
      "characters other than \\t \\n \\f \\r, U+FEFF and U+FFF9-FFFC removed; then the normalization form "
      "applied (ICU). Not done (ftfy tries them after Windows-1252): mojibake through Windows-1250/1251, "
      "ISO-8859-2, MacRoman or cp437, Java's modified UTF-8, and ftfy's restore_byte_a0 / "
      "replace_lossy_sequences heuristics; surrogates cannot occur in juicer's UTF-8 input.");
  info.params = {ParamSpec{.name = "normalization",
                           .type = ParamType::kString,
                           .default_value = std::monostate{},
                           .doc = "NFC (default when null or empty), NFKC, NFD or NFKD",
                           .nullable = true}};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::string form = p.IsNull("normalization") ? "" : p.GetString("normalization");
    for (char& c : form) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (form.empty()) form = "NFC";
    text::NormalForm f;
    if (form == "NFC") f = text::NormalForm::kNFC;
    else if (form == "NFKC") f = text::NormalForm::kNFKC;
    else if (form == "NFD") f = text::NormalForm::kNFD;
    else if (form == "NFKD") f = text::NormalForm::kNFKD;
    else
      return Status::InvalidArgument("normalization mode [" + p.GetString("normalization") +
                                     "] is not supported; use one of NFC, NFKC, NFD, NFKD");
    return std::unique_ptr<Op>(std::make_unique<FixUnicodeMapper>(i, p, f));
  };
  return info;
}

}  // namespace

Status RegisterFixUnicodeMapper(OpRegistry& registry) { return registry.Add(FixUnicodeInfo()); }

}  // namespace juicer
