// Line-length filters: average_line_length_filter, maximum_line_length_filter (Data-Juicer names,
// params, defaults and stat keys).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/op_registry.h"

namespace juicer {

Status RegisterTextLineFilters(OpRegistry& registry);

namespace text {

// Python's text.splitlines() measured in one pass: len(text), the number of lines and the longest
// line, in code points. Line breaks are \n, \r, \r\n (one break), \v, \f, \x1c, \x1d, \x1e, U+0085,
// U+2028, U+2029; a final break does not start an empty line.
struct LineStats {
  int64_t chars = 0;
  int64_t lines = 0;
  int64_t max_line = 0;
};
LineStats ComputeLineStats(std::string_view text);

}  // namespace text
}  // namespace juicer
