#include "ops/text/words.h"

#include <unicode/ucasemap.h>

#include <cstring>

#include "ops/text/char_tables.h"

namespace juicer::text {

namespace {

const UCaseMap* RootCaseMap() {
  static const UCaseMap* map = [] {
    UErrorCode err = U_ZERO_ERROR;
    UCaseMap* m = ucasemap_open("", 0, &err);
    return U_SUCCESS(err) ? m : nullptr;
  }();
  return map;
}

}  // namespace

void AppendLowerCase(std::string_view s, std::string& out) {
  const size_t start = out.size();
  if (IsAscii(s)) {
    out.resize(start + s.size());
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      out[start + i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
    return;
  }
  // Lower-case into the tail of `out` (growth is at most 3x in bytes).
  out.resize(start + 3 * s.size() + 4);
  UErrorCode err = U_ZERO_ERROR;
  int32_t lowered = -1;
  if (const UCaseMap* map = RootCaseMap()) {
    lowered = ucasemap_utf8ToLower(map, out.data() + start, static_cast<int32_t>(out.size() - start), s.data(),
                                   static_cast<int32_t>(s.size()), &err);
  }
  if (lowered < 0 || U_FAILURE(err)) {  // unexpected: keep the text as is
    std::memcpy(out.data() + start, s.data(), s.size());
    lowered = static_cast<int32_t>(s.size());
  }
  out.resize(start + static_cast<size_t>(lowered));
}

void AppendRefinedWord(std::string_view word, std::string& out) {
  const size_t start = out.size();
  const uint8_t* flags = CharFlagTable();
  if (IsAscii(word)) {
    size_t b = 0, e = word.size();
    while (b < e && (flags[static_cast<unsigned char>(word[b])] & kSpecial) != 0) ++b;
    while (e > b && (flags[static_cast<unsigned char>(word[e - 1])] & kSpecial) != 0) --e;
    AppendLowerCase(word.substr(b, e - b), out);
    return;
  }
  AppendLowerCase(word, out);
  const char* const b0 = out.data() + start;
  const char* const e0 = out.data() + out.size();
  const char* b = b0;
  const char* e = e0;
  while (b < e) {
    const char* q = b;
    if ((CharFlags(DecodeUtf8(q, e)) & kSpecial) == 0) break;
    b = q;
  }
  while (e > b) {
    const char* q = e;
    if ((CharFlags(DecodeUtf8Backward(q, b)) & kSpecial) == 0) break;
    e = q;
  }
  const size_t kept = static_cast<size_t>(e - b);
  std::memmove(out.data() + start, b, kept);
  out.resize(start + kept);
}

}  // namespace juicer::text
