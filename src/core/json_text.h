// Writing JSON text (reading always goes through simdjson).
#pragma once

#include <string>
#include <string_view>

namespace juicer {

// Appends s as a JSON string literal (quotes included). Non-ASCII UTF-8 is written as is
// (like Python's json.dumps(ensure_ascii=False)); control characters, quote and backslash escaped.
void AppendJsonString(std::string_view s, std::string* out);
std::string JsonString(std::string_view s);

}  // namespace juicer
