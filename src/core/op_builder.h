// Building an op from given parameter values: checks names, types, ranges and choices against the
// op's metadata, fills Data-Juicer's defaults, then calls the op's factory.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/op.h"

namespace juicer {

// All params an op accepts: its own, then the common ones of its kind.
std::vector<const ParamSpec*> AllParams(const OpInfo& info);
const ParamSpec* FindParam(const OpInfo& info, const std::string& name);

// Coerces `v` to `spec`'s type (int -> float, "10MB" -> bytes for sizes, scalar -> one-item list)
// and checks range/choices. Errors read "param 'min_len' of text_length_filter: expected int, got ...".
Result<ParamValue> CheckParam(const OpInfo& info, const ParamSpec& spec, ParamValue v);

using GivenParams = std::vector<std::pair<std::string, ParamValue>>;
Result<OpParams> ResolveParams(const OpInfo& info, const GivenParams& given);
Result<std::unique_ptr<Op>> BuildOp(const OpInfo& info, const GivenParams& given);

}  // namespace juicer
