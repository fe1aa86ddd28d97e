// The op registry: every op's metadata, registered explicitly by family (RegisterBuiltinOps).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/op.h"

namespace juicer {

class OpRegistry {
 public:
  OpRegistry();
  ~OpRegistry();
  OpRegistry(const OpRegistry&) = delete;
  OpRegistry& operator=(const OpRegistry&) = delete;

  // Fails on a duplicate name or inconsistent metadata.
  Status Add(OpInfo info);
  // NotFound("unknown op 'x' (did you mean y?)").
  Result<const OpInfo*> Find(std::string_view name) const;
  std::vector<const OpInfo*> List() const;  // sorted by name
  size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "did you mean" helper: the closest candidate within a small edit distance, or "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace juicer
