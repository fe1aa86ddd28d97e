// Per-sample statistics (`__dj__stats__`): stat key -> number, string, bool or list of those.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace juicer {

using StatScalar = std::variant<std::monostate, bool, int64_t, double, std::string>;

struct StatValue {
  // Either a scalar or a list (one value per image / video).
  std::variant<StatScalar, std::vector<StatScalar>> v;

  StatValue() = default;
  StatValue(int64_t x) : v(StatScalar(x)) {}               // NOLINT
  StatValue(int x) : v(StatScalar(int64_t{x})) {}          // NOLINT
  StatValue(double x) : v(StatScalar(x)) {}                // NOLINT
  StatValue(bool x) : v(StatScalar(x)) {}                  // NOLINT
  StatValue(std::string x) : v(StatScalar(std::move(x))) {}  // NOLINT
  StatValue(std::vector<StatScalar> xs) : v(std::move(xs)) {}  // NOLINT

  bool is_list() const { return v.index() == 1; }
  const StatScalar& scalar() const { return std::get<0>(v); }
  const std::vector<StatScalar>& list() const { return std::get<1>(v); }
  // Numeric value of a scalar (bool -> 0/1); nullopt for strings / null / lists.
  std::optional<double> AsNumber() const;
  // All numeric values: a scalar gives one, a list gives its numeric items.
  std::vector<double> Numbers() const;
};

std::optional<double> ScalarAsNumber(const StatScalar& s);

// Insertion-ordered small map (a sample has a handful of stats).
class Stats {
 public:
  const StatValue* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  void Set(std::string key, StatValue value);
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<std::pair<std::string, StatValue>>& items() const { return items_; }
  void Clear() { items_.clear(); }

 private:
  std::vector<std::pair<std::string, StatValue>> items_;
};

// JSON text of stats, e.g. {"text_len":12,"alnum_ratio":0.5}. Floats use the shortest
// round-trip form with a ".0" on integral values, like Python's json.
void AppendStatsJson(const Stats& stats, std::string* out);
void AppendNumberJson(double x, std::string* out);
void AppendScalarJson(const StatScalar& s, std::string* out);

}  // namespace juicer
