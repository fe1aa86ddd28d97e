#include "ops/text/word_list_filters.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/assets.h"
#include "ops/text/word_lists.h"
#include "tokenize/tokenizer.h"

namespace juicer {

Result<std::shared_ptr<const Tokenizer>> LoadDjWordModel(const std::string& lang, const std::string& model_path) {
  const std::string path = model_path.empty() ? DefaultModelsDir() + "/" + lang + ".sp.model" : model_path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::Unavailable("tokenization=true needs Data-Juicer's SentencePiece word model " + lang +
                               ".sp.model, not found at " + path +
                               " (download it from Data-Juicer's model hub and pass its path as sp_model_path, or "
                               "use tokenization=false)");
  JUICER_ASSIGN_OR_RETURN(std::unique_ptr<Tokenizer> tok, LoadSentencePieceModel(path));
  return std::shared_ptr<const Tokenizer>(std::move(tok));
}

namespace {

using text::WordListKind;

class WordListFilter final : public Filter {
 public:
  WordListFilter(const OpInfo& info, const OpParams& params, std::string stat_key,
                 std::shared_ptr<const text::WordSet> words, std::shared_ptr<const Tokenizer> tokenizer,
                 text::WordAugOptions aug)
      : Filter(info, params),
        stat_key_(std::move(stat_key)),
        words_(std::move(words)),
        tokenizer_(std::move(tokenizer)),
        aug_(std::move(aug)),
        min_(params.GetOptDouble("min_ratio")),
        max_(params.GetOptDouble("max_ratio")) {}

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (sample.stats().Has(stat_key_)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    sample.stats().Set(stat_key_, StatValue(text::WordListRatio(text, *words_, aug_, tokenizer_.get(), ctx)));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    JUICER_ASSIGN_OR_RETURN(double v, NumericStat(sample, stat_key_));
    return KeepRange(v, min_, max_);
  }

 private:
  std::string stat_key_;
  std::shared_ptr<const text::WordSet> words_;
  std::shared_ptr<const Tokenizer> tokenizer_;  // null: whitespace words
  text::WordAugOptions aug_;
  std::optional<double> min_, max_;
};

Result<std::unique_ptr<Op>> MakeWordListFilter(const OpInfo& info, const OpParams& p, WordListKind kind) {
  const std::string type(text::WordListTypeName(kind));
  const std::string lang = p.GetString("lang");
  const std::string dir = p.IsNull(type + "_dir") ? "" : p.GetString(type + "_dir");
  text::WordAugOptions aug;
  aug.use_words_aug = p.GetBool("use_words_aug");
  aug.join_char = p.GetString("words_aug_join_char");
  aug.group_sizes.clear();
  for (double g : p.GetDoubleList("words_aug_group_sizes")) {
    if (g < 1) return Status::InvalidArgument("words_aug_group_sizes must hold positive integers");
    aug.group_sizes.push_back(static_cast<size_t>(g));
  }
  JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const text::WordSet> words, text::LoadWordList(kind, dir, lang));
  std::shared_ptr<const Tokenizer> tokenizer;
  if (p.GetBool("tokenization")) {
    const std::string model = p.IsNull("sp_model_path") ? "" : p.GetString("sp_model_path");
    auto loaded = LoadDjWordModel(lang, model);
    if (!loaded.ok()) return loaded.status();
    tokenizer = std::move(loaded).value();
  }
  return std::unique_ptr<Op>(std::make_unique<WordListFilter>(info, p, type + "_ratio", std::move(words),
                                                              std::move(tokenizer), std::move(aug)));
}

ParamSpec NullableString(std::string name, std::string doc) {
  return ParamSpec{.name = std::move(name),
                   .type = ParamType::kString,
                   .default_value = std::monostate{},
                   .doc = std::move(doc),
                   .nullable = true};
}

std::vector<ParamSpec> CommonParams(WordListKind kind, double min_ratio, double max_ratio) {
  const std::string type(text::WordListTypeName(kind));
  const std::string builtin = kind == WordListKind::kStopwords ? "npm stopwords-iso@1.1.0" : "npm naughty-words@1.2.0";
  return {
      ParamSpec{.name = "lang",
                .type = ParamType::kString,
                .default_value = std::string("en"),
                .doc = "language whose " + type + " list is used; 'all' merges every language's list"},
      ParamSpec{.name = "tokenization",
                .type = ParamType::kBool,
                .default_value = false,
                .doc = "split words with Data-Juicer's SentencePiece model <lang>.sp.model (see sp_model_path) "
                       "instead of ' ', '\\n', '\\t'"},
      FloatBound("min_ratio", min_ratio, "samples with a lower " + type + "_ratio are dropped"),
      FloatBound("max_ratio", max_ratio, "samples with a higher " + type + "_ratio are dropped"),
      NullableString(type + "_dir",
                     "directory with Data-Juicer's own " + type + ".json (every *" + type +
                         "*.json file there, {language: [words]}); null: juicer's built-in list (" + builtin + ")"),
      ParamSpec{.name = "use_words_aug",
                .type = ParamType::kBool,
                .default_value = false,
                .doc = "also count every run of n consecutive words joined by words_aug_join_char (for Chinese, "
                       "Vietnamese)"},
      ParamSpec{.name = "words_aug_group_sizes",
                .type = ParamType::kIntList,
                .default_value = std::vector<double>{2.0},
                .doc = "run lengths n of the augmentation (positive integers)"},
      ParamSpec{.name = "words_aug_join_char",
                .type = ParamType::kString,
                .default_value = std::string(""),
                .doc = "string put between the words of an augmentation run"},
      NullableString("sp_model_path",
                     "juicer only: path of the SentencePiece model used when tokenization=true (null: "
                     "<models dir>/<lang>.sp.model, the file Data-Juicer downloads)"),
  };
}

std::string CommonDescription(WordListKind kind) {
  const std::string type(text::WordListTypeName(kind));
  return "Words: the text split on ' ', '\\n' and '\\t' (empty words dropped), or, with tokenization=true, "
         "the pieces of Data-Juicer's SentencePiece model <lang>.sp.model (sp_model_path; refused when the "
         "file is absent). Each word is lower-cased (full Unicode, as Python's str.lower) and stripped at both "
         "ends of Data-Juicer's SPECIAL_CHARACTERS; words left empty are dropped. With use_words_aug, for each "
         "n in words_aug_group_sizes every run of n consecutive words joined by words_aug_join_char is "
         "appended to the words. " +
         type + "_ratio = (words found in the list of lang) / (number of words), 0.0 when there are no "
                "words, capped at 1.0. lang 'all' uses every language's list merged (unless the file has its "
                "own 'all' entry); a lang without a list is refused when the op is built. Kept when min_ratio "
                "<= " +
         type + "_ratio <= max_ratio; an existing " + type +
         "_ratio stat is reused. Same names, params, defaults and formula as Data-Juicer, but not the same "
         "word list by default: ";
}

OpInfo StopwordsFilterInfo() {
  OpInfo info;
  info.name = "stopwords_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose ratio of stopwords is within [min_ratio, max_ratio].";
  info.description =
      CommonDescription(WordListKind::kStopwords) +
      "Data-Juicer downloads its own stopwords.json, juicer uses npm stopwords-iso@1.1.0 (58 languages, "
      "e.g. 1298 English words). stopwords-iso lists the whole alphabet as stopwords for en, fr, de, es, ro "
      "and sl; juicer drops those single letters except the ones that are words of the language (en: a, i; "
      "fr: a, y; es: a, e, o, u, y; ro: a, o; sl: a, k, o, s, v, z), so that letter spam such as "
      "'a v s e c s f e f g a qkc' scores 2/12, not 11/12 (Data-Juicer drops it too). Ratios, and which "
      "samples are kept, can still differ from Data-Juicer's; point stopwords_dir at a directory holding "
      "Data-Juicer's stopwords.json to reproduce its numbers.";
  info.params = CommonParams(WordListKind::kStopwords, 0.3, 1.0);
  info.stat_keys = {"stopwords_ratio"};
  info.factory = [](const OpInfo& i, const OpParams& p) { return MakeWordListFilter(i, p, WordListKind::kStopwords); };
  return info;
}

OpInfo FlaggedWordsFilterInfo() {
  OpInfo info;
  info.name = "flagged_words_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose ratio of flagged (obscene, offensive) words is within [min_ratio, max_ratio].";
  info.description =
      CommonDescription(WordListKind::kFlaggedWords) +
      "Data-Juicer downloads its own flagged_words.json, juicer uses npm naughty-words@1.2.0 (the LDNOOBW "
      "lists Data-Juicer's list also draws on; one list per language file, e.g. 403 English entries, some "
      "of them multi-word phrases that only match through use_words_aug with words_aug_join_char ' '), so "
      "ratios can differ from Data-Juicer's. Point flagged_words_dir at a directory holding Data-Juicer's "
      "flagged_words.json to reproduce its numbers.";
  info.params = CommonParams(WordListKind::kFlaggedWords, 0.0, 0.045);
  info.stat_keys = {"flagged_words_ratio"};
  info.factory = [](const OpInfo& i, const OpParams& p) {
    return MakeWordListFilter(i, p, WordListKind::kFlaggedWords);
  };
  return info;
}

}  // namespace

Status RegisterWordListFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(StopwordsFilterInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(FlaggedWordsFilterInfo()));
  return Status::OK();
}

}  // namespace juicer
