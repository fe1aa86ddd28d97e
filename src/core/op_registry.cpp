#include "core/op_registry.h"

#include <algorithm>
#include <map>
#include <set>

namespace juicer {

struct OpRegistry::Impl {
  std::map<std::string, OpInfo, std::less<>> ops;
};

OpRegistry::OpRegistry() : impl_(std::make_unique<Impl>()) {}
OpRegistry::~OpRegistry() = default;

Status OpRegistry::Add(OpInfo info) {
  if (info.name.empty()) return Status::Internal("op registered without a name");
  if (impl_->ops.count(info.name)) return Status::Internal("op '" + info.name + "' registered twice");
  if (!info.factory) return Status::Internal("op '" + info.name + "' has no factory");
  if (info.summary.empty()) return Status::Internal("op '" + info.name + "' has no summary doc");
  std::set<std::string> names;
  for (const auto& p : info.params)
    if (!names.insert(p.name).second)
      return Status::Internal("op '" + info.name + "' declares param '" + p.name + "' twice");
  std::string name = info.name;
  impl_->ops.emplace(std::move(name), std::move(info));
  return Status::OK();
}

Result<const OpInfo*> OpRegistry::Find(std::string_view name) const {
  auto it = impl_->ops.find(name);
  if (it != impl_->ops.end()) return &it->second;
  std::vector<std::string> names;
  for (const auto& [k, v] : impl_->ops) names.push_back(k);
  std::string msg = "unknown op '" + std::string(name) + "'";
  std::string best = ClosestMatch(name, names);
  if (!best.empty()) msg += " (did you mean " + best + "?)";
  else msg += " (`juicer ops` lists the available ops)";
  return Status::NotFound(msg);
}

std::vector<const OpInfo*> OpRegistry::List() const {
  std::vector<const OpInfo*> out;
  for (const auto& [k, v] : impl_->ops) out.push_back(&v);
  return out;
}

size_t OpRegistry::size() const { return impl_->ops.size(); }

namespace {
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(3, word.size() / 4) + 1;
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace juicer
