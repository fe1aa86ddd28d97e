#include "ops/video/video_ops.h"

namespace juicer {

Status RegisterVideoOps(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(video_ops::RegisterVideoBasicFilters(registry));
  JUICER_RETURN_IF_ERROR(video_ops::RegisterVideoModelFilters(registry));
  JUICER_RETURN_IF_ERROR(video_ops::RegisterVideoDeduplicator(registry));
  JUICER_RETURN_IF_ERROR(video_ops::RegisterVideoSplitMappers(registry));
  JUICER_RETURN_IF_ERROR(video_ops::RegisterVideoResizeMappers(registry));
  JUICER_RETURN_IF_ERROR(video_ops::RegisterVideoFrameMappers(registry));
  return Status::OK();
}

}  // namespace juicer
