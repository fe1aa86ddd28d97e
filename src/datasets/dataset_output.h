// Writing one dataset directory deterministically: JSONL splits, image files, DATASET.md, a manifest
// of SHA-256 checksums, and contact sheets. Builders add samples in a deterministic order; everything
// written depends only on the inputs and the seed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "core/status.h"

namespace juicer {

struct ContactItem {
  std::string image;    // path relative to the dataset dir
  std::string caption;  // shown under the image
};

class DatasetOutput {
 public:
  explicit DatasetOutput(std::string dir);
  const std::string& dir() const { return dir_; }

  // Appends one JSON object line (no newline) to <split>.jsonl.
  void AddSample(const std::string& split, std::string json_line);
  // Also remembers the sample for the split's contact sheet.
  void AddContact(const std::string& split, ContactItem item);
  // Writes an image as PNG (lossless, deterministic) at `rel_path` (relative to dir).
  Status WriteImage(const std::string& rel_path, const cv::Mat& image);
  // Writes any file (relative to dir).
  Status WriteText(const std::string& rel_path, std::string_view text);

  // Counts by split and by source, for the card.
  void CountSource(const std::string& split, const std::string& source) { counts_[split][source]++; }

  // Writes the splits, contact sheets (100 random items per split, seeded), DATASET.md (intro +
  // counts + build time + disk size) and MANIFEST.sha256 (every file, sorted).
  Status Finish(const std::string& name, const std::string& card_intro, uint64_t seed, double build_seconds);

  size_t samples(const std::string& split) const;

 private:
  std::string dir_;
  std::map<std::string, std::vector<std::string>> splits_;
  std::map<std::string, std::vector<ContactItem>> contacts_;
  std::map<std::string, std::map<std::string, size_t>> counts_;
};

// SHA-256 of a file, lowercase hex.
Result<std::string> Sha256File(const std::string& path);

// A grid of images with captions (rendered with FreeType via OpenCV when available), as PNG.
Status WriteContactSheet(const std::string& dataset_dir, const std::vector<ContactItem>& items,
                         const std::string& title, const std::string& out_path);

}  // namespace juicer
