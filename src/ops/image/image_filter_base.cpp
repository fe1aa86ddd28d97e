#include "ops/image/image_filter_base.h"

#include <utility>

namespace juicer::image_ops {

PerImageFilter::PerImageFilter(const OpInfo& info, const OpParams& params, std::vector<std::string> stat_keys)
    : Filter(info, params), keys_(std::move(stat_keys)), any_(params.GetString("any_or_all") != "all") {}

Status PerImageFilter::ComputeStats(Sample& sample, WorkerContext& ctx) const {
  bool all_present = true;
  for (const auto& k : keys_) all_present = all_present && sample.stats().Has(k);
  if (all_present) return Status::OK();
  JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* paths, sample.GetStringList(image_key()));
  std::vector<std::vector<StatScalar>> cols(keys_.size());
  std::vector<StatScalar> row(keys_.size());
  for (const std::string& path : *paths) {
    media::SampleImage image(sample, image_key(), path, ctx);
    JUICER_RETURN_IF_ERROR(Measure(image, ctx, row.data()));
    for (size_t k = 0; k < keys_.size(); ++k) cols[k].push_back(row[k]);
  }
  for (size_t k = 0; k < keys_.size(); ++k) sample.stats().Set(keys_[k], StatValue(std::move(cols[k])));
  return Status::OK();
}

Result<bool> PerImageFilter::Keep(const Sample& sample) const {
  std::vector<const std::vector<StatScalar>*> lists;
  for (const auto& k : keys_) {
    const StatValue* v = sample.stats().Find(k);
    if (v == nullptr) return Status::DataError("stat '" + k + "' is missing");
    if (!v->is_list()) return Status::DataError("stat '" + k + "' is not a list (one value per image)");
    lists.push_back(&v->list());
  }
  const size_t n = lists[0]->size();
  if (n == 0) return true;
  std::vector<double> values(keys_.size());
  bool any = false, all = true;
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < keys_.size(); ++k) {
      if (lists[k]->size() != n)
        return Status::DataError("stats '" + keys_[0] + "' and '" + keys_[k] + "' have different lengths");
      auto x = ScalarAsNumber((*lists[k])[i]);
      if (!x) return Status::DataError("stat '" + keys_[k] + "' has a non-number entry");
      values[k] = *x;
    }
    const bool keep = KeepImage(values.data());
    any = any || keep;
    all = all && keep;
  }
  return any_ ? any : all;
}

ParamSpec AnyOrAllParam() {
  return ParamSpec{.name = "any_or_all",
                   .type = ParamType::kString,
                   .default_value = std::string("any"),
                   .doc = "keep a sample when any of its images passes ('any') or only when all do ('all')",
                   .choices = {"any", "all"}};
}

}  // namespace juicer::image_ops
