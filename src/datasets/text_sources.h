// Helpers shared by the text and video dataset builders: reading plain and gzip files, listing
// directories in sorted order, repairing text to valid UTF-8, chunking long documents, splitting
// fortune files, seeded shuffles, and assembling documents into train / eval_lm splits.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace juicer {

class DatasetOutput;

// The error a builder returns when an installed source is missing.
Status MissingSource(const std::string& what, const std::string& package);

Result<std::string> ReadWholeFile(const std::string& path);
// Reads a gzip (or dictzip, or plain) file through zlib's gz* API.
Result<std::string> ReadGzipFile(const std::string& path);

// Regular files (symlinks followed unless skip_symlinks) directly under dir, sorted by name.
std::vector<std::string> ListFiles(const std::string& dir, bool skip_symlinks = false);
std::vector<std::string> ListDirs(const std::string& dir);
// All regular files under dir with the given extension (".txt"), recursively, sorted by path.
std::vector<std::string> ListFilesRecursive(const std::string& dir, const std::string& ext);
bool IsDir(const std::string& path);
bool IsFile(const std::string& path);

// Valid UTF-8 out: invalid bytes are read as Latin-1; CR LF -> LF; other control characters except
// tab and newline dropped; NUL dropped.
std::string CleanUtf8(std::string_view in);
std::string Trim(std::string_view s);
// Collapses runs of blank lines to one blank line and trims each line's right side.
std::string TidyLines(std::string_view s);
// Cuts at most max_bytes bytes without splitting a UTF-8 sequence.
std::string Utf8Prefix(std::string_view s, size_t max_bytes);

// Splits a long document into pieces of about `target` bytes: paragraphs (blank-line separated) are
// grouped; a paragraph longer than 2*target is cut at sentence ends. Short tails join the last piece.
std::vector<std::string> ChunkDocument(std::string_view text, size_t target = 3000);

// Entries of a fortune file (separated by lines holding only '%'), trimmed, non-empty.
std::vector<std::string> SplitFortunes(std::string_view file_text);

// Deterministic 64-bit FNV-1a (for per-source seeds; std::hash is not portable).
uint64_t Fnv1a(std::string_view s);

template <typename T>
void SeededShuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

// One text document on its way to a split.
struct TextDoc {
  std::string text;
  std::string group;  // documents of one group (chunks of one speech, one concept) share a split
  std::string lang;   // "" = no top-level "lang" field
  std::string label;  // __dj__meta__.label ("" = none)
  std::vector<std::pair<std::string, std::string>> meta;  // extra __dj__meta__ string fields
};

struct TextSource {
  std::string name;     // __dj__meta__.source
  std::string license;  // __dj__meta__.license
  bool eval = true;     // whether part of it is held out for eval_lm
  std::vector<TextDoc> docs;
};

// Per source: shuffles groups (seeded by seed and the source name), keeps at most `limit` documents
// (0 = all), holds out about eval_fraction of the kept documents as eval_lm in whole groups (the last
// held-out group may be cut short; its other documents are dropped, never put in train), and finally
// shuffles each split and adds the samples to `out` (counted by source).
void EmitTextSplits(std::vector<TextSource>& sources, uint64_t seed, size_t limit, double eval_fraction,
                    DatasetOutput& out);

}  // namespace juicer
