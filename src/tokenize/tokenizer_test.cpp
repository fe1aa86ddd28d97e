#include "tokenize/tokenizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace juicer {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> MakeCaptions(int n) {
  const std::vector<std::string> subjects = {"a cat",   "two dogs",   "the old man", "a red car",
                                             "a small bird", "a woman", "three kids", "a tall tree",
                                             "the boat", "a horse"};
  const std::vector<std::string> verbs = {"sitting on", "running across", "looking at", "standing near",
                                          "jumping over", "sleeping under", "walking along"};
  const std::vector<std::string> objects = {"the grass",  "a wooden table", "the beach", "a busy street",
                                            "the snow",   "a blue sofa",    "the river", "a stone wall"};
  std::vector<std::string> out;
  uint32_t state = 12345;
  auto next = [&state](size_t mod) {
    state = state * 1664525u + 1013904223u;
    return static_cast<size_t>(state >> 8) % mod;
  };
  for (int i = 0; i < n; ++i) {
    out.push_back(subjects[next(subjects.size())] + " " + verbs[next(verbs.size())] + " " +
                  objects[next(objects.size())]);
  }
  return out;
}

fs::path TempDir(const std::string& name) {
  const std::string pid = std::to_string(::getpid());
  fs::path dir = fs::temp_directory_path() / ("juicer_tokenizer_test_" + name + "_" + pid);
  fs::remove_all(dir);
  return dir;
}

TEST(SentencePiece, TrainEncodeDecodeRoundTrip) {
  const auto texts = MakeCaptions(400);
  auto tok = TrainSentencePiece(texts, 120);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  const Tokenizer& t = **tok;
  EXPECT_EQ(t.Kind(), "sentencepiece");
  EXPECT_EQ(t.Pad(), 0);
  EXPECT_EQ(t.Bos(), 1);
  EXPECT_EQ(t.Eos(), 2);
  EXPECT_GT(t.VocabSize(), 3);
  EXPECT_LE(t.VocabSize(), 120);
  for (int i = 0; i < 20; ++i) {
    const std::vector<int> ids = t.Encode(texts[i]);
    ASSERT_FALSE(ids.empty());
    for (int id : ids) {
      EXPECT_GE(id, 0);
      EXPECT_LT(id, t.VocabSize());
      EXPECT_NE(id, t.Pad());
      EXPECT_NE(id, t.Bos());
      EXPECT_NE(id, t.Eos());
    }
    EXPECT_EQ(t.Decode(ids), texts[i]);
  }
  // Special ids are skipped by Decode.
  std::vector<int> ids = t.Encode(texts[0]);
  ids.insert(ids.begin(), t.Bos());
  ids.push_back(t.Eos());
  ids.push_back(t.Pad());
  EXPECT_EQ(t.Decode(ids), texts[0]);
}

TEST(SentencePiece, TinyCorpusWorks) {
  auto tok = TrainSentencePiece({"hello world", "hello there"}, 1000);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->Decode((*tok)->Encode("hello world")), "hello world");
  EXPECT_FALSE(TrainSentencePiece({}, 100).ok());
  EXPECT_FALSE(TrainSentencePiece({"", ""}, 100).ok());
}

TEST(SentencePiece, TrainingIsDeterministic) {
  const auto texts = MakeCaptions(300);
  auto a = TrainSentencePiece(texts, 100);
  auto b = TrainSentencePiece(texts, 100);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->VocabSize(), (*b)->VocabSize());
  for (const std::string text : {"a cat sitting on the grass", "an unseen sentence about zebras"}) {
    EXPECT_EQ((*a)->Encode(text), (*b)->Encode(text)) << text;
  }
  const fs::path da = TempDir("det_a"), db = TempDir("det_b");
  ASSERT_TRUE((*a)->Save(da.string()).ok());
  ASSERT_TRUE((*b)->Save(db.string()).ok());
  auto read = [](const fs::path& p) {
    std::string s;
    FILE* f = std::fopen(p.c_str(), "rb");
    if (f == nullptr) return s;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) s.append(buf, n);
    std::fclose(f);
    return s;
  };
  const std::string ma = read(da / "sentencepiece.model");
  EXPECT_FALSE(ma.empty());
  EXPECT_EQ(ma, read(db / "sentencepiece.model"));
  fs::remove_all(da);
  fs::remove_all(db);
}

TEST(SentencePiece, SaveLoadRoundTrip) {
  const auto texts = MakeCaptions(300);
  auto tok = TrainSentencePiece(texts, 100);
  ASSERT_TRUE(tok.ok());
  const fs::path dir = TempDir("sp_save");
  ASSERT_TRUE((*tok)->Save(dir.string()).ok());
  auto loaded = LoadTokenizer(dir.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->Kind(), "sentencepiece");
  EXPECT_EQ((*loaded)->VocabSize(), (*tok)->VocabSize());
  for (int i = 0; i < 10; ++i) EXPECT_EQ((*loaded)->Encode(texts[i]), (*tok)->Encode(texts[i]));
  fs::remove_all(dir);
  EXPECT_FALSE(LoadTokenizer(dir.string()).ok());
}

// CLIP's merges file, or "" when not available.
std::string ClipMergesPath() {
  std::string p = FindClipBpe();
  if (!p.empty()) return p;
  const std::string src =
      std::string(JUICER_SOURCE_DIR) + "/../shared/models/clip_bpe_simple_vocab_16e6.txt.gz";
  return fs::is_regular_file(src) ? src : "";
}

#define REQUIRE_CLIP_MERGES(path)                                                               \
  const std::string path = ClipMergesPath();                                                    \
  if (path.empty()) {                                                                           \
    GTEST_SKIP() << "CLIP merges file ../shared/models/clip_bpe_simple_vocab_16e6.txt.gz absent"; \
  }

TEST(ClipBpe, KnownIds) {
  REQUIRE_CLIP_MERGES(path);
  auto tok = LoadClipBpe(path, 0);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  const Tokenizer& t = **tok;
  EXPECT_EQ(t.Kind(), "clip_bpe");
  EXPECT_EQ(t.Encode("a photo of a cat"), (std::vector<int>{320, 1125, 539, 320, 2368}));
  EXPECT_EQ(t.Encode("Hello world!"), (std::vector<int>{3306, 1002, 256}));
  EXPECT_EQ(t.Encode("  A   PHOTO\tof a\n cat "), (std::vector<int>{320, 1125, 539, 320, 2368}));
  EXPECT_EQ(t.Bos(), 49406);
  EXPECT_EQ(t.Eos(), 49407);
  EXPECT_EQ(t.Pad(), 49408);
  EXPECT_EQ(t.VocabSize(), 49409);
  EXPECT_EQ(t.Encode("<|startoftext|>a cat<|endoftext|>"), (std::vector<int>{49406, 320, 2368, 49407}));
  EXPECT_TRUE(t.Encode("").empty());
  EXPECT_TRUE(t.Encode(" \t\n").empty());
}

TEST(ClipBpe, DecodeInvertsEncode) {
  REQUIRE_CLIP_MERGES(path);
  for (int k : {0, 1000}) {
    auto tok = LoadClipBpe(path, k);
    ASSERT_TRUE(tok.ok()) << tok.status().ToString();
    const Tokenizer& t = **tok;
    for (const auto& [text, norm] : std::vector<std::pair<std::string, std::string>>{
             {"A photo of a cat", "a photo of a cat"},
             {"  Two   DOGS\tplaying in the  snow ", "two dogs playing in the snow"},
             {"Caf\xC3\xA9 \xC3\x9C" "ber 42", "caf\xC3\xA9 \xC3\xBC" "ber 4 2"},
             {"\xE7\x8C\xAB \xF0\x9F\x90\x88", "\xE7\x8C\xAB \xF0\x9F\x90\x88"}}) {
      const std::vector<int> ids = t.Encode(text);
      for (int id : ids) {
        EXPECT_GE(id, 0);
        EXPECT_LT(id, t.VocabSize());
      }
      EXPECT_EQ(t.Decode(ids), norm) << "k=" << k << " text=" << text;
    }
  }
}

TEST(ClipBpe, TruncatedMerges) {
  REQUIRE_CLIP_MERGES(path);
  auto tok = LoadClipBpe(path, 1000);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  const Tokenizer& t = **tok;
  EXPECT_EQ(t.VocabSize(), 512 + 1000 + 3);
  EXPECT_EQ(t.Bos(), 1512);
  EXPECT_EQ(t.Eos(), 1513);
  EXPECT_EQ(t.Pad(), 1514);
  for (const auto& text : MakeCaptions(200)) {
    for (int id : t.Encode(text + " Supercalifragilistic 12345 ?!")) {
      EXPECT_GE(id, 0);
      EXPECT_LT(id, 1512);
    }
  }
  // The first merges are shared, so short words tokenize the same as with all merges.
  auto full = LoadClipBpe(path, 0);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(t.Encode("a"), (*full)->Encode("a"));
  EXPECT_GT(t.Encode("photograph").size(), (*full)->Encode("photograph").size());
  EXPECT_FALSE(LoadClipBpe(path, -1).ok());
  EXPECT_FALSE(LoadClipBpe("/nonexistent/bpe.txt.gz", 0).ok());
}

TEST(ClipBpe, SaveLoadRoundTrip) {
  REQUIRE_CLIP_MERGES(path);
  for (int k : {0, 1000}) {
    auto tok = LoadClipBpe(path, k);
    ASSERT_TRUE(tok.ok());
    const fs::path dir = TempDir("clip_save_" + std::to_string(k));
    ASSERT_TRUE((*tok)->Save(dir.string()).ok());
    auto loaded = LoadTokenizer(dir.string());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ((*loaded)->Kind(), "clip_bpe");
    EXPECT_EQ((*loaded)->VocabSize(), (*tok)->VocabSize());
    EXPECT_EQ((*loaded)->Pad(), (*tok)->Pad());
    for (const auto& text : MakeCaptions(50)) EXPECT_EQ((*loaded)->Encode(text), (*tok)->Encode(text));
    fs::remove_all(dir);
  }
}

TEST(ClipBpe, ConcurrentEncodeAndThroughput) {
  REQUIRE_CLIP_MERGES(path);
  auto tok = LoadClipBpe(path, 0);
  ASSERT_TRUE(tok.ok());
  const Tokenizer& t = **tok;
  const auto captions = MakeCaptions(2000);
  std::vector<std::vector<int>> expected;
  for (const auto& c : captions) expected.push_back(t.Encode(c));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (size_t i = 0; i < captions.size(); ++i) mismatches[w] += t.Encode(captions[i]) != expected[i];
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);

  const int n = 50000;
  const auto start = std::chrono::steady_clock::now();
  size_t total = 0;
  for (int i = 0; i < n; ++i) total += t.Encode(captions[static_cast<size_t>(i) % captions.size()]).size();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ INFO     ] CLIP BPE: %.0f ASCII captions/s (%zu tokens)\n", n / s, total);
  EXPECT_GT(total, 0u);
  std::vector<std::string> accented;
  for (size_t i = 0; i < 500; ++i) accented.push_back(captions[i] + " caf\xC3\xA9 na\xC3\xAFve");
  const auto start2 = std::chrono::steady_clock::now();
  for (int i = 0; i < n / 5; ++i) {
    total += t.Encode(accented[static_cast<size_t>(i) % accented.size()]).size();
  }
  const double s2 = std::chrono::duration<double>(std::chrono::steady_clock::now() - start2).count();
  std::printf("[ INFO     ] CLIP BPE: %.0f non-ASCII captions/s\n", n / 5 / s2);
}

}  // namespace
}  // namespace juicer
