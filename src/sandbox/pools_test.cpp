#include "sandbox/pools.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace juicer::sandbox {
namespace {

namespace fs = std::filesystem;

class SandboxPoolsTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = (fs::temp_directory_path() /
            ("juicer_pools_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
             std::to_string(::getpid())))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string P(const std::string& rel) const { return dir_ + "/" + rel; }
  std::string Write(const std::string& rel, const std::vector<std::string>& lines) const {
    const std::string path = P(rel);
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream f(path);
    for (const auto& l : lines) f << l << "\n";
    return path;
  }
  static std::vector<Json> Read(const std::string& path) {
    std::vector<Json> out;
    std::ifstream f(path);
    for (std::string line; std::getline(f, line);)
      if (!line.empty()) out.push_back(Json::parse(line));
    return out;
  }
  // the "text" field of every sample of a pool file
  static std::vector<std::string> Texts(const std::string& path) {
    std::vector<std::string> out;
    for (const auto& s : Read(path)) out.push_back(s.value("text", std::string("?")));
    return out;
  }
  std::vector<std::string> Files() const {  // every file under dir_, relative, sorted
    std::vector<std::string> out;
    for (auto& e : fs::recursive_directory_iterator(dir_))
      if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir_).string());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string dir_;
};

using Strings = std::vector<std::string>;

// ---- ids -------------------------------------------------------------------------------------------

TEST(SandboxPoolsUid, IgnoresStatsMetaAndKeyOrder) {
  Json a = Json::parse(R"({"text": "x", "n": 1, "__dj__stats__": {"s": 1}})");
  Json b = Json::parse(R"({"n": 1, "text": "x", "__dj__stats__": {"s": 2}, "__dj__meta__": {"uid": "zz"}})");
  Json c = Json::parse(R"({"text": "y", "n": 1})");
  EXPECT_EQ(SampleUid(a), SampleUid(b));
  EXPECT_NE(SampleUid(a), SampleUid(c));
  EXPECT_EQ(SampleUid(a).size(), 32u);
  EXPECT_EQ(SampleUid(a), SampleUid(Json::parse(R"({"n":1,"text":"x"})")));
}

// ---- construction ----------------------------------------------------------------------------------

TEST_F(SandboxPoolsTest, ConstructionSplitsEveryNumericStatIntoThirds) {
  // len: number; scores: list (mean; empty -> 0); lang: string stat, skipped
  const std::string data = Write("in/data.jsonl", {
      R"({"text": "a", "__dj__stats__": {"len": 5, "scores": [1, 3], "lang": "en"}})",
      R"({"text": "b", "__dj__stats__": {"len": 1, "scores": [], "lang": "en"}})",
      R"({"text": "c", "__dj__stats__": {"len": 4, "scores": [9], "lang": "fr"}})",
      R"({"text": "d", "__dj__stats__": {"len": 2, "scores": [0.5, 0.5], "lang": "en"}})",
      R"({"text": "e", "__dj__stats__": {"len": 6, "scores": [4, 4, 4], "lang": "de"}})",
      R"({"text": "f", "__dj__stats__": {"len": 3, "scores": [2], "lang": "en"}})",
  });
  Json cfg = {{"type", "data_pool_construction"}, {"dataset_path", data}, {"export_path", P("out")}};
  auto r = RunDataPoolManipulator(cfg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string o = P("out");
  EXPECT_EQ(*r, Json({o + "/len/data_len_0.jsonl", o + "/len/data_len_1.jsonl", o + "/len/data_len_2.jsonl",
                      o + "/scores/data_scores_0.jsonl", o + "/scores/data_scores_1.jsonl",
                      o + "/scores/data_scores_2.jsonl"}));
  // N = 6: cut at int(6/3 + .5) = 2 and int(12/3 + .5) = 4
  EXPECT_EQ(Texts(o + "/len/data_len_0.jsonl"), Strings({"b", "d"}));
  EXPECT_EQ(Texts(o + "/len/data_len_1.jsonl"), Strings({"f", "c"}));
  EXPECT_EQ(Texts(o + "/len/data_len_2.jsonl"), Strings({"a", "e"}));
  // scores means: a 2, b 0, c 9, d 0.5, e 4, f 2 (ties a/f keep the len order: f before a)
  EXPECT_EQ(Texts(o + "/scores/data_scores_0.jsonl"), Strings({"b", "d"}));
  EXPECT_EQ(Texts(o + "/scores/data_scores_1.jsonl"), Strings({"f", "a"}));
  EXPECT_EQ(Texts(o + "/scores/data_scores_2.jsonl"), Strings({"e", "c"}));
  EXPECT_FALSE(fs::exists(o + "/lang"));
  // samples keep their fields and gain a stable id
  auto s = Read(o + "/len/data_len_0.jsonl")[0];
  EXPECT_EQ(s["__dj__stats__"]["len"], 1);
  EXPECT_EQ(s["__dj__meta__"]["uid"], SampleUid(Json::parse(R"({"text": "b"})")));
}

// juicer's stratify_by: each source is split into thirds on its own, so every third keeps the data's mix.
TEST_F(SandboxPoolsTest, ConstructionStratifiedKeepsEachSourcesShare) {
  // source A: len 1..6, source B: len 10..12 (all of B would land in the top third unstratified)
  std::vector<std::string> lines;
  const int lens[] = {4, 11, 1, 6, 10, 3, 2, 12, 5};
  const char* src[] = {"A", "B", "A", "A", "B", "A", "A", "B", "A"};
  for (int i = 0; i < 9; ++i) {
    lines.push_back(R"({"text": "t)" + std::to_string(lens[i]) + R"(", "__dj__meta__": {"source": ")" + src[i] +
                    R"("}, "__dj__stats__": {"len": )" + std::to_string(lens[i]) + "}}");
  }
  const std::string data = Write("in/data.jsonl", lines);
  Json cfg = {{"type", "data_pool_construction"}, {"dataset_path", data}, {"export_path", P("out")},
              {"stratify_by", "__dj__meta__.source"}};
  auto r = RunDataPoolManipulator(cfg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string o = P("out/len/data_len_");
  // A (6 samples) -> 2 per third; B (3 samples) -> 1 per third; groups in order of first appearance
  // in the sorted order (A's 1 comes before B's 10)
  EXPECT_EQ(Texts(o + "0.jsonl"), Strings({"t1", "t2", "t10"}));
  EXPECT_EQ(Texts(o + "1.jsonl"), Strings({"t3", "t4", "t11"}));
  EXPECT_EQ(Texts(o + "2.jsonl"), Strings({"t5", "t6", "t12"}));
  // a missing field is its own stratum; split_num cannot be stratified; the key must be a string
  cfg["split_num"] = 2;
  EXPECT_FALSE(RunDataPoolManipulator(cfg).ok());
  cfg.erase("split_num");
  cfg["stratify_by"] = 3;
  auto bad = RunDataPoolManipulator(cfg);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("stratify_by"), std::string::npos);
}

TEST_F(SandboxPoolsTest, DownsamplingStratifiedKeepsShares) {
  std::vector<std::string> lines;
  for (int i = 0; i < 90; ++i) {
    const char* s = i % 3 == 0 ? "B" : "A";  // A 60, B 30
    lines.push_back(R"({"text": ")" + std::to_string(i) + R"(", "__dj__meta__": {"source": ")" + s + R"("}})");
  }
  lines.push_back(R"({"text": "nosrc"})");  // stratum "(missing)", 1 of 91
  const std::string data = Write("in/data.jsonl", lines);
  for (int seed : {1, 2}) {
    Json cfg = {{"type", "data_pool_downsampling"}, {"dataset_path", data}, {"export_path", P("out" + std::to_string(seed))},
                {"target_num_samples", 30}, {"shuffle_seed", seed}, {"stratify_by", "__dj__meta__.source"}};
    auto r = RunDataPoolManipulator(cfg);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const auto got = Read((*r)[0].get<std::string>());
    ASSERT_EQ(got.size(), 30u);
    int a = 0, b = 0;
    for (const auto& s : got) {
      const std::string src = s["__dj__meta__"].value("source", std::string("-"));
      a += src == "A";
      b += src == "B";
    }
    // quotas 30*60/91 = 19.78 -> 20, 30*30/91 = 9.89 -> 10, 30/91 = 0.33 -> 0 (largest remainders)
    EXPECT_EQ(a, 20);
    EXPECT_EQ(b, 10);
  }
  EXPECT_NE(Texts(P("out1/data_30.jsonl")), Texts(P("out2/data_30.jsonl")));
}

TEST_F(SandboxPoolsTest, ConstructionFractionRatiosSplitNumAndIgnoreStats) {
  std::vector<std::string> lines;
  for (int i = 0; i < 5; ++i)
    lines.push_back("{\"text\": \"t" + std::to_string(i) + "\", \"__dj__stats__\": {\"v\": " + std::to_string(10 - i) +
                    "}}");
  const std::string data = Write("pool.jsonl", lines);
  // "1/4" of 5 -> int(1.25 + .5) = 1; 0.5 -> int(3.0) = 3
  auto r = RunDataPoolManipulator({{"type", "data_pool_construction"},
                                   {"dataset_path", Json::array({data})},
                                   {"export_path", P("a")},
                                   {"split_ratios", Json::array({"1/4", 0.5})}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ(Texts(P("a/v/pool_v_0.jsonl")), Strings({"t4"}));
  EXPECT_EQ(Texts(P("a/v/pool_v_1.jsonl")), Strings({"t3", "t2"}));
  EXPECT_EQ(Texts(P("a/v/pool_v_2.jsonl")), Strings({"t1", "t0"}));
  // split_num wins over split_ratios; ignore_stats keeps file order, files directly in export_path
  r = RunDataPoolManipulator({{"type", "data_pool_construction"},
                              {"dataset_path", data},
                              {"export_path", P("b")},
                              {"split_num", 2},
                              {"ignore_stats", true}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({P("b/pool_ignore_stats_0.jsonl"), P("b/pool_ignore_stats_1.jsonl"),
                      P("b/pool_ignore_stats_2.jsonl")}));
  EXPECT_EQ(Texts(P("b/pool_ignore_stats_0.jsonl")), Strings({"t0", "t1"}));
  EXPECT_EQ(Texts(P("b/pool_ignore_stats_2.jsonl")), Strings({"t4"}));
}

TEST_F(SandboxPoolsTest, ConstructionSkipsStatsMissingInSomeSamples) {
  const std::string data = Write("d.jsonl", {
      R"({"text": "a", "__dj__stats__": {"x": 2, "y": 1}})",
      R"({"text": "b", "__dj__stats__": {"x": 1}})",
      R"({"text": "c", "__dj__stats__": {"x": 3, "y": {"nested": 1}}})",
  });
  auto r = RunDataPoolManipulator(
      {{"type", "data_pool_construction"}, {"dataset_path", data}, {"export_path", P("o")}, {"split_ratios", {0.5}}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({P("o/x/d_x_0.jsonl"), P("o/x/d_x_1.jsonl")}));
  EXPECT_EQ(Texts(P("o/x/d_x_0.jsonl")), Strings({"b", "a"}));  // int(1.5 + .5) = 2
  EXPECT_EQ(Texts(P("o/x/d_x_1.jsonl")), Strings({"c"}));
  EXPECT_FALSE(fs::exists(P("o/y")));
}

TEST_F(SandboxPoolsTest, ConstructionEmptyOrStatlessDatasetsAreSkipped) {
  const std::string empty = Write("empty.jsonl", {});
  const std::string plain = Write("plain.jsonl", {R"({"text": "a"})"});
  auto r = RunDataPoolManipulator(
      {{"type", "data_pool_construction"}, {"dataset_path", {empty, plain}}, {"export_path", P("o")}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json::array());
  EXPECT_EQ(Files(), Strings({"empty.jsonl", "plain.jsonl"}));
}

TEST_F(SandboxPoolsTest, ConstructionValidatesConfig) {
  const std::string data = Write("d.jsonl", {R"({"text": "a", "__dj__stats__": {"x": 1}})"});
  Json cfg = {{"type", "data_pool_construction"}, {"dataset_path", data}, {"export_path", P("o")}};
  cfg["split_ratios"] = {0.5, 0.2};
  auto r = RunDataPoolManipulator(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "data_pool_construction: split_ratios must be increasing values in (0,1), got [0.5,0.2]");
  cfg["split_ratios"] = {"1/0"};
  EXPECT_FALSE(RunDataPoolManipulator(cfg).ok());
  cfg["split_ratios"] = {1.0};
  EXPECT_FALSE(RunDataPoolManipulator(cfg).ok());
  cfg.erase("split_ratios");
  cfg["split_num"] = 0;
  r = RunDataPoolManipulator(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("split_num must be an integer >= 1"), std::string::npos);
  cfg.erase("split_num");
  cfg.erase("export_path");
  r = RunDataPoolManipulator(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "data_pool_construction: export_path is not specified");
  cfg["export_path"] = P("o");
  cfg["dataset_path"] = P("nope.jsonl");
  r = RunDataPoolManipulator(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST_F(SandboxPoolsTest, MalformedLineNamesFileAndLine) {
  const std::string data = Write("bad.jsonl", {R"({"text": "a", "__dj__stats__": {"x": 1}})", R"({"text": )"});
  auto r = RunDataPoolManipulator({{"type", "data_pool_construction"}, {"dataset_path", data}, {"export_path", P("o")}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find("bad.jsonl:2: malformed JSON"), std::string::npos) << r.status().message();
  const std::string arr = Write("arr.jsonl", {"[1, 2]"});
  r = RunDataPoolManipulator({{"type", "data_pool_merging"}, {"dataset_path", arr}, {"export_path", P("o")}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("arr.jsonl:1: sample is not a JSON object"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(fs::exists(P("o/arr_merged.jsonl")));  // no half-written output
}

// ---- combination -----------------------------------------------------------------------------------

TEST_F(SandboxPoolsTest, CombinationWritesEveryNonEmptyIntersection) {
  // the same sample may carry different stats in different pools: ids ignore stats
  const std::string p0 = Write("rank_a.jsonl", {R"({"text": "1"})", R"({"text": "2"})", R"({"text": "3"})"});
  const std::string p1 = Write("rank_b.jsonl", {R"({"text": "3", "__dj__stats__": {"s": 1}})", R"({"text": "2"})",
                                                R"({"text": "4"})"});
  const std::string p2 =
      Write("rank_c.jsonl", {R"({"text": "5"})", R"({"text": "3", "__dj__stats__": {"s": 2}})"});
  auto r = RunDataPoolManipulator(
      {{"type", "data_pool_combination"}, {"dataset_path", {p0, p1, p2}}, {"export_path", P("comb")}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string o = P("comb/rank__");  // common prefix "rank_" + "_top_"
  // order: level 0 (0, 1, 2), level 1 (0_1, 0_2, 1_2), level 2 (0_1_2)
  EXPECT_EQ(*r, Json({o + "top_0_num_3.jsonl", o + "top_1_num_3.jsonl", o + "top_2_num_2.jsonl",
                      o + "top_0_1_num_2.jsonl", o + "top_0_2_num_1.jsonl", o + "top_1_2_num_1.jsonl",
                      o + "top_0_1_2_num_1.jsonl"}));
  EXPECT_EQ(Texts(o + "top_0_1_num_2.jsonl"), Strings({"2", "3"}));  // order of the lower rank
  EXPECT_EQ(Texts(o + "top_1_2_num_1.jsonl"), Strings({"3"}));
  // the last version read of a sample is written (DJ's dict update)
  auto top0 = Read(o + "top_0_num_3.jsonl");
  ASSERT_EQ(top0.size(), 3u);
  EXPECT_EQ(top0[2]["__dj__stats__"]["s"], 2);
}

TEST_F(SandboxPoolsTest, CombinationSkipsEmptyIntersectionsAndUsesDefaultPrefix) {
  const std::string p0 = Write("x.jsonl", {R"({"text": "1"})"});
  const std::string p1 = Write("y.jsonl", {R"({"text": "2"})"});
  auto r = RunDataPoolManipulator(
      {{"type", "data_pool_combination"}, {"dataset_path", {p0, p1}}, {"export_path", P("c")}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({P("c/default_prefix_top_0_num_1.jsonl"), P("c/default_prefix_top_1_num_1.jsonl")}));
}

TEST_F(SandboxPoolsTest, ExistingUidsAreKeptAndPoolsMayBeDirectories) {
  // an id written by an earlier manipulator is kept, even if the content differs: pools match by id
  Write("d0/part-1.jsonl", {R"({"text": "a", "__dj__meta__": {"uid": "u1", "tag": 1}})", R"({"text": "b"})"});
  Write("d0/part-2.jsonl", {R"({"text": "c"})"});
  const std::string p1 = Write("d1.jsonl", {R"j({"text": "a (rewritten)", "__dj__meta__": {"uid": "u1"}})j"});
  auto r = RunDataPoolManipulator(
      {{"type", "data_pool_combination"}, {"dataset_path", {P("d0"), p1}}, {"export_path", P("c")}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({P("c/d_top_0_num_3.jsonl"), P("c/d_top_1_num_1.jsonl"), P("c/d_top_0_1_num_1.jsonl")}));
  auto both = Read(P("c/d_top_0_1_num_1.jsonl"));
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0]["__dj__meta__"]["uid"], "u1");
  EXPECT_EQ(Texts(P("c/d_top_0_num_3.jsonl")), Strings({"a (rewritten)", "b", "c"}));
  // a uid that is not a string is a data error naming the line
  const std::string bad = Write("bad.jsonl", {R"({"text": "x"})", R"({"text": "y", "__dj__meta__": {"uid": 7}})"});
  r = RunDataPoolManipulator({{"type", "data_pool_merging"}, {"dataset_path", bad}, {"export_path", P("m")}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find("bad.jsonl:2: __dj__meta__.uid must be a non-empty string"), std::string::npos)
      << r.status().message();
}

// ---- duplication -----------------------------------------------------------------------------------

TEST_F(SandboxPoolsTest, DuplicationRepeatsPools) {
  const std::string p = Write("pool.jsonl", {R"({"text": "a"})", R"({"text": "b"})"});
  auto r = RunDataPoolManipulator({{"type", "data_pool_duplication"},
                                   {"dataset_path", p},
                                   {"export_path", P("dup")},
                                   {"duplicating_times", {1, 3}}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({P("dup/pool_x1.jsonl"), P("dup/pool_x3.jsonl")}));
  EXPECT_EQ(Texts(P("dup/pool_x3.jsonl")), Strings({"a", "b", "a", "b", "a", "b"}));
  // shuffled: same multiset, deterministic for a seed
  Json cfg = {{"type", "data_pool_duplication"}, {"dataset_path", p},   {"export_path", P("s1")},
              {"duplicating_times", {4}},        {"shuffle", true},     {"shuffle_seed", 7}};
  ASSERT_TRUE(RunDataPoolManipulator(cfg).ok());
  cfg["export_path"] = P("s2");
  ASSERT_TRUE(RunDataPoolManipulator(cfg).ok());
  auto t1 = Texts(P("s1/pool_x4.jsonl"));
  EXPECT_EQ(t1, Texts(P("s2/pool_x4.jsonl")));
  std::multiset<std::string> ms(t1.begin(), t1.end());
  EXPECT_EQ(ms, std::multiset<std::string>({"a", "a", "a", "a", "b", "b", "b", "b"}));
  cfg["duplicating_times"] = {2, 0};
  auto bad = RunDataPoolManipulator(cfg);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "data_pool_duplication: duplicating_times must be integers >= 1, got [2,0]");
}

// ---- downsampling ----------------------------------------------------------------------------------

TEST_F(SandboxPoolsTest, DownsamplingTakesTheSmallestPoolSize) {
  const std::string big = Write("big.jsonl", {R"({"text": "1"})", R"({"text": "2"})", R"({"text": "3"})",
                                              R"({"text": "4"})", R"({"text": "5"})"});
  const std::string small = Write("small.jsonl", {R"({"text": "x"})", R"({"text": "y"})"});
  auto r = RunDataPoolManipulator(
      {{"type", "data_pool_downsampling"}, {"dataset_path", {big, small}}, {"export_path", P("ds")}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({P("ds/big_2.jsonl"), P("ds/small_2.jsonl")}));
  // golden: std::mt19937_64(42) + Fisher-Yates permutes 5 samples to 3 4 5 1 2, and 2 samples to y x
  EXPECT_EQ(Texts(P("ds/big_2.jsonl")), Strings({"3", "4"}));
  EXPECT_EQ(Texts(P("ds/small_2.jsonl")), Strings({"y", "x"}));
  // an explicit target larger than a pool keeps the whole (shuffled) pool, named by the target
  r = RunDataPoolManipulator({{"type", "data_pool_downsampling"},
                              {"dataset_path", {small}},
                              {"export_path", P("ds2")},
                              {"target_num_samples", 10}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({P("ds2/small_10.jsonl")}));
  EXPECT_EQ(Texts(P("ds2/small_10.jsonl")).size(), 2u);
}

// ---- merging ---------------------------------------------------------------------------------------

TEST_F(SandboxPoolsTest, MergingConcatenatesIntoOneFile) {
  const std::string a = Write("pool_top_1.jsonl", {R"({"text": "a"})", R"({"text": "b"})"});
  const std::string b = Write("pool_top_2.json", {R"([{"text": "c"}, {"text": "a"}])"});
  const std::string e = Write("pool_top_3.jsonl", {});
  auto r = RunDataPoolManipulator(
      {{"type", "data_pool_merging"}, {"dataset_path", {a, b, e, P("missing.jsonl")}}, {"export_path", P("m")}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json(P("m/pool_top__merged.jsonl")));
  EXPECT_EQ(Texts(P("m/pool_top__merged.jsonl")), Strings({"a", "b", "c", "a"}));
}

// ---- cartesian join --------------------------------------------------------------------------------

TEST_F(SandboxPoolsTest, CartesianJoinCrossesRows) {
  const std::string m0 = Write("prompt_0.jsonl", {R"({"prompt": "A"})", R"({"prompt": "B"})"});
  const std::string m1 = Write("prompt_1.jsonl", {R"({"prompt": "C"})"});
  const std::string n0 = Write("data.jsonl", {R"({"text": "1"})", R"({"text": "2"})"});
  auto r = RunDataPoolManipulator({{"type", "data_pool_cartesian_join"},
                                   {"dataset_path_1", {m0, m1}},
                                   {"dataset_path_2", {n0}},
                                   {"export_path", P("cj")}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({P("cj/prompt__data_cartesian_join_0_0.jsonl"), P("cj/prompt__data_cartesian_join_1_0.jsonl")}));
  auto rows = Read(P("cj/prompt__data_cartesian_join_0_0.jsonl"));
  ASSERT_EQ(rows.size(), 4u);
  std::vector<std::string> got;
  for (auto& s : rows) got.push_back(s["prompt"].get<std::string>() + s["text"].get<std::string>());
  EXPECT_EQ(got, Strings({"A1", "A2", "B1", "B2"}));
  EXPECT_EQ(rows[0]["__dj__meta__"]["uid"], SampleUid(Json::parse(R"({"prompt": "A", "text": "1"})")));
  // both sides with a field of the same name cannot be joined
  r = RunDataPoolManipulator({{"type", "data_pool_cartesian_join"},
                              {"dataset_path_1", {n0}},
                              {"dataset_path_2", {n0}},
                              {"export_path", P("cj2")}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("both pools have the field 'text'"), std::string::npos) << r.status().message();
}

// ---- ranking ---------------------------------------------------------------------------------------

TEST(SandboxPoolsRanking, RanksByKeysDescendingWithTopN) {
  Json cfg = {{"type", "data_pool_ranking"},
              {"dataset_path", {"p0", "p1", "p2", "p3"}},
              {"metrics", Json::parse(R"([{"eval": {"acc": 0.5}, "loss": 3}, {"eval": {"acc": 0.9}, "loss": 1},
                                           {"eval": {"acc": 0.5}, "loss": 1}, {"eval": {"acc": 0.7}, "loss": 2}])")},
              {"ranking_keys", {"eval.acc"}}};
  auto r = RunGeneralProbe(cfg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({"p1", "p3", "p0", "p2"}));  // ties keep input order
  cfg["ranking_keys"] = {"eval.acc", "loss", "not_there"};
  cfg["descending"] = false;
  cfg["top_n"] = 3;
  r = RunGeneralProbe(cfg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({"p2", "p0", "p3"}));
}

TEST(SandboxPoolsRanking, ErrorsNameTheProblem) {
  Json cfg = {{"type", "data_pool_ranking"}, {"dataset_path", {"a", "b"}}, {"metrics", Json::parse(R"([{"x": 1}])")}};
  auto r = RunGeneralProbe(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("dataset_path and metrics must be lists of the same length"), std::string::npos);
  cfg["metrics"] = Json::parse(R"([{"x": 1}, {"x": 2}])");
  r = RunGeneralProbe(cfg);  // no ranking_keys: whole mappings cannot be ordered
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no ranking_keys"), std::string::npos);
  cfg["ranking_keys"] = {"x"};
  cfg["metrics"] = Json::parse(R"([{"x": 1}, {"y": 2}])");
  r = RunGeneralProbe(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "data_pool_ranking: metrics[1] has no ranking key 'x'");
  cfg["metrics"] = Json::parse(R"([1.5, 2.5])");  // plain numbers rank by value
  cfg.erase("ranking_keys");
  r = RunGeneralProbe(cfg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json({"b", "a"}));
}

// ---- dispatch --------------------------------------------------------------------------------------

TEST(SandboxPoolsDispatch, UnknownTypesAreRejected) {
  auto r = RunDataPoolManipulator({{"type", "data_pool_shuffling"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown extra_configs.type 'data_pool_shuffling'"), std::string::npos);
  r = RunDataPoolManipulator({{"type", "data_pool_ranking"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("GeneralProbeHook"), std::string::npos);
  r = RunGeneralProbe({{"type", "data_pool_merging"}});
  ASSERT_FALSE(r.ok());
  r = RunDataPoolManipulator(Json::array());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace juicer::sandbox
