#include "core/sample_parser.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "core/json_text.h"

namespace juicer {
namespace {

// Samples borrow their raw text from the parsed buffer: keep every buffer alive for the test.
Status ParseText(SampleParser& p, const std::string& text, Sample* s) {
  static std::deque<std::string> buffers;
  buffers.push_back(text + std::string(JsonPadding(), '\0'));
  return p.Parse(buffers.back().data(), text.size(), buffers.back().size(), s);
}

std::string Dump(const Sample& s, bool keep_stats = true, bool keep_hashes = true) {
  std::string out;
  s.AppendJson(&out, keep_stats, keep_hashes);
  return out;
}

TEST(SampleParser, PreservesExtraFieldsByteForByte) {
  SampleParser p;
  Sample s;
  const std::string in =
      R"({"text":"caf\u00e9 \"q\"","n":1.50,"big":12345678901234567890,"e":1e2,"o":{"a" : [1, 2.0,{"b":null}]},"t":true})";
  ASSERT_TRUE(ParseText(p, in, &s).ok());
  EXPECT_EQ(*s.GetText("text"), "café \"q\"");
  EXPECT_EQ(s.Find("n")->RawText(), "1.50");
  EXPECT_EQ(s.Find("big")->RawText(), "12345678901234567890");
  EXPECT_EQ(s.Find("e")->RawText(), "1e2");
  EXPECT_EQ(s.Find("o")->RawText(), R"({"a" : [1, 2.0,{"b":null}]})");
  EXPECT_EQ(Dump(s), in);  // unchanged sample -> identical text (compact input)
}

TEST(SampleParser, ParsesStatsAndDropsThemFromFields) {
  SampleParser p;
  Sample s;
  ASSERT_TRUE(ParseText(p, R"({"text":"a","__dj__stats__":{"text_len":1,"r":0.5,"l":[1,2],"lang":"en"}})", &s).ok());
  EXPECT_FALSE(s.Has("__dj__stats__"));
  ASSERT_TRUE(s.stats().Has("text_len"));
  EXPECT_EQ(*s.stats().Find("text_len")->AsNumber(), 1.0);
  EXPECT_TRUE(s.stats().Find("l")->is_list());
  EXPECT_EQ(Dump(s), R"({"text":"a","__dj__stats__":{"text_len":1,"r":0.5,"l":[1,2],"lang":"en"}})");
  EXPECT_EQ(Dump(s, false), R"({"text":"a"})");
}

TEST(SampleParser, RejectsMalformedJson) {
  SampleParser p;
  for (const std::string bad :
       {R"({"text": "a",})", R"({"text": "a")", R"({"a": [1,,2]})", R"({"a": 01})", R"([1,2])", R"("str")",
        R"({"a": tru})", R"({"a":1} x)", R"({"a":1}})", R"({"a":{"b":[1, 2x]}})", R"({"a":"\q"})",
        R"({"a" 1})", R"({"a":[1 2]})", R"({"a":{"b":1 "c":2}})", R"({"a":nul})", R"({"a":[1,2})",
        "{\"a\":\"x\ty\"}", R"({"a":{"b":}})", R"({"__dj__stats__":{"x":[1,}]}})", R"({"a":[{"b":-}]})",
        R"({"a":1,"b":[true, fals]})", R"({})x)", R"({"a":"\ud800"})"}) {
    Sample s;
    Status st = ParseText(p, bad, &s);
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.code(), StatusCode::kDataError) << bad;
  }
}

TEST(SampleParser, AcceptsValidEdgeCases) {
  SampleParser p;
  for (const std::string good : {R"({})", R"(  { "a" : 1 }  )", R"({"a":[],"b":{},"c":[[[]]],"d":-0.0e-1})",
                                 R"({"a":"\u00e9\ud83d\ude00"})", R"({"__dj__stats__":null,"t":""})"}) {
    Sample s;
    Status st = ParseText(p, good, &s);
    EXPECT_TRUE(st.ok()) << good << ": " << st.message();
  }
  Sample s;
  ASSERT_TRUE(ParseText(p, R"(  { "a" : 1 ,  "b":[ 1 ] }  )", &s).ok());
  EXPECT_EQ(s.Find("a")->RawText(), "1");
  EXPECT_EQ(s.Find("b")->RawText(), "[ 1 ]");
}

TEST(SampleParser, RejectsInvalidUtf8) {
  SampleParser p;
  Sample s;
  Status st = ParseText(p, "{\"text\":\"bad \xff\xfe byte\"}", &s);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("UTF"), std::string::npos) << st.message();
}

TEST(SampleParser, WrongFieldTypeIsAClearError) {
  SampleParser p;
  Sample s;
  ASSERT_TRUE(ParseText(p, R"({"text":123,"images":"x.png"})", &s).ok());
  auto t = s.GetText("text");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "field 'text' is a number, expected a string");
  auto l = s.GetStringList("images");
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.status().message().find("'images'"), std::string::npos);
  EXPECT_FALSE(s.GetText("missing").ok());
}

TEST(SampleParser, MediaListsAndMutation) {
  SampleParser p;
  Sample s;
  ASSERT_TRUE(ParseText(p, R"({"text":"<__dj__image> a cat","images":["a.png","b/c.jpg"]})", &s).ok());
  auto l = s.GetStringList("images");
  ASSERT_TRUE(l.ok());
  ASSERT_EQ((*l)->size(), 2u);
  EXPECT_EQ((**l)[1], "b/c.jpg");
  s.SetString("text", "new \"text\"\n");
  EXPECT_EQ(*s.GetText("text"), "new \"text\"\n");
  EXPECT_EQ(Dump(s), R"({"text":"new \"text\"\n","images":["a.png","b/c.jpg"]})");
  s.SetString("__dj__hash", "abc");
  EXPECT_EQ(Dump(s, false, false), R"({"text":"new \"text\"\n","images":["a.png","b/c.jpg"]})");
}

TEST(JsonText, EscapesLikePythonJsonWithoutAsciiEscaping) {
  EXPECT_EQ(JsonString("a\"b\\c\n\t\x01 é 中"), "\"a\\\"b\\\\c\\n\\t\\u0001 é 中\"");
}

TEST(Stats, NumbersFormatLikePython) {
  std::string o;
  AppendNumberJson(0.0, &o);
  o += " ";
  AppendNumberJson(0.25, &o);
  o += " ";
  AppendNumberJson(1e-5, &o);
  o += " ";
  AppendNumberJson(3.0, &o);
  EXPECT_EQ(o, "0.0 0.25 1e-05 3.0");
}

}  // namespace
}  // namespace juicer
