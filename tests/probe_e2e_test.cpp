// End-to-end checks of the probe models through the juicer binary, on the bundled `demo` dataset:
// determinism, the clip export in a separate process, checkpoint/resume, eval and baselines.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_util.h"

namespace juicer::testing {
namespace {

class ProbeE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    setenv("JUICER_CACHE_DIR", ((*dir_) / "cache").c_str(), 1);
    auto r = RunJuicer("datasets build demo --out " + (*dir_) / "demo");
    built_ = r.exit_code == 0;
    if (!built_) build_log_ = r.output;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!built_) GTEST_SKIP() << "the demo dataset could not be built (run scripts/setup.sh --datasets-light): " << build_log_;
  }
  static std::string Demo(const std::string& split) { return (*dir_) / ("demo/" + split + ".jsonl"); }
  static std::string Out(const std::string& name) { return (*dir_) / name; }
  // A tiny, fast clip run (SentencePiece so that no shared file is needed).
  static std::string TinyClip(const std::string& out, const std::string& extra = "") {
    return "train --task clip --data " + Demo("train") + " --out " + out +
           " --steps 24 --batch-size 32 --threads 1 --seed 7 --quiet --set tokenizer=sentencepiece --set sp_vocab=300 " +
           extra;
  }
  static TempDir* dir_;
  static bool built_;
  static std::string build_log_;
};
TempDir* ProbeE2E::dir_ = nullptr;
bool ProbeE2E::built_ = false;
std::string ProbeE2E::build_log_;

TEST_F(ProbeE2E, ClipIsDeterministicAndItsExportReproducesEmbeddings) {
  auto a = RunJuicer(TinyClip(Out("clip_a")));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  auto b = RunJuicer(TinyClip(Out("clip_b")));
  ASSERT_EQ(b.exit_code, 0) << b.output;
  for (const char* f : {"model.pt", "embeddings_check.bin", "tokenizer/sentencepiece.model"}) {
    EXPECT_EQ(ReadFile(Out("clip_a/") + f), ReadFile(Out("clip_b/") + f)) << f << " differs between equal-seed runs";
  }
  for (const char* f : {"config.json", "curve.csv", "curve.svg", "train.json"})
    EXPECT_TRUE(std::filesystem::exists(Out("clip_a/") + f)) << f;
  // A different seed gives a different model.
  auto c = RunJuicer(TinyClip(Out("clip_c"), "--seed 8"));
  ASSERT_EQ(c.exit_code, 0) << c.output;
  EXPECT_NE(ReadFile(Out("clip_a/embeddings_check.bin")), ReadFile(Out("clip_c/embeddings_check.bin")));
  // The exported encoders, loaded by a separate process, give the trainer's embeddings bit for bit.
  auto e = RunJuicer("encode --model " + Out("clip_a") + " --data " + Demo("train") + " --limit 64 --out " +
                     Out("emb.bin"));
  ASSERT_EQ(e.exit_code, 0) << e.output;
  const std::string want = ReadFile(Out("clip_a/embeddings_check.bin"));
  ASSERT_GT(want.size(), 8u);
  EXPECT_EQ(ReadFile(Out("emb.bin")), want);
  // Same metrics from two evaluations of equal-seed models.
  auto ea = RunJuicer("eval --model " + Out("clip_a") + " --data " + Demo("eval_zeroshot") + " --data " +
                      Demo("eval_retrieval") + " --out " + Out("ma.json"));
  ASSERT_EQ(ea.exit_code, 0) << ea.output;
  auto eb = RunJuicer("eval --model " + Out("clip_b") + " --data " + Demo("eval_zeroshot") + " --data " +
                      Demo("eval_retrieval") + " --out " + Out("mb.json"));
  ASSERT_EQ(eb.exit_code, 0) << eb.output;
  const std::string ma = ReadFile(Out("ma.json"));
  for (const char* key : {"zeroshot_mean_accuracy", "i2t_R@1", "t2i_R@10", "chance_R@5"})
    EXPECT_NE(ma.find(key), std::string::npos) << key << " missing from " << ma;
  EXPECT_EQ(ma.substr(ma.find("eval_zeroshot")), ReadFile(Out("mb.json")).substr(ReadFile(Out("mb.json")).find("eval_zeroshot")));
}

TEST_F(ProbeE2E, ResumeAfterInterruptionMatchesAnUninterruptedRun) {
  auto full = RunJuicer(TinyClip(Out("r_full"), "--set checkpoint_every=8"));
  ASSERT_EQ(full.exit_code, 0) << full.output;
  auto cut = RunCommand("JUICER_DEBUG_STOP_AFTER_STEPS=12 " + JuicerBinary() + " " +
                        TinyClip(Out("r_cut"), "--set checkpoint_every=8"));
  EXPECT_EQ(cut.exit_code, 130) << cut.output;
  EXPECT_TRUE(std::filesystem::exists(Out("r_cut/checkpoint/model.pt")));
  EXPECT_FALSE(std::filesystem::exists(Out("r_cut/model.pt")));
  auto resumed = RunJuicer(TinyClip(Out("r_cut"), "--set checkpoint_every=8 --resume"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(ReadFile(Out("r_cut/embeddings_check.bin")), ReadFile(Out("r_full/embeddings_check.bin")));
  EXPECT_EQ(ReadFile(Out("r_cut/model.pt")).size(), ReadFile(Out("r_full/model.pt")).size());
  EXPECT_FALSE(std::filesystem::exists(Out("r_cut/checkpoint")));
}

TEST_F(ProbeE2E, CaptionTrainsEvaluatesAndHasABaseline) {
  auto t = RunJuicer("train --task caption --data " + Demo("train") + " --out " + Out("cap") +
                     " --steps 20 --batch-size 16 --threads 1 --quiet --set tokenizer=sentencepiece --set sp_vocab=300");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  auto e = RunJuicer("eval --task caption --model " + Out("cap") + " --data " + Demo("eval_caption"));
  ASSERT_EQ(e.exit_code, 0) << e.output;
  for (const char* key : {"BLEU-4", "CIDEr-D", "caption_perplexity", "\"generated\""})
    EXPECT_NE(e.output.find(key), std::string::npos) << key;
  auto b = RunJuicer("baseline --task caption --train " + Demo("train") + " --data " + Demo("eval_caption"));
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_NE(b.output.find("nearest_neighbour_caption"), std::string::npos);
  // Retrieval-augmented: the pool becomes the model's retrieval store, used again at eval time.
  auto r = RunJuicer("train --task caption --data " + Demo("train") + " --out " + Out("capr") +
                     " --steps 10 --batch-size 16 --threads 1 --quiet --set tokenizer=sentencepiece --set sp_vocab=300 "
                     "--set retrieval=2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(Out("capr/retrieval_thumbs.u8")));
  auto re = RunJuicer("eval --model " + Out("capr") + " --data " + Demo("eval_caption") + " --set beam_size=2");
  ASSERT_EQ(re.exit_code, 0) << re.output;
  EXPECT_NE(re.output.find("CIDEr-D"), std::string::npos);
}

TEST_F(ProbeE2E, LanguageModelReportsPerplexityAndBitsPerByte) {
  auto t = RunJuicer("train --task lm --data " + Demo("train") + " --out " + Out("lm") +
                     " --steps 30 --batch-size 8 --threads 1 --quiet --set ctx=32 --set sp_vocab=300");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  auto e = RunJuicer("eval --model " + Out("lm") + " --data " + Demo("eval_caption"));
  ASSERT_EQ(e.exit_code, 0) << e.output;
  EXPECT_NE(e.output.find("bits_per_byte"), std::string::npos);
  auto b = RunJuicer("baseline --task lm --model " + Out("lm") + " --train " + Demo("train") + " --data " + Demo("eval_caption"));
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_NE(b.output.find("unigram"), std::string::npos);
}

TEST_F(ProbeE2E, UserErrorsAreOneLineAndExitTwo) {
  auto r = RunJuicer("train --task clip --data " + Demo("train") + " --out " + Out("x") + " --set stpes=3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("did you mean steps"), std::string::npos) << r.output;
  r = RunJuicer("eval --model " + Out("does-not-exist") + " --data " + Demo("eval_caption"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not a trained model directory"), std::string::npos) << r.output;
  r = RunJuicer("train --task clip --data " + Out("missing.jsonl") + " --out " + Out("y"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunJuicer("train --task clip --data " + Demo("train") + " --out " + Out("z") + " --set tokenizer=clip_bpe --set bpe_path=" + Out("nope.gz"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace
}  // namespace juicer::testing
