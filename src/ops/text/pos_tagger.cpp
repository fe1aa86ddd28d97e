#include "ops/text/pos_tagger.h"

#include <cctype>
#include <initializer_list>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

#include "ops/text/char_tables.h"
#include "ops/text/words.h"

namespace juicer::text {

namespace {

// ---- Reading the JavaScript object literal --------------------------------------------------

class JsReader {
 public:
  JsReader(std::string_view s, const std::string& where) : s_(s), where_(where) {}

  Status Error(const std::string& what) const {
    size_t line = 1;
    for (size_t i = 0; i < p_ && i < s_.size(); ++i) line += s_[i] == '\n' ? 1 : 0;
    return Status::DataError(where_ + ":" + std::to_string(line) + ": " + what);
  }

  // Skips whitespace and // or /* */ comments.
  void SkipSpace() {
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++p_;
      } else if (s_.compare(p_, 2, "//") == 0) {
        const size_t e = s_.find('\n', p_);
        p_ = e == std::string_view::npos ? s_.size() : e;
      } else if (s_.compare(p_, 2, "/*") == 0) {
        const size_t e = s_.find("*/", p_ + 2);
        p_ = e == std::string_view::npos ? s_.size() : e + 2;
      } else {
        return;
      }
    }
  }

  bool Peek(char c) {
    SkipSpace();
    return p_ < s_.size() && s_[p_] == c;
  }
  bool Eat(char c) {
    if (!Peek(c)) return false;
    ++p_;
    return true;
  }

  // Moves to just after the '{' that opens `module.exports = {` (or the first '{').
  Status OpenObject() {
    size_t at = s_.find("module.exports");
    at = s_.find('{', at == std::string_view::npos ? 0 : at);
    if (at == std::string_view::npos) return Error("no object literal found");
    p_ = at + 1;
    return Status::OK();
  }

  // A JS string literal ("..." or '...') or a bare identifier key.
  Result<std::string> String() {
    SkipSpace();
    if (p_ >= s_.size()) return Error("unexpected end of file");
    const char q = s_[p_];
    if (q != '"' && q != '\'') {
      const size_t b = p_;
      while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_' || s_[p_] == '$'))
        ++p_;
      if (p_ == b) return Error(std::string("expected a string, found '") + q + "'");
      return std::string(s_.substr(b, p_ - b));
    }
    ++p_;
    std::string out;
    while (p_ < s_.size() && s_[p_] != q) {
      char c = s_[p_++];
      if (c == '\n') return Error("unterminated string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (p_ >= s_.size()) break;
      c = s_[p_++];
      switch (c) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case '0': out += '\0'; break;
        case 'x':
        case 'u': {
          const size_t digits = c == 'x' ? 2 : 4;
          if (p_ + digits > s_.size()) return Error("bad escape");
          uint32_t cp = 0;
          for (size_t i = 0; i < digits; ++i) {
            const char h = s_[p_++];
            const int v = std::isdigit(static_cast<unsigned char>(h)) ? h - '0'
                          : (h >= 'a' && h <= 'f')                    ? h - 'a' + 10
                          : (h >= 'A' && h <= 'F')                    ? h - 'A' + 10
                                                                      : -1;
            if (v < 0) return Error("bad escape");
            cp = cp * 16 + static_cast<uint32_t>(v);
          }
          AppendUtf8(cp, out);
          break;
        }
        default: out += c;  // \" \' \\ \/ and JS's identity escapes (\*)
      }
    }
    if (p_ >= s_.size()) return Error("unterminated string");
    ++p_;
    return out;
  }

 private:
  static void AppendUtf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string_view s_;
  const std::string& where_;
  size_t p_ = 0;
};

}  // namespace

uint16_t PosLexicon::TagId(std::string_view tag) {
  if (auto it = tag_ids_.find(tag); it != tag_ids_.end()) return it->second;
  const auto id = static_cast<uint16_t>(tags_.size());
  tags_.emplace_back(tag);
  tag_ids_.emplace(std::string(tag), id);
  return id;
}

uint16_t PosLexicon::FindTag(std::string_view tag) const {
  auto it = tag_ids_.find(tag);
  return it == tag_ids_.end() ? UINT16_MAX : it->second;
}

const std::vector<uint16_t>* PosLexicon::Find(std::string_view word) const {
  auto it = words_.find(word);
  return it == words_.end() ? nullptr : &it->second;
}

Result<std::shared_ptr<const PosLexicon>> PosLexicon::Parse(std::string_view js, const std::string& where) {
  auto lex = std::make_shared<PosLexicon>();
  JsReader r(js, where);
  JUICER_RETURN_IF_ERROR(r.OpenObject());
  while (!r.Eat('}')) {
    JUICER_ASSIGN_OR_RETURN(std::string word, r.String());
    if (!r.Eat(':')) return r.Error("expected ':' after \"" + word + "\"");
    if (!r.Eat('[')) return r.Error("expected '[' for \"" + word + "\"");
    std::vector<uint16_t> tags;
    while (!r.Eat(']')) {
      JUICER_ASSIGN_OR_RETURN(std::string tag, r.String());
      if (lex->tags_.size() >= UINT16_MAX - 1) return r.Error("too many distinct tags");
      tags.push_back(lex->TagId(tag));
      if (!r.Eat(',') && !r.Peek(']')) return r.Error("expected ',' or ']' in the tags of \"" + word + "\"");
    }
    lex->words_.insert_or_assign(std::move(word), std::move(tags));  // a repeated key: the last wins, as in JS
    if (!r.Eat(',') && !r.Peek('}')) return r.Error("expected ',' or '}'");
  }
  if (lex->words_.empty()) return r.Error("the lexicon is empty");
  return std::shared_ptr<const PosLexicon>(std::move(lex));
}

Result<std::shared_ptr<const PosLexicon>> PosLexicon::Load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot open the POS lexicon " + path);
  const std::string js((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return Status::IOError("cannot read " + path);
  return Parse(js, path);
}

// ---- Tokenizing -------------------------------------------------------------------------------

namespace {

inline bool IsPunct(char32_t c) {
  const uint8_t f = CharFlags(c);
  return (f & kSpecial) != 0 && (f & kAlnum) == 0 && (f & kPySpace) == 0;
}

std::string Lower(std::string_view s) {
  std::string out;
  AppendLowerCase(s, out);
  return out;
}

constexpr std::string_view kCurlyApostrophe = "\xE2\x80\x99";  // U+2019

// Splits an English clitic off `w` ("don't" -> "do" "n't", "it's" -> "it" "'s"); the clitic is
// written with a straight apostrophe.
void SplitClitic(std::string_view w, std::vector<std::string>& out) {
  std::string norm(w);
  for (size_t at; (at = norm.find(kCurlyApostrophe)) != std::string::npos;) norm.replace(at, 3, "'");
  const std::string low = Lower(norm);
  if (low.size() > 3 && low.ends_with("n't")) {
    out.push_back(norm.substr(0, norm.size() - 3));
    out.push_back(norm.substr(norm.size() - 3));
    return;
  }
  const size_t ap = norm.rfind('\'');
  if (ap != std::string::npos && ap > 0) {
    const std::string_view suffix = std::string_view(low).substr(ap + 1);
    for (std::string_view c : {"s", "re", "ve", "ll", "d", "m"}) {
      if (suffix == c) {
        out.push_back(norm.substr(0, ap));
        out.push_back(norm.substr(ap));
        return;
      }
    }
  }
  out.push_back(std::move(norm));
}

}  // namespace

namespace {

inline bool IsSpaceChar(char32_t c) { return (CharFlags(c) & (kPySpace | kWhiteSpace)) != 0; }

}  // namespace

void PosTagger::SplitChunk(std::string_view chunk, std::vector<std::string>& out) const {
  // Leading punctuation, one character at a time.
  while (!chunk.empty()) {
    const char* q = chunk.data();
    if (!IsPunct(DecodeUtf8(q, chunk.data() + chunk.size()))) break;
    // A sign or decimal point starting a number stays with it ("-3", ".5").
    if ((chunk[0] == '-' || chunk[0] == '+' || chunk[0] == '.') && chunk.size() > 1 && chunk[1] >= '0' &&
        chunk[1] <= '9')
      break;
    const size_t n = static_cast<size_t>(q - chunk.data());
    out.emplace_back(chunk.substr(0, n));
    chunk.remove_prefix(n);
  }
  // Trailing punctuation, kept aside in reverse order.
  std::vector<std::string_view> trailing;
  while (!chunk.empty()) {
    if (chunk.back() == '.' && (lexicon_->Find(chunk) != nullptr || lexicon_->Find(Lower(chunk)) != nullptr)) break;
    const char* q = chunk.data() + chunk.size();
    if (!IsPunct(DecodeUtf8Backward(q, chunk.data()))) break;
    const size_t at = static_cast<size_t>(q - chunk.data());
    trailing.push_back(chunk.substr(at));
    chunk.remove_suffix(chunk.size() - at);
  }
  if (!chunk.empty()) SplitClitic(chunk, out);
  for (auto it = trailing.rbegin(); it != trailing.rend(); ++it) out.emplace_back(*it);
}

std::vector<std::string> PosTagger::Tokenize(std::string_view text) const {
  std::vector<std::string> out;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const char* q = p;
    if (IsSpaceChar(DecodeUtf8(q, end))) {
      p = q;
      continue;
    }
    const char* const b = p;
    while (p < end) {
      q = p;
      if (IsSpaceChar(DecodeUtf8(q, end))) break;
      p = q;
    }
    SplitChunk(std::string_view(b, static_cast<size_t>(p - b)), out);
  }
  return out;
}

// ---- Tagging ----------------------------------------------------------------------------------
//
// Initial tag: the lexicon's first tag of the word, else of its lower-case form, else NN (jsPOS).
// The clitics split off by Tokenize, missing from the lexicon, get fixed tags: n't RB, 're/'m VBP,
// 've VBP, 'll/'d MD, 's VBZ after a pronoun (it's, he's, that's...) and POS otherwise.
//
// Then, word by word from the left (so a rule sees the final tags of the words before it), jsPOS's
// transformation rules, re-stated:
//   1. after a word tagged DT, VBD / VBP / VB become NN;
//   2. a tag starting with N becomes URL when the word has a '.' and two ASCII letters in a row, CD
//      when it has a '.' otherwise, and CD when the word starts like a number (JavaScript parseFloat
//      of it is not NaN: optional sign, then a digit, '.' and a digit, or "Infinity");
//   3. a tag starting with N becomes VBN when the word ends in "ed";
//   4. any tag becomes RB when the word ends in "ly";
//   5. a tag starting with NN becomes JJ when the word ends in "al";
//   6. a tag starting with NN becomes VB when the previous word is "would";
//   7. NN becomes NNS when the word ends in "s";
//   8. a tag starting with NN becomes VBG when the word ends in "ing".
// Differences from jsPOS: the suffix rules 3, 4, 5, 7 and 8 are guesses for unknown words and apply
// only to words missing from the lexicon (jsPOS also turns known words into VBN "bed", RB "apply",
// VBG "morning"); the suffix test is a real ends-with (jsPOS's only matches when the suffix does not
// occur earlier in the word); a lexicon entry without tags counts as missing (jsPOS crashes).
// Our contextual rules, applied after those:
//   9. after TO, MD or a form of "do" (with "not" / "n't" between them allowed), a word whose lexicon
//      tags include VB becomes VB ("to cup", "can fly", "doesn't like");
//  10. after a subject pronoun (i, you, we, they; he, she, it), a non-verb word whose lexicon tags
//      include a finite verb tag takes the first of them (VBP or VBD; VBZ or VBD after he/she/it):
//      "I need", "you fly".

namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view x) { return s.size() >= x.size() && s.ends_with(x); }

bool IsVerbTag(std::string_view t) {
  return t == "VB" || t == "VBP" || t == "VBZ" || t == "VBD" || t == "VBG" || t == "VBN";
}

// JavaScript's !isNaN(parseFloat(w)).
bool ParsesAsFloat(std::string_view w) {
  size_t i = 0;
  while (i < w.size() && (w[i] == ' ' || w[i] == '\t' || w[i] == '\n' || w[i] == '\r')) ++i;
  if (i < w.size() && (w[i] == '+' || w[i] == '-')) ++i;
  if (w.substr(i, 8) == "Infinity") return true;
  auto digit = [&](size_t k) { return k < w.size() && w[k] >= '0' && w[k] <= '9'; };
  return digit(i) || (i < w.size() && w[i] == '.' && digit(i + 1));
}

bool HasTwoAsciiLetters(std::string_view w) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  for (size_t i = 1; i < w.size(); ++i)
    if (letter(w[i - 1]) && letter(w[i])) return true;
  return false;
}

bool OneOf(std::string_view w, std::initializer_list<std::string_view> set) {
  for (std::string_view s : set)
    if (w == s) return true;
  return false;
}

}  // namespace

std::vector<TaggedWord> PosTagger::Tag(const std::vector<std::string>& words) const {
  std::vector<TaggedWord> out(words.size());
  std::vector<const std::vector<uint16_t>*> lex(words.size(), nullptr);
  for (size_t i = 0; i < words.size(); ++i) {
    out[i].word = words[i];
    out[i].lower = Lower(words[i]);
    const std::string& low = out[i].lower;
    const std::vector<uint16_t>* tags = lexicon_->Find(words[i]);
    if (tags == nullptr || tags->empty()) tags = lexicon_->Find(low);
    if (tags != nullptr && tags->empty()) tags = nullptr;
    lex[i] = tags;
    if (tags != nullptr) {
      out[i].tag = lexicon_->TagName(tags->front());
    } else if (low == "n't") {
      out[i].tag = "RB";
    } else if (low == "'re" || low == "'m" || low == "'ve") {
      out[i].tag = "VBP";
    } else if (low == "'ll" || low == "'d") {
      out[i].tag = "MD";
    } else if (low == "'s") {
      const bool after_pronoun =
          i > 0 && OneOf(out[i - 1].lower, {"it", "he", "she", "that", "there", "what", "who", "here", "where",
                                               "this", "how", "let"});
      out[i].tag = after_pronoun ? "VBZ" : "POS";
    } else {
      out[i].tag = "NN";
    }
  }
  ApplyRules(out, lex);
  MarkAuxiliaries(out);
  return out;
}

void PosTagger::ApplyRules(std::vector<TaggedWord>& ws, const std::vector<const std::vector<uint16_t>*>& lex) const {
  auto has_tag = [&](size_t i, std::string_view tag) {
    if (lex[i] == nullptr) return false;
    for (uint16_t id : *lex[i])
      if (lexicon_->TagName(id) == tag) return true;
    return false;
  };
  for (size_t i = 0; i < ws.size(); ++i) {
    std::string& t = ws[i].tag;
    const std::string& w = ws[i].word;
    const bool known = lex[i] != nullptr;
    if (i > 0 && ws[i - 1].tag == "DT" && (t == "VBD" || t == "VBP" || t == "VB")) t = "NN";  // 1
    if (StartsWith(t, "N")) {                                                                // 2
      if (w.find('.') != std::string::npos) t = HasTwoAsciiLetters(w) ? "URL" : "CD";
      if (ParsesAsFloat(w)) t = "CD";
    }
    if (!known && StartsWith(t, "N") && EndsWith(w, "ed")) t = "VBN";                  // 3
    if (!known && EndsWith(w, "ly")) t = "RB";                                         // 4
    if (!known && StartsWith(t, "NN") && EndsWith(w, "al")) t = "JJ";                  // 5
    if (i > 0 && StartsWith(t, "NN") && ws[i - 1].lower == "would") t = "VB";    // 6
    if (!known && t == "NN" && EndsWith(w, "s")) t = "NNS";                            // 7
    if (!known && StartsWith(t, "NN") && EndsWith(w, "ing")) t = "VBG";                // 8
    if (!IsVerbTag(t) && has_tag(i, "VB")) {  // 9
      size_t j = i;
      while (j > 0 && OneOf(ws[j - 1].lower, {"not", "n't"})) --j;
      if (j > 0 && (ws[j - 1].tag == "TO" || ws[j - 1].tag == "MD" || OneOf(ws[j - 1].lower, {"do", "does", "did"})))
        t = "VB";
    }
    if (i > 0 && !IsVerbTag(t) && t != "MD" && lex[i] != nullptr) {  // 10
      const std::string& prev = ws[i - 1].lower;
      const bool plural = OneOf(prev, {"i", "you", "we", "they"});
      const bool third = OneOf(prev, {"he", "she", "it"});
      if (plural || third) {
        for (uint16_t id : *lex[i]) {
          const std::string& cand = lexicon_->TagName(id);
          if (cand == "VBD" || cand == (plural ? "VBP" : "VBZ")) {
            t = cand;
            break;
          }
        }
      }
    }
  }
}

// Auxiliaries (spaCy's AUX, which Data-Juicer does not count): every verb-tagged form of "be"; a
// form of "have" followed by a participle (VBN or VBD); a form of "do" followed by a base verb (VB or
// VBP). "Followed" skips adverbs (RB*), "not"/"n't" and personal pronouns (questions: "do you know").
void PosTagger::MarkAuxiliaries(std::vector<TaggedWord>& ws) const {
  auto next_verb_tag = [&](size_t i) -> std::string_view {
    for (size_t j = i + 1; j < ws.size(); ++j) {
      const std::string& t = ws[j].tag;
      if (StartsWith(t, "RB") || t == "PRP" || OneOf(ws[j].lower, {"not", "n't"})) continue;
      return t;
    }
    return "";
  };
  for (size_t i = 0; i < ws.size(); ++i) {
    if (!IsVerbTag(ws[i].tag)) continue;
    const std::string& w = ws[i].lower;
    if (OneOf(w, {"be", "am", "is", "are", "was", "were", "been", "being", "'re", "'m", "'s"})) {
      ws[i].aux = true;
    } else if (OneOf(w, {"have", "has", "had", "having", "'ve"})) {
      const std::string_view n = next_verb_tag(i);
      ws[i].aux = n == "VBN" || n == "VBD";
    } else if (OneOf(w, {"do", "does", "did"})) {
      const std::string_view n = next_verb_tag(i);
      ws[i].aux = n == "VB" || n == "VBP";
    }
  }
}

int64_t PosTagger::CountActions(std::string_view text) const {
  int64_t n = 0;
  for (const TaggedWord& w : Tag(Tokenize(text))) n += (IsVerbTag(w.tag) && !w.aux) ? 1 : 0;
  return n;
}

Result<std::shared_ptr<const PosLexicon>> PosLexicon::Shared(const std::string& path) {
  static std::mutex mu;
  static auto* cache = new std::map<std::string, std::shared_ptr<const PosLexicon>>();
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache->find(path); it != cache->end()) return it->second;
  JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const PosLexicon> lex, Load(path));
  cache->emplace(path, lex);
  return lex;
}

}  // namespace juicer::text
