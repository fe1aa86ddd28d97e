#include "ops/video/video_filter_base.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <utility>

namespace juicer::video_ops {

PerVideoFilter::PerVideoFilter(const OpInfo& info, const OpParams& params, std::vector<std::string> stat_keys,
                               std::vector<Bound> bounds, MeasureFn fn)
    : Filter(info, params),
      keys_(std::move(stat_keys)),
      bounds_(std::move(bounds)),
      fn_(std::move(fn)),
      any_(params.GetString("any_or_all") != "all"),
      min_closed_(!params.Has("min_closed_interval") || params.GetBool("min_closed_interval")),
      max_closed_(!params.Has("max_closed_interval") || params.GetBool("max_closed_interval")),
      reversed_(params.Has("reversed_range") && params.GetBool("reversed_range")) {}

Status PerVideoFilter::ComputeStats(Sample& sample, WorkerContext& ctx) const {
  bool all_present = true;
  for (const auto& k : keys_) all_present = all_present && sample.stats().Has(k);
  if (all_present) return Status::OK();
  std::vector<std::vector<StatScalar>> cols(keys_.size());
  if (sample.Has(video_key())) {
    JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* paths, sample.GetStringList(video_key()));
    std::unordered_map<std::string, std::vector<StatScalar>> done;  // a repeated video is measured once
    std::vector<StatScalar> row(keys_.size());
    for (const std::string& path : *paths) {
      auto it = done.find(path);
      if (it == done.end()) {
        media::SampleVideo video(sample, video_key(), path, ctx);
        JUICER_RETURN_IF_ERROR(fn_(*this, video, ctx, row.data()));
        it = done.emplace(path, row).first;
      }
      for (size_t k = 0; k < keys_.size(); ++k) cols[k].push_back(it->second[k]);
    }
  }
  for (size_t k = 0; k < keys_.size(); ++k) sample.stats().Set(keys_[k], StatValue(std::move(cols[k])));
  return Status::OK();
}

namespace {
// sign(v - p/q), exact while v * q fits a long double's 64-bit mantissa (q < 2^11 for any double v).
int CompareRational(double v, const Rational& r) {
  const long double lhs = static_cast<long double>(v) * static_cast<long double>(r.den);
  const long double rhs = static_cast<long double>(r.num);
  return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
}
}  // namespace

bool PerVideoFilter::InBounds(double v, const Bound& b) const {
  if (!b.min_q && !b.max_q) return KeepRange(v, b.min, b.max);
  bool keep = true;
  if (b.min_q) keep = keep && (min_closed_ ? CompareRational(v, *b.min_q) >= 0 : CompareRational(v, *b.min_q) > 0);
  if (b.max_q) keep = keep && (max_closed_ ? CompareRational(v, *b.max_q) <= 0 : CompareRational(v, *b.max_q) < 0);
  return reversed_ ? !keep : keep;
}

Result<Rational> ParseRatio(const std::string& text) {
  std::string t = text;
  for (char& c : t)
    if (c == ':') c = '/';
  auto parse_dec = [](const std::string& s, int64_t* num, int64_t* den) -> bool {
    // a decimal "12", "0.75" as num/den
    if (s.empty()) return false;
    int64_t n = 0, d = 1;
    bool dot = false, digit = false;
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
      neg = s[0] == '-';
      i = 1;
    }
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '.' && !dot) {
        dot = true;
      } else if (c >= '0' && c <= '9') {
        digit = true;
        if (n > (INT64_MAX / 10) || (dot && d > INT64_MAX / 10)) return false;
        n = n * 10 + (c - '0');
        if (dot) d *= 10;
      } else {
        return false;
      }
    }
    *num = neg ? -n : n;
    *den = d;
    return digit;
  };
  const size_t slash = t.find('/');
  int64_t a = 0, b = 1, c = 1, d = 1;
  bool ok = slash == std::string::npos ? parse_dec(t, &a, &b)
                                       : parse_dec(t.substr(0, slash), &a, &b) && parse_dec(t.substr(slash + 1), &c, &d);
  if (!ok) return Status::InvalidArgument("'" + text + "' is not a ratio like \"9/21\", \"9:21\" or 0.75");
  // (a/b) / (c/d) = (a*d) / (b*c)
  const __int128 num = static_cast<__int128>(a) * d, den = static_cast<__int128>(b) * c;
  if (den == 0) return Status::InvalidArgument("'" + text + "': zero denominator");
  if (num > INT64_MAX || den > INT64_MAX || num < INT64_MIN || den < INT64_MIN)
    return Status::InvalidArgument("'" + text + "': out of range");
  Rational r{static_cast<int64_t>(num), static_cast<int64_t>(den)};
  if (r.den < 0) r = {-r.num, -r.den};
  return r;
}

Result<bool> PerVideoFilter::Keep(const Sample& sample) const {
  std::vector<const std::vector<StatScalar>*> lists;
  for (const auto& k : keys_) {
    const StatValue* v = sample.stats().Find(k);
    if (v == nullptr) return Status::DataError("stat '" + k + "' is missing");
    if (!v->is_list()) return Status::DataError("stat '" + k + "' is not a list (one value per video)");
    lists.push_back(&v->list());
  }
  const size_t n = lists[0]->size();
  if (n == 0) return true;
  bool any = false, all = true;
  for (size_t i = 0; i < n; ++i) {
    bool keep = true;
    for (size_t k = 0; k < keys_.size(); ++k) {
      if (lists[k]->size() != n)
        return Status::DataError("stats '" + keys_[0] + "' and '" + keys_[k] + "' have different lengths");
      auto x = ScalarAsNumber((*lists[k])[i]);
      if (!x) return Status::DataError("stat '" + keys_[k] + "' has a non-number entry");
      keep = keep && InBounds(*x, bounds_[k]);
    }
    any = any || keep;
    all = all && keep;
  }
  return any_ ? any : all;
}

ParamSpec AnyOrAllParam() {
  return ParamSpec{.name = "any_or_all",
                   .type = ParamType::kString,
                   .default_value = std::string("any"),
                   .doc = "keep a sample when any of its videos passes ('any') or only when all do ('all')",
                   .choices = {"any", "all"}};
}

std::vector<ParamSpec> FrameSamplingParams(const std::string& default_method) {
  return {ParamSpec{.name = "frame_sampling_method", .type = ParamType::kString, .default_value = default_method,
                    .doc = "'all_keyframes' (every key frame) or 'uniform' (frame_num frames evenly spaced in time)",
                    .choices = {"all_keyframes", "uniform"}},
          ParamSpec{.name = "frame_num", .type = ParamType::kInt, .default_value = int64_t{3},
                    .doc = "uniform: frames per video (1: the middle one; 2: first and last)", .min_value = 1.0}};
}

Result<media::FrameSampling> FrameSamplingOf(const OpParams& params) {
  media::FrameSampling s{.method = params.GetString("frame_sampling_method"), .frame_num = params.GetInt("frame_num")};
  JUICER_RETURN_IF_ERROR(media::ValidateFrameSampling(s));
  return s;
}

ParamSpec ReduceModeParam() {
  return ParamSpec{.name = "reduce_mode", .type = ParamType::kString, .default_value = std::string("avg"),
                   .doc = "how a video's frame scores become one: 'avg', 'max' or 'min'",
                   .choices = {"avg", "max", "min"}};
}

double Reduce(const std::vector<double>& v, const std::string& mode) {
  if (v.empty()) return 0.0;
  if (mode == "max") return *std::max_element(v.begin(), v.end());
  if (mode == "min") return *std::min_element(v.begin(), v.end());
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace juicer::video_ops
