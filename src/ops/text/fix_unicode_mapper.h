// fix_unicode_mapper: Data-Juicer's ftfy.fix_text pass (mojibake repair, HTML entities, ligatures,
// character width, curly quotes, line breaks, control characters, Unicode normalization).
#pragma once

#include <string>
#include <string_view>

#include "core/op_registry.h"

namespace juicer {

Status RegisterFixUnicodeMapper(OpRegistry& registry);

namespace text {

enum class NormalForm { kNFC, kNFKC, kNFD, kNFKD };

// ftfy.fix_text(text, normalization=form) with ftfy's default fixes (see the op's doc for the parts
// of ftfy juicer does not do). `text` must be valid UTF-8.
std::string FixText(std::string_view text, NormalForm form);

// One round of ftfy's fix_encoding on one line: the text re-encoded as Latin-1 or (sloppy)
// Windows-1252 and decoded as UTF-8 when it looks like mojibake; else mojibake runs fixed in
// isolation; else C1 controls read as Windows-1252. Returns false when nothing changed.
bool FixEncodingOnce(std::string_view line, std::string* out);

}  // namespace text
}  // namespace juicer
