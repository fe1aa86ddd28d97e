#include "core/report.h"

#include <cstdio>

namespace juicer {

int ReportError(const Status& s) {
  std::fprintf(stderr, "juicer: error: %s\n", s.ToString().c_str());
  if (s.code() == StatusCode::kCancelled) return 130;
  return s.IsUserError() ? 2 : 1;
}

}  // namespace juicer
