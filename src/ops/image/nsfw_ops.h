// Ops backed by nsfwjs's MobileNetV2 (ops/image/nsfw_model.h): image_nsfw_filter,
// image_embedding_mapper, and the embedding method of image_deduplicator.
#pragma once

#include <memory>

#include "core/op.h"
#include "core/op_registry.h"

namespace juicer {

Status RegisterNsfwOps(OpRegistry& registry);

namespace image_ops {
// image_deduplicator with method: embedding (called by image_deduplicator's factory).
Result<std::unique_ptr<Op>> MakeEmbeddingDeduplicator(const OpInfo& info, const OpParams& params);
}  // namespace image_ops

}  // namespace juicer
