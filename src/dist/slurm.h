// Slurm job arrays: a list of independent shell tasks submitted as one `sbatch --array` job, task i
// run by array index i (SLURM_ARRAY_TASK_ID). Used by `juicer sandbox probe --executor slurm` for its
// probe trainings; each task ends by creating its completion marker, so resubmitting the unfinished
// tasks after a failure (or a cancelled job) is what a rerun does.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace juicer::dist {

struct SlurmOptions {
  std::string partition;          // --partition (empty: the cluster's default)
  std::string time;               // --time limit per task, e.g. "01:00:00" (empty: the partition's)
  std::string mem;                // --mem per task, e.g. "4G" (empty: the partition's)
  int cpus_per_task = 1;          // --cpus-per-task
  int max_parallel = 0;           // array throttle %N (0: as many as the cluster runs)
  std::vector<std::string> extra; // further sbatch options, one per #SBATCH line (e.g. --account=x)
  std::string sbatch = "sbatch";  // the sbatch program
};

struct SlurmArrayTask {
  std::string label;     // for errors
  std::string commands;  // bash lines run by this task (set -e applies)
};

// The sbatch script: #SBATCH header (job name, array 0..n-1, logs in `log_dir`) and a `case` on
// SLURM_ARRAY_TASK_ID selecting each task's commands.
std::string SbatchScript(const std::string& job_name, const std::vector<SlurmArrayTask>& tasks,
                         const std::string& log_dir, const SlurmOptions& o);

// Writes the script to <dir>/<job_name>.sbatch, submits it with `sbatch --wait` and returns when every
// task has ended. A non-zero status is not an error here (the caller checks each task's marker); a
// failed submission is.
Status RunSlurmArray(const std::string& dir, const std::string& job_name, const std::vector<SlurmArrayTask>& tasks,
                     const SlurmOptions& o);

// `s` quoted for bash.
std::string ShellQuote(const std::string& s);

}  // namespace juicer::dist
