// Data-Juicer's character-level normalisation mappers: whitespace_normalization_mapper,
// punctuation_normalization_mapper, remove_specific_chars_mapper and remove_non_chinese_character_mapper.
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterNormalizeMappers(OpRegistry& registry);

}  // namespace juicer
