#include "sandbox/probe_jobs.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "dist/slurm.h"
#include "sandbox/json.h"
#include "sandbox/juicer_exe.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> TrainArgs(const ProbeJob& j, const ProbeTraining& t) {
  std::vector<std::string> train = {"train", "--task", t.task, "--data", j.data, "--out", j.dir + "/model",
                                    "--seed", std::to_string(j.seed), "--threads", "1", "--size", j.size};
  const int64_t steps = std::max<int64_t>(1, std::llround(static_cast<double>(t.steps) * j.budget));
  train.insert(train.end(), {"--steps", std::to_string(steps)});
  if (t.batch_size > 0) train.insert(train.end(), {"--batch-size", std::to_string(t.batch_size)});
  for (const auto& kv : t.set) train.insert(train.end(), {"--set", kv});
  return train;
}

std::vector<std::string> EvalArgs(const ProbeJob& j, const ProbeTraining& t) {
  std::vector<std::string> ev = {"eval", "--model", j.dir + "/model", "--task", t.task, "--threads", "1",
                                 "--out", j.dir + "/metrics.json.tmp"};
  for (const auto& e : t.eval) ev.insert(ev.end(), {"--data", e});
  return ev;
}

Status RunOne(const ProbeJob& j, const ProbeTraining& t) {
  const std::string metrics = j.dir + "/metrics.json";
  if (fs::exists(metrics)) return Status::OK();
  JUICER_RETURN_IF_ERROR(RunJuicer(TrainArgs(j, t), j.dir + "/train.log"));
  JUICER_RETURN_IF_ERROR(RunJuicer(EvalArgs(j, t), j.dir + "/eval.log"));
  std::error_code ec;
  fs::rename(metrics + ".tmp", metrics, ec);
  if (ec) return Status::IOError(metrics + ": cannot write: " + ec.message());
  return Status::OK();
}

Result<double> ReadMetric(const std::string& dir, const std::string& key) {
  const std::string metrics = dir + "/metrics.json";
  JUICER_ASSIGN_OR_RETURN(Json m, LoadJsonFile(metrics));
  const Json* x = DottedGet(m, key);
  if (x == nullptr || !x->is_number()) return Status::DataError(metrics + ": no numeric metric '" + key + "'");
  return x->get<double>();
}

// The pending jobs as one Slurm job array (task i: train, eval, then the metrics.json marker).
Status RunOnSlurm(const std::vector<const ProbeJob*>& pending, const ProbeTraining& t, const std::string& phase,
                  const std::function<void(const std::string&)>& log) {
  if (pending.empty()) return Status::OK();
  JUICER_ASSIGN_OR_RETURN(std::string bin, JuicerBinary());
  std::error_code ec;
  bin = fs::absolute(bin, ec).string();
  std::vector<dist::SlurmArrayTask> tasks;
  for (const ProbeJob* j : pending) {
    const std::string dir = fs::absolute(j->dir, ec).string();
    auto cmd = [&](std::vector<std::string> args, const std::string& log_file) {
      std::string line = dist::ShellQuote(bin);
      for (auto& a : args) line += " " + dist::ShellQuote(a);
      return line + " > " + dist::ShellQuote(dir + "/" + log_file) + " 2>&1\n";
    };
    ProbeJob abs = *j;
    abs.dir = dir;
    abs.data = fs::absolute(j->data, ec).string();
    ProbeTraining at = t;
    for (auto& e : at.eval) e = fs::absolute(e, ec).string();
    std::string c = "mkdir -p " + dist::ShellQuote(dir) + "\n";
    c += cmd(TrainArgs(abs, at), "train.log");
    c += cmd(EvalArgs(abs, at), "eval.log");
    c += "mv " + dist::ShellQuote(dir + "/metrics.json.tmp") + " " + dist::ShellQuote(dir + "/metrics.json") + "\n";
    tasks.push_back({j->label, c});
  }
  std::string name = "juicer-probe-" + phase;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-') ch = '-';
  const std::string dir = (fs::path(pending[0]->dir).parent_path().parent_path() / "slurm").string();
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  if (log) log(phase + ": submitting " + std::to_string(tasks.size()) + " probe runs as a Slurm job array (" + dir + "/" + name + ".sbatch)");
  return dist::RunSlurmArray(dir, name, tasks, *t.slurm);
}

}  // namespace

Result<std::vector<double>> RunProbeJobs(const std::vector<ProbeJob>& jobs, const ProbeTraining& training, int parallel,
                                         const std::string& phase, const std::function<void(const std::string&)>& log) {
  // One run per directory; requests for the same directory share it.
  std::vector<size_t> unique;
  std::map<std::string, size_t> first_of_dir;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (first_of_dir.emplace(jobs[i].dir, i).second) unique.push_back(i);
  }
  size_t to_train = 0;
  for (size_t i : unique) to_train += !fs::exists(jobs[i].dir + "/metrics.json");
  if (log) {
    log(phase + ": " + std::to_string(unique.size()) + " probe runs (" + std::to_string(unique.size() - to_train) +
        " already done)");
  }
  if (training.slurm) {
    std::vector<const ProbeJob*> pending;
    for (size_t i : unique)
      if (!fs::exists(jobs[i].dir + "/metrics.json")) pending.push_back(&jobs[i]);
    JUICER_RETURN_IF_ERROR(RunOnSlurm(pending, training, phase, log).WithContext(phase + ": "));
    std::vector<double> out(jobs.size());
    for (size_t i = 0; i < jobs.size(); ++i) {
      const ProbeJob& j = jobs[first_of_dir[jobs[i].dir]];
      if (!fs::exists(j.dir + "/metrics.json"))
        return Status::Unavailable(phase + ": " + j.label + ": its Slurm task did not finish (see " + j.dir +
                                   "/train.log, eval.log and the slurm-logs/ beside the .sbatch script); rerun to "
                                   "resubmit the unfinished runs");
      Result<double> v = ReadMetric(j.dir, training.metric);
      if (!v.ok()) return v.status().WithContext(phase + ": " + j.label + ": ");
      out[i] = *v;
    }
    return out;
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  size_t trained = 0;
  double trained_cost = 0, total_cost = 0;
  for (size_t i : unique) {
    if (!fs::exists(jobs[i].dir + "/metrics.json")) total_cost += jobs[i].budget * (jobs[i].size == "xs" ? 1 : jobs[i].size == "s" ? 2 : 4);
  }
  std::mutex mu;
  Status first_error;
  std::vector<double> by_unique(unique.size(), std::numeric_limits<double>::quiet_NaN());
  auto worker = [&] {
    for (;;) {
      const size_t u = next++;
      if (u >= unique.size()) return;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!first_error.ok()) return;
      }
      const ProbeJob& j = jobs[unique[u]];
      const bool fresh = !fs::exists(j.dir + "/metrics.json");
      Status st = RunOne(j, training);
      Result<double> v = st.ok() ? ReadMetric(j.dir, training.metric) : Result<double>(st);
      std::lock_guard<std::mutex> lock(mu);
      if (!v.ok()) {
        if (first_error.ok()) first_error = v.status().WithContext(phase + ": " + j.label + " (" + j.dir + "): ");
        return;
      }
      by_unique[u] = *v;
      if (fresh) {
        ++trained;
        trained_cost += j.budget * (j.size == "xs" ? 1 : j.size == "s" ? 2 : 4);
        const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char eta[48];
        std::snprintf(eta, sizeof eta, "%.0f", spent / trained_cost * (total_cost - trained_cost));
        char val[32];
        std::snprintf(val, sizeof val, "%.4g", *v);
        if (log) {
          log(phase + " [" + std::to_string(trained) + "/" + std::to_string(to_train) + "] " + j.label + ": " +
              training.metric + " = " + val + " (ETA " + eta + " s)");
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, parallel); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  JUICER_RETURN_IF_ERROR(first_error);
  std::vector<double> out(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    const size_t u = static_cast<size_t>(std::find(unique.begin(), unique.end(), first_of_dir[jobs[i].dir]) - unique.begin());
    out[i] = by_unique[u];
  }
  return out;
}

}  // namespace juicer::sandbox
