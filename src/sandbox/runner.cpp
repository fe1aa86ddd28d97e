#include "sandbox/runner.h"

#include <cctype>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/dataset_writer.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

std::string AddIterSubdir(const std::string& path, int iter) {
  std::string clean = path;
  while (clean.size() > 1 && (clean.back() == '/' || clean.back() == '\\')) clean.pop_back();
  const fs::path p(clean);
  const std::string base = p.filename().string();
  const std::string sub = "iter_" + std::to_string(iter);
  const bool is_file = base.find('.') != std::string::npos && base[0] != '.';
  if (is_file) return (p.parent_path() / sub / base).string();
  return (p / sub).string();
}

namespace {

using Overrides = std::map<std::string, std::vector<std::pair<std::string, Json>>>;  // "pipe.meta" -> key, value

// Applies one "dj_configs.a.b" / "extra_configs" update to the call's configs.
Status ApplyUpdate(HookCall& call, const std::string& key, const Json& value, const std::string& where) {
  const bool dj = key.rfind("dj_configs", 0) == 0;
  Json& target = dj ? call.dj_cfg : call.extra_cfg;
  const size_t n = dj ? std::strlen("dj_configs") : std::strlen("extra_configs");
  if (key.size() == n) {
    target = value;
    return Status::OK();
  }
  if (target.is_string()) {
    return Status::InvalidArgument(where + ": cannot set '" + key + "': the config is still the unloaded path " +
                                   target.get<std::string>());
  }
  return DottedSet(target, std::string_view(key).substr(n + 1), value).WithContext(where + ": ");
}

Result<Json> LoadCfg(const Json& v, const SandboxConfig& cfg, const std::string& what) {
  if (v.is_null()) return Json(nullptr);
  return LoadSideConfig(v, cfg.config_dir, what);
}

Status PrepareCall(const SandboxConfig& cfg, const JobConfig& job, const ContextInfos& ctx, const Overrides& overrides,
                   const std::string& pipeline, HookCall* call) {
  JUICER_ASSIGN_OR_RETURN(call->dj_cfg, LoadCfg(job.dj_configs, cfg, job.yaml_path + ".dj_configs"));
  JUICER_ASSIGN_OR_RETURN(call->extra_cfg, LoadCfg(job.extra_configs, cfg, job.yaml_path + ".extra_configs"));
  for (const auto& [key, value] : job.local) {
    JUICER_RETURN_IF_ERROR(ApplyUpdate(*call, key, value, job.yaml_path + ".local." + key));
  }
  if (auto it = overrides.find(pipeline + "." + job.meta_name); it != overrides.end()) {
    for (const auto& [key, value] : it->second) {
      JUICER_RETURN_IF_ERROR(ApplyUpdate(*call, key, value, "iter_updater -> " + key));
    }
  }
  for (const auto& [key, ref] : job.input) {
    const std::string where = job.yaml_path + ".input." + key;
    const Json* v = ctx.Lookup(ref);
    if (v == nullptr) {
      return Status::InvalidArgument(where + ": reference '" + ref + "' has no value in this iteration's context");
    }
    JUICER_RETURN_IF_ERROR(ApplyUpdate(*call, key, *v, where));
  }
  // A config replaced by a path (e.g. dj_configs <- '-1.refined_recipe_path') is loaded now, and the
  // job's `local` and `input` keys inside it are applied again (DJ would drop them silently).
  for (const char* group : {"dj_configs", "extra_configs"}) {
    Json& c = std::string(group) == "dj_configs" ? call->dj_cfg : call->extra_cfg;
    if (!c.is_string()) continue;
    JUICER_ASSIGN_OR_RETURN(c, LoadCfg(c, cfg, job.yaml_path + "." + group));
    const std::string prefix = std::string(group) + ".";
    for (const auto& [key, value] : job.local) {
      if (key.rfind(prefix, 0) == 0) JUICER_RETURN_IF_ERROR(ApplyUpdate(*call, key, value, job.yaml_path + ".local." + key));
    }
    for (const auto& [key, ref] : job.input) {
      if (key.rfind(prefix, 0) != 0) continue;
      const Json* v = ctx.Lookup(ref);
      if (v != nullptr) JUICER_RETURN_IF_ERROR(ApplyUpdate(*call, key, *v, job.yaml_path + ".input." + key));
    }
  }
  // DJ: every export_path gets the iteration's subdirectory.
  for (Json* c : {&call->dj_cfg, &call->extra_cfg}) {
    if (!c->is_object() || !c->contains("export_path")) continue;
    Json& e = (*c)["export_path"];
    if (e.is_string()) {
      e = AddIterSubdir(e.get<std::string>(), call->iter);
    } else if (e.is_array()) {
      for (auto& item : e) {
        if (item.is_string()) item = AddIterSubdir(item.get<std::string>(), call->iter);
      }
    }
  }
  return Status::OK();
}

void FlattenMetrics(const Json& v, const std::string& prefix, std::vector<std::pair<std::string, Json>>* out) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) FlattenMetrics(*it, prefix + "." + it.key(), out);
  } else if (v.is_number() || v.is_boolean()) {
    out->emplace_back(prefix, v);
  } else if (v.is_array() && v.size() <= 64) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i].is_number() || v[i].is_object()) FlattenMetrics(v[i], prefix + "." + std::to_string(i), out);
    }
  }
}

Status AppendMetrics(const SandboxConfig& cfg, int iter, const std::string& pipeline, const JobInfos& job) {
  std::vector<std::pair<std::string, Json>> rows;
  for (auto it = job.outputs.begin(); it != job.outputs.end(); ++it) FlattenMetrics(*it, it.key(), &rows);
  if (rows.empty()) return Status::OK();
  const std::string path = (fs::path(cfg.work_dir) / kMetricsFile).string();
  std::ofstream out(path, std::ios::app);
  if (!out) return Status::IOError(path + ": cannot append");
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  for (const auto& [key, value] : rows) {
    Json row = {{"time", ts},         {"project", cfg.project_name}, {"experiment", cfg.experiment_name},
                {"iter", iter},       {"pipeline", pipeline},        {"meta_name", job.meta_name},
                {"key", key},         {"value", value}};
    out << row.dump() << "\n";
  }
  return out.good() ? Status::OK() : Status::IOError(path + ": write failed");
}

std::string JobDirName(size_t index, const std::string& meta) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02zu-", index % 1000);
  std::string safe;
  for (char c : meta) safe.push_back((std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_');
  return buf + safe;
}

}  // namespace

Result<std::vector<ContextInfos>> RunSandbox(const SandboxConfig& cfg, const HookRegistry& hooks, const RunOptions& opts) {
  auto log = opts.log ? opts.log : [&](const std::string& line) {
    if (!opts.quiet) std::fprintf(stderr, "%s\n", line.c_str());
  };
  std::error_code ec;
  fs::create_directories(cfg.work_dir, ec);
  if (ec) return Status::IOError(cfg.work_dir + ": cannot create work_dir: " + ec.message());
  const std::string ctx_path = (fs::path(cfg.work_dir) / kContextFile).string();
  const std::string watch_path = (fs::path(cfg.work_dir) / kWatchFile).string();

  std::vector<ContextInfos> history;
  ContextInfos current(1);
  Json watch = Json::object();
  if (cfg.resume && fs::exists(ctx_path)) {
    JUICER_ASSIGN_OR_RETURN(history, ContextListFromFile(ctx_path));
    if (!history.empty()) {
      current = std::move(history.back());
      history.pop_back();
      log("sandbox: resuming iteration " + std::to_string(current.iter()) + " from " + ctx_path);
    }
    if (fs::exists(watch_path)) {
      JUICER_ASSIGN_OR_RETURN(watch, LoadJsonFile(watch_path));
    }
  }

  size_t total_jobs = 0;
  for (const auto& p : cfg.pipelines) total_jobs += p.jobs.size();
  Overrides overrides;
  auto compute_overrides = [&](const ContextInfos& last) {
    overrides.clear();
    for (const auto& [ref, target] : cfg.iter_updater) {
      const Json* v = last.Lookup(ref);
      if (v == nullptr) {
        log("sandbox: iter_updater: '" + ref + "' has no value in the last iteration; not updated");
        continue;
      }
      const size_t d1 = target.find('.');
      const size_t d2 = target.find('.', d1 + 1);
      overrides[target.substr(0, d2)].emplace_back(target.substr(d2 + 1), *v);
    }
  };
  if (!history.empty()) compute_overrides(history.back());
  auto save = [&](const ContextInfos& c) -> Status {
    std::vector<ContextInfos> all = history;
    all.push_back(c);
    JUICER_RETURN_IF_ERROR(WriteJsonAtomic(watch_path, watch));
    return WriteJsonAtomic(ctx_path, ContextListToJson(all));
  };

  while (true) {
    const int iter = current.iter();
    size_t done_in_iter = 0;
    for (const auto& pipe : cfg.pipelines) {
      PipelineInfos* pinfo = current.FindPipeline(pipe.name);
      if (pinfo == nullptr) {
        current.pipelines().push_back(PipelineInfos{pipe.name, {}});
        pinfo = &current.pipelines().back();
      }
      for (size_t ji = 0; ji < pipe.jobs.size(); ++ji) {
        const JobConfig& job = pipe.jobs[ji];
        ++done_in_iter;
        const std::string label = "[iter " + std::to_string(iter) + "] " + pipe.name + "/" + job.meta_name + " (" +
                                  job.hook + ", job " + std::to_string(done_in_iter) + "/" + std::to_string(total_jobs) + ")";
        if (ji < pinfo->jobs.size()) {
          log("sandbox: " + label + ": done in an earlier run, skipped");
          continue;
        }
        HookCall call;
        call.job = &job;
        call.pipeline = pipe.name;
        call.iter = iter;
        call.work_dir = cfg.work_dir;
        call.config_dir = cfg.config_dir;
        call.job_dir = (fs::path(cfg.work_dir) / ("iter_" + std::to_string(iter)) / pipe.name / JobDirName(ji, job.meta_name)).string();
        call.context = &current;
        call.history = &history;
        call.watch = &watch;
        call.log = log;
        fs::create_directories(call.job_dir, ec);
        const std::string where = pipe.name + "/" + job.meta_name + " (" + job.hook + "): ";
        JUICER_RETURN_IF_ERROR(PrepareCall(cfg, job, current, overrides, pipe.name, &call).WithContext(where));
        log("sandbox: " + label + " ...");
        const auto t0 = std::chrono::steady_clock::now();
        const HookInfo* info = hooks.Find(job.hook);
        if (info == nullptr) return Status::Internal("hook vanished from the registry: " + job.hook);
        auto outs = info->fn(call);
        if (!outs.ok()) return outs.status().WithContext(job.yaml_path + ": " + where);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        JobInfos rec;
        rec.meta_name = job.meta_name;
        std::vector<Json> values = std::move(*outs);
        if (job.has_output) {
          if (values.size() != job.output.size()) {
            return Status::InvalidArgument(job.yaml_path + ".output: hook " + info->dj_class + " returned " +
                                           std::to_string(values.size()) + " value(s) but " +
                                           std::to_string(job.output.size()) + " output name(s) are given");
          }
          for (size_t i = 0; i < values.size(); ++i) rec.outputs[job.output[i]] = std::move(values[i]);
        } else {
          for (size_t i = 0; i < values.size(); ++i) rec.outputs[std::to_string(i)] = std::move(values[i]);
        }
        JUICER_RETURN_IF_ERROR(AppendMetrics(cfg, iter, pipe.name, rec));
        pinfo->jobs.push_back(std::move(rec));
        JUICER_RETURN_IF_ERROR(save(current));
        char t[32];
        std::snprintf(t, sizeof t, "%.1f s", secs);
        log("sandbox: " + label + " finished in " + t);
      }
    }
    JUICER_RETURN_IF_ERROR(save(current));
    history.push_back(current);

    // Stop after max_iter_num iterations, or when the targets hold.
    if (cfg.max_iter_num > 0 && iter >= cfg.max_iter_num) break;
    if (!cfg.iter_targets.empty()) {
      size_t met = 0;
      for (const auto& t : cfg.iter_targets) {
        const Json* v = history.back().Lookup(t.key);
        const bool ok = v != nullptr && t.Check(*v);
        met += ok;
        log("sandbox: target '" + t.text + "': " + (v == nullptr ? std::string("no value") : v->dump()) +
            (ok ? " (met)" : " (not met)"));
      }
      if ((cfg.iter_targets_mode == "all" && met == cfg.iter_targets.size()) || (cfg.iter_targets_mode == "any" && met > 0)) {
        break;
      }
    }
    compute_overrides(history.back());
    current = ContextInfos(iter + 1);
  }
  log("sandbox: finished; context in " + ctx_path + ", metrics in " + (fs::path(cfg.work_dir) / kMetricsFile).string());
  return history;
}

}  // namespace juicer::sandbox
