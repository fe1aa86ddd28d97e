// Plain text from a man page in roff source (man(7), a little of mdoc(7)): requests and macros are
// dropped or replaced by their text, font and size escapes removed, named glyphs mapped to UTF-8.
// Good enough for corpus text, not a typesetter: tables lose their layout, conditionals are skipped.
#pragma once

#include <string>
#include <string_view>

namespace juicer {

// Returns "" for a page that only redirects (.so) to another.
std::string RoffToText(std::string_view roff);

}  // namespace juicer
