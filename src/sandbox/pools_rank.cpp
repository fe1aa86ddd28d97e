// data_pool_ranking (GeneralProbeHook): order data pools by their evaluated metrics (DJ's DataPoolRanking).
#include <algorithm>
#include <string>
#include <vector>

#include "sandbox/pools_internal.h"

namespace juicer::sandbox::pools {

namespace {

constexpr const char* kWhat = "data_pool_ranking";

// DJ's nested_query: at each level try the rest of the dotted key as one flat key first, then descend
// one component; over a list, query every element. Null values count as absent.
Json NestedQuery(const Json& root, const std::vector<std::string>& parts, size_t from) {
  const Json* cur = &root;
  for (size_t i = from; i < parts.size(); ++i) {
    if (cur->is_array()) {
      Json out = Json::array();
      for (const auto& item : *cur) out.push_back(NestedQuery(item, parts, i));
      return out;
    }
    if (!cur->is_object()) return nullptr;
    std::string rest = parts[i];
    for (size_t k = i + 1; k < parts.size(); ++k) rest += "." + parts[k];
    auto whole = cur->find(rest);
    if (whole != cur->end() && !whole->is_null()) return *whole;
    auto step = cur->find(parts[i]);
    if (step == cur->end()) return nullptr;
    cur = &*step;
  }
  return nullptr;
}

std::vector<std::string> SplitDots(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

// Python's ordering of metric values: numbers (and bools) by value, strings by code point, lists
// lexicographically. Other pairs cannot be ordered in Python (TypeError): `*bad` is set, and a fixed
// order by kind keeps the comparison a strict weak ordering for the sort.
int KindRank(const Json& v) {
  if (v.is_number() || v.is_boolean()) return 0;
  if (v.is_string()) return 1;
  if (v.is_array()) return 2;
  if (v.is_object()) return 3;
  return 4;  // null
}

long double AsNumber(const Json& v) {
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_number_unsigned()) return static_cast<long double>(v.get<uint64_t>());
  if (v.is_number_integer()) return static_cast<long double>(v.get<int64_t>());
  return static_cast<long double>(v.get<double>());
}

int PyCompare(const Json& a, const Json& b, bool* bad) {
  const int ka = KindRank(a), kb = KindRank(b);
  if (ka != kb || ka >= 3) {
    *bad = true;
    return ka < kb ? -1 : (ka > kb ? 1 : 0);
  }
  if (ka == 0) {
    const long double x = AsNumber(a), y = AsNumber(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (ka == 1) {
    const int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const int c = PyCompare(a[i], b[i], bad);
    if (c != 0) return c;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

}  // namespace

Result<Json> RunRanking(const Json& cfg) {
  auto paths_it = cfg.find("dataset_path");
  auto metrics_it = cfg.find("metrics");
  const Json paths = paths_it == cfg.end() ? Json::array() : *paths_it;
  const Json metrics = metrics_it == cfg.end() ? Json::array() : *metrics_it;
  if (!paths.is_array() || !metrics.is_array() || paths.size() != metrics.size())
    return Status::InvalidArgument(std::string(kWhat) +
                                   ": dataset_path and metrics must be lists of the same length, got " +
                                   Brief(paths) + " and " + Brief(metrics));
  std::vector<std::string> keys;
  if (auto it = cfg.find("ranking_keys"); it != cfg.end() && !it->is_null()) {
    const Json list = it->is_array() ? *it : Json::array({*it});
    for (const auto& k : list) {
      if (!k.is_string())
        return Status::InvalidArgument(std::string(kWhat) + ": ranking_keys must be a list of (dotted) keys, got " +
                                       Brief(*it));
      keys.push_back(k.get<std::string>());
    }
  }
  JUICER_ASSIGN_OR_RETURN(bool descending, GetBool(cfg, kWhat, "descending", true));
  JUICER_ASSIGN_OR_RETURN(auto top_n, GetOptInt(cfg, kWhat, "top_n", 0));
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (!metrics[i].is_object() && !metrics[i].is_number())
      return Status::InvalidArgument(std::string(kWhat) + ": metrics[" + std::to_string(i) +
                                     "] must be a mapping of metric values, got " + Brief(metrics[i]));
  }
  const size_t n = metrics.size();
  if (n == 0) return Json::array();

  // keys present in the first pool's metrics are used; the others are reported and ignored (DJ)
  std::vector<std::vector<std::string>> used;
  std::vector<std::string> used_names, missing;
  for (const auto& k : keys) {
    auto parts = SplitDots(k);
    if (NestedQuery(metrics[0], parts, 0).is_null()) {
      missing.push_back(k);
    } else {
      used.push_back(std::move(parts));
      used_names.push_back(k);
    }
  }
  if (!missing.empty()) {
    std::string joined;
    for (const auto& m : missing) joined += (joined.empty() ? "" : ",") + m;
    Warn(std::string(kWhat) + ": ranking keys [" + joined + "] do not exist in metrics[0], skipped");
  }

  // the sort key of each pool: a list of the used keys' values, or the whole metric without keys
  std::vector<Json> sort_keys(n);
  for (size_t i = 0; i < n; ++i) {
    if (used.empty()) {
      sort_keys[i] = metrics[i];
      continue;
    }
    sort_keys[i] = Json::array();
    for (size_t k = 0; k < used.size(); ++k) {
      Json v = NestedQuery(metrics[i], used[k], 0);
      if (v.is_null() && n > 1)
        return Status::InvalidArgument(std::string(kWhat) + ": metrics[" + std::to_string(i) + "] has no ranking key '" +
                                       used_names[k] + "'");
      sort_keys[i].push_back(std::move(v));
    }
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  bool bad = false;
  // Python's sorted(reverse=True) is stable too: equal pools keep their input order
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const int c = PyCompare(sort_keys[x], sort_keys[y], &bad);
    return descending ? c > 0 : c < 0;
  });
  if (bad) {
    if (used.empty())
      return Status::InvalidArgument(std::string(kWhat) +
                                     ": no ranking_keys found in metrics[0], and whole metrics (mappings) cannot be "
                                     "ordered; set ranking_keys to metric names");
    return Status::InvalidArgument(std::string(kWhat) + ": the values of ranking_keys cannot be ordered (mixed kinds, "
                                   "or mappings/nulls), e.g. " + Brief(sort_keys[order[0]]));
  }
  Json out = Json::array();
  const size_t keep = top_n ? std::min<size_t>(n, static_cast<size_t>(*top_n)) : n;
  for (size_t i = 0; i < keep; ++i) out.push_back(paths[order[i]]);
  return out;
}

}  // namespace juicer::sandbox::pools
