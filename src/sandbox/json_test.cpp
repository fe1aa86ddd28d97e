#include "sandbox/json.h"

#include <gtest/gtest.h>

namespace juicer::sandbox {
namespace {

TEST(SandboxJson, YamlScalarsKeepTheirTypes) {
  auto v = ParseYamlText("a: 1\nb: 2.5\nc: true\nd: ~\ne: '3'\nf: text\ng: [1, x]\nh: -4\n", "t.yaml");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE((*v)["a"].is_number_integer());
  EXPECT_DOUBLE_EQ((*v)["b"].get<double>(), 2.5);
  EXPECT_EQ((*v)["c"], true);
  EXPECT_TRUE((*v)["d"].is_null());
  EXPECT_EQ((*v)["e"], "3");
  EXPECT_EQ((*v)["f"], "text");
  EXPECT_EQ((*v)["g"][1], "x");
  EXPECT_EQ((*v)["h"], -4);
}

TEST(SandboxJson, BadYamlNamesFileAndLine) {
  auto v = ParseYamlText("a: [1, 2\nb: 3\n", "cfg.yaml");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("cfg.yaml:"), std::string::npos);
}

TEST(SandboxJson, DottedGetAndSet) {
  Json j = Json::parse(R"({"a": {"b": [ {"c": 1} ]}})");
  ASSERT_NE(DottedGet(j, "a.b.0.c"), nullptr);
  EXPECT_EQ(*DottedGet(j, "a.b.0.c"), 1);
  EXPECT_EQ(DottedGet(j, "a.x"), nullptr);
  EXPECT_EQ(DottedGet(j, "a.b.3"), nullptr);
  ASSERT_TRUE(DottedSet(j, "a.b.0.c", 5).ok());
  ASSERT_TRUE(DottedSet(j, "x.y.z", "v").ok());
  EXPECT_EQ(j["x"]["y"]["z"], "v");
  EXPECT_EQ(*DottedGet(j, "a.b.0.c"), 5);
  EXPECT_FALSE(DottedSet(j, "x.y.z.w", 1).ok());
}

TEST(SandboxJson, YamlRoundTrip) {
  Json j = Json::parse(R"({"process": [{"text_length_filter": {"min_len": 10, "max_len": 2.5e3}}],
                         "name": "x: y", "flag": false, "none": null, "list": []})");
  auto back = ParseYamlText(ToYaml(j), "roundtrip");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, j);
}

}  // namespace
}  // namespace juicer::sandbox
