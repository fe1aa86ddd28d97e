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

TEST(VideoFrameMappers, ExtractFramesWritesJpegsAndMeta) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string a = d.Clip("a.mp4", "testsrc=s=160x120:r=10:d=3", 10);
  auto op = MustBuild("video_extract_frames_mapper", {{"frame_dir", d.Path("frames")}});  // all_keyframes
  auto out = RunMapper(*op, {VideoSample({a}, "<__dj__video> x")});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::filesystem::path dir = d.Path("frames/a");
  EXPECT_TRUE(std::filesystem::exists(dir / "frame_0.jpg"));
  EXPECT_TRUE(std::filesystem::exists(dir / "frame_2.jpg"));
  EXPECT_FALSE(std::filesystem::exists(dir / "frame_3.jpg"));
  const Sample::Field* meta = (*out)[0].Find(fields::kMeta);
  ASSERT_NE(meta, nullptr);
  EXPECT_NE(std::string(meta->RawText()).find("video_frames"), std::string::npos) << meta->RawText();
  EXPECT_NE(std::string(meta->RawText()).find("frames/a"), std::string::npos) << meta->RawText();
  // uniform per 1 s segment: 2 frames x 2 segments (the partial last second is left out)
  auto seg = MustBuild("video_extract_frames_mapper", {{"frame_dir", d.Path("seg")},
                                                       {"frame_sampling_method", std::string("uniform")},
                                                       {"frame_num", int64_t{2}},
                                                       {"duration", 1.0}});
  ASSERT_TRUE(RunMapper(*seg, {VideoSample({a}, "<__dj__video> x")}).ok());
  EXPECT_TRUE(std::filesystem::exists(d.Path("seg/a/frame_3.jpg")));
  EXPECT_FALSE(std::filesystem::exists(d.Path("seg/a/frame_4.jpg")));
}

TEST(VideoFrameMappers, FfmpegWrappedRunsTheFilter) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string a = d.Clip("a.mp4", "testsrc=s=160x120:r=10:d=1", 10);
  auto op = MustBuild("video_ffmpeg_wrapped_mapper",
                      {{"filter_name", std::string("scale")},
                       {"filter_kwargs", std::vector<std::string>{"width=80", "height=60"}},
                       {"save_dir", d.Path("o")}});
  auto out = RunMapper(*op, {VideoSample({a, a})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const auto v = **(*out)[0].GetStringList("videos");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], v[1]);
  auto info = media::ProbeVideo(v[0]);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width, 80);
  EXPECT_EQ(info->height, 60);
  auto bad = MustBuild("video_ffmpeg_wrapped_mapper",
                       {{"filter_name", std::string("no_such_filter")}, {"save_dir", d.Path("o")}});
  auto r = RunMapper(*bad, {VideoSample({a})});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ffmpeg failed"), std::string::npos) << r.status().message();
  auto none = MustBuild("video_ffmpeg_wrapped_mapper");  // no filter_name: unchanged
  auto same = RunMapper(*none, {VideoSample({a})});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ((**(*same)[0].GetStringList("videos"))[0], a);
}

}  // namespace
}  // namespace juicer
