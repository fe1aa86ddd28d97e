#include <gtest/gtest.h>

#include <filesystem>

#include "media/video_io.h"
#include "ops/video/video_test_util.h"

namespace juicer {
namespace {

using testing::MustBuild;
using testing::RunMapper;
using testing::VideoDir;
using testing::VideoSample;

std::pair<int64_t, int64_t> SizeOf(const std::string& path) {
  auto info = media::ProbeVideo(path);
  EXPECT_TRUE(info.ok()) << path;
  return info.ok() ? std::make_pair(info->width, info->height) : std::make_pair(int64_t{0}, int64_t{0});
}

TEST(VideoResizeMappers, ResolutionFollowsDataJuicer) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string wide = d.Clip("wide.mp4", "testsrc=s=640x360:r=10:d=1");
  const std::string small = d.Clip("small.mp4", "testsrc=s=320x240:r=10:d=1");
  auto op = MustBuild("video_resize_resolution_mapper",
                      {{"min_width", int64_t{300}}, {"max_width", int64_t{480}}, {"save_dir", d.Path("o")}});
  auto out = RunMapper(*op, {VideoSample({wide, small})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const auto v = **(*out)[0].GetStringList("videos");
  EXPECT_EQ(SizeOf(v[0]), std::make_pair(int64_t{480}, int64_t{270}));
  EXPECT_EQ(v[1], small);  // within bounds: unchanged
  EXPECT_EQ(**(*out)[0].GetStringList("__dj__source_file__"), (std::vector<std::string>{wide, small}));
  auto inc = MustBuild("video_resize_resolution_mapper",
                       {{"min_height", int64_t{480}}, {"max_height", int64_t{480}}, {"min_width", int64_t{400}},
                        {"max_width", int64_t{480}}, {"force_original_aspect_ratio", std::string("increase")},
                        {"save_dir", d.Path("o2")}});
  auto out2 = RunMapper(*inc, {VideoSample({wide})});
  ASSERT_TRUE(out2.ok()) << out2.status().ToString();
  EXPECT_EQ(SizeOf((**(*out2)[0].GetStringList("videos"))[0]), std::make_pair(int64_t{854}, int64_t{480}));
  EXPECT_FALSE(testing::BuildStatus("video_resize_resolution_mapper",
                                    {{"force_original_aspect_ratio", std::string("increase")},
                                     {"force_divisible_by", int64_t{3}}})
                   .ok());
}

TEST(VideoResizeMappers, AspectRatioToTheNearestBound) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string tall = d.Clip("tall.mp4", "testsrc=s=180x320:r=10:d=1");  // 9:16
  auto inc = MustBuild("video_resize_aspect_ratio_mapper",
                       {{"min_ratio", std::string("3/4")}, {"strategy", std::string("increase")}, {"save_dir", d.Path("a")}});
  auto dec = MustBuild("video_resize_aspect_ratio_mapper",
                       {{"min_ratio", std::string("3:4")}, {"strategy", std::string("decrease")}, {"save_dir", d.Path("b")}});
  auto o1 = RunMapper(*inc, {VideoSample({tall})});
  auto o2 = RunMapper(*dec, {VideoSample({tall})});
  ASSERT_TRUE(o1.ok() && o2.ok());
  EXPECT_EQ(SizeOf((**(*o1)[0].GetStringList("videos"))[0]), std::make_pair(int64_t{240}, int64_t{320}));
  EXPECT_EQ(SizeOf((**(*o2)[0].GetStringList("videos"))[0]), std::make_pair(int64_t{180}, int64_t{240}));
}

}  // namespace
}  // namespace juicer
