// A number as JSON text for the probe reports: %.6g, non-finite values as null.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace juicer::probe {

inline std::string JsonNum(double x) {
  if (!std::isfinite(x)) return "null";
  char b[40];
  std::snprintf(b, sizeof b, "%.6g", x);
  return b;
}

}  // namespace juicer::probe
