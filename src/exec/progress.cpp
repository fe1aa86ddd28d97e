#include "exec/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace juicer {

std::string HumanBytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) {
    b /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

std::string HumanDuration(double s) {
  if (s < 0 || s > 1e7) return "--:--";
  const long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
  return buf;
}

Progress::Progress(std::string label, uint64_t total_bytes, bool enabled)
    : label_(std::move(label)), total_(total_bytes), enabled_(enabled), tty_(isatty(STDERR_FILENO) == 1) {
  const char* iv = std::getenv("JUICER_PROGRESS_INTERVAL");
  interval_s_ = iv ? std::atof(iv) : (tty_ ? 0.2 : 10.0);
  start_ = last_ = std::chrono::steady_clock::now();
}

void Progress::Update(uint64_t bytes_done, uint64_t samples_done) {
  bytes_ = bytes_done;
  samples_ = samples_done;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_).count() < interval_s_) return;
  last_ = now;
  Print(false);
}

void Progress::Finish(uint64_t bytes_done, uint64_t samples_done) {
  bytes_ = bytes_done;
  samples_ = samples_done;
  if (enabled_) Print(true);
}

void Progress::Print(bool final_line) {
  const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate_b = el > 0 ? bytes_ / el : 0, rate_s = el > 0 ? samples_ / el : 0;
  char line[256];
  if (total_ > 0) {
    const double frac = std::min(1.0, static_cast<double>(bytes_) / static_cast<double>(total_));
    const double eta = rate_b > 0 ? (static_cast<double>(total_) - bytes_) / rate_b : -1;
    std::string bar;
    if (tty_) {
      const int w = 24, fill = static_cast<int>(frac * w);
      bar = "[" + std::string(fill, '#') + std::string(w - fill, '.') + "] ";
    }
    std::snprintf(line, sizeof line, "%s %s%5.1f%% %llu samples, %s/s, %.0f samples/s, elapsed %s, ETA %s",
                  label_.c_str(), bar.c_str(), frac * 100, static_cast<unsigned long long>(samples_),
                  HumanBytes(rate_b).c_str(), rate_s, HumanDuration(el).c_str(),
                  final_line ? "00:00" : HumanDuration(eta).c_str());
  } else {
    std::snprintf(line, sizeof line, "%s %llu samples, %.0f samples/s, elapsed %s", label_.c_str(),
                  static_cast<unsigned long long>(samples_), rate_s, HumanDuration(el).c_str());
  }
  if (tty_) std::fprintf(stderr, "\r\033[K%s%s", line, final_line ? "\n" : "");
  else std::fprintf(stderr, "%s\n", line);
  std::fflush(stderr);
}

}  // namespace juicer
