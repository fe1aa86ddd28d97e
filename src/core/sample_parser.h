// JSON text -> Sample, with simdjson: the DOM parser validates the whole object (so malformed JSON is
// never passed through) and decodes values; the On-Demand parser gives each top-level value's raw text
// so fields juicer does not touch are written back byte-for-byte.
#pragma once

#include <memory>
#include <string_view>

#include "core/sample.h"
#include "core/status.h"

namespace juicer {

// simdjson needs this many readable bytes after the end of the JSON text.
size_t JsonPadding();

class SampleParser {
 public:
  SampleParser();
  ~SampleParser();
  SampleParser(const SampleParser&) = delete;
  SampleParser& operator=(const SampleParser&) = delete;

  // `data` must have at least JsonPadding() readable bytes after data+len (capacity >= len + padding).
  // Fields borrow their raw text from `data`: it must outlive `out` (or the fields be copied).
  // Errors are DataError without position (the caller adds file:line).
  Status Parse(const char* data, size_t len, size_t capacity, Sample* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace juicer
