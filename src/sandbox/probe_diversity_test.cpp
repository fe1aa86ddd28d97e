#include "sandbox/probe_diversity.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sandbox/sandbox_test_util.h"

namespace juicer::sandbox {
namespace {

using testing_util::MakeTempDir;
using testing_util::WriteText;

TEST(ProbeDiversity, VerbNounOfSimpleCaptions) {
  struct Case {
    const char* text;
    const char* verb;
    const char* noun;
  };
  for (const Case& c : {Case{"A man riding a horse.", "ride", "horse"},
                        Case{"A man is riding a horse on the beach.", "ride", "horse"},
                        Case{"Two dogs playing with a ball.", "play", "ball"},
                        Case{"A woman holds an umbrella.", "hold", "umbrella"},
                        Case{"<__dj__image> A boy eating a sandwich. <|__dj__eoc|>", "eat", "sandwich"},
                        Case{"A cat sitting on a table", "sit", "table"}}) {
    VerbNoun vn;
    auto r = ExtractVerbNoun(c.text, &vn);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(*r) << c.text;
    EXPECT_EQ(vn.verb, c.verb) << c.text;
    EXPECT_EQ(vn.noun, c.noun) << c.text;
  }
  VerbNoun vn;
  auto none = ExtractVerbNoun("A red car.", &vn);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
}

TEST(ProbeDiversity, PoolWordsPairsAndGallery) {
  const std::string dir = MakeTempDir("diversity");
  std::string jsonl;
  for (int i = 0; i < 6; ++i) {
    jsonl += "{\"text\": \"<__dj__image> A man riding a horse on the beach. <|__dj__eoc|>\", \"images\": [\"img/" +
             std::to_string(i) + ".png\"]}\n";
  }
  jsonl += "{\"text\": \"A horse eating grass in a field.\", \"images\": [\"img/0.png\", \"/abs/x.jpg\"]}\n";
  jsonl += "{\"text\": \"The the the and of.\"}\n";
  jsonl += "{\"text\": \"Caf\u00e9 \u2014 \u20ac \u201cna\u00efve\u201d\"}\n";  // punctuation and currency are not words
  WriteText(dir + "/pool.jsonl", jsonl);
  DiversityOptions o;
  o.n_gallery = 3;
  o.seed = 7;
  auto r = PoolDiversity(dir + "/pool.jsonl", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Json& d = *r;
  EXPECT_EQ(d["n_samples"], 9);
  ASSERT_GE(d["word_counts"].size(), 3u);
  EXPECT_EQ(d["word_counts"][0][0], "horse");
  EXPECT_EQ(d["word_counts"][0][1], 7);
  for (const auto& wc : d["word_counts"]) {
    const std::string w = wc[0].get<std::string>();
    EXPECT_NE(w, "the");
    EXPECT_NE(w, "a");
    EXPECT_EQ(w.find("dj"), std::string::npos) << w;
    EXPECT_EQ(w.find('<'), std::string::npos) << w;
    EXPECT_NE(w, "\u2014");
    EXPECT_NE(w, "\u20ac");
  }
  bool cafe = false;
  for (const auto& wc : d["word_counts"]) cafe = cafe || wc[0] == "caf\u00e9";
  EXPECT_TRUE(cafe) << d["word_counts"].dump();
  ASSERT_GE(d["verb_noun"].size(), 2u);
  EXPECT_EQ(d["verb_noun"][0], Json::array({"ride", "horse", 6}));
  EXPECT_EQ(d["verb_noun"][1], Json::array({"eat", "grass", 1}));
  EXPECT_EQ(d["n_with_verb_noun"], 7);
  EXPECT_EQ(d["n_images"], 7);  // img/0.png once
  ASSERT_EQ(d["gallery"].size(), 3u);
  for (const auto& p : d["gallery"]) EXPECT_TRUE(std::filesystem::path(p.get<std::string>()).is_absolute());
  // Same seed, same gallery; another seed picks differently (for this pool and these seeds).
  auto again = PoolDiversity(dir + "/pool.jsonl", o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["gallery"], d["gallery"]);
  o.n_gallery = 100;
  auto all = PoolDiversity(dir + "/pool.jsonl", o);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)["gallery"].size(), 7u);
  EXPECT_EQ((*all)["gallery"][0], (std::filesystem::path(dir) / "img/0.png").string());
  std::filesystem::remove_all(dir);
}

TEST(ProbeDiversity, MissingPoolIsNotFound) {
  auto r = PoolDiversity("/nonexistent/pool.jsonl", DiversityOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace juicer::sandbox
