// Text mappers that work on a document's structure: clean_html_mapper (HTML5 parsing with gumbo),
// sentence_split_mapper (ICU sentence boundaries) and text_chunk_mapper (one sample -> several chunks).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/op_registry.h"

namespace juicer {

Status RegisterStructureMappers(OpRegistry& registry);

namespace text {

// DJ's clean_html: <li>/<ol> become "\n*", </li>/</ol> are removed, then the text of the HTML5 body.
std::string HtmlToText(std::string_view html);

// Sentences of `text` for `lang` (en, fr, pt, es, or any ICU locale), whitespace between them dropped.
std::vector<std::string> SplitSentences(std::string_view text, const std::string& lang);

}  // namespace text
}  // namespace juicer
