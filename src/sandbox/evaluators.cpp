#include "sandbox/evaluators.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "analysis/summary.h"
#include "core/dataset_reader.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

// JSON samples of a dataset path (any format the core reader takes), one at a time, with their
// "file:line" for messages.
class SampleStream {
 public:
  static Result<std::unique_ptr<SampleStream>> Open(const std::string& path) {
    JUICER_ASSIGN_OR_RETURN(auto files, ResolveDatasetPath(path));
    JUICER_ASSIGN_OR_RETURN(auto src, OpenDataset(files, 0));
    auto s = std::unique_ptr<SampleStream>(new SampleStream());
    s->src_ = std::move(src);
    return s;
  }
  // False at the end.
  Result<bool> Next(Json* sample, std::string* where) {
    if (pos_ >= batch_.recs.size()) {
      pos_ = 0;
      batch_.Clear();
      JUICER_ASSIGN_OR_RETURN(bool more, src_->Next(&batch_, 1024, 4 << 20));
      if (!more || batch_.recs.empty()) return false;
    }
    const size_t i = pos_++;
    const auto& r = batch_.recs[i];
    *where = src_->file_names()[r.file] + ":" + std::to_string(r.line);
    for (const auto& [idx, msg] : batch_.read_errors) {
      if (idx == i) return Status::DataError(*where + ": " + msg);
    }
    *sample = Json::parse(batch_.data(r), batch_.data(r) + r.len, nullptr, /*allow_exceptions=*/false);
    if (sample->is_discarded()) return Status::DataError(*where + ": not a valid JSON object");
    if (!sample->is_object()) return Status::DataError(*where + ": expected a JSON object per sample");
    return true;
  }

 private:
  SampleStream() = default;
  std::unique_ptr<RecordSource> src_;
  RecordBatch batch_;
  size_t pos_ = 0;
};

// A path or a list of paths (DJ accepts both); empty when absent.
Result<std::vector<std::string>> PathList(const Json& cfg, const std::string& key, const std::string& type) {
  std::vector<std::string> out;
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return out;
  }
  if (!it->is_array()) return Status::InvalidArgument(type + ": " + key + " must be a path or a list of paths");
  for (const auto& p : *it) {
    if (!p.is_string()) return Status::InvalidArgument(type + ": " + key + " must hold path strings");
    out.push_back(p.get<std::string>());
  }
  return out;
}

Result<std::string> RequiredString(const Json& cfg, const std::string& key, const std::string& type) {
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return Status::InvalidArgument(type + ": " + key + " is required");
  if (!it->is_string()) return Status::InvalidArgument(type + ": " + key + " must be a string");
  return it->get<std::string>();
}

std::string OptionalString(const Json& cfg, const std::string& key, const std::string& dflt) {
  auto it = cfg.find(key);
  return it != cfg.end() && it->is_string() ? it->get<std::string>() : dflt;
}

Status CheckKeys(const Json& cfg, const std::string& type, std::initializer_list<const char*> allowed) {
  for (const auto& [k, v] : cfg.items()) {
    bool ok = k == "type";
    std::string list;
    for (const char* a : allowed) {
      ok = ok || k == a;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    if (!ok) return Status::InvalidArgument(type + ": unknown key '" + k + "' (expected " + list + ")");
  }
  return Status::OK();
}

// The (predicted, ground truth) path pairs of accuracy / mse, following DJ: no ground truth means
// the labels are in the predicted data; pairs with a missing file are skipped.
Result<std::vector<std::pair<std::string, std::string>>> PathPairs(const Json& cfg, const std::string& type) {
  JUICER_ASSIGN_OR_RETURN(auto pred, PathList(cfg, "predicted_dataset_path", type));
  JUICER_ASSIGN_OR_RETURN(auto gt, PathList(cfg, "ground_truth_dataset_path", type));
  if (pred.empty()) return Status::InvalidArgument(type + ": predicted_dataset_path is required");
  if (gt.empty()) gt = pred;
  if (gt.size() != pred.size()) {
    return Status::InvalidArgument(type + ": ground_truth_dataset_path has " + std::to_string(gt.size()) +
                                   " paths but predicted_dataset_path has " + std::to_string(pred.size()));
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  std::error_code ec;
  for (size_t i = 0; i < pred.size(); ++i) {
    if (fs::exists(pred[i], ec) && fs::exists(gt[i], ec)) pairs.emplace_back(pred[i], gt[i]);
  }
  if (pairs.empty()) {
    return Status::NotFound(type + ": no predicted_dataset_path exists (with its ground truth): " +
                            cfg["predicted_dataset_path"].dump());
  }
  return pairs;
}

// Calls `fn(pred_sample, pred_where, gt_sample, gt_where)` for the samples of a pair, in order, up
// to the shorter dataset (Python's zip).
Status ZipSamples(const std::string& pred_path, const std::string& gt_path,
                  const std::function<Status(const Json&, const std::string&, const Json&, const std::string&)>& fn) {
  JUICER_ASSIGN_OR_RETURN(auto pred, SampleStream::Open(pred_path));
  std::unique_ptr<SampleStream> gt;
  if (gt_path != pred_path) {
    JUICER_ASSIGN_OR_RETURN(gt, SampleStream::Open(gt_path));
  }
  Json ps, gs;
  std::string pw, gw;
  for (;;) {
    JUICER_ASSIGN_OR_RETURN(bool more, pred->Next(&ps, &pw));
    if (!more) break;
    if (gt == nullptr) {
      JUICER_RETURN_IF_ERROR(fn(ps, pw, ps, pw));
      continue;
    }
    JUICER_ASSIGN_OR_RETURN(bool gmore, gt->Next(&gs, &gw));
    if (!gmore) break;
    JUICER_RETURN_IF_ERROR(fn(ps, pw, gs, gw));
  }
  return Status::OK();
}

Result<const Json*> RequiredField(const Json& sample, const std::string& key, const std::string& where,
                                  const std::string& what) {
  const Json* v = NestedQuery(sample, key);
  if (v == nullptr) return Status::DataError(where + ": no field '" + key + "' (" + what + ")");
  return v;
}

// NaN / inf are not JSON: null.
Json Number(double d) { return std::isfinite(d) ? Json(d) : Json(nullptr); }

Result<Json> RunAccuracy(const Json& cfg) {
  const std::string type = "accuracy";
  JUICER_RETURN_IF_ERROR(CheckKeys(cfg, type, {"predicted_dataset_path", "ground_truth_dataset_path",
                                               "predicted_label_key", "ground_truth_label_key"}));
  JUICER_ASSIGN_OR_RETURN(std::string pkey, RequiredString(cfg, "predicted_label_key", type));
  JUICER_ASSIGN_OR_RETURN(std::string gkey, RequiredString(cfg, "ground_truth_label_key", type));
  JUICER_ASSIGN_OR_RETURN(auto pairs, PathPairs(cfg, type));
  Json results = Json::array();
  double best = -1;
  for (const auto& [pp, gp] : pairs) {
    uint64_t total = 0, hit = 0;
    JUICER_RETURN_IF_ERROR(ZipSamples(
        pp, gp, [&](const Json& ps, const std::string& pw, const Json& gs, const std::string& gw) -> Status {
          JUICER_ASSIGN_OR_RETURN(const Json* pv, RequiredField(ps, pkey, pw, "predicted_label_key"));
          JUICER_ASSIGN_OR_RETURN(const Json* gv, RequiredField(gs, gkey, gw, "ground_truth_label_key"));
          ++total;
          if (PythonStr(*pv) == PythonStr(*gv)) ++hit;
          return Status::OK();
        }));
    if (total == 0) return Status::DataError(type + ": " + pp + " has no samples to compare");
    const double acc = static_cast<double>(hit) / static_cast<double>(total);
    best = std::max(best, acc);
    results.push_back(Json{{"pred_path", pp}, {"gt_path", gp}, {"accuracy", acc}});
  }
  return Json::array({results, best});
}

// Python's float() of a JSON value: nullopt for a string that is not a number (DJ's ValueError).
Result<std::optional<double>> PythonFloat(const Json& v, const std::string& where, const std::string& key) {
  if (v.is_number()) return std::optional<double>(v.get<double>());
  if (v.is_boolean()) return std::optional<double>(v.get<bool>() ? 1.0 : 0.0);
  if (!v.is_string()) {
    return Status::DataError(where + ": field '" + key + "' is " + std::string(v.type_name()) + ", not a number");
  }
  std::string s = v.get<std::string>();
  const size_t b = s.find_first_not_of(" \t\n\r\f\v");
  const size_t e = s.find_last_not_of(" \t\n\r\f\v");
  if (b == std::string::npos) return std::optional<double>();
  s = s.substr(b, e - b + 1);
  if (s.find_first_of("xXpP") != std::string::npos) return std::optional<double>();  // no hex floats
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::optional<double>();
  return std::optional<double>(d);
}

Result<Json> RunMse(const Json& cfg) {
  const std::string type = "mse";
  JUICER_RETURN_IF_ERROR(CheckKeys(cfg, type, {"predicted_dataset_path", "ground_truth_dataset_path",
                                               "predicted_value_key", "ground_truth_value_key"}));
  JUICER_ASSIGN_OR_RETURN(std::string pkey, RequiredString(cfg, "predicted_value_key", type));
  JUICER_ASSIGN_OR_RETURN(std::string gkey, RequiredString(cfg, "ground_truth_value_key", type));
  JUICER_ASSIGN_OR_RETURN(auto pairs, PathPairs(cfg, type));
  Json results = Json::array();
  double best = 0;
  bool first = true;
  for (const auto& [pp, gp] : pairs) {
    uint64_t total = 0, fmt_err = 0;
    double sum = 0;
    JUICER_RETURN_IF_ERROR(ZipSamples(
        pp, gp, [&](const Json& ps, const std::string& pw, const Json& gs, const std::string& gw) -> Status {
          JUICER_ASSIGN_OR_RETURN(const Json* pv, RequiredField(ps, pkey, pw, "predicted_value_key"));
          JUICER_ASSIGN_OR_RETURN(const Json* gv, RequiredField(gs, gkey, gw, "ground_truth_value_key"));
          JUICER_ASSIGN_OR_RETURN(std::optional<double> p, PythonFloat(*pv, pw, pkey));
          std::optional<double> g;
          if (p) {
            JUICER_ASSIGN_OR_RETURN(g, PythonFloat(*gv, gw, gkey));
          }
          if (!p || !g) {
            ++fmt_err;
            return Status::OK();
          }
          ++total;
          sum += (*p - *g) * (*p - *g);
          return Status::OK();
        }));
    if (total == 0) {
      return Status::DataError(type + ": " + pp + " has no numeric value pairs (" + std::to_string(fmt_err) +
                               " format errors)");
    }
    const double mse = sum / static_cast<double>(total);
    if (first || mse < best) best = mse;
    first = false;
    results.push_back(Json{{"pred_path", pp}, {"gt_path", gp}, {"mse", Number(mse)}, {"format_error", fmt_err}});
  }
  return Json::array({results, Number(best)});
}

// A stat looked up in __dj__stats__, then __dj__meta__, then the sample itself.
const Json* LookupStat(const Json& sample, const std::string& key) {
  for (const char* area : {"__dj__stats__", "__dj__meta__"}) {
    auto it = sample.find(area);
    if (it != sample.end() && it->is_object()) {
      if (const Json* v = NestedQuery(*it, key); v != nullptr) return v;
    }
  }
  return NestedQuery(sample, key);
}

struct Column {
  std::vector<double> numbers;
  std::vector<std::string> strings;
  void Add(const Json& v) {
    if (v.is_number()) numbers.push_back(v.get<double>());
    else if (v.is_boolean()) numbers.push_back(v.get<bool>() ? 1.0 : 0.0);
    else if (v.is_string()) strings.push_back(v.get<std::string>());
    else if (v.is_array()) {
      for (const auto& e : v) Add(e);
    }
  }
};

Result<uint64_t> TextBytes(const Json& sample, const std::string& text_key, const std::string& where) {
  const Json* t = NestedQuery(sample, text_key);
  if (t == nullptr) return Status::DataError(where + ": no text field '" + text_key + "' (text_key)");
  if (!t->is_string()) return Status::DataError(where + ": text field '" + text_key + "' is not a string");
  return static_cast<uint64_t>(t->get_ref<const std::string&>().size());
}

Result<Json> RunStatsSummary(const Json& cfg, bool size_only) {
  const std::string type = size_only ? "dataset_size" : "stats_summary";
  if (size_only) {
    JUICER_RETURN_IF_ERROR(CheckKeys(cfg, type, {"dataset_path", "text_key"}));
  } else {
    JUICER_RETURN_IF_ERROR(CheckKeys(cfg, type, {"dataset_path", "stats_keys", "text_key", "skip_missing"}));
  }
  JUICER_ASSIGN_OR_RETURN(std::string path, RequiredString(cfg, "dataset_path", type));
  const std::string text_key = OptionalString(cfg, "text_key", "text");
  std::vector<std::string> keys;
  const bool all_stats = !cfg.contains("stats_keys") || cfg["stats_keys"].is_null();
  if (!all_stats) {
    if (!cfg["stats_keys"].is_array()) return Status::InvalidArgument(type + ": stats_keys must be a list of keys");
    for (const auto& k : cfg["stats_keys"]) {
      if (!k.is_string()) return Status::InvalidArgument(type + ": stats_keys must hold strings");
      keys.push_back(k.get<std::string>());
    }
  }
  bool skip_missing = false;
  if (cfg.contains("skip_missing")) {
    if (!cfg["skip_missing"].is_boolean()) return Status::InvalidArgument(type + ": skip_missing must be true/false");
    skip_missing = cfg["skip_missing"].get<bool>();
  }
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(type + ": dataset_path " + path + " does not exist");

  JUICER_ASSIGN_OR_RETURN(auto stream, SampleStream::Open(path));
  std::map<std::string, Column> columns;
  uint64_t num_samples = 0, text_bytes = 0;
  Json sample;
  std::string where;
  for (;;) {
    JUICER_ASSIGN_OR_RETURN(bool more, stream->Next(&sample, &where));
    if (!more) break;
    ++num_samples;
    JUICER_ASSIGN_OR_RETURN(uint64_t bytes, TextBytes(sample, text_key, where));
    text_bytes += bytes;
    if (size_only) continue;
    if (all_stats) {  // every stat key, in first-seen order
      auto it = sample.find("__dj__stats__");
      if (it != sample.end() && it->is_object()) {
        for (const auto& [k, v] : it->items()) {
          if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
        }
      }
    }
    for (const auto& key : keys) {
      const Json* v = LookupStat(sample, key);
      if (v == nullptr) {
        if (skip_missing || all_stats) continue;
        return Status::DataError(type + ": " + where + ": no stat '" + key +
                                 "' (looked in __dj__stats__, __dj__meta__ and the sample; skip_missing: true "
                                 "to skip such samples)");
      }
      columns[key].Add(*v);
    }
  }
  Json size = {{"num_samples", num_samples}, {"text_bytes", text_bytes}};
  if (size_only) return Json::array({size});
  Json stats = Json::object();
  for (const auto& key : keys) {
    const Column& c = columns[key];
    if (c.numbers.empty() && !c.strings.empty()) {
      StringSummary s = SummarizeStrings(c.strings);
      stats[key] = {{"count", s.count}, {"unique", s.unique}, {"top", s.top}, {"freq", s.freq}};
      continue;
    }
    NumericSummary n = SummarizeNumbers(c.numbers, {0.5});
    Json j = {{"count", n.count},         {"mean", Number(n.mean)}, {"std", Number(n.std)},
              {"min", Number(n.min)},     {"max", Number(n.max)},
              {"median", Number(n.percentiles.empty() ? NAN : n.percentiles[0])}};
    if (!c.strings.empty()) j["non_numeric"] = c.strings.size();
    stats[key] = std::move(j);
  }
  return Json::array({Json{{"dataset_size", size}, {"stats", stats}}});
}

}  // namespace

const Json* NestedQuery(const Json& obj, const std::string& key) {
  const Json* cur = &obj;
  size_t start = 0;
  for (;;) {
    if (!cur->is_object()) return nullptr;
    const std::string rest = key.substr(start);
    auto it = cur->find(rest);
    if (it != cur->end() && !it->is_null()) return &*it;
    const size_t dot = key.find('.', start);
    if (dot == std::string::npos) return nullptr;
    auto head = cur->find(key.substr(start, dot - start));
    if (head == cur->end()) return nullptr;
    cur = &*head;
    start = dot + 1;
  }
}

std::string PythonStr(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "None";
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  }
  return v.dump();  // integers; floats in shortest form with ".0" like Python's repr
}

std::vector<std::string> DataEvaluatorTypes() { return {"accuracy", "dataset_size", "mse", "stats_summary"}; }

Result<Json> RunDataEvaluator(const Json& cfg) {
  if (!cfg.is_object()) return Status::InvalidArgument("data evaluator: the config must be an object");
  auto it = cfg.find("type");
  if (it == cfg.end() || !it->is_string()) {
    return Status::InvalidArgument("data evaluator: `type` is required (accuracy, dataset_size, mse, stats_summary)");
  }
  const std::string type = it->get<std::string>();
  if (type == "accuracy") return RunAccuracy(cfg);
  if (type == "mse") return RunMse(cfg);
  if (type == "stats_summary") return RunStatsSummary(cfg, false);
  if (type == "dataset_size") return RunStatsSummary(cfg, true);
  return Status::InvalidArgument("data evaluator: unknown type '" + type +
                                 "' (known: accuracy, dataset_size, mse, stats_summary)");
}

}  // namespace juicer::sandbox
