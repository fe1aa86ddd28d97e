// Noto Color Emoji rendered with FreeType + HarfBuzz; names from Unicode's emoji-test.txt, keywords and
// names from CLDR annotations. Every fully-qualified RGI emoji is shaped as one string (sequences with
// ZWJ, skin tones, flags and keycaps become one ligature glyph) and its colour bitmap (CBDT, BGRA with
// premultiplied alpha) is converted to straight-alpha BGRA at the font's fixed size (136x128).
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ft.h>
#include <hb.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <pugixml.hpp>

#include "datasets/imagetext_items.h"
#include "core/utf8.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {

constexpr const char* kFont = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
constexpr const char* kEmojiTest = "/usr/share/unicode/emoji/emoji-test.txt";
constexpr const char* kCldr = "/usr/share/unicode/cldr/common";
// Languages whose CLDR emoji names feed the "caption in another language" defect.
const char* const kForeign[] = {"de", "fr", "es", "it", "pt", "nl", "pl", "ru", "ja", "zh", "ko", "tr"};

class EmojiRenderer {
 public:
  ~EmojiRenderer() {
    if (buf_) hb_buffer_destroy(buf_);
    if (font_) hb_font_destroy(font_);  // also releases the FT_Face (hb_ft_font_create_referenced)
    if (lib_) FT_Done_FreeType(lib_);
  }
  Status Open() {
    if (FT_Init_FreeType(&lib_)) return Status::Internal("FreeType init failed");
    FT_Face face = nullptr;
    if (FT_New_Face(lib_, kFont, 0, &face)) return Status::IOError(std::string(kFont) + ": cannot open font");
    if (face->num_fixed_sizes < 1 || FT_Select_Size(face, 0))
      return Status::DataError(std::string(kFont) + ": no fixed-size colour strike");
    face_ = face;
    font_ = hb_ft_font_create_referenced(face);
    buf_ = hb_buffer_create();
    return Status::OK();
  }
  // One emoji (UTF-8) to one straight-alpha BGRA image.
  Result<cv::Mat> Render(const std::string& utf8) {
    hb_buffer_clear_contents(buf_);
    hb_buffer_add_utf8(buf_, utf8.data(), static_cast<int>(utf8.size()), 0, static_cast<int>(utf8.size()));
    hb_buffer_guess_segment_properties(buf_);
    hb_buffer_set_flags(buf_, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
    hb_shape(font_, buf_, nullptr, 0);
    unsigned n = 0;
    hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf_, &n);
    if (n != 1 || info[0].codepoint == 0)
      return Status::DataError("shapes to " + std::to_string(n) + " glyphs (no single glyph in the font)");
    if (FT_Load_Glyph(face_, info[0].codepoint, FT_LOAD_COLOR))
      return Status::DataError("glyph does not load");
    FT_GlyphSlot g = face_->glyph;
    if (g->format != FT_GLYPH_FORMAT_BITMAP && FT_Render_Glyph(g, FT_RENDER_MODE_NORMAL))
      return Status::DataError("glyph does not render");
    const FT_Bitmap& bm = g->bitmap;
    if (bm.pixel_mode != FT_PIXEL_MODE_BGRA || bm.width == 0 || bm.rows == 0)
      return Status::DataError("glyph is not a colour bitmap");
    cv::Mat out(static_cast<int>(bm.rows), static_cast<int>(bm.width), CV_8UC4);
    int max_alpha = 0;
    for (int y = 0; y < out.rows; ++y) {
      const unsigned char* src = bm.buffer + static_cast<ptrdiff_t>(y) * bm.pitch;
      cv::Vec4b* dst = out.ptr<cv::Vec4b>(y);
      for (int x = 0; x < out.cols; ++x) {
        const int a = src[4 * x + 3];
        max_alpha = std::max(max_alpha, a);
        cv::Vec4b p(0, 0, 0, 0);
        if (a > 0) {  // FreeType's BGRA is premultiplied; PNG wants straight alpha
          for (int c = 0; c < 3; ++c) p[c] = static_cast<uchar>(std::min(255, (src[4 * x + c] * 255 + a / 2) / a));
          p[3] = static_cast<uchar>(a);
        }
        dst[x] = p;
      }
    }
    if (max_alpha == 0) return Status::DataError("glyph bitmap is blank");
    return out;
  }

 private:
  FT_Library lib_ = nullptr;
  FT_Face face_ = nullptr;
  hb_font_t* font_ = nullptr;
  hb_buffer_t* buf_ = nullptr;
};


// CLDR keys drop U+FE0F.
std::string CldrKey(const std::vector<uint32_t>& cps) {
  std::string s;
  for (uint32_t c : cps)
    if (c != 0xFE0F) AppendUtf8(c, &s);
  return s;
}

struct CldrNames {
  std::map<std::string, std::vector<std::string>> keywords;  // emoji -> keywords
  std::map<std::string, std::string> tts;                    // emoji -> short name
};

// Reads annotations/<lang>.xml and annotationsDerived/<lang>.xml (skin tones, flags, sequences).
void LoadCldr(const std::string& lang, CldrNames* out) {
  for (const char* dir : {"annotations", "annotationsDerived"}) {
    pugi::xml_document doc;
    const std::string path = std::string(kCldr) + "/" + dir + "/" + lang + ".xml";
    if (!doc.load_file(path.c_str())) continue;
    for (pugi::xml_node a : doc.child("ldml").child("annotations").children("annotation")) {
      const std::string cp = a.attribute("cp").value();
      const std::string type = a.attribute("type").value();
      const std::string text = CollapseSpaces(a.child_value());
      if (cp.empty() || text.empty()) continue;
      if (type == "tts") {
        out->tts[cp] = text;
      } else {
        std::vector<std::string> kws;
        std::stringstream ss(text);
        std::string kw;
        while (std::getline(ss, kw, '|')) {
          kw = CollapseSpaces(kw);
          if (!kw.empty()) kws.push_back(kw);
        }
        out->keywords[cp] = std::move(kws);
      }
    }
  }
}

std::string Capitalize(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

Result<SourceItems> LoadEmoji(bool foreign) {
  std::error_code ec;
  if (!fs::exists(kFont, ec))
    return Status::Unavailable(std::string("Noto Color Emoji font ") + kFont +
                               " not found: run scripts/setup.sh --datasets (package fonts-noto-color-emoji)");
  if (!fs::exists(kEmojiTest, ec))
    return Status::Unavailable(std::string(kEmojiTest) + " not found: run scripts/setup.sh --datasets (package unicode-data)");
  if (!fs::exists(std::string(kCldr) + "/annotations/en.xml", ec))
    return Status::Unavailable(std::string(kCldr) +
                               "/annotations/en.xml not found: run scripts/setup.sh --datasets (package unicode-cldr-core)");
  auto renderer = std::make_shared<EmojiRenderer>();
  JUICER_RETURN_IF_ERROR(renderer->Open());
  CldrNames en;
  LoadCldr("en", &en);
  std::vector<std::pair<std::string, CldrNames>> other;
  if (foreign)
    for (const char* lang : kForeign) {
      other.emplace_back(lang, CldrNames{});
      LoadCldr(lang, &other.back().second);
    }

  std::ifstream in(kEmojiTest);
  std::string line, group, subgroup;
  SourceItems out;
  std::vector<std::string> groups;
  while (std::getline(in, line)) {
    if (line.rfind("# group: ", 0) == 0) {
      group = CollapseSpaces(line.substr(9));
      continue;
    }
    if (line.rfind("# subgroup: ", 0) == 0) {
      subgroup = CollapseSpaces(line.substr(12));
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const size_t semi = line.find(';'), hash = line.find('#');
    if (semi == std::string::npos || hash == std::string::npos) continue;
    if (CollapseSpaces(line.substr(semi + 1, hash - semi - 1)) != "fully-qualified") continue;
    std::vector<uint32_t> cps;
    std::stringstream ss(line.substr(0, semi));
    std::string hex;
    while (ss >> hex) cps.push_back(static_cast<uint32_t>(std::stoul(hex, nullptr, 16)));
    // "# 😀 E1.0 grinning face": the name follows the version token
    std::string rest = line.substr(hash + 1);
    const size_t ev = rest.find(" E");
    if (ev == std::string::npos) continue;
    const size_t sp = rest.find(' ', ev + 2);
    if (sp == std::string::npos) continue;
    const std::string name = CollapseSpaces(rest.substr(sp + 1));
    if (cps.empty() || name.empty()) continue;

    std::string utf8, file;
    for (uint32_t c : cps) {
      AppendUtf8(c, &utf8);
      char b[16];
      std::snprintf(b, sizeof b, "%s%x", file.empty() ? "" : "-", c);
      file += b;
    }
    const std::string key = CldrKey(cps);
    std::vector<std::string> kws;
    if (auto it = en.keywords.find(key); it != en.keywords.end()) kws = it->second;
    std::string tts = name;
    if (auto it = en.tts.find(key); it != en.tts.end()) tts = it->second;

    ImageTextItem item;
    item.source = "emoji";
    item.license = "OFL-1.1";
    item.key = file;
    // skin-tone variants of one emoji share a group, so they never straddle train and eval
    item.group = name.find("skin tone") != std::string::npos ? name.substr(0, name.find(':')) : name;
    // ... and so do gender/person and hair variants ("man technologist", "woman technologist": "technologist")
    item.family = FamilyKey(name);
    item.image_rel = "images/emoji/" + file + ".png";
    // caption: the Unicode name, in one of a few fixed phrasings, with up to 4 CLDR keywords
    std::vector<std::string> extra;
    std::string lname = name;
    std::transform(lname.begin(), lname.end(), lname.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const auto& k : kws) {  // keywords that only repeat part of the name add nothing
      std::string lk = k;
      std::transform(lk.begin(), lk.end(), lk.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lname.find(lk) == std::string::npos && k != tts && extra.size() < 4) extra.push_back(k);
    }
    std::string kwtext;
    for (const auto& k : extra) kwtext += (kwtext.empty() ? "" : ", ") + k;
    std::mt19937_64 pick(Fnv1a(file));
    const int t = static_cast<int>(pick() % 5);
    if (t == 0 || kwtext.empty()) item.caption = Capitalize(name) + (t % 2 ? " emoji" : "");
    else if (t == 1) item.caption = Capitalize(name) + " emoji: " + kwtext;
    else if (t == 2) item.caption = "An emoji of " + name + " (" + kwtext + ")";
    else if (t == 3) item.caption = Capitalize(name) + ", " + kwtext;
    else item.caption = Capitalize(name) + " — " + kwtext;
    item.references.push_back(Capitalize(name));
    if (tts != name) item.references.push_back(Capitalize(tts));
    if (!kwtext.empty()) item.references.push_back("An emoji of " + name + ": " + kwtext);
    item.meta = {{"name", name}, {"group", group}, {"subgroup", subgroup}, {"emoji", utf8}};
    item.zs_task = "emoji_group";
    item.zs_label = group;
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    for (const auto& [lang, names] : other)
      if (auto it = names.tts.find(key); it != names.tts.end() && it->second != name && ValidUtf8(it->second))
        item.translations.emplace_back(lang, it->second);
    item.render = [renderer, utf8]() { return renderer->Render(utf8); };
    out.items.push_back(std::move(item));
  }
  if (out.items.empty()) return Status::DataError(std::string(kEmojiTest) + ": no fully-qualified emoji found");
  std::sort(out.items.begin(), out.items.end(),
            [](const ImageTextItem& a, const ImageTextItem& b) { return a.key < b.key; });
  out.zs_classes.emplace_back("emoji_group", groups);
  out.note = std::to_string(out.items.size()) + " fully-qualified emoji, " + std::to_string(en.keywords.size()) +
             " CLDR keyword sets";
  return out;
}

}  // namespace juicer
