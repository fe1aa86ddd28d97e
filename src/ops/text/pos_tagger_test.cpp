#include "ops/text/pos_tagger.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/assets.h"

namespace juicer::text {
namespace {

// A tiny lexicon in jsPOS's format, with the escapes and comments the real file may hold.
constexpr std::string_view kTinyLexicon = R"(/*
 * comment { with a brace }
 */
module.exports = {
    "\'": ["\""],
    "Tom": ["NNP"],
    "is": ["VBZ", "RB"],
    "playing": ["VBG", "JJ", "NN"],
    "plays": ["VBZ", "NNS"],
    "piano": ["NN"],
    "the": ["DT"],
    "played": ["VBD", "VBN"],
    "need": ["NN", "VBP", "VB"],
    "I": ["PRP"],
    "to": ["TO"],
    "cup": ["NN", "VB"],
    "have": ["VBP", "VB"],
    "do": ["VBP", "VB"],
    "you": ["PRP"],
    "Mr.": ["NNP"],
    "a\\/b": ["JJ"], // a comment
    'single': ['JJ'],
    "caf\u00e9": ["NN"],
    "empty": [],
    "morning": ["NN"],
    "apply": ["VB", "VBP"]
};
)";

std::shared_ptr<const PosLexicon> Tiny() {
  auto lex = PosLexicon::Parse(kTinyLexicon, "tiny.js");
  EXPECT_TRUE(lex.ok()) << lex.status().ToString();
  return lex.ok() ? *lex : nullptr;
}

std::string Tags(const PosTagger& t, std::string_view text) {
  std::string out;
  for (const TaggedWord& w : t.Tag(t.Tokenize(text)))
    out += (out.empty() ? "" : " ") + w.word + "/" + w.tag + (w.aux ? "(aux)" : "");
  return out;
}

TEST(PosLexicon, ParsesTheObjectLiteral) {
  auto lex = Tiny();
  ASSERT_NE(lex, nullptr);
  EXPECT_EQ(lex->size(), 22u);
  const auto* q = lex->Find("'");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(lex->TagName(q->front()), "\"");
  ASSERT_NE(lex->Find("a\\/b"), nullptr);  // the source's "a\\\\/b": Penn Treebank escapes "/"
  ASSERT_NE(lex->Find("single"), nullptr);
  ASSERT_NE(lex->Find("café"), nullptr);
  const auto* need = lex->Find("need");
  ASSERT_NE(need, nullptr);
  ASSERT_EQ(need->size(), 3u);
  EXPECT_EQ(lex->TagName((*need)[1]), "VBP");
  EXPECT_EQ(lex->Find("Need"), nullptr);  // exact spelling
}

TEST(PosLexicon, ErrorsNameTheLine) {
  auto r = PosLexicon::Parse("module.exports = {\n  \"a\": [\"NN\"],\n  \"b\" [\"NN\"]\n};", "x.js");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find("x.js:3:"), std::string::npos) << r.status().message();
  EXPECT_FALSE(PosLexicon::Parse("module.exports = {\"a\": [\"NN\"", "x.js").ok());
  EXPECT_FALSE(PosLexicon::Parse("no object here", "x.js").ok());
  EXPECT_FALSE(PosLexicon::Parse("module.exports = {};", "x.js").ok());
  EXPECT_FALSE(PosLexicon::Parse("module.exports = {\"a\": [\"NN\n\"]}", "x.js").ok());
  EXPECT_EQ(PosLexicon::Load("/nonexistent/lexicon.js").status().code(), StatusCode::kNotFound);
}

TEST(PosTagger, Tokenize) {
  PosTagger t(Tiny());
  using V = std::vector<std::string>;
  EXPECT_EQ(t.Tokenize("Tom is playing piano."), (V{"Tom", "is", "playing", "piano", "."}));
  EXPECT_EQ(t.Tokenize("(Don't) it’s OK?!"), (V{"(", "Do", "n't", ")", "it", "'s", "OK", "?", "!"}));
  EXPECT_EQ(t.Tokenize("Mr. Smith's 5.2 e-mail"), (V{"Mr.", "Smith", "'s", "5.2", "e-mail"}));
  EXPECT_EQ(t.Tokenize("  \t\n\u3000 "), V{});
  EXPECT_EQ(t.Tokenize(""), V{});
  EXPECT_EQ(t.Tokenize("Tom在打篮球。 😊!"), (V{"Tom在打篮球", "。", "😊", "!"}));
  EXPECT_EQ(t.Tokenize("...'"), (V{".", ".", ".", "'"}));
  // Truncated UTF-8: each stray byte reads as U+FFFD, a special character, so it is split off.
  EXPECT_EQ(t.Tokenize("abc\xE4\xB8"), (V{"abc", "\xE4", "\xB8"}));
}

TEST(PosTagger, JsPosRulesOnUnknownWords) {
  PosTagger t(Tiny());
  EXPECT_EQ(Tags(t, "blorfed"), "blorfed/VBN");                     // 3
  EXPECT_EQ(Tags(t, "blorfly"), "blorfly/RB");                      // 4
  EXPECT_EQ(Tags(t, "blorfal"), "blorfal/JJ");                      // 5
  EXPECT_EQ(Tags(t, "blorfs"), "blorfs/NNS");                       // 7
  EXPECT_EQ(Tags(t, "blorfing"), "blorfing/VBG");                   // 8
  EXPECT_EQ(Tags(t, "5.2 42x -3 .5 Infinity"), "5.2/CD 42x/CD -3/CD .5/CD Infinity/CD");
  EXPECT_EQ(Tags(t, "x."), "x/NN ./CD");  // 2: an unknown "." is a noun with a dot
  EXPECT_EQ(Tags(t, "google.com"), "google.com/URL");               // 2
  EXPECT_EQ(Tags(t, "would blorf"), "would/NN blorf/VB");           // 6 ("would" unknown here)
  EXPECT_EQ(Tags(t, "the played"), "the/DT played/NN");             // 1
  EXPECT_EQ(Tags(t, "empty"), "empty/NN");                          // tagless entry: unknown
  // Known words keep their lexicon tag (jsPOS would make these VBG and RB).
  EXPECT_EQ(Tags(t, "morning apply"), "morning/NN apply/VB");
}

TEST(PosTagger, ContextAndAuxiliaries) {
  PosTagger t(Tiny());
  EXPECT_EQ(Tags(t, "Tom is playing piano."), "Tom/NNP is/VBZ(aux) playing/VBG piano/NN ./CD");
  EXPECT_EQ(Tags(t, "I need to cup"), "I/PRP need/VBP to/TO cup/VB");  // rules 10 and 9
  EXPECT_EQ(Tags(t, "I have played"), "I/PRP have/VBP(aux) played/VBD");
  EXPECT_EQ(Tags(t, "I have piano"), "I/PRP have/VBP piano/NN");
  EXPECT_EQ(Tags(t, "do you need"), "do/VBP(aux) you/PRP need/VBP");
  EXPECT_EQ(Tags(t, "it's"), "it/NN 's/VBZ(aux)");
  EXPECT_EQ(Tags(t, "Tom's piano"), "Tom/NNP 's/POS piano/NN");
  EXPECT_EQ(t.CountActions("Tom is playing piano."), 1);
  EXPECT_EQ(t.CountActions("I have played piano and Tom plays piano"), 2);
  EXPECT_EQ(t.CountActions(""), 0);
}

// The real lexicon (npm pos@0.4.2), fetched by scripts/setup.sh.
std::shared_ptr<const PosLexicon> RealLexicon() {
  static std::shared_ptr<const PosLexicon> lex = [] {
    auto r = PosLexicon::Load(NpmAsset("pos", "lexicon.js"));
    return r.ok() ? *r : nullptr;
  }();
  return lex;
}

#define SKIP_WITHOUT_LEXICON()                                                                                   \
  if (RealLexicon() == nullptr) GTEST_SKIP() << "npm pos@0.4.2 lexicon " << NpmAsset("pos", "lexicon.js") \
                                             << " absent (run scripts/setup.sh)"

TEST(PosTagger, RealLexicon) {
  SKIP_WITHOUT_LEXICON();
  const auto lex = RealLexicon();
  EXPECT_GT(lex->size(), 90000u);
  const auto* plays = lex->Find("plays");
  ASSERT_NE(plays, nullptr);
  EXPECT_EQ(lex->TagName(plays->front()), "VBZ");
  ASSERT_NE(lex->Find("Hawaiian\\/Japanese"), nullptr);  // the source's "\\\\/": a backslash and a slash
  PosTagger t(lex);
  EXPECT_EQ(Tags(t, "Tom is playing piano."), "Tom/NNP is/VBZ(aux) playing/VBG piano/NN ./.");
  EXPECT_EQ(Tags(t, "Do you need a cup of coffee?"),
            "Do/VBP(aux) you/PRP need/VBP a/DT cup/NN of/IN coffee/NN ?/.");
  EXPECT_EQ(Tags(t, "I can't fly"), "I/PRP ca/MD n't/RB fly/VB");
}

// Data-Juicer's text_action_filter test (cases/text_action_filter.json test_en_text_case) with spaCy
// counts verbs here; the expected keep/drop is reproduced with the lexicon tagger.
TEST(PosTagger, ActionCountsOfTheConformanceCase) {
  SKIP_WITHOUT_LEXICON();
  PosTagger t(RealLexicon());
  EXPECT_EQ(t.CountActions("Tom is playing piano."), 1);
  EXPECT_EQ(t.CountActions("Tom plays piano."), 1);
  EXPECT_EQ(t.CountActions("Tom played piano."), 1);
  EXPECT_EQ(t.CountActions("I play piano."), 1);
  EXPECT_EQ(t.CountActions("to play piano."), 1);
  EXPECT_EQ(t.CountActions("Tom 在打篮球"), 0);
  EXPECT_EQ(t.CountActions("a v s e c s f e f g a a a  "), 0);
  EXPECT_EQ(t.CountActions("，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►"), 0);
  EXPECT_EQ(t.CountActions("that is a green tree"), 0);
  // More sentences, with spaCy's verb counts (en_core_web_md).
  EXPECT_EQ(t.CountActions("The children have eaten all the cookies."), 1);
  EXPECT_EQ(t.CountActions("She doesn't like coffee, but she drinks tea."), 2);
  EXPECT_EQ(t.CountActions("He was walking home when it started to rain."), 3);
}

}  // namespace
}  // namespace juicer::text
