#include "core/op.h"

#include <cmath>

namespace juicer {

std::string_view OpKindName(OpKind k) {
  switch (k) {
    case OpKind::kFilter: return "filter";
    case OpKind::kMapper: return "mapper";
    case OpKind::kDeduplicator: return "deduplicator";
    case OpKind::kSelector: return "selector";
  }
  return "?";
}

std::string_view ModalityName(Modality m) {
  switch (m) {
    case Modality::kText: return "text";
    case Modality::kImage: return "image";
    case Modality::kVideo: return "video";
    case Modality::kImageText: return "image-text";
    case Modality::kAudio: return "audio";
    case Modality::kAny: return "any";
  }
  return "?";
}

Op::Op(const OpInfo& info, const OpParams& params) : info_(info), params_(params) {
  text_key_ = params_.Has("text_key") ? params_.GetString("text_key") : "text";
  image_key_ = params_.Has("image_key") ? params_.GetString("image_key") : "images";
  video_key_ = params_.Has("video_key") ? params_.GetString("video_key") : "videos";
  if (!params_.IsNull("skip_op_error")) skip_op_error_ = params_.GetBool("skip_op_error");
}

Filter::Filter(const OpInfo& info, const OpParams& params) : Op(info, params) {
  if (params.Has("min_closed_interval")) min_closed_ = params.GetBool("min_closed_interval");
  if (params.Has("max_closed_interval")) max_closed_ = params.GetBool("max_closed_interval");
  if (params.Has("reversed_range")) reversed_ = params.GetBool("reversed_range");
  if (reversed_) {  // DJ flips the interval closedness when the range is reversed
    min_closed_ = !min_closed_;
    max_closed_ = !max_closed_;
  }
}

bool Filter::KeepRange(double value, std::optional<double> min_v, std::optional<double> max_v) const {
  bool keep = true;
  if (min_v) keep = keep && (min_closed_ ? value >= *min_v : value > *min_v);
  if (max_v) keep = keep && (max_closed_ ? value <= *max_v : value < *max_v);
  return reversed_ ? !keep : keep;
}

Result<double> Filter::NumericStat(const Sample& sample, const std::string& key) const {
  const StatValue* v = sample.stats().Find(key);
  if (v == nullptr) return Status::DataError("stat '" + key + "' is missing");
  auto x = v->AsNumber();
  if (!x) return Status::DataError("stat '" + key + "' is not a number");
  return *x;
}

Status DatasetOp::Prepare(Sample&, WorkerContext&) const { return Status::OK(); }

Status DatasetOp::ClusterKeys(const Sample&, std::vector<ClusterKey>*) const {
  return Status::Internal(name() + " has no cluster keys");
}

}  // namespace juicer
