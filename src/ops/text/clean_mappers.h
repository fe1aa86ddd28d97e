// Data-Juicer's regex / word-level text cleaning mappers: clean_email_mapper, clean_links_mapper,
// clean_ip_mapper, clean_copyright_mapper, replace_content_mapper, remove_long_words_mapper,
// remove_words_with_incorrect_substrings_mapper and remove_repeat_sentences_mapper.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/op_registry.h"

namespace juicer {

Status RegisterTextCleanMappers(OpRegistry& registry);

namespace text {

// Translates a Python `re` pattern (str, Unicode) into RE2 syntax: \d \w \s (and \D \W \S outside
// classes) become their Unicode classes, \Z becomes \z, \uXXXX / \UXXXXXXXX become \x{...}. DJ's
// r'...' / r"..." wrapper is removed. Backreferences are rejected (RE2 has none); lookarounds are
// rejected when RE2 compiles the result.
Result<std::string> PythonPatternToRe2(std::string_view pattern);

// A compiled Python-style substitution: re.sub(pattern, repl, text, flags=re.DOTALL).
class PySub {
 public:
  static Result<std::unique_ptr<PySub>> Make(std::string_view py_pattern, std::string_view repl,
                                             bool leading_word_boundary = false);
  ~PySub();
  // True when something matched; `out` then holds the new text.
  bool Apply(std::string_view text, std::string* out) const;

 private:
  PySub();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Metadata skeleton of a text mapper (kind, modality, docs); the caller adds params.
OpInfo TextMapperInfo(std::string name, std::string summary, std::string description);

}  // namespace text
}  // namespace juicer
