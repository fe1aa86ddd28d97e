// Progress on stderr: a bar with rate and ETA on a terminal, plain periodic lines otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace juicer {

class Progress {
 public:
  // total_bytes 0 = unknown (no percentage / ETA).
  Progress(std::string label, uint64_t total_bytes, bool enabled = true);
  void Update(uint64_t bytes_done, uint64_t samples_done);
  void Finish(uint64_t bytes_done, uint64_t samples_done);

 private:
  void Print(bool final_line);
  std::string label_;
  uint64_t total_ = 0, bytes_ = 0, samples_ = 0;
  bool enabled_, tty_;
  double interval_s_;
  std::chrono::steady_clock::time_point start_, last_;
};

std::string HumanBytes(double bytes);
std::string HumanDuration(double seconds);

}  // namespace juicer
