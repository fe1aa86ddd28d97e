// Test helpers for the image ops: a temp dir of generated images and samples pointing at them.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/json_text.h"
#include "ops/op_test_util.h"

namespace juicer::testing {

// Data-Juicer's test media: <repo>/../shared/conformance/media (absent in a user's clone: tests skip).
inline std::string ConformanceMediaDir() {
  return (std::filesystem::path(JUICER_SOURCE_DIR) / ".." / "shared" / "conformance" / "media").lexically_normal().string();
}

class ImageDir {
 public:
  ImageDir() {
    static int n = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("juicer_image_ops_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    std::filesystem::create_directories(dir_);
  }
  ~ImageDir() { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const cv::Mat& m) const {
    const std::string p = (dir_ / name).string();
    EXPECT_TRUE(cv::imwrite(p, m)) << p;
    return p;
  }
  std::string WriteBytes(const std::string& name, const std::string& bytes) const {
    const std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  // A w x h image with some structure (a filled circle on a coloured background).
  std::string Solid(const std::string& name, int w, int h, cv::Scalar bg = {40, 120, 200}) const {
    cv::Mat m(h, w, CV_8UC3, bg);
    cv::circle(m, {w / 2, h / 2}, std::max(1, std::min(w, h) / 3), cv::Scalar(250, 250, 250), -1);
    return Write(name, m);
  }

 private:
  std::filesystem::path dir_;
};

// One sample {"text": text, "images": paths}.
inline Sample ImageSample(const std::vector<std::string>& paths, const std::string& text = "a caption") {
  std::string line = "{\"text\":" + JsonString(text) + ",\"images\":[";
  for (size_t i = 0; i < paths.size(); ++i) line += (i ? "," : "") + JsonString(paths[i]);
  line += "]}";
  auto s = ParseJsonLines({line});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move((*s)[0]);
}

inline std::vector<double> StatList(const Sample& s, const std::string& key) {
  const StatValue* v = s.stats().Find(key);
  EXPECT_NE(v, nullptr) << key;
  if (v == nullptr) return {};
  return v->Numbers();
}

}  // namespace juicer::testing
