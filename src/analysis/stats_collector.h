// Collects per-sample Stats into one column per stat key, the input of the analyzer.
// The executor calls Add once per sample, in sample order, then Finish.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/stats.h"

namespace juicer {

struct StatColumn {
  std::string name;
  // True when the stat holds mostly strings (e.g. `lang`): more string values than numeric ones.
  bool is_string = false;
  // One value per sample added: the scalar, or the mean of a list's numbers (an empty list -> 0,
  // DJ's pool rule); NaN when the sample lacks the stat or has no number for it (null, a string).
  std::vector<double> per_sample;
  // Every numeric value, lists flattened (as DJ's overall table does); NaN values are left out.
  std::vector<double> flattened;
  // Every string value, lists flattened.
  std::vector<std::string> strings;
};

class StatsCollector {
 public:
  // Adds one sample's stats. Keys are columns in first-seen order; a key first seen now gets NaN
  // for every earlier sample, and a column the sample lacks gets NaN for it.
  void Add(const Stats& s);
  // Appends the samples of `later` after this collector's (merging per-worker collectors of
  // consecutive shards). `later` is left empty.
  void Append(StatsCollector&& later);
  size_t num_samples() const { return num_samples_; }
  // The columns, in first-seen key order; the collector is left empty.
  std::vector<StatColumn> Finish();

 private:
  StatColumn& ColumnFor(const std::string& key);

  size_t num_samples_ = 0;
  std::vector<StatColumn> columns_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace juicer
