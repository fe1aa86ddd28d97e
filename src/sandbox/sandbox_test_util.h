// Test helpers for the sandbox: a temp directory and a registry of small in-memory hooks.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "sandbox/hook.h"
#include "tests/test_util.h"

namespace juicer::sandbox::testing_util {

inline std::string MakeTempDir(const std::string& tag) { return juicer::testing::ScratchDir("sandbox-" + tag); }

inline void WriteText(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

}  // namespace juicer::sandbox::testing_util
