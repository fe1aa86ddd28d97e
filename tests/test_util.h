// Helpers for tests: temp dirs, files, running the juicer binary.
#pragma once

#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace juicer::testing {

inline std::string JuicerBinary() {
#ifdef JUICER_BINARY
  return JUICER_BINARY;
#else
  return "juicer";
#endif
}

inline std::string SourceDir() { return JUICER_SOURCE_DIR; }

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "juicer-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A fresh directory juicer-test-<tag>-<pid>-<n> under the temp directory, for files that outlive one
// scope (word lists cached by path, sandbox runs): every one is removed when the test program exits.
inline std::string ScratchDir(const std::string& tag) {
  struct Registry {
    std::mutex mu;
    std::vector<std::string> dirs;
    ~Registry() {
      for (const auto& d : dirs) {
        std::error_code ec;
        std::filesystem::remove_all(d, ec);
      }
    }
  };
  static Registry registry;
  static std::atomic<int> counter{0};
  const std::string name = "juicer-test-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const std::string dir = (std::filesystem::temp_directory_path() / name).string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::lock_guard<std::mutex> lock(registry.mu);
  registry.dirs.push_back(dir);
  return dir;
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct CommandResult {
  int exit_code = -1;   // -1 when killed by a signal
  int signal = 0;
  std::string output;   // stdout + stderr
};

inline CommandResult RunCommand(const std::string& cmd) {
  CommandResult r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int st = pclose(p);
  if (WIFEXITED(st)) r.exit_code = WEXITSTATUS(st);
  // sh reports a child killed by signal N as exit code 128+N
  if (r.exit_code > 128) r.signal = r.exit_code - 128;
  return r;
}

inline CommandResult RunJuicer(const std::string& args) { return RunCommand(JuicerBinary() + " " + args); }

inline size_t CountLines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// Synthetic JSONL: n docs of ~doc_bytes with some duplicates and junk, deterministic.
// A tiny corpus for lm probes, from a 12-word vocabulary (seed 3): `train_docs` documents of 4 to 33
// words written to dir/train.jsonl, then `eval_docs` of 12 words to dir/eval_lm.jsonl.
inline void WriteTinyLmCorpus(const std::string& dir, int train_docs, int eval_docs) {
  std::mt19937 rng(3);
  const char* words[] = {"the", "model", "reads", "data", "and", "learns", "a", "small", "probe", "of", "text", "quality"};
  auto doc = [&](int n) {
    std::string t;
    for (int w = 0; w < n; ++w) t += std::string(w ? " " : "") + words[rng() % 12];
    return "{\"text\": \"" + t + "\"}\n";
  };
  std::string train, eval;
  for (int i = 0; i < train_docs; ++i) train += doc(4 + i % 30);
  for (int i = 0; i < eval_docs; ++i) eval += doc(12);
  WriteFile(dir + "/train.jsonl", train);
  WriteFile(dir + "/eval_lm.jsonl", eval);
}

inline std::string SyntheticJsonl(size_t n, size_t doc_bytes, uint64_t seed) {
  static const char* words[] = {"data", "model", "sandbox", "probe", "recipe", "filter", "the", "of", "and",
                                "image", "text", "video", "quality", "sample", "token", "learn", "pool", "juicer"};
  std::mt19937_64 rng(seed);
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    std::string t;
    if (i % 17 == 5 && i > 0) {
      t = "duplicate document number " + std::to_string(i % 3);
    } else {
      while (t.size() < doc_bytes) {
        t += words[rng() % 18];
        t += (rng() % 12 == 0) ? ".\n" : " ";
        if (rng() % 40 == 0) t += "#$%&!";
      }
    }
    std::string esc;
    for (char c : t) {
      if (c == '\n') esc += "\\n";
      else if (c == '"') esc += "\\\"";
      else esc += c;
    }
    out += "{\"id\":" + std::to_string(i) + ",\"text\":\"" + esc + "\",\"extra\":{\"k\":[1,2.50,\"x\"]}}\n";
  }
  return out;
}

}  // namespace juicer::testing
