#include <gtest/gtest.h>

#include "media/video_io.h"
#include "ops/video/video_test_util.h"

namespace juicer {
namespace {

using testing::StatList;
using testing::VideoDir;
using testing::VideoSample;

// Builds a model-backed op, or skips when its model is not installed (scripts/setup.sh installs it).
#define BUILD_OR_SKIP(var, name, ...)                                                             \
  auto var##_info = BuiltinRegistry().Find(name);                                                 \
  ASSERT_TRUE(var##_info.ok());                                                                   \
  auto var##_built = BuildOp(**var##_info, GivenParams{__VA_ARGS__});                             \
  if (!var##_built.ok() && var##_built.status().code() == StatusCode::kUnavailable)               \
    GTEST_SKIP() << var##_built.status().message();                                               \
  ASSERT_TRUE(var##_built.ok()) << var##_built.status().ToString();                               \
  const auto& var = static_cast<const Filter&>(**var##_built)

TEST(VideoModelFilters, FrameScoresShareOneDecodePerSampling) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string v = d.Clip("v.mp4", "testsrc=s=224x224:r=10:d=3", 10);
  BUILD_OR_SKIP(nsfw, "video_nsfw_filter", {"frame_sampling_method", std::string("uniform")});
  BUILD_OR_SKIP(aes, "video_aesthetics_filter", {"min_score", 0.0});  // uniform, 3 frames by default
  WorkerContext ctx;
  Sample s = VideoSample({v, v});
  ASSERT_TRUE(nsfw.ComputeStats(s, ctx).ok());
  ASSERT_TRUE(aes.ComputeStats(s, ctx).ok());
  EXPECT_EQ(media::WorkerVideoCache(ctx).samplings(), 1u);  // both ops used the same 3 decoded frames
  const auto n = StatList(s, "video_nsfw_score");
  const auto a = StatList(s, "video_frames_aesthetics_score");
  ASSERT_EQ(n.size(), 2u);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(n[0], n[1]);
  EXPECT_GE(n[0], 0.0);
  EXPECT_LE(n[0], 1.0);
  EXPECT_GT(a[0], 0.0);
  EXPECT_LT(a[0], 1.0);
  Sample none = VideoSample({});
  ASSERT_TRUE(nsfw.ComputeStats(none, ctx).ok());
  EXPECT_TRUE(StatList(none, "video_nsfw_score").empty());
  EXPECT_TRUE(*nsfw.Keep(none));
}

TEST(VideoModelFilters, ReduceModesOrderTheScores) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  // half the clip a flat grey frame, half a detailed test pattern: frame scores differ
  const std::string v = d.Clip(
      "mix.mp4", "\"color=c=gray:s=160x120:r=10:d=2[a];testsrc=s=160x120:r=10:d=2[b];[a][b]concat=n=2\"", 10);
  std::vector<double> r;
  for (const char* mode : {"min", "avg", "max"}) {
    BUILD_OR_SKIP(f, "video_aesthetics_filter", {"reduce_mode", std::string(mode)}, {"frame_num", int64_t{4}});
    WorkerContext ctx;
    Sample s = VideoSample({v});
    ASSERT_TRUE(f.ComputeStats(s, ctx).ok());
    r.push_back(StatList(s, "video_frames_aesthetics_score")[0]);
  }
  EXPECT_LT(r[0], r[1]);
  EXPECT_LT(r[1], r[2]);
}

TEST(VideoModelFilters, OcrAreaIsZeroOnBlankFrames) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string v = d.Clip("blank.mp4", "color=c=white:s=320x240:r=10:d=2", 10);
  BUILD_OR_SKIP(f, "video_ocr_area_ratio_filter", {"languages_to_detect", std::vector<std::string>{"en"}});
  WorkerContext ctx;
  Sample s = VideoSample({v});
  ASSERT_TRUE(f.ComputeStats(s, ctx).ok());
  EXPECT_EQ(StatList(s, "video_ocr_area_ratio"), (std::vector<double>{0.0}));
}

TEST(VideoModelFilters, FramesTextSimilarityOnePerChunk) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string v = d.Clip("v.mp4", "testsrc=s=160x120:r=10:d=2", 10);
  BUILD_OR_SKIP(f, "video_frames_text_similarity_filter", {"min_score", -1.0});
  WorkerContext ctx;
  Sample s = VideoSample({v, v}, "<__dj__video> a test pattern <|__dj__eoc|> no video here <|__dj__eoc|><__dj__video> bars");
  ASSERT_TRUE(f.ComputeStats(s, ctx).ok());
  const auto sim = StatList(s, "video_frames_text_similarity");
  ASSERT_EQ(sim.size(), 2u);  // the chunk without a video token is skipped
  for (double x : sim) {
    EXPECT_GE(x, -1.0);
    EXPECT_LE(x, 1.0);
  }
  EXPECT_TRUE(*f.Keep(s));
  Sample bad = VideoSample({d.Path("missing.mp4")}, "<__dj__video> x");
  EXPECT_FALSE(f.ComputeStats(bad, ctx).ok());
}

}  // namespace
}  // namespace juicer
