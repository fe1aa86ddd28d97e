#include "datasets/man_roff.h"
#include "core/utf8.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <vector>

namespace juicer {

namespace {


// groff glyph names (groff_char(7)) common in man pages.
std::string Glyph(const std::string& name) {
  static const std::map<std::string, std::string> kGlyphs = {
      {"em", "—"}, {"en", "–"}, {"hy", "-"}, {"mi", "-"}, {"bu", "•"}, {"aq", "'"}, {"dq", "\""},
      {"lq", "“"}, {"rq", "”"}, {"oq", "‘"}, {"cq", "’"}, {"Fo", "«"}, {"Fc", "»"}, {"fo", "‹"},
      {"fc", "›"}, {"co", "©"}, {"rg", "®"}, {"tm", "™"}, {"mu", "×"}, {"di", "÷"}, {"de", "°"},
      {">=", "≥"}, {"<=", "≤"}, {"!=", "≠"}, {"->", "→"}, {"<-", "←"}, {"<>", "↔"}, {"rA", "⇒"},
      {"ua", "↑"}, {"da", "↓"}, {"pl", "+"}, {"eq", "="}, {"ti", "~"}, {"ha", "^"}, {"rs", "\\"},
      {"sl", "/"}, {"ba", "|"}, {"or", "|"}, {"at", "@"}, {"sh", "#"}, {"Do", "$"}, {"lB", "["},
      {"rB", "]"}, {"lC", "{"}, {"rC", "}"}, {"la", "⟨"}, {"ra", "⟩"}, {"ga", "`"}, {"aa", "´"},
      {"ss", "ß"}, {":a", "ä"}, {":o", "ö"}, {":u", "ü"}, {":A", "Ä"}, {":O", "Ö"}, {":U", "Ü"},
      {"'e", "é"}, {"`e", "è"}, {"^e", "ê"}, {"'a", "á"}, {"`a", "à"}, {"^a", "â"}, {"'i", "í"},
      {"'o", "ó"}, {"'u", "ú"}, {"~n", "ñ"}, {"~N", "Ñ"}, {",c", "ç"}, {",C", "Ç"}, {"'E", "É"},
      {"+-", "±"}, {"12", "½"}, {"14", "¼"}, {"34", "¾"}, {"sc", "§"}, {"ps", "¶"}, {"ct", "¢"},
      {"Eu", "€"}, {"eu", "€"}, {"Po", "£"}, {"Ye", "¥"}, {"r!", "¡"}, {"r?", "¿"}, {"dg", "†"},
      {"ul", "_"}, {"ru", "_"}, {"sq", "□"}, {"OK", "✓"}, {"tf", "∴"}, {"if", "∞"}, {"*m", "μ"},
      {"u2010", "‐"}, {"shc", "^"}, {"Aq", "'"}, {"R", "®"}, {"Tm", "™"}, {"C`", "“"}, {"C'", "”"},
  };
  auto it = kGlyphs.find(name);
  if (it != kGlyphs.end()) return it->second;
  // \[uXXXX] and \[uXXXX_YYYY]
  if (name.size() >= 5 && name[0] == 'u') {
    std::string out;
    size_t i = 1;
    while (i < name.size()) {
      size_t j = name.find('_', i);
      if (j == std::string::npos) j = name.size();
      char* end = nullptr;
      const std::string hex = name.substr(i, j - i);
      const unsigned long cp = std::strtoul(hex.c_str(), &end, 16);
      if (end == nullptr || *end != 0) return "";
      AppendUtf8(static_cast<uint32_t>(cp), &out);
      i = j + 1;
    }
    return out;
  }
  return "";
}

// Reads an escape's name argument at s[i]: "(xx", "[name]" or one character. Advances i.
// Byte length of the UTF-8 character at s[i] (1 for ASCII or a stray byte).
size_t CharLen(std::string_view s, size_t i) {
  size_t n = 1;
  while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
  return n;
}

std::string EscapeName(std::string_view s, size_t& i) {
  if (i >= s.size()) return "";
  if (s[i] == '(') {
    size_t j = i + 1;
    for (int k = 0; k < 2 && j < s.size(); ++k) j += CharLen(s, j);
    std::string n(s.substr(i + 1, j - i - 1));
    i = j;
    return n;
  }
  if (s[i] == '[') {
    size_t e = s.find(']', i);
    if (e == std::string_view::npos) e = s.size();
    std::string n(s.substr(i + 1, e - i - 1));
    i = e + 1;
    return n;
  }
  const size_t n = CharLen(s, i);
  std::string name(s.substr(i, n));
  i += n;
  return name;
}

// Skips a delimited argument ('...' or any delimiter char) at s[i].
void SkipDelimited(std::string_view s, size_t& i) {
  if (i >= s.size()) return;
  const char d = s[i];
  size_t e = s.find(d, i + 1);
  i = e == std::string_view::npos ? s.size() : e + 1;
}

// Inline escapes -> text. Stops at a \" comment.
std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= s.size()) break;  // trailing \ = line continuation
    const char e = s[i + 1];
    if (static_cast<unsigned char>(e) >= 0x80) {  // backslash before a non-ASCII character: keep it
      ++i;
      continue;
    }
    i += 2;
    switch (e) {
      case '"': case '#': return out;
      case 'f': case 'F': case 'm': case 'M': case 'n': case 'g': case 'k': case 'Y': case 'V':
        EscapeName(s, i);
        break;
      case 's':
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (i < s.size() && (s[i] == '(' || s[i] == '[')) EscapeName(s, i);
        else while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        break;
      case '(': case '[': {
        --i;
        out += Glyph(EscapeName(s, i));
        break;
      }
      case 'C': {
        std::string n;
        if (i < s.size()) {
          const char d = s[i];
          size_t end = s.find(d, i + 1);
          if (end == std::string_view::npos) end = s.size();
          n = std::string(s.substr(i + 1, end - i - 1));
          i = end + 1;
        }
        out += Glyph(n);
        break;
      }
      case '*': out += Glyph(EscapeName(s, i)); break;
      case 'h': case 'v': case 'w': case 'l': case 'L': case 'o': case 'X': case 'D': case 'b': case 'x':
      case 'Z': case 'N': case 'R': case 'A': case 'B':
        SkipDelimited(s, i);
        break;
      case '-': out.push_back('-'); break;
      case 'e': case '\\': out.push_back('\\'); break;
      case '~': case ' ': case '0': case 't': out.push_back(' '); break;
      case '\'': out.push_back('\''); break;
      case '`': out.push_back('`'); break;
      case '.': out.push_back('.'); break;
      case '&': case ':': case '%': case '|': case '^': case ')': case '/': case ',': case 'c': case 'd':
      case 'u': case 'p': case 'z': case '{': case '}': case 'r': case 'a':
        break;
      default: out.push_back(e);
    }
  }
  return out;
}

// Splits a request line's arguments (double-quoted args may hold spaces; "" inside is a quote).
std::vector<std::string> Args(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    std::string a;
    if (s[i] == '"') {
      ++i;
      while (i < s.size()) {
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            a.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '"') break;  // comment
        a.push_back(s[i++]);
      }
    } else {
      while (i < s.size() && s[i] != ' ' && s[i] != '\t') {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '"') {
          i = s.size();
          break;
        }
        a.push_back(s[i++]);
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

// mdoc words that are macro calls inside a line ("Op Fl a Ar file").
const std::set<std::string>& MdocCallable() {
  static const std::set<std::string> k = {"Ad", "Ar", "Cm", "Dq", "Dv", "Em", "Er", "Ev", "Fa", "Fl", "Ic", "Li",
                                          "Nm", "No", "Ns", "Op", "Pa", "Ql", "Sq", "Sy", "Va", "Xr", "Pq", "Oo",
                                          "Oc", "Aq", "Bq", "Brq", "Qq", "Tn", "Ux", "Lk", "Mt", "An", "Ft", "Fn"};
  return k;
}

class Converter {
 public:
  std::string Run(std::string_view roff) {
    size_t start = 0;
    while (start < roff.size()) {
      size_t end = roff.find('\n', start);
      if (end == std::string_view::npos) end = roff.size();
      std::string_view line = roff.substr(start, end - start);
      start = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      Line(line);
      if (redirect_) return "";
    }
    return out_;
  }

 private:
  void Break() {
    if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
  }
  void Para() {
    Break();
    if (!out_.empty() && (out_.size() < 2 || out_[out_.size() - 2] != '\n')) out_.push_back('\n');
  }
  void Text(const std::string& t) {
    if (t.empty()) return;
    if (!out_.empty() && out_.back() != '\n') out_.push_back(' ');
    out_ += t;
    if (nofill_) out_.push_back('\n');
  }

  void Line(std::string_view line) {
    if (skip_until_dots_) {
      if (line.substr(0, 2) == "..") skip_until_dots_ = false;
      return;
    }
    if (skip_block_ > 0) {
      for (size_t p = 0; (p = line.find("\\}", p)) != std::string_view::npos; p += 2) --skip_block_;
      if (skip_block_ < 0) skip_block_ = 0;
      return;
    }
    if (in_table_) {
      Table(line);
      return;
    }
    if (line.empty()) {
      if (nofill_) out_.push_back('\n');
      else Para();
      return;
    }
    if (line[0] != '.' && line[0] != '\'') {
      Text(Unescape(line));
      if (tag_pending_) {
        Break();
        tag_pending_ = false;
      }
      return;
    }
    size_t i = 1;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    const std::string name(line.substr(i, j - i));
    const std::string_view rest = j < line.size() ? line.substr(j) : std::string_view();
    Request(name, rest);
  }

  void Request(const std::string& name, std::string_view rest) {
    if (name.empty() || name[0] == '\\') return;  // comment or blank request
    if (name == "so" || name == "mso") {
      if (out_.empty()) redirect_ = true;
      return;
    }
    if (name == "de" || name == "de1" || name == "am" || name == "ig") {
      skip_until_dots_ = true;
      return;
    }
    if (name == "if" || name == "ie" || name == "el" || name == "while") {
      if (rest.find("\\{") != std::string_view::npos) {
        skip_block_ = 0;
        for (size_t p = 0; (p = rest.find("\\{", p)) != std::string_view::npos; p += 2) ++skip_block_;
        for (size_t p = 0; (p = rest.find("\\}", p)) != std::string_view::npos; p += 2) --skip_block_;
        if (skip_block_ < 0) skip_block_ = 0;
      }
      return;
    }
    std::vector<std::string> args = Args(rest);
    auto joined = [&](const char* sep) {
      std::string s;
      for (size_t k = 0; k < args.size(); ++k) s += (k ? sep : "") + Unescape(args[k]);
      return s;
    };
    if (name == "SH" || name == "SS" || name == "Sh" || name == "Ss") {
      Para();
      out_ += joined(" ");
      Para();
      nofill_ = false;
      return;
    }
    if (name == "PP" || name == "LP" || name == "P" || name == "Pp" || name == "sp" || name == "Sp" ||
        name == "HP" || name == "ne") {
      Para();
      return;
    }
    if (name == "br" || name == "RS" || name == "RE" || name == "in" || name == "ti" || name == "ce") {
      Break();
      return;
    }
    if (name == "TP" || name == "TQ") {
      Para();
      tag_pending_ = true;
      return;
    }
    if (name == "IP" || name == "It") {
      Para();
      if (!args.empty()) {
        Text(name == "It" ? Mdoc(args) : Unescape(args[0]));
        Break();
      }
      return;
    }
    if (name == "nf" || name == "EX" || name == "Vb" || name == "Bd") {
      Break();
      nofill_ = true;
      return;
    }
    if (name == "fi" || name == "EE" || name == "Ve" || name == "Ed") {
      nofill_ = false;
      Para();
      return;
    }
    if (name == "TS") {
      Para();
      in_table_ = true;
      table_format_done_ = false;
      return;
    }
    if (name == "B" || name == "I" || name == "SM" || name == "SB") {
      Text(joined(" "));
    } else if (name == "BR" || name == "BI" || name == "IB" || name == "RB" || name == "RI" || name == "IR") {
      Text(joined(""));
    } else if (name == "UE" || name == "ME") {
      if (!args.empty()) out_ += Unescape(args[0]);
    } else if (name == "Nm" || name == "Nd" || name == "Op" || name == "Fl" || name == "Ar" || name == "Xr" ||
               name == "Pa" || name == "Dq" || name == "Cm" || name == "Ev" || name == "Em" || name == "Sy" ||
               name == "Li" || name == "Ql" || name == "Sq" || name == "Va" || name == "Ic" || name == "Dv" ||
               name == "Pq" || name == "An" || name == "Lk" || name == "Mt" || name == "No") {
      std::vector<std::string> all{name};
      all.insert(all.end(), args.begin(), args.end());
      Text(name == "Nd" ? "- " + Mdoc(args) : Mdoc(all));
    } else if (name == "URL") {
      Text(args.size() > 1 ? Unescape(args[1]) : joined(" "));
    }
    // everything else (TH, IX, PD, UR, MT, nh, ad, ft, ds, nr, tr, Dd, Dt, Os, Bl, El, ...) is layout
    if (tag_pending_ && (name == "B" || name == "I" || name[0] == 'B' || name[0] == 'I' || name[0] == 'R')) {
      Break();
      tag_pending_ = false;
    }
  }

  // An mdoc line: callable macro words dropped or applied (Fl -> "-x", Xr a 1 -> "a(1)", Op -> [...]).
  std::string Mdoc(const std::vector<std::string>& words) {
    std::string s;
    bool dash = false, nospace = false, opened = false;
    for (size_t k = 0; k < words.size(); ++k) {
      const std::string& w = words[k];
      if (MdocCallable().count(w)) {
        if (w == "Fl") dash = true;
        if (w == "Ns") nospace = true;
        if (w == "Op" || w == "Oo") {
          if (!s.empty() && !nospace) s += ' ';
          s += '[';
          nospace = true;
          opened = opened || w == "Op";
        }
        if (w == "Oc") s += ']';
        if (w == "Xr" && k + 2 < words.size()) {
          if (!s.empty()) s += ' ';
          s += Unescape(words[k + 1]) + "(" + Unescape(words[k + 2]) + ")";
          k += 2;
        }
        if (dash && k + 1 == words.size()) s += (s.empty() || nospace ? "" : " ") + std::string("-");
        continue;
      }
      if (!s.empty() && !nospace) s += ' ';
      nospace = false;
      s += (dash ? "-" : "") + Unescape(w);
      dash = false;
    }
    if (opened) s += ']';
    return s;
  }

  void Table(std::string_view line) {
    if (line.substr(0, 3) == ".TE") {
      in_table_ = false;
      Para();
      return;
    }
    if (!table_format_done_) {
      // options line ends in ';', the format lines end with '.'
      std::string_view t = line;
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
      if (!t.empty() && t.back() == '.') table_format_done_ = true;
      return;
    }
    if (!line.empty() && (line[0] == '.' || line[0] == '\'')) return;
    std::string cell = Unescape(line);
    for (const char* m : {"T{", "T}"}) {
      for (size_t p; (p = cell.find(m)) != std::string::npos;) cell.erase(p, 2);
    }
    for (char& ch : cell)
      if (ch == '\t') ch = ' ';
    if (cell == "_" || cell == "=") return;
    Text(cell);
    Break();
  }

  std::string out_;
  bool nofill_ = false, tag_pending_ = false, skip_until_dots_ = false, redirect_ = false;
  bool in_table_ = false, table_format_done_ = false;
  int skip_block_ = 0;
};

}  // namespace

std::string RoffToText(std::string_view roff) { return Converter().Run(roff); }

}  // namespace juicer
