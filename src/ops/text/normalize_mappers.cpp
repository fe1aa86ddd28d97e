#include "ops/text/normalize_mappers.h"
#include "core/utf8.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "ops/dedup/document_deduplicator.h"
#include "ops/text/char_tables.h"
#include "ops/text/clean_mappers.h"

namespace juicer {
namespace {



// A per-code-point rewrite: `fn` appends the replacement of one code point (given its UTF-8 bytes) to out.
class CharMapper final : public Mapper {
 public:
  using Fn = std::function<void(char32_t, std::string_view, std::string*)>;
  CharMapper(const OpInfo& info, const OpParams& params, Fn fn, bool strip)
      : Mapper(info, params), fn_(std::move(fn)), strip_(strip) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string_view src = strip_ ? dedup::PythonStrip(text) : text;
    std::string result;
    result.reserve(src.size());
    const char* p = src.data();
    const char* end = p + src.size();
    while (p < end) {
      const char* start = p;
      const char32_t c = text::DecodeUtf8(p, end);
      fn_(c, std::string_view(start, static_cast<size_t>(p - start)), &result);
    }
    if (result != text) sample.SetString(text_key(), result);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  Fn fn_;
  bool strip_;
};

// ---------------------------------------------------------------------------------------------

bool IsVariousWhitespace(char32_t c) {
  // Data-Juicer's VARIOUS_WHITESPACES.
  switch (c) {
    case 0x20: case 0x09: case 0xa0: case 0x202f: case 0x205f: case 0x3000: case 0x200b: case 0x200c:
    case 0x200d: case 0x2060: case 0xfffc: case 0x84:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200a;
  }
}

OpInfo WhitespaceNormalizationInfo() {
  OpInfo info = text::TextMapperInfo(
      "whitespace_normalization_mapper", "Strip the text and turn every kind of whitespace into a plain space.",
      "As Data-Juicer: the text is stripped (Python str.strip(): leading/trailing characters for which "
      "str.isspace() holds, newlines included), then each character of Data-Juicer's VARIOUS_WHITESPACES (tab, "
      "space, U+00A0, U+2000-U+200A, U+202F, U+205F, U+3000, the zero-width U+200B-U+200D and U+2060, U+FFFC and "
      "U+0084) becomes ' '. Inner newlines are kept.");
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    auto fn = [](char32_t c, std::string_view bytes, std::string* out) {
      if (IsVariousWhitespace(c)) {
        out->push_back(' ');
      } else {
        out->append(bytes);
      }
    };
    return std::unique_ptr<Op>(std::make_unique<CharMapper>(i, p, fn, true));
  };
  return info;
}

const std::unordered_map<char32_t, std::string_view>& PunctuationMap() {
  static const auto* map = new std::unordered_map<char32_t, std::string_view>{
      {U'，', ","},  {U'。', "."},  {U'、', ","},  {U'„', "\""},  {U'”', "\""}, {U'“', "\""},  {U'«', "\""},
      {U'»', "\""}, {U'１', "\""}, {U'」', "\""}, {U'「', "\""}, {U'《', "\""}, {U'》', "\""}, {U'´', "'"},
      {U'∶', ":"},  {U'：', ":"},  {U'？', "?"},  {U'！', "!"},  {U'（', "("}, {U'）', ")"},  {U'；', ";"},
      {U'–', "-"},  {U'—', " - "}, {U'．', ". "}, {U'～', "~"},  {U'’', "'"}, {U'…', "..."}, {U'━', "-"},
      {U'〈', "<"},  {U'〉', ">"},  {U'【', "["},  {U'】', "]"},  {U'％', "%"}, {U'►', "-"},
  };
  return *map;
}

OpInfo PunctuationNormalizationInfo() {
  OpInfo info = text::TextMapperInfo(
      "punctuation_normalization_mapper", "Replace Unicode (mostly CJK) punctuation with ASCII equivalents.",
      "As Data-Juicer, character by character with its table: ，、→ ,  。→ .  „ ” “ « » 「 」 《 》 and the "
      "fullwidth digit １ → \"  ´ ’ → '  ∶ ：→ :  ？→ ?  ！→ !  （ ）→ ( )  ；→ ;  – ━ ► → -  — → ' - '  "
      "．→ '. '  ～→ ~  …→ ...  〈 〉→ < >  【 】→ [ ]  ％→ %.");
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const auto& map = PunctuationMap();
    auto fn = [&map](char32_t c, std::string_view bytes, std::string* out) {
      auto it = c < 0x80 ? map.end() : map.find(c);
      out->append(it == map.end() ? bytes : it->second);
    };
    return std::unique_ptr<Op>(std::make_unique<CharMapper>(i, p, fn, false));
  };
  return info;
}

// ---------------------------------------------------------------------------------------------

bool InRanges(char32_t c, std::u32string_view singles) {
  for (char32_t s : singles)
    if (c == s) return true;
  return false;
}

OpInfo RemoveNonChineseInfo() {
  OpInfo info = text::TextMapperInfo(
      "remove_non_chinese_character_mapper",
      "Remove every character that is not Chinese (optionally keeping ASCII letters, digits, punctuation).",
      "As Data-Juicer: characters in U+4E00-U+9FA5 are kept, plus A-Za-z when keep_alphabet, 0-9 when "
      "keep_number, and when keep_punc the characters . ， space , - 。 % 《 * 》 / • 、 & ＆ ( — ) （ + ） ： ？ "
      "! ！ “ ” ·; every other character (newlines included) is removed.");
  info.params = {
      ParamSpec{.name = "keep_alphabet", .type = ParamType::kBool, .default_value = true,
                .doc = "keep ASCII letters"},
      ParamSpec{.name = "keep_number", .type = ParamType::kBool, .default_value = true, .doc = "keep ASCII digits"},
      ParamSpec{.name = "keep_punc", .type = ParamType::kBool, .default_value = true,
                .doc = "keep common Chinese and ASCII punctuation"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const bool alpha = p.GetBool("keep_alphabet"), num = p.GetBool("keep_number"), punc = p.GetBool("keep_punc");
    auto fn = [alpha, num, punc](char32_t c, std::string_view bytes, std::string* out) {
      static constexpr std::u32string_view kPunc = U".， ,-。%《*》/•、&＆(—)（+）：？!！“”·";
      const bool keep = (c >= 0x4e00 && c <= 0x9fa5) ||
                        (alpha && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) ||
                        (num && c >= '0' && c <= '9') || (punc && InRanges(c, kPunc));
      if (keep) out->append(bytes);
    };
    return std::unique_ptr<Op>(std::make_unique<CharMapper>(i, p, fn, false));
  };
  return info;
}

// ---------------------------------------------------------------------------------------------

class RegexRemoveMapper final : public Mapper {
 public:
  RegexRemoveMapper(const OpInfo& info, const OpParams& params, std::unique_ptr<text::PySub> sub)
      : Mapper(info, params), sub_(std::move(sub)) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    if (sub_) {
      JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
      std::string result;
      if (sub_->Apply(text, &result)) sample.SetString(text_key(), result);
    }
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  std::unique_ptr<text::PySub> sub_;
};

// Python's "|".join(x): over the characters of a str, over the items of a list.
Result<std::string> JoinChars(const ParamValue& v) {
  std::string joined;
  if (const auto* s = std::get_if<std::string>(&v)) {
    const char* p = s->data();
    const char* end = p + s->size();
    while (p < end) {
      if (!joined.empty()) joined.push_back('|');
      AppendUtf8(text::DecodeUtf8(p, end), &joined);
    }
  } else if (const auto* l = std::get_if<std::vector<std::string>>(&v)) {
    for (size_t k = 0; k < l->size(); ++k) {
      if (k > 0) joined.push_back('|');
      joined += (*l)[k];
    }
  } else if (!std::holds_alternative<std::monostate>(v)) {
    return Status::InvalidArgument(
        "param 'chars_to_remove' of remove_specific_chars_mapper: expected a string or a list of strings, got " +
        ParamValueToString(v));
  }
  return joined;
}

OpInfo RemoveSpecificCharsInfo() {
  OpInfo info = text::TextMapperInfo(
      "remove_specific_chars_mapper", "Remove the given characters from the text.",
      "As Data-Juicer: the regex \"[\" + \"|\".join(chars_to_remove) + \"]\" is built and its matches are removed, "
      "so every character of the string (or of the list's strings) is removed, and so is '|' when more than one "
      "character or item is given. Characters special inside a regex class (\\\\, ], ^, -) keep their regex "
      "meaning as in Data-Juicer. An empty string, empty list or null leaves the text unchanged.");
  info.params = {
      ParamSpec{.name = "chars_to_remove", .type = ParamType::kAny,
                .default_value = std::string("◆●■►▼▲▴∆▻▷❖♡□"),
                .doc = "a string or a list of strings with the characters to remove", .nullable = true},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    JUICER_ASSIGN_OR_RETURN(std::string joined, JoinChars(p.Get("chars_to_remove")));
    std::unique_ptr<text::PySub> sub;
    if (!joined.empty()) {
      JUICER_ASSIGN_OR_RETURN(sub, text::PySub::Make("[" + joined + "]", ""));
    }
    return std::unique_ptr<Op>(std::make_unique<RegexRemoveMapper>(i, p, std::move(sub)));
  };
  return info;
}

}  // namespace

Status RegisterNormalizeMappers(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(WhitespaceNormalizationInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(PunctuationNormalizationInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(RemoveNonChineseInfo()));
  return registry.Add(RemoveSpecificCharsInfo());
}

}  // namespace juicer
