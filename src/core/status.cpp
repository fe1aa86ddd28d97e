#include "core/status.h"

namespace juicer {

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (code_ == StatusCode::kInternal) return "internal error (a juicer bug, please report): " + message_;
  return message_;
}

}  // namespace juicer
