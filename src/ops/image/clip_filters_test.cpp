// The clip-scored image-text ops, in process (the test binary dlopen()s libjuicer_torch.so as juicer
// does) and through the juicer binary, with a tiny model trained by the test on generated images.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/assets.h"
#include "ops/image/clip_model.h"
#include "ops/image/image_test_util.h"
#include "tests/test_util.h"

namespace juicer::testing {
namespace {

struct Shape {
  const char* name;
  cv::Scalar bgr;
};
const Shape kColours[] = {{"red", {40, 40, 220}},    {"green", {40, 200, 40}}, {"blue", {220, 60, 40}},
                          {"yellow", {40, 220, 230}}, {"purple", {200, 40, 160}}, {"black", {20, 20, 20}}};

cv::Mat Draw(const Shape& c, bool circle) {
  cv::Mat m(64, 64, CV_8UC3, cv::Scalar(255, 255, 255));
  if (circle) {
    cv::circle(m, {32, 32}, 22, c.bgr, -1);
  } else {
    cv::rectangle(m, {12, 12}, {52, 52}, c.bgr, -1);
  }
  return m;
}

class ClipFilters : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    setenv("JUICER_CACHE_DIR", "off", 1);
    std::string jsonl;
    for (const Shape& c : kColours) {
      for (bool circle : {true, false}) {
        const std::string name = std::string(c.name) + (circle ? "_circle" : "_square") + ".png";
        cv::imwrite((*dir_) / name, Draw(c, circle));
        jsonl += "{\"text\":\"<__dj__image> a " + std::string(c.name) + (circle ? " circle" : " square") +
                 " <|__dj__eoc|>\",\"images\":[\"" + name + "\"]}\n";
      }
    }
    WriteFile((*dir_) / "train.jsonl", jsonl);
    auto r = RunJuicer("train --task clip --data " + (*dir_) / "train.jsonl" + " --out " + (*dir_) / "model" +
                       " --steps 20 --batch-size 12 --threads 1 --seed 3 --quiet --set tokenizer=sentencepiece "
                       "--set sp_vocab=40");
    trained_ = r.exit_code == 0;
    if (!trained_) log_ = r.output;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!trained_) GTEST_FAIL() << "juicer train --task clip failed: " << log_;
  }
  static std::string Img(const std::string& name) { return (*dir_) / name; }
  static std::string Model() { return (*dir_) / "model"; }
  static std::unique_ptr<Op> Build(const std::string& op, GivenParams extra = {}) {
    extra.emplace_back("model_path", Model());
    return MustBuild(op, extra);
  }
  static std::vector<double> Stats(const Op& op, Sample s, const std::string& key) {
    std::vector<Sample> v{std::move(s)};
    auto kept = RunFilter(op, v);
    EXPECT_TRUE(kept.ok()) << kept.status().ToString();
    return StatList(v[0], key);
  }
  static TempDir* dir_;
  static bool trained_;
  static std::string log_;
};
TempDir* ClipFilters::dir_ = nullptr;
bool ClipFilters::trained_ = false;
std::string ClipFilters::log_;

TEST_F(ClipFilters, OneScorePerChunkAndReduceModes) {
  const std::string text =
      "<__dj__image> a red circle <|__dj__eoc|> no image here <|__dj__eoc|><__dj__image><__dj__image> a blue square";
  const std::vector<std::string> imgs = {Img("red_circle.png"), Img("blue_square.png"), Img("green_circle.png")};
  std::map<std::string, std::vector<double>> by_mode;
  for (const char* mode : {"avg", "max", "min"}) {
    auto op = Build("image_text_similarity_filter", {{"reduce_mode", std::string(mode)}});
    ASSERT_NE(op, nullptr);
    by_mode[mode] = Stats(*op, ImageSample(imgs, text), "image_text_similarity");
    ASSERT_EQ(by_mode[mode].size(), 2u) << mode;
    for (double v : by_mode[mode]) EXPECT_TRUE(v >= -1.0001 && v <= 1.0001) << v;
  }
  EXPECT_DOUBLE_EQ(by_mode["avg"][0], by_mode["max"][0]);  // one image: every mode agrees
  EXPECT_DOUBLE_EQ(by_mode["avg"][0], by_mode["min"][0]);
  EXPECT_GE(by_mode["max"][1], by_mode["avg"][1]);
  EXPECT_LE(by_mode["min"][1], by_mode["avg"][1]);
  EXPECT_NEAR(by_mode["avg"][1], (by_mode["max"][1] + by_mode["min"][1]) / 2, 1e-9);

  // The chunk scores equal the cosines of the embeddings computed directly.
  auto model = image_ops::ClipModel::Get(Model(), "test");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const int res = (*model)->image_res(), d = (*model)->dim();
  std::vector<uint8_t> px(static_cast<size_t>(res) * res * 3);
  Sample s = ImageSample(imgs, text);
  WorkerContext ctx;
  media::SampleImage red(s, "images", imgs[0], ctx);
  ASSERT_TRUE(image_ops::ClipPixels(red, res, false, false, px.data()).ok());
  auto ie = (*model)->EncodeImages(px, 1);
  auto te = (*model)->EncodeTexts({"a red circle"});
  ASSERT_TRUE(ie.ok() && te.ok());
  EXPECT_NEAR(image_ops::Dot(ie->data(), te->data(), d), by_mode["avg"][0], 1e-6);
}

TEST_F(ClipFilters, MatchingIsACalibratedSigmoidOfTheSimilarity) {
  auto sim = Build("image_text_similarity_filter");
  auto match = Build("image_text_matching_filter");
  auto model = image_ops::ClipModel::Get(Model(), "test");
  ASSERT_TRUE(sim && match && model.ok());
  auto bias = (*model)->MatchingBias();
  ASSERT_TRUE(bias.ok()) << bias.status().ToString();
  for (const char* text : {"<__dj__image> a red circle", "<__dj__image> a black square"}) {
    const double s = Stats(*sim, ImageSample({Img("red_circle.png")}, text), "image_text_similarity").at(0);
    const double p = Stats(*match, ImageSample({Img("red_circle.png")}, text), "image_text_matching_score").at(0);
    EXPECT_GT(p, 0.0);
    EXPECT_LT(p, 1.0);
    EXPECT_NEAR(p, 1 / (1 + std::exp(-(*model)->temperature() * (s - *bias))), 1e-9);
  }
  // A calibration file (`juicer encode` of other pairs) takes precedence over the training pairs.
  const std::string cal = (*dir_) / "model_cal";
  std::filesystem::copy(Model(), cal, std::filesystem::copy_options::recursive);
  std::ifstream train((*dir_) / "train.jsonl");
  std::string few;
  for (int i = 0; i < 5; ++i) {
    std::string line;
    std::getline(train, line);
    few += line + "\n";
  }
  WriteFile((*dir_) / "few.jsonl", few);
  auto enc = RunJuicer("encode --model " + cal + " --data " + (*dir_) / "few.jsonl" + " --out " + cal +
                       "/calibration_embeddings.bin");
  ASSERT_EQ(enc.exit_code, 0) << enc.output;
  auto cal_model = image_ops::ClipModel::Get(cal, "test");
  ASSERT_TRUE(cal_model.ok());
  auto cal_bias = (*cal_model)->MatchingBias();
  ASSERT_TRUE(cal_bias.ok());
  EXPECT_NE(*cal_bias, *bias);

  auto fixed = Build("image_text_matching_filter", {{"matching_bias", 0.25}});
  const double s = Stats(*sim, ImageSample({Img("red_circle.png")}, "<__dj__image>a red circle"),
                         "image_text_similarity").at(0);
  const double p = Stats(*fixed, ImageSample({Img("red_circle.png")}, "<__dj__image>a red circle"),
                         "image_text_matching_score").at(0);
  EXPECT_NEAR(p, 1 / (1 + std::exp(-(*model)->temperature() * (s - 0.25))), 1e-9);
}

TEST_F(ClipFilters, FlipsAndAlphaCompositing) {
  // A centred square (pixels 12..51 of 0..63) is symmetric: flips change nothing; a lopsided image changes.
  auto plain = Build("image_text_similarity_filter");
  auto flipped = Build("image_text_similarity_filter", {{"horizontal_flip", true}, {"vertical_flip", true}});
  cv::Mat sym(64, 64, CV_8UC3, cv::Scalar(255, 255, 255)), lop = sym.clone();
  cv::rectangle(sym, {12, 12}, {51, 51}, kColours[2].bgr, -1);
  cv::rectangle(lop, {0, 0}, {40, 20}, kColours[2].bgr, -1);
  cv::imwrite(Img("sym.png"), sym);
  cv::imwrite(Img("lop.png"), lop);
  const Sample ss = ImageSample({Img("sym.png")}, "<__dj__image> a blue square");
  EXPECT_NEAR(Stats(*plain, ss, "image_text_similarity").at(0), Stats(*flipped, ss, "image_text_similarity").at(0),
              1e-6);
  const Sample sl = ImageSample({Img("lop.png")}, "<__dj__image> a blue square");
  EXPECT_NE(Stats(*plain, sl, "image_text_similarity").at(0), Stats(*flipped, sl, "image_text_similarity").at(0));
  const Sample s = ImageSample({Img("red_circle.png")}, "<__dj__image> a red circle");
  // The same circle as an RGBA PNG with a transparent background is composited on white, as in training.
  const cv::Mat bgr = Draw(kColours[0], true);
  cv::Mat rgba;
  cv::cvtColor(bgr, rgba, cv::COLOR_BGR2BGRA);
  for (int y = 0; y < rgba.rows; ++y)
    for (int x = 0; x < rgba.cols; ++x) {
      auto& p = rgba.at<cv::Vec4b>(y, x);
      if (p[0] == 255 && p[1] == 255 && p[2] == 255) p = cv::Vec4b(0, 0, 0, 0);  // transparent black
    }
  cv::imwrite(Img("red_circle_alpha.png"), rgba);
  EXPECT_NEAR(Stats(*plain, ImageSample({Img("red_circle_alpha.png")}, "<__dj__image> a red circle"),
                    "image_text_similarity").at(0),
              Stats(*plain, s, "image_text_similarity").at(0), 1e-5);
}

TEST_F(ClipFilters, KeepUsesAnyOrAllOverChunks) {
  const std::string text = "<__dj__image> a red circle <|__dj__eoc|><__dj__image> a red circle";
  const std::vector<std::string> imgs = {Img("red_circle.png"), Img("red_circle.png")};
  auto any = Build("image_text_similarity_filter", {{"min_score", -1.0}, {"max_score", 1.0}});
  auto none = Build("image_text_similarity_filter", {{"min_score", 1.5}, {"max_score", 2.0}});
  std::vector<Sample> v{ImageSample(imgs, text), ImageSample({}, "no images")};
  auto k1 = RunFilter(*any, v);
  ASSERT_TRUE(k1.ok()) << k1.status().ToString();
  EXPECT_EQ(k1->size(), 2u);
  std::vector<Sample> w{ImageSample(imgs, text), ImageSample({}, "no images")};
  auto k2 = RunFilter(*none, w);
  ASSERT_TRUE(k2.ok());
  EXPECT_EQ(*k2, std::vector<uint64_t>{1});  // the sample without images is kept with an empty list
  EXPECT_TRUE(StatList(w[1], "image_text_similarity").empty());
}

TEST_F(ClipFilters, ImagePairSimilarity) {
  auto op = Build("image_pair_similarity_filter");
  cv::imwrite(Img("red_circle_copy.png"), Draw(kColours[0], true));
  const auto same = Stats(*op, ImageSample({Img("red_circle.png"), Img("red_circle_copy.png")}), "image_pair_similarity");
  ASSERT_EQ(same.size(), 1u);
  EXPECT_NEAR(same[0], 1.0, 1e-5);
  const auto other = Stats(*op, ImageSample({Img("red_circle.png"), Img("black_square.png")}), "image_pair_similarity");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_LT(other[0], same[0]);
  EXPECT_TRUE(Stats(*op, ImageSample({}), "image_pair_similarity").empty());  // no images: kept, empty
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {Img("red_circle.png")}, {Img("red_circle.png"), Img("red_circle.png")}}) {
    std::vector<Sample> v{ImageSample(bad)};
    auto r = RunFilter(*op, v);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kDataError);
    EXPECT_NE(r.status().message().find("exactly two different images"), std::string::npos) << r.status().message();
  }
}

TEST_F(ClipFilters, BadImagesAndMissingModelAreClearErrors) {
  ImageDir d;
  const std::string empty = d.WriteBytes("empty.png", "");
  auto op = Build("image_text_similarity_filter");
  std::vector<Sample> v{ImageSample({empty}, "<__dj__image> a thing")};
  auto r = RunFilter(*op, v);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find("empty.png"), std::string::npos) << r.status().message();

  const Status st = BuildStatus("image_text_matching_filter", {{"model_path", (*dir_) / "nope"}});
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("pass model_path"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("scripts/setup.sh"), std::string::npos) << st.message();
}

TEST_F(ClipFilters, ThreadsGiveTheSameScores) {
  auto op = Build("image_text_similarity_filter");
  std::vector<Sample> samples;
  for (const Shape& c : kColours)
    samples.push_back(ImageSample({Img(std::string(c.name) + "_square.png")}, "<__dj__image> a red square"));
  std::vector<Sample> serial = samples;
  ASSERT_TRUE(RunFilter(*op, serial).ok());
  const auto* filter = dynamic_cast<const Filter*>(op.get());
  std::vector<std::thread> threads;
  std::vector<Status> st(samples.size());
  for (size_t i = 0; i < samples.size(); ++i)
    threads.emplace_back([&, i] {
      WorkerContext ctx;
      st[i] = filter->ComputeStats(samples[i], ctx);
    });
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < samples.size(); ++i) {
    ASSERT_TRUE(st[i].ok()) << st[i].ToString();
    EXPECT_EQ(StatList(samples[i], "image_text_similarity"), StatList(serial[i], "image_text_similarity"));
  }
}

TEST_F(ClipFilters, ThroughTheJuicerBinary) {
  const std::string data = (*dir_) / "e2e.jsonl", out = (*dir_) / "e2e_out.jsonl";
  WriteFile(data,
            "{\"text\":\"<__dj__image> a red circle <|__dj__eoc|>\",\"images\":[\"red_circle.png\"]}\n"
            "{\"text\":\"<__dj__image> a blue square\",\"images\":[\"blue_square.png\"]}\n"
            "{\"text\":\"two\",\"images\":[\"red_circle.png\",\"green_square.png\"]}\n");
  WriteFile((*dir_) / "r.yaml", "dataset_path: " + data + "\nexport_path: " + out +
                                    "\nprocess:\n  - image_text_similarity_filter:\n      model_path: " + Model() +
                                    "\n      min_score: -1\n  - image_text_matching_filter:\n      model_path: " +
                                    Model() + "\n      min_score: 0\n");
  auto r = RunJuicer("process --config " + (*dir_) / "r.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string kept = ReadFile(out);
  EXPECT_EQ(CountLines(kept), 3u) << kept;
}

// The default scorer (scripts/setup.sh): matched pairs of demo's held-out eval_retrieval split score
// higher than shuffled pairs.
TEST(ClipDefaultScorer, MatchedPairsScoreAboveShuffledOnDemoEval) {
  namespace fs = std::filesystem;
  const fs::path model = image_ops::DefaultClipScorerDir();
  const fs::path eval = fs::path(DefaultModelsDir()) / "clip-demo-data" / "eval_retrieval.jsonl";
  if (!fs::exists(model / "model.pt") || !fs::exists(eval))
    GTEST_SKIP() << "the default clip scorer is absent (" << model.string() << ", " << eval.string()
                 << "): run scripts/setup.sh --datasets-light";
  std::ifstream in(eval);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  auto parsed = ParseJsonLines(lines);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  std::vector<std::string> texts, images;
  for (const Sample& s : *parsed) {
    texts.emplace_back(*s.GetText("text"));
    images.push_back((eval.parent_path() / (*s.GetStringList("images"))->at(0)).string());
  }
  const size_t n = texts.size();
  ASSERT_GT(n, 20u);
  auto op = MustBuild("image_text_similarity_filter");
  ASSERT_NE(op, nullptr);
  std::vector<Sample> matched, shuffled;
  for (size_t i = 0; i < n; ++i) {
    matched.push_back(ImageSample({images[i]}, texts[i]));
    shuffled.push_back(ImageSample({images[i]}, texts[(i + n / 2) % n]));
  }
  ASSERT_TRUE(RunFilter(*op, matched).ok());
  ASSERT_TRUE(RunFilter(*op, shuffled).ok());
  double m = 0, sh = 0;
  size_t wins = 0;
  for (size_t i = 0; i < n; ++i) {
    const double a = StatList(matched[i], "image_text_similarity").at(0);
    const double b = StatList(shuffled[i], "image_text_similarity").at(0);
    m += a;
    sh += b;
    wins += a > b;
  }
  std::printf("default clip scorer on %zu demo eval pairs: mean matched %.3f, shuffled %.3f, matched higher %zu\n", n,
              m / n, sh / n, wins);
  EXPECT_GT(m / n, sh / n + 0.1);
  // Chance is 0.5. On the leak-free demo splits (near-duplicate siblings kept in one split) the scorer
  // wins 87 of 128 pairs (0.68), trained for 300 or 1000 steps alike; the old splits, where siblings of
  // the eval pairs were in train, gave over 0.8.
  EXPECT_GT(static_cast<double>(wins) / n, 0.6);
}

}  // namespace
}  // namespace juicer::testing
