#include <gtest/gtest.h>

#include <filesystem>

#include "ops/video/video_test_util.h"

namespace juicer {
namespace {

using testing::MustBuild;
using testing::RunDatasetOp;
using testing::VideoDir;
using testing::VideoSample;

TEST(VideoDeduplicator, HashesTheVideoPacketsNotTheContainer) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string a = d.Clip("a.mp4", "testsrc=s=160x120:r=10:d=2", 10, "-f lavfi -i sine=d=2 -c:a aac -shortest");
  std::filesystem::copy_file(a, d.Path("a_copy.mp4"));
  // the same video packets in another container, without the audio: a duplicate
  const std::string remux = d.Ffmpeg("a_remux.mkv", "-i '" + a + "' -map 0:v -c copy");
  // the same pictures re-encoded: different packets, not a duplicate
  const std::string reenc = d.Ffmpeg("a_reenc.mp4", "-i '" + a + "' -c:v libx264 -preset veryslow -crf 30");
  const std::string b = d.Clip("b.mp4", "color=c=red:s=160x120:r=10:d=2");
  auto op = MustBuild("video_deduplicator");
  std::vector<Sample> s{VideoSample({a}),      VideoSample({d.Path("a_copy.mp4")}), VideoSample({remux}),
                        VideoSample({reenc}),  VideoSample({b}),                     VideoSample({}),
                        VideoSample({}),       VideoSample({a, a}),                  VideoSample({b, a})};
  auto sel = RunDatasetOp(*op, s);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  // [a, a] hashes a once (distinct videos), so it duplicates [a]; [b, a] is a new combination
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 3, 4, 5, 6, 8}));
  ASSERT_FALSE(sel->pairs.empty());
  EXPECT_EQ(sel->pairs[0].kept, 0u);
  const Sample::Field* h = s[0].Find(fields::kVideoHash);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->decoded.size(), 32u);
  EXPECT_EQ(s[5].Find(fields::kVideoHash)->decoded, "");
}

TEST(VideoDeduplicator, ConsiderTextAndBadFiles) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string a = d.Clip("a.mp4", "testsrc=s=160x120:r=10:d=1");
  auto op = MustBuild("video_deduplicator", {{"consider_text", true}});
  std::vector<Sample> s{VideoSample({a}, "x"), VideoSample({a}, "y"), VideoSample({a}, "x"),
                        VideoSample({}, "t"), VideoSample({}, "t")};
  auto sel = RunDatasetOp(*op, s);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 3}));  // no video: deduplicated by text

  const std::string junk = d.WriteBytes("junk.mp4", "definitely not a video");
  auto plain = MustBuild("video_deduplicator");
  std::vector<Sample> bad{VideoSample({junk}), VideoSample({d.Path("gone.mp4")})};
  WorkerContext ctx;
  auto r0 = static_cast<const DatasetOp&>(*plain).Prepare(bad[0], ctx);
  EXPECT_EQ(r0.code(), StatusCode::kDataError);
  EXPECT_NE(r0.message().find("junk.mp4"), std::string::npos) << r0.message();
  auto r1 = static_cast<const DatasetOp&>(*plain).Prepare(bad[1], ctx);
  EXPECT_EQ(r1.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace juicer
