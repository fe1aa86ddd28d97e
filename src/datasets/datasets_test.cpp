// The `demo` image-text dataset: builds twice with the same seed (byte-identical manifests), every split
// file exists, every image path of every JSONL line exists, and the splits are not empty. Skipped where
// the light dataset packages (Noto Color Emoji, unicode-data, unicode-cldr-core, Tux Paint stamps) are
// not installed.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "datasets/dataset_output.h"
#include "datasets/dataset_registry.h"

namespace fs = std::filesystem;

namespace juicer {
namespace {

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class DemoDatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* f : {"/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf", "/usr/share/unicode/emoji/emoji-test.txt",
                          "/usr/share/unicode/cldr/common/annotations/en.xml", "/usr/share/tuxpaint/stamps"})
      if (!fs::exists(f))
        GTEST_SKIP() << f << " is not installed: the demo dataset needs fonts-noto-color-emoji unicode-data "
                     << "unicode-cldr-core tuxpaint-stamps-default (scripts/setup.sh --datasets)";
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("juicer-demo-test-" + std::to_string(rd()));
    fs::create_directories(root_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!root_.empty()) fs::remove_all(root_, ec);
  }

  // Builds demo with a small limit into root_/name; returns the build status.
  Status Build(const std::string& name) {
    auto info = BuiltinDatasets().Find("demo");
    if (!info.ok()) return info.status();
    DatasetBuildOptions o;
    o.out_dir = (root_ / name).string();
    o.seed = 7;
    o.limit = 60;
    o.progress = false;
    fs::create_directories(o.out_dir);
    DatasetOutput out(o.out_dir);
    JUICER_RETURN_IF_ERROR((*info)->build(o, out));
    return out.Finish("demo", (*info)->card_intro, o.seed, 0.0);
  }

  fs::path root_;
};

TEST_F(DemoDatasetTest, BuildsDeterministicallyWithValidImagePaths) {
  Status a = Build("a");
  if (a.code() == StatusCode::kUnavailable) GTEST_SKIP() << a.message();
  ASSERT_TRUE(a.ok()) << a.ToString();
  Status b = Build("b");
  ASSERT_TRUE(b.ok()) << b.ToString();

  const std::string manifest = Slurp(root_ / "a" / "MANIFEST.sha256");
  EXPECT_FALSE(manifest.empty());
  EXPECT_EQ(manifest, Slurp(root_ / "b" / "MANIFEST.sha256")) << "same seed, different bytes";
  EXPECT_TRUE(fs::exists(root_ / "a" / "DATASET.md"));
  EXPECT_TRUE(fs::exists(root_ / "a" / "eval_zeroshot_classes.json"));
  EXPECT_TRUE(fs::exists(root_ / "a" / "contact_sheet_train.png"));

  simdjson::dom::parser parser;
  for (const char* split : {"train", "eval_retrieval", "eval_zeroshot", "eval_caption"}) {
    const fs::path file = root_ / "a" / (std::string(split) + ".jsonl");
    ASSERT_TRUE(fs::exists(file)) << file;
    std::ifstream in(file);
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      simdjson::dom::element doc;
      ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << split << ": " << line;
      std::string_view text;
      ASSERT_EQ(doc["text"].get(text), simdjson::SUCCESS) << line;
      EXPECT_EQ(text.rfind("<__dj__image> ", 0), 0u) << line;
      simdjson::dom::array images;
      ASSERT_EQ(doc["images"].get(images), simdjson::SUCCESS) << line;
      size_t count = 0;
      for (simdjson::dom::element img : images) {
        std::string_view path;
        ASSERT_EQ(img.get(path), simdjson::SUCCESS) << line;
        EXPECT_TRUE(fs::is_regular_file(root_ / "a" / std::string(path))) << split << ": missing " << path;
        ++count;
      }
      EXPECT_EQ(count, 1u) << line;
      std::string_view source;
      EXPECT_EQ(doc["__dj__meta__"]["source"].get(source), simdjson::SUCCESS) << line;
      if (std::string(split) == "eval_zeroshot") {
        std::string_view label;
        EXPECT_EQ(doc["label"].get(label), simdjson::SUCCESS) << line;
      }
      if (std::string(split) == "eval_caption") {
        simdjson::dom::array refs;
        EXPECT_EQ(doc["references"].get(refs), simdjson::SUCCESS) << line;
      }
    }
    EXPECT_GT(n, 0u) << split << " is empty";
  }
}

}  // namespace
}  // namespace juicer
