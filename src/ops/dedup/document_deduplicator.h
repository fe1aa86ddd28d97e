// Exact document deduplication (Data-Juicer's document_deduplicator): MD5 of the normalised text.
#pragma once

#include <string>
#include <string_view>

#include "core/op_registry.h"

namespace juicer {

Status RegisterDedupOps(OpRegistry& registry);

namespace dedup {

// Python's str.lower() on valid UTF-8 (full Unicode lowercasing, no locale), appended to *out.
Status PythonLower(std::string_view text, std::string* out);

// Removes, in place, every match of DJ's `\s+|\d+|[<string.punctuation>]` (`regex` module:
// \s = Unicode White_Space, \d = general category Nd) and returns the new length.
size_t RemoveNonCharacters(char* data, size_t size);

// Python's str.strip() with no argument: drops leading and trailing str.isspace() code points.
std::string_view PythonStrip(std::string_view text);

// MD5 of `data` (OpenSSL); Unavailable when OpenSSL refuses MD5 (FIPS-only mode).
Status Md5(std::string_view data, unsigned char digest[16]);

// The value DJ stores in __dj__hash: md5(strip(remove?(lower?(text))).encode()).hexdigest().
// `scratch` is reused storage.
Status DocumentHashHex(std::string_view text, bool lowercase, bool ignore_non_character, std::string* scratch,
                       std::string* hex_out);

}  // namespace dedup
}  // namespace juicer
