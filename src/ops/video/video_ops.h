// Video operators: metadata filters, motion score, frame-level model scores, video_deduplicator, and
// the mappers that split, resize, re-encode or extract frames (all through src/media/video_io.h).
#pragma once

#include "core/op_registry.h"

namespace juicer {

// Every video op below.
Status RegisterVideoOps(OpRegistry& registry);

namespace video_ops {
Status RegisterVideoBasicFilters(OpRegistry& registry);   // duration, resolution, aspect ratio, motion
Status RegisterVideoModelFilters(OpRegistry& registry);   // NSFW, aesthetics, OCR (+ text similarity)
Status RegisterVideoTextSimilarityFilter(OpRegistry& registry);
Status RegisterVideoDeduplicator(OpRegistry& registry);
Status RegisterVideoSplitMappers(OpRegistry& registry);   // split by duration / key frame (+ scene)
Status RegisterVideoSceneMapper(OpRegistry& registry);    // split by scene
Status RegisterVideoResizeMappers(OpRegistry& registry);  // resize resolution / aspect ratio
Status RegisterVideoFrameMappers(OpRegistry& registry);   // extract frames, ffmpeg wrapper
}  // namespace video_ops

}  // namespace juicer
