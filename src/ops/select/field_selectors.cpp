#include "ops/select/field_selectors.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ops/general/field_path.h"

namespace juicer {

namespace {

// sys.maxsize as Python compares it with floats.
constexpr double kMaxSize = 9223372036854775807.0;

// Python's float(str): surrounding whitespace allowed, '_' between digits, inf/nan words; no hex.
std::optional<double> ParsePythonFloat(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  std::string clean;
  clean.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == 'x' || c == 'X') return std::nullopt;  // strtod would accept hex, Python does not
    if (c == '_') {
      const bool ok = i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                      std::isdigit(static_cast<unsigned char>(s[i + 1]));
      if (!ok) return std::nullopt;
      continue;
    }
    clean.push_back(c);
  }
  char* end = nullptr;
  const double v = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  return v;
}

// The value found at a field path, reduced to what the selectors need.
struct Leaf {
  enum class Type { kNull, kBool, kNumber, kString, kList, kObject } type = Type::kNull;
  double number = 0;            // kBool (0/1), kNumber
  std::string text;             // kString
  std::optional<double> mean;   // kList: mean of its numbers (numpy's asarray(x).mean()), if defined
};

// Sum and count of a nested numeric list; false when an item is not a number/bool.
bool SumNumbers(simdjson::dom::array arr, double* sum, size_t* count) {
  for (simdjson::dom::element e : arr) {
    switch (e.type()) {
      case simdjson::dom::element_type::INT64: *sum += static_cast<double>(int64_t(e)); break;
      case simdjson::dom::element_type::UINT64: *sum += static_cast<double>(uint64_t(e)); break;
      case simdjson::dom::element_type::DOUBLE: *sum += double(e); break;
      case simdjson::dom::element_type::BOOL: *sum += bool(e) ? 1.0 : 0.0; break;
      case simdjson::dom::element_type::ARRAY:
        if (!SumNumbers(simdjson::dom::array(e), sum, count)) return false;
        continue;
      default: return false;
    }
    ++*count;
  }
  return true;
}

Leaf LeafOf(simdjson::dom::element e) {
  Leaf leaf;
  switch (e.type()) {
    case simdjson::dom::element_type::NULL_VALUE: leaf.type = Leaf::Type::kNull; break;
    case simdjson::dom::element_type::BOOL:
      leaf.type = Leaf::Type::kBool;
      leaf.number = bool(e) ? 1.0 : 0.0;
      break;
    case simdjson::dom::element_type::INT64:
      leaf.type = Leaf::Type::kNumber;
      leaf.number = static_cast<double>(int64_t(e));
      break;
    case simdjson::dom::element_type::UINT64:
      leaf.type = Leaf::Type::kNumber;
      leaf.number = static_cast<double>(uint64_t(e));
      break;
    case simdjson::dom::element_type::DOUBLE:
      leaf.type = Leaf::Type::kNumber;
      leaf.number = double(e);
      break;
    case simdjson::dom::element_type::STRING:
      leaf.type = Leaf::Type::kString;
      leaf.text = std::string(std::string_view(e));
      break;
    case simdjson::dom::element_type::ARRAY: {
      leaf.type = Leaf::Type::kList;
      double sum = 0;
      size_t count = 0;
      if (SumNumbers(simdjson::dom::array(e), &sum, &count) && count > 0) leaf.mean = sum / static_cast<double>(count);
      break;
    }
    case simdjson::dom::element_type::OBJECT: leaf.type = Leaf::Type::kObject; break;
  }
  return leaf;
}

Leaf LeafOfScalar(const StatScalar& s) {
  Leaf leaf;
  if (const auto* b = std::get_if<bool>(&s)) {
    leaf.type = Leaf::Type::kBool;
    leaf.number = *b ? 1.0 : 0.0;
  } else if (const auto* s_text = std::get_if<std::string>(&s)) {
    leaf.type = Leaf::Type::kString;
    leaf.text = *s_text;
  } else if (auto x = ScalarAsNumber(s)) {
    leaf.type = Leaf::Type::kNumber;
    leaf.number = *x;
  }
  return leaf;
}

Leaf LeafOfStat(const StatValue& v) {
  if (!v.is_list()) return LeafOfScalar(v.scalar());
  Leaf leaf;
  leaf.type = Leaf::Type::kList;
  double sum = 0;
  for (const StatScalar& s : v.list()) {
    const auto x = std::holds_alternative<std::string>(s) ? std::nullopt : ScalarAsNumber(s);
    if (!x) return leaf;
    sum += *x;
  }
  if (!v.list().empty()) leaf.mean = sum / static_cast<double>(v.list().size());
  return leaf;
}

double LeafToNumber(const Leaf& leaf, bool reverse) {
  const double fallback = reverse ? -kMaxSize : kMaxSize;
  switch (leaf.type) {
    case Leaf::Type::kBool:
    case Leaf::Type::kNumber: return leaf.number;
    case Leaf::Type::kString: return ParsePythonFloat(leaf.text).value_or(fallback);
    case Leaf::Type::kList: return leaf.mean.value_or(fallback);
    default: return fallback;
  }
}

// A hashable key with Python's dict equality for None / str / numbers (True == 1 == 1.0).
Result<std::string> LeafToKey(const Leaf& leaf) {
  switch (leaf.type) {
    case Leaf::Type::kNull: return std::string("N");
    case Leaf::Type::kString: return "S" + leaf.text;
    case Leaf::Type::kBool:
    case Leaf::Type::kNumber: {
      char buf[64];
      const double x = leaf.number == 0 ? 0.0 : leaf.number;  // -0.0 == 0.0
      auto r = std::to_chars(buf, buf + sizeof(buf), x);
      return "D" + std::string(buf, r.ptr);
    }
    default: return Status::DataError("the value is not a string, a number or null");
  }
}

// Reads the leaf at a dotted path; owns a reusable simdjson parser (one per dataset state).
class FieldReader {
 public:
  explicit FieldReader(const std::string& field_key) : field_key_(field_key), path_(SplitKey(field_key)) {}

  Result<Leaf> Read(const Sample& sample) {
    if (path_[0] == fields::kStats && (path_.size() == 2 || !sample.Has(fields::kStats))) {
      if (path_.size() != 2) return Missing("a stat has no sub-keys");
      const StatValue* v = sample.stats().Find(path_[1]);
      if (v == nullptr) return Missing("stat '" + path_[1] + "' not found");
      return LeafOfStat(*v);
    }
    const Sample::Field* f = sample.Find(path_[0]);
    if (f == nullptr) return Missing("field '" + path_[0] + "' not found");
    const std::string_view raw = f->RawText();
    buffer_.assign(raw.data(), raw.size());
    buffer_.resize(raw.size() + simdjson::SIMDJSON_PADDING, '\0');
    simdjson::dom::element e;
    if (parser_.parse(buffer_.data(), raw.size(), false).get(e) != simdjson::SUCCESS)
      return Missing("field '" + path_[0] + "' is not valid JSON");
    for (size_t i = 1; i < path_.size(); ++i) {
      simdjson::dom::object obj;
      if (e.get_object().get(obj) != simdjson::SUCCESS)
        return Missing("'" + path_[i - 1] + "' is not an object, so has no key '" + path_[i] + "'");
      if (obj.at_key(path_[i]).get(e) != simdjson::SUCCESS) return Missing("key '" + path_[i] + "' not found");
    }
    return LeafOf(e);
  }

 private:
  Status Missing(const std::string& why) const {
    return Status::DataError("field_key '" + field_key_ + "': " + why);
  }
  std::string field_key_;
  std::vector<std::string> path_;
  simdjson::dom::parser parser_;
  std::string buffer_;
};

// What all four selectors keep: the count, the first read error (DJ returns datasets of <= 1 sample
// before reading the field, so an error only counts when there are 2+ samples), and a reader.
struct FieldState : DatasetState {
  explicit FieldState(const std::string& key) : reader(key) {}
  uint64_t count = 0;
  Status first_error;
  FieldReader reader;
};

struct NumberState final : FieldState {
  using FieldState::FieldState;
  std::vector<double> values;  // per position
};

struct KeyState final : FieldState {
  using FieldState::FieldState;
  std::unordered_map<std::string, uint32_t> group_of;  // key -> group id (first-occurrence order)
  std::vector<std::vector<uint64_t>> groups;          // frequency: positions per group
  std::vector<uint64_t> matched;                      // tags: matching positions
};

Selection AllPositions(uint64_t total) {
  Selection sel;
  sel.positions.resize(total);
  std::iota(sel.positions.begin(), sel.positions.end(), uint64_t{0});
  return sel;
}

// Base for the four selectors: field_key handling and the "keep everything" cases.
class FieldSelectorBase : public DatasetOp {
 public:
  FieldSelectorBase(const OpInfo& info, const OpParams& params)
      : DatasetOp(info, params), field_key_(params.GetString("field_key")) {}

  std::optional<std::vector<std::string>> ObservedFields() const override {
    if (field_key_.empty()) return std::vector<std::string>{};
    return std::vector<std::string>{SplitKey(field_key_)[0]};
  }

 protected:
  // Records an error of sample `pos` once; returns false when the sample must be skipped.
  static bool Check(FieldState& st, uint64_t pos, const Status& s) {
    if (s.ok()) return true;
    if (st.first_error.ok()) st.first_error = Status::DataError("sample " + std::to_string(pos) + ": " + s.message());
    return false;
  }
  std::string field_key_;
};

// k of topk/frequency: DJ's `select_num` logic; nullopt means "keep the dataset".
std::optional<uint64_t> TopCount(uint64_t n, std::optional<double> top_ratio, std::optional<int64_t> topk) {
  double select_num = 0;
  if (!top_ratio || *top_ratio == 0.0) {
    if (!topk) return std::nullopt;
    select_num = static_cast<double>(*topk);
  } else {
    select_num = *top_ratio * static_cast<double>(n);
    if (topk && static_cast<double>(*topk) < select_num) select_num = static_cast<double>(*topk);
  }
  return static_cast<uint64_t>(select_num);  // int(select_num)
}

class TopkSelector final : public FieldSelectorBase {
 public:
  TopkSelector(const OpInfo& info, const OpParams& params)
      : FieldSelectorBase(info, params),
        top_ratio_(params.GetOptDouble("top_ratio")),
        topk_(params.GetOptInt("topk")),
        reverse_(params.GetBool("reverse")) {}

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<NumberState>(field_key_); }

  Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const override {
    auto& st = static_cast<NumberState&>(state);
    ++st.count;
    if (field_key_.empty() || !st.first_error.ok()) return Status::OK();
    auto leaf = st.reader.Read(sample);
    if (Check(st, pos, leaf.status())) st.values.push_back(LeafToNumber(*leaf, reverse_));
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext&) const override {
    auto& st = static_cast<NumberState&>(state);
    if (st.count <= 1 || field_key_.empty()) return AllPositions(st.count);
    const auto k = TopCount(st.count, top_ratio_, topk_);
    if (!k) return AllPositions(st.count);
    if (!st.first_error.ok()) return st.first_error;
    // heapq.nlargest / nsmallest == sorted(...)[:k]: stable, ties in input order.
    std::vector<uint64_t> order(st.count);
    std::iota(order.begin(), order.end(), uint64_t{0});
    const auto& v = st.values;
    const uint64_t take = std::min<uint64_t>(*k, st.count);
    auto cmp = [&](uint64_t a, uint64_t b) {
      if (v[a] != v[b]) return reverse_ ? v[a] > v[b] : v[a] < v[b];
      return a < b;
    };
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end(), cmp);
    order.resize(take);
    Selection sel;
    sel.positions = std::move(order);
    return sel;
  }

 private:
  std::optional<double> top_ratio_;
  std::optional<int64_t> topk_;
  bool reverse_;
};

class FrequencySelector final : public FieldSelectorBase {
 public:
  FrequencySelector(const OpInfo& info, const OpParams& params)
      : FieldSelectorBase(info, params),
        top_ratio_(params.GetOptDouble("top_ratio")),
        topk_(params.GetOptInt("topk")),
        reverse_(params.GetBool("reverse")) {}

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<KeyState>(field_key_); }

  Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const override {
    auto& st = static_cast<KeyState&>(state);
    ++st.count;
    if (field_key_.empty() || !st.first_error.ok()) return Status::OK();
    auto leaf = st.reader.Read(sample);
    if (!Check(st, pos, leaf.status())) return Status::OK();
    auto key = LeafToKey(*leaf);
    if (!Check(st, pos, key.status())) return Status::OK();
    auto [it, inserted] = st.group_of.try_emplace(std::move(key).value(), static_cast<uint32_t>(st.groups.size()));
    if (inserted) st.groups.emplace_back();
    st.groups[it->second].push_back(pos);
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext&) const override {
    auto& st = static_cast<KeyState&>(state);
    if (st.count <= 1 || field_key_.empty()) return AllPositions(st.count);
    if (!st.first_error.ok()) return st.first_error;
    const auto k = TopCount(st.groups.size(), top_ratio_, topk_);
    if (!k) return AllPositions(st.count);
    // sorted(groups, key=len, reverse=...) is stable in both directions.
    std::vector<uint32_t> order(st.groups.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return reverse_ ? st.groups[a].size() > st.groups[b].size() : st.groups[a].size() < st.groups[b].size();
    });
    Selection sel;
    for (uint64_t g = 0; g < std::min<uint64_t>(*k, order.size()); ++g)
      sel.positions.insert(sel.positions.end(), st.groups[order[g]].begin(), st.groups[order[g]].end());
    return sel;
  }

 private:
  std::optional<double> top_ratio_;
  std::optional<int64_t> topk_;
  bool reverse_;
};

class RangeSelector final : public FieldSelectorBase {
 public:
  RangeSelector(const OpInfo& info, const OpParams& params)
      : FieldSelectorBase(info, params),
        lower_percentile_(params.GetOptDouble("lower_percentile")),
        upper_percentile_(params.GetOptDouble("upper_percentile")),
        lower_rank_(params.GetOptInt("lower_rank")),
        upper_rank_(params.GetOptInt("upper_rank")) {}

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<NumberState>(field_key_); }

  Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const override {
    auto& st = static_cast<NumberState&>(state);
    ++st.count;
    if (field_key_.empty() || !st.first_error.ok()) return Status::OK();
    auto leaf = st.reader.Read(sample);
    if (Check(st, pos, leaf.status())) st.values.push_back(LeafToNumber(*leaf, /*reverse=*/true));
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext&) const override {
    auto& st = static_cast<NumberState&>(state);
    const uint64_t n = st.count;
    if (n <= 1 || field_key_.empty()) return AllPositions(n);
    if (!lower_percentile_ && !lower_rank_) return AllPositions(n);
    if (!upper_percentile_ && !upper_rank_) return AllPositions(n);
    int64_t lower = 0, upper = static_cast<int64_t>(n);
    if (lower_percentile_) lower = static_cast<int64_t>(*lower_percentile_ * static_cast<double>(n));
    if (lower_rank_) lower = std::max(lower, *lower_rank_);
    if (upper_percentile_) upper = static_cast<int64_t>(*upper_percentile_ * static_cast<double>(n));
    if (upper_rank_) upper = std::min(upper, *upper_rank_);
    upper = std::max(lower, upper);
    if (!st.first_error.ok()) return st.first_error;
    const auto& v = st.values;
    // nsmallest(upper) (stable ascending), then nlargest(upper - lower) of that subset (stable descending).
    std::vector<uint64_t> order(n);
    std::iota(order.begin(), order.end(), uint64_t{0});
    std::stable_sort(order.begin(), order.end(), [&](uint64_t a, uint64_t b) { return v[a] < v[b]; });
    order.resize(std::min<uint64_t>(static_cast<uint64_t>(upper), n));
    std::stable_sort(order.begin(), order.end(), [&](uint64_t a, uint64_t b) { return v[a] > v[b]; });
    order.resize(std::min<uint64_t>(static_cast<uint64_t>(upper - lower), order.size()));
    Selection sel;
    sel.positions = std::move(order);
    return sel;
  }

 private:
  std::optional<double> lower_percentile_, upper_percentile_;
  std::optional<int64_t> lower_rank_, upper_rank_;
};

class TagsSelector final : public FieldSelectorBase {
 public:
  TagsSelector(const OpInfo& info, const OpParams& params) : FieldSelectorBase(info, params) {
    if (!params.IsNull("target_tags"))
      for (auto& t : params.GetStringList("target_tags")) tags_.emplace(std::move(t), 0u);
  }

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<KeyState>(field_key_); }

  Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const override {
    auto& st = static_cast<KeyState&>(state);
    ++st.count;
    if (field_key_.empty() || !st.first_error.ok()) return Status::OK();
    auto leaf = st.reader.Read(sample);
    if (!Check(st, pos, leaf.status())) return Status::OK();
    if (!Check(st, pos, LeafToKey(*leaf).status())) return Status::OK();
    if (leaf->type == Leaf::Type::kString && tags_.count(leaf->text) != 0) st.matched.push_back(pos);
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext&) const override {
    auto& st = static_cast<KeyState&>(state);
    if (st.count <= 1 || field_key_.empty()) return AllPositions(st.count);
    if (!st.first_error.ok()) return st.first_error;
    Selection sel;
    sel.positions = std::move(st.matched);
    return sel;
  }

 private:
  std::unordered_map<std::string, uint32_t> tags_;
};

ParamSpec FieldKeyParam() {
  return ParamSpec{.name = "field_key",
                   .type = ParamType::kString,
                   .default_value = std::string(),
                   .doc = "dotted path of the value to select on, e.g. 'meta.key1.key2' or '__dj__stats__.text_len'; "
                          "empty keeps the whole dataset"};
}

ParamSpec TopRatioParam(const std::string& doc) {
  return ParamSpec{.name = "top_ratio",
                   .type = ParamType::kFloat,
                   .default_value = std::monostate{},
                   .doc = doc,
                   .nullable = true,
                   .min_value = 0.0,
                   .max_value = 1.0};
}

ParamSpec OptIntParam(const std::string& name, const std::string& doc) {
  return ParamSpec{.name = name,
                   .type = ParamType::kInt,
                   .default_value = std::monostate{},
                   .doc = doc,
                   .nullable = true,
                   .min_value = 1.0};
}

ParamSpec OptRatioParam(const std::string& name, const std::string& doc) {
  ParamSpec p = TopRatioParam(doc);
  p.name = name;
  return p;
}

ParamSpec ReverseParam() {
  return ParamSpec{.name = "reverse",
                   .type = ParamType::kBool,
                   .default_value = true,
                   .doc = "sort in descending order (largest first) when true"};
}

constexpr const char* kFieldDoc =
    " The field is read from the sample's JSON: a dotted field_key walks nested objects; "
    "'__dj__stats__.<key>' reads a computed stat. A missing key (or a path through a non-object) is a "
    "data error, as Data-Juicer's assert, unless the dataset has at most one sample or field_key is "
    "empty, when the dataset is kept unchanged.";

constexpr const char* kNumberDoc =
    " Values are ranked by Data-Juicer's stats_to_number: numbers (and booleans) as they are, strings "
    "parsed as Python floats, lists by the mean of their numbers; anything else (null, empty list, "
    "non-numeric text, objects) ranks as -sys.maxsize";

OpInfo TopkInfo() {
  OpInfo info;
  info.name = "topk_specified_field_selector";
  info.kind = OpKind::kSelector;
  info.modality = Modality::kAny;
  info.summary = "Keep the k samples with the largest (or smallest) value of a field.";
  info.description =
      std::string("k = topk when top_ratio is null or 0 (the dataset is kept when topk is null too), else "
                  "k = int(top_ratio * N) lowered to topk when that is set and smaller. The k samples with the "
                  "largest values (reverse=true) or smallest (reverse=false) are kept, in ranked order, ties in "
                  "input order (heapq.nlargest / nsmallest).") +
      kNumberDoc +
      " when reverse=true, +sys.maxsize when false, so they rank last. Data-Juicer ranks a top-level "
      "field_key by its raw values (failing on mixed types); juicer applies stats_to_number there too." +
      kFieldDoc;
  info.params = {FieldKeyParam(),
                 TopRatioParam("fraction of the samples to keep, 0 to 1 (the smaller count wins when topk is also set)"),
                 OptIntParam("topk", "number of samples to keep (the smaller count wins when top_ratio is also set)"),
                 ReverseParam()};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<TopkSelector>(i, p));
  };
  return info;
}

OpInfo FrequencyInfo() {
  OpInfo info;
  info.name = "frequency_specified_field_selector";
  info.kind = OpKind::kSelector;
  info.modality = Modality::kAny;
  info.summary = "Keep the samples whose field value is among the k most (or least) frequent values.";
  info.description =
      std::string("Samples are grouped by the value at field_key (a string, a number or null; equal numbers "
                  "such as 1, 1.0 and true share a group, as in a Python dict; any other type is a data error). "
                  "k = topk when top_ratio is null or 0 (the dataset is kept when topk is null too), else "
                  "k = int(top_ratio * number of distinct values) lowered to topk when that is set and smaller. "
                  "Groups are stably sorted by size, largest first when reverse=true, and the samples of the "
                  "first k groups are output group by group, each group in input order.") +
      kFieldDoc;
  info.params = {FieldKeyParam(),
                 TopRatioParam("fraction of the distinct values to keep, 0 to 1"),
                 OptIntParam("topk", "number of distinct values to keep"), ReverseParam()};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<FrequencySelector>(i, p));
  };
  return info;
}

OpInfo RangeInfo() {
  OpInfo info;
  info.name = "range_specified_field_selector";
  info.kind = OpKind::kSelector;
  info.modality = Modality::kAny;
  info.summary = "Keep the samples whose rank by a field's value lies in a percentile / rank range.";
  info.description =
      std::string("The dataset is kept unchanged when both lower bounds or both upper bounds are null. "
                  "Otherwise lower = max(int(lower_percentile * N), lower_rank) and "
                  "upper = max(lower, min(int(upper_percentile * N), upper_rank)) (a null param drops out; "
                  "lower defaults to 0, upper to N). With the samples sorted ascending by value (stable), the "
                  "first `upper` are taken and of those the `upper - lower` largest are kept, output largest "
                  "first, ties in input order (Data-Juicer's nsmallest then nlargest).") +
      kNumberDoc + ", so they rank first." + kFieldDoc;
  info.params = {FieldKeyParam(),
                 OptRatioParam("lower_percentile", "lower bound as a fraction of N, 0 to 1"),
                 OptRatioParam("upper_percentile", "upper bound as a fraction of N, 0 to 1"),
                 OptIntParam("lower_rank", "lower bound as a rank (the larger lower bound wins)"),
                 OptIntParam("upper_rank", "upper bound as a rank (the smaller upper bound wins)")};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<RangeSelector>(i, p));
  };
  return info;
}

OpInfo TagsInfo() {
  OpInfo info;
  info.name = "tags_specified_field_selector";
  info.kind = OpKind::kSelector;
  info.modality = Modality::kAny;
  info.summary = "Keep the samples whose field value is one of the target tags.";
  info.description =
      std::string("Keeps, in input order, the samples whose value at field_key is a string equal "
                  "(case-sensitively) to one of target_tags. The value must be a string, a number or null "
                  "(other types are a data error, as Data-Juicer's assert); numbers and null never match. "
                  "Data-Juicer fails when target_tags is null; juicer then keeps no sample.") +
      kFieldDoc;
  info.params = {FieldKeyParam(),
                 ParamSpec{.name = "target_tags",
                           .type = ParamType::kStringList,
                           .default_value = std::monostate{},
                           .doc = "tags to keep",
                           .nullable = true}};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<TagsSelector>(i, p));
  };
  return info;
}

}  // namespace

namespace selection {

double StatsToNumber(std::string_view raw_json, bool reverse) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(raw_json);
  simdjson::dom::element e;
  if (parser.parse(padded).get(e) != simdjson::SUCCESS) return reverse ? -kMaxSize : kMaxSize;
  return LeafToNumber(LeafOf(e), reverse);
}

}  // namespace selection

Status RegisterFieldSelectors(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(TopkInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(FrequencyInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(RangeInfo()));
  return registry.Add(TagsInfo());
}

}  // namespace juicer
