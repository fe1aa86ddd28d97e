#include <gtest/gtest.h>

#include <filesystem>

#include "ops/video/video_motion.h"
#include "ops/video/video_test_util.h"

namespace juicer {
namespace {

using testing::MustBuild;
using testing::RunFilter;
using testing::StatList;
using testing::VideoDir;
using testing::VideoSample;

std::vector<double> Stats(const std::string& op, const GivenParams& params, const std::vector<std::string>& videos,
                          const std::string& key) {
  auto f = MustBuild(op, params);
  std::vector<Sample> s{VideoSample(videos)};
  auto kept = RunFilter(*f, s);
  EXPECT_TRUE(kept.ok()) << kept.status().ToString();
  return StatList(s[0], key);
}

TEST(VideoFilters, MotionScoreStaticIsZeroMovingIsPositive) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string still = d.Clip("still.mp4", "color=c=gray:s=160x120:r=10:d=3");
  const std::string moving = d.Clip("moving.mp4", "testsrc=s=160x120:r=10:d=3");
  // a square moving 2 px per frame to the right: at sampling_fps 10 every frame is used
  const std::string pan = d.Clip(
      "pan.mp4", "\"color=c=black:s=160x120:r=10:d=3[bg];color=c=white:s=40x40:r=10[fg];"
      "[bg][fg]overlay=x='20+2*n':y=40:shortest=1\"");
  auto s0 = video_ops::MotionScore(still, {});
  auto s1 = video_ops::MotionScore(moving, {});
  ASSERT_TRUE(s0.ok() && s1.ok());
  EXPECT_NEAR(*s0, 0.0, 1e-3);
  EXPECT_GT(*s1, 0.1);
  auto rel = video_ops::MotionScore(moving, video_ops::MotionParams{.relative = true});
  ASSERT_TRUE(rel.ok());
  EXPECT_NEAR(*rel, *s1 / std::hypot(160.0, 120.0), 1e-9);
  auto p = video_ops::MotionScore(pan, video_ops::MotionParams{.sampling_fps = 10});
  ASSERT_TRUE(p.ok());
  EXPECT_GT(*p, 0.05);  // the box (1/12 of the frame) moves 2 px per frame
  EXPECT_LT(*p, 2.0);

  // through the op: default min_score 0.25 drops the still clip, keeps the moving one
  auto f = MustBuild("video_motion_score_filter");
  std::vector<Sample> samples{VideoSample({still}), VideoSample({moving}), VideoSample({})};
  auto kept = RunFilter(*f, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(StatList(samples[2], "video_motion_score").empty());
}

TEST(VideoFilters, SkippingUnsampledFramesGivesTheSameScore) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  // B frames (libx264 medium: 3 B frames, some never referenced), 25 fps: step 12 at sampling_fps 2
  const std::string v = d.Ffmpeg("b.mp4", "-f lavfi -i testsrc=s=192x108:r=25:d=4 -c:v libx264 -preset medium -bf 3 "
                                          "-pix_fmt yuv420p -g 50");
  for (double fps : {2.0, 5.0, 25.0}) {
    auto fast = video_ops::MotionScore(v, video_ops::MotionParams{.sampling_fps = fps});
    auto full = video_ops::MotionScore(v, video_ops::MotionParams{.sampling_fps = fps, .skip_unneeded = false});
    ASSERT_TRUE(fast.ok() && full.ok());
    EXPECT_GT(*full, 0.0);
    EXPECT_DOUBLE_EQ(*fast, *full) << "sampling_fps " << fps;
  }
}

TEST(VideoFilters, MotionScoreIsMinusOneForUnreadableVideos) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string good = d.Clip("good.mp4", "testsrc=s=160x120:r=10:d=3");
  const std::string empty = d.WriteBytes("empty.mp4", "");
  const std::string junk = d.WriteBytes("junk.mp4", std::string(2048, '\x11'));
  const std::string audio = d.Ffmpeg("audio.m4a", "-f lavfi -i sine=d=1 -c:a aac");
  const std::string cut = d.Truncated("cut.mp4", good, 0.5);
  EXPECT_EQ(Stats("video_motion_score_filter", {}, {empty, junk, audio, cut, good}, "video_motion_score").size(), 5u);
  auto v = Stats("video_motion_score_filter", {}, {empty, junk, audio, cut}, "video_motion_score");
  EXPECT_EQ(v, (std::vector<double>{-1, -1, -1, -1}));
  // a missing file is an error naming it, not a score
  auto f = MustBuild("video_motion_score_filter");
  std::vector<Sample> s{VideoSample({d.Path("nope.mp4")})};
  auto r = RunFilter(*f, s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nope.mp4"), std::string::npos) << r.status().message();
}

TEST(VideoFilters, MetadataFilters) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string wide = d.Clip("wide.mp4", "testsrc=s=320x180:r=10:d=2.5");
  const std::string tall = d.Clip("tall.mp4", "testsrc=s=120x160:r=10:d=3.5");
  EXPECT_EQ(Stats("video_duration_filter", {}, {wide, tall, wide}, "video_duration"),
            (std::vector<double>{2, 4, 2}));  // 2.5 -> 2 and 3.5 -> 4: ties to even, as Python's round
  EXPECT_EQ(Stats("video_resolution_filter", {}, {wide, tall}, "video_width"), (std::vector<double>{320, 120}));
  EXPECT_EQ(Stats("video_resolution_filter", {}, {wide, tall}, "video_height"), (std::vector<double>{180, 160}));
  auto ar = Stats("video_aspect_ratio_filter", {}, {wide, tall}, "video_aspect_ratios");
  ASSERT_EQ(ar.size(), 2u);
  EXPECT_DOUBLE_EQ(ar[0], 320.0 / 180.0);
  EXPECT_DOUBLE_EQ(ar[1], 0.75);

  // any / all
  auto any = MustBuild("video_resolution_filter", {{"min_width", int64_t{200}}});
  auto all = MustBuild("video_resolution_filter", {{"min_width", int64_t{200}}, {"any_or_all", std::string("all")}});
  std::vector<Sample> s1{VideoSample({wide, tall})}, s2{VideoSample({wide, tall})};
  EXPECT_EQ(*RunFilter(*any, s1), (std::vector<uint64_t>{0}));
  EXPECT_TRUE(RunFilter(*all, s2)->empty());
  // exact fraction bounds: 3/4 keeps the 0.75 video; "4:3" as a max drops the 16:9 one
  auto ratio = MustBuild("video_aspect_ratio_filter",
                         {{"min_ratio", std::string("3/4")}, {"max_ratio", std::string("4:3")}});
  std::vector<Sample> s3{VideoSample({wide}), VideoSample({tall})};
  EXPECT_EQ(*RunFilter(*ratio, s3), (std::vector<uint64_t>{1}));
  EXPECT_FALSE(testing::BuildStatus("video_aspect_ratio_filter", {{"min_ratio", std::string("a/b")}}).ok());
}

TEST(VideoFilters, MetadataErrorsNameTheFile) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string audio = d.Ffmpeg("only_audio.m4a", "-f lavfi -i sine=d=1 -c:a aac");
  const std::string empty = d.WriteBytes("zero.mp4", "");
  for (const std::string& p : {audio, empty}) {
    auto f = MustBuild("video_duration_filter");
    std::vector<Sample> s{VideoSample({p})};
    auto r = RunFilter(*f, s);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.status().code(), StatusCode::kDataError);
    EXPECT_NE(r.status().message().find(std::filesystem::path(p).filename().string()), std::string::npos)
        << r.status().message();
  }
}

TEST(VideoFilters, DataJuicerMediaMotionScores) {
  const std::filesystem::path media = testing::ConformanceMediaDir();
  if (!std::filesystem::exists(media / "video1.mp4"))
    GTEST_SKIP() << "Data-Juicer's test videos are not at " << media << " (../shared/conformance/media)";
  // Data-Juicer's test_video_motion_score_filter: video1 is in [1.5, 3.0), video2 >= 3, video3 < 1.5
  auto v = Stats("video_motion_score_filter", {},
                 {(media / "video1.mp4").string(), (media / "video2.mp4").string(), (media / "video3.mp4").string()},
                 "video_motion_score");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_GE(v[0], 1.5);
  EXPECT_LT(v[0], 3.0);
  EXPECT_GE(v[1], 3.0);
  EXPECT_LT(v[2], 1.5);
  EXPECT_EQ(Stats("video_duration_filter", {}, {(media / "video1.mp4").string()}, "video_duration"),
            (std::vector<double>{12}));
}

}  // namespace
}  // namespace juicer
