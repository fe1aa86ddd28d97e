// Benchmark datasets juicer builds from real data shipped by Debian and npm (`juicer datasets`).
// Each dataset is data: name, docs, what it needs installed, and a build function writing Data-Juicer
// JSONL splits + media + DATASET.md + MANIFEST.sha256 + contact sheets through DatasetOutput.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace juicer {

class DatasetOutput;

struct DatasetBuildOptions {
  std::string out_dir;
  uint64_t seed = 42;
  size_t limit = 0;  // 0 = everything; otherwise at most this many samples per source
  std::string shared_dir = "../shared";  // Data-Juicer test media (optional)
  std::string npm_dir;                   // unpacked npm packages (scripts/setup.sh --datasets)
  bool progress = true;
};

struct DatasetInfo {
  std::string name;
  std::string summary;                    // one line
  std::string card_intro;                 // DATASET.md: what it is, sources, licences, how captions were made
  std::vector<std::string> apt_packages;  // needed to build (scripts/setup.sh --datasets installs them)
  std::vector<std::string> npm_packages;  // "name@version", unpacked under npm_dir/<name>/
  std::function<Status(const DatasetBuildOptions&, DatasetOutput&)> build;
};

class DatasetRegistry {
 public:
  Status Add(DatasetInfo info);
  Result<const DatasetInfo*> Find(const std::string& name) const;
  const std::vector<DatasetInfo>& List() const { return items_; }

 private:
  std::vector<DatasetInfo> items_;
};

// One call per family, all from here.
void RegisterBuiltinDatasets(DatasetRegistry& registry);
const DatasetRegistry& BuiltinDatasets();

}  // namespace juicer
