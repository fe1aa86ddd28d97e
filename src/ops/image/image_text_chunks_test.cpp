#include "ops/image/image_text_chunks.h"

#include <gtest/gtest.h>

namespace juicer::image_ops {
namespace {

TEST(ImageTextChunks, RemoveSpecialTokensStripsLikeDataJuicer) {
  EXPECT_EQ(RemoveSpecialTokens("<__dj__image>a photo of a cat"), "a photo of a cat");
  EXPECT_EQ(RemoveSpecialTokens("  <__dj__image> a cat <|__dj__eoc|> "), "a cat");
  EXPECT_EQ(RemoveSpecialTokens("a <__dj__video>b<__dj__audio> c"), "a b c");
  EXPECT_EQ(RemoveSpecialTokens("<__dj__image><__dj__image>"), "");
  EXPECT_EQ(RemoveSpecialTokens("no tokens"), "no tokens");
}

TEST(ImageTextChunks, OneChunkWithoutEoc) {
  auto c = SplitImageTextChunks("<__dj__image>a photo of a cat", 1);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].text, "a photo of a cat");
  EXPECT_EQ((*c)[0].first_image, 0u);
  EXPECT_EQ((*c)[0].num_images, 1u);
}

TEST(ImageTextChunks, ChunksTakeImagesInOrderAndSkipTextOnlyChunks) {
  const std::string text =
      "<__dj__image> <__dj__image> two pets <|__dj__eoc|> just words <|__dj__eoc|>"
      "<__dj__image>a third<|__dj__eoc|>";
  auto c = SplitImageTextChunks(text, 3);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].text, "two pets");
  EXPECT_EQ((*c)[0].first_image, 0u);
  EXPECT_EQ((*c)[0].num_images, 2u);
  EXPECT_EQ((*c)[1].text, "a third");
  EXPECT_EQ((*c)[1].first_image, 2u);
  EXPECT_EQ((*c)[1].num_images, 1u);
}

TEST(ImageTextChunks, NoImageTokensMeansNoChunks) {
  auto c = SplitImageTextChunks("plain text <|__dj__eoc|> more", 2);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
  auto e = SplitImageTextChunks("", 0);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
}

TEST(ImageTextChunks, TooFewImagesTruncatesLikeSlicingThenFails) {
  // A chunk with 2 tokens and 1 image left takes that one (DJ's list slice).
  auto c = SplitImageTextChunks("<__dj__image><__dj__image> a", 1);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].num_images, 1u);
  EXPECT_EQ((*c)[0].tokens, 2u);
  // A later chunk with none left is an error naming the chunk.
  auto e = SplitImageTextChunks("<__dj__image> a <|__dj__eoc|><__dj__image> b", 1);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kDataError);
  EXPECT_NE(e.status().message().find("text chunk 1"), std::string::npos) << e.status().message();
}

TEST(ImageTextChunks, ReduceModes) {
  const std::vector<double> v = {0.2, 0.5, 0.8};
  EXPECT_DOUBLE_EQ(ReduceScores(v, "avg"), 0.5);
  EXPECT_DOUBLE_EQ(ReduceScores(v, "max"), 0.8);
  EXPECT_DOUBLE_EQ(ReduceScores(v, "min"), 0.2);
}

}  // namespace
}  // namespace juicer::image_ops
