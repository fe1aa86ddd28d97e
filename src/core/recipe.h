// A Data-Juicer recipe (YAML, DJ's key names), validated against op metadata before any data is read.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/op_builder.h"
#include "core/op_registry.h"

namespace juicer {

struct RecipeOp {
  std::string name;
  GivenParams params;
  int line = 0;  // 1-based line in the recipe file
  const OpInfo* info = nullptr;
};

struct Recipe {
  std::string path;  // recipe file ("<inline>" for strings)
  std::string project_name = "juicer";
  std::string dataset_path;
  std::string export_path;
  int np = 0;  // 0 = number of cores
  std::vector<std::string> text_keys = {"text"};
  std::string image_key = "images";
  std::string video_key = "videos";
  bool keep_stats_in_res_ds = false;
  bool keep_hashes_in_res_ds = false;
  bool open_tracer = false;
  std::vector<std::string> op_list_to_trace;  // empty = all ops
  int trace_num = 10;
  bool use_checkpoint = false;
  bool skip_op_error = false;  // juicer default: stop on the first bad sample (DJ defaults to true)
  std::string work_dir;        // default: the export path's directory
  uint64_t export_shard_size = 0;
  uint64_t seed = 42;
  std::vector<double> percentiles = {0.25, 0.5, 0.75};
  std::vector<std::string> correlation_methods = {"pearson"};
  std::vector<RecipeOp> process;
  std::vector<std::string> warnings;  // unknown top-level keys etc.
};

using Overrides = std::vector<std::pair<std::string, std::string>>;  // --key value (value parsed as YAML)

Result<Recipe> LoadRecipeFile(const std::string& path, const Overrides& overrides, const OpRegistry& registry);
Result<Recipe> LoadRecipeString(const std::string& yaml, const std::string& name, const Overrides& overrides,
                                const OpRegistry& registry);

// Builds every op of the recipe (errors name the recipe line).
Result<std::vector<std::unique_ptr<Op>>> BuildRecipeOps(const Recipe& recipe);

}  // namespace juicer
