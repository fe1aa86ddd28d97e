#include "sandbox/probe_diversity.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "core/assets.h"
#include "ops/text/pos_tagger.h"
#include "ops/text/word_lists.h"

namespace juicer::sandbox {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSpecialTokens[] = {"<__dj__image>", "<__dj__audio>", "<__dj__video>", "<|__dj__eoc|>"};

// Each special token becomes a space (built anew: g++ 12 warns falsely on std::string::replace here).
std::string WithoutSpecialTokens(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool matched = false;
    for (std::string_view tok : kSpecialTokens) {
      if (text.substr(i).starts_with(tok)) {
        out.push_back(' ');
        i += tok.size();
        matched = true;
        break;
      }
    }
    if (!matched) out.push_back(text[i++]);
  }
  return out;
}

Result<std::shared_ptr<const text::PosLexicon>> Lexicon(const std::string& path_or_empty) {
  return text::PosLexicon::Shared(path_or_empty.empty() ? NpmAsset("pos", "lexicon.js") : path_or_empty);
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// A letter in any script (ICU's u_isalpha over the UTF-8 code points): "naïve" and "日本" count, "—",
// "€" and "“" do not.
bool HasLetter(std::string_view w) {
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  const int32_t n = static_cast<int32_t>(w.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0 && u_isalpha(c)) return true;
  }
  return false;
}

// The lexicon lists `w` with a base-form verb tag.
bool IsBaseVerb(const text::PosLexicon& lex, std::string_view w) {
  const uint16_t vb = lex.FindTag("VB");
  const std::vector<uint16_t>* tags = lex.Find(w);
  return tags != nullptr && std::find(tags->begin(), tags->end(), vb) != tags->end();
}

// Crude lemma of a lower-cased verb (see the header).
std::string VerbLemma(const text::PosLexicon& lex, const std::string& w) {
  auto ends = [&](std::string_view suf) { return w.size() > suf.size() + 1 && w.ends_with(suf); };
  std::vector<std::string> cands;
  auto stem_forms = [&](const std::string& stem) {
    const size_t n = stem.size();
    const bool doubled = n >= 3 && stem[n - 1] == stem[n - 2] && !IsVowel(stem[n - 1]) && stem[n - 1] != 'l' &&
                         stem[n - 1] != 's';
    // consonant-vowel-consonant end ("rid", "mak", "us"): the e was dropped before the suffix.
    const bool cvc = n >= 2 && !IsVowel(stem[n - 1]) && stem[n - 1] != 'w' && stem[n - 1] != 'x' &&
                     stem[n - 1] != 'y' && IsVowel(stem[n - 2]) && (n == 2 || !IsVowel(stem[n - 3]));
    if (doubled) cands.push_back(stem.substr(0, n - 1));
    if (cvc) cands.push_back(stem + "e");
    cands.push_back(stem);
    if (!cvc) cands.push_back(stem + "e");
  };
  if (ends("ing")) {
    stem_forms(w.substr(0, w.size() - 3));
  } else if (ends("ied")) {
    cands.push_back(w.substr(0, w.size() - 3) + "y");
  } else if (ends("ed")) {
    stem_forms(w.substr(0, w.size() - 2));
  } else if (ends("ies")) {
    cands.push_back(w.substr(0, w.size() - 3) + "y");
  } else if (ends("es")) {
    cands.push_back(w.substr(0, w.size() - 1));
    cands.push_back(w.substr(0, w.size() - 2));
  } else if (ends("s") && !ends("ss")) {
    cands.push_back(w.substr(0, w.size() - 1));
  }
  for (const auto& c : cands) {
    if (IsBaseVerb(lex, c)) return c;
  }
  return w;
}

bool IsSentenceEnd(std::string_view w) { return w == "." || w == "!" || w == "?" || w == ";"; }

// First verb and the first noun after it in the same sentence.
bool VerbNounOf(const text::PosLexicon& lex, const std::vector<text::TaggedWord>& tagged, VerbNoun* out) {
  for (size_t i = 0; i < tagged.size(); ++i) {
    const auto& t = tagged[i];
    if (!t.tag.starts_with("VB") || t.aux || !HasLetter(t.lower)) continue;
    for (size_t j = i + 1; j < tagged.size() && !IsSentenceEnd(tagged[j].word); ++j) {
      if (tagged[j].tag.starts_with("NN") && HasLetter(tagged[j].lower)) {
        out->verb = VerbLemma(lex, t.lower);
        out->noun = tagged[j].lower;
        return true;
      }
    }
    // A verb without a noun after it: look for the next verb of a later sentence.
    while (i + 1 < tagged.size() && !IsSentenceEnd(tagged[i + 1].word)) ++i;
  }
  return false;
}

// Strings of a field that is a string or a list of strings.
void FieldStrings(const Json& sample, const std::string& key, std::vector<std::string>& out) {
  auto it = sample.find(key);
  if (it == sample.end()) return;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
}

template <typename Key>
std::vector<std::pair<Key, size_t>> TopCounts(const std::unordered_map<Key, size_t>& counts, size_t top) {
  std::vector<std::pair<Key, size_t>> v(counts.begin(), counts.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (v.size() > top) v.resize(top);
  return v;
}

}  // namespace

Result<bool> ExtractVerbNoun(const std::string& text_in, VerbNoun* out, const std::string& lexicon_path) {
  JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const text::PosLexicon> lex, Lexicon(lexicon_path));
  const text::PosTagger tagger(lex);
  return VerbNounOf(*lex, tagger.Tag(tagger.Tokenize(WithoutSpecialTokens(text_in))), out);
}

Result<Json> PoolDiversity(const std::string& pool_jsonl, const DiversityOptions& opts) {
  JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const text::PosLexicon> lex, Lexicon(opts.lexicon_path));
  JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const text::WordSet> stop,
                          text::LoadWordList(text::WordListKind::kStopwords, "", "en", opts.npm_dir));
  const text::PosTagger tagger(lex);
  std::error_code ec;
  const fs::path base = fs::absolute(fs::path(pool_jsonl), ec).parent_path();

  std::unordered_map<std::string, size_t> words;
  std::unordered_map<std::string, size_t> pairs;  // "verb\tnoun"
  std::vector<std::string> images;
  std::unordered_set<std::string> seen_images;
  size_t n_samples = 0, n_words = 0, n_pairs = 0;
  JUICER_RETURN_IF_ERROR(ForEachJsonLine(pool_jsonl, [&](Json& sample, size_t) {
    ++n_samples;
    if (!sample.is_object()) return Status::OK();
    std::vector<std::string> texts;
    FieldStrings(sample, opts.text_key, texts);
    bool have_pair = false;
    for (const auto& t : texts) {
      const std::vector<text::TaggedWord> tagged = tagger.Tag(tagger.Tokenize(WithoutSpecialTokens(t)));
      for (const auto& w : tagged) {
        if (!HasLetter(w.lower) || stop->Contains(w.lower)) continue;
        ++words[w.lower];
        ++n_words;
      }
      VerbNoun vn;
      if (!have_pair && VerbNounOf(*lex, tagged, &vn)) {
        have_pair = true;
        ++pairs[vn.verb + "\t" + vn.noun];
      }
    }
    n_pairs += have_pair;
    std::vector<std::string> paths;
    FieldStrings(sample, opts.image_key, paths);
    for (const auto& p : paths) {
      if (p.empty()) continue;
      fs::path full(p);
      if (full.is_relative()) full = base / full;
      std::string s = full.lexically_normal().string();
      if (seen_images.insert(s).second) images.push_back(std::move(s));
    }
    return Status::OK();
  }));

  Json word_counts = Json::array();
  for (const auto& [w, c] : TopCounts(words, opts.top_words)) word_counts.push_back(Json::array({w, c}));
  Json verb_noun = Json::array();
  for (const auto& [k, c] : TopCounts(pairs, opts.top_pairs)) {
    const size_t tab = k.find('\t');
    verb_noun.push_back(Json::array({k.substr(0, tab), k.substr(tab + 1), c}));
  }
  // Seeded partial Fisher-Yates over the indices (mt19937_64 output used directly, so the pick does not
  // depend on the standard library's distributions), then back in order of appearance.
  std::vector<size_t> idx(images.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::mt19937_64 rng(opts.seed);
  const size_t k = std::min(opts.n_gallery, idx.size());
  for (size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + rng() % (idx.size() - i)]);
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  Json gallery = Json::array();
  for (size_t i : idx) gallery.push_back(images[i]);

  return Json{{"n_samples", n_samples},  {"n_words", n_words},         {"n_unique_words", words.size()},
              {"word_counts", word_counts}, {"verb_noun", verb_noun}, {"n_with_verb_noun", n_pairs},
              {"n_images", images.size()}, {"gallery", gallery}};
}

}  // namespace juicer::sandbox
