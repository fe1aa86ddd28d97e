// data_pool_construction: split an analyzed dataset into pools by each of its stats (DJ's
// DataPoolConstruction).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sandbox/pools_internal.h"

namespace juicer::sandbox::pools {

namespace {

constexpr const char* kWhat = "data_pool_construction";

// Python's float(Fraction(s)) for "n/d" and decimal strings ("0.5", "1e-1", " 1/3 ").
bool ParseFraction(std::string s, double* out) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  if (s.empty()) return false;
  size_t slash = s.find('/');
  auto all_digits = [](const std::string& t, size_t from) {
    return from < t.size() && std::all_of(t.begin() + from, t.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  if (slash != std::string::npos) {
    std::string num = s.substr(0, slash), den = s.substr(slash + 1);
    size_t sign = (!num.empty() && (num[0] == '+' || num[0] == '-')) ? 1 : 0;
    if (!all_digits(num, sign) || !all_digits(den, 0)) return false;
    double n = std::strtod(num.c_str(), nullptr), d = std::strtod(den.c_str(), nullptr);
    if (d == 0) return false;
    *out = n / d;
    return true;
  }
  // decimal: [sign] digits [. digits] [e [sign] digits], at least one digit in the mantissa
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!all_digits(s.substr(i), 0)) return false;
    i = s.size();
  }
  if (i != s.size()) return false;
  errno = 0;
  *out = std::strtod(s.c_str(), nullptr);
  return std::isfinite(*out);
}

Result<std::vector<double>> GetSplitRatios(const Json& cfg) {
  auto it = cfg.find("split_ratios");
  if (it == cfg.end() || it->is_null()) return std::vector<double>{1.0 / 3.0, 2.0 / 3.0};
  auto bad = [&]() {
    return Status::InvalidArgument(std::string(kWhat) + ": split_ratios must be increasing values in (0,1), got " +
                                   Brief(*it));
  };
  if (!it->is_array()) return bad();
  std::vector<double> out;
  for (const auto& r : *it) {
    double v = 0;
    if (r.is_number()) {
      v = r.get<double>();
    } else if (!r.is_string() || !ParseFraction(r.get<std::string>(), &v)) {
      return bad();
    }
    if (!(v > 0 && v < 1) || (!out.empty() && v <= out.back())) return bad();
    out.push_back(v);
  }
  return out;
}

// numpy's pairwise summation (np.add.reduce on float64), so list means match np.mean to the last bit.
double PairwiseSum(const double* a, size_t n) {
  if (n < 8) {
    double res = 0.;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return PairwiseSum(a, n2) + PairwiseSum(a + n2, n - n2);
}

// One stat key across the dataset. Kinds follow DJ's schema check: numbers (bools count) and lists of
// numbers (reduced to their mean, empty -> 0) are ranked; strings and lists of strings are skipped; anything
// else (objects, mixed kinds, missing values) cannot be ranked and is skipped with a warning.
struct StatColumn {
  enum Kind { kUnset, kNumber, kList, kEmptyList, kText, kBad };
  std::string key;
  Kind kind = kUnset;
  std::vector<double> values;  // per sample; NaN where missing
  std::string problem;         // why it cannot be ranked (first one found)
};

StatColumn::Kind Classify(const Json& v, double* value, std::vector<double>* scratch) {
  if (v.is_boolean()) {
    *value = v.get<bool>() ? 1.0 : 0.0;
    return StatColumn::kNumber;
  }
  if (v.is_number()) {
    *value = v.get<double>();
    return StatColumn::kNumber;
  }
  if (v.is_string()) return StatColumn::kText;
  if (v.is_array()) {
    if (v.empty()) {
      *value = 0.0;
      return StatColumn::kEmptyList;
    }
    scratch->clear();
    for (const auto& e : v) {
      if (e.is_string()) return StatColumn::kText;
      if (e.is_boolean()) scratch->push_back(e.get<bool>() ? 1.0 : 0.0);
      else if (e.is_number()) scratch->push_back(e.get<double>());
      else return StatColumn::kBad;
    }
    *value = PairwiseSum(scratch->data(), scratch->size()) / static_cast<double>(scratch->size());
    return StatColumn::kList;
  }
  return StatColumn::kBad;
}

StatColumn::Kind Merge(StatColumn::Kind a, StatColumn::Kind b) {
  using K = StatColumn;
  if (a == K::kUnset || a == b) return b;
  if (a == K::kBad || b == K::kBad) return K::kBad;
  if (a == K::kEmptyList && (b == K::kList || b == K::kText)) return b;
  if (b == K::kEmptyList && (a == K::kList || a == K::kText)) return a;
  return K::kBad;  // numbers mixed with lists or strings
}

struct Analyzed {
  std::vector<PoolRecord> records;
  std::vector<std::string> wheres;
  std::vector<StatColumn> columns;  // in order of first appearance
  std::vector<std::string> strata;  // per sample, when stratified
  bool has_stats = false;
};

Result<Analyzed> LoadAnalyzed(const std::string& path, bool ignore_stats, const std::string& stratify_by) {
  Analyzed a;
  std::unordered_map<std::string, size_t> col_of;
  std::vector<double> scratch;
  Status st = ForEachSample(path, [&](Json& s, const std::string& uid, const std::string& where) {
    const size_t idx = a.records.size();
    a.records.push_back({uid, s.dump(-1, ' ', false, Json::error_handler_t::replace)});
    if (!stratify_by.empty()) a.strata.push_back(StratumOf(s, stratify_by));
    if (ignore_stats) return Status::OK();
    a.wheres.push_back(where);
    auto stats = s.find(kStatsKey);
    if (stats == s.end() || stats->is_null()) return Status::OK();
    if (!stats->is_object()) return Status::DataError(where + ": " + kStatsKey + " is not an object");
    a.has_stats = true;
    for (auto it = stats->begin(); it != stats->end(); ++it) {
      if (it.value().is_null()) continue;  // a missing value
      auto [pos, fresh] = col_of.emplace(it.key(), a.columns.size());
      if (fresh) a.columns.push_back(StatColumn{it.key()});
      StatColumn& c = a.columns[pos->second];
      if (c.values.size() < idx) {
        if (c.problem.empty()) c.problem = "missing in " + a.wheres[c.values.size()];
        c.values.resize(idx, std::numeric_limits<double>::quiet_NaN());
      }
      double v = std::numeric_limits<double>::quiet_NaN();
      const auto kind = Classify(it.value(), &v, &scratch);
      const auto merged = Merge(c.kind, kind);
      if (merged == StatColumn::kBad && c.kind != StatColumn::kBad && c.problem.empty())
        c.problem = "value " + Brief(it.value()) + " at " + where + " is not a number or a list of numbers like the others";
      c.kind = merged;
      c.values.push_back(v);
    }
    return Status::OK();
  });
  if (!st.ok()) return st;
  for (auto& c : a.columns) {
    if (c.values.size() < a.records.size()) {
      if (c.problem.empty()) c.problem = "missing in " + a.wheres[c.values.size()];
      c.values.resize(a.records.size(), std::numeric_limits<double>::quiet_NaN());
    }
  }
  return a;
}

Result<std::vector<std::string>> ConstructOne(const std::string& path, const std::string& export_path,
                                              const std::vector<double>& ratios, std::optional<int64_t> split_num,
                                              bool ignore_stats, const std::string& stratify_by) {
  std::vector<std::string> out;
  JUICER_ASSIGN_OR_RETURN(Analyzed a, LoadAnalyzed(path, ignore_stats, stratify_by));
  if (!ignore_stats && !a.has_stats) {
    Warn(std::string(kWhat) + ": " + path + " has no " + kStatsKey + ", skipped");
    return out;
  }
  const size_t total = a.records.size();
  if (total == 0) {
    Warn(std::string(kWhat) + ": " + path + " is empty, skipped");
    return out;
  }
  // Split points of a sorted list of n samples: DJ's, by ratio (rounded) or every split_num samples.
  auto split_points = [&](size_t n) {
    std::vector<size_t> points{0};
    if (split_num) {
      for (size_t p = static_cast<size_t>(*split_num); p < n; p += static_cast<size_t>(*split_num)) points.push_back(p);
    } else {
      for (double r : ratios) points.push_back(static_cast<size_t>(static_cast<double>(n) * r + 0.5));
    }
    points.push_back(n);
    return points;
  };
  const std::vector<size_t> points = split_points(total);

  const std::string stem = PathStem(path);
  std::vector<uint32_t> order(total);
  for (size_t i = 0; i < total; ++i) order[i] = static_cast<uint32_t>(i);
  // Part i of the current order. Stratified (juicer's stratify_by): each stratum is split on its own and
  // part i is the union of the strata's parts i, so every part keeps the dataset's mix of strata.
  auto part_of = [&](size_t i) {
    if (a.strata.empty()) return std::vector<uint32_t>(order.begin() + points[i], order.begin() + points[i + 1]);
    std::vector<uint32_t> part;
    for (const auto& g : GroupByStratum(a.strata, order)) {
      const std::vector<size_t> gp = split_points(g.size());
      part.insert(part.end(), g.begin() + gp[i], g.begin() + gp[i + 1]);
    }
    return part;
  };
  auto write_parts = [&](const std::string& dir, const std::string& infix) -> Status {
    for (size_t i = 0; i + 1 < points.size(); ++i) {
      std::vector<uint32_t> part = part_of(i);
      const std::string name = stem + infix + std::to_string(i) + ".jsonl";
      JUICER_ASSIGN_OR_RETURN(std::string written, WritePool(JoinPath(dir, name), a.records, &part));
      out.push_back(written);
    }
    return Status::OK();
  };
  if (ignore_stats) {
    JUICER_RETURN_IF_ERROR(write_parts(export_path, "_ignore_stats_"));
    return out;
  }
  for (const auto& c : a.columns) {
    if (c.kind == StatColumn::kText) continue;  // string stats are not ranked (DJ)
    if (c.kind == StatColumn::kBad || !c.problem.empty()) {
      Warn(std::string(kWhat) + ": " + path + ": stat '" + c.key + "' cannot be ranked (" + c.problem + "), skipped");
      continue;
    }
    if (c.key.find('/') != std::string::npos || c.key == "." || c.key == "..") {
      Warn(std::string(kWhat) + ": " + path + ": stat '" + c.key + "' is not usable as a directory name, skipped");
      continue;
    }
    // DJ sorts the same list in place for each stat in turn (stable), so ties keep the previous order.
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return c.values[x] < c.values[y]; });
    JUICER_RETURN_IF_ERROR(write_parts(JoinPath(export_path, c.key), "_" + c.key + "_"));
  }
  return out;
}

}  // namespace

Result<Json> RunConstruction(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(auto paths, GetPathList(cfg, kWhat, "dataset_path"));
  JUICER_ASSIGN_OR_RETURN(std::string export_path, GetExportPath(cfg, kWhat));
  JUICER_ASSIGN_OR_RETURN(auto ratios, GetSplitRatios(cfg));
  JUICER_ASSIGN_OR_RETURN(auto split_num, GetOptInt(cfg, kWhat, "split_num", 1));
  JUICER_ASSIGN_OR_RETURN(bool ignore_stats, GetBool(cfg, kWhat, "ignore_stats", false));
  JUICER_ASSIGN_OR_RETURN(std::string stratify_by, GetStratifyKey(cfg, kWhat));
  if (!stratify_by.empty() && split_num)
    return Status::InvalidArgument(std::string(kWhat) + ": stratify_by splits each stratum by split_ratios; "
                                   "it cannot be combined with split_num");
  JUICER_ASSIGN_OR_RETURN(auto existing, ExistingPaths(paths, kWhat, "dataset_path"));
  Json out = Json::array();
  for (const auto& p : existing) {
    JUICER_ASSIGN_OR_RETURN(auto written, ConstructOne(p, export_path, ratios, split_num, ignore_stats, stratify_by));
    for (auto& w : written) out.push_back(w);
  }
  return out;
}

}  // namespace juicer::sandbox::pools
