// Openclipart: /usr/share/openclipart/png/<category>/... with metadata from the matching SVG's RDF block
// (dc:title, dc:subject keywords, dc:description), human-written and of uneven quality: the captions stay
// naturally noisy (other languages, terse titles, odd keywords). Cleaning is limited to what would make
// a caption meaningless: symlinked duplicates and the GUI icon themes under computer/icons/*-theme
// (1,316 icons all titled "Etiquette Icons" and the like) are skipped, a title shared by more than 5
// files is a collection name and not a caption (so is the author's name), and keywords that just repeat the author or say
// "clip art" are dropped. The 19 renders larger than 2048 px (posters up to 20990x29700) are skipped.
// shapes/stars, a generated series of 1,378 star polygons, keeps 100. A file name becomes the caption
// only when there is no title and no keyword.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <pugixml.hpp>

#include "datasets/imagetext_items.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {
constexpr const char* kRoot = "/usr/share/openclipart";
constexpr int kMaxSide = 2048;
constexpr size_t kMaxPerFolder = 100;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Some titles were escaped twice ("Baden-W&uuml;rttemberg"): decode the common HTML entities once more.
std::string DecodeHtmlEntities(std::string s) {
  static const std::pair<const char*, const char*> kEnt[] = {
      {"&amp;", "&"},      {"&quot;", "\""},   {"&apos;", "'"},     {"&nbsp;", " "},     {"&uuml;", "\u00fc"},
      {"&ouml;", "\u00f6"}, {"&auml;", "\u00e4"}, {"&Uuml;", "\u00dc"}, {"&Ouml;", "\u00d6"}, {"&Auml;", "\u00c4"},
      {"&szlig;", "\u00df"}, {"&eacute;", "\u00e9"}, {"&egrave;", "\u00e8"}, {"&agrave;", "\u00e0"},
      {"&ccedil;", "\u00e7"}, {"&ntilde;", "\u00f1"}, {"&oacute;", "\u00f3"}, {"&aacute;", "\u00e1"},
      {"&iacute;", "\u00ed"}, {"&uacute;", "\u00fa"}, {"&ecirc;", "\u00ea"}, {"&ocirc;", "\u00f4"}};
  for (const auto& [from, to] : kEnt)
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + std::string_view(to).size()))
      s.replace(p, std::string_view(from).size(), to);
  // numeric ones below U+0080 ("all&#39;italiana")
  for (size_t p = s.find("&#"); p != std::string::npos; p = s.find("&#", p + 1)) {
    const size_t semi = s.find(';', p);
    if (semi == std::string::npos || semi - p > 6) continue;
    const bool hex = s[p + 2] == 'x' || s[p + 2] == 'X';
    char* end = nullptr;
    const long v = std::strtol(s.c_str() + p + 2 + hex, &end, hex ? 16 : 10);
    if (end == s.c_str() + semi && v >= 32 && v < 127) s.replace(p, semi + 1 - p, 1, static_cast<char>(v));
  }
  return s;
}

std::string AllText(pugi::xml_node n) {
  std::string s;
  for (pugi::xpath_node d : n.select_nodes(".//text()")) s += std::string(d.node().value()) + " ";
  return CollapseSpaces(DecodeHtmlEntities(s));
}

struct Meta {
  std::string title, description, creator;
  std::vector<std::string> keywords;
};

Meta ReadSvgMeta(const std::string& svg_path) {
  Meta m;
  auto bytes = ReadBinaryFile(svg_path);
  if (!bytes.ok()) return m;
  const std::string& s = *bytes;
  const size_t a = s.find("<rdf:RDF"), b = s.find("</rdf:RDF>");
  if (a == std::string::npos || b == std::string::npos || b < a) return m;
  pugi::xml_document doc;
  if (!doc.load_buffer(s.data() + a, b + 10 - a)) return m;
  pugi::xml_node work = doc.find_node([](pugi::xml_node n) { return std::string_view(n.name()) == "cc:Work"; });
  if (!work) return m;
  m.title = AllText(work.child("dc:title"));
  m.description = AllText(work.child("dc:description"));
  m.creator = AllText(work.child("dc:creator"));
  for (pugi::xpath_node li : work.child("dc:subject").select_nodes(".//rdf:li")) {
    const std::string k = CollapseSpaces(li.node().child_value());
    if (!k.empty()) m.keywords.push_back(k);
  }
  return m;
}

bool UsableTitle(const std::string& t) {
  static const std::set<std::string> kBad = {"", "untitled", "image", "drawing", "layer 1", "layer_1", "svg",
                                             "new document 1", "clip art", "clipart", "picture", "icon"};
  const std::string l = Lower(t);
  if (kBad.count(l) || !ValidUtf8(t)) return false;
  for (const char* ext : {".svg", ".png", ".jpg", ".jpeg", ".gif"})
    if (l.size() > 4 && l.find(ext) != std::string::npos) return false;
  return true;
}

std::string Truncate(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = s.rfind(' ', n);
  if (cut == std::string::npos || cut < n / 2) cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

std::string Human(std::string s) {
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}
}  // namespace

Result<SourceItems> LoadOpenclipart() {
  std::error_code ec;
  const std::string png_root = std::string(kRoot) + "/png", svg_root = std::string(kRoot) + "/svg";
  if (!fs::is_directory(png_root, ec))
    return Status::Unavailable(png_root + " not found: run scripts/setup.sh --datasets (package openclipart-png)");
  if (!fs::is_directory(svg_root, ec))
    return Status::Unavailable(svg_root + " not found: run scripts/setup.sh --datasets (package openclipart-svg)");
  std::vector<std::string> rels;
  size_t symlinks = 0, icons = 0, oversized = 0;
  for (auto it = fs::recursive_directory_iterator(png_root, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->path().extension() != ".png") continue;
    if (it->is_symlink(ec) || !it->is_regular_file(ec)) {
      ++symlinks;
      continue;
    }
    const std::string rel = fs::relative(it->path(), png_root).string();
    if (rel.rfind("computer/icons/", 0) == 0 && rel.find("-theme/") != std::string::npos) {
      ++icons;
      continue;
    }
    // a few renders are posters up to 20990x29700 px (2.5 GB decoded): no use as training images
    std::ifstream head(it->path(), std::ios::binary);
    char buf[24] = {};
    head.read(buf, sizeof buf);
    const auto [w, h] = PngSize(std::string_view(buf, sizeof buf));
    if (w <= 0 || h <= 0 || std::max(w, h) > kMaxSide) {
      ++oversized;
      continue;
    }
    rels.push_back(rel);
  }
  std::sort(rels.begin(), rels.end());
  // shapes/stars holds a generated series of 1,378 star polygons, all captioned alike: a folder with more
  // than 300 images keeps 100 of them, evenly spaced
  size_t series = 0;
  {
    std::map<std::string, std::vector<std::string>> by_dir;
    for (auto& r : rels) by_dir[fs::path(r).parent_path().string()].push_back(std::move(r));
    rels.clear();
    for (auto& [dir, files] : by_dir) {
      if (files.size() <= kMaxPerFolder * 3) {
        for (auto& f : files) rels.push_back(std::move(f));
        continue;
      }
      for (size_t k = 0; k < kMaxPerFolder; ++k) rels.push_back(files[k * files.size() / kMaxPerFolder]);
      series += files.size() - kMaxPerFolder;
    }
    std::sort(rels.begin(), rels.end());
  }
  std::vector<Meta> metas;
  metas.reserve(rels.size());
  std::map<std::string, size_t> title_count;
  for (const auto& rel : rels) {
    metas.push_back(ReadSvgMeta(svg_root + "/" + rel.substr(0, rel.size() - 4) + ".svg"));
    title_count[Lower(metas.back().title)]++;
  }
  static const std::set<std::string> kTrivialKw = {"unsorted", "clip art", "clipart", "media", "public domain",
                                                   "image", "svg", "png", "openclipart", "clip-art", "remix"};
  SourceItems out;
  std::set<std::string> labels;
  size_t from_keywords = 0, from_file = 0;
  for (size_t i = 0; i < rels.size(); ++i) {
    const std::string& rel = rels[i];
    Meta& m = metas[i];
    const std::string category = rel.substr(0, rel.find('/'));
    // a title that is the author's name is no caption either
    const bool title_ok = UsableTitle(m.title) && title_count[Lower(m.title)] <= 5 && Lower(m.title) != Lower(m.creator);
    std::vector<std::string> kws;
    for (const auto& k : m.keywords) {
      const std::string l = Lower(k);
      if (kTrivialKw.count(l) || l == Lower(m.creator) || l == Lower(m.title) || !ValidUtf8(k)) continue;
      const std::string h = CollapseSpaces(Human(k));  // "united_nations_member" -> "united nations member"
      if (std::find(kws.begin(), kws.end(), h) == kws.end() && kws.size() < 6) kws.push_back(h);
    }
    std::string kwtext;
    for (const auto& k : kws) kwtext += (kwtext.empty() ? "" : ", ") + k;
    std::string desc = ValidUtf8(m.description) ? Truncate(m.description, 200) : "";
    if (Lower(desc) == Lower(m.title)) desc.clear();

    ImageTextItem item;
    item.source = "openclipart";
    item.license = "public-domain";
    item.key = rel;
    item.group = rel;
    item.image_rel = "images/openclipart/" + rel;
    std::string from = "title";
    if (title_ok) {
      const int t = static_cast<int>(Fnv1a(rel) % 3);
      if (t == 1 && !kwtext.empty()) item.caption = m.title + " (" + kwtext + ")";
      else if (t == 2 && !desc.empty()) item.caption = m.title + ". " + desc;
      else if (t == 2 && !kwtext.empty()) item.caption = m.title + ": " + kwtext;
      else item.caption = m.title;
      item.references.push_back(m.title);
      if (!desc.empty()) item.references.push_back(m.title + ". " + desc);
      if (!kwtext.empty()) item.references.push_back(m.title + " (" + kwtext + ")");
      item.clean = !kws.empty() || !desc.empty();
    } else if (!kwtext.empty()) {
      item.caption = kwtext;
      from = "keywords";
      ++from_keywords;
      item.clean = false;
    } else {
      std::string stem = fs::path(rel).stem().string();  // "blocco_ghiaccio_01" -> "blocco ghiaccio"
      while (!stem.empty() && (std::isdigit(static_cast<unsigned char>(stem.back())) || stem.back() == '_' || stem.back() == '-'))
        stem.pop_back();
      if (stem.empty()) stem = fs::path(rel).stem().string();
      stem = Human(stem);
      item.caption = CollapseSpaces(stem);
      from = "filename";
      ++from_file;
      item.clean = false;
    }
    // numbered series ("sortie issue de secours 04" / "05") share a family by title
    item.family = FamilyKey(UsableTitle(m.title) && Lower(m.title) != Lower(m.creator) ? m.title : item.caption);
    item.meta = {{"category", category}, {"path", fs::path(rel).parent_path().string()}, {"caption_from", from}};
    if (category != "unsorted" && category != "special") {
      item.zs_task = "openclipart_category";
      item.zs_label = Human(category);
      labels.insert(item.zs_label);
    }
    item.src_file = png_root + "/" + rel;
    out.items.push_back(std::move(item));
  }
  if (out.items.empty())
    return Status::Unavailable(png_root + " holds no PNG: run scripts/setup.sh --datasets (package openclipart-png)");
  out.zs_classes.emplace_back("openclipart_category", std::vector<std::string>(labels.begin(), labels.end()));
  out.skipped = symlinks + icons + oversized + series;
  out.note = std::to_string(out.items.size()) + " clip-art PNGs (" + std::to_string(symlinks) + " symlinks, " +
             std::to_string(icons) + " theme icons, " + std::to_string(oversized) + " over 2048 px, " + std::to_string(series) +
             " of a generated series skipped; captions from keywords " + std::to_string(from_keywords) +
             ", from file name " + std::to_string(from_file) + ")";
  return out;
}

}  // namespace juicer
