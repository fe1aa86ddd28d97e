// Image-text ops scored by a juicer-trained clip model: image_text_similarity_filter,
// image_text_matching_filter, image_pair_similarity_filter.
#pragma once

#include "core/op_registry.h"

namespace juicer {

Status RegisterImageTextOps(OpRegistry& registry);

}  // namespace juicer
