// Image operators (filters on image size/shape/quality/faces, image_deduplicator).
#pragma once

#include "core/op_registry.h"

namespace juicer {

// Every image op below.
Status RegisterImageOps(OpRegistry& registry);

namespace image_ops {
Status RegisterImageBasicFilters(OpRegistry& registry);    // shape, aspect ratio, file size
Status RegisterImageQualityFilters(OpRegistry& registry);  // sharpness, colorfulness, entropy, BRISQUE
Status RegisterImageFaceFilters(OpRegistry& registry);     // face count, face ratio
Status RegisterImageDeduplicator(OpRegistry& registry);
Status RegisterImageAestheticsFilter(OpRegistry& registry);  // heuristic aesthetics score
Status RegisterImageMappers(OpRegistry& registry);           // blur, face blur, resize
Status RegisterImageOcrFilter(OpRegistry& registry);         // Tesseract text-area ratio
}  // namespace image_ops

}  // namespace juicer
