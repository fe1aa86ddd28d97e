#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "ops/image/image_test_util.h"

namespace juicer {
namespace {

using testing::ImageDir;
using testing::ImageSample;
using testing::MustBuild;
using testing::RunFilter;
using testing::StatList;

cv::Mat TextImage(int w, int h, const std::vector<std::string>& lines) {
  cv::Mat m(h, w, CV_8UC3, cv::Scalar(255, 255, 255));
  int y = 60;
  for (const auto& l : lines) {
    cv::putText(m, l, cv::Point(20, y), cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(0, 0, 0), 3, cv::LINE_AA);
    y += 60;
  }
  return m;
}

TEST(ImageOcrAreaRatioFilter, TextCoverageAndBlankImages) {
  ImageDir d;
  const std::string slide = d.Write("slide.png", TextImage(640, 300, {"DATA QUALITY", "MATTERS FOR", "SMALL MODELS"}));
  const std::string blank = d.Solid("blank.png", 320, 240, {255, 255, 255});
  std::vector<Sample> samples = {ImageSample({slide}), ImageSample({blank}), ImageSample({})};
  auto op = MustBuild("image_ocr_area_ratio_filter", {{"max_area_ratio", 0.05}});
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  const auto r = StatList(samples[0], "image_ocr_area_ratio");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_GT(r[0], 0.08) << "three lines of large text";
  EXPECT_LT(r[0], 0.8);
  EXPECT_EQ(StatList(samples[1], "image_ocr_area_ratio"), (std::vector<double>{0.0}));
  EXPECT_TRUE(StatList(samples[2], "image_ocr_area_ratio").empty());
  EXPECT_EQ(*kept, (std::vector<uint64_t>{1, 2}));  // the slide has too much text
}

TEST(ImageOcrAreaRatioFilter, BadImageAndMissingLanguage) {
  ImageDir d;
  const std::string empty = d.WriteBytes("empty.png", "");
  std::vector<Sample> samples = {ImageSample({empty})};
  auto op = MustBuild("image_ocr_area_ratio_filter", {});
  auto kept = RunFilter(*op, samples);
  ASSERT_FALSE(kept.ok());
  EXPECT_NE(kept.status().message().find("empty.png"), std::string::npos) << kept.status().message();
  auto st = testing::BuildStatus("image_ocr_area_ratio_filter",
                                 {{"languages_to_detect", std::vector<std::string>{"xx_nope"}}});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("xx_nope"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace juicer
