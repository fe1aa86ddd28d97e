// image_ocr_area_ratio_filter: the share of an image covered by text that Tesseract OCR finds.
#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <memory>
#include <opencv2/imgproc.hpp>

#include "ops/image/image_filter_base.h"
#include "ops/image/image_ops.h"
#include "ops/image/ocr_area.h"

namespace juicer::image_ops {

Status InitOcr(OcrState& st, const std::string& tessdata, const std::string& langs) {
  if (st.tried) return st.init_error;
  st.tried = true;
  // Leptonica prints "Error in pixScanForForeground: invalid box" and the like to stderr for ordinary
  // images (a blank page, a box at the border); they are not errors of the sample, so they are muted.
  setMsgSeverity(L_SEVERITY_NONE);
  st.api = std::make_unique<tesseract::TessBaseAPI>();
  if (st.api->Init(tessdata.empty() ? nullptr : tessdata.c_str(), langs.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    st.api.reset();
    st.init_error = Status::Unavailable("Tesseract could not load language data '" + langs + "'" +
                                        (tessdata.empty() ? std::string(" from the system tessdata") : " from " + tessdata) +
                                        " (install tesseract-ocr-eng / tesseract-ocr-<lang>, or set tessdata_dir)");
    return st.init_error;
  }
  st.api->SetPageSegMode(tesseract::PSM_AUTO);
  st.api->SetVariable("debug_file", "/dev/null");
  return Status::OK();
}

// Union area of the word boxes recognised with confidence >= min_conf, over the image area.
Result<double> OcrAreaRatio(tesseract::TessBaseAPI& api, const cv::Mat& bgr, double min_conf) {
  cv::Mat grey;
  if (bgr.channels() == 1) {
    grey = bgr;
  } else {
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  }
  if (grey.empty()) return 0.0;
  api.SetImage(grey.data, grey.cols, grey.rows, 1, static_cast<int>(grey.step));
  api.SetSourceResolution(96);
  if (api.Recognize(nullptr) != 0) {
    api.Clear();
    return Status::DataError("Tesseract failed on the image");
  }
  cv::Mat mask = cv::Mat::zeros(grey.rows, grey.cols, CV_8U);
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  const auto level = tesseract::RIL_WORD;
  if (it != nullptr) {
    do {
      const char* word = it->GetUTF8Text(level);
      const bool has_text = word != nullptr && word[0] != '\0' && word[0] != ' ';
      delete[] word;
      if (!has_text || it->Confidence(level) < min_conf) continue;
      int x1 = 0, y1 = 0, x2 = 0, y2 = 0;
      if (!it->BoundingBox(level, &x1, &y1, &x2, &y2)) continue;
      cv::rectangle(mask, cv::Rect(cv::Point(x1, y1), cv::Point(x2, y2)) & cv::Rect(0, 0, grey.cols, grey.rows),
                    cv::Scalar(255), cv::FILLED);
    } while (it->Next(level));
  }
  api.Clear();
  return static_cast<double>(cv::countNonZero(mask)) / (static_cast<double>(grey.rows) * grey.cols);
}

namespace {

OpInfo OcrAreaRatioInfo() {
  OpInfo info;
  info.name = "image_ocr_area_ratio_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kImage;
  info.summary = "Keep samples whose images' text-covered area ratio (Tesseract OCR) is within [min_area_ratio, max_area_ratio].";
  info.description =
      "Stat image_ocr_area_ratio (list of floats, one per image, empty without images): Tesseract 5 (Debian "
      "libtesseract, LSTM engine, automatic page segmentation) reads the grey image; the bounding boxes of "
      "the recognised words with confidence >= min_confidence (0-100) are painted into a mask, and the "
      "stat is the mask's share of the image (overlapping boxes count once), 0 for an image without "
      "readable text. It flags screenshots, slides, memes and watermark-heavy images. Data-Juicer has no "
      "image op for this (its video_ocr_area_ratio_filter uses EasyOCR's detector on video frames, with "
      "the same min_area_ratio/max_area_ratio params); Tesseract finds fewer stylised or rotated words "
      "than a neural text detector. An image passes when min_area_ratio <= ratio <= max_area_ratio; "
      "any_or_all combines the images; a sample without images is kept. About 0.1-1 s per image: the "
      "slowest image op, put it last in a recipe.";
  info.params = {FloatBound("min_area_ratio", 0.0, "images with less text area fail"),
                 FloatBound("max_area_ratio", 1.0, "images with more text area fail"),
                 ParamSpec{.name = "languages_to_detect", .type = ParamType::kStringList,
                           .default_value = std::vector<std::string>{"eng"},
                           .doc = "Tesseract language codes (eng, deu, chi_sim, ...; each needs its tesseract-ocr-<lang> data)"},
                 ParamSpec{.name = "min_confidence", .type = ParamType::kFloat, .default_value = 50.0,
                           .doc = "words recognised with a lower confidence (0-100) do not count", .min_value = 0.0,
                           .max_value = 100.0},
                 ParamSpec{.name = "tessdata_dir", .type = ParamType::kString, .default_value = std::string(""),
                           .doc = "directory of *.traineddata; empty = Tesseract's default"},
                 AnyOrAllParam()};
  info.stat_keys = {"image_ocr_area_ratio"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::string langs;
    for (const auto& l : p.GetStringList("languages_to_detect")) langs += (langs.empty() ? "" : "+") + l;
    if (langs.empty()) return Status::InvalidArgument("languages_to_detect: give at least one language");
    const std::string tessdata = p.GetString("tessdata_dir");
    {
      OcrState probe;  // fail at build time, not on the first image, when the language data is missing
      JUICER_RETURN_IF_ERROR(InitOcr(probe, tessdata, langs));
    }
    const double min_conf = p.GetDouble("min_confidence");
    return std::unique_ptr<Op>(std::make_unique<RangeImageFilter>(
        i, p, std::vector<std::string>{"image_ocr_area_ratio"},
        std::vector<Bound>{{p.GetOptDouble("min_area_ratio"), p.GetOptDouble("max_area_ratio")}},
        [tessdata, langs, min_conf](const Op& op, media::SampleImage& img, WorkerContext& ctx, StatScalar* out) -> Status {
          JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const cv::Mat> m, img.Pixels());
          OcrState& st = ctx.StateFor<OcrState>(&op);
          JUICER_RETURN_IF_ERROR(InitOcr(st, tessdata, langs));
          JUICER_ASSIGN_OR_RETURN(double r, OcrAreaRatio(*st.api, *m, min_conf));
          out[0] = r;
          return Status::OK();
        }));
  };
  return info;
}

}  // namespace

Status RegisterImageOcrFilter(OpRegistry& registry) { return registry.Add(OcrAreaRatioInfo()); }

}  // namespace juicer::image_ops
