// Contact sheets: a 10-column grid of images on a light checkerboard (so transparency shows) with
// their captions underneath, rendered with FreeType (DejaVu Sans) through OpenCV's freetype module.
#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#if __has_include(<opencv2/freetype.hpp>)
#include <opencv2/freetype.hpp>
#define JUICER_HAVE_CV_FREETYPE 1
#endif

#include "core/dataset_writer.h"
#include "datasets/dataset_output.h"

namespace juicer {

namespace {

constexpr int kTile = 150, kCaptionH = 46, kCols = 10, kPad = 6;

// Composites BGRA over a checkerboard; grey/BGR pass through.
cv::Mat OnCheckerboard(const cv::Mat& img) {
  cv::Mat bgr(img.rows, img.cols, CV_8UC3);
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      const uchar bg = ((x / 8 + y / 8) % 2) ? 235 : 250;
      cv::Vec3b out;
      if (img.channels() == 4) {
        const cv::Vec4b p = img.at<cv::Vec4b>(y, x);
        const int a = p[3];
        for (int c = 0; c < 3; ++c) out[c] = static_cast<uchar>((p[c] * a + bg * (255 - a)) / 255);
      } else if (img.channels() == 3) {
        out = img.at<cv::Vec3b>(y, x);
      } else {
        const uchar g = img.at<uchar>(y, x);
        out = cv::Vec3b(g, g, g);
      }
      bgr.at<cv::Vec3b>(y, x) = out;
    }
  }
  return bgr;
}

// Splits a caption into at most two lines of about `width` characters (UTF-8 aware, by words).
std::vector<std::string> Wrap(const std::string& s, size_t width) {
  std::vector<std::string> lines(1);
  size_t chars = 0;
  std::string word;
  auto cp_len = [](const std::string& w) {
    size_t n = 0;
    for (unsigned char c : w) n += (c & 0xC0) != 0x80;
    return n;
  };
  auto flush = [&] {
    if (word.empty()) return;
    const size_t n = cp_len(word);
    if (chars > 0 && chars + 1 + n > width) {
      lines.emplace_back();
      chars = 0;
    }
    if (chars > 0) {
      lines.back() += " ";
      ++chars;
    }
    lines.back() += word;
    chars += n;
    word.clear();
  };
  for (char c : s) {
    if (c == ' ' || c == '\n') flush();
    else word.push_back(c);
  }
  flush();
  if (lines.size() > 2) {
    lines.resize(2);
    lines[1] += "…";
  }
  for (auto& l : lines)
    if (cp_len(l) > width + 2) {
      size_t i = 0, n = 0;
      while (i < l.size() && n < width) {
        ++i;
        while (i < l.size() && (static_cast<unsigned char>(l[i]) & 0xC0) == 0x80) ++i;
        ++n;
      }
      l = l.substr(0, i) + "…";
    }
  return lines;
}

}  // namespace

Status WriteContactSheet(const std::string& dataset_dir, const std::vector<ContactItem>& items,
                         const std::string& title, const std::string& out_path) {
  const int rows = static_cast<int>((items.size() + kCols - 1) / kCols);
  const int cell_w = kTile + 2 * kPad, cell_h = kTile + kCaptionH + 2 * kPad, title_h = 36;
  cv::Mat sheet(title_h + rows * cell_h, kCols * cell_w, CV_8UC3, cv::Scalar(255, 255, 255));
#ifdef JUICER_HAVE_CV_FREETYPE
  cv::Ptr<cv::freetype::FreeType2> ft = cv::freetype::createFreeType2();
  const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  const bool have_font = std::filesystem::exists(font);
  if (have_font) ft->loadFontData(font, 0);
  auto text = [&](const std::string& s, cv::Point org, int h) {
    if (have_font) ft->putText(sheet, s, org, h, cv::Scalar(30, 30, 30), -1, cv::LINE_AA, false);
    else cv::putText(sheet, s, org + cv::Point(0, h), cv::FONT_HERSHEY_SIMPLEX, h / 30.0, cv::Scalar(30, 30, 30));
  };
  // Drops trailing code points (adding "…") until the line fits `max_px` (wide scripts, long words).
  auto fit_width = [&](std::string* line, int max_px) {
    if (!have_font) return;
    int baseline = 0;
    bool cut = false;
    while (!line->empty() && ft->getTextSize(*line + (cut ? "…" : ""), 13, -1, &baseline).width > max_px) {
      size_t i = line->size() - 1;  // start of the last code point
      while (i > 0 && (static_cast<unsigned char>((*line)[i]) & 0xC0) == 0x80) --i;
      line->resize(i);
      cut = true;
    }
    if (cut) *line += "…";
  };
#else
  auto fit_width = [](std::string*, int) {};
  auto text = [&](const std::string& s, cv::Point org, int h) {
    cv::putText(sheet, s, org + cv::Point(0, h), cv::FONT_HERSHEY_SIMPLEX, h / 30.0, cv::Scalar(30, 30, 30));
  };
#endif
  text(title, cv::Point(kPad, 6), 20);
  for (size_t i = 0; i < items.size(); ++i) {
    const int col = static_cast<int>(i % kCols), row = static_cast<int>(i / kCols);
    const int x0 = col * cell_w + kPad, y0 = title_h + row * cell_h + kPad;
    cv::Mat img = cv::imread(dataset_dir + "/" + items[i].image, cv::IMREAD_UNCHANGED);
    cv::rectangle(sheet, cv::Rect(x0 - 1, y0 - 1, kTile + 2, kTile + 2), cv::Scalar(200, 200, 200));
    if (img.empty()) {
      text("(unreadable)", cv::Point(x0 + 10, y0 + kTile / 2), 12);
    } else {
      if (img.depth() != CV_8U) img.convertTo(img, CV_8U, 1.0 / 256);
      const double s = std::min(static_cast<double>(kTile) / img.cols, static_cast<double>(kTile) / img.rows);
      cv::Mat scaled;
      cv::resize(img, scaled, cv::Size(std::max(1, static_cast<int>(img.cols * s)), std::max(1, static_cast<int>(img.rows * s))),
                 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_NEAREST);
      cv::Mat bgr = OnCheckerboard(scaled);
      const int ox = x0 + (kTile - bgr.cols) / 2, oy = y0 + (kTile - bgr.rows) / 2;
      bgr.copyTo(sheet(cv::Rect(ox, oy, bgr.cols, bgr.rows)));
    }
    auto lines = Wrap(items[i].caption, 26);
    for (size_t l = 0; l < lines.size(); ++l) {
      fit_width(&lines[l], kTile + kPad);
      text(lines[l], cv::Point(x0, y0 + kTile + 4 + static_cast<int>(l) * 18), 13);
    }
  }
  std::vector<uchar> buf;
  if (!cv::imencode(".png", sheet, buf)) return Status::IOError(out_path + ": PNG encoding failed");
  return WriteFileAtomic(out_path, std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
}

}  // namespace juicer
