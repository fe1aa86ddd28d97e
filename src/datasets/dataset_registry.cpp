#include "datasets/dataset_registry.h"

#include <unistd.h>

#include <cstdio>

#include "datasets/families.h"

namespace juicer {

Status DatasetRegistry::Add(DatasetInfo info) {
  if (info.name.empty() || !info.build) return Status::Internal("dataset registered without a name or builder");
  for (const auto& d : items_)
    if (d.name == info.name) return Status::Internal("dataset '" + info.name + "' registered twice");
  items_.push_back(std::move(info));
  return Status::OK();
}

Result<const DatasetInfo*> DatasetRegistry::Find(const std::string& name) const {
  std::string all;
  for (const auto& d : items_) {
    if (d.name == name) return &d;
    all += (all.empty() ? "" : ", ") + d.name;
  }
  return Status::NotFound("unknown dataset '" + name + "' (available: " + all + ")");
}

void RegisterBuiltinDatasets(DatasetRegistry& registry) {
  RegisterImageTextDatasets(registry);
  RegisterTextDatasets(registry);
  RegisterVideoDatasets(registry);
}

const DatasetRegistry& BuiltinDatasets() {
  static const DatasetRegistry* reg = [] {
    auto* r = new DatasetRegistry();
    RegisterBuiltinDatasets(*r);
    return r;
  }();
  return *reg;
}

}  // namespace juicer
