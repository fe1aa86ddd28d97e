#include "ops/text/text_action_filter.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "core/assets.h"
#include "ops/text/pos_tagger.h"

namespace juicer {

namespace {

// Data-Juicer's special tokens (SpecialTokens: image, audio, video, eoc), removed before tagging.
constexpr std::string_view kSpecialTokens[] = {"<__dj__image>", "<__dj__audio>", "<__dj__video>", "<|__dj__eoc|>"};

std::string RemoveSpecialTokens(std::string_view text) {
  std::string out(text);
  for (std::string_view tok : kSpecialTokens) {
    for (size_t at; (at = out.find(tok)) != std::string::npos;) out.erase(at, tok.size());
  }
  return out;
}


class TextActionFilter final : public Filter {
 public:
  TextActionFilter(const OpInfo& info, const OpParams& params, std::shared_ptr<const text::PosLexicon> lexicon)
      : Filter(info, params), tagger_(std::move(lexicon)), min_(params.GetOptDouble("min_action_num")) {}

  Status ComputeStats(Sample& sample, WorkerContext&) const override {
    if (sample.stats().Has(kKey)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    sample.stats().Set(kKey, StatValue(tagger_.CountActions(RemoveSpecialTokens(text))));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    JUICER_ASSIGN_OR_RETURN(double v, NumericStat(sample, kKey));
    return KeepRange(v, min_, std::nullopt);
  }

 private:
  static constexpr const char* kKey = "num_action";
  text::PosTagger tagger_;
  std::optional<double> min_;
};

OpInfo TextActionFilterInfo() {
  OpInfo info;
  info.name = "text_action_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose text holds at least min_action_num actions (verbs).";
  info.description =
      "Stat num_action (int): the number of verbs in the text once Data-Juicer's special tokens "
      "(<__dj__image>, <__dj__audio>, <__dj__video>, <|__dj__eoc|>) are removed. Kept when num_action >= "
      "min_action_num. Data-Juicer tags the text with spaCy's en_core_web_md / zh_core_web_md and counts "
      "tokens whose coarse tag is VERB and fine tag one of VV, VB, VBP, VBZ, VBD, VBG, VBN (auxiliaries "
      "such as 'is' in 'Tom is playing' are AUX there and not counted). juicer has no spaCy: it splits "
      "the text into words (whitespace, punctuation at word ends, English clitics such as n't and 's) "
      "and tags them with Eric Brill's English lexicon from npm pos@0.4.2 (jsPOS, ~92,000 words, most "
      "likely tag first), jsPOS's transformation rules (its suffix guesses only for words missing from "
      "the lexicon) and a few contextual rules of its own (a verb after to / a modal / a subject "
      "pronoun); a verb-tagged word counts unless it is an auxiliary: a form of 'be', a form of 'have' "
      "followed by a participle, or a form of 'do' followed by a base verb. Without a statistical model "
      "the tags are those of a lexicon-plus-rules tagger, so counts can differ from spaCy's on ambiguous "
      "words (e.g. 'need' in 'the need to') and on words missing from the lexicon, which are taken as "
      "nouns. lang 'zh' is refused when the op is built: juicer has no Chinese POS lexicon. An existing "
      "num_action stat is reused.";
  info.params = {
      ParamSpec{.name = "lang",
                .type = ParamType::kString,
                .default_value = std::string("en"),
                .doc = "language of the texts: 'en' ('zh', which Data-Juicer also accepts, is refused: no Chinese "
                       "tagger in juicer)",
                .choices = {"en", "zh"}},
      ParamSpec{.name = "min_action_num",
                .type = ParamType::kInt,
                .default_value = int64_t{1},
                .doc = "samples with fewer verbs than this are dropped",
                .nullable = true},
      ParamSpec{.name = "lexicon_path",
                .type = ParamType::kString,
                .default_value = std::monostate{},
                .doc = "juicer only: jsPOS lexicon.js to tag with (null: the npm pos@0.4.2 copy fetched by "
                       "scripts/setup.sh)",
                .nullable = true},
  };
  info.stat_keys = {"num_action"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    if (p.GetString("lang") == "zh")
      return Status::Unavailable(
          "lang 'zh' is not supported: Data-Juicer tags Chinese with spaCy's "
          "zh_core_web_md and juicer has no Chinese part-of-speech lexicon; only lang 'en' works");
    const std::string path = p.IsNull("lexicon_path") ? NpmAsset("pos", "lexicon.js") : p.GetString("lexicon_path");
    auto lexicon = text::PosLexicon::Shared(path);
    if (!lexicon.ok()) {
      if (lexicon.status().code() == StatusCode::kNotFound)
        return Status::Unavailable("the POS lexicon " + path +
                                   " is missing (npm pos@0.4.2: run scripts/setup.sh, or set lexicon_path)");
      return lexicon.status();
    }
    return std::unique_ptr<Op>(std::make_unique<TextActionFilter>(i, p, std::move(lexicon).value()));
  };
  return info;
}

}  // namespace

Status RegisterTextActionFilter(OpRegistry& registry) { return registry.Add(TextActionFilterInfo()); }

}  // namespace juicer
