// Data-Juicer's LaTeX cleaning mappers: remove_comments_mapper, remove_bibliography_mapper,
// expand_macro_mapper, remove_table_text_mapper and remove_header_mapper.
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterLatexMappers(OpRegistry& registry);

}  // namespace juicer
