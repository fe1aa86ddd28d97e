// video_deduplicator: exact duplicates by the MD5 of the video streams' packets (Data-Juicer's
// definition: the compressed bytes, so a re-encoded copy is a different video), optionally together
// with the text's document hash.
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "media/video_io.h"
#include "ops/dedup/document_deduplicator.h"
#include "ops/dedup/exact_groups.h"
#include "ops/image/image_hash.h"
#include "ops/video/video_ops.h"

namespace juicer::video_ops {

namespace {

struct VideoDedupState final : DatasetState {
  dedup::ExactGroups groups;
  uint64_t n = 0;
};

class VideoDeduplicator final : public DatasetOp {
 public:
  VideoDeduplicator(const OpInfo& info, const OpParams& params)
      : DatasetOp(info, params),
        consider_text_(params.GetBool("consider_text")),
        lowercase_(params.GetBool("lowercase")),
        ignore_non_character_(params.GetBool("ignore_non_character")) {}

  Status Prepare(Sample& sample, WorkerContext& ctx) const override {
    if (consider_text_ && !sample.Has(fields::kHash)) {
      JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
      std::string hex;
      JUICER_RETURN_IF_ERROR(dedup::DocumentHashHex(text, lowercase_, ignore_non_character_, &ctx.scratch, &hex));
      sample.SetString(fields::kHash, hex);
    }
    if (sample.Has(fields::kVideoHash)) return Status::OK();
    std::string hash;
    if (sample.Has(video_key())) {
      JUICER_ASSIGN_OR_RETURN(const std::vector<std::string>* paths, sample.GetStringList(video_key()));
      if (!paths->empty()) {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        if (!md || EVP_DigestInit_ex(md.get(), EVP_md5(), nullptr) != 1) return Status::Internal("MD5 init failed");
        std::unordered_set<std::string> done;  // each distinct video once, in first-occurrence order
        for (const std::string& path : *paths) {
          if (!done.insert(path).second) continue;
          media::SampleVideo video(sample, video_key(), path, ctx);
          JUICER_ASSIGN_OR_RETURN(std::string resolved, video.Resolved());
          const Status st = media::ForEachVideoPacket(
              resolved, [&](const uint8_t* d, size_t n) { EVP_DigestUpdate(md.get(), d, n); });
          if (!st.ok()) return video.Wrap(st);
        }
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned len = 0;
        EVP_DigestFinal_ex(md.get(), digest, &len);
        static const char* kHex = "0123456789abcdef";
        for (unsigned i = 0; i < len; ++i) {
          hash += kHex[digest[i] >> 4];
          hash += kHex[digest[i] & 15];
        }
      }
    }
    sample.SetString(fields::kVideoHash, hash);
    return Status::OK();
  }

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<VideoDedupState>(); }

  Status Observe(const Sample& sample, uint64_t pos, DatasetState& state) const override {
    auto& st = static_cast<VideoDedupState&>(state);
    ++st.n;
    const Sample::Field* vid = sample.Find(fields::kVideoHash);
    JUICER_CHECK_INTERNAL(vid != nullptr, "video_deduplicator: sample observed without __dj__videohash");
    std::string key = image_ops::HashFieldString(*vid);
    if (consider_text_) {
      const Sample::Field* txt = sample.Find(fields::kHash);
      JUICER_CHECK_INTERNAL(txt != nullptr, "video_deduplicator: sample observed without __dj__hash");
      key += '\n';
      key += image_ops::HashFieldString(*txt);
    } else if (key.empty()) {  // no video: never a duplicate (Data-Juicer)
      st.groups.Keep(pos);
      return Status::OK();
    }
    st.groups.Add(pos, std::move(key));
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext& ctx) const override {
    auto& st = static_cast<VideoDedupState&>(state);
    Selection sel;
    if (st.n <= 1) {  // Data-Juicer returns a dataset of one sample untouched
      for (uint64_t i = 0; i < st.n; ++i) sel.positions.push_back(i);
      return sel;
    }
    sel.positions = st.groups.TakeKept();
    if (ctx.trace_num > 0) sel.pairs = dedup::LargestGroupPairs(st.groups.groups(), static_cast<size_t>(ctx.trace_num));
    return sel;
  }

 private:
  bool consider_text_, lowercase_, ignore_non_character_;
};

OpInfo VideoDeduplicatorInfo() {
  OpInfo info;
  info.name = "video_deduplicator";
  info.kind = OpKind::kDeduplicator;
  info.modality = Modality::kVideo;
  info.summary = "Remove samples whose videos have the same stream bytes (MD5 of the video packets).";
  info.description =
      "Each sample gets __dj__videohash = the hex MD5 over the packets of every video-type stream of its "
      "distinct videos (first-occurrence order), in demuxing order, as Data-Juicer (PyAV's demux() packets "
      "of type video); empty without videos; a sample that already has it keeps it. Only the compressed "
      "packets are hashed, not the container, so a remuxed copy (mp4 -> mkv) is a duplicate and a "
      "re-encoded one is not. Samples are kept in input order, the first of each distinct hash only; "
      "samples without videos are always kept. With consider_text=true the key is (__dj__videohash, "
      "__dj__hash), __dj__hash being document_deduplicator's MD5 of the text (lowercase and "
      "ignore_non_character as there), and samples without videos are deduplicated by their text alone "
      "(as Data-Juicer). A dataset of one sample is returned untouched. A missing file is a NotFound "
      "error; an empty, corrupt or unreadable file a per-sample data error naming the file.";
  info.params = {
      ParamSpec{.name = "consider_text", .type = ParamType::kBool, .default_value = false,
                .doc = "a duplicate must also have the same text (document_deduplicator's hash)"},
      ParamSpec{.name = "lowercase", .type = ParamType::kBool, .default_value = false,
                .doc = "consider_text: compare texts case-insensitively"},
      ParamSpec{.name = "ignore_non_character", .type = ParamType::kBool, .default_value = false,
                .doc = "consider_text: ignore whitespace, digits and ASCII punctuation"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<VideoDeduplicator>(i, p));
  };
  return info;
}

}  // namespace

Status RegisterVideoDeduplicator(OpRegistry& registry) { return registry.Add(VideoDeduplicatorInfo()); }

}  // namespace juicer::video_ops
