// Subcommands of the `juicer` binary, one file each.
#pragma once

#include <string>
#include <vector>

#include "core/op_registry.h"
#include "core/report.h"

namespace juicer {

int RunCli(int argc, char** argv);

// `juicer process|analyze --config recipe.yaml [--key value ...]`
int CmdProcess(const std::vector<std::string>& args, bool analyze);
// `juicer ops [--list | --markdown | NAME]`
int CmdOps(const std::vector<std::string>& args);
// `juicer datasets list|build NAME --out DIR`
int CmdDatasets(const std::vector<std::string>& args);
// `juicer lm train|score` (n-gram language models, src/lm)
int CmdLm(const std::vector<std::string>& args);
// `juicer sandbox run|results|hooks` (src/sandbox)
int CmdSandbox(const std::vector<std::string>& args);
// `juicer demo [--out DIR]`
int CmdDemo(const std::vector<std::string>& args);


// Markdown reference of every op (docs/ops.md is this text).
std::string OpsMarkdown(const OpRegistry& registry);
std::string OpDocText(const OpInfo& info);


}  // namespace juicer
