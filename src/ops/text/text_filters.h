// Text statistics filters: text_length_filter, words_num_filter, alphanumeric_filter,
// special_characters_filter (Data-Juicer names, params, defaults and stat keys).
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterTextFilters(OpRegistry& registry);

}  // namespace juicer
