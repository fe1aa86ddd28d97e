#include "ops/general/field_filters.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ops/general/field_path.h"
#include "ops/general/py_float.h"

namespace juicer {

namespace {

// ---- suffix_filter -----------------------------------------------------------------------------

class SuffixFilter final : public Filter {
 public:
  SuffixFilter(const OpInfo& info, const OpParams& params)
      : Filter(info, params), reversed_(params.GetBool("reversed_range")) {
    if (!params.IsNull("suffixes")) suffixes_ = params.GetStringList("suffixes");
  }

  Status ComputeStats(Sample&, WorkerContext&) const override { return Status::OK(); }  // no stats (DJ)

  Result<bool> Keep(const Sample& sample) const override {
    if (suffixes_.empty()) return true;
    bool in = false;
    const Sample::Field* f = sample.Find(fields::kSuffix);
    if (f != nullptr && f->type == JsonType::kString) {
      JUICER_ASSIGN_OR_RETURN(std::string_view s, sample.GetText(fields::kSuffix));
      for (const auto& x : suffixes_) in = in || x == s;
    }
    return reversed_ ? !in : in;
  }

 private:
  bool reversed_;
  std::vector<std::string> suffixes_;
};

// ---- specified_field_filter --------------------------------------------------------------------

class SpecifiedFieldFilter final : public Filter {
 public:
  SpecifiedFieldFilter(const OpInfo& info, const OpParams& params, std::vector<std::string> str_targets,
                       std::vector<double> num_targets)
      : Filter(info, params),
        key_(params.GetString("field_key")),
        path_(SplitKey(key_)),
        reversed_(params.GetBool("reversed_range")),
        str_targets_(std::move(str_targets)),
        num_targets_(std::move(num_targets)) {}

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (key_.empty() || sample.stats().Has(key_)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(FieldValue v, ResolveField(sample, path_, key_, ctx.scratch));
    sample.stats().Set(key_, ToStat(std::move(v)));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    if (key_.empty() || (str_targets_.empty() && num_targets_.empty())) return true;
    const StatValue* v = sample.stats().Find(key_);
    if (v == nullptr) return Status::DataError("stat '" + key_ + "' is missing");
    bool all_in = true;
    if (v->is_list()) {
      for (const auto& item : v->list()) all_in = all_in && InTargets(item);
    } else {
      all_in = InTargets(v->scalar());
    }
    return reversed_ ? !all_in : all_in;
  }

 private:
  // Python's `value in target_value`: == between the value and each target.
  bool InTargets(const StatScalar& s) const {
    if (const auto* str = std::get_if<std::string>(&s)) {
      for (const auto& t : str_targets_)
        if (t == *str) return true;
      return false;
    }
    if (const auto* i = std::get_if<int64_t>(&s)) {  // exact int == float, as Python compares them
      for (double t : num_targets_)
        if (std::floor(t) == t && t >= -9223372036854775808.0 && t < 9223372036854775808.0 &&
            static_cast<int64_t>(t) == *i)
          return true;
      return false;
    }
    double x;
    if (const auto* d = std::get_if<double>(&s)) x = *d;
    else if (const auto* b = std::get_if<bool>(&s)) x = *b ? 1.0 : 0.0;  // True == 1
    else return false;                                                   // None is in no list here
    for (double t : num_targets_)
      if (t == x) return true;
    return false;
  }

  std::string key_;
  std::vector<std::string> path_;
  bool reversed_;
  std::vector<std::string> str_targets_;
  std::vector<double> num_targets_;
};

// ---- specified_numeric_field_filter ------------------------------------------------------------

class SpecifiedNumericFieldFilter final : public Filter {
 public:
  SpecifiedNumericFieldFilter(const OpInfo& info, const OpParams& params)
      : Filter(info, params),
        key_(params.GetString("field_key")),
        path_(SplitKey(key_)),
        min_(params.GetOptDouble("min_value")),
        max_(params.GetOptDouble("max_value")) {}

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (key_.empty() || sample.stats().Has(key_)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(FieldValue v, ResolveField(sample, path_, key_, ctx.scratch));
    if (v.kind == FieldValue::Kind::kObject && !v.empty_object)
      return Status::DataError("field '" + key_ + "' is an object, not a number (Data-Juicer's float() raises too)");
    sample.stats().Set(key_, ToStat(std::move(v)));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    if (key_.empty()) return true;
    const StatValue* v = sample.stats().Find(key_);
    if (v == nullptr) return Status::DataError("stat '" + key_ + "' is missing");
    if (v->is_list()) {
      if (v->list().empty()) return false;  // falsy: not a number
      return Status::DataError("field '" + key_ + "' is a list, not a number (Data-Juicer's float() raises too)");
    }
    // DJ's is_number(s): `if s:` first, so None, False, 0, 0.0 and "" are never numbers.
    const StatScalar& s = v->scalar();
    double x = 0.0;
    if (const auto* b = std::get_if<bool>(&s)) {
      if (!*b) return false;
      x = 1.0;
    } else if (const auto* i = std::get_if<int64_t>(&s)) {
      if (*i == 0) return false;
      x = static_cast<double>(*i);
    } else if (const auto* d = std::get_if<double>(&s)) {
      if (*d == 0.0) return false;
      x = *d;
    } else if (const auto* str = std::get_if<std::string>(&s)) {
      if (str->empty()) return false;
      std::optional<double> parsed = ParsePythonFloat(*str);
      if (!parsed) return false;
      x = *parsed;
    } else {
      return false;  // null
    }
    return KeepRange(x, min_, max_);
  }

 private:
  std::string key_;
  std::vector<std::string> path_;
  std::optional<double> min_, max_;
};

// ---- metadata ----------------------------------------------------------------------------------

constexpr const char* kKeyDoc =
    "field_key is a dotted path into nested objects ('meta.suffix' reads sample['meta']['suffix']; "
    "'__dj__stats__.text_len' reads a stat). A key missing at any level, or null on the way, reads as "
    "null: Data-Juicer's Arrow table fills a key that other rows have with null, and juicer, which "
    "streams, does the same for every row (where no row has the key Data-Juicer raises instead). "
    "Descending into a string, number or list is a DataError. ";

ParamSpec FieldKeyParam(std::string doc) {
  return ParamSpec{.name = "field_key", .type = ParamType::kString, .default_value = std::string(), .doc = std::move(doc)};
}

OpInfo SuffixFilterInfo() {
  OpInfo info;
  info.name = "suffix_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kAny;
  info.summary = "Keep samples whose __dj__suffix__ field is one of the given suffixes.";
  info.description =
      "Kept when the sample's __dj__suffix__ field (the source file's suffix, e.g. \".pdf\") equals one of "
      "suffixes; reversed_range keeps the others instead (min/max_closed_interval do not apply). An empty "
      "or null suffixes list keeps every sample. A sample without the field, or whose field is null or "
      "not a string, matches no suffix (Data-Juicer's Arrow table reads a field other rows have as "
      "null). Suffixes are compared exactly: '.txt' and 'txt' differ, as in Data-Juicer. Like "
      "Data-Juicer (a NON_STATS_FILTER) it writes no stat.";
  info.params = {
      ParamSpec{.name = "suffixes",
                .type = ParamType::kStringList,
                .default_value = std::vector<std::string>{},
                .doc = "suffixes to keep, e.g. ['.txt', '.pdf'] or one string; empty keeps everything",
                .nullable = true},
  };
  info.stat_keys = {};  // DJ: a non-stats filter
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<SuffixFilter>(i, p));
  };
  return info;
}

OpInfo SpecifiedFieldFilterInfo() {
  OpInfo info;
  info.name = "specified_field_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kAny;
  info.summary = "Keep samples whose field value (every item, for a list) is one of target_value.";
  info.description =
      std::string(
          "Stat <field_key>: the field's value is copied into __dj__stats__ under the field key itself "
          "(e.g. __dj__stats__['meta.suffix']), as Data-Juicer does; a stat already there is used instead. ") +
      kKeyDoc +
      "Kept when the value is in target_value, compared with Python's ==: strings exactly, numbers by "
      "value (50 == 50.0, true == 1), null equals nothing; for a list every item must be in "
      "target_value (an empty list is kept). reversed_range inverts the decision. An empty field_key "
      "or target_value keeps every sample (Data-Juicer's own compute_stats asserts on an empty "
      "field_key; juicer writes no stat then). target_value must be a list (of strings or of "
      "numbers). juicer's stats hold scalars and flat lists, so an object value, or a list item that "
      "is a list or object, is stored as null: it equals no target, as in Data-Juicer.";
  info.params = {
      FieldKeyParam("dotted key of the field to check, e.g. 'meta.suffix'"),
      ParamSpec{.name = "target_value",
                .type = ParamType::kAny,
                .default_value = std::vector<std::string>{},
                .doc = "the accepted values: a list of strings or a list of numbers; empty keeps everything",
                .nullable = true},
  };
  info.stat_keys = {};  // written under the field_key given (dynamic)
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const ParamValue& t = p.Get("target_value");
    std::vector<std::string> strs;
    std::vector<double> nums;
    if (const auto* s = std::get_if<std::vector<std::string>>(&t)) strs = *s;
    else if (const auto* d = std::get_if<std::vector<double>>(&t)) nums = *d;
    else if (!std::holds_alternative<std::monostate>(t))
      return Status::InvalidArgument("param 'target_value' of specified_field_filter must be a list, got " +
                                     ParamValueToString(t) + " (Data-Juicer declares List; `x in \"str\"` "
                                     "would be a substring test)");
    return std::unique_ptr<Op>(std::make_unique<SpecifiedFieldFilter>(i, p, std::move(strs), std::move(nums)));
  };
  return info;
}

OpInfo SpecifiedNumericFieldFilterInfo() {
  OpInfo info;
  info.name = "specified_numeric_field_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kAny;
  info.summary = "Keep samples whose numeric field value is within [min_value, max_value].";
  info.description =
      std::string(
          "Stat <field_key>: the field's raw value is copied into __dj__stats__ under the field key itself "
          "(a numeric string stays a string), as Data-Juicer does; a stat already there is used instead. ") +
      kKeyDoc +
      "Data-Juicer's is_number(v) decides what counts: `if v:` first, so null, false, 0, 0.0, \"\" and "
      "empty lists/objects are NOT numbers and the sample is dropped (even with reversed_range); "
      "otherwise float(v) must succeed: numbers, true (1.0) and strings Python's float() parses "
      "(surrounding whitespace, signs, '1_000', '1e3', '.5', 'inf', 'nan', digits of any script). Other "
      "strings drop the sample; a non-empty list or object is a DataError (Python's float() raises "
      "TypeError there). Kept when min_value <= float(v) <= max_value (the common filter params can "
      "open either bound or reverse the range; nan is outside every range). An empty field_key keeps "
      "every sample and writes no stat.";
  info.params = {
      FieldKeyParam("dotted key of the numeric field, e.g. 'meta.star'; empty keeps everything"),
      ParamSpec{.name = "min_value",
                .type = ParamType::kFloat,
                .default_value = -static_cast<double>(std::numeric_limits<int64_t>::max()),
                .doc = "samples whose value is below this are dropped (default -sys.maxsize)",
                .nullable = true},
      ParamSpec{.name = "max_value",
                .type = ParamType::kFloat,
                .default_value = static_cast<double>(std::numeric_limits<int64_t>::max()),
                .doc = "samples whose value exceeds this are dropped (default sys.maxsize)",
                .nullable = true},
  };
  info.stat_keys = {};  // written under the field_key given (dynamic)
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<SpecifiedNumericFieldFilter>(i, p));
  };
  return info;
}

}  // namespace

Status RegisterFieldFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(SuffixFilterInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(SpecifiedFieldFilterInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(SpecifiedNumericFieldFilterInfo()));
  return Status::OK();
}

}  // namespace juicer
