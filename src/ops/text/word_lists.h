// Word lists of stopwords_filter / flagged_words_filter, in Data-Juicer's shape ({lang: words}, plus
// an "all" entry merging every language), and the ratio both filters compute.
//
// Built-in lists (scripts/setup.sh fetches them): stopwords from npm stopwords-iso@1.1.0
// (stopwords-iso.json, {lang: [words]}), flagged words from npm naughty-words@1.2.0 (one <lang>.json
// array per language). Data-Juicer's own stopwords.json / flagged_words.json are read instead when
// a directory holding them is given. Lists are loaded once per (kind, directory, lang) and shared.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/op.h"
#include "core/status.h"

namespace juicer {
class Tokenizer;
}  // namespace juicer

namespace juicer::text {

enum class WordListKind { kStopwords, kFlaggedWords };

// "stopwords" / "flagged_words": DJ's words_type, also the part of the file name it looks for.
std::string_view WordListTypeName(WordListKind kind);

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One language's words (or "all" of them), looked up by exact string.
class WordSet {
 public:
  explicit WordSet(std::unordered_set<std::string, StringHash, std::equal_to<>> words, std::string source)
      : words_(std::move(words)), source_(std::move(source)) {}
  bool Contains(std::string_view w) const { return words_.find(w) != words_.end(); }
  size_t size() const { return words_.size(); }
  // Where the words came from, for messages ("npm stopwords-iso@1.1.0 (en)").
  const std::string& source() const { return source_; }

 private:
  std::unordered_set<std::string, StringHash, std::equal_to<>> words_;
  std::string source_;
};

// The words of `lang` ("all": every language merged, unless the file has its own "all" entry, as
// in DJ). `dir` empty: the built-in npm list under DefaultNpmDir() (`npm_dir` overrides that, for
// tests); otherwise every *.json file in `dir` whose name contains WordListTypeName(kind), each a
// JSON object {lang: [words]}, merged per language (DJ's load_words_asset). Errors name the file,
// or list the available languages when `lang` has no list.
Result<std::shared_ptr<const WordSet>> LoadWordList(WordListKind kind, const std::string& dir, const std::string& lang,
                                                    const std::string& npm_dir = "");

// DJ's words_refinement options used by both filters (lower_case=True, strip SPECIAL_CHARACTERS).
struct WordAugOptions {
  bool use_words_aug = false;
  std::vector<size_t> group_sizes = {2};
  std::string join_char;
};

// DJ's stopwords_ratio / flagged_words_ratio: words = `tokenizer` pieces (encode_as_pieces) or,
// without one, the text split on ' ', '\n', '\t'; each lower-cased and stripped of
// SPECIAL_CHARACTERS, empty ones dropped; with use_words_aug, every run of g consecutive words
// joined by join_char is appended for each group size g. ratio = (words in `set`) / (all words),
// 0.0 when there are none, capped at 1.0.
double WordListRatio(std::string_view text, const WordSet& set, const WordAugOptions& aug, const Tokenizer* tokenizer,
                     WorkerContext& ctx);

}  // namespace juicer::text
