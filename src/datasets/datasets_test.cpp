// The `demo` image-text dataset: builds twice with the same seed (byte-identical manifests), every split
// file exists, every image path of every JSONL line exists, and the splits are not empty. Skipped where
// the light dataset packages (Noto Color Emoji, unicode-data, unicode-cldr-core, Tux Paint stamps) are
// not installed. Near-duplicate siblings (FamilyKey) never straddle splits.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "datasets/dataset_output.h"
#include "datasets/dataset_registry.h"
#include "datasets/imagetext_items.h"

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
  Status Build(const std::string& name, size_t limit = 60) {
    auto info = BuiltinDatasets().Find("demo");
    if (!info.ok()) return info.status();
    DatasetBuildOptions o;
    o.out_dir = (root_ / name).string();
    o.seed = 7;
    o.limit = limit;
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

// Siblings that differ by gender/person word, skin tone, hair, a number or punctuation share a family;
// different things do not.
TEST(FamilyKeyTest, SiblingsShareAFamily) {
  EXPECT_EQ(FamilyKey("man technologist"), "technologist");
  EXPECT_EQ(FamilyKey("woman technologist: medium-dark skin tone"), "technologist");
  EXPECT_EQ(FamilyKey("technologist: light skin tone"), "technologist");
  EXPECT_EQ(FamilyKey("woman: curly hair"), FamilyKey("man: red hair"));
  EXPECT_EQ(FamilyKey("person: light skin tone, beard"), FamilyKey("man: beard"));
  EXPECT_EQ(FamilyKey("men holding hands"), FamilyKey("woman and man holding hands: light skin tone, dark skin tone"));
  EXPECT_EQ(FamilyKey("princess: medium skin tone"), FamilyKey("person with crown"));
  EXPECT_EQ(FamilyKey("mermaid"), FamilyKey("merman: dark skin tone"));
  EXPECT_EQ(FamilyKey("older person"), FamilyKey("old woman: light skin tone"));
  EXPECT_EQ(FamilyKey("woman\u2019s hat"), "hat");
  EXPECT_EQ(FamilyKey("sortie issue de secours 04"), "sortie issue de secours");
  EXPECT_EQ(FamilyKey("sortie issue de secours 5"), "sortie issue de secours");
  EXPECT_EQ(FamilyKey("BlueMan#204"), FamilyKey("blueman_12"));
  EXPECT_EQ(FamilyKey("5 Japanese yen."), FamilyKey("100 Japanese yen."));
  EXPECT_EQ(FamilyKey("The 2nd floor"), FamilyKey("the third floor"));
  EXPECT_EQ(FamilyKey("\u201cSchool Crossing\u201d."), "school crossing");
  EXPECT_EQ(FamilyKey("man"), "~");
  EXPECT_NE(FamilyKey("flag: England"), FamilyKey("flag: Scotland"));
  EXPECT_NE(FamilyKey("The letter R."), FamilyKey("The letter Q."));
  EXPECT_NE(FamilyKey("dark sunglasses"), FamilyKey("sunglasses"));
  EXPECT_EQ(FamilyKey("pi\u00f1ata"), "pi\u00f1ata");
}

// In a demo build every split_family lies in one split (so "man technologist" and "woman technologist",
// or the skin-tone variants of one emoji, never straddle train and eval).
TEST_F(DemoDatasetTest, SiblingsStayInOneSplit) {
  Status a = Build("a", 400);
  if (a.code() == StatusCode::kUnavailable) GTEST_SKIP() << a.message();
  ASSERT_TRUE(a.ok()) << a.ToString();
  simdjson::dom::parser parser;
  std::map<std::string, std::set<std::string>> splits_of;  // source/family -> splits
  std::map<std::string, size_t> members;
  for (const char* split : {"train", "eval_retrieval", "eval_zeroshot", "eval_caption"}) {
    std::ifstream in(root_ / "a" / (std::string(split) + ".jsonl"));
    std::string line;
    while (std::getline(in, line)) {
      simdjson::dom::element doc;
      ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
      std::string_view source, family;
      ASSERT_EQ(doc["__dj__meta__"]["source"].get(source), simdjson::SUCCESS) << line;
      ASSERT_EQ(doc["__dj__meta__"]["split_family"].get(family), simdjson::SUCCESS) << line;
      const std::string k = std::string(source) + "/" + std::string(family);
      splits_of[k].insert(split);
      ++members[k];
    }
  }
  size_t multi = 0;
  for (const auto& [k, s] : splits_of) {
    EXPECT_EQ(s.size(), 1u) << k << " straddles " << s.size() << " splits";
    if (members[k] > 1) ++multi;
  }
  EXPECT_GT(multi, 10u) << "too few families with siblings for the check to mean anything";
}

}  // namespace
}  // namespace juicer
