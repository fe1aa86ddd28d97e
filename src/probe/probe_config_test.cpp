#include "probe/probe_config.h"

#include <gtest/gtest.h>

#include "analysis/line_chart.h"
#include "probe/prepare.h"
#include "probe/probe_data.h"
#include "tests/test_util.h"

namespace juicer::probe {
namespace {

TEST(ProbeConfig, PresetsScaleWidths) {
  auto xs = PresetConfig("clip", "xs"), m = PresetConfig("clip", "m");
  ASSERT_TRUE(xs.ok() && m.ok());
  EXPECT_EQ(m->d_model, 2 * xs->d_model);
  EXPECT_EQ(m->channels.back(), 2 * xs->channels.back());
  EXPECT_EQ(xs->BudgetSamples(), xs->steps * xs->batch_size);
  EXPECT_FALSE(PresetConfig("clip", "xl").ok());
  EXPECT_FALSE(PresetConfig("detect", "xs").ok());
  auto lm = PresetConfig("lm", "xs");
  ASSERT_TRUE(lm.ok());
  EXPECT_EQ(lm->tokenizer, "sentencepiece");
}

TEST(ProbeConfig, KeysAreValidatedWithHints) {
  ProbeConfig c = *PresetConfig("clip", "xs");
  EXPECT_TRUE(SetConfigKey(&c, "channels", "8,16").ok());
  EXPECT_EQ(c.channels, (std::vector<int>{8, 16}));
  Status st = SetConfigKey(&c, "stpes", "10");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("did you mean steps"), std::string::npos) << st.message();
  EXPECT_FALSE(SetConfigKey(&c, "steps", "ten").ok());
  EXPECT_FALSE(SetConfigKey(&c, "steps", "0").ok());
  EXPECT_FALSE(SetConfigKey(&c, "tokenizer", "wordpiece").ok());
  EXPECT_TRUE(SetConfigKey(&c, "lr", "0.01").ok());
  EXPECT_DOUBLE_EQ(c.lr, 0.01);
}

TEST(ProbeConfig, FileErrorsNameTheLineAndJsonRoundTrips) {
  testing::TempDir dir;
  testing::WriteFile(dir / "m.yaml", "steps: 20\nbatch_size: 8\nwarmup_step: 3\n");
  ProbeConfig c = *PresetConfig("caption", "s");
  Status st = ApplyConfigFile(&c, dir / "m.yaml");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("m.yaml:3"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("warmup_steps"), std::string::npos) << st.message();
  testing::WriteFile(dir / "ok.yaml", "steps: 20\nchannels: [4, 8]\nlr: 0.5\n");
  ASSERT_TRUE(ApplyConfigFile(&c, dir / "ok.yaml").ok());
  testing::WriteFile(dir / "config.json", ConfigToJson(c));
  auto back = ReadConfigJson(dir / "config.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ConfigToJson(*back), ConfigToJson(c));
  EXPECT_EQ(back->steps, 20);
  EXPECT_EQ(back->channels, (std::vector<int>{4, 8}));
}

TEST(ProbeData, SpecialTokensAreStripped) {
  EXPECT_EQ(StripSpecialTokens("<__dj__image> A  cat.\n <|__dj__eoc|>"), "A cat.");
  EXPECT_EQ(StripSpecialTokens("<__dj__image><__dj__image> two <|__dj__eoc|> chunks <|__dj__eoc|>"), "two chunks");
  EXPECT_EQ(StripSpecialTokens("plain"), "plain");
}

TEST(ProbeData, MissingImageNamesSampleAndPath) {
  testing::TempDir dir;
  testing::WriteFile(dir / "d.jsonl", "{\"text\":\"a\",\"images\":[\"nope.png\"]}\n");
  auto r = ReadProbeRecords(dir / "d.jsonl", true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("d.jsonl:1"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("nope.png"), std::string::npos) << r.status().message();
  testing::WriteFile(dir / "e.jsonl", "{\"text\":\"a\",\"images\":[]}\n");
  EXPECT_FALSE(ReadProbeRecords(dir / "e.jsonl", true).ok());
}

TEST(ProbeData, CorruptImagesAreReportedNotFatal) {
  testing::TempDir dir;
  testing::WriteFile(dir / "bad.png", "this is not a png");
  testing::WriteFile(dir / "d.jsonl", "{\"text\":\"a\",\"images\":[\"bad.png\"]}\n");
  auto recs = ReadProbeRecords(dir / "d.jsonl", true);
  ASSERT_TRUE(recs.ok());
  setenv("JUICER_CACHE_DIR", "off", 1);
  std::vector<uint8_t> px;
  auto st = LoadImages(*recs, 8, 1, &px, false);
  unsetenv("JUICER_CACHE_DIR");
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->failed.size(), 1u);
  EXPECT_NE(st->failed[0].second.find("bad.png"), std::string::npos);
  EXPECT_EQ(px.size(), 8u * 8 * 3);
}

// A tokenizer with one id per byte, for exact checks of the token layouts.
class ByteTokenizer : public Tokenizer {
 public:
  std::vector<int> Encode(std::string_view t) const override {
    std::vector<int> ids;
    for (unsigned char c : t) ids.push_back(4 + c);
    return ids;
  }
  std::string Decode(const std::vector<int>& ids) const override {
    std::string s;
    for (int id : ids) s.push_back(static_cast<char>(id - 4));
    return s;
  }
  int VocabSize() const override { return 260; }
  int Bos() const override { return 1; }
  int Eos() const override { return 2; }
  int Pad() const override { return 0; }
  std::string Kind() const override { return "bytes"; }
  Status Save(const std::string&) const override { return Status::OK(); }
};

TEST(Prepare, CaptionRowsAreBosTextEosPad) {
  ByteTokenizer tok;
  TokenRows r = EncodeCaptions(tok, {"ab", "abcdefgh"}, 6);
  ASSERT_EQ(r.rows, 2);
  EXPECT_EQ(std::vector<int64_t>(r.ids.begin(), r.ids.begin() + 6), (std::vector<int64_t>{1, 101, 102, 2, 0, 0}));
  EXPECT_EQ(std::vector<int64_t>(r.ids.begin() + 6, r.ids.end()), (std::vector<int64_t>{1, 101, 102, 103, 104, 2}));
  EXPECT_EQ(r.eot, (std::vector<int64_t>{3, 5}));
}

TEST(Prepare, LmWindowsPredictEveryTokenOnce) {
  ByteTokenizer tok;
  LmWindows w = MakeLmWindows(tok, {"abc", "de"}, 3);  // stream: BOS a b c EOS d e EOS (8 ids)
  EXPECT_EQ(w.targets, 7);
  EXPECT_EQ(w.bytes, 3 + 1 + 2 + 1);
  ASSERT_EQ(w.cols, 4);
  ASSERT_EQ(w.rows, 3);
  int64_t targets = 0;
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t c = 1; c < w.cols; ++c) targets += w.ids[r * w.cols + c] != tok.Pad();
  EXPECT_EQ(targets, w.targets);
  EXPECT_EQ(w.ids[4], w.ids[3]);  // window 2 starts where window 1 ended (stride ctx)
}

TEST(Prepare, ThumbnailsAverageBoxesAndCentre) {
  std::vector<uint8_t> px(4 * 4 * 3, 0);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x) px[(y * 4 + x) * 3] = 100;  // top-left 2x2 block, red
  auto t = Thumbnails(px, 1, 4, 2);
  ASSERT_EQ(t.size(), 2u * 2 * 3);
  EXPECT_EQ(t[0], 100);
  EXPECT_EQ(t[3], 0);
  auto c = CenteredThumbs(t, 1, 2);
  double sum = 0;
  for (float v : c) sum += v;
  EXPECT_NEAR(sum, 0, 1e-3);
}

TEST(Prepare, RetrievedRowsHoldTheNeighboursCaption) {
  ByteTokenizer tok;
  TokenRows r = RetrievedRows(tok, {"ab", "xyz"}, {1, 0}, 4);
  EXPECT_EQ(std::vector<int64_t>(r.ids.begin(), r.ids.begin() + 4), (std::vector<int64_t>{124, 125, 126, 2}));
  EXPECT_EQ(std::vector<int64_t>(r.ids.begin() + 4, r.ids.end()), (std::vector<int64_t>{101, 102, 2, 0}));
  EXPECT_EQ(r.eot, (std::vector<int64_t>{3, 2}));
}

TEST(LineChart, DrawsSeriesAndLegend) {
  std::string svg = LineChartSvg("loss", "samples", "loss", {{"a", {1, 2, 3}, {3, 2, 1}}, {"b", {1, 2}, {1, 1.5}}});
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find(">b<"), std::string::npos);
  EXPECT_NE(LineChartSvg("x", "x", "y", {}).find("no data"), std::string::npos);
}

}  // namespace
}  // namespace juicer::probe
