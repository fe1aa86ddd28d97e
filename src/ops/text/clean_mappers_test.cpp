#include "ops/text/clean_mappers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ops/op_test_util.h"

namespace juicer {
namespace {

using testing::MustBuildFrom;
using testing::ParseJsonLines;
using testing::RunMapper;

using testing::MapperCase;

const OpRegistry& Registry() { return testing::FamilyRegistry<RegisterTextCleanMappers>(); }

// The public conformance cases (../shared/conformance/cases/<op>.json), verbatim.
const std::vector<MapperCase>& ConformanceCases() {
  static const std::vector<MapperCase> cases = {
  {R"JX(clean_email_mapper/test_replace_email)JX", {{"repl", std::string(R"JX(<EMAIL>)JX")}},
     {R"JX({"text": "happy day euqdh@cjqi.com"})JX",
      R"JX({"text": "请问你是谁dasoidhao@1264fg.45om"})JX",
      R"JX({"text": "ftp://examplema-nièrdash@hqbchd.ckdhnfes.cds"})JX",
      R"JX({"text": "👊23da44sh12@46hqb12chd.ckdhnfes.comd.dasd.asd.dc"})JX"},
     {R"JX(happy day <EMAIL>)JX",
      R"JX(请问你是谁dasoidhao@1264fg.45om)JX",
      R"JX(ftp://examplema-niè<EMAIL>)JX",
      R"JX(👊<EMAIL>)JX"}},
  {R"JX(clean_links_mapper/test_lower_ftp_links_text)JX", {},
     {R"JX({"text": "ftp://user:password@ftp.example.com:21/"})JX",
      R"JX({"text": "ftp://www.example.com/path/to/file.txt"})JX",
      R"JX({"text": "ftp://example.com/my-page.html"})JX",
      R"JX({"text": "ftp://example.com"})JX"},
     {R"JX()JX",
      R"JX()JX",
      R"JX()JX",
      R"JX()JX"}},
  {R"JX(clean_links_mapper/test_upper_ftp_links_text)JX", {},
     {R"JX({"text": "FTP://user:password@ftp.example.COm:21/"})JX",
      R"JX({"text": "FTP://www.example.com/path/to/file.txt"})JX",
      R"JX({"text": "Ftp://example.com/my-page.HTMl"})JX",
      R"JX({"text": "FTP://EXAMPLE.COM"})JX"},
     {R"JX()JX",
      R"JX()JX",
      R"JX()JX",
      R"JX()JX"}},
  {R"JX(clean_links_mapper/test_lower_https_links_text)JX", {},
     {R"JX({"text": "https://www.example.com/file.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "https://example.com/my-page.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "https://example.com"})JX"},
     {R"JX()JX",
      R"JX()JX",
      R"JX()JX"}},
  {R"JX(clean_links_mapper/test_upper_https_links_text)JX", {},
     {R"JX({"text": "hTTps://www.example.com/file.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "HttpS://example.Com/my-page.HTML?param1=value1&param2=value2"})JX",
      R"JX({"text": "HTTPS://EXAMPLE.COM"})JX"},
     {R"JX()JX",
      R"JX()JX",
      R"JX()JX"}},
  {R"JX(clean_links_mapper/test_lower_http_links_text)JX", {},
     {R"JX({"text": "http://example.com/my-page.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "http://www.example.com/file.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "https://example.com"})JX"},
     {R"JX()JX",
      R"JX()JX",
      R"JX()JX"}},
  {R"JX(clean_links_mapper/test_upper_http_links_text)JX", {},
     {R"JX({"text": "HTTP://example.com/my-page.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "hTTp://www.example.com/file.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "HTTPS://EXAMPLE.COM"})JX"},
     {R"JX()JX",
      R"JX()JX",
      R"JX()JX"}},
  {R"JX(clean_links_mapper/test_mixed_http_links_text)JX", {},
     {R"JX({"text": "This is a test,http://www.example.com/file.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "这是个测试,http://example.com/my-page.html?param1=value1&param2=value2"})JX",
      R"JX({"text": "这是个测试,https://example.com"})JX"},
     {R"JX(This is a test,)JX",
      R"JX(这是个测试,)JX",
      R"JX(这是个测试,)JX"}},
  {R"JX(clean_links_mapper/test_no_link_text)JX", {},
     {R"JX({"text": "This is a sample for test"})JX",
      R"JX({"text": "这是一个测试"})JX",
      R"JX({"text": "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►"})JX"},
     {R"JX(This is a sample for test)JX",
      R"JX(这是一个测试)JX",
      R"JX(，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►)JX"}},
  {R"JX(clean_links_mapper/test_replace_links_text)JX", {{"repl", std::string(R"JX(<LINKS>)JX")}},
     {R"JX({"text": "ftp://user:password@ftp.example.com:21/"})JX",
      R"JX({"text": "This is a sample for test"})JX",
      R"JX({"text": "abcd://ef is a sample for test"})JX",
      R"JX({"text": "HTTP://example.com/my-page.html?param1=value1&param2=value2"})JX"},
     {R"JX(<LINKS>)JX",
      R"JX(This is a sample for test)JX",
      R"JX(<LINKS> is a sample for test)JX",
      R"JX(<LINKS>)JX"}},
  {R"JX(clean_ip_mapper/test_ipv4)JX", {},
     {R"JX({"text": "test of ip 234.128.124.123"})JX",
      R"JX({"text": "34.0.124.123"})JX",
      R"JX({"text": "ftp://example.com/188.46.244.216my-page.html"})JX",
      R"JX({"text": "ft174.1421.237.246my"})JX"},
     {R"JX(test of ip )JX",
      R"JX()JX",
      R"JX(ftp://example.com/my-page.html)JX",
      R"JX(ft174.1421.237.246my)JX"}},
  {R"JX(clean_ip_mapper/test_ipv6)JX", {},
     {R"JX({"text": "dd41:cbaf:d1b4:10a0:b215:72e3:6eaf:3ecb"})JX",
      R"JX({"text": "test of ip 4394:538a:3bf3:61c3:cb0d:d214:526f:70d"})JX",
      R"JX({"text": "com/f770:c52e:ddce:3a9f:8c3b:a7bd:d81f:985cmy-page.html"})JX",
      R"JX({"text": "ft1926:43a1:fcb5:ees06:ae63:a2a4:c656:d014my"})JX"},
     {R"JX()JX",
      R"JX(test of ip )JX",
      R"JX(com/my-page.html)JX",
      R"JX(ft1926:43a1:fcb5:ees06:ae63:a2a4:c656:d014my)JX"}},
  {R"JX(clean_ip_mapper/test_replace_ipv4)JX", {{"repl", std::string(R"JX(<IP>)JX")}},
     {R"JX({"text": "test of ip 234.128.124.123"})JX",
      R"JX({"text": "34.0.124.123"})JX",
      R"JX({"text": "ftp://example.com/188.46.244.216my-page.html"})JX",
      R"JX({"text": "ft174.1421.237.246my"})JX"},
     {R"JX(test of ip <IP>)JX",
      R"JX(<IP>)JX",
      R"JX(ftp://example.com/<IP>my-page.html)JX",
      R"JX(ft174.1421.237.246my)JX"}},
  {R"JX(clean_copyright_mapper/test_clean_copyright)JX", {},
     {R"JX({"text": "这是一段 /* 多行注释\n注释内容copyright\n*/ 的文本。另外还有一些 // 单行注释。"})JX",
      R"JX({"text": "如果多行/*注释中没有\n关键词,那么\n这部分注释也不会\n被清除*/\n会保留下来"})JX",
      R"JX({"text": "//if start with\n//that will be cleaned \n evenly"})JX",
      R"JX({"text": "http://www.nasosnsncc.com"})JX",
      R"JX({"text": "#if start with\nthat will be cleaned \n#evenly"})JX",
      R"JX({"text": "--if start with\n--that will be cleaned \n#evenly"})JX"},
     {R"JX(这是一段  的文本。另外还有一些 // 单行注释。)JX",
      R"JX(如果多行/*注释中没有
关键词,那么
这部分注释也不会
被清除*/
会保留下来)JX",
      R"JX( evenly)JX",
      R"JX(http://www.nasosnsncc.com)JX",
      R"JX(that will be cleaned 
#evenly)JX",
      R"JX()JX"}},
  {R"JX(replace_content_mapper/test_special_char_pattern_text)JX", {{"pattern", std::string(R"JX(●■)JX")}, {"repl", std::string(R"JX(<SPEC>)JX")}},
     {R"JX({"text": "这是一个干净的文本。Including Chinese and English."})JX",
      R"JX({"text": "◆●■►▼▲▴∆▻▷❖♡□"})JX",
      R"JX({"text": "多个●■►▼这样的特殊字符可以►▼▲▴∆吗？"})JX",
      R"JX({"text": "未指定的●■☛₨➩►▼▲特殊字符会☻▷❖被删掉吗？？"})JX"},
     {R"JX(这是一个干净的文本。Including Chinese and English.)JX",
      R"JX(◆<SPEC>►▼▲▴∆▻▷❖♡□)JX",
      R"JX(多个<SPEC>►▼这样的特殊字符可以►▼▲▴∆吗？)JX",
      R"JX(未指定的<SPEC>☛₨➩►▼▲特殊字符会☻▷❖被删掉吗？？)JX"}},
  {R"JX(replace_content_mapper/test_regular_digit_pattern_text)JX", {{"pattern", std::string(R"JX(\d+(?:,\d+)*)JX")}, {"repl", std::string(R"JX(<DIGIT>)JX")}},
     {R"JX({"text": "这是一个123。Including 456 and English."})JX"},
     {R"JX(这是一个<DIGIT>。Including <DIGIT> and English.)JX"}},
  {R"JX(remove_long_words_mapper/test_long_short_words_case)JX", {{"min_len", int64_t{3}}, {"max_len", int64_t{15}}},
     {R"JX({"text": "This paper a novel eqeqweqwewqeqwe121e1 method on LLM pretrain."})JX",
      R"JX({"text": "Sur la plateforme MT4, manières à ces fonctionnalités sont conçu"})JX"},
     {R"JX(This paper novel method LLM pretrain.)JX",
      R"JX(Sur plateforme MT4, manières ces fonctionnalités sont conçu)JX"}},
  {R"JX(remove_long_words_mapper/test_special_words_case)JX", {{"min_len", int64_t{3}}, {"max_len", int64_t{15}}},
     {R"JX({"text": "This paper proposed a novel eqeqweqwewqenhq😊😠 method on LLM."})JX",
      R"JX({"text": "Sur la plateforme MT4, plusieurs manières d'accéder0123813976125"})JX",
      R"JX({"text": "The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows."})JX"},
     {R"JX(This paper proposed novel eqeqweqwewqenhq😊😠 method LLM.)JX",
      R"JX(Sur plateforme MT4, plusieurs manières d'accéder0123813976125)JX",
      R"JX(The Mona Lisa have eyebrows.)JX"}},
  {R"JX(remove_words_with_incorrect_substrings_mapper/test_en_case)JX", {{"substrings", std::vector<std::string>{R"JX(http)JX", R"JX(www)JX", R"JX(.com)JX", R"JX(href)JX", R"JX(//)JX"}}},
     {R"JX({"text": "This paper proposed a novel https://whiugc.com method on LLM"})JX",
      R"JX({"text": "plusieurs èrdash@hqbchd.ckd d'accéder à ces wwwasdasd fonc"})JX"},
     {R"JX(This paper proposed a novel method on LLM)JX",
      R"JX(plusieurs èrdash@hqbchd.ckd d'accéder à ces fonc)JX"}},
  {R"JX(remove_repeat_sentences_mapper/test_text)JX", {},
     {R"JX({"text": "今天天气真不错，阳光明媚，适合出去散步。小明说：“今天天气真不错，我们去海边吧。” 小红回答说：“好主意！” 但是，小李觉得：“今天天气真不错，我们去爬山吧。” 今天天气真不错，阳光明媚，适合出去散步。昨天下了一整天的雨，今天终于放晴了。昨天下了一整天的雨，今天终于放晴了。"})JX",
      R"JX({"text": "The quick brown fox jumps over the lazy dog. Isn't it amazing how a simple sentence can contain every letter of the alphabet? The quick brown fox jumps over the lazy dog. Speaking of weather, yesterday was quite dreary; however, today is absolutely delightful. Isn't it amazing how a simple sentence can contain every letter of the alphabet? \"Let's seize the day,\" Tom exclaimed, full of enthusiasm. \"Let's seize the day,\" Tom exclaimed, full of enthusiasm."})JX",
      R"JX({"text": "我很开心 。但是你不开心  。我很开心 。\n你好呀！我很开心 。我好的。你好呀！"})JX",
      R"JX({"text": "默认配置下，长度低于2的句子不会被去重。去重？去重。去重！重。重...... 重! 1234？3215. 1234. 3. 3. 3"})JX"},
     {R"JX(今天天气真不错，阳光明媚，适合出去散步。小明说：“今天天气真不错，我们去海边吧。” 小红回答说：“好主意！” 但是，小李觉得：“今天天气真不错，我们去爬山吧。”昨天下了一整天的雨，今天终于放晴了。)JX",
      R"JX(The quick brown fox jumps over the lazy dog. Isn't it amazing how a simple sentence can contain every letter of the alphabet? Speaking of weather, yesterday was quite dreary; however, today is absolutely delightful. "Let's seize the day," Tom exclaimed, full of enthusiasm.)JX",
      R"JX(我很开心 。但是你不开心  。
你好呀！我好的。)JX",
      R"JX(默认配置下，长度低于2的句子不会被去重。去重？重。重...... 重! 1234？3215. 3. 3. 3)JX"}},
  {R"JX(remove_repeat_sentences_mapper/test_text2)JX", {{"lowercase", true}, {"ignore_special_character", false}, {"min_repeat_sentence_length", int64_t{5}}},
     {R"JX({"text": "Life is what happens when you're busy making other plans. John Lennon once said. Life is what happens when you're busy making other plans. This phrase has resonated with many people over the years. 人生就是当你忙于制定其他计划时发生的事情。对很多人来说，这句话引起了共鸣。"})JX",
      R"JX({"text": "The quick brown fox jumps over the lazy dog. Isn't it amazing how a simple sentence can contain every letter of the alphabet? The quick brown fox jumps over the lazy dog. Speaking of weather, yesterday was quite dreary; however, today is absolutely delightful. Isn't it amazing how a simple sentence can contain every letter of the alphabet? \"Let's seize the day,\" Tom exclaimed, full of enthusiasm. \"Let's seize the day,\" Tom exclaimed, full of enthusiasm."})JX",
      R"JX({"text": "我很开心 。但是你不开心  。我很开心 。\n你好呀！我很开心 。我好的。你好呀！"})JX",
      R"JX({"text": "去重？去重。去重！重。重...... 重! 1234？3215. 1234. 3. 3. 3"})JX"},
     {R"JX(Life is what happens when you're busy making other plans. John Lennon once said. This phrase has resonated with many people over the years. 人生就是当你忙于制定其他计划时发生的事情。对很多人来说，这句话引起了共鸣。)JX",
      R"JX(The quick brown fox jumps over the lazy dog. Isn't it amazing how a simple sentence can contain every letter of the alphabet? Speaking of weather, yesterday was quite dreary; however, today is absolutely delightful. "Let's seize the day," Tom exclaimed, full of enthusiasm.)JX",
      R"JX(我很开心 。但是你不开心  。
你好呀！我好的。你好呀！)JX",
      R"JX(去重？去重。去重！重。重...... 重! 1234？3215. 1234. 3. 3. 3)JX"}},

  };
  return cases;
}

Result<std::vector<std::string>> MapTexts(const std::string& op_name, const GivenParams& params,
                                          const std::vector<std::string>& texts) {
  auto op = MustBuildFrom(Registry(), op_name, params);
  if (!op) return Status::Internal("build failed");
  std::vector<Sample> samples;
  for (const auto& t : texts) samples.push_back(testing::TextSample(t));
  JUICER_ASSIGN_OR_RETURN(auto out, RunMapper(*op, std::move(samples)));
  std::vector<std::string> got;
  for (const auto& s : out) got.emplace_back(*s.GetText("text"));
  return got;
}

std::string Map1(const std::string& op_name, const std::string& text, const GivenParams& params = {}) {
  auto got = MapTexts(op_name, params, {text});
  EXPECT_TRUE(got.ok()) << got.status().ToString();
  return got.ok() && got->size() == 1 ? (*got)[0] : "<error>";
}

TEST(TextCleanMappers, ConformanceCases) {
  // email 1, links 9, ip 3, copyright 1, replace_content 2, long words 2, incorrect substrings 1, repeat sentences 2
  ASSERT_EQ(ConformanceCases().size(), 21u);
  for (const MapperCase& c : ConformanceCases()) {
    SCOPED_TRACE(c.id);
    const std::string op_name = c.id.substr(0, c.id.find('/'));
    auto op = MustBuildFrom(Registry(), op_name, c.params);
    ASSERT_TRUE(op);
    auto samples = ParseJsonLines(c.input);
    ASSERT_TRUE(samples.ok()) << samples.status().ToString();
    auto out = RunMapper(*op, std::move(samples).value());
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    std::vector<std::string> got;
    for (const auto& s : *out) got.emplace_back(*s.GetText("text"));
    EXPECT_EQ(got, c.expected);
  }
}

TEST(PythonPatternToRe2, Translates) {
  EXPECT_EQ(*text::PythonPatternToRe2(R"(\d+)"), R"(\p{Nd}+)");
  EXPECT_EQ(*text::PythonPatternToRe2(R"(r'[\w-]')"), R"([\p{L}\p{N}_-])");
  EXPECT_EQ(*text::PythonPatternToRe2(R"([]a])"), R"([\]a])");
  EXPECT_EQ(*text::PythonPatternToRe2(R"(\u4e00\Z)"), R"(\x{4e00}\z)");
  EXPECT_FALSE(text::PythonPatternToRe2(R"((a)\1)").ok());
  EXPECT_FALSE(text::PythonPatternToRe2(R"([\W])").ok());
}

TEST(PySub, PythonSubstitutionRules) {
  auto sub = [](const char* pattern, const char* repl, const char* text) {
    auto s = text::PySub::Make(pattern, repl);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    std::string out;
    return (*s)->Apply(text, &out) ? out : std::string(text);
  };
  EXPECT_EQ(sub("x*", "-", "abxd"), "-a-b--d-");  // Python 3.7+ empty-match rule
  EXPECT_EQ(sub(R"((\w+)@(\w+))", R"(\2 at \g<1>\n)", "me@host!"), "host at me\n!");
  EXPECT_EQ(sub(R"(\d+)", "#", "a١٢٣b42"), "a#b#");  // Unicode digits, as Python's \d
  EXPECT_EQ(sub(R"(\s+)", "_", "a\u3000b\tc"), "a_b_c");
  EXPECT_EQ(sub("a.b", "X", "a\nb"), "X");  // re.DOTALL
  EXPECT_FALSE(text::PySub::Make("(?<=a)b", "").ok());  // lookbehind: rejected by RE2
  EXPECT_FALSE(text::PySub::Make("a", R"(\q)").ok());   // bad escape in the template
  EXPECT_FALSE(text::PySub::Make("a", R"(\1)").ok());   // no such group
}

TEST(CleanLinksMapper, UnicodeWordBoundary) {
  // The default pattern's \b uses Python's Unicode word characters: no link starts inside a word.
  EXPECT_EQ(Map1("clean_links_mapper", "见http://a.com/x 了"), "见http://a.com/x 了");
  EXPECT_EQ(Map1("clean_links_mapper", "见 http://a.com/x 了"), "见  了");
  EXPECT_EQ(Map1("clean_links_mapper", "see (www.example.org) now", {{"repl", std::string("<L>")}}),
            "see (<L>) now");
  EXPECT_EQ(Map1("clean_links_mapper", "no links here"), "no links here");
}

TEST(CleanIpAndEmail, DefaultsAndCustomPatterns) {
  EXPECT_EQ(Map1("clean_ip_mapper", "from 10.0.0.1 and fe80:0:0:0:202:b3ff:fe1e:8329."), "from  and .");
  EXPECT_EQ(Map1("clean_email_mapper", "mail a.b+c@x-y.org now"), "mail  now");
  EXPECT_EQ(Map1("clean_email_mapper", "id 123 and 45", {{"pattern", std::string(R"(r'\d+')")}, {"repl", std::string("N")}}),
            "id N and N");
}

TEST(ReplaceContentMapper, ListsAndErrors) {
  EXPECT_EQ(Map1("replace_content_mapper", "a1 b2",
                 {{"pattern", std::vector<std::string>{R"(\d)", "b"}}, {"repl", std::vector<std::string>{"#", "B"}}}),
            "a# B#");
  EXPECT_EQ(Map1("replace_content_mapper", "unchanged"), "unchanged");
  auto info = Registry().Find("replace_content_mapper");
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(BuildOp(**info, {{"pattern", std::vector<std::string>{"a", "b", "c"}},
                                {"repl", std::vector<std::string>{"x", "y"}}})
                   .ok());
  EXPECT_FALSE(BuildOp(**info, {{"pattern", std::string("(?=a)")}}).ok());
}

TEST(CleanCopyrightMapper, EdgeCases) {
  EXPECT_EQ(Map1("clean_copyright_mapper", ""), "");
  EXPECT_EQ(Map1("clean_copyright_mapper", "\n\n"), "");
  EXPECT_EQ(Map1("clean_copyright_mapper", "/* Copyright */x /* copyright */"), "x /* copyright */");
  EXPECT_EQ(Map1("clean_copyright_mapper", "code\n// not leading"), "code\n// not leading");
}

TEST(WordMappers, SplitMergeAndEdges) {
  EXPECT_EQ(Map1("remove_long_words_mapper", "a  bb\t\tccc\n\n dddd ", {{"min_len", int64_t{2}}, {"max_len", int64_t{3}}}),
            "bb\tccc");
  EXPECT_EQ(Map1("remove_long_words_mapper", "", {{"max_len", int64_t{3}}}), "");
  // "(abc)" is 5 long, but 3 once special characters are stripped: kept, unstripped.
  EXPECT_EQ(Map1("remove_long_words_mapper", "(abc) abcdef 中文字", {{"max_len", int64_t{3}}}), "(abc) 中文字");
  EXPECT_EQ(Map1("remove_words_with_incorrect_substrings_mapper", "see www.x.org or (http) ok"), "see or ok");
  EXPECT_EQ(Map1("remove_words_with_incorrect_substrings_mapper", "foo bar baz",
                 {{"substrings", std::vector<std::string>{"ba"}}}),
            "foo");
  auto info = Registry().Find("remove_words_with_incorrect_substrings_mapper");
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(BuildOp(**info, {{"tokenization", true}}).ok());
}

TEST(RemoveRepeatSentencesMapper, Basics) {
  EXPECT_EQ(Map1("remove_repeat_sentences_mapper", ""), "");
  EXPECT_EQ(Map1("remove_repeat_sentences_mapper", "Hi there. hi there. Hi there.\n\nHi there."), "Hi there. hi there.\n\n");
  EXPECT_EQ(Map1("remove_repeat_sentences_mapper", "Hi there. hi there.", {{"lowercase", true}}), "Hi there.");
  EXPECT_EQ(Map1("remove_repeat_sentences_mapper", "a. a. a."), "a. a. a.");  // keys shorter than 2
}

// Every op of the family on tricky texts: no crash, exactly one output sample, valid results.
TEST(TextCleanMappers, TrickyTexts) {
  std::string long_text;
  for (int i = 0; i < 20000; ++i) long_text += "word http://x.io/a" + std::to_string(i) + " 10.0.0.1 a@b.cn. 重复。重复。\n";
  const std::vector<std::string> texts = {"", " ", "\n\n\t", long_text, std::string("bad \xff\xfe utf8 \xc3"),
                                          "中文，日本語のテキスト。中文，日本語のテキスト。", "emoji 😊👍🏽 test 😊👍🏽 test.",
                                          std::string(100000, 'a')};
  for (const OpInfo* info : Registry().List()) {
    SCOPED_TRACE(info->name);
    auto op = MustBuildFrom(Registry(), info->name);
    ASSERT_TRUE(op);
    auto got = MapTexts(info->name, {}, texts);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->size(), texts.size());
    EXPECT_EQ((*got)[0], "");
  }
  // The long text loses its links, IPs and e-mails, and its repeated sentences.
  EXPECT_EQ(Map1("clean_links_mapper", long_text).find("http"), std::string::npos);
  EXPECT_EQ(Map1("clean_ip_mapper", long_text).find("10.0.0.1"), std::string::npos);
  EXPECT_EQ(Map1("clean_email_mapper", long_text).find("a@b.cn"), std::string::npos);
  EXPECT_EQ(Map1("remove_repeat_sentences_mapper", long_text).find("重复。重复。"), std::string::npos);
}

TEST(TextCleanMappers, ErrorLeavesSampleUnchanged) {
  auto op = MustBuildFrom(Registry(), "clean_email_mapper");
  ASSERT_TRUE(op);
  Sample s = testing::TextSample("x", "other");
  std::vector<Sample> out;
  WorkerContext ctx;
  EXPECT_FALSE(dynamic_cast<const Mapper&>(*op).Map(s, &out, ctx).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(*s.GetText("other"), "x");
}

}  // namespace
}  // namespace juicer
