#include "media/video_io.h"

#include <gtest/gtest.h>

#include "ops/video/video_test_util.h"

namespace juicer::media {
namespace {

using testing::VideoDir;

TEST(VideoIo, ProbeReadsMetadataWithoutDecoding) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string av = d.Clip("av.mp4", "testsrc=s=160x120:r=10:d=3", 10, "-f lavfi -i sine=d=3 -c:a aac -shortest");
  const std::string v = d.Clip("v.mp4", "color=c=gray:s=96x64:r=25:d=2");
  auto a = ProbeVideo(av);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->width, 160);
  EXPECT_EQ(a->height, 120);
  EXPECT_DOUBLE_EQ(a->fps, 10.0);
  EXPECT_NEAR(a->duration, 3.0, 0.01);
  EXPECT_EQ(a->frames, 30);
  EXPECT_EQ(a->codec, "h264");
  EXPECT_TRUE(a->has_audio);
  auto b = ProbeVideo(v);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->width, 96);
  EXPECT_EQ(b->height, 64);
  EXPECT_DOUBLE_EQ(b->fps, 25.0);
  EXPECT_FALSE(b->has_audio);
}

TEST(VideoIo, BadFilesAreClearErrorsNotCrashes) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string good = d.Clip("good.mp4", "testsrc=s=160x120:r=10:d=3");
  const std::string empty = d.WriteBytes("empty.mp4", "");
  const std::string junk = d.WriteBytes("junk.mp4", std::string(4096, '\x5a') + "not a video at all");
  const std::string audio = d.Ffmpeg("audio.m4a", "-f lavfi -i sine=d=1 -c:a aac");
  const std::string cut = d.Truncated("cut.mp4", good, 0.5);  // moov atom at the end: lost

  auto missing = ProbeVideo(d.Path("missing.mp4"));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto e = ProbeVideo(empty);
  EXPECT_EQ(e.status().code(), StatusCode::kDataError);
  EXPECT_NE(e.status().message().find("empty"), std::string::npos) << e.status().message();
  EXPECT_EQ(ProbeVideo(junk).status().code(), StatusCode::kDataError);
  auto a = ProbeVideo(audio);
  EXPECT_EQ(a.status().code(), StatusCode::kDataError);
  EXPECT_NE(a.status().message().find("no video stream"), std::string::npos) << a.status().message();
  EXPECT_EQ(ProbeVideo(cut).status().code(), StatusCode::kDataError);
  for (const std::string& p : {empty, junk, audio, cut}) {
    EXPECT_FALSE(SampleVideoFrames(p, FrameSampling{"all_keyframes", 3}).ok()) << p;
    EXPECT_FALSE(SampleVideoFrames(p, FrameSampling{"uniform", 3}).ok()) << p;
    EXPECT_FALSE(ForEachVideoPacket(p, [](const uint8_t*, size_t) {}).ok()) << p;
  }
}

TEST(VideoIo, TruncatedDataDecodesTheFramesBeforeTheCut) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string good = d.Clip("fast.mp4", "testsrc=s=160x120:r=10:d=4", 10, "-movflags +faststart");
  const std::string cut = d.Truncated("cut.mp4", good, 0.6);  // header intact, media data cut
  auto dec = VideoDecoder::Open(cut);
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  int n = 0;
  while (true) {
    auto more = (*dec)->Next();
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    ASSERT_TRUE((*dec)->Bgr().ok());
    ++n;
  }
  EXPECT_GT(n, 0);
  EXPECT_LT(n, 40);
}

TEST(VideoIo, KeyFramesAndSeeking) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string v = d.Clip("k.mp4", "testsrc=s=160x120:r=10:d=3", 10);  // key frames at 0, 1, 2 s
  auto k = SampleVideoFrames(v, FrameSampling{"all_keyframes", 3});
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  ASSERT_EQ(k->bgr.size(), 3u);
  EXPECT_NEAR(k->seconds[0], 0.0, 1e-6);
  EXPECT_NEAR(k->seconds[1], 1.0, 1e-6);
  EXPECT_NEAR(k->seconds[2], 2.0, 1e-6);
  EXPECT_EQ(k->bgr[0].cols, 160);
  EXPECT_EQ(k->bgr[0].rows, 120);
  EXPECT_EQ(k->bgr[0].type(), CV_8UC3);

  auto dec = VideoDecoder::Open(v);
  ASSERT_TRUE(dec.ok());
  ASSERT_TRUE((*dec)->Seek(2.5).ok());
  auto more = (*dec)->Next();
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_NEAR((*dec)->seconds(), 2.0, 1e-6);  // the key frame before 2.5 s
  EXPECT_TRUE((*dec)->key_frame());
}

TEST(VideoIo, UniformSamplingFollowsDataJuicer) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string v = d.Clip("u.mp4", "testsrc=s=160x120:r=10:d=3", 10);  // frames at 0.0 .. 2.9 s
  auto three = SampleVideoFrames(v, FrameSampling{"uniform", 3});
  ASSERT_TRUE(three.ok()) << three.status().ToString();
  ASSERT_EQ(three->seconds.size(), 3u);  // 0, 1.5 and (3.0 is past the end) the last frame
  EXPECT_NEAR(three->seconds[0], 0.0, 1e-6);
  EXPECT_NEAR(three->seconds[1], 1.5, 1e-6);
  EXPECT_NEAR(three->seconds[2], 2.9, 1e-6);
  auto one = SampleVideoFrames(v, FrameSampling{"uniform", 1});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->seconds.size(), 1u);
  EXPECT_NEAR(one->seconds[0], 1.5, 1e-6);  // the middle
  // clamped to the 30 frames: targets 3.0 * i / 29 s; each frame serves one target, the next target is
  // looked for from the following frame on, and the one past the end gets the last frame again
  auto many = SampleVideoFrames(v, FrameSampling{"uniform", 100});
  ASSERT_TRUE(many.ok());
  ASSERT_EQ(many->seconds.size(), 30u);
  EXPECT_NEAR(many->seconds[1], 0.2, 1e-6);
  EXPECT_NEAR(many->seconds[28], 2.9, 1e-6);
  EXPECT_NEAR(many->seconds[29], 2.9, 1e-6);
  EXPECT_FALSE(ValidateFrameSampling(FrameSampling{"every_frame", 3}).ok());
}

TEST(VideoIo, WorkerCacheProbesAndSamplesOnce) {
  JUICER_REQUIRE_FFMPEG();
  VideoDir d;
  const std::string v = d.Clip("c.mp4", "testsrc=s=160x120:r=10:d=2", 10);
  VideoCache cache;
  ASSERT_TRUE(cache.Info(v).ok());
  ASSERT_TRUE(cache.Info(v).ok());
  EXPECT_EQ(cache.probes(), 1u);
  auto f1 = cache.Frames(v, FrameSampling{"uniform", 3});
  auto f2 = cache.Frames(v, FrameSampling{"uniform", 3});
  ASSERT_TRUE(f1.ok() && f2.ok());
  EXPECT_EQ(f1->get(), f2->get());
  EXPECT_EQ(cache.samplings(), 1u);
  ASSERT_TRUE(cache.Frames(v, FrameSampling{"all_keyframes", 3}).ok());
  EXPECT_EQ(cache.samplings(), 2u);
  const std::string bad = d.WriteBytes("bad.mp4", "garbage");
  EXPECT_FALSE(cache.Info(bad).ok());
  EXPECT_FALSE(cache.Info(bad).ok());
  EXPECT_EQ(cache.probes(), 2u);  // the error is cached too
}

TEST(VideoIo, ResizedDimensionsAsDataJuicer) {
  // (height, width) = (360, 640)
  EXPECT_EQ(ResizedDimensions(360, 640, {}, std::nullopt, 1), std::make_pair(360, 640));
  EXPECT_EQ(ResizedDimensions(360, 640, {120}, std::nullopt, 1), std::make_pair(120, 213));
  EXPECT_EQ(ResizedDimensions(360, 640, {120}, 160, 1), std::make_pair(90, 160));
  EXPECT_EQ(ResizedDimensions(640, 360, {120}, std::nullopt, 1), std::make_pair(213, 120));
  EXPECT_EQ(ResizedDimensions(360, 640, {160, 120}, std::nullopt, 1), std::make_pair(120, 160));
  EXPECT_EQ(ResizedDimensions(360, 640, {120}, std::nullopt, 8), std::make_pair(120, 208));
}

}  // namespace
}  // namespace juicer::media
