#include "ops/text/perplexity_filter.h"

#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "core/assets.h"
#include "lm/perplexity_model.h"

namespace juicer {

namespace {

constexpr const char* kPplKey = "perplexity";

class PerplexityFilter final : public Filter {
 public:
  PerplexityFilter(const OpInfo& info, const OpParams& params, std::shared_ptr<const lm::PerplexityModel> model)
      : Filter(info, params),
        model_(std::move(model)),
        min_(params.GetOptDouble("min_ppl")),
        max_(params.GetOptDouble("max_ppl")) {}

  Status ComputeStats(Sample& sample, WorkerContext&) const override {
    if (sample.stats().Has(kPplKey)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    const lm::PerplexityResult r = model_->Score(text);
    sample.stats().Set(kPplKey, StatValue(lm::PyRound1(r.perplexity)));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    JUICER_ASSIGN_OR_RETURN(double value, NumericStat(sample, kPplKey));
    return KeepRange(value, min_, max_);
  }

 private:
  std::shared_ptr<const lm::PerplexityModel> model_;
  std::optional<double> min_, max_;
};

OpInfo PerplexityFilterInfo() {
  OpInfo info;
  info.name = "perplexity_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose n-gram language-model perplexity is within [min_ppl, max_ppl].";
  info.description =
      "Stat perplexity (float, rounded to 1 decimal as Python's round(x, 1)): the text is split into "
      "SentencePiece pieces, the pieces form one sentence (SentencePiece turns line breaks into spaces) "
      "scored with <s> before and </s> after it, and perplexity = 10^(-log10 P / (pieces + 1)); a text "
      "without pieces (empty or only whitespace) gets 0.0. This is Data-Juicer's counting (KenLM's "
      "score with bos and eos per line, length = words + 1 per line). Kept when min_ppl <= perplexity "
      "<= max_ppl. An existing perplexity stat is reused.\n"
      "Model: Data-Juicer scores with its KenLM 5-gram trained on Wikipedia (per lang) and a matching "
      "SentencePiece model; neither KenLM nor those models are available here, so juicer uses its own "
      "word-level 5-gram with interpolated modified Kneser-Ney smoothing over SentencePiece pieces, "
      "trained by `juicer lm train` (docs/lm.md). The default model (lang 'en') is "
      "third_party/models/lm-en, built by scripts/setup.sh from the English `fortunes` corpus (about "
      "2.5 MB of quotes): its perplexities are on a different scale from Data-Juicer's Wikipedia model, "
      "so thresholds tuned for Data-Juicer (max_ppl 1500) do not transfer; calibrate max_ppl on your data "
      "(e.g. with `juicer analyze`). model_path (a juicer extension) selects another model directory. "
      "Only lang 'en' has a default model; another lang needs model_path.";
  info.params = {
      ParamSpec{.name = "lang",
                .type = ParamType::kString,
                .default_value = std::string("en"),
                .doc = "language of the samples (selects the default model; only 'en' has one)"},
      ParamSpec{.name = "min_ppl",
                .type = ParamType::kFloat,
                .default_value = 0.0,
                .doc = "samples with a lower perplexity are dropped",
                .nullable = true},
      ParamSpec{.name = "max_ppl",
                .type = ParamType::kFloat,
                .default_value = 1500.0,
                .doc = "samples with a higher perplexity are dropped",
                .nullable = true},
      ParamSpec{.name = "model_path",
                .type = ParamType::kString,
                .default_value = std::string(""),
                .doc = "juicer extension: a model directory made by `juicer lm train`; empty = the default "
                       "model of lang (third_party/models/lm-<lang>)"},
  };
  info.stat_keys = {kPplKey};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::string dir = p.GetString("model_path");
    const bool is_default = dir.empty();
    if (is_default) dir = DefaultModelsDir() + "/lm-" + p.GetString("lang");
    auto model = lm::PerplexityModel::Load(dir);
    if (!model.ok()) {
      if (is_default && model.status().code() == StatusCode::kNotFound)
        return Status::NotFound("no language model for lang '" + p.GetString("lang") + "' at " +
                                dir + "; run scripts/setup.sh (it builds the English model lm-en) or pass "
                                "model_path (a directory made by `juicer lm train`)");
      return model.status();
    }
    return std::unique_ptr<Op>(std::make_unique<PerplexityFilter>(i, p, std::move(model).value()));
  };
  return info;
}

}  // namespace

Status RegisterPerplexityOps(OpRegistry& registry) { return registry.Add(PerplexityFilterInfo()); }

}  // namespace juicer
