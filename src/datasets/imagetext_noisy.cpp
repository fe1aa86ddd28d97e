// imagetext-noisy: planted defects of known kind and rate in the train split, the way web data is noisy.
// Each train sample carries at most one planted defect; near-duplicates are added samples (their original
// stays clean). The ground truth goes to ground_truth.jsonl, never into the samples; eval splits stay clean.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/json_text.h"
#include "datasets/dataset_output.h"
#include "datasets/imagetext_build.h"

namespace juicer {

const char* const kNoisyCardText =
    "`imagetext` (same sources, same seed, same eval splits) with defects planted into `train.jsonl` at known "
    "rates, for checking whether the sandbox's probes and filters find them. Every train sample carries at most "
    "one planted defect; `ground_truth.jsonl` has one line per train sample, `{\"index\": i, \"id\": "
    "\"train-0000i\", \"defects\": [...]}` (plus `duplicate_of` for near-duplicates), and is not part of the "
    "samples. Train `__dj__meta__` holds only id, source and licence here (label fields would give mismatches "
    "away). `noise_config.json` records the rates used and the counts planted.\n\n"
    "| defect | what was done | default rate |\n|---|---|---|\n"
    "| `mismatch` | caption replaced by the caption of another train image | 5% |\n"
    "| `boilerplate` | caption replaced by web boilerplate: \"image\", \"untitled\", \"IMG_1234.jpg\", \"click to "
    "enlarge\"... | 5% |\n"
    "| `foreign_language` | caption replaced by a real translation: the Tux Paint stamp's own translations (77 "
    "languages) or CLDR emoji names in 12 languages; only emoji and Tux Paint samples qualify | 5% |\n"
    "| `near_duplicate` | an extra sample: the same caption with a copy of another train image, cropped 2-6% per "
    "side, rescaled and JPEG re-encoded (quality 85-95, alpha kept) | 5% |\n"
    "| `blur` | Gaussian blur, sigma 3-5% of the longer side | 5% |\n"
    "| `jpeg` | JPEG quality 5 (on white, alpha lost), stored as PNG | 5% |\n"
    "| `tiny` | downscaled to 16 px on the longer side and stored that small | 5% |\n"
    "| `aspect_crop` | cropped to a strip of aspect ratio 6:1 or more | 5% |\n"
    "| `overlay_text` | large text drawn across the image (\"SALE 50% OFF\", a URL, \"SAMPLE\"...) | 5% |\n\n"
    "Rates are fractions of the clean train split (before near-duplicates are added); image defects skip "
    "Fashion-MNIST (28 px). Set `JUICER_NOISE_RATES=\"mismatch=0.1,tiny=0,...\"` when building to change them.";

namespace {

const char* const kKinds[] = {"mismatch", "boilerplate", "foreign_language", "near_duplicate", "blur",
                              "jpeg",     "tiny",        "aspect_crop",      "overlay_text"};

bool IsImageDefect(const std::string& k) {
  return k == "near_duplicate" || k == "blur" || k == "jpeg" || k == "tiny" || k == "aspect_crop" || k == "overlay_text";
}

std::string Boilerplate(std::mt19937_64& rng) {
  static const char* const kFixed[] = {"image", "untitled", "Untitled", "photo", "picture", "no description available",
                                       "click to enlarge", "stock photo", "thumbnail", "screenshot", "null",
                                       "Image may contain: one or more people", "download", "placeholder"};
  char buf[64];
  switch (rng() % 5) {
    case 0: std::snprintf(buf, sizeof buf, "IMG_%04d.jpg", static_cast<int>(rng() % 10000)); return buf;
    case 1: std::snprintf(buf, sizeof buf, "DSC%05d.JPG", static_cast<int>(rng() % 100000)); return buf;
    case 2: std::snprintf(buf, sizeof buf, "download (%d).png", static_cast<int>(1 + rng() % 20)); return buf;
    default: return kFixed[rng() % (sizeof kFixed / sizeof kFixed[0])];
  }
}

double Uniform(std::mt19937_64& rng, double a, double b) {
  return a + (b - a) * static_cast<double>(rng() >> 11) / 9007199254740992.0;
}

cv::Mat OnWhite(const cv::Mat& img) {
  if (img.channels() != 4) return img.clone();
  cv::Mat out(img.size(), CV_8UC3);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) {
      const cv::Vec4b p = img.at<cv::Vec4b>(y, x);
      cv::Vec3b q;
      for (int c = 0; c < 3; ++c) q[c] = static_cast<uchar>((p[c] * p[3] + 255 * (255 - p[3])) / 255);
      out.at<cv::Vec3b>(y, x) = q;
    }
  return out;
}

cv::Mat JpegRoundTrip(const cv::Mat& bgr, int quality) {
  std::vector<uchar> buf;
  cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, quality});
  return cv::imdecode(buf, bgr.channels() == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
}

cv::Mat NearDuplicate(const cv::Mat& img, std::mt19937_64& rng) {
  const int l = static_cast<int>(img.cols * Uniform(rng, 0.02, 0.06)), r = static_cast<int>(img.cols * Uniform(rng, 0.02, 0.06));
  const int t = static_cast<int>(img.rows * Uniform(rng, 0.02, 0.06)), b = static_cast<int>(img.rows * Uniform(rng, 0.02, 0.06));
  cv::Mat crop = img(cv::Rect(l, t, std::max(1, img.cols - l - r), std::max(1, img.rows - t - b))).clone();
  const double s = Uniform(rng, 0.85, 1.0);
  cv::resize(crop, crop, cv::Size(std::max(1, static_cast<int>(crop.cols * s)), std::max(1, static_cast<int>(crop.rows * s))), 0,
             0, cv::INTER_AREA);
  const int q = 85 + static_cast<int>(rng() % 11);
  if (crop.channels() != 4) return JpegRoundTrip(crop, q);
  std::vector<cv::Mat> ch;
  cv::split(crop, ch);
  cv::Mat alpha = ch[3];
  ch.pop_back();
  cv::Mat bgr;
  cv::merge(ch, bgr);
  bgr = JpegRoundTrip(bgr, q);
  cv::split(bgr, ch);
  ch.push_back(alpha);
  cv::merge(ch, crop);
  return crop;
}

cv::Mat OverlayText(const cv::Mat& src, std::mt19937_64& rng) {
  static const char* const kText[] = {"SALE 50% OFF", "www.example.com", "SAMPLE", "BUY NOW", "DO NOT COPY",
                                      "CLICK HERE", "(c) stock photos", "FREE DOWNLOAD", "WATERMARK", "LIMITED OFFER"};
  cv::Mat img = src.channels() == 1 ? cv::Mat() : src.clone();
  if (src.channels() == 1) cv::cvtColor(src, img, cv::COLOR_GRAY2BGR);
  const std::string text = kText[rng() % (sizeof kText / sizeof kText[0])];
  const int font = cv::FONT_HERSHEY_DUPLEX;
  int base = 0;
  const cv::Size unit = cv::getTextSize(text, font, 1.0, 2, &base);
  const double scale = 0.9 * img.cols / std::max(1, unit.width);
  const int thick = std::max(1, static_cast<int>(scale * 2.5));
  const cv::Size sz = cv::getTextSize(text, font, scale, thick, &base);
  const int x = std::max(0, (img.cols - sz.width) / 2);
  const int y = std::clamp(static_cast<int>(img.rows * Uniform(rng, 0.35, 0.75)) + sz.height / 2, sz.height, img.rows - 1);
  const cv::Scalar colours[] = {{0, 0, 255, 255}, {255, 255, 255, 255}, {0, 220, 255, 255}, {255, 80, 0, 255}};
  const cv::Scalar fg = colours[rng() % 4];
  cv::putText(img, text, {x, y}, font, scale, cv::Scalar(0, 0, 0, 255), thick + std::max(2, thick / 2), cv::LINE_AA);
  cv::putText(img, text, {x, y}, font, scale, fg, thick, cv::LINE_AA);
  return img;
}

cv::Mat Degrade(const std::string& kind, const cv::Mat& img, std::mt19937_64& rng) {
  const int longer = std::max(img.cols, img.rows);
  if (kind == "blur") {
    cv::Mat out;
    const double sigma = longer * Uniform(rng, 0.03, 0.05);
    if (sigma <= 4) {
      cv::GaussianBlur(img, out, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
      return out;
    }
    // a wide kernel on a big image is slow: blur a downscaled copy (sigma 4) and scale it back up
    const double f = 4.0 / sigma;
    cv::Mat small;
    cv::resize(img, small, cv::Size(std::max(1, static_cast<int>(img.cols * f)), std::max(1, static_cast<int>(img.rows * f))), 0, 0,
               cv::INTER_AREA);
    cv::GaussianBlur(small, small, cv::Size(0, 0), 4, 4, cv::BORDER_REPLICATE);
    cv::resize(small, out, img.size(), 0, 0, cv::INTER_LINEAR);
    return out;
  }
  if (kind == "jpeg") return JpegRoundTrip(OnWhite(img), 5);
  if (kind == "tiny") {
    const double s = 16.0 / longer;
    cv::Mat out;
    cv::resize(img, out, cv::Size(std::max(1, static_cast<int>(std::lround(img.cols * s))), std::max(1, static_cast<int>(std::lround(img.rows * s)))),
               0, 0, cv::INTER_AREA);
    return out;
  }
  if (kind == "aspect_crop") {
    const double ratio = Uniform(rng, 6.0, 10.0);
    if (img.cols >= img.rows) {
      const int h = std::max(1, static_cast<int>(img.cols / ratio));
      const int y = static_cast<int>((img.rows - std::min(h, img.rows)) * Uniform(rng, 0.3, 0.7));
      return img(cv::Rect(0, y, img.cols, std::min(h, img.rows))).clone();
    }
    const int w = std::max(1, static_cast<int>(img.rows / ratio));
    const int x = static_cast<int>((img.cols - std::min(w, img.cols)) * Uniform(rng, 0.3, 0.7));
    return img(cv::Rect(x, 0, std::min(w, img.cols), img.rows)).clone();
  }
  return OverlayText(img, rng);
}

Result<std::map<std::string, double>> ParseRates() {
  std::map<std::string, double> rates;
  for (const char* k : kKinds) rates[k] = 0.05;
  const char* env = std::getenv("JUICER_NOISE_RATES");
  if (env == nullptr || *env == 0) return rates;
  std::stringstream ss(env);
  std::string part;
  while (std::getline(ss, part, ',')) {
    const size_t eq = part.find('=');
    const std::string k = part.substr(0, eq);
    if (eq == std::string::npos || !rates.count(k))
      return Status::InvalidArgument("JUICER_NOISE_RATES: expected kind=rate with kind one of mismatch, boilerplate, "
                                     "foreign_language, near_duplicate, blur, jpeg, tiny, aspect_crop, overlay_text; got '" + part + "'");
    char* end = nullptr;
    const double v = std::strtod(part.c_str() + eq + 1, &end);
    if (*end != 0 || !(v >= 0 && v <= 0.5)) return Status::InvalidArgument("JUICER_NOISE_RATES: rate for " + k + " must be in [0, 0.5]");
    rates[k] = v;
  }
  double total = 0;
  for (const auto& [k, v] : rates) total += v;
  if (total > 0.9) return Status::InvalidArgument("JUICER_NOISE_RATES: rates add up to more than 0.9");
  return rates;
}

}  // namespace

Result<TrainHook> MakeNoiseHook() {
  JUICER_ASSIGN_OR_RETURN(auto rates, ParseRates());
  return TrainHook([rates](std::vector<SampleRecord>& train, DatasetOutput& out, std::mt19937_64& rng) -> Result<std::string> {
    const size_t n = train.size();
    std::vector<std::string> original(n);
    for (size_t i = 0; i < n; ++i) original[i] = train[i].caption;
    std::vector<size_t> pool(n);
    std::vector<bool> used(n, false);
    std::map<std::string, size_t> planted;
    std::vector<SampleRecord> extra;
    size_t next_uid = n;
    for (const char* kind_c : kKinds) {
      const std::string kind = kind_c;
      const size_t want = static_cast<size_t>(std::llround(rates.at(kind) * static_cast<double>(n)));
      size_t got = 0;
      for (size_t i = 0; i < n; ++i) pool[i] = i;
      SeededShuffle(pool, rng);
      for (size_t p = 0; p < n && got < want; ++p) {
        const size_t i = pool[p];
        if (used[i]) continue;
        SampleRecord& r = train[i];
        const bool fm = r.item->source == "fashion_mnist";
        if (IsImageDefect(kind) && fm) continue;
        if (kind == "foreign_language" && r.item->translations.empty()) continue;
        used[i] = true;
        if (kind == "mismatch") {
          size_t j = i;
          for (int tries = 0; tries < 50 && (j == i || original[j] == original[i]); ++tries) j = rng() % n;
          if (j == i || original[j] == original[i]) continue;
          r.caption = original[j];
        } else if (kind == "boilerplate") {
          r.caption = Boilerplate(rng);
        } else if (kind == "foreign_language") {
          r.caption = r.item->translations[rng() % r.item->translations.size()].second;
        } else {
          cv::Mat img = cv::imread(out.dir() + "/" + r.image_rel, cv::IMREAD_UNCHANGED);
          if (img.empty()) return Status::IOError(out.dir() + "/" + r.image_rel + ": cannot read back");
          if (kind == "near_duplicate") {
            SampleRecord dup = r;
            const size_t dot = r.image_rel.rfind('.');
            dup.image_rel = r.image_rel.substr(0, dot) + "-2.png";
            dup.uid = next_uid++;
            dup.defects = {kind};
            dup.duplicate_of = static_cast<long>(r.uid);
            JUICER_RETURN_IF_ERROR(out.WriteImage(dup.image_rel, NearDuplicate(img, rng)));
            extra.push_back(std::move(dup));
            ++got;
            continue;  // the original stays clean
          }
          JUICER_RETURN_IF_ERROR(out.WriteImage(r.image_rel, Degrade(kind, img, rng)));
        }
        r.defects = {kind};
        ++got;
      }
      planted[kind] = got;
    }
    // near-duplicates go to random places, so they are not next to their originals
    for (auto& d : extra) {
      const size_t pos = rng() % (train.size() + 1);
      train.insert(train.begin() + static_cast<long>(pos), std::move(d));
    }
    std::string cfg = "{\n \"rates\": {", summary;
    bool first = true;
    for (const char* k : kKinds) {
      char b[64];
      std::snprintf(b, sizeof b, "%s\"%s\": %.4g", first ? "" : ", ", k, rates.at(k));
      cfg += b;
      first = false;
    }
    cfg += "},\n \"planted\": {";
    first = true;
    size_t total = 0;
    for (const char* k : kKinds) {
      cfg += std::string(first ? "" : ", ") + "\"" + k + "\": " + std::to_string(planted[k]);
      summary += std::string(first ? "" : ", ") + k + " " + std::to_string(planted[k]);
      total += planted[k];
      first = false;
    }
    cfg += "},\n \"clean_train_samples\": " + std::to_string(n) + ",\n \"train_samples\": " + std::to_string(train.size()) + "\n}\n";
    JUICER_RETURN_IF_ERROR(out.WriteText("noise_config.json", cfg));
    return std::to_string(total) + " defects in " + std::to_string(train.size()) + " train samples: " + summary;
  });
}

}  // namespace juicer
