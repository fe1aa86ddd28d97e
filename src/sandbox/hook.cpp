#include "sandbox/hook.h"

#include "sandbox/config.h"

namespace juicer::sandbox {

Status HookRegistry::Register(HookInfo info) {
  if (index_.count(info.name) || index_.count(info.dj_class)) {
    return Status::Internal("hook registered twice: " + info.name);
  }
  index_[info.name] = hooks_.size();
  index_[info.dj_class] = hooks_.size();
  hooks_.push_back(std::move(info));
  return Status::OK();
}

const HookInfo* HookRegistry::Find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &hooks_[it->second];
}

Json HookCall::Vars() const {
  Json v = Json::object();
  for (const Json* cfg : {&dj_cfg, &extra_cfg}) {
    if (!cfg->is_object()) continue;
    for (auto it = cfg->begin(); it != cfg->end(); ++it) {
      if (it->is_primitive()) v[it.key()] = *it;
    }
  }
  v["work_dir"] = work_dir;
  v["job_dir"] = job_dir;
  v["meta_name"] = job != nullptr ? job->meta_name : "";
  v["pipeline"] = pipeline;
  v["iter"] = iter;
  return v;
}

}  // namespace juicer::sandbox
