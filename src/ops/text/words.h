// Data-Juicer's word helpers (ops/common/helper_func.py), shared by the word-based text ops:
// split_on_whitespace(new_line=True, tab=True) and words_refinement's lower-case + strip step.
#pragma once

#include <string>
#include <string_view>

namespace juicer::text {

// The separators of DJ's get_words_from_document without a tokenizer: ' ', '\n', '\t'.
inline bool IsWordSep(char c) { return c == ' ' || c == '\n' || c == '\t'; }

// Calls f(word) for every non-empty run of non-separator bytes, in order (DJ's
// split_on_whitespace(document, new_line=True, tab=True)). The separators are ASCII, so this is
// safe on UTF-8.
template <typename F>
void ForEachWhitespaceWord(std::string_view text, F&& f) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    while (p < end && IsWordSep(*p)) ++p;
    const char* w = p;
    while (p < end && !IsWordSep(*p)) ++p;
    if (w != p) f(std::string_view(w, static_cast<size_t>(p - w)));
  }
}

// Appends DJ's refinement of one word to `out`: word.lower() (full Unicode lower-casing, as
// Python's str.lower, via ICU's root locale), then stripped of SPECIAL_CHARACTERS at both ends.
// May append nothing (the word is then dropped by DJ).
void AppendRefinedWord(std::string_view word, std::string& out);

// Appends str.lower() of `s` (ICU root locale; ASCII fast path) to `out`.
void AppendLowerCase(std::string_view s, std::string& out);

}  // namespace juicer::text
