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

std::vector<std::string> Videos(const Sample& s) { return **s.GetStringList("videos"); }
std::string Text(const Sample& s) { return std::string(*s.GetText("text")); }

TEST(VideoSplitMappers, ByDurationRewritesTokensAndWritesClips) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string a = d.Clip("a.mp4", "testsrc=s=160x120:r=10:d=5", 10, "-f lavfi -i sine=d=5 -c:a aac -shortest");
  const std::string b = d.Clip("b.mp4", "testsrc=s=160x120:r=10:d=3", 10);
  auto op = MustBuild("video_split_by_duration_mapper",
                      {{"split_duration", 2.0}, {"save_dir", d.Path("out")}, {"keep_original_sample", true}});
  auto out = RunMapper(*op, {VideoSample({a, b}, "<__dj__video> first <|__dj__eoc|><__dj__video> second")});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 2u);  // the original, then the split sample
  EXPECT_EQ(Videos((*out)[0]), (std::vector<std::string>{a, b}));
  // a: [0,2], [2,4], [4,end]; b: [0,2], [2,end]
  EXPECT_EQ(Text((*out)[1]),
            "<__dj__video><__dj__video><__dj__video> first <|__dj__eoc|><__dj__video><__dj__video> second<|__dj__eoc|>");
  const auto clips = Videos((*out)[1]);
  ASSERT_EQ(clips.size(), 5u);
  for (const std::string& c : clips) {
    EXPECT_EQ(std::filesystem::path(c).parent_path(), std::filesystem::path(d.Path("out")));
    auto info = media::ProbeVideo(c);
    ASSERT_TRUE(info.ok()) << c << ": " << info.status().ToString();
    EXPECT_EQ(info->width, 160);
  }
  auto first = media::ProbeVideo(clips[0]);
  EXPECT_NEAR(first->duration, 2.1, 0.15);  // frames 0.0 .. 2.0 s
  EXPECT_TRUE(first->has_audio);
  EXPECT_NE(clips[0].find("a__dj_hash_#"), std::string::npos);
  EXPECT_NE(clips[0].find("#_0.mp4"), std::string::npos);
  EXPECT_EQ(**(*out)[1].GetStringList("__dj__source_file__"), (std::vector<std::string>{a, a, a, b, b}));

  // min_last_split_duration drops a short tail; without keep_original_sample only the split sample
  auto op2 = MustBuild("video_split_by_duration_mapper", {{"split_duration", 2.0},
                                                         {"min_last_split_duration", 1.5},
                                                         {"keep_original_sample", false},
                                                         {"save_dir", d.Path("out2")}});
  auto out2 = RunMapper(*op2, {VideoSample({b}, "<__dj__video> x"), VideoSample({}, "no video")});
  ASSERT_TRUE(out2.ok()) << out2.status().ToString();
  ASSERT_EQ(out2->size(), 1u);  // a sample without videos yields nothing (Data-Juicer)
  EXPECT_EQ(Videos((*out2)[0]).size(), 1u);  // b: [0,2]; the 1 s tail is dropped
}

TEST(VideoSplitMappers, ByKeyFrameCutsAtKeyFrames) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string a = d.Clip("k.mp4", "testsrc=s=160x120:r=10:d=3", 10);  // key frames at 0, 1, 2 s
  auto op = MustBuild("video_split_by_key_frame_mapper", {{"keep_original_sample", false}, {"save_dir", d.Path("o")}});
  auto out = RunMapper(*op, {VideoSample({a}, "<__dj__video> clip")});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ(Videos((*out)[0]).size(), 3u);
  EXPECT_EQ(Text((*out)[0]), "<__dj__video><__dj__video><__dj__video> clip<|__dj__eoc|>");
}

TEST(VideoSplitMappers, BySceneFindsTheCut) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  // 2 s of red then 2 s of blue: one hard cut at frame 20
  const std::string a = d.Clip("scenes.mp4",
                               "\"color=c=red:s=160x120:r=10:d=2[a];color=c=blue:s=160x120:r=10:d=2[b];[a][b]concat=n=2\"");
  const std::string still = d.Clip("still.mp4", "color=c=gray:s=160x120:r=10:d=3");
  auto op = MustBuild("video_split_by_scene_mapper", {{"min_scene_len", int64_t{5}}, {"save_dir", d.Path("o")}});
  auto out = RunMapper(*op, {VideoSample({a, still}, "<__dj__video> two scenes <__dj__video> one")});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 1u);
  const auto v = Videos((*out)[0]);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_NE(v[0].find("#_001.mp4"), std::string::npos) << v[0];
  EXPECT_NE(v[1].find("#_002.mp4"), std::string::npos) << v[1];
  EXPECT_EQ(v[2], still);  // one scene: unchanged
  EXPECT_EQ(Text((*out)[0]), "<__dj__video><__dj__video> two scenes <__dj__video> one");
  auto first = media::ProbeVideo(v[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->frames, 20);
}

TEST(VideoSplitMappers, EdgeWeightSeesPatternChangesNotColourChanges) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string colours = d.Clip("colours.mp4",
                                     "\"color=c=red:s=160x120:r=10:d=2[a];color=c=blue:s=160x120:r=10:d=2[b];[a][b]concat=n=2\"");
  const std::string patterns = d.Clip("patterns.mp4",
                                      "\"testsrc=s=160x120:r=10:d=2[a];smptebars=s=160x120:r=10:d=2[b];[a][b]concat=n=2\"");
  const GivenParams edges_only = {{"weights", std::vector<double>{0, 0, 0, 1}}, {"threshold", 5.0},
                                  {"min_scene_len", int64_t{5}}, {"save_dir", d.Path("o")}};
  auto op = MustBuild("video_split_by_scene_mapper", edges_only);
  auto out = RunMapper(*op, {VideoSample({colours, patterns}, "<__dj__video> <__dj__video>")});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const auto v = Videos((*out)[0]);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], colours);  // flat colours have no edges: one scene
  auto first = media::ProbeVideo(v[1]);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->frames, 20);  // the pattern change at 2 s
  EXPECT_FALSE(testing::BuildStatus("video_split_by_scene_mapper", {{"kernel_size", int64_t{4}}}).ok());
  EXPECT_TRUE(testing::BuildStatus("video_split_by_scene_mapper", {{"kernel_size", int64_t{5}}}).ok());
}

TEST(VideoSplitMappers, ThresholdDetectorCutsBetweenFades) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  // 1 s black, 2 s test pattern, 1 s black, 2 s test pattern (10 fps): fade ins at frames 10 and 40,
  // fade out at 30. PySceneDetect cuts halfway between a fade out and the next fade in: frames 5 and 35.
  const std::string a = d.Clip("fades.mp4",
                               "\"color=c=black:s=160x120:r=10:d=1[a];testsrc=s=160x120:r=10:d=2[b];"
                               "color=c=black:s=160x120:r=10:d=1[c];testsrc=s=160x120:r=10:d=2[e];"
                               "[a][b][c][e]concat=n=4\"");
  auto frames_of = [&](const GivenParams& params) {
    std::vector<int64_t> frames;
    auto op = MustBuild("video_split_by_scene_mapper", params);
    auto out = RunMapper(*op, {VideoSample({a}, "<__dj__video> fades")});
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return frames;
    for (const auto& v : Videos((*out)[0])) {
      auto info = media::ProbeVideo(v);
      EXPECT_TRUE(info.ok());
      frames.push_back(info.ok() ? info->frames : -1);
    }
    return frames;
  };
  const std::string det = "ThresholdDetector";
  EXPECT_EQ(frames_of({{"detector", det}, {"min_scene_len", int64_t{5}}, {"save_dir", d.Path("o5")}}),
            (std::vector<int64_t>{5, 30, 25}));
  // min_scene_len 15: the cut at 5 is too close to the start and the flash filter drops it
  EXPECT_EQ(frames_of({{"detector", det}, {"save_dir", d.Path("o15")}}), (std::vector<int64_t>{35, 25}));
  // fade_bias +1: the cut at the fade in itself
  EXPECT_EQ(frames_of({{"detector", det}, {"min_scene_len", int64_t{5}}, {"fade_bias", 1.0}, {"save_dir", d.Path("ob")}}),
            (std::vector<int64_t>{10, 30, 20}));
  // a threshold above every frame: no fade in after the first frame, one scene, the video kept
  auto op = MustBuild("video_split_by_scene_mapper", {{"detector", det}, {"threshold", 255.0}, {"save_dir", d.Path("x")}});
  auto out = RunMapper(*op, {VideoSample({a}, "<__dj__video> fades")});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Videos((*out)[0]), (std::vector<std::string>{a}));
}

TEST(VideoSplitMappers, BadVideosAreErrors) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string junk = d.WriteBytes("junk.mp4", "junk");
  for (const char* name : {"video_split_by_duration_mapper", "video_split_by_key_frame_mapper",
                           "video_split_by_scene_mapper"}) {
    auto op = MustBuild(name, {{"save_dir", d.Path("o")}});
    auto out = RunMapper(*op, {VideoSample({junk}, "<__dj__video>")});
    ASSERT_FALSE(out.ok()) << name;
    EXPECT_NE(out.status().message().find("junk.mp4"), std::string::npos) << out.status().message();
  }
}

}  // namespace
}  // namespace juicer
