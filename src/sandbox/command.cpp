#include "sandbox/command.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include <re2/re2.h>

extern char** environ;

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

constexpr int kTailLines = 20;

// ---------------------------------------------------------------- placeholders

std::string KnownNames(const Json& vars) {
  std::string s;
  if (!vars.is_object() || vars.empty()) return "(no variables)";
  int n = 0;
  for (const auto& [k, v] : vars.items()) {
    if (n++ == 24) {
      s += ", ...";
      break;
    }
    s += (s.empty() ? "" : ", ") + k;
  }
  return s;
}

Result<std::string> FillString(const std::string& s, const Json& vars, const std::string& where) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '{') {
      if (i + 1 < s.size() && s[i + 1] == '{') {
        out += '{';
        i += 2;
        continue;
      }
      const size_t close = s.find_first_of("{}", i + 1);
      if (close == std::string::npos || s[close] == '{') {
        return Status::InvalidArgument(where + ": unclosed '{' in \"" + s + "\" (write {{ for a literal brace)");
      }
      const std::string name = s.substr(i + 1, close - i - 1);
      if (name.empty()) return Status::InvalidArgument(where + ": empty placeholder {} in \"" + s + "\"");
      const Json* v = nullptr;
      if (vars.is_object()) {
        auto it = vars.find(name);
        if (it != vars.end()) v = &*it;
      }
      if (v == nullptr && vars.is_structured()) v = DottedGet(vars, name);
      if (v == nullptr) {
        return Status::InvalidArgument(where + ": unknown placeholder {" + name + "} in \"" + s +
                                       "\" (known: " + KnownNames(vars) + ")");
      }
      out += v->is_string() ? v->get<std::string>() : v->dump();
      i = close + 1;
    } else if (c == '}') {
      if (i + 1 < s.size() && s[i + 1] == '}') {
        out += '}';
        i += 2;
        continue;
      }
      return Status::InvalidArgument(where + ": single '}' in \"" + s + "\" (write }} for a literal brace)");
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// A scalar config value as a command-line / environment string.
Result<std::string> ScalarText(const Json& v, const std::string& where) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return Status::InvalidArgument(where + ": expected a string or number, got " + std::string(v.type_name()));
}

// ---------------------------------------------------------------- signals

// SIGINT/SIGTERM while a command runs: the child's group is terminated and RunCommand returns
// Cancelled. Reference counted so concurrent RunCommand calls share one installation; a signal the
// process ignores stays ignored; a previous handler (the lead's flag) is still called.
std::mutex g_sig_mu;
int g_sig_users = 0;
std::atomic<bool> g_cancel{false};
struct sigaction g_old_int {}, g_old_term {};
bool g_installed_int = false, g_installed_term = false;

extern "C" void OnCancelSignal(int sig) {
  g_cancel.store(true);
  const struct sigaction& old = sig == SIGINT ? g_old_int : g_old_term;
  if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN &&
      old.sa_handler != nullptr) {
    old.sa_handler(sig);
  }
}

class SignalGuard {
 public:
  SignalGuard() {
    std::lock_guard<std::mutex> lock(g_sig_mu);
    if (g_sig_users++ > 0) return;
    g_cancel.store(false);
    g_installed_int = Install(SIGINT, &g_old_int);
    g_installed_term = Install(SIGTERM, &g_old_term);
  }
  ~SignalGuard() {
    std::lock_guard<std::mutex> lock(g_sig_mu);
    if (--g_sig_users > 0) return;
    if (g_installed_int) sigaction(SIGINT, &g_old_int, nullptr);
    if (g_installed_term) sigaction(SIGTERM, &g_old_term, nullptr);
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  static bool Install(int sig, struct sigaction* old) {
    if (sigaction(sig, nullptr, old) != 0 || old->sa_handler == SIG_IGN) return false;
    struct sigaction sa {};
    sa.sa_handler = OnCancelSignal;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, nullptr) == 0;
  }
};

// ---------------------------------------------------------------- spawning

// Owns the posix_spawn attribute objects and file descriptors of one launch.
struct Launch {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  int log_fd = -1, null_fd = -1;
  Launch() {
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
  }
  ~Launch() {
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    CloseFds();
  }
  void CloseFds() {
    if (log_fd >= 0) close(log_fd);
    if (null_fd >= 0) close(null_fd);
    log_fd = null_fd = -1;
  }
  Launch(const Launch&) = delete;
  Launch& operator=(const Launch&) = delete;
};

std::vector<std::string> ChildEnvironment(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    const std::string_view key = kv.substr(0, kv.find('='));
    bool overridden = false;
    for (const auto& [k, v] : extra) overridden = overridden || k == key;
    if (!overridden) env.emplace_back(kv);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? "SIG" + std::string(abbrev) : "signal " + std::to_string(sig);
}

std::string TailBlock(const std::string& tail, const std::string& log_path) {
  std::string s = " (log: " + log_path + ")";
  if (tail.empty()) return s + "; the log is empty";
  s += "; last lines of the log:";
  size_t start = 0;
  while (start <= tail.size()) {
    size_t nl = tail.find('\n', start);
    if (nl == std::string::npos) nl = tail.size();
    s += "\n  | " + tail.substr(start, nl - start);
    start = nl + 1;
  }
  return s;
}

enum class Ending { kExited, kTimedOut, kCancelled };

// Waits for `pid` (leader of its own process group) without reaping it, so the group id stays
// reserved; applies the timeout and cancellation (SIGTERM to the group, SIGKILL after the grace).
Ending WaitForExit(pid_t pid, const CommandSpec& spec, std::chrono::steady_clock::time_point t0) {
  using Clock = std::chrono::steady_clock;
  const auto grace = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::max(0.0, spec.kill_grace_s)));
  const bool has_deadline = spec.timeout_s > 0;
  const auto deadline =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(spec.timeout_s));
  Ending why = Ending::kExited;
  bool term_sent = false, kill_sent = false;
  Clock::time_point kill_at{};
  auto nap = std::chrono::milliseconds(2);
  for (;;) {
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    const int r = waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
    if (r == 0 && info.si_pid == pid) break;
    if (r != 0 && errno != EINTR) break;  // ECHILD: someone else reaped it; waitpid below reports
    const auto now = Clock::now();
    if (!term_sent) {
      if (g_cancel.load()) why = Ending::kCancelled;
      else if (has_deadline && now >= deadline) why = Ending::kTimedOut;
      if (why != Ending::kExited) {
        kill(-pid, SIGTERM);
        term_sent = true;
        kill_at = now + grace;
      }
    } else if (!kill_sent && now >= kill_at) {
      kill(-pid, SIGKILL);
      kill_sent = true;
    }
    std::this_thread::sleep_for(nap);
    if (nap < std::chrono::milliseconds(50)) nap *= 2;
  }
  // The leader is gone; whatever it left in its group goes with it when it was stopped by us.
  if (why != Ending::kExited) kill(-pid, SIGKILL);
  return why;
}

// ---------------------------------------------------------------- metrics

Json ParseScalarText(const std::string& raw) {
  size_t b = 0, e = raw.size();
  while (b < e && std::isspace(static_cast<unsigned char>(raw[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(raw[e - 1]))) --e;
  const std::string s = raw.substr(b, e - b);
  if (s.empty()) return raw;
  int64_t i = 0;
  const char* first = s.data() + (s[0] == '+' ? 1 : 0);
  auto [p, ec] = std::from_chars(first, s.data() + s.size(), i);
  if (ec == std::errc() && p == s.data() + s.size()) return i;
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() + s.size() && errno == 0 && std::isfinite(d)) return d;
  return raw;
}

struct MetricPattern {
  std::string name;
  std::unique_ptr<RE2> re;
  std::optional<std::string> last;
};

const Json* JsonFileOf(const Json& cfg) {
  if (!cfg.is_object()) return nullptr;
  auto it = cfg.find("json_file");
  return it == cfg.end() || it->is_null() ? nullptr : &*it;
}

// Checks a metrics config's shape and compiles its patterns (nothing is read).
Result<std::vector<MetricPattern>> CompileMetricsConfig(const Json& cfg) {
  std::vector<MetricPattern> pats;
  if (cfg.is_null()) return pats;
  if (!cfg.is_object()) return Status::InvalidArgument("metrics: expected an object with json_file and/or regex");
  for (const auto& [k, v] : cfg.items()) {
    if (k != "json_file" && k != "regex") {
      return Status::InvalidArgument("metrics: unknown key '" + k + "' (expected json_file, regex)");
    }
  }
  if (const Json* jf = JsonFileOf(cfg); jf != nullptr && !jf->is_string()) {
    return Status::InvalidArgument("metrics.json_file: expected a path");
  }
  auto rit = cfg.find("regex");
  if (rit == cfg.end() || rit->is_null()) return pats;
  if (!rit->is_object()) return Status::InvalidArgument("metrics.regex: expected {name: pattern}");
  for (const auto& [name, pat] : rit->items()) {
    const std::string where = "metrics.regex." + name;
    if (!pat.is_string()) return Status::InvalidArgument(where + ": expected a pattern string");
    auto re = std::make_unique<RE2>(pat.get<std::string>(), RE2::Quiet);
    if (!re->ok()) return Status::InvalidArgument(where + ": bad pattern '" + pat.get<std::string>() + "': " + re->error());
    if (re->NumberOfCapturingGroups() < 1) {
      return Status::InvalidArgument(where + ": pattern '" + pat.get<std::string>() + "' needs a capturing group");
    }
    pats.push_back({name, std::move(re), std::nullopt});
  }
  return pats;
}

}  // namespace

// ---------------------------------------------------------------- public

Result<Json> FillPlaceholders(const Json& tmpl, const Json& vars, const std::string& where) {
  if (tmpl.is_string()) {
    JUICER_ASSIGN_OR_RETURN(std::string s, FillString(tmpl.get<std::string>(), vars, where));
    return Json(std::move(s));
  }
  if (tmpl.is_array()) {
    Json out = Json::array();
    for (size_t i = 0; i < tmpl.size(); ++i) {
      JUICER_ASSIGN_OR_RETURN(Json v, FillPlaceholders(tmpl[i], vars, where + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(v));
    }
    return out;
  }
  if (tmpl.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : tmpl.items()) {
      JUICER_ASSIGN_OR_RETURN(Json filled, FillPlaceholders(v, vars, where.empty() ? k : where + "." + k));
      out[k] = std::move(filled);
    }
    return out;
  }
  return tmpl;
}

std::string QuoteCommand(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    bool plain = !a.empty();
    for (char c : a) {
      plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_-./=:,+@%", c) != nullptr);
    }
    if (plain) {
      s += a;
      continue;
    }
    s += '\'';
    for (char c : a) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
    s += '\'';
  }
  if (s.size() > 400) s = s.substr(0, 400) + " ...";
  return s;
}

std::string TailOfFile(const std::string& path, int lines) {
  if (lines <= 0) return "";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size <= 0) return "";
  const std::streamoff window = std::min<std::streamoff>(size, 64 * 1024);
  std::string buf(static_cast<size_t>(window), '\0');
  in.seekg(size - window);
  in.read(buf.data(), window);
  buf.resize(static_cast<size_t>(in.gcount()));
  size_t start = 0;
  if (window < size) start = buf.find('\n') == std::string::npos ? 0 : buf.find('\n') + 1;
  std::vector<std::string> all;
  while (start < buf.size()) {
    size_t nl = buf.find('\n', start);
    if (nl == std::string::npos) nl = buf.size();
    std::string line = buf.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t cr = line.rfind('\r');  // a progress bar redrawn in place: its last state
    if (cr != std::string::npos) line = line.substr(cr + 1);
    if (line.size() > 400) line = line.substr(0, 400) + " ...";
    all.push_back(std::move(line));
    start = nl + 1;
  }
  const size_t first = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  std::string out;
  for (size_t i = first; i < all.size(); ++i) out += (i == first ? "" : "\n") + all[i];
  return out;
}

Result<CommandResult> RunCommand(const CommandSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) return Status::InvalidArgument("command: argv is empty");
  const std::string cmd = QuoteCommand(spec.argv);
  std::error_code ec;
  if (!spec.cwd.empty() && !fs::is_directory(spec.cwd, ec)) {
    return Status::NotFound("command `" + cmd + "`: working directory " + spec.cwd + " does not exist");
  }
  for (const auto& [k, v] : spec.env) {
    if (k.empty() || k.find('=') != std::string::npos) {
      return Status::InvalidArgument("command `" + cmd + "`: bad environment variable name '" + k + "'");
    }
  }

  Launch launch;
  std::string log_path = spec.log_path;
  const bool temp_log = log_path.empty();
  if (temp_log) {
    std::string tmpl = (fs::temp_directory_path(ec) / "juicer-command-XXXXXX.log").string();
    launch.log_fd = mkostemps(tmpl.data(), 4, O_CLOEXEC);
    log_path = tmpl;
  } else {
    const fs::path parent = fs::path(log_path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    launch.log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  if (launch.log_fd < 0) {
    return Status::IOError("command `" + cmd + "`: cannot open log file " + log_path + ": " + std::strerror(errno));
  }
  launch.null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (launch.null_fd < 0) return Status::IOError("command: cannot open /dev/null");

  posix_spawn_file_actions_adddup2(&launch.fa, launch.null_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&launch.fa, launch.log_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&launch.fa, launch.log_fd, STDERR_FILENO);
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&launch.fa, spec.cwd.c_str());
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2}) sigaddset(&defaults, sig);
  posix_spawnattr_setflags(&launch.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&launch.attr, 0);
  posix_spawnattr_setsigmask(&launch.attr, &none);
  posix_spawnattr_setsigdefault(&launch.attr, &defaults);

  std::vector<std::string> env = ChildEnvironment(spec.env);
  std::vector<char*> envp, argvp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = spec.argv;
  for (auto& a : args) argvp.push_back(a.data());
  argvp.push_back(nullptr);

  SignalGuard guard;
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0].c_str(), &launch.fa, &launch.attr, argvp.data(), envp.data());
  launch.CloseFds();
  auto cleanup = [&] {
    if (temp_log) fs::remove(log_path, ec);
  };
  if (rc != 0) {
    cleanup();
    if (rc == ENOENT) {
      return Status::NotFound("command not found: '" + spec.argv[0] + "' (running `" + cmd + "`; not in PATH?)");
    }
    if (rc == EACCES) return Status::InvalidArgument("command is not executable: '" + spec.argv[0] + "' (`" + cmd + "`)");
    return Status::IOError("cannot start `" + cmd + "`: " + std::strerror(rc));
  }

  const Ending why = WaitForExit(pid, spec, t0);
  int wstatus = 0;
  pid_t w;
  do {
    w = waitpid(pid, &wstatus, 0);
  } while (w < 0 && errno == EINTR);
  CommandResult res;
  res.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  res.log_tail = TailOfFile(log_path, kTailLines);
  cleanup();
  const std::string shown_log = temp_log ? std::string("not kept") : log_path;
  if (w < 0) return Status::Internal("command `" + cmd + "`: waitpid failed: " + std::strerror(errno));
  char secs[32];
  std::snprintf(secs, sizeof secs, "%g", spec.timeout_s);
  if (why == Ending::kTimedOut) {
    return Status::IOError("command `" + cmd + "` timed out after " + secs + " s and was killed" +
                           TailBlock(res.log_tail, shown_log));
  }
  if (why == Ending::kCancelled) {
    return Status::Cancelled("command `" + cmd + "` interrupted (SIGINT/SIGTERM): stopped it" +
                             TailBlock(res.log_tail, shown_log));
  }
  if (WIFSIGNALED(wstatus)) {
    return Status::IOError("command `" + cmd + "` was killed by " + SignalName(WTERMSIG(wstatus)) +
                           TailBlock(res.log_tail, shown_log));
  }
  res.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
  if (res.exit_code != 0) {
    return Status::IOError("command `" + cmd + "` failed with exit code " + std::to_string(res.exit_code) +
                           TailBlock(res.log_tail, shown_log));
  }
  return res;
}

Result<Json> ParseMetrics(const Json& metrics_cfg, const std::string& log_path) {
  JUICER_ASSIGN_OR_RETURN(std::vector<MetricPattern> pats, CompileMetricsConfig(metrics_cfg));
  Json out = Json::object();
  if (const Json* jf = JsonFileOf(metrics_cfg); jf != nullptr) {
    const std::string path = jf->get<std::string>();
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      return Status::NotFound("metrics.json_file: " + path + " does not exist (the command did not write it)");
    }
    JUICER_ASSIGN_OR_RETURN(Json j, LoadJsonFile(path));
    if (!j.is_object()) return Status::DataError("metrics.json_file: " + path + " does not hold a JSON object");
    out = std::move(j);
  }
  if (pats.empty()) return out;
  std::ifstream in(log_path, std::ios::binary);
  if (!in) return Status::NotFound("metrics.regex: cannot read log " + log_path);
  std::string line;
  re2::StringPiece groups[2];
  while (std::getline(in, line)) {
    for (auto& p : pats) {
      size_t pos = 0;
      while (pos <= line.size() && p.re->Match(line, pos, line.size(), RE2::UNANCHORED, groups, 2)) {
        p.last = std::string(groups[1].data() == nullptr ? "" : groups[1]);
        const size_t begin = static_cast<size_t>(groups[0].data() - line.data());
        pos = std::max(begin + groups[0].size(), begin + 1);
      }
    }
  }
  for (auto& p : pats) {
    if (!p.last) {
      return Status::NotFound("metrics.regex." + p.name + ": pattern '" + p.re->pattern() + "' matched nothing in " +
                              log_path);
    }
    out[p.name] = ParseScalarText(*p.last);
  }
  return out;
}

Result<Json> RunCommandCapability(const Json& cfg, const Json& vars) {
  static const char* const kKeys[] = {"type", "argv", "env", "cwd", "timeout", "log_file", "metrics", "outputs"};
  if (!cfg.is_object()) return Status::InvalidArgument("command capability: the config must be an object");
  for (const auto& [k, v] : cfg.items()) {
    bool known = false;
    for (const char* key : kKeys) known = known || k == key;
    if (!known) {
      return Status::InvalidArgument("command capability: unknown key '" + k +
                                     "' (expected type, argv, env, cwd, timeout, log_file, metrics, outputs)");
    }
  }
  if (cfg.contains("type") && cfg["type"] != "command") {
    return Status::InvalidArgument("command capability: type must be 'command', got " + cfg["type"].dump());
  }
  auto get = [&](const char* key) -> const Json& {
    static const Json kNull;
    auto it = cfg.find(key);
    return it == cfg.end() ? kNull : *it;
  };
  if (!get("argv").is_array() || get("argv").empty()) {
    return Status::InvalidArgument("command capability: argv must be a non-empty list, e.g. [python3, train.py]");
  }
  // Fill every placeholder before anything runs.
  CommandSpec spec;
  JUICER_ASSIGN_OR_RETURN(Json argv, FillPlaceholders(get("argv"), vars, "argv"));
  for (size_t i = 0; i < argv.size(); ++i) {
    JUICER_ASSIGN_OR_RETURN(std::string a, ScalarText(argv[i], "argv[" + std::to_string(i) + "]"));
    spec.argv.push_back(std::move(a));
  }
  if (!get("env").is_null()) {
    if (!get("env").is_object()) return Status::InvalidArgument("env: expected a map NAME: value");
    JUICER_ASSIGN_OR_RETURN(Json env, FillPlaceholders(get("env"), vars, "env"));
    for (const auto& [k, v] : env.items()) {
      JUICER_ASSIGN_OR_RETURN(std::string val, ScalarText(v, "env." + k));
      spec.env.emplace_back(k, std::move(val));
    }
  }
  if (!get("cwd").is_null()) {
    if (!get("cwd").is_string()) return Status::InvalidArgument("cwd: expected a path");
    JUICER_ASSIGN_OR_RETURN(Json cwd, FillPlaceholders(get("cwd"), vars, "cwd"));
    spec.cwd = cwd.get<std::string>();
  }
  if (!get("timeout").is_null()) {
    if (!get("timeout").is_number() || get("timeout").get<double>() < 0) {
      return Status::InvalidArgument("timeout: expected seconds >= 0 (0 = none), got " + get("timeout").dump());
    }
    spec.timeout_s = get("timeout").get<double>();
  }
  if (!get("log_file").is_null()) {
    if (!get("log_file").is_string()) return Status::InvalidArgument("log_file: expected a path");
    JUICER_ASSIGN_OR_RETURN(Json log, FillPlaceholders(get("log_file"), vars, "log_file"));
    spec.log_path = log.get<std::string>();
  } else {
    const Json* wd = vars.is_object() ? DottedGet(vars, "work_dir") : nullptr;
    const Json* meta = vars.is_object() ? DottedGet(vars, "meta_name") : nullptr;
    const std::string name = (meta != nullptr && meta->is_string() ? meta->get<std::string>() : "command") + ".log";
    spec.log_path = wd != nullptr && wd->is_string() ? (fs::path(wd->get<std::string>()) / name).string() : name;
  }
  JUICER_ASSIGN_OR_RETURN(Json metrics, FillPlaceholders(get("metrics"), vars, "metrics"));
  JUICER_ASSIGN_OR_RETURN(Json outputs, FillPlaceholders(get("outputs"), vars, "outputs"));

  std::error_code ec;
  if (!spec.cwd.empty()) {
    fs::create_directories(spec.cwd, ec);
    if (metrics.is_object() && metrics.contains("json_file") && metrics["json_file"].is_string() &&
        fs::path(metrics["json_file"].get<std::string>()).is_relative()) {
      metrics["json_file"] = (fs::path(spec.cwd) / metrics["json_file"].get<std::string>()).string();
    }
  }
  spec.log_path = fs::absolute(spec.log_path, ec).string();
  // Validate the metrics config (keys, patterns) before a possibly hour-long run.
  JUICER_RETURN_IF_ERROR(CompileMetricsConfig(metrics).status());

  JUICER_ASSIGN_OR_RETURN(CommandResult run, RunCommand(spec));
  auto parsed = ParseMetrics(metrics, spec.log_path);
  if (!parsed.ok()) {
    return parsed.status().WithContext("command `" + QuoteCommand(spec.argv) + "` finished but its metrics: ");
  }
  Json out = Json::object();
  out["metrics"] = std::move(parsed).value();
  out["log_file"] = spec.log_path;
  out["exit_code"] = run.exit_code;
  out["wall_s"] = run.wall_s;
  if (!outputs.is_null()) out["outputs"] = std::move(outputs);
  return out;
}

}  // namespace juicer::sandbox
