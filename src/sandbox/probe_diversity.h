// Diversity of one data pool for the probe report (Data-Juicer's diversity analysis, approximated):
// word frequencies of the captions, verb–noun pairs, and a deterministic sample of its images.
//
// Approximations (there is no dependency parser here):
//  * words: the POS tagger's tokenizer (src/ops/text/pos_tagger.h) over the text with Data-Juicer's
//    special tokens (<__dj__image>, <|__dj__eoc|>, ...) removed; lower-cased; tokens without a letter
//    and English stop words (npm stopwords-iso) dropped.
//  * verb–noun: Data-Juicer takes each sample's root verb and the noun of its direct object from a
//    spaCy dependency parse. Here: the first non-auxiliary verb (Penn tag VB*) of the lexicon POS
//    tagger (npm pos) and the first noun (NN*) after it in the same sentence, one pair per sample.
//    The verb is lemmatised crudely: -ing / -ed / -es / -s are stripped (an e restored, a doubled
//    consonant undone) and the stem is kept only when the lexicon knows it as a base-form verb (VB);
//    irregular forms stay as written. "A man riding a horse." -> (ride, horse), but "A dog sitting on
//    the sofa" also gives (sit, sofa) where spaCy finds no direct object.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

struct DiversityOptions {
  std::string text_key = "text";
  std::string image_key = "images";
  size_t n_gallery = 12;
  uint64_t seed = 42;
  size_t top_words = 60;
  size_t top_pairs = 20;
  // Overrides of the npm assets (empty: NpmAsset("pos", "lexicon.js"), stopwords-iso "en").
  std::string lexicon_path;
  std::string npm_dir;
};

// Reads a pool (JSONL) and returns
//   {n_samples, n_words, n_unique_words, word_counts: [[word, count], ...] (top_words, most frequent
//    first, ties by word), verb_noun: [[verb, noun, count], ...] (top_pairs), n_with_verb_noun,
//    n_images, gallery: [absolute image paths]}.
// Image paths are resolved against the pool file's directory when relative, de-duplicated, and
// n_gallery of them are picked with a seeded shuffle (same seed, same pool -> same gallery), kept in
// their order of first appearance.
Result<Json> PoolDiversity(const std::string& pool_jsonl, const DiversityOptions& opts);

// The verb–noun pair of one text, lemmatised verb first; false when it has none (exposed for tests).
struct VerbNoun {
  std::string verb, noun;
};
Result<bool> ExtractVerbNoun(const std::string& text, VerbNoun* out, const std::string& lexicon_path = "");

}  // namespace juicer::sandbox
