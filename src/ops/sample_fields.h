// Small helpers that ops share for writing sample fields.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_text.h"
#include "core/sample.h"

namespace juicer {

// Sets `key` to a JSON list of strings (e.g. a media path list), keeping the decoded list in step.
inline void SetStringList(Sample& sample, std::string_view key, const std::vector<std::string>& values) {
  std::string raw = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) raw += ',';
    AppendJsonString(values[i], &raw);
  }
  raw += ']';
  sample.SetRaw(key, std::move(raw), JsonType::kArray);
  for (Sample::Field& f : sample.mutable_fields())
    if (f.key == key) {
      f.decoded_list = values;
      f.has_decoded_list = true;
    }
}

}  // namespace juicer
