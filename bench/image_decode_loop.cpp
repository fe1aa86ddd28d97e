// Bare decode baseline for bench/image_bench.sh: cv::imread of every path listed in a file, one
// thread, as juicer decodes (IMREAD_COLOR | IMREAD_IGNORE_ORIENTATION). Prints images and seconds.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PATHS_FILE\n", argv[0]);
    return 2;
  }
  cv::setNumThreads(1);
  std::vector<std::string> paths;
  std::ifstream in(argv[1]);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) paths.push_back(line);
  const auto t0 = std::chrono::steady_clock::now();
  size_t ok = 0;
  for (const auto& p : paths) ok += !cv::imread(p, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION).empty();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%zu %zu %.4f\n", paths.size(), ok, s);
  return 0;
}
