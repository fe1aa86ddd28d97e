// Shared pieces of the video mappers: where new videos go (Data-Juicer's transfer_filename with a
// reproducible hash), list fields, and the special-token rewriting of the split mappers.
#pragma once

#include "ops/sample_fields.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/op.h"
#include "core/params.h"

namespace juicer::video_ops {

inline constexpr std::string_view kSourceFile = "__dj__source_file__";
inline constexpr std::string_view kVideoToken = "<__dj__video>";
inline constexpr std::string_view kEocToken = "<|__dj__eoc|>";

// Output naming of one mapper: <dir>/<stem>__dj_hash_#<32 hex>#<suffix><ext>. dir = save_dir, else
// $DJ_PRODUCED_DATA_DIR/<op>, else <work_dir>/__dj__produced_data__/<op>, else beside the source in
// __dj__produced_data__/<op>. The hash is XXH3-128 of the op name, its params (save_dir excluded) and
// the source's absolute path, so reruns give the same names (Data-Juicer adds the pid and the time).
class OutputNamer {
 public:
  OutputNamer(const OpInfo& info, const OpParams& params);
  std::string Path(const std::string& resolved_src, const std::string& suffix, const std::string& ext = "") const;

 private:
  std::string op_, dir_, param_key_;
};

ParamSpec SaveDirParam();
extern const char* const kOutputDoc;

// Writes a JSON string list field (raw text and decoded list).
using juicer::SetStringList;  // ops/sample_fields.h

// Data-Juicer's split-mapper text rewriting: the text is cut at <|__dj__eoc|>; each non-blank chunk
// gets, for its k-th <__dj__video> token, the k-th video's clips as that many tokens, and ends with
// <|__dj__eoc|>. `clips(i)` returns the clips of video i (consumed in order). Returns the new text
// and appends the new video list and source list.
Status RewriteSplitText(std::string_view text, const std::vector<std::string>& videos,
                        const std::function<Result<std::vector<std::string>>(size_t)>& clips, std::string* new_text,
                        std::vector<std::string>* new_videos, std::vector<std::string>* sources);

}  // namespace juicer::video_ops
