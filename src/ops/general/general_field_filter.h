// general_field_filter: keep samples for which a Python-style boolean expression over their fields holds
// ("10 < num <= 30 and text != 'x' and __dj__meta__.a == 3"), Data-Juicer's name, param and stat key.
#pragma once

#include <memory>
#include <string>

#include "core/op_registry.h"
#include "core/sample.h"
#include "core/status.h"

namespace juicer {

// A parsed filter condition (immutable; evaluation is thread-safe).
class FieldCondition {
 public:
  virtual ~FieldCondition() = default;
  // The condition's truth value for `sample` (Python truthiness of the expression's value). A comparison
  // Python cannot make ('<' between a string and a number) is a DataError naming the operands.
  virtual Result<bool> Evaluate(const Sample& sample, std::string& scratch) const = 0;
};

// Parses `expr`. Grammar: or/and/not, chained comparisons (< <= > >= == !=), parentheses, numbers,
// 'strings' / "strings", True/False/None, names and dotted names (a.b.c), unary minus.
Result<std::unique_ptr<FieldCondition>> ParseFieldCondition(const std::string& expr);

Status RegisterGeneralFieldFilter(OpRegistry& registry);

}  // namespace juicer
