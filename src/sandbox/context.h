// The sandbox's record of what every job returned (Data-Juicer's ContextInfos): per iteration, per
// pipeline, the jobs in run order with their named outputs. Written to work_dir/context_infos.json in
// DJ's layout after every job, and read back by `resume`.
#pragma once

#include <string>
#include <vector>

#include "sandbox/json.h"

namespace juicer::sandbox {

struct JobInfos {
  std::string meta_name;
  Json outputs = Json::object();  // output key -> value, in order
};

struct PipelineInfos {
  std::string pipeline_name;
  std::vector<JobInfos> jobs;
};

class ContextInfos {
 public:
  explicit ContextInfos(int iter = 0) : iter_(iter) {}
  int iter() const { return iter_; }
  std::vector<PipelineInfos>& pipelines() { return pipelines_; }
  const std::vector<PipelineInfos>& pipelines() const { return pipelines_; }
  PipelineInfos* FindPipeline(const std::string& name);

  // DJ's lookup: "pipeline.meta_name.output_key[.nested...]" (the first job with that meta_name) or
  // "-1.output_key" (the last job that recorded outputs). nullptr when absent.
  const Json* Lookup(const std::string& ref) const;
  const JobInfos* LastJob() const;

  Json ToJson() const;
  static Result<ContextInfos> FromJson(const Json& j);

 private:
  int iter_ = 0;
  std::vector<PipelineInfos> pipelines_;
};

// Every iteration's context, as written to context_infos.json (a JSON list, DJ's GlobalContextInfos).
Json ContextListToJson(const std::vector<ContextInfos>& list);
Result<std::vector<ContextInfos>> ContextListFromFile(const std::string& path);

}  // namespace juicer::sandbox
