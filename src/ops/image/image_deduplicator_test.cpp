#include <gtest/gtest.h>

#include <filesystem>

#include "ops/image/image_hash.h"
#include "ops/image/image_test_util.h"

namespace juicer {
namespace {

using testing::ImageDir;
using testing::ImageSample;
using testing::MustBuild;
using testing::RunDatasetOp;

TEST(ImageHash, Definitions) {
  // A left-to-right ramp: dhash bits are all 1 (each pixel brighter than its left neighbour), ahash is
  // the right half, every hash is 16 hex digits.
  cv::Mat ramp(64, 64, CV_8UC3);
  for (int x = 0; x < 64; ++x) ramp.col(x).setTo(cv::Scalar::all(x * 4));
  EXPECT_EQ(image_ops::ImageHashHex(ramp, image_ops::ImageHashMethod::kDHash), "ffffffffffffffff");
  EXPECT_EQ(image_ops::ImageHashHex(ramp, image_ops::ImageHashMethod::kAHash), "0f0f0f0f0f0f0f0f");
  EXPECT_EQ(image_ops::ImageHashHex(ramp, image_ops::ImageHashMethod::kWHash), "0f0f0f0f0f0f0f0f");  // >= median: 4 of 8 columns
  const std::string p = image_ops::ImageHashHex(ramp, image_ops::ImageHashMethod::kPHash);
  EXPECT_EQ(p.size(), 16u);
  // Scaling an image barely moves its perceptual hash.
  cv::Mat big;
  cv::resize(ramp, big, {256, 256}, 0, 0, cv::INTER_LINEAR);
  EXPECT_EQ(image_ops::ImageHashHex(big, image_ops::ImageHashMethod::kDHash), "ffffffffffffffff");
  EXPECT_FALSE(image_ops::ParseImageHashMethod("md5").ok());
}

TEST(ImageDeduplicator, ExactImageDuplicates) {
  ImageDir d;
  cv::Mat stripes(80, 100, CV_8UC3, cv::Scalar::all(0));
  for (int y = 0; y < 80; y += 20) stripes(cv::Rect(0, y, 100, 10)).setTo(cv::Scalar(200, 10, 10));
  const std::string a = d.Solid("a.png", 100, 80), b = d.Write("b.png", stripes);
  const std::string a_copy = d.Solid("a_copy.png", 100, 80);  // same pixels, another file
  for (const char* method : {"phash", "dhash", "whash", "ahash"}) {
    SCOPED_TRACE(method);
    std::vector<Sample> samples = {ImageSample({a}), ImageSample({b}),      ImageSample({a_copy}),
                                   ImageSample({}),  ImageSample({}),       ImageSample({a, b}),
                                   ImageSample({b, a}), ImageSample({a_copy, b})};
    auto op = MustBuild("image_deduplicator", {{"method", std::string(method)}});
    auto sel = RunDatasetOp(*op, samples);
    ASSERT_TRUE(sel.ok()) << sel.status().ToString();
    // a_copy duplicates a; images-less samples are all kept; order of images matters.
    EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 3, 4, 5, 6}));
    ASSERT_EQ(sel->pairs.size(), 2u);
    EXPECT_EQ(sel->pairs[0].kept, 0u);
    EXPECT_EQ(sel->pairs[0].removed, 2u);
    const Sample::Field* h = samples[5].Find(fields::kImageHash);
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->decoded.size(), 32u);
  }
}

TEST(ImageDeduplicator, ConsiderText) {
  ImageDir d;
  const std::string a = d.Solid("a.png", 60, 60);
  std::vector<Sample> samples = {ImageSample({a}, "cat"), ImageSample({a}, "dog"), ImageSample({a}, "cat"),
                                 ImageSample({}, "x"), ImageSample({}, "x")};
  auto op = MustBuild("image_deduplicator", {{"consider_text", true}});
  auto sel = RunDatasetOp(*op, samples);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 3}));  // no-image samples dedup by text (DJ)
}

TEST(ImageDeduplicator, ErrorsAndEdgeCases) {
  EXPECT_FALSE(testing::BuildStatus("image_deduplicator", {{"method", std::string("error")}}).ok());
  ImageDir d;
  std::vector<Sample> one = {ImageSample({d.WriteBytes("bad.png", "nope")})};
  auto op = MustBuild("image_deduplicator");
  auto sel = RunDatasetOp(*op, one);
  ASSERT_FALSE(sel.ok());
  EXPECT_EQ(sel.status().code(), StatusCode::kDataError);
  EXPECT_NE(sel.status().message().find("bad.png"), std::string::npos);
}

}  // namespace
}  // namespace juicer
