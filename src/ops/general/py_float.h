// Python's float(str) for a string: which strings parse, and to what value.
#pragma once

#include <optional>
#include <string_view>

namespace juicer {

// float(s) as CPython computes it, or nullopt where CPython raises ValueError. Accepts surrounding
// Unicode whitespace (str.isspace), a sign, decimal digits of any script (Unicode category Nd),
// underscores between digits, "1.", ".5", exponents, and inf / infinity / nan in any case. Overflow
// gives +-inf and underflow +-0.0, as in CPython.
std::optional<double> ParsePythonFloat(std::string_view s);

}  // namespace juicer
