#include "ops/dedup/document_deduplicator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::MustBuild;
using testing::RunDatasetOp;
using testing::TextSample;
using testing::TextSamples;
using testing::TextsAt;

std::string Hash(std::string_view text, bool lowercase, bool ignore) {
  std::string scratch, hex;
  Status st = dedup::DocumentHashHex(text, lowercase, ignore, &scratch, &hex);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return hex;
}

// Expected hex digests from Data-Juicer's compute_hash (hashlib + the `regex` module):
// plain, lowercase, ignore_non_character, both.
struct HashCase {
  std::string text;
  std::string plain, lower, ignore, both;
};

TEST(DocumentHash, MatchesDataJuicer) {
  const std::vector<HashCase> cases = {
      {"Today is Sunday and it's a happy day!", "e6898f65aa380d16f58690368e19fd4b",
       "7c98a5f9c806473b7b420773fc8f58cd", "99824a3d0b64c1206b05f5330c91f53d", "7f9b1214992f25efc6b4b721f14cb32b"},
      {"Today is sunday and it's a happy day?", "0e1a2ed33263a21fba1a1920c1496320",
       "0953438b7c7210ac1c0fa4da4d97363b", "800afa4975565664504b060ab743e7b5", "7f9b1214992f25efc6b4b721f14cb32b"},
      {"  Hello World \u3000\n", "b10a8db164e0754105b7a99be72e3fe5", "5eb63bbbe01eeed093cb22bb8f5acdc3",
       "68e109f0f40ca72a15e05cc22786f8e6", "fc5e038d38a57032085441e7fe7010b0"},
      {"HELLO world", "c53f2139abf3412dfb65fb9f62b18bf9", "5eb63bbbe01eeed093cb22bb8f5acdc3",
       "7ca87aa05cbd104584c953cc203d8329", "fc5e038d38a57032085441e7fe7010b0"},
      // Greek final sigma: lower() gives "οδος" with a final ς
      {"ΟΔΟΣ", "232cc02634156573ed087d3940bdcdf0", "1eba365d4aae2732227333b18249e967",
       "232cc02634156573ed087d3940bdcdf0", "1eba365d4aae2732227333b18249e967"},
      // ß stays, İ lowers to "i" + U+0307
      {"Straße 12, İstanbul!", "90e0755e60dc2b06b235cfa52eb456b8", "b76525b028029c588fd2ad24af43c58e",
       "bc0cb931929be2c0d2ef5630ddcdda21", "580db292a4f43263037f15624d5288c5"},
      {"", "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e",
       "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e"},
      {" \u2003 ", "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e",
       "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e"},
      // NBSP and OGHAM SPACE are \s, ARABIC-INDIC THREE is \d; U+001C is neither (but strip() drops it)
      {"a\u00a0b\u0663c\u1680d\x1c"
       "e",
       "e32c95351c0eaf69844a777dcb1d6466", "e32c95351c0eaf69844a777dcb1d6466", "8efa340af3ff7573e9ecaaa76b7d3b0f",
       "8efa340af3ff7573e9ecaaa76b7d3b0f"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Hash(c.text, false, false), c.plain) << c.text;
    EXPECT_EQ(Hash(c.text, true, false), c.lower) << c.text;
    EXPECT_EQ(Hash(c.text, false, true), c.ignore) << c.text;
    EXPECT_EQ(Hash(c.text, true, true), c.both) << c.text;
  }
}

TEST(DocumentHash, Helpers) {
  EXPECT_EQ(dedup::PythonStrip(" \t\x1c abc \x1f\u3000\n"), "abc");
  EXPECT_EQ(dedup::PythonStrip("\u200babc\u200b"), "\u200babc\u200b");  // ZWSP is not a Python space
  EXPECT_EQ(dedup::PythonStrip("   "), "");
  EXPECT_EQ(dedup::PythonStrip(""), "");
  EXPECT_EQ(dedup::PythonStrip("中 文"), "中 文");

  std::string s = "It's 2024: ok\t\u00a0\u0663中文!";
  s.resize(dedup::RemoveNonCharacters(s.data(), s.size()));
  EXPECT_EQ(s, "Itsok中文");

  std::string lower;
  ASSERT_TRUE(dedup::PythonLower("ÀÉÎ ABC ΣΑΣ", &lower).ok());
  EXPECT_EQ(lower, "àéî abc σας");
}

// Data-Juicer's tests (tests/ops/deduplicator/test_document_deduplicator.py).
TEST(DocumentDeduplicator, DataJuicerCaseWithParams) {
  auto op = MustBuild("document_deduplicator", {{"lowercase", true}, {"ignore_non_character", true}});
  ASSERT_TRUE(op);
  auto samples = TextSamples({"Today is Sunday and it's a happy day!", "Do you need a cup of coffee?",
                              "Today is sunday and it's a happy day!", "Today is sunday and it's a happy day?",
                              "This paper proposed a novel method on LLM pretraining.",
                              "This paper proposed a novel method on LLM pretraining."});
  auto sel = RunDatasetOp(*op, samples);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 4}));
  // The hash field holds DJ's hex digest.
  EXPECT_EQ(*samples[0].GetText("__dj__hash"), "7f9b1214992f25efc6b4b721f14cb32b");
}

TEST(DocumentDeduplicator, DataJuicerShowNum) {
  auto op = MustBuild("document_deduplicator");
  ASSERT_TRUE(op);
  EXPECT_FALSE(op->params().GetBool("lowercase"));
  EXPECT_FALSE(op->params().GetBool("ignore_non_character"));
  auto samples = TextSamples({"Today is Sunday and it's a happy day!", "Do you need a cup of coffee?",
                              "Today is sunday and it's a happy day!",
                              "This paper proposed a novel method on LLM pretraining.",
                              "This paper proposed a novel method on LLM pretraining."});
  auto sel = RunDatasetOp(*op, samples, 42, /*trace_num=*/1);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 2, 3}));
  ASSERT_EQ(sel->pairs.size(), 1u);
  EXPECT_EQ(sel->pairs[0].kept, 3u);
  EXPECT_EQ(sel->pairs[0].removed, 4u);
}

TEST(DocumentDeduplicator, TracedPairsLargestGroupsFirst) {
  auto op = MustBuild("document_deduplicator");
  auto samples = TextSamples({"a", "b", "a", "c", "b", "b", "c", "d", "c", "c"});
  auto sel = RunDatasetOp(*op, samples, 42, /*trace_num=*/2);
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 3, 7}));
  ASSERT_EQ(sel->pairs.size(), 2u);  // c (4 copies), then b (3 copies); a (2) is cut
  EXPECT_EQ(sel->pairs[0].kept, 3u);
  EXPECT_EQ(sel->pairs[0].removed, 6u);
  EXPECT_EQ(sel->pairs[1].kept, 1u);
  EXPECT_EQ(sel->pairs[1].removed, 4u);
  samples = TextSamples({"a", "b", "a", "c", "b", "b", "c", "d", "c", "c"});
  sel = RunDatasetOp(*op, samples, 42, /*trace_num=*/0);
  EXPECT_TRUE(sel->pairs.empty());
}

TEST(DocumentDeduplicator, ExistingHashIsKept) {
  auto op = MustBuild("document_deduplicator");
  std::vector<Sample> samples;
  samples.push_back(TextSample("first text"));
  samples.push_back(TextSample("second text"));
  samples.push_back(TextSample("first text"));
  samples.push_back(TextSample("third text"));
  // Samples 1 and 3 carry a hash from an earlier run / another tool: it wins over the text.
  samples[1].AddField(testing::StringField("__dj__hash", "not-a-hex-digest"));
  samples[3].AddField(testing::StringField("__dj__hash", "not-a-hex-digest"));
  auto sel = RunDatasetOp(*op, samples);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(*samples[1].GetText("__dj__hash"), "not-a-hex-digest");
  // An undecoded (raw only) hash field is read from its JSON text.
  std::vector<Sample> raw;
  for (int i = 0; i < 2; ++i) {
    raw.push_back(TextSample(i == 0 ? "x" : "y"));
    raw.back().SetRaw("__dj__hash", "\"d41d8cd98f00b204e9800998ecf8427e\"", JsonType::kString);
  }
  sel = RunDatasetOp(*op, raw);
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0}));
}

TEST(DocumentDeduplicator, TrickyTexts) {
  auto op = MustBuild("document_deduplicator", {{"lowercase", true}});
  auto samples = TextSamples({"", "  ", "\n", "ÉCOLE", "école", "e\u0301cole", "😊", "😊 ", std::string(1 << 20, 'z'),
                              std::string(1 << 20, 'Z')});
  auto sel = RunDatasetOp(*op, samples);
  ASSERT_TRUE(sel.ok());
  // Empty and whitespace-only texts strip to the same "", É/é agree after lower(), the
  // decomposed é is a different text, trailing space is stripped, Z-run lowercases to the z-run.
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 3, 5, 6, 8}));
}

TEST(DocumentDeduplicator, ManySamples) {
  auto op = MustBuild("document_deduplicator");
  std::vector<std::string> texts;
  for (int i = 0; i < 60000; ++i) texts.push_back("doc " + std::to_string(i % 25000));
  auto samples = TextSamples(texts);
  auto sel = RunDatasetOp(*op, samples, 42, 3);
  ASSERT_TRUE(sel.ok());
  ASSERT_EQ(sel->positions.size(), 25000u);
  for (uint64_t i = 0; i < 25000; ++i) ASSERT_EQ(sel->positions[i], i);
  ASSERT_EQ(sel->pairs.size(), 3u);
  EXPECT_EQ(sel->pairs[0].kept, 0u);  // groups 0..9999 have 3 copies, the rest 2
  EXPECT_EQ(sel->pairs[0].removed, 25000u);
}

TEST(DocumentDeduplicator, MissingTextIsDataError) {
  auto op = MustBuild("document_deduplicator");
  std::vector<Sample> samples;
  samples.push_back(TextSample("hello", "content"));
  auto sel = RunDatasetOp(*op, samples);
  ASSERT_FALSE(sel.ok());
  EXPECT_EQ(sel.status().code(), StatusCode::kDataError);
}

}  // namespace
}  // namespace juicer
