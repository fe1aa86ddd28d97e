// Tesseract text-area ratio of one image (image_ocr_area_ratio_filter, video_ocr_area_ratio_filter).
#pragma once

#include <tesseract/baseapi.h>

#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "core/op.h"
#include "core/status.h"

namespace juicer::image_ops {

// One Tesseract engine per worker thread (TessBaseAPI is not thread-safe), initialised on first use.
struct OcrState : OpWorkerState {
  std::unique_ptr<tesseract::TessBaseAPI> api;
  Status init_error;
  bool tried = false;
};

// Initialises st.api once for `langs` ("eng+deu"); Unavailable when the language data is missing.
Status InitOcr(OcrState& st, const std::string& tessdata, const std::string& langs);

// Union area of the word boxes recognised with confidence >= min_conf, over the image area.
Result<double> OcrAreaRatio(tesseract::TessBaseAPI& api, const cv::Mat& bgr, double min_conf);

}  // namespace juicer::image_ops
