// Data-Juicer's image-text chunks: a sample's text is split at `<|__dj__eoc|>`; each chunk's
// `<__dj__image>` tokens take the sample's images in order, and the chunk's text (special tokens removed)
// is scored against them. Shared by the image-text similarity / matching filters. No models here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace juicer::image_ops {

inline constexpr std::string_view kImageToken = "<__dj__image>";
inline constexpr std::string_view kEocToken = "<|__dj__eoc|>";

struct ImageTextChunk {
  std::string text;          // the chunk with every DJ special token removed, then stripped
  size_t first_image = 0;    // index into the sample's image list
  size_t num_images = 0;     // images of this chunk (>= 1)
  size_t tokens = 0;         // `<__dj__image>` tokens in the chunk (num_images < tokens when images ran out)
};

// DJ's remove_special_tokens: each of <__dj__image>, <__dj__audio>, <__dj__video>, <|__dj__eoc|> is
// removed in turn, and the text is stripped of ASCII whitespace after each (Python's str.strip()).
std::string RemoveSpecialTokens(std::string_view text);

// The scored chunks of a text, as DJ's compute_stats of image_text_similarity_filter /
// image_text_matching_filter walk them: text.split(eoc); a chunk without image tokens (or empty) is
// skipped; a chunk with k tokens takes the next k images. Like DJ's list slicing, a chunk whose tokens
// outnumber the remaining images takes the ones left; a chunk with no image left is a DataError (DJ
// would fail in its processor) naming the chunk and the counts.
Result<std::vector<ImageTextChunk>> SplitImageTextChunks(std::string_view text, size_t num_images);

// reduce_mode over values: "avg" (arithmetic mean), "max", "min". values must be non-empty.
double ReduceScores(const std::vector<double>& values, std::string_view mode);

}  // namespace juicer::image_ops
