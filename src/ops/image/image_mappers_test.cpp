#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "core/recipe.h"
#include "media/image_io.h"
#include "ops/builtin.h"
#include "ops/image/face_detect.h"
#include "ops/image/image_test_util.h"
#include "ops/image/pil_blur.h"

namespace juicer {
namespace {

namespace fs = std::filesystem;
using image_ops::BlurType;
using image_ops::PilBlur;
using testing::ImageDir;
using testing::ImageSample;
using testing::MustBuild;
using testing::RunMapper;

const std::string kConfMedia = testing::ConformanceMediaDir();

// FNV-1a 64 of the pixels as RGB bytes, row-major (what the reference script hashed from PIL arrays).
uint64_t RgbHash(const cv::Mat& bgr) {
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  uint64_t h = 0xcbf29ce484222325ULL;
  for (int y = 0; y < rgb.rows; ++y) {
    const uchar* p = rgb.ptr<uchar>(y);
    for (int i = 0; i < rgb.cols * 3; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  }
  return h;
}

// The synthetic image of the reference script: 37x23, value (x*37 + y*91 + c*53 + ((x*y) % 17)*13) & 255
// in RGB channel c.
cv::Mat Synthetic() {
  cv::Mat m(23, 37, CV_8UC3);
  for (int y = 0; y < 23; ++y)
    for (int x = 0; x < 37; ++x)
      for (int c = 0; c < 3; ++c) m.at<cv::Vec3b>(y, x)[2 - c] = static_cast<uchar>((x * 37 + y * 91 + c * 53 + ((x * y) % 17) * 13) & 255);
  return m;
}

// Reference values: Pillow 9.4 (Image.filter with ImageFilter.BLUR / BoxBlur / GaussianBlur) on the
// same pixels, hashed as above.
TEST(PilBlur, BitIdenticalToPillowOnSyntheticImage) {
  const cv::Mat m = Synthetic();
  ASSERT_EQ(RgbHash(m), 0x4bdb9b1e3cc2041aULL);
  EXPECT_EQ(RgbHash(PilBlur(m, BlurType::kMean, 2)), 0x18d1014060919948ULL);
  EXPECT_EQ(RgbHash(PilBlur(m, BlurType::kBox, 2)), 0x798ca559393f5586ULL);
  EXPECT_EQ(RgbHash(PilBlur(m, BlurType::kBox, 0.5f)), 0xb21e363f872de051ULL);
  EXPECT_EQ(RgbHash(PilBlur(m, BlurType::kGaussian, 2)), 0xa705c966caeddc8cULL);
  EXPECT_EQ(RgbHash(PilBlur(m, BlurType::kGaussian, 5)), 0xeb8ffe3da727ba64ULL);
  EXPECT_EQ(RgbHash(PilBlur(m, BlurType::kGaussian, 30)), 0x401cabf48c7d603fULL);  // radius > width
  EXPECT_EQ(RgbHash(PilBlur(m, BlurType::kGaussian, 0)), RgbHash(m));
  const cv::Mat tiny(3, 4, CV_8UC3, cv::Scalar(1, 2, 3));
  EXPECT_EQ(RgbHash(PilBlur(tiny, BlurType::kMean, 2)), RgbHash(tiny));  // under 5x5: unchanged
  EXPECT_FALSE(image_ops::ParseBlurType("median").ok());
}

// Data-Juicer's test images: decoded by OpenCV exactly as PIL decodes them, blurred identically.
TEST(PilBlur, BitIdenticalToPillowOnDataJuicerMedia) {
  if (!fs::is_directory(kConfMedia)) GTEST_SKIP() << kConfMedia << " not present";
  struct Ref {
    const char* file;
    uint64_t decoded, mean, box2, gauss2;
  };
  const Ref refs[] = {
      {"img1.png", 0x27d9fb820d25699fULL, 0x5e268c882f5ad6c0ULL, 0x4aefe199af5b3394ULL, 0xb5fa34e6e3722492ULL},
      {"img2.jpg", 0xf525e98c5e3c6b22ULL, 0x9334a4dbcf468be6ULL, 0x0e500292f3114748ULL, 0xc3dbe84527b0ead5ULL},
      {"img3.jpg", 0x4574ee06294b1463ULL, 0xcc7cb29039a3475cULL, 0x23615d6944ca0f9cULL, 0x76368a0a3f504050ULL},
      {"lena-face.jpg", 0x718bfd72d249b483ULL, 0x319146cfeb8acfd3ULL, 0x5a955411e2bc390dULL, 0xf5cfd2abcdc4debdULL},
  };
  for (const Ref& r : refs) {
    SCOPED_TRACE(r.file);
    auto m = media::DecodeImageFile(std::string(kConfMedia) + "/" + r.file);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(RgbHash(*m), r.decoded);
    EXPECT_EQ(RgbHash(PilBlur(*m, BlurType::kMean, 2)), r.mean);
    EXPECT_EQ(RgbHash(PilBlur(*m, BlurType::kBox, 2)), r.box2);
    EXPECT_EQ(RgbHash(PilBlur(*m, BlurType::kGaussian, 2)), r.gauss2);
  }
}

std::vector<std::string> Paths(const Sample& s, std::string_view key = "images") {
  auto l = s.GetStringList(key);
  EXPECT_TRUE(l.ok()) << l.status().ToString();
  return l.ok() ? **l : std::vector<std::string>{};
}

size_t FilesUnder(const fs::path& dir) {
  size_t n = 0;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) ++n;
  return n;
}

TEST(ImageBlurMapper, WritesBlurredCopiesUnderWorkDirAndUpdatesPaths) {
  ImageDir in, work;
  const cv::Mat pic = Synthetic();
  const std::string png = in.Write("pic.png", pic);
  const std::string work_dir = fs::path(work.Write("x.png", pic)).parent_path().string();
  auto op = MustBuild("image_blur_mapper",
                      {{"p", 1.0}, {"blur_type", std::string("box")}, {"radius", 2.0}, {"work_dir", work_dir}});
  std::vector<Sample> in_samples = {ImageSample({png, png}, "<__dj__image> a <__dj__image> b <|__dj__eoc|>"),
                                    ImageSample({})};
  auto out = RunMapper(*op, in_samples);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 2u);
  const std::vector<std::string> p = Paths((*out)[0]);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], p[1]);  // one distinct image, one file
  EXPECT_EQ(fs::path(p[0]).parent_path(), fs::path(work_dir) / "__dj__produced_data__" / "image_blur_mapper");
  EXPECT_EQ(fs::path(p[0]).extension(), ".png");
  EXPECT_NE(fs::path(p[0]).filename().string().find("pic__dj_hash_#"), std::string::npos);
  auto blurred = media::DecodeImageFile(p[0]);
  ASSERT_TRUE(blurred.ok()) << blurred.status().ToString();
  EXPECT_EQ(RgbHash(*blurred), 0x798ca559393f5586ULL);  // Pillow's BoxBlur(2), PNG is lossless
  EXPECT_EQ(*(*out)[0].GetText("text"), "<__dj__image> a <__dj__image> b <|__dj__eoc|>");
  EXPECT_EQ(Paths((*out)[0], "__dj__source_file__"), (std::vector<std::string>{png, png}));
  EXPECT_TRUE(Paths((*out)[1]).empty());
  EXPECT_EQ(FilesUnder(fs::path(png).parent_path()), 1u);  // the input dir is never written to

  // a second run (another op instance) gives the same path: names are reproducible
  auto again = RunMapper(*MustBuild("image_blur_mapper", {{"p", 1.0}, {"blur_type", std::string("box")},
                                                          {"radius", 2.0}, {"work_dir", work_dir}}),
                         {ImageSample({png})});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Paths((*again)[0])[0], p[0]);
  // a blurred file blurred again gets a new hash, not a second suffix
  auto twice = RunMapper(*op, {ImageSample({p[0]})});
  ASSERT_TRUE(twice.ok());
  const std::string name2 = fs::path(Paths((*twice)[0])[0]).filename().string();
  EXPECT_EQ(name2.find("__dj_hash_#"), name2.rfind("__dj_hash_#")) << name2;
}

TEST(ImageBlurMapper, SeededDrawsAreReproducibleAndFollowP) {
  ImageDir in, work;
  const std::string png = in.Solid("s.png", 16, 12);
  const std::string work_dir = fs::path(work.Solid("w.png", 4, 4)).parent_path().string();
  auto run = [&](int64_t seed) {
    auto op = MustBuild("image_blur_mapper", {{"p", 0.3}, {"seed", seed}, {"work_dir", work_dir}});
    std::vector<Sample> samples;
    for (int i = 0; i < 400; ++i) {
      samples.push_back(ImageSample({png}));
      samples.back().index = static_cast<uint64_t>(i);
    }
    auto out = RunMapper(*op, samples);
    EXPECT_TRUE(out.ok());
    std::vector<bool> blurred;
    for (const Sample& s : *out) blurred.push_back(Paths(s)[0] != png);
    return blurred;
  };
  const std::vector<bool> a = run(7), b = run(7), c = run(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  const auto n = std::count(a.begin(), a.end(), true);
  EXPECT_GT(n, 80);   // 400 * 0.3 = 120, sd ~9
  EXPECT_LT(n, 160);
  // p = 0: nothing written, paths kept
  auto none = RunMapper(*MustBuild("image_blur_mapper", {{"p", 0.0}, {"work_dir", work_dir + "/none"}}),
                        {ImageSample({png})});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(Paths((*none)[0])[0], png);
  EXPECT_FALSE(fs::exists(work_dir + "/none"));
}

TEST(ImageMappers, RecipeGivesWorkDirAndSeed) {
  auto r = LoadRecipeString(
      "dataset_path: in.jsonl\nexport_path: out/res.jsonl\nseed: 1234\nprocess:\n  - image_blur_mapper:\n"
      "      p: 0.5\n  - image_resize_mapper:\n      max_side: 64\n      work_dir: elsewhere\n",
      "<inline>", {}, BuiltinRegistry());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto ops = BuildRecipeOps(*r);
  ASSERT_TRUE(ops.ok()) << ops.status().ToString();
  EXPECT_EQ((*ops)[0]->params().GetString("work_dir"), "out");
  EXPECT_EQ((*ops)[0]->params().GetInt("seed"), 1234);
  EXPECT_EQ((*ops)[1]->params().GetString("work_dir"), "elsewhere");
}

TEST(ImageMappers, BadImagesAreSampleErrorsNamingFieldAndFile) {
  ImageDir d;
  const std::string work_dir = fs::path(d.Solid("ok.png", 8, 8)).parent_path().string() + "/work";
  const std::string good = d.Solid("good.png", 64, 64);
  const std::string empty = d.WriteBytes("empty.jpg", "");
  const std::string text = d.WriteBytes("text.png", "this is not an image\n");
  cv::Mat pic(40, 40, CV_8UC3, cv::Scalar(10, 200, 30));
  std::vector<uchar> jpg;
  cv::imencode(".jpg", pic, jpg);
  const std::string truncated = d.WriteBytes("trunc.jpg", std::string(jpg.begin(), jpg.begin() + jpg.size() / 2));
  const std::string missing = (fs::path(good).parent_path() / "missing.png").string();
  const std::vector<std::pair<std::string, GivenParams>> ops = {
      {"image_blur_mapper", {{"p", 1.0}, {"work_dir", work_dir}}},
      {"image_resize_mapper", {{"max_side", int64_t{16}}, {"work_dir", work_dir}}},
      {"image_face_blur_mapper", {{"work_dir", work_dir}}},
  };
  for (const auto& [name, params] : ops) {
    auto op = MustBuild(name, params);
    ASSERT_NE(op, nullptr);
    const auto& mapper = dynamic_cast<const Mapper&>(*op);
    for (const std::string& bad : {empty, text, truncated, missing}) {
      SCOPED_TRACE(name + " " + bad);
      Sample s = ImageSample({good, bad});
      s.origin = SampleOrigin{"data.jsonl", 3};
      std::vector<Sample> out;
      WorkerContext ctx;
      const Status st = mapper.Map(s, &out, ctx);
      ASSERT_FALSE(st.ok());
      // a per-sample error (missing files are NotFound, as for the image filters)
      EXPECT_EQ(st.code(), bad == missing ? StatusCode::kNotFound : StatusCode::kDataError) << st.ToString();
      EXPECT_NE(st.message().find("data.jsonl:3"), std::string::npos) << st.ToString();
      EXPECT_NE(st.message().find("'images'"), std::string::npos) << st.ToString();
      EXPECT_NE(st.message().find(fs::path(bad).filename().string()), std::string::npos) << st.ToString();
      EXPECT_TRUE(out.empty());
      EXPECT_EQ(Paths(s), (std::vector<std::string>{good, bad}));  // left unchanged
      EXPECT_FALSE(s.Has("__dj__source_file__"));
    }
  }
}

TEST(ImageResizeMapper, LongerAndShorterSideBounds) {
  ImageDir d;
  const std::string work_dir = fs::path(d.Solid("ok.png", 8, 8)).parent_path().string() + "/work";
  const std::string wide = d.Solid("wide.png", 300, 100), small = d.Solid("small.jpg", 40, 20),
                    fine = d.Solid("fine.png", 100, 80), thin = d.Solid("thin.png", 1000, 10);
  auto op = MustBuild("image_resize_mapper",
                      {{"max_side", int64_t{150}}, {"min_side", int64_t{60}}, {"work_dir", work_dir}});
  auto out = RunMapper(*op, {ImageSample({wide, small, fine, thin})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::vector<std::string> p = Paths((*out)[0]);
  ASSERT_EQ(p.size(), 4u);
  auto size_of = [](const std::string& f) {
    auto h = media::ReadImageHeader(f);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return h.ok() ? std::pair<int64_t, int64_t>{h->width, h->height} : std::pair<int64_t, int64_t>{0, 0};
  };
  EXPECT_EQ(size_of(p[0]), (std::pair<int64_t, int64_t>{150, 50}));   // downscaled to max_side
  EXPECT_EQ(size_of(p[1]), (std::pair<int64_t, int64_t>{120, 60}));   // upscaled to min_side
  EXPECT_EQ(p[2], fine);                                              // within bounds: untouched
  EXPECT_EQ(size_of(p[3]), (std::pair<int64_t, int64_t>{150, 2}));    // max_side wins
  EXPECT_EQ(fs::path(p[1]).extension(), ".jpg");
  EXPECT_EQ(FilesUnder(fs::path(work_dir) / "__dj__produced_data__" / "image_resize_mapper"), 3u);
  auto noop = RunMapper(*MustBuild("image_resize_mapper", {{"work_dir", work_dir}}), {ImageSample({wide, small})});
  ASSERT_TRUE(noop.ok());
  EXPECT_EQ(Paths((*noop)[0]), (std::vector<std::string>{wide, small}));  // no bounds: unchanged
  EXPECT_FALSE(testing::BuildStatus("image_resize_mapper", {{"max_side", int64_t{10}}, {"min_side", int64_t{20}}}).ok());
  EXPECT_FALSE(testing::BuildStatus("image_resize_mapper", {{"max_side", int64_t{0}}}).ok());
}

TEST(ImageFaceBlurMapper, BlursOnlyTheDetectedFaces) {
  if (!fs::is_directory(kConfMedia)) GTEST_SKIP() << kConfMedia << " not present";
  if (!fs::exists("/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt.xml"))
    GTEST_SKIP() << "opencv-data (Haar cascades) not installed";
  ImageDir d;
  const std::string work_dir = fs::path(d.Solid("ok.png", 8, 8)).parent_path().string() + "/work";
  const std::string face = std::string(kConfMedia) + "/lena-face.jpg", cat = std::string(kConfMedia) + "/cat.jpg";
  for (const char* type : {"gaussian", "box", "mean"}) {
    SCOPED_TRACE(type);
    auto op = MustBuild("image_face_blur_mapper",
                        {{"blur_type", std::string(type)}, {"radius", 5.0}, {"work_dir", work_dir}});
    auto out = RunMapper(*op, {ImageSample({face, cat})});
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const std::vector<std::string> p = Paths((*out)[0]);
    EXPECT_EQ(p[1], cat);  // no face: unchanged
    ASSERT_NE(p[0], face);
    // expected: the detector's boxes blurred one by one (as PIL crop/filter/paste), then JPEG-coded
    auto src = media::DecodeImageFile(face);
    ASSERT_TRUE(src.ok());
    auto cfg = image_ops::MakeConfig(op->params(), "test");
    ASSERT_TRUE(cfg.ok());
    image_ops::DetectorState st;
    auto faces = image_ops::DetectFaces(**cfg, st, *src);
    ASSERT_TRUE(faces.ok());
    ASSERT_EQ(faces->size(), 1u);
    cv::Mat expect = src->clone();
    auto bt = image_ops::ParseBlurType(type);
    PilBlur((*src)((*faces)[0]).clone(), *bt, 5).copyTo(expect((*faces)[0]));
    auto got = media::DecodeImageFile(p[0]);
    ASSERT_TRUE(got.ok());
    cv::Mat diff;
    cv::absdiff(*got, expect, diff);
    EXPECT_LT(cv::mean(diff)[0], 3.0);  // JPEG quality 75
    // outside the face box the image keeps its pixels (up to JPEG coding)
    cv::Mat orig_diff;
    cv::absdiff(*got, *src, orig_diff);
    cv::Mat outside = orig_diff.clone();
    outside((*faces)[0]).setTo(cv::Scalar::all(0));
    cv::Mat inside = orig_diff((*faces)[0]);
    EXPECT_GT(cv::mean(inside)[0], 2 * cv::mean(outside)[0] + 0.5);
  }
}

}  // namespace
}  // namespace juicer
