// Test helpers for the sandbox: a temp directory and a registry of small in-memory hooks.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "sandbox/hook.h"

namespace juicer::sandbox::testing_util {

inline std::string MakeTempDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("juicer-sandbox-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

}  // namespace juicer::sandbox::testing_util
