#include "sandbox/command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace juicer::sandbox {
namespace {

namespace fs = std::filesystem;

std::string Script() { return std::string(JUICER_SOURCE_DIR) + "/tests/data/sandbox/fake_trainer.sh"; }

std::string FreshDir(const std::string& name) { return juicer::testing::ScratchDir("cmd-" + name); }

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(SandboxCommandPlaceholders, FillsStringsRecursively) {
  Json vars = {{"work_dir", "/w"}, {"iter", 3}, {"lr", 0.5}, {"flag", true}, {"cfg", {{"depth", 7}}}};
  Json tmpl = Json::parse(R"({"a": ["{work_dir}/ckpt", "--iter={iter}", "{lr}", "{flag}"],
                              "b": {"c": "{{literal}} {cfg.depth}"}, "n": 4})");
  auto r = FillPlaceholders(tmpl, vars, "cfg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["a"], Json::parse(R"(["/w/ckpt", "--iter=3", "0.5", "true"])"));
  EXPECT_EQ((*r)["b"]["c"], "{literal} 7");
  EXPECT_EQ((*r)["n"], 4);
}

TEST(SandboxCommandPlaceholders, ErrorsNameThePlaceholderAndPosition) {
  Json vars = {{"work_dir", "/w"}};
  auto r = FillPlaceholders(Json::parse(R"(["python3", "{work_dir}", "{nope}"])"), vars, "argv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(r.status().message(), "argv[2]")) << r.status().message();
  EXPECT_TRUE(Has(r.status().message(), "{nope}")) << r.status().message();
  EXPECT_TRUE(Has(r.status().message(), "work_dir")) << r.status().message();  // lists the known names
  EXPECT_FALSE(FillPlaceholders(Json("a {b"), vars, "x").ok());
  EXPECT_FALSE(FillPlaceholders(Json("a } b"), vars, "x").ok());
  EXPECT_FALSE(FillPlaceholders(Json("{}"), vars, "x").ok());
}

TEST(SandboxCommandRun, FillsArgvAndEnvRunsWithoutShellAndParsesMetrics) {
  const std::string dir = FreshDir("ok");
  Json vars = {{"work_dir", dir}, {"meta_name", "train_1"}, {"iter", 2}, {"dataset_path", "/data/x.jsonl"}};
  Json cfg = {
      {"type", "command"},
      {"argv", {"bash", Script(), "ok", "{work_dir}/out", "--data", "{dataset_path}", "--iter", "{iter}",
                "$HOME; echo hi", "{{braces}}"}},
      {"env", {{"RUN_NAME", "{meta_name}-it{iter}"}}},
      {"cwd", "{work_dir}/run"},
      {"timeout", 60},
      {"metrics",
       {{"json_file", "{work_dir}/out/metrics.json"},
        {"regex", {{"loss", "final loss: ([0-9.eE+-]+)"}, {"acc", "acc=([0-9.]+)"}}}}},
      {"outputs", {"{work_dir}/out", "x"}},
  };
  auto r = RunCommandCapability(cfg, vars);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Slurp(dir + "/out/args.txt"), "--data\n/data/x.jsonl\n--iter\n2\n$HOME; echo hi\n{braces}\n");
  EXPECT_EQ(Slurp(dir + "/out/env.txt"), "train_1-it2\n");
  EXPECT_EQ(fs::canonical(Slurp(dir + "/out/pwd.txt").substr(0, Slurp(dir + "/out/pwd.txt").size() - 1)),
            fs::canonical(dir + "/run"));
  const Json& m = (*r)["metrics"];
  EXPECT_EQ(m["eval"]["bleu"], 31.5);  // from the JSON file
  EXPECT_EQ(m["epochs"], 2);
  EXPECT_DOUBLE_EQ(m["loss"].get<double>(), 0.25);  // from the log
  EXPECT_DOUBLE_EQ(m["acc"].get<double>(), 0.875);  // the last match wins
  EXPECT_EQ((*r)["exit_code"], 0);
  EXPECT_GE((*r)["wall_s"].get<double>(), 0.0);
  EXPECT_EQ((*r)["outputs"], Json::array({dir + "/out", "x"}));
  // Default log path: <work_dir>/<meta_name>.log, holding stdout and stderr.
  EXPECT_EQ(fs::path((*r)["log_file"].get<std::string>()), fs::path(dir) / "train_1.log");
  const std::string log = Slurp(dir + "/train_1.log");
  EXPECT_TRUE(Has(log, "final loss: 0.25"));
  EXPECT_TRUE(Has(log, "a warning on stderr"));
}

TEST(SandboxCommandRun, UnknownPlaceholderIsRejectedBeforeAnythingRuns) {
  const std::string dir = FreshDir("unknown");
  Json vars = {{"work_dir", dir}};
  Json cfg = {{"type", "command"}, {"argv", {"bash", Script(), "ok", "{work_dir}/out", "{epochs}"}}};
  auto r = RunCommandCapability(cfg, vars);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(r.status().message(), "{epochs}")) << r.status().message();
  EXPECT_TRUE(Has(r.status().message(), "argv[4]")) << r.status().message();
  EXPECT_FALSE(fs::exists(dir + "/out"));
  // In env, and a bad metric pattern: also before running.
  cfg["argv"] = {"bash", Script(), "ok", "{work_dir}/out"};
  cfg["env"] = {{"X", "{missing_var}"}};
  r = RunCommandCapability(cfg, vars);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.status().message(), "env.X")) << r.status().message();
  cfg.erase("env");
  cfg["metrics"] = {{"regex", {{"loss", "no group here"}}}};
  r = RunCommandCapability(cfg, vars);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.status().message(), "metrics.regex.loss")) << r.status().message();
  cfg["metrics"] = nullptr;
  cfg["argvv"] = 1;
  r = RunCommandCapability(cfg, vars);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.status().message(), "'argvv'")) << r.status().message();
  EXPECT_FALSE(fs::exists(dir + "/out"));
}

TEST(SandboxCommandRun, TimeoutKillsTheCommand) {
  const std::string dir = FreshDir("timeout");
  CommandSpec spec;
  spec.argv = {"bash", Script(), "sleep", dir};
  spec.timeout_s = 1;
  spec.log_path = dir + "/sleep.log";
  const auto t0 = std::chrono::steady_clock::now();
  auto r = RunCommand(spec);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.status().message(), "timed out after 1 s")) << r.status().message();
  EXPECT_TRUE(fs::exists(dir + "/started"));
  EXPECT_GE(elapsed, 0.9);
  EXPECT_LT(elapsed, 5.0);
}

TEST(SandboxCommandRun, NonZeroExitCarriesTheLogTail) {
  const std::string dir = FreshDir("fail");
  Json cfg = {{"argv", {"bash", Script(), "fail", dir}}, {"log_file", "{work_dir}/logs/fail.log"}};
  auto r = RunCommandCapability(cfg, Json{{"work_dir", dir}});
  ASSERT_FALSE(r.ok());
  const std::string& msg = r.status().message();
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_TRUE(Has(msg, "exit code 3")) << msg;
  EXPECT_TRUE(Has(msg, "fake_trainer.sh fail")) << msg;  // names the command
  EXPECT_TRUE(Has(msg, dir + "/logs/fail.log")) << msg;
  EXPECT_TRUE(Has(msg, "| Traceback: boom")) << msg;
  EXPECT_TRUE(Has(msg, "| line 12\n")) << msg;  // the last 20 lines: 12..30 + the traceback
  EXPECT_FALSE(Has(msg, "| line 11\n")) << msg;
}

TEST(SandboxCommandRun, CommandNotFoundIsClear) {
  CommandSpec spec;
  spec.argv = {"juicer-no-such-trainer-xyz", "--flag"};
  auto r = RunCommand(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Has(r.status().message(), "command not found: 'juicer-no-such-trainer-xyz'")) << r.status().message();
  spec.argv = {"./missing/train.sh"};
  r = RunCommand(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(SandboxCommandRun, DeathBySignalIsNamed) {
  CommandSpec spec;  // no log_path: a temporary log
  spec.argv = {"bash", Script(), "selfkill", "/nonexistent"};
  auto r = RunCommand(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.status().message(), "killed by SIGKILL")) << r.status().message();
}

TEST(SandboxCommandRun, MetricNotInLogIsAnError) {
  const std::string dir = FreshDir("nometric");
  Json cfg = {{"argv", {"bash", Script(), "ok", dir + "/out"}},
              {"log_file", dir + "/l.log"},
              {"metrics", {{"regex", {{"ppl", "perplexity ([0-9.]+)"}}}}}};
  auto r = RunCommandCapability(cfg, Json::object());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Has(r.status().message(), "metrics.regex.ppl")) << r.status().message();
}

TEST(SandboxCommandMetrics, RegexValuesAreNumbersOrStrings) {
  const std::string dir = FreshDir("metrics");
  const std::string log = dir + "/m.log";
  std::ofstream(log) << "epoch=1 loss=2.5e-1 tag=alpha\nepoch=12 tag=beta loss=0.125\nno metrics here\n";
  auto r = ParseMetrics(Json::parse(R"J({"regex": {"epoch": "epoch=(\\d+)", "loss": "loss=([0-9.eE+-]+)",
                                                  "tag": "tag=(\\w+)"}})J"),
                        log);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE((*r)["epoch"].is_number_integer());
  EXPECT_EQ((*r)["epoch"], 12);
  EXPECT_DOUBLE_EQ((*r)["loss"].get<double>(), 0.125);
  EXPECT_EQ((*r)["tag"], "beta");
  EXPECT_TRUE(ParseMetrics(nullptr, log).ok());
  EXPECT_FALSE(ParseMetrics(Json::parse(R"({"json_file": "/nonexistent/m.json"})"), log).ok());
  EXPECT_FALSE(ParseMetrics(Json::parse(R"({"regexp": {}})"), log).ok());
}

TEST(SandboxCommandMetrics, TailOfFileKeepsLastLinesAndProgressState) {
  const std::string dir = FreshDir("tail");
  const std::string path = dir + "/t.log";
  std::ofstream(path) << "a\nb\nprogress 10%\rprogress 50%\rprogress 100%\nc\r\nd\n";
  EXPECT_EQ(TailOfFile(path, 3), "progress 100%\nc\nd");
  EXPECT_EQ(TailOfFile(path, 100), "a\nb\nprogress 100%\nc\nd");
  EXPECT_EQ(TailOfFile(dir + "/missing.log", 3), "");
}

TEST(SandboxCommandRun, SigintCancelsTheCommand) {
  const std::string dir = FreshDir("cancel");
  CommandSpec spec;
  spec.argv = {"bash", Script(), "sleep", dir};
  spec.log_path = dir + "/c.log";
  spec.kill_grace_s = 2;
  Result<CommandResult> r = Status::Internal("not run");
  std::atomic<bool> done{false};
  std::thread runner([&] {
    r = RunCommand(spec);
    done.store(true);
  });
  // The handler is installed before the child starts, so once it has written its marker a SIGINT
  // reaches RunCommand's handler, not the default action.
  const auto t0 = std::chrono::steady_clock::now();
  while (!fs::exists(dir + "/started") && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(fs::exists(dir + "/started"));
  kill(getpid(), SIGINT);
  runner.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled) << r.status().ToString();
  EXPECT_LT(elapsed, 5.0);
}

}  // namespace
}  // namespace juicer::sandbox
