#include "ops/text/token_num_filter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ops/op_test_util.h"
#include "tokenize/tokenizer.h"

namespace juicer {
namespace {

namespace fs = std::filesystem;
using testing::RunFilter;
using testing::TextSamples;

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterTokenNumFilter>(); }

int64_t NumToken(const Sample& s) { return std::get<int64_t>(s.stats().Find("num_token")->scalar()); }

#define SKIP_WITHOUT_CLIP()                                                                                  \
  if (FindClipBpe().empty())                                                                                 \
  GTEST_SKIP() << "CLIP merges file ../shared/models/clip_bpe_simple_vocab_16e6.txt.gz absent (set " \
                  "JUICER_CLIP_BPE)"

const std::vector<std::string>& ConformanceTexts() {
  static const std::vector<std::string> kTexts = {
      "Today is Sunday and it's a happy day!",
      "Do you need a cup of coffee?",
      "你好，请问你是谁",
      "Sur la plateforme MT4, plusieurs manières d'accéder à ces fonctionnalités sont conçues simultanément.",
      "欢迎来到阿里巴巴！",
      "This paper proposed a novel method on LLM pretraining.",
  };
  return kTexts;
}

// cases/token_num_filter.json: Data-Juicer's pythia tokenizer gives 10, 8, 9, 31, 14, 12. CLIP's
// BPE (the default here) gives the counts below: equal on the three English texts, more tokens on
// the French (34) and the Chinese ones (CLIP's vocabulary has few CJK merges).
TEST(TokenNumFilter, ClipBpeCountsOfTheConformanceTexts) {
  SKIP_WITHOUT_CLIP();
  auto op = testing::MustBuildFrom(Registry(), "token_num_filter");
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples(ConformanceTexts());
  ASSERT_TRUE(RunFilter(*op, samples).ok());
  std::vector<int64_t> counts;
  for (const auto& s : samples) counts.push_back(NumToken(s));
  EXPECT_EQ(counts, (std::vector<int64_t>{10, 8, 20, 34, 24, 12}));
}

TEST(TokenNumFilter, RangeAndTrickyTexts) {
  SKIP_WITHOUT_CLIP();
  auto op = testing::MustBuildFrom(Registry(), "token_num_filter", {{"min_num", int64_t{2}}, {"max_num", int64_t{5}}});
  ASSERT_NE(op, nullptr);
  std::string long_text;
  for (int i = 0; i < 50000; ++i) long_text += "hello world ";
  auto samples = TextSamples({"", "hello world", "one two three four five six", "😊👍🏽 中文", "ab\xE4\xB8", long_text,
                              "hello"});
  samples[6].stats().Set("num_token", StatValue(int64_t{3}));
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(NumToken(samples[0]), 0);
  EXPECT_EQ(NumToken(samples[1]), 2);
  EXPECT_EQ(NumToken(samples[2]), 6);
  EXPECT_GT(NumToken(samples[3]), 2);
  EXPECT_GE(NumToken(samples[4]), 1);
  EXPECT_EQ(NumToken(samples[5]), 100000);
  EXPECT_EQ(NumToken(samples[6]), 3);  // reused
  EXPECT_EQ((*kept)[0], 1u);
}

TEST(TokenNumFilter, SentencePieceModel) {
  std::vector<std::string> corpus;
  for (int i = 0; i < 200; ++i) corpus.push_back("the cat sat on the mat " + std::to_string(i));
  auto tok = TrainSentencePiece(corpus, 40);
  if (!tok.ok() && tok.status().code() == StatusCode::kUnavailable) GTEST_SKIP() << tok.status().ToString();
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  const fs::path dir = fs::temp_directory_path() / ("juicer_token_num_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ASSERT_TRUE((*tok)->Save(dir.string()).ok());
  const std::string model = (dir / "sentencepiece.model").string();
  const std::vector<std::string> texts = {"the cat sat", "", "mat 中文 😊"};
  auto op = testing::MustBuildFrom(Registry(), "token_num_filter", {{"tokenizer", model}, {"min_num", int64_t{1}}});
  ASSERT_NE(op, nullptr);
  auto samples = TextSamples(texts);
  auto kept = RunFilter(*op, samples);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  for (size_t i = 0; i < texts.size(); ++i)
    EXPECT_EQ(NumToken(samples[i]), static_cast<int64_t>((*tok)->Encode(texts[i]).size())) << i;
  EXPECT_EQ(NumToken(samples[1]), 0);
  EXPECT_EQ(*kept, (std::vector<uint64_t>{0, 2}));
  // A local model given as hf_tokenizer is used too.
  auto op2 = testing::MustBuildFrom(Registry(), "token_num_filter", {{"hf_tokenizer", model}});
  ASSERT_NE(op2, nullptr);
  fs::remove_all(dir);
}

TEST(TokenNumFilter, ErrorsSayWhatToPass) {
  Status st = testing::BuildStatus("token_num_filter", {{"hf_tokenizer", std::string("Qwen/Qwen2-7B")}});
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("tokenizer: clip_bpe"), std::string::npos) << st.message();
  st = testing::BuildStatus("token_num_filter", {{"tokenizer", std::string("/nonexistent/x.model")}});
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  st = testing::BuildStatus("token_num_filter", {{"clip_bpe_path", std::string("/nonexistent/bpe.txt.gz")}});
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("clip_bpe_path"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace juicer
