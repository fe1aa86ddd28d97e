// Data-driven recipe tests: every directory under tests/recipes/ holds a recipe.yaml, its input files
// and expected/ (files that must exist after `juicer process`, byte for byte, paths relative to the
// case dir). Optional `args` file: extra command-line arguments. Optional `expected_exit`: exit code
// and a substring of the error output, e.g. "2 malformed JSON".
// A new behaviour is a new directory.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_util.h"

namespace fs = std::filesystem;

namespace juicer::testing {
namespace {

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(SourceDir() + "/tests/recipes"))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class RecipeCase : public ::testing::TestWithParam<std::string> {};

TEST_P(RecipeCase, MatchesExpectedFiles) {
  const std::string src = SourceDir() + "/tests/recipes/" + GetParam();
  for (const std::string np : {"1", "2"}) {
    TempDir d;
    fs::copy(src, d.path(), fs::copy_options::recursive);
    fs::remove_all(d / "expected");
    std::string args = fs::exists(src + "/args") ? ReadFile(src + "/args") : "";
    while (!args.empty() && args.back() == '\n') args.pop_back();
    auto r = RunCommand("cd " + d.path() + " && " + JuicerBinary() + " process --config recipe.yaml --quiet --np " +
                        np + " " + args);
    int want_exit = 0;
    std::string want_msg;
    if (fs::exists(src + "/expected_exit")) {
      std::string e = ReadFile(src + "/expected_exit");
      want_exit = std::stoi(e);
      want_msg = e.substr(e.find(' ') + 1);
      while (!want_msg.empty() && want_msg.back() == '\n') want_msg.pop_back();
    }
    ASSERT_EQ(r.exit_code, want_exit) << GetParam() << " np=" << np << "\n" << r.output;
    if (!want_msg.empty()) {
      EXPECT_NE(r.output.find(want_msg), std::string::npos) << r.output;
    }
    if (!fs::exists(src + "/expected")) continue;
    for (const auto& e : fs::recursive_directory_iterator(src + "/expected")) {
      if (!e.is_regular_file()) continue;
      const std::string rel = fs::relative(e.path(), src + "/expected").string();
      ASSERT_TRUE(fs::exists(d / rel)) << GetParam() << ": missing output " << rel << "\n" << r.output;
      EXPECT_EQ(ReadFile(d / rel), ReadFile(e.path().string())) << GetParam() << " np=" << np << ": " << rel;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Recipes, RecipeCase, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param;
                           for (auto& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
}  // namespace juicer::testing
