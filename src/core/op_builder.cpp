#include "core/op_builder.h"

#include <cmath>

#include "core/op_registry.h"

namespace juicer {

std::vector<const ParamSpec*> AllParams(const OpInfo& info) {
  std::vector<const ParamSpec*> out;
  for (const auto& p : info.params) out.push_back(&p);
  for (const auto& p : CommonOpParams()) out.push_back(&p);
  if (info.kind == OpKind::kFilter)
    for (const auto& p : CommonFilterParams()) out.push_back(&p);
  return out;
}

const ParamSpec* FindParam(const OpInfo& info, const std::string& name) {
  for (const ParamSpec* p : AllParams(info))
    if (p->name == name) return p;
  return nullptr;
}

namespace {
std::string Describe(const ParamValue& v) {
  switch (v.index()) {
    case 0: return "null";
    case 1: return "a bool";
    case 2: return "an int (" + ParamValueToString(v) + ")";
    case 3: return "a float (" + ParamValueToString(v) + ")";
    case 4: return "a string (" + ParamValueToString(v) + ")";
    default: return "a list";
  }
}
}  // namespace

Result<ParamValue> CheckParam(const OpInfo& info, const ParamSpec& spec, ParamValue v) {
  const std::string where = "param '" + spec.name + "' of " + info.name + ": ";
  auto type_error = [&]() {
    return Status::InvalidArgument(where + "expected " + std::string(ParamTypeName(spec.type)) + ", got " +
                                   Describe(v));
  };
  if (std::holds_alternative<std::monostate>(v)) {
    if (spec.nullable || std::holds_alternative<std::monostate>(spec.default_value) || spec.type == ParamType::kAny)
      return v;
    return Status::InvalidArgument(where + "must not be null");
  }
  switch (spec.type) {
    case ParamType::kAny: return v;
    case ParamType::kBool:
      if (!std::holds_alternative<bool>(v)) return type_error();
      return v;
    case ParamType::kInt:
      if (auto* d = std::get_if<double>(&v)) {
        if (std::floor(*d) != *d || std::fabs(*d) > 9.2e18) return type_error();
        v = static_cast<int64_t>(*d);
      }
      if (!std::holds_alternative<int64_t>(v)) return type_error();
      break;
    case ParamType::kFloat:
      if (auto* i = std::get_if<int64_t>(&v)) v = static_cast<double>(*i);
      if (!std::holds_alternative<double>(v)) return type_error();
      break;
    case ParamType::kSize:
      if (auto* s = std::get_if<std::string>(&v)) {
        auto bytes = ParseSize(*s);
        if (!bytes.ok()) return Status::InvalidArgument(where + bytes.status().message());
        v = static_cast<double>(*bytes);
      } else if (auto* i = std::get_if<int64_t>(&v)) {
        v = static_cast<double>(*i);
      }
      if (!std::holds_alternative<double>(v)) return type_error();
      break;
    case ParamType::kString:
      if (!std::holds_alternative<std::string>(v)) return type_error();
      if (!spec.choices.empty()) {
        const auto& s = std::get<std::string>(v);
        bool found = false;
        std::string all;
        for (const auto& c : spec.choices) {
          found = found || c == s;
          all += (all.empty() ? "" : ", ") + c;
        }
        if (!found) return Status::InvalidArgument(where + "'" + s + "' is not one of: " + all);
      }
      return v;
    case ParamType::kStringList:
      if (auto* s = std::get_if<std::string>(&v)) v = std::vector<std::string>{*s};
      if (!std::holds_alternative<std::vector<std::string>>(v)) return type_error();
      return v;
    case ParamType::kFloatList:
    case ParamType::kIntList:
      if (auto* i = std::get_if<int64_t>(&v)) v = std::vector<double>{static_cast<double>(*i)};
      if (auto* d = std::get_if<double>(&v)) v = std::vector<double>{*d};
      if (!std::holds_alternative<std::vector<double>>(v)) return type_error();
      if (spec.type == ParamType::kIntList)
        for (double d : std::get<std::vector<double>>(v))
          if (std::floor(d) != d) return type_error();
      return v;
  }
  // numeric range
  const double x = std::holds_alternative<int64_t>(v) ? static_cast<double>(std::get<int64_t>(v))
                                                       : std::get<double>(v);
  if (spec.min_value && x < *spec.min_value)
    return Status::InvalidArgument(where + ParamValueToString(v) + " is below the minimum " +
                                   ParamValueToString(*spec.min_value));
  if (spec.max_value && x > *spec.max_value)
    return Status::InvalidArgument(where + ParamValueToString(v) + " is above the maximum " +
                                   ParamValueToString(*spec.max_value));
  return v;
}

Result<OpParams> ResolveParams(const OpInfo& info, const GivenParams& given) {
  OpParams out;
  std::vector<std::string> names;
  for (const ParamSpec* p : AllParams(info)) {
    names.push_back(p->name);
    out.Set(p->name, p->default_value);
  }
  for (const auto& [name, value] : given) {
    const ParamSpec* spec = FindParam(info, name);
    if (spec == nullptr) {
      std::string msg = "unknown param '" + name + "' of " + info.name;
      std::string best = ClosestMatch(name, names);
      if (!best.empty()) msg += " (did you mean " + best + "?)";
      else msg += " (`juicer ops " + info.name + "` lists its params)";
      return Status::InvalidArgument(msg);
    }
    JUICER_ASSIGN_OR_RETURN(ParamValue v, CheckParam(info, *spec, value));
    out.Set(name, std::move(v));
  }
  return out;
}

Result<std::unique_ptr<Op>> BuildOp(const OpInfo& info, const GivenParams& given) {
  JUICER_ASSIGN_OR_RETURN(OpParams params, ResolveParams(info, given));
  auto op = info.factory(info, params);
  if (!op.ok()) return op.status().WithContext(info.name + ": ");
  return op;
}

}  // namespace juicer
