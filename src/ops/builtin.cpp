#include "ops/builtin.h"

#include <cstdio>
#include <cstdlib>

#include "ops/dedup/document_deduplicator.h"
#include "ops/select/random_selector.h"
#include "ops/text/text_filters.h"

namespace juicer {

Status RegisterBuiltinOps(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(RegisterTextFilters(registry));
  JUICER_RETURN_IF_ERROR(RegisterDedupOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterSelectorOps(registry));
  return Status::OK();
}

const OpRegistry& BuiltinRegistry() {
  static const OpRegistry* registry = [] {
    auto* r = new OpRegistry();  // intentionally leaked: ops keep references into it until exit
    const Status st = RegisterBuiltinOps(*r);
    if (!st.ok()) {
      std::fprintf(stderr, "juicer: registering the built-in ops failed: %s\n", st.ToString().c_str());
      std::abort();
    }
    return r;
  }();
  return *registry;
}

}  // namespace juicer
