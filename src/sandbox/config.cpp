#include "sandbox/config.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

Status Err(const std::string& path, const std::string& msg) { return Status::InvalidArgument(path + ": " + msg); }

bool StartsWithCfgGroup(const std::string& key) {
  for (const char* g : {"dj_configs", "extra_configs"}) {
    const size_t n = std::strlen(g);
    if (key.compare(0, n, g) == 0 && (key.size() == n || key[n] == '.')) return true;
  }
  return false;
}

Result<std::string> GetString(const Json& obj, const char* key, const std::string& path, std::string dflt) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return dflt;
  if (!it->is_string()) return Err(path + "." + key, std::string("expected a string, got ") + it->type_name());
  return it->get<std::string>();
}

Result<JobConfig> ParseJob(const Json& j, const std::string& stage, const std::string& path, const HookRegistry& hooks) {
  if (!j.is_object()) return Err(path, std::string("a job must be a mapping, got ") + j.type_name());
  static const std::set<std::string> kKeys = {"hook", "meta_name", "dj_configs", "extra_configs", "input", "output", "local"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!kKeys.count(it.key())) {
      return Err(path + "." + it.key(), "unknown job key (expected hook, meta_name, dj_configs, extra_configs, input, output, local)");
    }
  }
  JobConfig job;
  job.stage = stage;
  job.yaml_path = path;
  auto h = j.find("hook");
  if (h == j.end() || !h->is_string()) return Err(path + ".hook", "every job needs a hook name");
  const HookInfo* info = hooks.Find(h->get<std::string>());
  if (info == nullptr) {
    std::string known;
    for (const auto& hi : hooks.all()) known += (known.empty() ? "" : ", ") + hi.dj_class;
    return Err(path + ".hook", "unknown hook '" + h->get<std::string>() + "' (known: " + known + ")");
  }
  job.hook = info->name;
  JUICER_ASSIGN_OR_RETURN(job.meta_name, GetString(j, "meta_name", path, "anonymous_meta_name"));
  for (const char* key : {"dj_configs", "extra_configs"}) {
    auto it = j.find(key);
    Json v = it == j.end() ? Json(nullptr) : *it;
    if (!v.is_null() && !v.is_object() && !v.is_string()) {
      return Err(path + "." + key, std::string("expected a mapping or a file path, got ") + v.type_name());
    }
    (std::string(key) == "dj_configs" ? job.dj_configs : job.extra_configs) = std::move(v);
  }
  if (auto it = j.find("input"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return Err(path + ".input", "expected a mapping of config key -> context reference");
    for (auto kv = it->begin(); kv != it->end(); ++kv) {
      if (!StartsWithCfgGroup(kv.key())) {
        return Err(path + ".input." + kv.key(), "the key to update must start with dj_configs or extra_configs");
      }
      if (!kv->is_string()) return Err(path + ".input." + kv.key(), "the reference must be a string like '-1.output_key'");
      job.input.emplace_back(kv.key(), kv->get<std::string>());
    }
  }
  if (auto it = j.find("output"); it != j.end() && !it->is_null()) {
    job.has_output = true;
    if (it->is_string()) {
      job.output.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const auto& o : *it) {
        if (!o.is_string()) return Err(path + ".output", "output names must be strings");
        job.output.push_back(o.get<std::string>());
      }
    } else {
      return Err(path + ".output", "expected a name or a list of names");
    }
  }
  if (auto it = j.find("local"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return Err(path + ".local", "expected a mapping of dotted config key -> value");
    for (auto kv = it->begin(); kv != it->end(); ++kv) {
      if (!StartsWithCfgGroup(kv.key())) {
        return Err(path + ".local." + kv.key(), "the key to update must start with dj_configs or extra_configs");
      }
      job.local.emplace_back(kv.key(), *kv);
    }
  }
  return job;
}

Status ParsePipelineJobs(const Json& obj, const std::string& path, const HookRegistry& hooks, PipelineConfig* p) {
  for (const char* stage : kStageKeys) {
    auto it = obj.find(stage);
    if (it == obj.end() || it->is_null()) continue;
    if (!it->is_array()) return Err(path + stage, "expected a list of jobs");
    for (size_t i = 0; i < it->size(); ++i) {
      auto job = ParseJob((*it)[i], stage, path + stage + "[" + std::to_string(i) + "]", hooks);
      if (!job.ok()) return job.status();
      p->jobs.push_back(std::move(*job));
    }
  }
  return Status::OK();
}

// Whether `ref` can resolve when the job at (pipe_idx, job_idx) runs: the referenced job runs earlier.
Status CheckReference(const std::vector<PipelineConfig>& pipes, size_t pipe_idx, size_t job_idx, const std::string& ref,
                      const std::string& path) {
  const size_t dot = ref.find('.');
  if (dot == std::string::npos || dot + 1 >= ref.size()) {
    return Err(path, "reference '" + ref + "' must be '<pipeline>.<meta_name>.<output_key>' or '-1.<output_key>'");
  }
  const std::string head = ref.substr(0, dot);
  if (head == "-1") {
    if (pipe_idx == 0 && job_idx == 0) return Err(path, "reference '" + ref + "': no job runs before this one");
    return Status::OK();
  }
  const std::string rest = ref.substr(dot + 1);
  const size_t dot2 = rest.find('.');
  if (dot2 == std::string::npos) {
    return Err(path, "reference '" + ref + "' must be '<pipeline>.<meta_name>.<output_key>'");
  }
  const std::string meta = rest.substr(0, dot2);
  const std::string key = rest.substr(dot2 + 1);
  for (size_t pi = 0; pi < pipes.size(); ++pi) {
    if (pipes[pi].name != head) continue;
    const size_t limit = pi < pipe_idx ? pipes[pi].jobs.size() : (pi == pipe_idx ? job_idx : 0);
    for (size_t ji = 0; ji < pipes[pi].jobs.size(); ++ji) {
      const JobConfig& src = pipes[pi].jobs[ji];
      if (src.meta_name != meta) continue;
      if (ji >= limit) {
        return Err(path, "reference '" + ref + "': job '" + meta + "' of pipeline '" + head + "' runs after this one");
      }
      if (src.has_output) {
        bool found = false;
        for (const auto& o : src.output) {
          if (key == o || (key.size() > o.size() && key.compare(0, o.size(), o) == 0 && key[o.size()] == '.')) found = true;
        }
        if (!found) {
          std::string outs;
          for (const auto& o : src.output) outs += (outs.empty() ? "" : ", ") + o;
          return Err(path, "reference '" + ref + "': job '" + meta + "' has no output '" + key + "' (its outputs: " + outs + ")");
        }
      }
      return Status::OK();
    }
    return Err(path, "reference '" + ref + "': pipeline '" + head + "' has no job with meta_name '" + meta + "'");
  }
  std::string names;
  for (const auto& p : pipes) names += (names.empty() ? "" : ", ") + p.name;
  return Err(path, "reference '" + ref + "': no pipeline named '" + head + "' (pipelines: " + names + ")");
}

}  // namespace

bool IterTarget::Check(const Json& current) const {
  if (!current.is_number() && !current.is_boolean()) return false;
  const double v = current.is_boolean() ? (current.get<bool>() ? 1.0 : 0.0) : current.get<double>();
  if (op == "==") return v == value;
  if (op == ">=") return v >= value;
  if (op == "<=") return v <= value;
  if (op == ">") return v > value;
  if (op == "<") return v < value;
  return false;
}

Result<IterTarget> ParseIterTarget(const std::string& text) {
  // DJ tries the comparators in this order, so ">=" wins over ">".
  for (const char* op : {"==", ">=", "<=", ">", "<"}) {
    const size_t pos = text.find(op);
    if (pos == std::string::npos) continue;
    auto trim = [](std::string s) {
      const size_t b = s.find_first_not_of(" \t");
      const size_t e = s.find_last_not_of(" \t");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    IterTarget t;
    t.text = text;
    t.op = op;
    t.key = trim(text.substr(0, pos));
    const std::string val = trim(text.substr(pos + std::strlen(op)));
    char* end = nullptr;
    t.value = std::strtod(val.c_str(), &end);
    if (val.empty() || end != val.c_str() + val.size() || !std::isfinite(t.value)) {
      return Status::InvalidArgument("iter target '" + text + "': the target value '" + val + "' is not a number");
    }
    if (std::count(t.key.begin(), t.key.end(), '.') < 2) {
      return Status::InvalidArgument("iter target '" + text + "': the key must be '<pipeline>.<meta_name>.<output_key>'");
    }
    return t;
  }
  return Status::InvalidArgument("iter target '" + text + "': no comparator found (use ==, >=, <=, > or <)");
}

Result<SandboxConfig> ParseSandboxConfig(const Json& root, const std::string& config_path, const HookRegistry& hooks) {
  const std::string& f = config_path;
  if (!root.is_object()) return Status::InvalidArgument(f + ": a sandbox config must be a mapping");
  static const std::set<std::string> kTop = {"project_name", "experiment_name", "work_dir", "resume", "hpo_config",
                                             "max_iter_num", "iter_targets", "iter_targets_mode", "iter_updater",
                                             "pipelines", "probe_job_configs", "refine_recipe_job_configs",
                                             "execution_job_configs", "evaluation_job_configs"};
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!kTop.count(it.key())) return Err(f + ": " + it.key(), "unknown sandbox key");
  }
  SandboxConfig cfg;
  cfg.config_path = config_path;
  cfg.config_dir = fs::path(config_path).parent_path().string();
  JUICER_ASSIGN_OR_RETURN(cfg.project_name, GetString(root, "project_name", f + ": ", "juicer-sandbox"));
  JUICER_ASSIGN_OR_RETURN(cfg.experiment_name, GetString(root, "experiment_name", f + ": ", "run"));
  JUICER_ASSIGN_OR_RETURN(cfg.work_dir, GetString(root, "work_dir", f + ": ", ""));
  if (cfg.work_dir.empty()) return Err(f + ": work_dir", "the sandbox needs a work_dir");
  if (auto it = root.find("resume"); it != root.end() && !it->is_null()) {
    if (!it->is_boolean()) return Err(f + ": resume", "expected true or false");
    cfg.resume = it->get<bool>();
  }
  if (auto it = root.find("hpo_config"); it != root.end() && !it->is_null()) {
    return Status::Unavailable(f + ": hpo_config: juicer has no WandB sweeps; drop hpo_config, or iterate with "
                               "max_iter_num / iter_targets / iter_updater");
  }
  if (auto it = root.find("max_iter_num"); it != root.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0) return Err(f + ": max_iter_num", "must be 0 or a positive integer");
    cfg.max_iter_num = it->get<int>();
  }
  if (auto it = root.find("iter_targets_mode"); it != root.end() && !it->is_null()) {
    if (!it->is_string() || (*it != "all" && *it != "any")) return Err(f + ": iter_targets_mode", "must be 'all' or 'any'");
    cfg.iter_targets_mode = it->get<std::string>();
  }

  // Pipelines: `pipelines: [{name: {stage lists}}]` or the four stage lists at the top level.
  if (auto it = root.find("pipelines"); it != root.end() && !it->is_null()) {
    if (!it->is_array()) return Err(f + ": pipelines", "expected a list of {name: {...job lists...}}");
    std::set<std::string> names;
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& pj = (*it)[i];
      const std::string path = f + ": pipelines[" + std::to_string(i) + "]";
      if (!pj.is_object() || pj.size() != 1 || !pj.begin().value().is_object()) {
        return Err(path, "each pipeline must be a mapping with one name, e.g. {my_pipeline: {probe_job_configs: [...]}}");
      }
      PipelineConfig p;
      p.name = pj.begin().key();
      if (!names.insert(p.name).second) return Err(path, "duplicate pipeline name '" + p.name + "'");
      JUICER_RETURN_IF_ERROR(ParsePipelineJobs(pj.begin().value(), path + "." + p.name + ".", hooks, &p));
      cfg.pipelines.push_back(std::move(p));
    }
    for (const char* stage : kStageKeys) {
      if (root.contains(stage)) return Err(f + ": " + stage, "give jobs either under pipelines or at the top level, not both");
    }
  } else {
    PipelineConfig p;
    JUICER_RETURN_IF_ERROR(ParsePipelineJobs(root, f + ": ", hooks, &p));
    cfg.pipelines.push_back(std::move(p));
  }
  size_t njobs = 0;
  for (const auto& p : cfg.pipelines) njobs += p.jobs.size();
  if (njobs == 0) return Status::InvalidArgument(f + ": no jobs (give probe/refine_recipe/execution/evaluation_job_configs)");

  // References resolve only to jobs that run earlier.
  for (size_t pi = 0; pi < cfg.pipelines.size(); ++pi) {
    for (size_t ji = 0; ji < cfg.pipelines[pi].jobs.size(); ++ji) {
      const JobConfig& job = cfg.pipelines[pi].jobs[ji];
      for (const auto& [key, ref] : job.input) {
        JUICER_RETURN_IF_ERROR(CheckReference(cfg.pipelines, pi, ji, ref, job.yaml_path + ".input." + key));
      }
    }
  }

  // Iteration targets and updaters refer to outputs of any job (checked against the whole run).
  const size_t end_pipe = cfg.pipelines.size();
  if (auto it = root.find("iter_targets"); it != root.end() && !it->is_null()) {
    Json list = it->is_array() ? *it : Json::array({*it});
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = f + ": iter_targets[" + std::to_string(i) + "]";
      if (!list[i].is_string()) return Err(path, "expected a string like 'pipeline.meta.key >= 0.8'");
      auto t = ParseIterTarget(list[i].get<std::string>());
      if (!t.ok()) return t.status().WithContext(path + ": ");
      JUICER_RETURN_IF_ERROR(CheckReference(cfg.pipelines, end_pipe, 0, t->key, path));
      cfg.iter_targets.push_back(std::move(*t));
    }
  }
  if (cfg.max_iter_num == 0 && cfg.iter_targets.empty()) {
    return Err(f + ": max_iter_num", "0 (iterate until the targets hold) needs iter_targets");
  }
  if (auto it = root.find("iter_updater"); it != root.end() && !it->is_null()) {
    if (!it->is_object()) return Err(f + ": iter_updater", "expected a mapping of context reference -> config key");
    for (auto kv = it->begin(); kv != it->end(); ++kv) {
      const std::string path = f + ": iter_updater." + kv.key();
      JUICER_RETURN_IF_ERROR(CheckReference(cfg.pipelines, end_pipe, 0, kv.key(), path));
      if (!kv->is_string()) return Err(path, "expected '<pipeline>.<meta_name>.<dj_configs|extra_configs>.<key>'");
      const std::string target = kv->get<std::string>();
      const size_t d1 = target.find('.');
      const size_t d2 = d1 == std::string::npos ? d1 : target.find('.', d1 + 1);
      const std::string sub = d2 == std::string::npos ? std::string() : target.substr(d2 + 1);
      if (sub.rfind("dj_configs.", 0) != 0 && sub.rfind("extra_configs.", 0) != 0) {
        return Err(path, "target '" + target + "' must be '<pipeline>.<meta_name>.<dj_configs|extra_configs>.<key>'");
      }
      bool found = false;
      for (const auto& p : cfg.pipelines) {
        if (p.name != target.substr(0, d1)) continue;
        for (const auto& job : p.jobs) found = found || job.meta_name == target.substr(d1 + 1, d2 - d1 - 1);
      }
      if (!found) return Err(path, "target '" + target + "' names no job of this config");
      cfg.iter_updater.emplace_back(kv.key(), target);
    }
  }
  return cfg;
}

Result<SandboxConfig> LoadSandboxConfig(const std::string& path, const HookRegistry& hooks) {
  JUICER_ASSIGN_OR_RETURN(Json root, LoadYamlFile(path));
  return ParseSandboxConfig(root, path, hooks);
}

}  // namespace juicer::sandbox
