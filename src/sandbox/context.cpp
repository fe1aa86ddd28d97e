#include "sandbox/context.h"

namespace juicer::sandbox {

PipelineInfos* ContextInfos::FindPipeline(const std::string& name) {
  for (auto& p : pipelines_) {
    if (p.pipeline_name == name) return &p;
  }
  return nullptr;
}

namespace {
const Json* LookupInJob(const JobInfos& job, const std::string& rest) {
  if (rest.empty()) return nullptr;
  // Output keys may themselves contain dots; prefer the longest key that matches.
  const Json* best = nullptr;
  size_t best_len = 0;
  for (auto it = job.outputs.begin(); it != job.outputs.end(); ++it) {
    const std::string& k = it.key();
    if (rest == k) return &it.value();
    if (rest.size() > k.size() && rest.compare(0, k.size(), k) == 0 && rest[k.size()] == '.' && k.size() > best_len) {
      const Json* inner = DottedGet(it.value(), std::string_view(rest).substr(k.size() + 1));
      if (inner != nullptr) {
        best = inner;
        best_len = k.size();
      }
    }
  }
  return best;
}
}  // namespace

const JobInfos* ContextInfos::LastJob() const {
  for (auto p = pipelines_.rbegin(); p != pipelines_.rend(); ++p) {
    if (!p->jobs.empty()) return &p->jobs.back();
  }
  return nullptr;
}

const Json* ContextInfos::Lookup(const std::string& ref) const {
  const size_t dot = ref.find('.');
  if (dot == std::string::npos) return nullptr;
  const std::string head = ref.substr(0, dot);
  const std::string rest = ref.substr(dot + 1);
  if (head == "-1") {
    const JobInfos* last = LastJob();
    return last == nullptr ? nullptr : LookupInJob(*last, rest);
  }
  for (const auto& p : pipelines_) {
    if (p.pipeline_name != head) continue;
    const size_t dot2 = rest.find('.');
    if (dot2 == std::string::npos) return nullptr;
    const std::string meta = rest.substr(0, dot2);
    for (const auto& job : p.jobs) {
      if (job.meta_name == meta) return LookupInJob(job, rest.substr(dot2 + 1));
    }
    return nullptr;
  }
  return nullptr;
}

Json ContextInfos::ToJson() const {
  Json pipes = Json::array();
  for (const auto& p : pipelines_) {
    Json jobs = Json::array();
    for (const auto& job : p.jobs) {
      Json j = Json::object();
      j["meta_name"] = job.meta_name;
      for (auto it = job.outputs.begin(); it != job.outputs.end(); ++it) j[it.key()] = it.value();
      jobs.push_back(std::move(j));
    }
    pipes.push_back(Json{{"pipeline_name", p.pipeline_name}, {"job_infos", std::move(jobs)}});
  }
  return Json{{"iter", iter_}, {"pipeline_infos", std::move(pipes)}};
}

Result<ContextInfos> ContextInfos::FromJson(const Json& j) {
  if (!j.is_object() || !j.contains("iter") || !j["iter"].is_number_integer() || !j.contains("pipeline_infos") ||
      !j["pipeline_infos"].is_array()) {
    return Status::DataError("context infos entry needs an integer 'iter' and a 'pipeline_infos' list");
  }
  ContextInfos c(j["iter"].get<int>());
  for (const auto& pj : j["pipeline_infos"]) {
    if (!pj.is_object() || !pj.contains("pipeline_name") || !pj["pipeline_name"].is_string() ||
        !pj.contains("job_infos") || !pj["job_infos"].is_array()) {
      return Status::DataError("pipeline_infos entry needs 'pipeline_name' and a 'job_infos' list");
    }
    PipelineInfos p;
    p.pipeline_name = pj["pipeline_name"].get<std::string>();
    for (const auto& jj : pj["job_infos"]) {
      if (!jj.is_object() || !jj.contains("meta_name") || !jj["meta_name"].is_string()) {
        return Status::DataError("job_infos entry of pipeline '" + p.pipeline_name + "' needs a 'meta_name'");
      }
      JobInfos job;
      job.meta_name = jj["meta_name"].get<std::string>();
      for (auto it = jj.begin(); it != jj.end(); ++it) {
        if (it.key() != "meta_name") job.outputs[it.key()] = it.value();
      }
      p.jobs.push_back(std::move(job));
    }
    c.pipelines_.push_back(std::move(p));
  }
  return c;
}

Json ContextListToJson(const std::vector<ContextInfos>& list) {
  Json arr = Json::array();
  for (const auto& c : list) arr.push_back(c.ToJson());
  return arr;
}

Result<std::vector<ContextInfos>> ContextListFromFile(const std::string& path) {
  JUICER_ASSIGN_OR_RETURN(Json j, LoadJsonFile(path));
  if (!j.is_array()) return Status::DataError(path + ": expected a JSON list of iterations");
  std::vector<ContextInfos> out;
  for (const auto& item : j) {
    auto c = ContextInfos::FromJson(item);
    if (!c.ok()) return c.status().WithContext(path + ": ");
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace juicer::sandbox
