#include "ops/image/image_text_chunks.h"

#include <algorithm>

namespace juicer::image_ops {

namespace {

constexpr std::string_view kWhitespace = " \t\n\r\v\f";

std::string_view Strip(std::string_view s) {
  const size_t b = s.find_first_not_of(kWhitespace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kWhitespace) - b + 1);
}

size_t CountOf(std::string_view text, std::string_view token) {
  size_t n = 0;
  for (size_t p = text.find(token); p != std::string_view::npos; p = text.find(token, p + token.size())) ++n;
  return n;
}

}  // namespace

std::string RemoveSpecialTokens(std::string_view text) {
  // DJ's order: the attributes of SpecialTokens (image, audio, video, eoc).
  static constexpr std::string_view kTokens[] = {kImageToken, "<__dj__audio>", "<__dj__video>", kEocToken};
  std::string s(text);
  for (std::string_view tok : kTokens) {
    std::string out;
    out.reserve(s.size());
    size_t pos = 0;
    for (size_t p = s.find(tok); p != std::string::npos; p = s.find(tok, pos)) {
      out.append(s, pos, p - pos);
      pos = p + tok.size();
    }
    out.append(s, pos, std::string::npos);
    s = std::string(Strip(out));
  }
  return s;
}

Result<std::vector<ImageTextChunk>> SplitImageTextChunks(std::string_view text, size_t num_images) {
  std::vector<ImageTextChunk> chunks;
  size_t offset = 0, index = 0, start = 0;
  while (true) {
    const size_t end = text.find(kEocToken, start);
    const std::string_view chunk = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
    const size_t count = CountOf(chunk, kImageToken);
    if (count > 0) {
      const size_t avail = offset < num_images ? std::min(count, num_images - offset) : 0;
      if (avail == 0) {
        return Status::DataError("text chunk " + std::to_string(index) + " has " + std::to_string(count) +
                                 " " + std::string(kImageToken) + " token(s) but the sample's " +
                                 std::to_string(num_images) + " image(s) are all taken by earlier chunks");
      }
      chunks.push_back(ImageTextChunk{RemoveSpecialTokens(chunk), offset, avail, count});
      offset += count;
    }
    if (end == std::string_view::npos) break;
    start = end + kEocToken.size();
    ++index;
  }
  return chunks;
}

double ReduceScores(const std::vector<double>& values, std::string_view mode) {
  if (mode == "max") return *std::max_element(values.begin(), values.end());
  if (mode == "min") return *std::min_element(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace juicer::image_ops
