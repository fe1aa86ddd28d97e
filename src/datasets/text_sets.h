// The text datasets (text-en in text_sets.cpp, text-multilingual in text_multilingual.cpp).
#pragma once

#include "core/status.h"
#include "datasets/dataset_registry.h"

namespace juicer {

extern const char* const kTextMultilingualCard;
Status BuildTextMultilingual(const DatasetBuildOptions& options, DatasetOutput& out);

// Share of documents (by group) held out as eval_lm in both text datasets.
inline constexpr double kTextEvalFraction = 0.05;

}  // namespace juicer
