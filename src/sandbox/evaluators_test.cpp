#include "sandbox/evaluators.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace juicer::sandbox {
namespace {

namespace fs = std::filesystem;

std::string FreshDir(const std::string& name) { return juicer::testing::ScratchDir("eval-" + name); }

std::string Write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

bool Has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(SandboxEvaluators, NestedQueryAndPythonStr) {
  Json s = Json::parse(R"({"a": {"b": {"c": 1}}, "a.b": {"d": 2}, "x": null, "meta.date": "d"})");
  ASSERT_NE(NestedQuery(s, "a.b.c"), nullptr);
  EXPECT_EQ(*NestedQuery(s, "a.b.c"), 1);
  EXPECT_EQ(*NestedQuery(s, "meta.date"), "d");  // the flat key wins
  EXPECT_EQ(NestedQuery(s, "a.b.z"), nullptr);
  EXPECT_EQ(NestedQuery(s, "x"), nullptr);
  EXPECT_EQ(PythonStr(Json(1)), "1");
  EXPECT_EQ(PythonStr(Json(1.0)), "1.0");
  EXPECT_EQ(PythonStr(Json(0.1)), "0.1");
  EXPECT_EQ(PythonStr(Json(true)), "True");
  EXPECT_EQ(PythonStr(Json(nullptr)), "None");
  EXPECT_EQ(PythonStr(Json("x y")), "x y");
}

TEST(SandboxEvaluators, AccuracyWithLabelsInThePredictedData) {
  const std::string dir = FreshDir("acc1");
  const std::string p = Write(dir, "pred.jsonl",
                              "{\"pred\": \"pos\", \"meta\": {\"label\": \"pos\"}}\n"
                              "{\"pred\": \"neg\", \"meta\": {\"label\": \"pos\"}}\n"
                              "{\"pred\": 1, \"meta\": {\"label\": \"1\"}}\n"     // str(1) == "1"
                              "{\"pred\": 1.0, \"meta\": {\"label\": 1}}\n");     // "1.0" != "1"
  auto r = RunDataEvaluator(Json{{"type", "accuracy"},
                                 {"predicted_dataset_path", p},
                                 {"predicted_label_key", "pred"},
                                 {"ground_truth_label_key", "meta.label"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->is_array());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0], Json::parse(R"([{"pred_path": ")" + p + R"(", "gt_path": ")" + p + R"(", "accuracy": 0.5}])"));
  EXPECT_DOUBLE_EQ((*r)[1].get<double>(), 0.5);
}

TEST(SandboxEvaluators, AccuracyOverPathPairsSkipsMissingOnesAndTakesTheMax) {
  const std::string dir = FreshDir("acc2");
  const std::string p1 = Write(dir, "p1.jsonl", "{\"y\": \"a\"}\n{\"y\": \"b\"}\n{\"y\": \"c\"}\n");
  const std::string g1 = Write(dir, "g1.jsonl", "{\"t\": \"a\"}\n{\"t\": \"x\"}\n");  // zip: 2 pairs
  const std::string p2 = Write(dir, "p2.jsonl", "{\"y\": \"a\"}\n{\"y\": \"x\"}\n");
  const std::string g2 = Write(dir, "g2.jsonl", "{\"t\": \"a\"}\n{\"t\": \"x\"}\n");
  Json cfg = {{"type", "accuracy"},
              {"predicted_dataset_path", {p1, dir + "/missing.jsonl", p2}},
              {"ground_truth_dataset_path", {g1, g2, g2}},
              {"predicted_label_key", "y"},
              {"ground_truth_label_key", "t"}};
  auto r = RunDataEvaluator(cfg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)[0].size(), 2u);
  EXPECT_DOUBLE_EQ((*r)[0][0]["accuracy"].get<double>(), 0.5);
  EXPECT_EQ((*r)[0][1]["pred_path"], p2);
  EXPECT_DOUBLE_EQ((*r)[0][1]["accuracy"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ((*r)[1].get<double>(), 1.0);

  cfg["ground_truth_dataset_path"] = {g1};
  EXPECT_EQ(RunDataEvaluator(cfg).status().code(), StatusCode::kInvalidArgument);
  cfg["ground_truth_dataset_path"] = nullptr;
  cfg["predicted_dataset_path"] = dir + "/missing.jsonl";
  EXPECT_EQ(RunDataEvaluator(cfg).status().code(), StatusCode::kNotFound);
  cfg["predicted_dataset_path"] = p1;
  cfg.erase("predicted_label_key");
  auto e = RunDataEvaluator(cfg);
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(Has(e.status().message(), "predicted_label_key")) << e.status().message();
}

TEST(SandboxEvaluators, MissingFieldNamesFileAndLine) {
  const std::string dir = FreshDir("accmiss");
  const std::string p = Write(dir, "pred.jsonl", "{\"y\": 1, \"t\": 1}\n{\"y\": 2}\n");
  auto r = RunDataEvaluator(Json{{"type", "accuracy"},
                                 {"predicted_dataset_path", p},
                                 {"predicted_label_key", "y"},
                                 {"ground_truth_label_key", "t"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_TRUE(Has(r.status().message(), p + ":2: no field 't'")) << r.status().message();
  const std::string bad = Write(dir, "bad.jsonl", "{\"y\": 1, \"t\": 1}\n{oops\n");
  r = RunDataEvaluator(Json{{"type", "mse"},
                            {"predicted_dataset_path", bad},
                            {"predicted_value_key", "y"},
                            {"ground_truth_value_key", "t"}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.status().message(), bad + ":2")) << r.status().message();
}

TEST(SandboxEvaluators, MseCountsFormatErrorsAndTakesTheMin) {
  const std::string dir = FreshDir("mse");
  const std::string p1 = Write(dir, "p1.jsonl",
                               "{\"v\": 1, \"g\": 1}\n{\"v\": 2, \"g\": 4}\n{\"v\": \" 3.0 \", \"g\": \"2\"}\n"
                               "{\"v\": \"abc\", \"g\": 5}\n{\"v\": true, \"g\": 1}\n");
  const std::string p2 = Write(dir, "p2.jsonl", "{\"v\": 1.5, \"g\": 1}\n");
  auto r = RunDataEvaluator(Json{{"type", "mse"},
                                 {"predicted_dataset_path", {p1, p2}},
                                 {"predicted_value_key", "v"},
                                 {"ground_truth_value_key", "g"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // p1: (0 + 4 + 1 + 0) / 4 with "abc" skipped; p2: 0.25.
  EXPECT_DOUBLE_EQ((*r)[0][0]["mse"].get<double>(), 1.25);
  EXPECT_EQ((*r)[0][0]["format_error"], 1);
  EXPECT_DOUBLE_EQ((*r)[0][1]["mse"].get<double>(), 0.25);
  EXPECT_EQ((*r)[0][1]["format_error"], 0);
  EXPECT_DOUBLE_EQ((*r)[1].get<double>(), 0.25);
  const std::string p3 = Write(dir, "p3.jsonl", "{\"v\": [1], \"g\": 1}\n");
  auto e = RunDataEvaluator(Json{{"type", "mse"},
                                 {"predicted_dataset_path", p3},
                                 {"predicted_value_key", "v"},
                                 {"ground_truth_value_key", "g"}});
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(Has(e.status().message(), p3 + ":1: field 'v' is array")) << e.status().message();
}

TEST(SandboxEvaluators, StatsSummaryGolden) {
  const std::string dir = FreshDir("stats");
  const std::string p = Write(dir, "d.jsonl",
                              "{\"text\": \"a\", \"__dj__stats__\": {\"text_len\": 1, \"lang\": \"en\", \"w\": [1, 2]},"
                              " \"__dj__meta__\": {\"q\": 0.5}, \"score\": 3}\n"
                              "{\"text\": \"bb\", \"__dj__stats__\": {\"text_len\": 2, \"lang\": \"zh\", \"w\": []},"
                              " \"__dj__meta__\": {\"q\": 1.5}, \"score\": 4}\n"
                              "{\"text\": \"ccc\", \"__dj__stats__\": {\"text_len\": 3, \"lang\": \"en\", \"w\": [3]},"
                              " \"__dj__meta__\": {\"q\": 2.5}, \"score\": 5}\n"
                              "{\"text\": \"\xc3\xa9\xc3\xa9\", \"__dj__stats__\": {\"text_len\": 4, \"lang\": \"en\", \"w\": [4]},"
                              " \"__dj__meta__\": {\"q\": 3.5}, \"score\": 6}\n");
  auto r = RunDataEvaluator(
      Json{{"type", "stats_summary"}, {"dataset_path", p}, {"stats_keys", {"text_len", "w", "q", "score", "lang"}}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  const Json& out = (*r)[0];
  EXPECT_EQ(out["dataset_size"], Json::parse(R"({"num_samples": 4, "text_bytes": 10})"));
  const Json& tl = out["stats"]["text_len"];
  EXPECT_EQ(tl["count"], 4);
  EXPECT_DOUBLE_EQ(tl["mean"].get<double>(), 2.5);
  EXPECT_NEAR(tl["std"].get<double>(), 1.2909944487358056, 1e-12);
  EXPECT_DOUBLE_EQ(tl["min"].get<double>(), 1);
  EXPECT_DOUBLE_EQ(tl["max"].get<double>(), 4);
  EXPECT_DOUBLE_EQ(tl["median"].get<double>(), 2.5);
  EXPECT_EQ(out["stats"]["w"]["count"], 4);  // lists flattened: 1 2 3 4
  EXPECT_DOUBLE_EQ(out["stats"]["q"]["mean"].get<double>(), 2.0);  // from __dj__meta__
  EXPECT_DOUBLE_EQ(out["stats"]["score"]["median"].get<double>(), 4.5);  // a plain field
  EXPECT_EQ(out["stats"]["lang"], Json::parse(R"({"count": 4, "unique": 2, "top": "en", "freq": 3})"));

  // Default keys: every __dj__stats__ key, first-seen order.
  r = RunDataEvaluator(Json{{"type", "stats_summary"}, {"dataset_path", p}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> keys;
  for (const auto& [k, v] : (*r)[0]["stats"].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"text_len", "lang", "w"}));

  r = RunDataEvaluator(Json{{"type", "dataset_size"}, {"dataset_path", p}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Json::parse(R"([{"num_samples": 4, "text_bytes": 10}])"));
}

TEST(SandboxEvaluators, StatsSummaryMissingStat) {
  const std::string dir = FreshDir("statsmiss");
  const std::string p = Write(dir, "d.jsonl",
                              "{\"text\": \"a\", \"__dj__stats__\": {\"n\": 1}}\n{\"text\": \"b\", \"__dj__stats__\": {}}\n");
  Json cfg = {{"type", "stats_summary"}, {"dataset_path", p}, {"stats_keys", {"n"}}};
  auto r = RunDataEvaluator(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_TRUE(Has(r.status().message(), p + ":2: no stat 'n'")) << r.status().message();
  cfg["skip_missing"] = true;
  r = RunDataEvaluator(cfg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0]["stats"]["n"]["count"], 1);
  EXPECT_TRUE((*r)[0]["stats"]["n"]["std"].is_null());  // one value: no sample std
  cfg["text_key"] = "content";
  r = RunDataEvaluator(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.status().message(), p + ":1: no text field 'content'")) << r.status().message();
}

TEST(SandboxEvaluators, BadConfigs) {
  EXPECT_EQ(RunDataEvaluator(Json{{"type", "bleu"}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RunDataEvaluator(Json::object()).status().code(), StatusCode::kInvalidArgument);
  auto r = RunDataEvaluator(Json{{"type", "stats_summary"}, {"dataset_path", "/x.jsonl"}, {"stat_keys", {"a"}}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.status().message(), "'stat_keys'")) << r.status().message();
  EXPECT_EQ(RunDataEvaluator(Json{{"type", "dataset_size"}, {"dataset_path", "/nonexistent/x.jsonl"}}).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace juicer::sandbox
