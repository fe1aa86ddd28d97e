#include "ops/video/video_mapper_util.h"

#include <xxhash.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/json_text.h"
#include "ops/sample_fields.h"

namespace juicer::video_ops {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kProducedDir = "__dj__produced_data__";

std::string StripHashSuffix(std::string stem) {
  const size_t p = stem.find("__dj_hash_#");
  if (p != std::string::npos) stem.resize(p);
  return stem;
}
}  // namespace

OutputNamer::OutputNamer(const OpInfo& info, const OpParams& params) : op_(info.name) {
  if (!params.IsNull("save_dir")) {
    dir_ = params.GetString("save_dir");
  } else if (const char* env = std::getenv("DJ_PRODUCED_DATA_DIR"); env != nullptr && *env != '\0') {
    dir_ = (fs::path(env) / info.name).string();
  } else if (!params.IsNull("work_dir")) {
    dir_ = (fs::path(params.GetString("work_dir")) / kProducedDir / info.name).string();
  }
  if (!dir_.empty()) dir_ = fs::absolute(dir_).lexically_normal().string();
  for (const ParamSpec& p : info.params)
    if (p.name != "save_dir") param_key_ += p.name + "=" + ParamValueToString(params.Get(p.name)) + "\n";
}

std::string OutputNamer::Path(const std::string& resolved_src, const std::string& suffix, const std::string& ext) const {
  const fs::path abs = fs::absolute(resolved_src).lexically_normal();
  fs::path dir = dir_;
  if (dir.empty()) {
    std::string d = abs.parent_path().string();
    const std::string token = "/" + std::string(kProducedDir) + "/";
    if (const size_t p = (d + "/").find(token); p != std::string::npos) d.resize(p);
    dir = fs::path(d) / kProducedDir / op_;
  }
  const std::string key = op_ + "\n" + param_key_ + abs.string();
  const XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return (dir / (StripHashSuffix(abs.stem().string()) + "__dj_hash_#" + hex + "#" + suffix +
                 (ext.empty() ? abs.extension().string() : ext)))
      .string();
}

ParamSpec SaveDirParam() {
  return ParamSpec{.name = "save_dir", .type = ParamType::kString,
                   .doc = "directory for the new files; null = <work_dir>/__dj__produced_data__/<op name>",
                   .nullable = true};
}

const char* const kOutputDoc =
    " New files go to save_dir, else $DJ_PRODUCED_DATA_DIR/<op name>, else <work_dir>/__dj__produced_data__/"
    "<op name> (work_dir defaults to the recipe's, i.e. the export directory), as <stem>__dj_hash_#<hash>#"
    "<suffix><ext> with Data-Juicer's naming; the hash is XXH3-128 of the op name, its params and the source's "
    "absolute path (Data-Juicer also hashes the pid and time, so its names differ on every run); input files "
    "are never written to. Files are written under a temporary name and renamed when complete.";

Status RewriteSplitText(std::string_view text, const std::vector<std::string>& videos,
                        const std::function<Result<std::vector<std::string>>(size_t)>& clips, std::string* new_text,
                        std::vector<std::string>* new_videos, std::vector<std::string>* sources) {
  size_t offset = 0, pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(kEocToken, pos);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    const std::string_view chunk = text.substr(pos, end - pos);
    pos = end + kEocToken.size();
    bool blank = true;
    for (unsigned char c : chunk)
      if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) blank = false;
    if (!blank) {
      std::string out;
      size_t p = 0;
      while (true) {
        const size_t t = chunk.find(kVideoToken, p);
        if (t == std::string_view::npos) break;
        out.append(chunk.substr(p, t - p));
        p = t + kVideoToken.size();
        if (offset < videos.size()) {
          JUICER_ASSIGN_OR_RETURN(std::vector<std::string> c, clips(offset));
          for (size_t k = 0; k < c.size(); ++k) out.append(kVideoToken);
          for (const std::string& x : c) {
            new_videos->push_back(x);
            sources->push_back(videos[offset]);
          }
          ++offset;
        } else {
          out.append(kVideoToken);  // a token without a video is left as it is
        }
      }
      out.append(chunk.substr(p));
      new_text->append(out);
      new_text->append(kEocToken);
    }
    if (last) break;
  }
  return Status::OK();
}

}  // namespace juicer::video_ops
