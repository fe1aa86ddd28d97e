// The image-text family (imagetext, imagetext-noisy, demo): one item per source image with its caption,
// reference captions, zero-shot label and translations. Loaders read a source's metadata (cheap);
// images are produced (rendered or copied) only for the items a build keeps.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "core/status.h"

namespace juicer {

struct ImageTextItem {
  std::string source;   // emoji | tuxpaint | openclipart | fashion_mnist
  std::string license;  // SPDX-like id
  std::string key;      // stable id within the source
  std::string group;    // items of one group always land in the same split (emoji skin-tone variants)
  std::string family;   // FamilyKey of the item's name ("" = none): items sharing a group OR a family
                        // (transitively) land in the same split, so near-duplicate siblings never straddle
  std::string image_rel;  // images/<source>/....png, relative to the dataset dir
  std::string caption;
  std::vector<std::string> references;                         // reference captions (eval_caption)
  std::vector<std::pair<std::string, std::string>> meta;       // extra __dj__meta__ string fields
  std::string zs_task, zs_label;                               // zero-shot task and class ("" = none)
  std::vector<std::pair<std::string, std::string>> translations;  // language -> caption
  bool clean = true;            // caption good enough for eval_retrieval / eval_caption
  std::string fixed_split;      // set by a loader that decides the split itself (Fashion-MNIST)
  std::string src_file;         // a PNG copied verbatim as the image, or
  std::function<Result<cv::Mat>()> render;  // an image made on demand
};

// A loader's answer: items sorted by key, and the zero-shot classes it uses (in display order).
struct SourceItems {
  std::vector<ImageTextItem> items;
  std::vector<std::pair<std::string, std::vector<std::string>>> zs_classes;  // task -> classes
  size_t skipped = 0;
  std::string note;  // one line for the progress report
};

// Deterministic helpers shared by the loaders and the builders (own namespace: the text family has its own).
namespace itx {
uint64_t Fnv1a(std::string_view s);
template <typename T>
void SeededShuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}
std::string CollapseSpaces(std::string_view s);  // trims and folds whitespace runs into one space
bool ValidUtf8(std::string_view s);
// The split family of a name (emoji name, Openclipart title, Tux Paint caption): lower-cased; digits,
// punctuation, skin-tone and hair-style qualifiers, gender/person words (man, woman, person, boy, girl,
// men, women, people, mx, mrs, santa), number words one..twelve and ordinals first..twelfth, and a few
// stopwords (a, an, the, and, of, in, with) removed; "-'s" dropped; prince/princess -> crown, mermaid/
// merman/merperson -> merperson, older -> old. "man technologist: dark skin tone" and "technologist" -> "technologist";
// "sortie issue de secours 04" -> "sortie issue de secours". A name with nothing left maps to "~".
std::string FamilyKey(std::string_view name);
Result<std::string> ReadBinaryFile(const std::string& path);
// Width and height from a PNG header (0,0 when not a PNG).
std::pair<int, int> PngSize(std::string_view bytes);
}  // namespace itx
using namespace itx;  // NOLINT: only the image-text files include this header

// Loaders; each returns Status::Unavailable naming the package when missing.
// `foreign`: also load CLDR names in a few other languages (for planted defects).
Result<SourceItems> LoadEmoji(bool foreign);
Result<SourceItems> LoadTuxPaint();
Result<SourceItems> LoadOpenclipart();
// Fashion-MNIST picks its own subset: `train_n` from the training file into train, `test_n` (balanced
// by class) from the test file into eval_zeroshot.
Result<SourceItems> LoadFashionMnist(size_t train_n, size_t test_n, uint64_t seed);

}  // namespace juicer
