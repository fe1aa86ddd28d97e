#include "sandbox/ksigma.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "ops/builtin.h"

namespace juicer::sandbox {
namespace {

namespace fs = std::filesystem;

OpInfo FakeOp(std::string name, OpKind kind, std::vector<ParamSpec> params, std::vector<std::string> stat_keys) {
  OpInfo info;
  info.name = std::move(name);
  info.kind = kind;
  info.summary = "test op";
  info.params = std::move(params);
  info.stat_keys = std::move(stat_keys);
  info.factory = [](const OpInfo&, const OpParams&) -> Result<std::unique_ptr<Op>> {
    return Status::Internal("not built in tests");
  };
  return info;
}

ParamSpec StrParam(std::string name) {
  return ParamSpec{.name = std::move(name), .type = ParamType::kString, .default_value = std::string("x")};
}

class SandboxKSigmaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(reg_.Add(FakeOp("len_filter", OpKind::kFilter,
                                {IntBound("min_len", 10, "d"), IntBound("max_len", 1000, "d")}, {"text_len"}))
                    .ok());
    ASSERT_TRUE(
        reg_.Add(FakeOp("ratio_filter", OpKind::kFilter,
                        {FloatBound("min_ratio", 0.25, "d"), FloatBound("max_ratio", 1.0, "d"), StrParam("min_mode")},
                        {"alnum_ratio"}))
            .ok());
    ASSERT_TRUE(reg_.Add(FakeOp("lang_filter", OpKind::kFilter, {StrParam("lang"), FloatBound("min_score", 0.8, "d")},
                                {"lang", "lang_score"}))
                    .ok());
    ASSERT_TRUE(reg_.Add(FakeOp("two_filter", OpKind::kFilter, {FloatBound("min_v", 0, "d")}, {"a", "b", "c"})).ok());
    ASSERT_TRUE(reg_.Add(FakeOp("gone_filter", OpKind::kFilter, {FloatBound("min_v", 0, "d")}, {"not_in_csv"})).ok());
    ASSERT_TRUE(reg_.Add(FakeOp("one_filter", OpKind::kFilter, {FloatBound("max_v", 0, "d")}, {"single"})).ok());
    ASSERT_TRUE(reg_.Add(FakeOp("clean_mapper", OpKind::kMapper, {FloatBound("min_x", 0, "d")}, {})).ok());
  }

  // The overall table as `juicer analyze` writes it: string stat `lang` (its top value quoted),
  // `single` with one value (std empty = NaN).
  static constexpr const char* kCsv =
      ",text_len,alnum_ratio,lang,lang_score,a,b,single\n"
      "count,4.0,4.0,4,4.0,4.0,4.0,1.0\n"
      "unique,,,2,,,,\n"
      "top,,,\"en,\"\"x\"\"\n2\",,,,\n"
      "freq,,,3,,,,\n"
      "mean,100.5,0.5,,0.75,1.0,2.0,7.0\n"
      "std,10.25,0.125,,0.0625,0.5,0.25,\n"
      "min,80.0,0.25,,0.5,0.0,1.0,7.0\n"
      "25%,90.0,0.3,,0.6,1.0,2.0,7.0\n"
      "50%,100.0,0.5,,0.7,1.0,2.0,7.0\n"
      "75%,110.0,0.6,,0.8,1.0,2.0,7.0\n"
      "max,120.0,0.75,,1.0,2.0,3.0,7.0\n";

  OpRegistry reg_;
};

TEST_F(SandboxKSigmaTest, ParsesOverallCsvLayout) {
  auto m = ParseOverallCsv(kCsv, "overall.csv");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->size(), 7u);
  const StatMoment& t = m->at("text_len");
  EXPECT_EQ(t.count, 4.0);
  EXPECT_EQ(t.mean, 100.5);
  EXPECT_EQ(t.std, 10.25);
  EXPECT_EQ(t.min, 80.0);
  EXPECT_EQ(t.max, 120.0);
  const StatMoment& lang = m->at("lang");
  EXPECT_EQ(lang.count, 4.0);
  EXPECT_TRUE(std::isnan(lang.mean));
  EXPECT_TRUE(std::isnan(lang.std));
  EXPECT_TRUE(std::isnan(m->at("single").std));
  EXPECT_EQ(m->at("single").mean, 7.0);
}

TEST_F(SandboxKSigmaTest, GoldenThresholds) {
  auto stats = ParseOverallCsv(kCsv, "overall.csv");
  ASSERT_TRUE(stats.ok());
  const Json recipe = Json::parse(R"({
    "project_name": "p", "dataset_path": "d.jsonl", "np": 2,
    "process": [
      {"clean_mapper": {"min_x": 1.0}},
      {"len_filter": {"min_len": 10, "max_len": 1000, "text_key": "text"}},
      {"ratio_filter": {"min_ratio": 0.1, "min_mode": "keep", "min_closed_interval": false}},
      {"lang_filter": {"lang": "en", "min_score": 0.8}},
      {"two_filter": {"min_v": 0}},
      {"gone_filter": {"min_v": 0.5}},
      {"one_filter": {"max_v": 3}},
      {"unknown_op": {"min_v": 0.5}},
      {"ratio_filter": null}
    ]})");
  auto out = RefineRecipeKSigma(recipe, *stats, reg_, 3.0);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Json expected = Json::parse(R"({
    "project_name": "p", "dataset_path": "d.jsonl", "np": 2,
    "process": [
      {"clean_mapper": {"min_x": 1.0}},
      {"len_filter": {"min_len": 70, "max_len": 131, "text_key": "text"}},
      {"ratio_filter": {"min_ratio": 0.125, "min_mode": "keep", "min_closed_interval": false}},
      {"lang_filter": {"lang": "en", "min_score": 0.5625}},
      {"two_filter": {"min_v": 1.25}},
      {"gone_filter": {"min_v": 0.5}},
      {"one_filter": {"max_v": 3}},
      {"unknown_op": {"min_v": 0.5}},
      {"ratio_filter": null}
    ]})");
  EXPECT_EQ(*out, expected) << out->dump(1);
  // int params stay integers, float params floats
  EXPECT_TRUE((*out)["process"][1]["len_filter"]["min_len"].is_number_integer());
  EXPECT_TRUE((*out)["process"][2]["ratio_filter"]["min_ratio"].is_number_float());
}

TEST_F(SandboxKSigmaTest, KIsConfigurable) {
  auto stats = ParseOverallCsv(kCsv, "overall.csv");
  ASSERT_TRUE(stats.ok());
  const Json recipe = Json::parse(
      R"({"process": [{"ratio_filter": {"min_ratio": 0.1, "max_ratio": 0.9}}, {"len_filter": {"min_len": 1}}]})");
  auto k2 = RefineRecipeKSigma(recipe, *stats, reg_, 2.0);
  ASSERT_TRUE(k2.ok());
  EXPECT_EQ((*k2)["process"][0]["ratio_filter"]["min_ratio"], 0.25);
  EXPECT_EQ((*k2)["process"][0]["ratio_filter"]["max_ratio"], 0.75);
  EXPECT_EQ((*k2)["process"][1]["len_filter"]["min_len"], 80);  // 100.5 - 20.5
  auto k0 = RefineRecipeKSigma(recipe, *stats, reg_, 0.0);
  ASSERT_TRUE(k0.ok());
  EXPECT_EQ((*k0)["process"][0]["ratio_filter"]["min_ratio"], 0.5);
  EXPECT_EQ((*k0)["process"][1]["len_filter"]["min_len"], 101);  // ceil(100.5)
}

TEST_F(SandboxKSigmaTest, BuiltinRegistryTextLengthFilter) {
  auto stats = ParseOverallCsv(kCsv, "overall.csv");
  ASSERT_TRUE(stats.ok());
  const Json recipe = Json::parse(
      R"({"process": [{"text_length_filter": {"min_len": 10, "max_len": 10000}}, {"clean_email_mapper": null}]})");
  auto out = RefineRecipeKSigma(recipe, *stats, BuiltinRegistry(), 1.0);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["process"][0]["text_length_filter"]["min_len"], 91);   // ceil(90.25)
  EXPECT_EQ((*out)["process"][0]["text_length_filter"]["max_len"], 110);  // floor(110.75)
  EXPECT_TRUE((*out)["process"][1]["clean_email_mapper"].is_null());
}

TEST_F(SandboxKSigmaTest, BadInputsAreUserErrors) {
  StatMoments none;
  auto bad = RefineRecipeKSigma(Json::parse(R"({"process": {"a": 1}})"), none, reg_);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  auto bad2 = RefineRecipeKSigma(Json::parse(R"({"process": [{"a": 1, "b": 2}]})"), none, reg_);
  EXPECT_EQ(bad2.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad2.status().message().find("process.0"), std::string::npos);
  auto no_process = RefineRecipeKSigma(Json::parse(R"({"np": 1})"), none, reg_);
  ASSERT_TRUE(no_process.ok());
  EXPECT_EQ(*no_process, Json::parse(R"({"np": 1})"));

  auto ragged = ParseOverallCsv(",a,b\ncount,1.0\n", "o.csv");
  EXPECT_EQ(ragged.status().code(), StatusCode::kDataError);
  EXPECT_NE(ragged.status().message().find("o.csv:2"), std::string::npos) << ragged.status().message();
  auto word = ParseOverallCsv(",a\nmean,abc\n", "o.csv");
  EXPECT_EQ(word.status().code(), StatusCode::kDataError);
  auto quote = ParseOverallCsv(",a\ntop,\"abc\n", "o.csv");
  EXPECT_EQ(quote.status().code(), StatusCode::kDataError);
  auto missing = ReadOverallCsv((fs::temp_directory_path() / "no_such_juicer_overall.csv").string());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto empty = ParseOverallCsv("", "o.csv");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_F(SandboxKSigmaTest, WriteRecipeYamlAndJson) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("juicer_ksigma_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  { std::ofstream(dir.string() + ".csv") << kCsv; }
  auto stats = ReadOverallCsv(dir.string() + ".csv");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  fs::remove(dir.string() + ".csv");
  auto refined = RefineRecipeKSigma(
      Json::parse(R"({"project_name": "p", "process": [{"len_filter": {"min_len": 10, "max_len": 1000}},
                      {"ratio_filter": {"min_ratio": 0.1}}]})"),
      *stats, reg_);
  ASSERT_TRUE(refined.ok());
  const std::string yaml = (dir / "sub" / "k_sigma_recipe.yaml").string();
  ASSERT_TRUE(WriteRecipe(*refined, yaml).ok());
  auto back = LoadYamlFile(yaml);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, *refined);
  const std::string json = (dir / "k.json").string();
  ASSERT_TRUE(WriteRecipe(*refined, json).ok());
  auto back2 = LoadJsonFile(json);
  ASSERT_TRUE(back2.ok());
  EXPECT_EQ(*back2, *refined);
  EXPECT_EQ(WriteRecipe(*refined, (dir / "k.txt").string()).code(), StatusCode::kInvalidArgument);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace juicer::sandbox
