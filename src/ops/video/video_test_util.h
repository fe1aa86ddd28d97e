// Test helpers for the video ops: synthetic clips made with ffmpeg's lavfi sources at test time in a
// temp dir (tests skip when the ffmpeg CLI is absent), bad files, and samples pointing at them.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/json_text.h"
#include "ops/image/image_test_util.h"
#include "ops/op_test_util.h"

namespace juicer::testing {

inline bool HaveFfmpeg() {
  static const bool have = std::system("ffmpeg -version >/dev/null 2>&1") == 0;
  return have;
}

#define JUICER_REQUIRE_FFMPEG() \
  if (!::juicer::testing::HaveFfmpeg()) GTEST_SKIP() << "the ffmpeg CLI is needed to make test clips"

class VideoDir {
 public:
  VideoDir() {
    static int n = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("juicer_video_ops_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    std::filesystem::create_directories(dir_);
  }
  ~VideoDir() { std::filesystem::remove_all(dir_); }
  const std::filesystem::path& dir() const { return dir_; }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs `ffmpeg -y <args> <dir>/<name>`; returns the path ("" and a test failure when ffmpeg fails).
  std::string Ffmpeg(const std::string& name, const std::string& args) const {
    const std::string p = Path(name);
    const std::string cmd = "ffmpeg -nostdin -hide_banner -loglevel error -y " + args + " '" + p + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return p;
  }
  // An H.264 clip from a lavfi source, e.g. "testsrc=s=160x120:r=10:d=3" (moving) or
  // "color=c=gray:s=160x120:r=10:d=3" (static); `gop` frames between key frames.
  std::string Clip(const std::string& name, const std::string& source, int gop = 10,
                   const std::string& extra = "") const {
    return Ffmpeg(name, "-f lavfi -i " + source + " " + extra + " -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g " +
                            std::to_string(gop) + " -keyint_min " + std::to_string(gop) + " -sc_threshold 0");
  }
  std::string WriteBytes(const std::string& name, const std::string& bytes) const {
    const std::string p = Path(name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  // The first `keep` bytes of `src`, as a new file.
  std::string Truncated(const std::string& name, const std::string& src, double fraction) const {
    std::ifstream in(src, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return WriteBytes(name, bytes.substr(0, static_cast<size_t>(static_cast<double>(bytes.size()) * fraction)));
  }

 private:
  std::filesystem::path dir_;
};

// One sample {"text": text, "videos": paths}.
inline Sample VideoSample(const std::vector<std::string>& paths, const std::string& text = "a clip") {
  std::string line = "{\"text\":" + JsonString(text) + ",\"videos\":[";
  for (size_t i = 0; i < paths.size(); ++i) line += (i ? "," : "") + JsonString(paths[i]);
  line += "]}";
  auto s = ParseJsonLines({line});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move((*s)[0]);
}

}  // namespace juicer::testing
