// Typed op parameters: the declaration (ParamSpec, part of an op's metadata) and the validated
// values an op is built from (OpParams).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"

namespace juicer {

enum class ParamType { kBool, kInt, kFloat, kString, kStringList, kFloatList, kIntList, kSize, kAny };
std::string_view ParamTypeName(ParamType t);

// monostate = None/null.
using ParamValue =
    std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<std::string>, std::vector<double>>;
std::string ParamValueToString(const ParamValue& v);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kAny;
  ParamValue default_value;  // Data-Juicer's default
  std::string doc;
  bool nullable = false;             // accepts null (DJ Optional[...])
  std::optional<double> min_value;   // inclusive range for numbers
  std::optional<double> max_value;
  std::vector<std::string> choices;  // allowed strings, empty = any
};

// Parameters every Data-Juicer op accepts (base OP kwargs) and those every filter accepts.
const std::vector<ParamSpec>& CommonOpParams();
const std::vector<ParamSpec>& CommonFilterParams();

// A filter bound (min_* / max_*): nullable (null = no bound), with Data-Juicer's default; a FloatBound
// without a default defaults to null.
ParamSpec IntBound(std::string name, int64_t def, std::string doc);
ParamSpec FloatBound(std::string name, std::optional<double> def, std::string doc);

// Validated values, one per declared param (defaults filled in).
class OpParams {
 public:
  void Set(std::string name, ParamValue v) { values_[std::move(name)] = std::move(v); }
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  bool IsNull(const std::string& name) const;
  const ParamValue& Get(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  int64_t GetInt(const std::string& name) const;
  double GetDouble(const std::string& name) const;  // int values widen
  std::optional<double> GetOptDouble(const std::string& name) const;
  std::optional<int64_t> GetOptInt(const std::string& name) const;
  const std::string& GetString(const std::string& name) const;
  std::vector<std::string> GetStringList(const std::string& name) const;
  std::vector<double> GetDoubleList(const std::string& name) const;
  const std::map<std::string, ParamValue>& values() const { return values_; }

 private:
  std::map<std::string, ParamValue> values_;
};

// "120kb" / "180KiB" / 1000 -> bytes (kB = 1000, KiB = 1024; case-insensitive), as DJ's size_to_bytes.
Result<uint64_t> ParseSize(const std::string& text);

}  // namespace juicer
