#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "media/image_io.h"
#include "ops/image/image_test_util.h"

namespace juicer {
namespace {

using testing::ImageDir;
using testing::ImageSample;
using testing::MustBuild;
using testing::RunFilter;
using testing::StatList;

const std::string kConfMedia = testing::ConformanceMediaDir();

TEST(ImageShapeFilter, HeaderSizesAndAnyOrAll) {
  ImageDir d;
  const std::string wide = d.Solid("wide.png", 300, 100), square = d.Solid("sq.jpg", 120, 120);
  std::vector<Sample> samples = {ImageSample({wide}), ImageSample({square}), ImageSample({wide, square}),
                                 ImageSample({})};
  auto op = MustBuild("image_shape_filter", {{"max_width", int64_t{200}}});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(StatList(samples[2], "image_width"), (std::vector<double>{300, 120}));
  EXPECT_EQ(StatList(samples[2], "image_height"), (std::vector<double>{100, 120}));
  EXPECT_TRUE(StatList(samples[3], "image_width").empty());

  auto all = MustBuild("image_shape_filter", {{"max_width", int64_t{200}}, {"any_or_all", std::string("all")}});
  std::vector<Sample> again = {ImageSample({wide, square}), ImageSample({square, square})};
  kept = RunFilter(*all, again);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1}));
  EXPECT_FALSE(testing::BuildStatus("image_shape_filter", {{"any_or_all", std::string("some")}}).ok());
}

TEST(ImageShapeFilter, RelativeCjkEmojiPathsResolveAgainstTheDatasetDir) {
  ImageDir d;
  const std::string p = d.Solid("猫 😊.png", 30, 20);
  const std::filesystem::path dir = std::filesystem::path(p).parent_path();
  std::vector<Sample> samples = {ImageSample({"猫 😊.png"}), ImageSample({"nope.png"})};
  for (auto& s : samples) s.origin = SampleOrigin{(dir / "data.jsonl").string(), 1};
  auto op = MustBuild("image_shape_filter");
  WorkerContext ctx;
  const auto& f = dynamic_cast<const Filter&>(*op);
  ASSERT_TRUE(f.ComputeStats(samples[0], ctx).ok());
  EXPECT_EQ(StatList(samples[0], "image_width"), (std::vector<double>{30}));
  Status st = f.ComputeStats(samples[1], ctx);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("nope.png"), std::string::npos);
  // A non-list image field is a clear data error.
  auto bad = testing::ParseJsonLines({R"({"text":"x","images":"a.png"})"});
  ASSERT_TRUE(bad.ok());
  st = f.ComputeStats((*bad)[0], ctx);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("images"), std::string::npos);
}

TEST(ImageAspectRatioFilter, WidthOverHeight) {
  ImageDir d;
  std::vector<Sample> samples = {ImageSample({d.Solid("a.png", 400, 100)}), ImageSample({d.Solid("b.bmp", 100, 100)}),
                                 ImageSample({d.Solid("c.webp", 100, 400)})};
  auto op = MustBuild("image_aspect_ratio_filter");  // [0.333, 3.0]
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1}));
  EXPECT_EQ(StatList(samples[0], "aspect_ratios"), (std::vector<double>{4.0}));
  EXPECT_EQ(StatList(samples[2], "aspect_ratios"), (std::vector<double>{0.25}));
}

TEST(ImageSizeFilter, FileBytesAndSizeStrings) {
  ImageDir d;
  const std::string small = d.WriteBytes("small.png", std::string(1000, 'x'));  // never decoded
  const std::string big = d.WriteBytes("big.png", std::string(200000, 'x'));
  std::vector<Sample> samples = {ImageSample({small}), ImageSample({big}), ImageSample({small, big})};
  auto op = MustBuild("image_size_filter", {{"min_size", std::string("120kb")}, {"max_size", std::string("1MiB")}});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(StatList(samples[2], "image_sizes"), (std::vector<double>{1000, 200000}));
  EXPECT_FALSE(testing::BuildStatus("image_size_filter", {{"min_size", std::string("12 parsecs")}}).ok());
}

TEST(ImagePixelFilters, SharpnessColorfulnessEntropy) {
  ImageDir d;
  cv::Mat grey(64, 64, CV_8UC3, cv::Scalar(128, 128, 128));
  cv::Mat red(64, 64, CV_8UC3, cv::Scalar(0, 0, 255));
  cv::Mat halves(64, 64, CV_8UC3, cv::Scalar(0, 0, 0));
  halves(cv::Rect(0, 0, 32, 64)).setTo(cv::Scalar(255, 255, 255));
  cv::Mat checker(64, 64, CV_8UC3);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) checker.at<cv::Vec3b>(y, x) = ((x + y) % 2) ? cv::Vec3b(255, 255, 255) : cv::Vec3b(0, 0, 0);
  std::vector<Sample> samples = {ImageSample({d.Write("grey.png", grey)}), ImageSample({d.Write("red.png", red)}),
                                 ImageSample({d.Write("halves.png", halves)}),
                                 ImageSample({d.Write("checker.png", checker)})};
  WorkerContext ctx;
  for (const char* name : {"image_sharpness_filter", "image_colorfulness_filter", "image_entropy_filter"}) {
    auto op = MustBuild(name);
    for (auto& s : samples) ASSERT_TRUE(dynamic_cast<const Filter&>(*op).ComputeStats(s, ctx).ok());
  }
  EXPECT_DOUBLE_EQ(StatList(samples[0], "image_sharpness")[0], 0.0);
  EXPECT_GT(StatList(samples[3], "image_sharpness")[0], 1e5);
  EXPECT_DOUBLE_EQ(StatList(samples[0], "image_colorfulness")[0], 0.0);
  EXPECT_NEAR(StatList(samples[1], "image_colorfulness")[0], 0.3 * std::hypot(255.0, 127.5), 1e-9);
  EXPECT_DOUBLE_EQ(StatList(samples[0], "image_entropy")[0], 0.0);
  EXPECT_DOUBLE_EQ(StatList(samples[2], "image_entropy")[0], 1.0);
  // Three pixel ops over the same four files decoded each file once.
  EXPECT_EQ(media::WorkerImageCache(ctx).decodes(), 4u);
  EXPECT_EQ(media::WorkerImageCache(ctx).hits(), 8u);

  auto sharp = MustBuild("image_sharpness_filter", {{"min_sharpness", 100.0}});
  auto kept = RunFilter(*sharp, samples);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, (std::vector<uint64_t>{2, 3}));
}

TEST(ImageBrisqueFilter, ScoresNaturalImages) {
  if (!std::filesystem::exists(std::string(kConfMedia) + "/lena.jpg")) GTEST_SKIP() << "conformance media absent";
  auto op = MustBuild("image_brisque_filter");
  if (op == nullptr) GTEST_SKIP() << "BRISQUE model files absent (Debian opencv-data)";
  ImageDir d;
  cv::Mat lena = cv::imread(std::string(kConfMedia) + "/lena.jpg"), blurred;
  cv::GaussianBlur(lena, blurred, {15, 15}, 5);
  std::vector<Sample> samples = {ImageSample({std::string(kConfMedia) + "/lena.jpg"}),
                                 ImageSample({d.Write("blurred.png", blurred)})};
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  const double sharp = StatList(samples[0], "image_brisque")[0], blur = StatList(samples[1], "image_brisque")[0];
  EXPECT_GE(sharp, 0.0);
  EXPECT_LT(sharp, 30.0);
  EXPECT_GT(blur, sharp + 30.0);  // lower is better
}

TEST(ImageFilters, BadImagesAreSampleErrorsNamingTheFile) {
  ImageDir d;
  cv::Mat m(50, 80, CV_8UC3, cv::Scalar(1, 2, 3));
  const std::string jpg = d.Write("ok.jpg", m);
  std::string bytes;
  {
    std::ifstream in(jpg, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string huge("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x4e\x20\0\0\x4e\x20\x08\x02\0\0\0", 29);
  const std::vector<std::string> bad = {d.WriteBytes("trunc.jpg", bytes.substr(0, bytes.size() / 2)),
                                        d.WriteBytes("zero.png", ""), d.WriteBytes("text.png", "hello\n"),
                                        d.WriteBytes("huge.png", huge + std::string(64, '\0')),
                                        "/nonexistent/juicer/img.png"};
  for (const char* name : {"image_sharpness_filter", "image_face_count_filter", "image_shape_filter"}) {
    auto op = MustBuild(name);
    if (op == nullptr) continue;
    for (const std::string& path : bad) {
      SCOPED_TRACE(std::string(name) + " " + path);
      if (std::string(name) == "image_shape_filter" && path.find("huge") != std::string::npos) continue;  // header ok
      if (std::string(name) == "image_shape_filter" && path.find("trunc") != std::string::npos) continue;
      std::vector<Sample> samples = {ImageSample({path})};
      samples[0].origin = SampleOrigin{"data.jsonl", 7};
      auto kept = RunFilter(*op, samples);
      ASSERT_FALSE(kept.ok());
      EXPECT_TRUE(kept.status().IsUserError());
      EXPECT_NE(kept.status().message().find("data.jsonl:7"), std::string::npos) << kept.status().message();
      EXPECT_NE(kept.status().message().find(path), std::string::npos) << kept.status().message();
    }
  }
}

TEST(ImageFaceFilters, HaarOnDataJuicerMedia) {
  if (!std::filesystem::exists(std::string(kConfMedia) + "/lena.jpg")) GTEST_SKIP() << "conformance media absent";
  auto count = MustBuild("image_face_count_filter", {{"max_face_count", int64_t{5}}});
  if (count == nullptr) GTEST_SKIP() << "Haar cascade absent (Debian opencv-data)";
  const std::string m = kConfMedia;
  std::vector<Sample> samples = {ImageSample({m + "/cat.jpg"}), ImageSample({m + "/lena.jpg"}),
                                 ImageSample({m + "/img8.jpg"}), ImageSample({})};
  auto kept = RunFilter(*count, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2, 3}));  // DJ: lena and img8 have faces, the cat none
  EXPECT_EQ(StatList(samples[0], "face_counts"), (std::vector<double>{0}));

  auto ratio = MustBuild("image_face_ratio_filter");
  std::vector<Sample> r = {ImageSample({m + "/cat.jpg"}), ImageSample({m + "/lena.jpg"}),
                           ImageSample({m + "/lena-face.jpg"})};
  kept = RunFilter(*ratio, r);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 1}));
  EXPECT_GT(StatList(r[2], "face_ratios")[0], 0.4);
}

TEST(ImageFaceFilters, YunetNeedsItsModel) {
  Status st = testing::BuildStatus("image_face_ratio_filter",
                                   {{"detector", std::string("yunet")}, {"model_path", std::string("/nonexistent.onnx")}});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("model_path"), std::string::npos) << st.message();
  if (!std::filesystem::exists(std::string(kConfMedia) + "/lena.jpg")) GTEST_SKIP() << "conformance media absent";
  auto op = testing::BuildStatus("image_face_count_filter", {{"detector", std::string("yunet")}});
  if (!op.ok()) GTEST_SKIP() << "YuNet model absent: " << op.message();
  auto count = MustBuild("image_face_count_filter", {{"detector", std::string("yunet")}});
  std::vector<Sample> samples = {ImageSample({std::string(kConfMedia) + "/lena.jpg"}),
                                 ImageSample({std::string(kConfMedia) + "/cat.jpg"})};
  auto kept = RunFilter(*count, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0}));
}

}  // namespace
}  // namespace juicer
