// Probe trainings of `juicer sandbox probe`: one `juicer train` + `juicer eval` per (data, seed, size,
// budget), as child processes, `parallel` at a time with one torch thread each, or as one Slurm job
// array (ProbeTraining::slurm). A job whose
// metrics.json exists is never rerun (the loop resumes where it stopped); a job directory is shared by
// every request for the same run.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "dist/slurm.h"

namespace juicer::sandbox {

struct ProbeTraining {
  std::string task = "clip";
  int64_t steps = 0;  // the task's default steps (or --steps): the budget of factor 1
  int batch_size = 0; // 0: the task's default
  std::vector<std::string> set;   // --set key=value model overrides
  std::vector<std::string> eval;  // evaluation files
  std::string metric;             // dotted key into metrics.json
  // Set: the jobs run as a Slurm job array (one task per unfinished job) instead of local processes.
  std::optional<dist::SlurmOptions> slurm;
};

struct ProbeJob {
  std::string label;  // for progress lines and errors, e.g. "text_len/2 seed 1"
  std::string data;   // the pool
  std::string dir;    // run directory: model/, metrics.json, train.log, eval.log
  int seed = 1;
  std::string size = "xs";
  double budget = 1;  // multiple of the base steps
};

// Runs the jobs and returns the metric of each (in order). Progress goes to `log` with an ETA for this
// phase. The first failure stops the phase and names its job and log file.
Result<std::vector<double>> RunProbeJobs(const std::vector<ProbeJob>& jobs, const ProbeTraining& training, int parallel,
                                         const std::string& phase, const std::function<void(const std::string&)>& log);

}  // namespace juicer::sandbox
