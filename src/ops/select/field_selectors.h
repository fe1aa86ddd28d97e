// Data-Juicer's field selectors: topk_specified_field_selector, frequency_specified_field_selector,
// range_specified_field_selector and tags_specified_field_selector. Each reads the value at a dotted
// `field_key` (e.g. "meta.key1.key2" or "__dj__stats__.text_len") of every sample.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/op_registry.h"

namespace juicer {

Status RegisterFieldSelectors(OpRegistry& registry);

namespace selection {

// DJ's stats_to_number for a raw JSON value: a string is parsed as a float, a number (or bool) is
// itself, a non-empty list of numbers is its mean; anything else (null, [], non-numeric text,
// objects) gives -sys.maxsize when `reverse` else +sys.maxsize.
double StatsToNumber(std::string_view raw_json, bool reverse);

}  // namespace selection
}  // namespace juicer
