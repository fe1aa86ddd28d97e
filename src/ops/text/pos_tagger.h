// A lexicon-based English part-of-speech tagger: Eric Brill's lexicon as shipped by npm pos@0.4.2
// (jsPOS, lexicon.js: word -> Penn Treebank tags, most likely first) with jsPOS's transformation
// rules re-stated in C++, plus a few contextual rules and an auxiliary-verb test of our own so that
// verbs can be counted the way spaCy's `pos_ == "VERB"` does (auxiliaries are not verbs there).
//
// The lexicon is parsed from the JavaScript file itself (an object literal of string arrays) when
// the tagger is built; it is read-only afterwards and safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "ops/text/word_lists.h"

namespace juicer::text {

class PosLexicon {
 public:
  // Parses jsPOS's lexicon.js (`module.exports = { "word": ["TAG", ...], ... };`).
  static Result<std::shared_ptr<const PosLexicon>> Load(const std::string& path);
  // Load() once per path per process (thread-safe); later calls share the parsed lexicon.
  static Result<std::shared_ptr<const PosLexicon>> Shared(const std::string& path);
  // Parses the object literal text (for tests); `where` names it in errors.
  static Result<std::shared_ptr<const PosLexicon>> Parse(std::string_view js, const std::string& where);

  // Tags of `word` (exact spelling), most likely first; nullptr when absent. Tag ids: TagName().
  const std::vector<uint16_t>* Find(std::string_view word) const;
  const std::string& TagName(uint16_t id) const { return tags_[id]; }
  // Id of a tag name, interning it.
  uint16_t TagId(std::string_view tag);
  // Id of a tag name, or UINT16_MAX when the lexicon never uses it.
  uint16_t FindTag(std::string_view tag) const;
  size_t size() const { return words_.size(); }

 private:
  std::unordered_map<std::string, std::vector<uint16_t>, StringHash, std::equal_to<>> words_;
  std::vector<std::string> tags_;
  std::unordered_map<std::string, uint16_t, StringHash, std::equal_to<>> tag_ids_;
};

struct TaggedWord {
  std::string word;
  std::string lower;  // word.lower()
  std::string tag;  // Penn Treebank tag
  bool aux = false;  // a verb-tagged auxiliary (be; have/do followed by a main verb)
};

class PosTagger {
 public:
  explicit PosTagger(std::shared_ptr<const PosLexicon> lexicon) : lexicon_(std::move(lexicon)) {}

  // Splits text into words: on Unicode whitespace, then punctuation at either end of a chunk is
  // split off one character at a time (a trailing '.' stays when the word with it is in the lexicon,
  // as "Mr." or "U.S."), then English clitics ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m", also
  // with a typographic apostrophe) become words of their own, as spaCy splits them.
  std::vector<std::string> Tokenize(std::string_view text) const;

  // Tags words (see the .cpp for the rules).
  std::vector<TaggedWord> Tag(const std::vector<std::string>& words) const;

  // Verbs that are not auxiliaries: words tagged VB, VBP, VBZ, VBD, VBG or VBN with aux false
  // (Data-Juicer counts tokens with pos_ VERB and one of those tags).
  int64_t CountActions(std::string_view text) const;

 private:
  void SplitChunk(std::string_view chunk, std::vector<std::string>& out) const;
  // The jsPOS rules and ours over the initial tags (see the .cpp).
  void ApplyRules(std::vector<TaggedWord>& words, const std::vector<const std::vector<uint16_t>*>& lex) const;
  void MarkAuxiliaries(std::vector<TaggedWord>& words) const;

  std::shared_ptr<const PosLexicon> lexicon_;
};

}  // namespace juicer::text
