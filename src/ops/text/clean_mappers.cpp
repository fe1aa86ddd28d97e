#include "ops/text/clean_mappers.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <limits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ops/dedup/document_deduplicator.h"
#include "ops/text/char_tables.h"

namespace juicer {

namespace text {

namespace {

// Python's str.isspace() set, as `re` uses it for \s on str patterns.
constexpr std::string_view kPySpaceClass =
    "\\t\\n\\x0b\\f\\r\\x1c-\\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}"
    "\\x{205f}\\x{3000}";
constexpr std::string_view kPyWordClass = "\\p{L}\\p{N}_";

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// DJ strips a r'...' / r"..." wrapper from user patterns.
std::string_view StripRawWrapper(std::string_view p) {
  if (p.size() > 2 && ((p.starts_with("r'") && p.ends_with('\'')) || (p.starts_with("r\"") && p.ends_with('"'))))
    return p.substr(2, p.size() - 3);
  return p;
}

bool IsPyWordChar(char32_t c) { return c == '_' || IsPyAlnum(c); }

// Python's \b at byte offset `pos` of valid UTF-8 `s`.
bool IsWordBoundary(std::string_view s, size_t pos) {
  bool before = false, after = false;
  if (pos > 0) {
    size_t b = pos - 1;
    while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
    const char* p = s.data() + b;
    before = IsPyWordChar(DecodeUtf8(p, s.data() + s.size()));
  }
  if (pos < s.size()) {
    const char* p = s.data() + pos;
    after = IsPyWordChar(DecodeUtf8(p, s.data() + s.size()));
  }
  return before != after;
}

size_t NextCharOffset(std::string_view s, size_t pos) {
  ++pos;
  while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) ++pos;
  return pos;
}

}  // namespace

Result<std::string> PythonPatternToRe2(std::string_view pattern) {
  pattern = StripRawWrapper(pattern);
  std::string out;
  out.reserve(pattern.size() + 16);
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c != '\\') {
      if (!in_class && c == '[') {
        in_class = true;
        out.push_back(c);
        // A ']' right after '[' or '[^' is a literal in Python.
        if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.push_back(pattern[++i]);
        if (i + 1 < pattern.size() && pattern[i + 1] == ']') {
          out += "\\]";
          ++i;
        }
        continue;
      }
      if (in_class && c == ']') in_class = false;
      out.push_back(c);
      continue;
    }
    if (i + 1 >= pattern.size()) return Status::InvalidArgument("pattern ends with a lone backslash");
    const char e = pattern[++i];
    switch (e) {
      case 'd': out += "\\p{Nd}"; break;
      case 'D': out += "\\P{Nd}"; break;
      case 'w': out += in_class ? std::string(kPyWordClass) : "[" + std::string(kPyWordClass) + "]"; break;
      case 's': out += in_class ? std::string(kPySpaceClass) : "[" + std::string(kPySpaceClass) + "]"; break;
      case 'W':
      case 'S':
        if (in_class) return Status::InvalidArgument(std::string("\\") + e + " inside [...] is not supported");
        out += "[^" + std::string(e == 'W' ? kPyWordClass : kPySpaceClass) + "]";
        break;
      case 'Z': out += "\\z"; break;
      case 'u':
      case 'U': {
        const size_t n = e == 'u' ? 4 : 8;
        if (i + n >= pattern.size())
          return Status::InvalidArgument("incomplete \\u escape in pattern");
        std::string hex(pattern.substr(i + 1, n));
        for (char h : hex)
          if (!IsHex(h)) return Status::InvalidArgument("bad \\u escape in pattern");
        out += "\\x{" + hex + "}";
        i += n;
        break;
      }
      default:
        if (static_cast<unsigned char>(e) >= 0x80) {  // "\…": a literal non-ASCII character
          out.push_back(e);
          break;
        }
        if (e >= '1' && e <= '9' && !in_class)
          return Status::InvalidArgument("backreferences (\\" + std::string(1, e) + ") are not supported (RE2)");
        out.push_back('\\');
        out.push_back(e);
    }
  }
  return out;
}

struct PySub::Impl {
  std::unique_ptr<RE2> re;
  bool leading_word_boundary = false;
  // The replacement template: literal pieces and group numbers (-1 = literal).
  std::vector<std::pair<int, std::string>> pieces;
};

PySub::PySub() : impl_(std::make_unique<Impl>()) {}
PySub::~PySub() = default;

namespace {

// Python's re.sub template: \n \t ..., \\, \1, \g<1>, \g<name>.
Status ParseTemplate(std::string_view repl, const RE2& re, std::vector<std::pair<int, std::string>>* pieces) {
  std::string lit;
  auto flush = [&] {
    if (!lit.empty()) pieces->emplace_back(-1, std::move(lit));
    lit.clear();
  };
  auto group = [&](int g) -> Status {
    if (g < 0 || g > re.NumberOfCapturingGroups())
      return Status::InvalidArgument("replacement refers to group " + std::to_string(g) + ", pattern has " +
                                     std::to_string(re.NumberOfCapturingGroups()));
    flush();
    pieces->emplace_back(g, std::string());
    return Status::OK();
  };
  for (size_t i = 0; i < repl.size(); ++i) {
    if (repl[i] != '\\' || i + 1 == repl.size()) {
      lit.push_back(repl[i]);
      continue;
    }
    const char e = repl[++i];
    switch (e) {
      case 'n': lit.push_back('\n'); break;
      case 't': lit.push_back('\t'); break;
      case 'r': lit.push_back('\r'); break;
      case 'f': lit.push_back('\f'); break;
      case 'v': lit.push_back('\v'); break;
      case 'a': lit.push_back('\a'); break;
      case 'b': lit.push_back('\b'); break;
      case '\\': lit.push_back('\\'); break;
      case 'g': {
        const size_t close = repl.find('>', i);
        if (i + 1 >= repl.size() || repl[i + 1] != '<' || close == std::string_view::npos)
          return Status::InvalidArgument("bad \\g<...> in replacement");
        const std::string name(repl.substr(i + 2, close - i - 2));
        i = close;
        if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
          JUICER_RETURN_IF_ERROR(group(std::stoi(name)));
        } else {
          auto it = re.NamedCapturingGroups().find(name);
          if (it == re.NamedCapturingGroups().end())
            return Status::InvalidArgument("unknown group name '" + name + "' in replacement");
          JUICER_RETURN_IF_ERROR(group(it->second));
        }
        break;
      }
      default:
        if (e >= '0' && e <= '9') {
          int g = e - '0';
          if (i + 1 < repl.size() && repl[i + 1] >= '0' && repl[i + 1] <= '9') g = g * 10 + (repl[++i] - '0');
          JUICER_RETURN_IF_ERROR(group(g));
        } else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
          return Status::InvalidArgument(std::string("bad escape \\") + e + " in replacement");
        } else {
          lit.push_back('\\');  // Python keeps unknown non-letter escapes as they are
          lit.push_back(e);
        }
    }
  }
  flush();
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<PySub>> PySub::Make(std::string_view py_pattern, std::string_view repl,
                                           bool leading_word_boundary) {
  JUICER_ASSIGN_OR_RETURN(std::string translated, PythonPatternToRe2(py_pattern));
  RE2::Options opts;
  opts.set_dot_nl(true);  // re.DOTALL
  opts.set_log_errors(false);
  auto sub = std::unique_ptr<PySub>(new PySub());
  sub->impl_->re = std::make_unique<RE2>(translated, opts);
  if (!sub->impl_->re->ok())
    return Status::InvalidArgument("pattern '" + std::string(py_pattern) + "' is not supported by RE2 (" +
                                   sub->impl_->re->error() + "); lookarounds and backreferences are unavailable");
  sub->impl_->leading_word_boundary = leading_word_boundary;
  JUICER_RETURN_IF_ERROR(ParseTemplate(repl, *sub->impl_->re, &sub->impl_->pieces));
  return sub;
}

bool PySub::Apply(std::string_view text, std::string* out) const {
  const RE2& re = *impl_->re;
  const int ngroups = 1 + re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(static_cast<size_t>(ngroups));
  size_t pos = 0, copied = 0;
  bool must_advance = false, any = false;
  out->clear();
  while (pos <= text.size()) {
    if (!re.Match(text, pos, text.size(), RE2::UNANCHORED, groups.data(), ngroups)) break;
    const size_t s = static_cast<size_t>(groups[0].data() - text.data());
    const size_t e = s + groups[0].size();
    // Python 3.7+: an empty match right where the previous match ended (after an empty one) is skipped;
    // a leading \b (checked by hand: RE2's \b is ASCII-only) rejects a start position.
    if ((must_advance && s == e && s == pos) || (impl_->leading_word_boundary && !IsWordBoundary(text, s))) {
      if (s >= text.size()) break;
      pos = NextCharOffset(text, s);
      must_advance = false;
      continue;
    }
    any = true;
    out->append(text.substr(copied, s - copied));
    for (const auto& [g, lit] : impl_->pieces) {
      if (g < 0) {
        out->append(lit);
      } else if (groups[static_cast<size_t>(g)].data() != nullptr) {
        out->append(groups[static_cast<size_t>(g)].data(), groups[static_cast<size_t>(g)].size());
      }
    }
    copied = e;
    pos = e;
    must_advance = s == e;
  }
  if (any) out->append(text.substr(copied));
  return any;
}

}  // namespace text

namespace {

// ---------------------------------------------------------------------------------------------
// Regex substitution mappers (clean_email / clean_links / clean_ip / replace_content).

class SubMapper final : public Mapper {
 public:
  SubMapper(const OpInfo& info, const OpParams& params, std::vector<std::unique_ptr<text::PySub>> subs)
      : Mapper(info, params), subs_(std::move(subs)) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string_view current = text;  // no copy unless a pattern matches
    std::string buffer, next;
    bool changed = false;
    for (const auto& sub : subs_) {
      if (sub->Apply(current, &next)) {
        buffer.swap(next);
        current = buffer;
        changed = true;
      }
    }
    if (changed) sample.SetString(text_key(), buffer);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  std::vector<std::unique_ptr<text::PySub>> subs_;
};

constexpr std::string_view kEmailPattern = R"([A-Za-z0-9.\-+_]+@[a-z0-9.\-+_]+\.[a-z]+)";
// DJ's link pattern without its leading \b (checked by hand, Unicode-aware, as Python does).
constexpr std::string_view kLinksPattern =
    R"((?i)((?:[a-z][\w-]+:(?:\/{1,3}|[a-z0-9%])|www\d{0,3}[.]|[a-z0-9.\-]+[.][a-z]{2,4}\/))"
    R"((?:[^\s()<>]+|\(([^\s()<>]+|(\([^\s()<>]+\)))*\))+(?:\(([^\s()<>]+|(\([^\s()<>]+\)))*\)|)"
    R"([^\s`!()\[\]{};:\'\".,<>?«»“”‘’])))";
constexpr std::string_view kIpPattern =
    R"((?:(?:1[0-9][0-9]\.)|(?:2[0-4][0-9]\.)|(?:25[0-5]\.)|(?:[1-9][0-9]\.)|(?:[0-9]\.)){3})"
    R"((?:(?:1[0-9][0-9])|(?:2[0-4][0-9])|(?:25[0-5])|(?:[1-9][0-9])|(?:[0-9]))|([\da-fA-F]{1,4}:){7}[\da-fA-F]{1,4})";

constexpr const char* kRegexDoc =
    " Python `re` semantics are kept: the pattern is translated to RE2 (\\d, \\w, \\s are Unicode classes as "
    "in Python; re.DOTALL; Python's empty-match rules of re.sub; the replacement may use \\1 / \\g<name>). "
    "RE2 has no lookarounds or backreferences: such user patterns are rejected when the op is built; "
    "`$` matches only at the very end of the text, and \\b in a user pattern is RE2's ASCII word boundary.";

OpInfo SubMapperInfo(std::string name, std::string summary, std::string description, std::string_view default_pattern,
                     bool default_leading_boundary) {
  OpInfo info;
  info.name = std::move(name);
  info.kind = OpKind::kMapper;
  info.modality = Modality::kText;
  info.summary = std::move(summary);
  info.description = std::move(description) + kRegexDoc;
  info.params = {
      ParamSpec{.name = "pattern",
                .type = ParamType::kString,
                .default_value = std::monostate{},
                .doc = "regular expression to search for (Python syntax; r'...' accepted); null = the built-in one",
                .nullable = true},
      ParamSpec{.name = "repl", .type = ParamType::kString, .default_value = std::string(), .doc = "replacement string"},
  };
  info.factory = [default_pattern, default_leading_boundary](const OpInfo& i,
                                                             const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const bool user = !p.IsNull("pattern");
    std::vector<std::unique_ptr<text::PySub>> subs;
    JUICER_ASSIGN_OR_RETURN(auto sub, text::PySub::Make(user ? std::string_view(p.GetString("pattern")) : default_pattern,
                                                        p.GetString("repl"), !user && default_leading_boundary));
    subs.push_back(std::move(sub));
    return std::unique_ptr<Op>(std::make_unique<SubMapper>(i, p, std::move(subs)));
  };
  return info;
}

OpInfo ReplaceContentInfo() {
  OpInfo info;
  info.name = "replace_content_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kText;
  info.summary = "Replace every match of one or more regular expressions with replacement strings.";
  info.description =
      std::string("Each pattern (a string or a list, applied in order) is replaced with repl (one string for all "
                  "patterns, or a list with one replacement per pattern; a list shorter than the pattern list is an "
                  "error). A null pattern leaves the text unchanged.") +
      kRegexDoc;
  info.params = {
      ParamSpec{.name = "pattern",
                .type = ParamType::kStringList,
                .default_value = std::monostate{},
                .doc = "pattern or list of patterns (Python syntax; r'...' accepted)",
                .nullable = true},
      ParamSpec{.name = "repl",
                .type = ParamType::kStringList,
                .default_value = std::vector<std::string>{""},
                .doc = "replacement string, or one replacement per pattern"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::vector<std::unique_ptr<text::PySub>> subs;
    if (!p.IsNull("pattern")) {
      const auto patterns = p.GetStringList("pattern");
      const auto repls = p.GetStringList("repl");
      if (repls.size() != 1 && repls.size() < patterns.size())
        return Status::InvalidArgument("pattern length: " + std::to_string(patterns.size()) +
                                       " must be equal to repl length: " + std::to_string(repls.size()));
      for (size_t k = 0; k < patterns.size(); ++k) {
        JUICER_ASSIGN_OR_RETURN(auto sub, text::PySub::Make(patterns[k], repls.size() == 1 ? repls[0] : repls[k]));
        subs.push_back(std::move(sub));
      }
    }
    return std::unique_ptr<Op>(std::make_unique<SubMapper>(i, p, std::move(subs)));
  };
  return info;
}

// ---------------------------------------------------------------------------------------------
// clean_copyright_mapper

class CleanCopyrightMapper final : public Mapper {
 public:
  CleanCopyrightMapper(const OpInfo& info, const OpParams& params)
      : Mapper(info, params), comment_(R"(/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)"), copyright_("(?i)copyright") {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string result;
    bool changed = false;
    re2::StringPiece m;
    if (comment_.Match(text, 0, text.size(), RE2::UNANCHORED, &m, 1)) {
      // The first /* ... */ comment: cut it when it mentions copyright.
      if (RE2::PartialMatch(m, copyright_)) {
        const size_t s = static_cast<size_t>(m.data() - text.data());
        result.assign(text.substr(0, s));
        result.append(text.substr(s + m.size()));
        changed = true;
      }
    } else {
      // Greedily drop leading lines that are empty or start with //, # or --.
      size_t pos = 0, skip = 0;
      for (;;) {
        const size_t nl = text.find('\n', pos);
        const std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (!(line.empty() || line.starts_with("//") || line.starts_with("#") || line.starts_with("--"))) break;
        ++skip;
        if (nl == std::string_view::npos) {
          pos = text.size();
          break;
        }
        pos = nl + 1;
      }
      if (skip > 0) {
        result.assign(text.substr(std::min(pos, text.size())));
        changed = true;
      }
    }
    if (changed) sample.SetString(text_key(), result);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  RE2 comment_, copyright_;
};

OpInfo CleanCopyrightInfo() {
  OpInfo info;
  info.name = "clean_copyright_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kText;
  info.summary = "Remove a leading copyright notice (a /* */ comment or a block of comment lines).";
  info.description =
      "When the text contains a /* ... */ comment, the first one is removed if it contains 'copyright' "
      "(case-insensitive) and nothing else changes. Otherwise the leading lines that are empty or start with "
      "'//', '#' or '--' are removed. Same regex and line rules as Data-Juicer.";
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<CleanCopyrightMapper>(i, p));
  };
  return info;
}


// ---------------------------------------------------------------------------------------------
// Word-level mappers: DJ's split_on_newline_tab_whitespace -> keep some words ->
// merge_on_whitespace_tab_newline.

// Number of code points of `word` once DJ's SPECIAL_CHARACTERS are stripped from both ends; `stripped`
// receives the stripped view.
size_t StripSpecial(std::string_view word, std::string_view* stripped) {
  const char* p = word.data();
  const char* end = word.data() + word.size();
  std::vector<std::pair<const char*, bool>> chars;  // start, special
  while (p < end) {
    const char* start = p;
    const char32_t c = text::DecodeUtf8(p, end);
    chars.emplace_back(start, text::IsSpecialChar(c));
  }
  size_t b = 0, e = chars.size();
  while (b < e && chars[b].second) ++b;
  while (e > b && chars[e - 1].second) --e;
  const char* s = b < chars.size() ? chars[b].first : end;
  const char* t = e < chars.size() ? chars[e].first : end;
  *stripped = std::string_view(s, static_cast<size_t>(t - s));
  return e - b;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

template <typename Keep>
std::string FilterWords(std::string_view text, const Keep& keep) {
  std::string doc, line, sub;
  bool any_line = false;
  size_t lpos = 0;
  for (;;) {
    const size_t lend = std::min(text.find('\n', lpos), text.size());
    const std::string_view l = text.substr(lpos, lend - lpos);
    line.clear();
    bool any_sub = false;
    size_t tpos = 0;
    for (;;) {
      const size_t tend = std::min(l.find('\t', tpos), l.size());
      const std::string_view part = l.substr(tpos, tend - tpos);
      sub.clear();
      size_t wpos = 0;
      for (;;) {
        const size_t wend = std::min(part.find(' ', wpos), part.size());
        const std::string_view w = part.substr(wpos, wend - wpos);
        if (!w.empty() && keep(w)) {
          if (!sub.empty()) sub.push_back(' ');
          sub.append(w);
        }
        if (wend >= part.size()) break;
        wpos = wend + 1;
      }
      if (!sub.empty()) {
        if (any_sub) line.push_back('\t');
        line.append(sub);
        any_sub = true;
      }
      if (tend >= l.size()) break;
      tpos = tend + 1;
    }
    if (any_sub) {
      if (any_line) doc.push_back('\n');
      doc.append(line);
      any_line = true;
    }
    if (lend >= text.size()) break;
    lpos = lend + 1;
  }
  return doc;
}

class WordFilterMapper final : public Mapper {
 public:
  using KeepFn = std::function<bool(std::string_view)>;
  WordFilterMapper(const OpInfo& info, const OpParams& params, KeepFn keep) : Mapper(info, params), keep_(std::move(keep)) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string result = FilterWords(text, keep_);
    if (result != text) sample.SetString(text_key(), result);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  KeepFn keep_;
};

constexpr const char* kWordSplitDoc =
    " Words are what Data-Juicer's split_on_newline_tab_whitespace gives (lines, then tab-separated parts, then "
    "space-separated words); the text is rebuilt with merge_on_whitespace_tab_newline, so runs of spaces, tabs and "
    "empty lines collapse as in Data-Juicer.";

OpInfo RemoveLongWordsInfo() {
  OpInfo info;
  info.name = "remove_long_words_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kText;
  info.summary = "Remove words shorter than min_len or longer than max_len characters.";
  info.description =
      std::string("A word is kept when min_len <= its length <= max_len (code points), or when that holds once "
                  "Data-Juicer's SPECIAL_CHARACTERS are stripped from both ends; the kept word is written unstripped.") +
      kWordSplitDoc;
  info.params = {
      ParamSpec{.name = "min_len", .type = ParamType::kInt, .default_value = int64_t{1}, .doc = "shortest word kept"},
      ParamSpec{.name = "max_len",
                .type = ParamType::kInt,
                .default_value = std::numeric_limits<int64_t>::max(),
                .doc = "longest word kept (default sys.maxsize)"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const int64_t lo = p.GetInt("min_len"), hi = p.GetInt("max_len");
    auto in_range = [lo, hi](size_t n) { return lo <= static_cast<int64_t>(n) && static_cast<int64_t>(n) <= hi; };
    auto keep = [in_range](std::string_view w) {
      if (in_range(CodePoints(w))) return true;
      std::string_view stripped;
      return in_range(StripSpecial(w, &stripped));
    };
    return std::unique_ptr<Op>(std::make_unique<WordFilterMapper>(i, p, keep));
  };
  return info;
}

OpInfo RemoveIncorrectSubstringsInfo() {
  OpInfo info;
  info.name = "remove_words_with_incorrect_substrings_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kText;
  info.summary = "Remove words that contain any of the given substrings (links by default).";
  info.description =
      std::string("A word is removed when, with Data-Juicer's SPECIAL_CHARACTERS stripped from both ends, it "
                  "contains one of `substrings` (default: http, www, .com, href, //).") +
      kWordSplitDoc +
      " tokenization=true (Data-Juicer's SentencePiece word split) needs Data-Juicer's per-language SentencePiece "
      "models, which juicer does not ship: it is rejected when the op is built.";
  info.params = {
      ParamSpec{.name = "lang", .type = ParamType::kString, .default_value = std::string("en"),
                .doc = "language of the SentencePiece model (tokenization only)"},
      ParamSpec{.name = "tokenization", .type = ParamType::kBool, .default_value = false,
                .doc = "split words with a SentencePiece model (not supported)"},
      ParamSpec{.name = "substrings",
                .type = ParamType::kStringList,
                .default_value = std::monostate{},
                .doc = "substrings that mark a word for removal; null = [http, www, .com, href, //]",
                .nullable = true},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    if (p.GetBool("tokenization"))
      return Status::InvalidArgument(
          "tokenization=true needs Data-Juicer's SentencePiece word models, which juicer does not provide");
    std::vector<std::string> subs = p.IsNull("substrings") ? std::vector<std::string>{"http", "www", ".com", "href", "//"}
                                                           : p.GetStringList("substrings");
    auto keep = [subs](std::string_view w) {
      std::string_view stripped;
      StripSpecial(w, &stripped);
      for (const auto& s : subs)
        if (stripped.find(s) != std::string_view::npos) return false;
      return true;
    };
    return std::unique_ptr<Op>(std::make_unique<WordFilterMapper>(i, p, keep));
  };
  return info;
}


// ---------------------------------------------------------------------------------------------
// remove_repeat_sentences_mapper

class RemoveRepeatSentencesMapper final : public Mapper {
 public:
  RemoveRepeatSentencesMapper(const OpInfo& info, const OpParams& params,
                              std::vector<std::unique_ptr<text::PySub>> splitters)
      : Mapper(info, params),
        lowercase_(params.GetBool("lowercase")),
        ignore_special_(params.GetBool("ignore_special_character")),
        min_len_(params.GetInt("min_repeat_sentence_length")),
        splitters_(std::move(splitters)) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::unordered_set<std::string> seen;
    std::string result, split, next, key;
    size_t lpos = 0;
    for (;;) {
      const size_t lend = std::min(text.find('\n', lpos), text.size());
      const std::string_view line = text.substr(lpos, lend - lpos);
      if (lpos > 0) result.push_back('\n');
      if (!line.empty()) {
        // DJ's split_sentence: four substitutions that insert '\n' after sentence ends, then split.
        split.assign(line);
        for (const auto& sub : splitters_)
          if (sub->Apply(split, &next)) split.swap(next);
        size_t spos = 0;
        for (;;) {
          const size_t send = std::min(split.find('\n', spos), split.size());
          const std::string_view sentence = std::string_view(split).substr(spos, send - spos);
          JUICER_RETURN_IF_ERROR(Key(sentence, &key));
          size_t n = 0;
          for (unsigned char c : key) n += (c & 0xC0) != 0x80;
          if (static_cast<int64_t>(n) < min_len_ || seen.insert(key).second) result.append(sentence);
          if (send >= split.size()) break;
          spos = send + 1;
        }
      }
      if (lend >= text.size()) break;
      lpos = lend + 1;
    }
    if (result != text) sample.SetString(text_key(), result);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  // strip() -> lower() when lowercase -> drop all but [a-zA-Z0-9\u4e00-\u9fa5\n\t ] when ignoring specials.
  Status Key(std::string_view sentence, std::string* key) const {
    const std::string_view stripped = dedup::PythonStrip(sentence);
    key->clear();
    if (lowercase_) {
      JUICER_RETURN_IF_ERROR(dedup::PythonLower(stripped, key));
    } else {
      key->assign(stripped);
    }
    if (!ignore_special_) return Status::OK();
    std::string kept;
    const char* p = key->data();
    const char* end = p + key->size();
    while (p < end) {
      const char* start = p;
      const char32_t c = text::DecodeUtf8(p, end);
      const bool keep = (c < 0x80 && (std::isalnum(static_cast<int>(c)) || c == '\n' || c == '\t' || c == ' ')) ||
                        (c >= 0x4e00 && c <= 0x9fa5);
      if (keep) kept.append(start, static_cast<size_t>(p - start));
    }
    key->swap(kept);
    return Status::OK();
  }

  bool lowercase_, ignore_special_;
  int64_t min_len_;
  std::vector<std::unique_ptr<text::PySub>> splitters_;
};

OpInfo RemoveRepeatSentencesInfo() {
  OpInfo info;
  info.name = "remove_repeat_sentences_mapper";
  info.kind = OpKind::kMapper;
  info.modality = Modality::kText;
  info.summary = "Remove sentences that already appeared earlier in the same text.";
  info.description =
      "Each line is split into sentences with Data-Juicer's split_sentence (a break after . 。 ！ ! ？ ? "
      "...... or …… not followed by a closing quote, or after such a mark plus ’ or ”). A sentence is compared "
      "after strip(), lower() when lowercase, and, when ignore_special_character, removal of every character "
      "outside [a-zA-Z0-9\\u4e00-\\u9fa5\\n\\t ]. Sentences whose comparison key is shorter than "
      "min_repeat_sentence_length code points are always kept; other sentences are kept the first time their "
      "key is seen in the text. Kept sentences are joined with nothing in between, lines with '\\n'.";
  info.params = {
      ParamSpec{.name = "lowercase", .type = ParamType::kBool, .default_value = false,
                .doc = "compare sentences case-insensitively"},
      ParamSpec{.name = "ignore_special_character", .type = ParamType::kBool, .default_value = true,
                .doc = "ignore characters other than Chinese, ASCII letters and digits when comparing"},
      ParamSpec{.name = "min_repeat_sentence_length", .type = ParamType::kInt, .default_value = int64_t{2},
                .doc = "sentences with a shorter comparison key are never removed"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::vector<std::unique_ptr<text::PySub>> splitters;
    for (const char* pattern : {"([.。！!？\\?])([^’”])", "(\\.{6})([^’”])", "(\\…{2})([^’”])",
                                "([.。!！？\\?\\.{6}\\…{2}][’”])([^’”])"}) {
      JUICER_ASSIGN_OR_RETURN(auto sub, text::PySub::Make(pattern, "\\1\\n\\2"));
      splitters.push_back(std::move(sub));
    }
    return std::unique_ptr<Op>(std::make_unique<RemoveRepeatSentencesMapper>(i, p, std::move(splitters)));
  };
  return info;
}

}  // namespace

Status RegisterTextCleanMappers(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(SubMapperInfo(
      "clean_email_mapper", "Remove or replace email addresses.",
      "Replaces every match of the pattern (default: Data-Juicer's [A-Za-z0-9.\\-+_]+@[a-z0-9.\\-+_]+\\.[a-z]+) "
      "with repl.",
      kEmailPattern, false)));
  JUICER_RETURN_IF_ERROR(registry.Add(SubMapperInfo(
      "clean_links_mapper", "Remove or replace links (http/https/ftp URLs, www. hosts, domain paths).",
      "Replaces every match of the pattern (default: Data-Juicer's URL regex, case-insensitive) with repl. The "
      "default pattern starts with \\b; RE2's \\b is ASCII-only, so juicer checks that word boundary by hand with "
      "Python's Unicode word characters (letters, digits, underscore).",
      kLinksPattern, true)));
  JUICER_RETURN_IF_ERROR(registry.Add(SubMapperInfo(
      "clean_ip_mapper", "Remove or replace IPv4 and IPv6 addresses.",
      "Replaces every match of the pattern (default: Data-Juicer's dotted-quad IPv4 and full 8-group IPv6 regex) "
      "with repl.",
      kIpPattern, false)));
  JUICER_RETURN_IF_ERROR(registry.Add(ReplaceContentInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(CleanCopyrightInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(RemoveLongWordsInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(RemoveIncorrectSubstringsInfo()));
  return registry.Add(RemoveRepeatSentencesInfo());
}

namespace text {

OpInfo TextMapperInfo(std::string name, std::string summary, std::string description) {
  OpInfo info;
  info.name = std::move(name);
  info.kind = OpKind::kMapper;
  info.modality = Modality::kText;
  info.summary = std::move(summary);
  info.description = std::move(description);
  return info;
}

}  // namespace text

}  // namespace juicer
