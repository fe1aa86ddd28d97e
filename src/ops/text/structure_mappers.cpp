#include "ops/text/structure_mappers.h"

#include <gumbo.h>
#include <re2/re2.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ops/dedup/document_deduplicator.h"
#include "ops/text/char_tables.h"
#include "ops/text/clean_mappers.h"

namespace juicer {

namespace text {

namespace {

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t hit = s->find(from, pos);
    if (hit == std::string::npos) break;
    out.append(*s, pos, hit - pos);
    out.append(to);
    pos = hit + from.size();
  }
  if (pos == 0) return;
  out.append(*s, pos, std::string::npos);
  *s = std::move(out);
}

void AppendNodeText(const GumboNode* node, std::string* out) {
  switch (node->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
    case GUMBO_NODE_CDATA: out->append(node->v.text.text); return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE: {
      const GumboVector& kids = node->v.element.children;
      for (unsigned i = 0; i < kids.length; ++i) AppendNodeText(static_cast<const GumboNode*>(kids.data[i]), out);
      return;
    }
    default: return;  // comments, the document node
  }
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  std::string src(html);
  ReplaceAll(&src, "<li>", "\n*");
  ReplaceAll(&src, "</li>", "");
  ReplaceAll(&src, "<ol>", "\n*");
  ReplaceAll(&src, "</ol>", "");
  GumboOutput* doc = gumbo_parse_with_options(&kGumboDefaultOptions, src.data(), src.size());
  std::string out;
  const GumboNode* root = doc->root;
  if (root != nullptr && root->type == GUMBO_NODE_ELEMENT) {
    const GumboVector& kids = root->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
      if (kid->type == GUMBO_NODE_ELEMENT && kid->v.element.tag == GUMBO_TAG_BODY) AppendNodeText(kid, &out);
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, doc);
  return out;
}

namespace {

// Whether a sentence may end after `seg` (ICU's boundary also falls after a bare line break): its
// last non-space character, after closing quotes and brackets, must be a Sentence_Terminal.
bool EndsSentence(const icu::UnicodeString& seg) {
  int32_t i = seg.length();
  while (i > 0) {
    const UChar32 c = seg.char32At(i - 1);
    const int32_t w = U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      i -= w;
      continue;
    }
    const int8_t type = static_cast<int8_t>(u_charType(c));
    if (type == U_END_PUNCTUATION || type == U_FINAL_PUNCTUATION || type == U_INITIAL_PUNCTUATION || c == '"' ||
        c == '\'') {
      i -= w;
      continue;
    }
    return u_hasBinaryProperty(c, UCHAR_S_TERM);
  }
  return false;
}

std::string TrimUnicodeSpace(const icu::UnicodeString& s) {
  int32_t b = 0, e = s.length();
  while (b < e && u_isUWhiteSpace(s.char32At(b))) b += U16_LENGTH(s.char32At(b));
  while (e > b && u_isUWhiteSpace(s.char32At(e - 1))) e -= U16_LENGTH(s.char32At(e - 1));
  std::string out;
  s.tempSubStringBetween(b, e).toUTF8String(out);
  return out;
}

}  // namespace

std::vector<std::string> SplitSentences(std::string_view text, const std::string& lang) {
  // One iterator per thread and language: BreakIterator is not thread-safe, creating one is slow.
  thread_local std::map<std::string, std::unique_ptr<icu::BreakIterator>> cache;
  auto& it = cache[lang];
  if (!it) {
    UErrorCode status = U_ZERO_ERROR;
    it.reset(icu::BreakIterator::createSentenceInstance(icu::Locale((lang + "@ss=standard").c_str()), status));
    if (U_FAILURE(status)) it.reset();
  }
  std::vector<std::string> out;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (!it) {
    out.emplace_back(text);
    return out;
  }
  it->setText(u);
  int32_t start = 0;
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; end = it->next()) {
    const icu::UnicodeString seg = u.tempSubStringBetween(start, end);
    if (end < u.length() && !EndsSentence(seg)) continue;  // e.g. a line break inside a sentence
    std::string sentence = TrimUnicodeSpace(seg);
    if (!sentence.empty()) out.push_back(std::move(sentence));
    start = end;
  }
  return out;
}

}  // namespace text

namespace {

class HtmlMapper final : public Mapper {
 public:
  using Mapper::Mapper;
  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext&) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view t, sample.GetText(text_key()));
    const std::string cleaned = text::HtmlToText(t);
    if (cleaned != t) sample.SetString(text_key(), cleaned);
    out->push_back(std::move(sample));
    return Status::OK();
  }
};

class SentenceSplitMapper final : public Mapper {
 public:
  SentenceSplitMapper(const OpInfo& info, const OpParams& params)
      : Mapper(info, params), lang_(params.GetString("lang")) {}
  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext&) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view t, sample.GetText(text_key()));
    std::string joined;
    for (const std::string& s : text::SplitSentences(t, lang_)) {
      if (!joined.empty()) joined += '\n';
      joined += s;
    }
    if (joined != t) sample.SetString(text_key(), joined);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  std::string lang_;
};

class TextChunkMapper final : public Mapper {
 public:
  TextChunkMapper(const OpInfo& info, const OpParams& params, std::unique_ptr<RE2> pattern)
      : Mapper(info, params),
        max_len_(params.GetOptInt("max_len")),
        overlap_(params.GetInt("overlap_len")),
        pattern_(std::move(pattern)) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext&) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view t, sample.GetText(text_key()));
    std::vector<std::string> chunks;
    if (!max_len_) {
      SplitOnPattern(t, &chunks);
    } else if (!pattern_) {
      FixedWindows(t, &chunks);
    } else {
      Recursive(t, &chunks);
    }
    if (chunks.size() == 1 && chunks[0] == t) {
      out->push_back(std::move(sample));
      return Status::OK();
    }
    for (size_t i = 0; i < chunks.size(); ++i) {
      Sample copy = i + 1 == chunks.size() ? std::move(sample) : sample;
      copy.SetString(text_key(), chunks[i]);
      out->push_back(std::move(copy));
    }
    return Status::OK();
  }

 private:
  // Python's re.split(f"({p})", t) with the pieces that are blank after str.strip() dropped.
  void SplitOnPattern(std::string_view t, std::vector<std::string>* chunks) const {
    const int ngroups = pattern_->NumberOfCapturingGroups();
    std::vector<re2::StringPiece> groups(static_cast<size_t>(ngroups) + 1);
    std::vector<std::string_view> pieces;
    size_t pos = 0, last = 0;
    while (pos <= t.size() &&
           pattern_->Match(t, pos, t.size(), RE2::UNANCHORED, groups.data(), static_cast<int>(groups.size()))) {
      const size_t ms = static_cast<size_t>(groups[0].data() - t.data());
      const size_t me = ms + groups[0].size();
      pieces.push_back(t.substr(last, ms - last));
      pieces.push_back(t.substr(ms, me - ms));  // the whole separator (the added capture group)
      for (int g = 1; g <= ngroups; ++g)
        if (groups[g].data() != nullptr) pieces.emplace_back(groups[g].data(), groups[g].size());
      last = me;
      pos = me > ms ? me : NextCodePoint(t, me);
    }
    pieces.push_back(t.substr(last));
    for (std::string_view p : pieces)
      if (!dedup::PythonStrip(p).empty()) chunks->emplace_back(p);
  }

  static size_t NextCodePoint(std::string_view t, size_t pos) {
    if (pos >= t.size()) return t.size() + 1;
    const char* p = t.data() + pos;
    text::DecodeUtf8(p, t.data() + t.size());
    return static_cast<size_t>(p - t.data());
  }

  // Windows of max_len code points starting every max_len - overlap_len code points.
  void FixedWindows(std::string_view t, std::vector<std::string>* chunks) const {
    const std::vector<size_t> off = text::CodePointOffsets(t);
    const size_t n = off.size() - 1, len = static_cast<size_t>(*max_len_);
    if (n <= len) {
      chunks->emplace_back(t);
      return;
    }
    const size_t step = len - static_cast<size_t>(overlap_);
    for (size_t start = 0; start < n; start += step) {
      const size_t end = std::min(n, start + len);
      chunks->emplace_back(t.substr(off[start], off[end] - off[start]));
    }
  }

  // DJ's recursively_chunk, as a loop: cut at the last match of split_pattern inside the first
  // max_len code points; with no match, cut at max_len and go on max_len - overlap_len further.
  void Recursive(std::string_view t, std::vector<std::string>* chunks) const {
    const size_t len = static_cast<size_t>(*max_len_);
    std::string_view rest = t;
    for (;;) {
      const std::vector<size_t> off = text::CodePointOffsets(rest);
      const size_t n = off.size() - 1;
      if (n <= len) {
        chunks->emplace_back(rest);
        return;
      }
      const std::string_view head = rest.substr(0, off[len]);
      re2::StringPiece m;
      size_t pos = 0;
      bool found = false;
      size_t last_start = 0, last_end = 0;
      while (pos <= head.size() && pattern_->Match(head, pos, head.size(), RE2::UNANCHORED, &m, 1)) {
        last_start = static_cast<size_t>(m.data() - head.data());
        last_end = last_start + m.size();
        found = true;
        pos = last_end > last_start ? last_end : NextCodePoint(head, last_end);
      }
      if (found && last_end > 0) {
        chunks->emplace_back(head.substr(0, last_start));
        rest = rest.substr(last_end);
      } else {  // no separator (or only an empty match at the start, where DJ would never finish)
        chunks->emplace_back(head);
        rest = rest.substr(off[len - static_cast<size_t>(overlap_)]);
      }
    }
  }

  std::optional<int64_t> max_len_;
  int64_t overlap_;
  std::unique_ptr<RE2> pattern_;
};

OpInfo CleanHtmlInfo() {
  OpInfo info = text::TextMapperInfo(
      "clean_html_mapper", "Replace HTML with its text content.",
      "As Data-Juicer: the literal tags <li> and <ol> become \"\\n*\" and </li>, </ol> are removed; the "
      "result is parsed as an HTML5 document and replaced by the concatenated text of the <body> element's "
      "descendants (character references decoded, comments dropped, no separator between elements). "
      "Data-Juicer parses with selectolax (Modest); juicer with Google's gumbo (Debian libgumbo), another "
      "spec-conforming HTML5 parser, so tree construction follows the same WHATWG rules: whitespace before "
      "the first content is dropped, stray end tags are ignored, '<' not followed by a letter is text, "
      "unknown elements keep their text. Text without markup is returned unchanged apart from that "
      "leading whitespace.");
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<HtmlMapper>(i, p));
  };
  return info;
}

OpInfo SentenceSplitInfo() {
  OpInfo info = text::TextMapperInfo(
      "sentence_split_mapper", "Put each sentence of the text on its own line.",
      "The text's sentences joined with \"\\n\", the whitespace between sentences dropped (as Data-Juicer). "
      "Data-Juicer splits with NLTK's pretrained punkt model for lang (en, fr, pt, es); no punkt model is "
      "obtainable here, so juicer uses ICU's sentence break iterator for the language with ICU's "
      "abbreviation suppressions (locale \"<lang>@ss=standard\": \"Mr.\", \"U.S.\" and similar do not end "
      "a sentence) and, like punkt, does not split at a line break unless the text before it ends with "
      "sentence-final punctuation. Results can differ from punkt on rare abbreviations and initials.");
  info.params = {ParamSpec{.name = "lang",
                           .type = ParamType::kString,
                           .default_value = std::string("en"),
                           .doc = "language of the text: en, fr, pt or es (Data-Juicer's choices)",
                           .choices = {"en", "fr", "pt", "es"}}};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<SentenceSplitMapper>(i, p));
  };
  return info;
}

OpInfo TextChunkInfo() {
  OpInfo info = text::TextMapperInfo(
      "text_chunk_mapper", "Split each text into chunks (one output sample per chunk).",
      "Data-Juicer's three modes, lengths in code points: split_pattern only: Python's "
      "re.split(f\"({split_pattern})\", text) (separators are pieces too) keeping the pieces that are not "
      "blank (so a text with no non-blank piece yields no sample, as in Data-Juicer); max_len only: windows "
      "of max_len code points starting every max_len - overlap_len; both: while the rest is longer than "
      "max_len, cut its first max_len code points at the last match of split_pattern (the separator is "
      "dropped) or, with no match, take all max_len and continue max_len - overlap_len further on. Every "
      "other field is copied into each chunk's sample. split_pattern is a Python regex (translated to RE2). "
      "Data-Juicer's tokenizer param (count HF/tiktoken/DashScope tokens instead of characters) needs "
      "models that are not obtainable here: a non-null tokenizer is refused when the op is built.");
  info.params = {
      ParamSpec{.name = "max_len",
                .type = ParamType::kInt,
                .default_value = std::monostate{},
                .doc = "chunk length in code points; null: split on split_pattern only",
                .nullable = true},
      ParamSpec{.name = "split_pattern",
                .type = ParamType::kString,
                .default_value = std::string("\\n\\n"),
                .doc = "Python regex to cut at; null: fixed windows of max_len",
                .nullable = true},
      ParamSpec{.name = "overlap_len",
                .type = ParamType::kInt,
                .default_value = int64_t{0},
                .doc = "code points shared by consecutive chunks cut without a separator"},
      ParamSpec{.name = "tokenizer",
                .type = ParamType::kString,
                .default_value = std::monostate{},
                .doc = "Data-Juicer: tokenizer to measure lengths with; only null is supported",
                .nullable = true},
      ParamSpec{.name = "trust_remote_code",
                .type = ParamType::kBool,
                .default_value = false,
                .doc = "Data-Juicer: passed to the HF tokenizer; unused"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const std::optional<int64_t> max_len = p.GetOptInt("max_len");
    const bool has_pattern = !p.IsNull("split_pattern");
    if (!max_len && !has_pattern)
      return Status::InvalidArgument("max_len and split_pattern cannot both be null");
    if (max_len && *max_len <= 0) return Status::InvalidArgument("max_len must be positive");
    if (p.GetInt("overlap_len") < 0) return Status::InvalidArgument("overlap_len must be >= 0");
    if (max_len && p.GetInt("overlap_len") >= *max_len)
      return Status::InvalidArgument("overlap_len must be less than max_len");
    if (!p.IsNull("tokenizer"))
      return Status::InvalidArgument("tokenizer '" + p.GetString("tokenizer") +
                                     "' is not available in juicer (Hugging Face, tiktoken and DashScope "
                                     "tokenizers cannot be loaded here); leave it null to count characters");
    std::unique_ptr<RE2> re;
    if (has_pattern) {
      JUICER_ASSIGN_OR_RETURN(std::string pat, text::PythonPatternToRe2(p.GetString("split_pattern")));
      RE2::Options opt;
      opt.set_log_errors(false);
      re = std::make_unique<RE2>(pat, opt);
      if (!re->ok())
        return Status::InvalidArgument("bad split_pattern '" + p.GetString("split_pattern") +
                                       "': " + re->error());
    }
    return std::unique_ptr<Op>(std::make_unique<TextChunkMapper>(i, p, std::move(re)));
  };
  return info;
}

}  // namespace

Status RegisterStructureMappers(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(CleanHtmlInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(SentenceSplitInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(TextChunkInfo()));
  return Status::OK();
}

}  // namespace juicer
