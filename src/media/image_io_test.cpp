#include "media/image_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace juicer::media {
namespace {

namespace fs = std::filesystem;

class ImageIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("juicer_image_io_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  std::string Image(const std::string& name, int w, int h) {
    cv::Mat m(h, w, CV_8UC3, cv::Scalar(10, 200, 30));
    cv::circle(m, {w / 2, h / 2}, std::min(w, h) / 3, cv::Scalar(255, 255, 255), -1);
    const std::string p = (dir_ / name).string();
    EXPECT_TRUE(cv::imwrite(p, m));
    return p;
  }
  fs::path dir_;
};

TEST_F(ImageIoTest, HeaderSizesOfEveryFormat) {
  for (const char* ext : {".png", ".jpg", ".bmp", ".webp"}) {
    SCOPED_TRACE(ext);
    const std::string p = Image(std::string("a") + ext, 123, 45);
    auto h = ReadImageHeader(p);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    EXPECT_EQ(h->width, 123);
    EXPECT_EQ(h->height, 45);
    auto m = DecodeImageFile(p);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(m->cols, 123);
    EXPECT_EQ(m->rows, 45);
    EXPECT_EQ(m->type(), CV_8UC3);
  }
  // Lossless WebP (VP8L) and a hand-made GIF header.
  cv::Mat m(7, 300, CV_8UC3, cv::Scalar(1, 2, 3));
  const std::string lossless = (dir_ / "l.webp").string();
  ASSERT_TRUE(cv::imwrite(lossless, m, {cv::IMWRITE_WEBP_QUALITY, 101}));
  auto h = ReadImageHeader(lossless);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->width, 300);
  EXPECT_EQ(h->height, 7);
  const std::string gif = Write("g.gif", std::string("GIF89a\x40\x01\xf0\x00\x00\x00\x00", 13));
  h = ReadImageHeader(gif);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format, ImageFormat::kGif);
  EXPECT_EQ(h->width, 320);
  EXPECT_EQ(h->height, 240);
  auto d = DecodeImageFile(gif);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("GIF cannot be decoded"), std::string::npos);
}

TEST_F(ImageIoTest, JpegSizeAfterLargeMetadata) {
  const std::string p = Image("big.jpg", 64, 32);
  auto bytes = ReadFileBytes(p);
  ASSERT_TRUE(bytes.ok());
  // An APP1 segment of ~65 KB before the frame header: the size is found past the first 64 KiB.
  std::string app(2 + 2 + 65000, '\0');
  app[0] = '\xFF';
  app[1] = '\xE1';
  app[2] = static_cast<char>((65002 >> 8) & 0xFF);
  app[3] = static_cast<char>(65002 & 0xFF);
  const std::string padded = Write("padded.jpg", bytes->substr(0, 2) + app + bytes->substr(2));
  auto h = ReadImageHeader(padded);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->width, 64);
  EXPECT_EQ(h->height, 32);
}

TEST_F(ImageIoTest, BadImagesAreClearDataErrors) {
  const std::string good = Image("good.jpg", 200, 100);
  auto bytes = ReadFileBytes(good);
  ASSERT_TRUE(bytes.ok());
  struct Case {
    std::string path, expect;
  };
  std::string huge_png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
  huge_png += std::string("\0\0\x4e\x20\0\0\x4e\x20\x08\x02\0\0\0", 13);  // 20000 x 20000, RGB
  huge_png += std::string(100, 'x');
  const std::vector<Case> cases = {
      {Write("truncated.jpg", bytes->substr(0, bytes->size() / 2)), "truncated"},
      {Write("empty.png", ""), "empty file"},
      {Write("text.png", "this is not an image\n"), "unrecognised file signature"},
      {Write("huge.png", huge_png), "over the limit"},
      {Write("short.png", std::string("\x89PNG\r\n\x1a\n\0\0", 10)), "truncated"},
      {(dir_ / "missing.png").string(), "cannot open"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    auto m = DecodeImageFile(c.path);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), StatusCode::kDataError);
    EXPECT_NE(m.status().message().find(c.path), std::string::npos) << m.status().message();
    EXPECT_NE(m.status().message().find(c.expect), std::string::npos) << m.status().message();
  }
  // The huge PNG header is still a valid header: its size is readable without decoding.
  auto h = ReadImageHeader((dir_ / "huge.png").string());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->width, 20000);
  // A corrupt PNG body (valid header) fails decoding with a data error, no crash.
  auto png = ReadFileBytes(Image("ok.png", 50, 50));
  ASSERT_TRUE(png.ok());
  std::string broken = *png;
  for (size_t i = 40; i < broken.size(); ++i) broken[i] = static_cast<char>(i * 7);
  auto m = DecodeImageFile(Write("broken.png", broken));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kDataError);
}

TEST_F(ImageIoTest, PixelLimitIsConfigurable) {
  const std::string p = Image("a.png", 100, 100);
  EXPECT_TRUE(DecodeImageFile(p, 10000).ok());
  auto m = DecodeImageFile(p, 9999);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("over the limit"), std::string::npos);
}

TEST_F(ImageIoTest, CacheDecodesOnceAndNoticesRewrites) {
  const std::string p = Image("c.png", 40, 30);
  ImageCache cache;
  auto a = cache.Get(p);
  auto b = cache.Get(p);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(cache.decodes(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
  fs::remove(p);
  Image("c.png", 41, 30);  // rewritten: new size, decoded again
  auto c = cache.Get(p);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->cols, 41);
  EXPECT_EQ(cache.decodes(), 2u);
  // A tiny budget keeps nothing but still returns images.
  ImageCache small;
  small.set_budget_bytes(10);
  ASSERT_TRUE(small.Get(p).ok());
  ASSERT_TRUE(small.Get(p).ok());
  EXPECT_EQ(small.decodes(), 2u);
}

TEST(ImageHeader, ParsesFromBytes) {
  EXPECT_FALSE(ParseImageHeader("", true).ok());
  EXPECT_FALSE(ParseImageHeader("\xFF\xD8\xFF", true).ok());
  auto partial = ParseImageHeader(std::string("\xFF\xD8\xFF\xE0\x00\x10", 6), false);
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.status().code(), StatusCode::kUnavailable);  // read more
  // BMP with a negative (top-down) height.
  std::string bmp(26, '\0');
  bmp[0] = 'B';
  bmp[1] = 'M';
  bmp[14] = 40;
  bmp[18] = 10;
  bmp[22] = static_cast<char>(0xF6);  // -10
  bmp[23] = bmp[24] = bmp[25] = static_cast<char>(0xFF);
  auto h = ParseImageHeader(bmp, true);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->width, 10);
  EXPECT_EQ(h->height, 10);
}

}  // namespace
}  // namespace juicer::media
