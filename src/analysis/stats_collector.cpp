#include "analysis/stats_collector.h"

#include <cmath>
#include <limits>
#include <utility>
#include <variant>

namespace juicer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Adds one scalar to the column's flattened numbers or strings; returns its number, if any.
std::optional<double> AddScalar(const StatScalar& s, StatColumn* col) {
  if (const auto* str = std::get_if<std::string>(&s)) {
    col->strings.push_back(*str);
    return std::nullopt;
  }
  std::optional<double> x = ScalarAsNumber(s);
  if (x && !std::isnan(*x)) col->flattened.push_back(*x);
  return x;
}

}  // namespace

StatColumn& StatsCollector::ColumnFor(const std::string& key) {
  auto it = index_.find(key);
  if (it != index_.end()) return columns_[it->second];
  index_.emplace(key, columns_.size());
  StatColumn& col = columns_.emplace_back();
  col.name = key;
  col.per_sample.assign(num_samples_, kNaN);
  return col;
}

void StatsCollector::Add(const Stats& s) {
  for (const auto& [key, value] : s.items()) {
    StatColumn& col = ColumnFor(key);
    double per_sample = kNaN;
    if (!value.is_list()) {
      if (auto x = AddScalar(value.scalar(), &col)) per_sample = *x;
    } else if (value.list().empty()) {
      per_sample = 0.0;  // DJ pools an empty list to 0
    } else {
      double sum = 0;
      size_t n = 0;
      for (const StatScalar& item : value.list()) {
        if (auto x = AddScalar(item, &col)) {
          sum += *x;
          ++n;
        }
      }
      if (n > 0) per_sample = sum / static_cast<double>(n);
    }
    // A key repeated within one sample cannot happen (Stats::Set replaces); keep the last value.
    if (col.per_sample.size() > num_samples_) {
      col.per_sample.back() = per_sample;
    } else {
      col.per_sample.push_back(per_sample);
    }
  }
  ++num_samples_;
  for (StatColumn& col : columns_)
    if (col.per_sample.size() < num_samples_) col.per_sample.push_back(kNaN);
}

void StatsCollector::Append(StatsCollector&& later) {
  const size_t before = num_samples_;
  for (StatColumn& src : later.columns_) {
    StatColumn& dst = ColumnFor(src.name);
    dst.per_sample.resize(before, kNaN);
    dst.per_sample.insert(dst.per_sample.end(), src.per_sample.begin(), src.per_sample.end());
    dst.flattened.insert(dst.flattened.end(), src.flattened.begin(), src.flattened.end());
    for (std::string& str : src.strings) dst.strings.push_back(std::move(str));
  }
  num_samples_ += later.num_samples_;
  for (StatColumn& col : columns_) col.per_sample.resize(num_samples_, kNaN);
  later = StatsCollector();
}

std::vector<StatColumn> StatsCollector::Finish() {
  for (StatColumn& col : columns_) col.is_string = col.strings.size() > col.flattened.size();
  std::vector<StatColumn> out = std::move(columns_);
  *this = StatsCollector();
  return out;
}

}  // namespace juicer
