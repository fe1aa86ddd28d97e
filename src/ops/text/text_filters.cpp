#include "ops/text/text_filters.h"

#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "ops/text/text_stats.h"

namespace juicer {

namespace {

constexpr double kSysMaxsize = static_cast<double>(std::numeric_limits<int64_t>::max());

using StatFn = StatValue (*)(std::string_view);

// A filter on one text statistic: compute it once into the sample's stats, then keep samples
// whose value lies in [min, max] (DJ's get_keep_boolean via KeepRange).
class TextStatFilter final : public Filter {
 public:
  TextStatFilter(const OpInfo& info, const OpParams& params, std::string stat_key, StatFn fn,
                 const std::string& min_param, const std::string& max_param)
      : Filter(info, params),
        stat_key_(std::move(stat_key)),
        fn_(fn),
        min_(params.GetOptDouble(min_param)),
        max_(params.GetOptDouble(max_param)) {}

  Status ComputeStats(Sample& sample, WorkerContext&) const override {
    if (sample.stats().Has(stat_key_)) return Status::OK();  // never recompute (DJ reuses it too)
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    sample.stats().Set(stat_key_, fn_(text));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    JUICER_ASSIGN_OR_RETURN(double value, NumericStat(sample, stat_key_));
    return KeepRange(value, min_, max_);
  }

 private:
  std::string stat_key_;
  StatFn fn_;
  std::optional<double> min_, max_;
};

StatValue TextLenStat(std::string_view t) { return StatValue(text::TextLength(t)); }
StatValue NumWordsStat(std::string_view t) { return StatValue(text::WordCount(t)); }
StatValue AlnumRatioStat(std::string_view t) { return StatValue(text::AlnumRatio(t)); }
StatValue SpecialCharRatioStat(std::string_view t) { return StatValue(text::SpecialCharRatio(t)); }

Result<std::unique_ptr<Op>> MakeStatFilter(const OpInfo& info, const OpParams& params, std::string stat_key,
                                           StatFn fn, const std::string& min_param, const std::string& max_param) {
  return std::unique_ptr<Op>(
      std::make_unique<TextStatFilter>(info, params, std::move(stat_key), fn, min_param, max_param));
}

ParamSpec BoolParam(std::string name, bool def, std::string doc) {
  return ParamSpec{.name = std::move(name), .type = ParamType::kBool, .default_value = def, .doc = std::move(doc)};
}

OpInfo TextLengthFilterInfo() {
  OpInfo info;
  info.name = "text_length_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose text length (in characters) is within [min_len, max_len].";
  info.description =
      "Stat text_len (int) = len(text), the number of Unicode code points of the text field, as "
      "Python counts them: a CJK character, an accented letter written as one code point and an emoji "
      "each count 1, a combining mark counts on its own. Kept when min_len <= text_len <= max_len (the "
      "common filter params can open either bound or reverse the range; a null bound is no bound). "
      "Same name, params, defaults and stat key as Data-Juicer; a text_len already present in the "
      "sample's stats is reused, not recomputed.";
  info.params = {
      IntBound("min_len", 10, "samples with fewer characters than this are dropped"),
      IntBound("max_len", std::numeric_limits<int64_t>::max(),
               "samples with more characters than this are dropped (default sys.maxsize: no limit)"),
  };
  info.stat_keys = {"text_len"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return MakeStatFilter(i, p, "text_len", &TextLenStat, "min_len", "max_len");
  };
  return info;
}

OpInfo WordsNumFilterInfo() {
  OpInfo info;
  info.name = "words_num_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose word count is within [min_num, max_num].";
  info.description =
      "Stat num_words (int): the text is split on ' ', '\\n' and '\\t' (runs of separators give no "
      "empty words), every word is stripped at both ends of Data-Juicer's SPECIAL_CHARACTERS "
      "(ASCII punctuation, digits and whitespace, about 190 other symbols, and emoji), and the words "
      "left non-empty are counted. So \"hello, world!!\" has 2 words and \"-- 42 ...\" has none. Kept "
      "when min_num <= num_words <= max_num. Same as Data-Juicer with tokenization=false (its "
      "default); tokenization=true, which splits with a per-language SentencePiece model, is not "
      "available in juicer yet and is refused when the op is built. lang only selects that model. An "
      "existing num_words stat is reused.";
  info.params = {
      ParamSpec{.name = "lang",
                .type = ParamType::kString,
                .default_value = std::string("en"),
                .doc = "language of the samples (selects the SentencePiece model when tokenization=true)"},
      BoolParam("tokenization", false,
                "split words with a SentencePiece model instead of whitespace (not available in juicer yet)"),
      IntBound("min_num", 10, "samples with fewer words than this are dropped"),
      IntBound("max_num", std::numeric_limits<int64_t>::max(),
               "samples with more words than this are dropped (default sys.maxsize: no limit)"),
  };
  info.stat_keys = {"num_words"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    if (p.GetBool("tokenization"))
      return Status::Unavailable(
          "tokenization=true needs the SentencePiece word model for lang '" + p.GetString("lang") +
          "', and juicer has no SentencePiece support yet; use tokenization=false (whitespace words)");
    return MakeStatFilter(i, p, "num_words", &NumWordsStat, "min_num", "max_num");
  };
  return info;
}

OpInfo AlphanumericFilterInfo() {
  OpInfo info;
  info.name = "alphanumeric_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose ratio of alphanumeric characters is within [min_ratio, max_ratio].";
  info.description =
      "Stat alnum_ratio (float) = (number of code points c with Python's c.isalnum()) / len(text), "
      "0.0 for an empty text. isalnum is true for letters (general category L*) and for anything with "
      "a numeric value (Nd digits, superscripts, fractions, Roman numerals, CJK numerals...), taken "
      "from ICU's Unicode data. Kept when min_ratio <= alnum_ratio <= max_ratio. Same as Data-Juicer "
      "with tokenization=false (its default). With tokenization=true Data-Juicer writes "
      "alpha_token_ratio = letters / tokens of the EleutherAI/pythia-6.9b-deduped Hugging Face "
      "tokenizer; juicer has no such tokenizer yet and refuses that setting when the op is built. An "
      "existing alnum_ratio stat is reused.";
  info.params = {
      BoolParam("tokenization", false,
                "ratio of letters to Hugging Face tokens instead of alphanumerics to characters (not "
                "available in juicer yet)"),
      FloatBound("min_ratio", 0.25, "samples with a lower ratio are dropped"),
      FloatBound("max_ratio", kSysMaxsize,
                 "samples with a higher ratio are dropped (default sys.maxsize: no limit)"),
  };
  info.stat_keys = {"alnum_ratio"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    if (p.GetBool("tokenization"))
      return Status::Unavailable(
          "tokenization=true computes alpha_token_ratio with the Hugging Face tokenizer of "
          "EleutherAI/pythia-6.9b-deduped, which juicer does not have yet; use tokenization=false "
          "(alnum_ratio over characters)");
    return MakeStatFilter(i, p, "alnum_ratio", &AlnumRatioStat, "min_ratio", "max_ratio");
  };
  return info;
}

OpInfo SpecialCharactersFilterInfo() {
  OpInfo info;
  info.name = "special_characters_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose ratio of special characters is within [min_ratio, max_ratio].";
  info.description =
      "Stat special_char_ratio (float) = (number of code points in Data-Juicer's SPECIAL_CHARACTERS) "
      "/ len(text), 0.0 for an empty text. SPECIAL_CHARACTERS is Python's string.punctuation, "
      "string.digits and string.whitespace, Data-Juicer's list of about 190 other symbols (curly "
      "quotes, dashes, bullets, CJK punctuation, full-width forms...), and every single-code-point "
      "emoji. Data-Juicer takes the emoji from the Python emoji package; juicer uses ICU's Emoji "
      "property without the regional indicator letters, which matched that package's single code "
      "points when checked, but may differ for emoji newer than the ICU build. Kept when min_ratio <= "
      "special_char_ratio <= max_ratio. An existing special_char_ratio stat is reused.";
  info.params = {
      FloatBound("min_ratio", 0.0, "samples with a lower ratio are dropped"),
      FloatBound("max_ratio", 0.25, "samples with a higher ratio are dropped"),
  };
  info.stat_keys = {"special_char_ratio"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return MakeStatFilter(i, p, "special_char_ratio", &SpecialCharRatioStat, "min_ratio", "max_ratio");
  };
  return info;
}

}  // namespace

Status RegisterTextFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(TextLengthFilterInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(WordsNumFilterInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(AlphanumericFilterInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(SpecialCharactersFilterInfo()));
  return Status::OK();
}

}  // namespace juicer
