// Every registered op, on one shared set of tricky samples (empty and whitespace-only text, invalid
// UTF-8, malformed JSON, wrong types, a missing text field, a 3 MB line, emoji/CJK/combining marks,
// missing media, duplicates): it must neither crash nor lose samples. A new op is covered the day it
// is registered.
#include <gtest/gtest.h>

#include <regex>

#include "core/op_builder.h"
#include "ops/builtin.h"
#include "tests/test_util.h"

namespace juicer::testing {
namespace {

std::string TrickyInput() {
  std::string s;
  s += "{\"text\":\"\"}\n";
  s += "{\"text\":\"   \\n\\t  \"}\n";
  s += "{\"text\":\"bad \xff utf8\"}\n";
  s += "{\"text\":\"malformed\",}\n";
  s += "{\"text\":123}\n";
  s += "{\"id\":1}\n";
  s += "{\"text\":null}\n";
  s += "{\"text\":\"" + std::string(3 << 20, 'w') + " end\"}\n";
  s += "{\"text\":\"emoji 😀 CJK 中文 combining e\\u0301 RTL שלום \\u0000 nul\"}\n";
  s += "{\"text\":\"a caption <__dj__image>\",\"images\":[\"missing.png\"]}\n";
  s += "{\"text\":\"a normal sentence with enough words to pass the default word filters easily\"}\n";
  s += "{\"text\":\"a normal sentence with enough words to pass the default word filters easily\"}\n";
  s += "{\"text\":\"x\",\"images\":\"not-a-list\",\"videos\":[1,2]}\n";
  return s;
}
constexpr size_t kTrickyRows = 13;

struct Summary {
  size_t in = 0, out = 0, rejected = 0;
};

Summary ParseSummary(const std::string& output) {
  std::smatch m;
  Summary s;
  if (std::regex_search(output, m, std::regex(R"(samples: (\d+) in, (\d+) out, (\d+) rejected)"))) {
    s.in = std::stoul(m[1]);
    s.out = std::stoul(m[2]);
    s.rejected = std::stoul(m[3]);
  }
  return s;
}

class EveryOp : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryOp, SurvivesTrickySamplesWithoutLosingAny) {
  // An op whose default build needs a file that is absent here (CLIP's merges from ../shared, a model
  // scripts/setup.sh fetches) says so and refuses to build; there is nothing to run then.
  auto info = BuiltinRegistry().Find(GetParam());
  ASSERT_TRUE(info.ok());
  if (auto op = BuildOp(**info, {}); !op.ok() && op.status().code() == StatusCode::kUnavailable)
    GTEST_SKIP() << GetParam() << ": " << op.status().message();
  TempDir d;
  WriteFile(d / "in.jsonl", TrickyInput());
  WriteFile(d / "r.yaml", "dataset_path: " + (d / "in.jsonl") + "\nexport_path: " + (d / "out/x.jsonl") +
                              "\nskip_op_error: true\nprocess:\n  - " + GetParam() + ":\n");
  for (const std::string cmd : {"process", "analyze"}) {
    auto r = RunJuicer(cmd + " --quiet --config " + (d / "r.yaml"));
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.output.substr(0, 2000);
    for (const char* crash : {"terminate called", "Segmentation", "Assertion", "internal error"})
      EXPECT_EQ(r.output.find(crash), std::string::npos) << r.output.substr(0, 2000);
    Summary s = ParseSummary(r.output);
    EXPECT_EQ(s.in, kTrickyRows) << r.output;
    const size_t exported = CountLines(ReadFile(d / "out/x.jsonl"));
    const size_t rejected = CountLines(ReadFile(d / "out/rejected.jsonl"));
    EXPECT_EQ(exported, s.out) << cmd;
    EXPECT_EQ(rejected, s.rejected) << cmd;
    EXPECT_GE(s.rejected, 2u) << "the invalid UTF-8 and malformed lines are always rejected";
    if (cmd == "analyze") {
      EXPECT_EQ(exported + rejected, kTrickyRows) << "analyze keeps every sample";
    }
  }
}

std::vector<std::string> OpNames() {
  std::vector<std::string> names;
  for (const OpInfo* info : BuiltinRegistry().List()) names.push_back(info->name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(AllOps, EveryOp, ::testing::ValuesIn(OpNames()));

}  // namespace
}  // namespace juicer::testing
