// Reading a dotted field key ("meta.suffix", "__dj__stats__.text_len") out of a sample the way
// Data-Juicer walks sample[k1][k2]...: shared by the field filters and general_field_filter.
#pragma once

#include <string>
#include <vector>

#include "core/sample.h"
#include "core/stats.h"
#include "core/status.h"

namespace juicer {

// The value at a dotted key, as far as juicer's stats can hold it.
struct FieldValue {
  enum class Kind { kNull, kScalar, kList, kObject };
  Kind kind = Kind::kNull;
  StatScalar scalar;              // kScalar
  std::vector<StatScalar> list;   // kList: items; an item that is a list or object becomes null
  bool empty_object = false;      // kObject
};

// "a.b.c" -> {"a", "b", "c"}.
std::vector<std::string> SplitKey(const std::string& key);

// The value at `path` (SplitKey(key)). A missing key, or null on the way, gives null (Data-Juicer's
// Arrow table fills keys other rows have with null); descending into a string, number or list is a
// DataError. `scratch` is a reusable buffer.
Result<FieldValue> ResolveField(const Sample& sample, const std::vector<std::string>& path, const std::string& key,
                                std::string& scratch);

// The value as a stat: scalars and flat lists; an object becomes null.
StatValue ToStat(FieldValue v);

}  // namespace juicer
