#include "sandbox/ksigma.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "core/dataset_writer.h"

namespace juicer::sandbox {
namespace {

struct CsvRecord {
  std::vector<std::string> fields;
  int line = 0;  // 1-based line where the record starts
};

// RFC 4180: fields separated by ',', records by '\n' (or "\r\n"); a quoted field may hold commas,
// newlines and doubled quotes.
Result<std::vector<CsvRecord>> SplitCsv(std::string_view text, const std::string& what) {
  std::vector<CsvRecord> records;
  size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool end_of_record = false;
    while (!end_of_record) {
      if (i < text.size() && text[i] == '"') {
        const int start_line = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            return Status::DataError(what + ":" + std::to_string(start_line) + ": unterminated quoted field");
          }
          const char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              field.push_back('"');
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
        }
      }
      while (i < text.size() && text[i] != ',' && text[i] != '\n') field.push_back(text[i++]);
      if (i < text.size() && text[i] == ',') {
        ++i;
      } else {
        if (i < text.size()) ++i;  // '\n'
        ++line;
        end_of_record = true;
        if (!field.empty() && field.back() == '\r') field.pop_back();
      }
      rec.fields.push_back(std::move(field));
      field.clear();
    }
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // blank line
    records.push_back(std::move(rec));
  }
  return records;
}

Result<double> ParseCell(const std::string& cell, const std::string& where) {
  if (cell.empty()) return std::numeric_limits<double>::quiet_NaN();
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(cell.c_str(), &end);
  if (end == cell.c_str() || *end != '\0') {
    return Status::DataError(where + ": '" + cell + "' is not a number");
  }
  return v;
}

bool HasExtension(const std::string& path, std::string_view ext) {
  return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
}

// The op's param spec, among its own params and the common ones; nullptr when unknown.
const ParamSpec* FindParam(const OpInfo& info, const std::string& name) {
  for (const ParamSpec& p : info.params)
    if (p.name == name) return &p;
  for (const ParamSpec& p : CommonOpParams())
    if (p.name == name) return &p;
  if (info.kind == OpKind::kFilter) {
    for (const ParamSpec& p : CommonFilterParams())
      if (p.name == name) return &p;
  }
  return nullptr;
}

// The new value of one param, or null Json when it stays unchanged.
Json NewBound(const ParamSpec& spec, const std::string& name, const StatMoment& m, double k) {
  const bool is_max = name.find("max") != std::string::npos;
  const bool is_min = name.find("min") != std::string::npos;
  if (!is_min && !is_max) return Json();
  if (spec.type != ParamType::kInt && spec.type != ParamType::kFloat && spec.type != ParamType::kSize) {
    return Json();
  }
  const double v = is_max ? m.mean + k * m.std : m.mean - k * m.std;
  if (!std::isfinite(v)) return Json();
  if (spec.type == ParamType::kInt) {
    const double r = is_max ? std::floor(v) : std::ceil(v);
    if (std::fabs(r) > 9.2e18) return Json();  // beyond int64: leave the param as it was
    return Json(static_cast<int64_t>(r));
  }
  return Json(v);
}

}  // namespace

Result<StatMoments> ParseOverallCsv(std::string_view text, const std::string& what) {
  JUICER_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, SplitCsv(text, what));
  StatMoments out;
  if (records.empty()) return out;  // an analysis of no stats
  const CsvRecord& header = records[0];
  if (header.fields.empty() || !header.fields[0].empty()) {
    return Status::DataError(what + ":" + std::to_string(header.line) +
                             ": expected a header ',<stat>,...' with an empty first cell");
  }
  const std::vector<std::string> keys(header.fields.begin() + 1, header.fields.end());
  for (const std::string& key : keys) out[key];
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    const std::string where = what + ":" + std::to_string(rec.line);
    if (rec.fields.size() != header.fields.size()) {
      return Status::DataError(where + ": " + std::to_string(rec.fields.size()) + " cells, the header has " +
                               std::to_string(header.fields.size()));
    }
    const std::string& label = rec.fields[0];
    double StatMoment::*member = nullptr;
    if (label == "count") member = &StatMoment::count;
    if (label == "mean") member = &StatMoment::mean;
    if (label == "std") member = &StatMoment::std;
    if (label == "min") member = &StatMoment::min;
    if (label == "max") member = &StatMoment::max;
    if (member == nullptr) continue;  // unique/top/freq/percentiles: not needed
    for (size_t c = 0; c < keys.size(); ++c) {
      JUICER_ASSIGN_OR_RETURN(const double v,
                              ParseCell(rec.fields[c + 1], where + ": " + label + " of '" + keys[c] + "'"));
      out[keys[c]].*member = v;
    }
  }
  return out;
}

Result<StatMoments> ReadOverallCsv(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound("overall table '" + path + "' does not exist");
  JUICER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseOverallCsv(text, path);
}

Result<Json> RefineRecipeKSigma(const Json& recipe, const StatMoments& stats, const OpRegistry& registry, double k) {
  if (!std::isfinite(k)) return Status::InvalidArgument("k-sigma: k must be a finite number");
  if (!recipe.is_object()) return Status::InvalidArgument("k-sigma: the recipe is not a mapping");
  Json out = recipe;
  auto it = out.find("process");
  if (it == out.end() || it->is_null()) return out;
  if (!it->is_array()) return Status::InvalidArgument("k-sigma: recipe key 'process' is not a list");
  for (size_t i = 0; i < it->size(); ++i) {
    Json& entry = (*it)[i];
    if (!entry.is_object() || entry.size() != 1) {
      return Status::InvalidArgument("k-sigma: process." + std::to_string(i) + " is not a single-key map {op: params}");
    }
    const std::string op_name = entry.begin().key();
    Json& args = entry.begin().value();
    if (args.is_null()) continue;  // an op without params has nothing to refine
    if (!args.is_object()) {
      return Status::InvalidArgument("k-sigma: process." + std::to_string(i) + " (" + op_name +
                                     "): params are not a mapping");
    }
    auto info = registry.Find(op_name);
    if (!info.ok()) continue;  // like DJ: an op that records no stat access is skipped
    for (const std::string& stat_key : (*info)->stat_keys) {
      auto s = stats.find(stat_key);
      if (s == stats.end()) continue;
      for (auto arg = args.begin(); arg != args.end(); ++arg) {
        const ParamSpec* spec = FindParam(**info, arg.key());
        if (spec == nullptr) continue;
        Json v = NewBound(*spec, arg.key(), s->second, k);
        if (!v.is_null()) arg.value() = std::move(v);
      }
    }
  }
  return out;
}

Status WriteRecipe(const Json& recipe, const std::string& path) {
  if (HasExtension(path, ".yaml") || HasExtension(path, ".yml")) return WriteYamlAtomic(path, recipe);
  if (HasExtension(path, ".json")) return WriteJsonAtomic(path, recipe);
  return Status::InvalidArgument("k-sigma recipe path '" + path + "' must end in .yaml, .yml or .json");
}

}  // namespace juicer::sandbox
