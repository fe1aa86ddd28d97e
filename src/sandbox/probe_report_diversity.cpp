// Diversity pieces of the probe report: word cloud, verb–noun bars, image thumbnails, and text
// measurement with FreeType (DejaVu Sans, the font the report's SVG asks for).
#include <ft2build.h>
#include FT_FREETYPE_H

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>
#include <vector>

#include "analysis/svg_charts.h"
#include "analysis/svg_doc.h"
#include "analysis/text_util.h"
#include "media/image_io.h"
#include "sandbox/probe_report_internal.h"

namespace juicer::sandbox::report {

namespace {

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";
constexpr const char* kCloudColors[] = {"#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#c2410c",
                                        "#0e7490", "#be185d", "#4d7c0f", "#374151"};

// Decodes one UTF-8 code point at s[i], advancing i; U+FFFD for a bad byte.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

// Advance widths of DejaVu Sans (regular, bold) in units of the font size, per code point; the faces
// are opened once. Without the font, widths come from svg::TextWidth.
class FontMetrics {
 public:
  static FontMetrics& Get() {
    static FontMetrics* m = new FontMetrics();
    return *m;
  }
  double Width(std::string_view text, double size, bool bold) {
    std::lock_guard<std::mutex> lock(mu_);
    FT_Face face = bold ? bold_ : regular_;
    if (face == nullptr) return svg::TextWidth(text, size) * (bold ? 1.1 : 1.0);
    double em = 0;
    for (size_t i = 0; i < text.size();) {
      const char32_t cp = NextCodePoint(text, i);
      const FT_UInt glyph = FT_Get_Char_Index(face, cp);
      if (glyph == 0 || FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE) != 0) {
        const bool wide = (cp >= 0x1100 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFFEF);
        em += wide ? 1.0 : 0.62;  // drawn from a fallback font
        continue;
      }
      em += static_cast<double>(face->glyph->metrics.horiAdvance) / face->units_per_EM;
    }
    return em * size;
  }

 private:
  FontMetrics() {
    if (FT_Init_FreeType(&lib_) != 0) return;
    const std::string dir = kFontDir;
    if (FT_New_Face(lib_, (dir + "DejaVuSans.ttf").c_str(), 0, &regular_) != 0) regular_ = nullptr;
    if (FT_New_Face(lib_, (dir + "DejaVuSans-Bold.ttf").c_str(), 0, &bold_) != 0) bold_ = regular_;
  }
  std::mutex mu_;
  FT_Library lib_ = nullptr;
  FT_Face regular_ = nullptr, bold_ = nullptr;
};

struct Box {
  double x0, y0, x1, y1;
  bool Overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

std::string Base64(const std::vector<unsigned char>& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

// The image as an 8-bit BGR thumbnail of at most max_px a side; empty on any failure.
cv::Mat Thumbnail(const std::string& path, int max_px) {
  auto decoded = media::DecodeImageFile(path);
  if (!decoded.ok() || decoded->empty()) return {};
  cv::Mat img = *decoded;
  if (img.depth() != CV_8U) {
    cv::Mat tmp;
    img.convertTo(tmp, CV_8U, img.depth() == CV_16U ? 1.0 / 257 : 1.0);
    img = tmp;
  }
  if (img.channels() == 1) cv::cvtColor(img, img, cv::COLOR_GRAY2BGR);
  if (img.channels() == 4) cv::cvtColor(img, img, cv::COLOR_BGRA2BGR);
  if (img.channels() != 3) return {};
  const double scale = std::min(1.0, static_cast<double>(max_px) / std::max(img.cols, img.rows));
  if (scale < 1.0) {
    cv::Mat small;
    cv::resize(img, small, cv::Size(std::max(1, static_cast<int>(std::lround(img.cols * scale))),
                                    std::max(1, static_cast<int>(std::lround(img.rows * scale)))),
               0, 0, cv::INTER_AREA);
    img = small;
  }
  return img;
}

}  // namespace

double MeasureText(std::string_view text, double size, bool bold) { return FontMetrics::Get().Width(text, size, bold); }

std::string WordCloudSvg(const Json& word_counts, double width, double height) {
  std::vector<std::pair<std::string, double>> words;
  for (const auto& wc : word_counts) {
    if (!wc.is_array() || wc.size() < 2 || !wc[0].is_string()) continue;
    const double c = Num(wc[1]);
    if (c > 0) words.emplace_back(wc[0].get<std::string>(), c);
  }
  svg::Doc doc(width, height);
  if (words.empty()) {
    doc.Text(width / 2, height / 2, "no words", 13, "middle", "fill=\"#777777\"");
    return InlineSvg(doc.Finish());
  }
  std::stable_sort(words.begin(), words.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  const double cmax = words.front().second, cmin = words.back().second;
  const double fmin = 11, fmax = std::min(46.0, height / 5);
  std::vector<Box> placed;
  const double cx = width / 2, cy = height / 2;
  for (size_t wi = 0; wi < words.size(); ++wi) {
    const auto& [word, count] = words[wi];
    // Font size by the square root of the count, between fmin and fmax.
    const double t = cmax > cmin ? std::sqrt((count - cmin) / (cmax - cmin)) : 1.0;
    for (double size = fmin + (fmax - fmin) * t; size >= fmin - 1e-9; size *= 0.85) {
      const bool bold = wi < 5;
      const double w = MeasureText(word, size, bold) + 4, ascent = 0.93 * size, descent = 0.26 * size;
      const double h = ascent + descent + 2;
      if (w > width - 4) continue;
      bool done = false;
      // Archimedean spiral from the centre, flattened to the canvas' aspect ratio.
      for (double a = 0; a < 200 && !done; a += 0.12) {
        const double r = 2.2 * a;
        const double x = cx + r * std::cos(a) * (width / height) * 0.7 - w / 2;
        const double y = cy + r * std::sin(a) * 0.7 - h / 2;
        const Box b{x, y, x + w, y + h};
        if (b.x0 < 2 || b.y0 < 2 || b.x1 > width - 2 || b.y1 > height - 2) continue;
        if (std::any_of(placed.begin(), placed.end(), [&](const Box& o) { return o.Overlaps(b); })) continue;
        placed.push_back(b);
        std::string attrs = "fill=\"" + std::string(kCloudColors[wi % 9]) + "\"";
        if (bold) attrs += " font-weight=\"bold\"";
        doc.Raw("<text x=\"" + svg::Num(x + 2) + "\" y=\"" + svg::Num(y + 1 + ascent) + "\" font-size=\"" + svg::Num(size) +
                "\" " + attrs + "><title>" + H(word + ": " + HumanNumber(count)) + "</title>" + H(word) + "</text>\n");
        done = true;
      }
      if (done) break;
    }
  }
  return InlineSvg(doc.Finish());
}

std::string VerbNounSvg(const Json& diversity) {
  std::vector<std::pair<std::string, size_t>> top;
  for (const auto& vn : At(diversity, "verb_noun")) {
    if (!vn.is_array() || vn.size() < 3 || !vn[0].is_string() || !vn[1].is_string()) continue;
    const double c = Num(vn[2]);
    top.emplace_back(vn[0].get<std::string>() + " " + vn[1].get<std::string>(), c > 0 ? static_cast<size_t>(c) : 0);
  }
  const double with = NumAt(diversity, "n_with_verb_noun");
  return InlineSvg(TopValuesBarSvg("Top verb–noun pairs", top, with > 0 ? static_cast<size_t>(with) : 0, top.size()));
}

std::string ThumbnailHtml(const std::string& path, int max_px) {
  const std::string name = std::filesystem::path(path).filename().string();
  const cv::Mat img = Thumbnail(path, max_px);
  std::vector<unsigned char> jpeg;
  if (!img.empty() && cv::imencode(".jpg", img, jpeg, {cv::IMWRITE_JPEG_QUALITY, 82}) && !jpeg.empty()) {
    return "<figure class=\"thumb\"><img src=\"data:image/jpeg;base64," + Base64(jpeg) + "\" width=\"" +
           std::to_string(img.cols) + "\" height=\"" + std::to_string(img.rows) + "\" alt=\"" + H(name) + "\" title=\"" +
           H(path) + "\"><figcaption>" + H(Ellipsize(name, 16)) + "</figcaption></figure>";
  }
  return "<figure class=\"thumb\"><div class=\"missing\" style=\"width:" + std::to_string(max_px) + "px;height:" +
         std::to_string(max_px) + "px\" title=\"" + H(path) + " (cannot be read)\">" + H(Ellipsize(name, 28)) +
         "</div><figcaption>unreadable</figcaption></figure>";
}

}  // namespace juicer::sandbox::report
