// Every Debian/npm package a dataset declares is installed by `scripts/setup.sh --datasets`.
#include <gtest/gtest.h>

#include "datasets/dataset_registry.h"
#include "tests/test_util.h"

namespace juicer::testing {
namespace {

// `word` occurs in `text` delimited by whitespace or parentheses.
bool HasWord(const std::string& text, const std::string& word) {
  auto delim = [](char c) { return c == ' ' || c == '\n' || c == '(' || c == ')'; };
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || delim(text[at - 1]);
    const bool right = at + word.size() == text.size() || delim(text[at + word.size()]);
    if (left && right) return true;
  }
  return false;
}

TEST(Datasets, SetupScriptInstallsWhatEveryDatasetNeeds) {
  const std::string setup = ReadFile(SourceDir() + "/scripts/setup.sh");
  for (const auto& d : BuiltinDatasets().List()) {
    for (const auto& p : d.apt_packages) EXPECT_TRUE(HasWord(setup, p)) << d.name << " needs " << p;
    for (const auto& p : d.npm_packages) EXPECT_NE(setup.find("\"" + p + "\""), std::string::npos) << d.name << " needs npm " << p;
  }
}

TEST(Datasets, ListAndErrors) {
  auto l = RunJuicer("datasets list");
  EXPECT_EQ(l.exit_code, 0);
  EXPECT_NE(l.output.find("imagetext-noisy"), std::string::npos);
  auto bad = RunJuicer("datasets build nosuch --out /tmp/x");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("unknown dataset 'nosuch'"), std::string::npos) << bad.output;
  auto noout = RunJuicer("datasets build demo");
  EXPECT_EQ(noout.exit_code, 2);
}

}  // namespace
}  // namespace juicer::testing
