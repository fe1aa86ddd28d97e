#include "core/stats.h"

#include <charconv>
#include <cmath>

#include "core/json_text.h"

namespace juicer {

std::optional<double> ScalarAsNumber(const StatScalar& s) {
  if (const auto* b = std::get_if<bool>(&s)) return *b ? 1.0 : 0.0;
  if (const auto* i = std::get_if<int64_t>(&s)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&s)) return *d;
  return std::nullopt;
}

std::optional<double> StatValue::AsNumber() const {
  if (is_list()) return std::nullopt;
  return ScalarAsNumber(scalar());
}

std::vector<double> StatValue::Numbers() const {
  std::vector<double> out;
  if (!is_list()) {
    if (auto x = ScalarAsNumber(scalar())) out.push_back(*x);
    return out;
  }
  for (const auto& s : list())
    if (auto x = ScalarAsNumber(s)) out.push_back(*x);
  return out;
}

const StatValue* Stats::Find(std::string_view key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return &v;
  return nullptr;
}

void Stats::Set(std::string key, StatValue value) {
  for (auto& [k, v] : items_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  items_.emplace_back(std::move(key), std::move(value));
}

void AppendNumberJson(double x, std::string* out) {
  if (std::isnan(x)) {  // Python's json writes NaN / Infinity; keep that for compatibility
    out->append("NaN");
    return;
  }
  if (std::isinf(x)) {
    out->append(x > 0 ? "Infinity" : "-Infinity");
    return;
  }
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  std::string_view s(buf, r.ptr - buf);
  out->append(s);
  if (s.find_first_of(".eEn") == std::string_view::npos) out->append(".0");
}

void AppendScalarJson(const StatScalar& s, std::string* out) {
  switch (s.index()) {
    case 0: out->append("null"); break;
    case 1: out->append(std::get<bool>(s) ? "true" : "false"); break;
    case 2: out->append(std::to_string(std::get<int64_t>(s))); break;
    case 3: AppendNumberJson(std::get<double>(s), out); break;
    default: AppendJsonString(std::get<std::string>(s), out);
  }
}

void AppendStatsJson(const Stats& stats, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& [k, v] : stats.items()) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(k, out);
    out->push_back(':');
    if (!v.is_list()) {
      AppendScalarJson(v.scalar(), out);
    } else {
      out->push_back('[');
      for (size_t i = 0; i < v.list().size(); ++i) {
        if (i) out->push_back(',');
        AppendScalarJson(v.list()[i], out);
      }
      out->push_back(']');
    }
  }
  out->push_back('}');
}

}  // namespace juicer
