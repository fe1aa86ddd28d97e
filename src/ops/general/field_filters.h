// Filters on sample fields rather than text statistics: suffix_filter, specified_field_filter,
// specified_numeric_field_filter (Data-Juicer names, params and defaults).
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterFieldFilters(OpRegistry& registry);

}  // namespace juicer
