// Tux Paint stamps: <category>/.../<name>.png with <name>.txt (first line: the English caption, then
// `xx.utf8=...` translations). Only PNG stamps are used (SVG-only stamps and the `_mirror` variants
// without their own caption are skipped); the PNG is copied verbatim (RGBA cut-outs keep their alpha).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "datasets/imagetext_items.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {
constexpr const char* kStamps = "/usr/share/tuxpaint/stamps";

// "frog-1" and "Strawberry2" belong with "frog" and "Strawberry".
std::string StemGroup(std::string stem) {
  while (!stem.empty() && (std::isdigit(static_cast<unsigned char>(stem.back())) || stem.back() == '-' || stem.back() == '_'))
    stem.pop_back();
  std::transform(stem.begin(), stem.end(), stem.begin(), [](unsigned char c) { return std::tolower(c); });
  return stem;
}
}  // namespace

Result<SourceItems> LoadTuxPaint() {
  std::error_code ec;
  if (!fs::is_directory(kStamps, ec))
    return Status::Unavailable(std::string("Tux Paint stamps ") + kStamps +
                               " not found: run scripts/setup.sh --datasets (package tuxpaint-stamps-default)");
  std::vector<fs::path> pngs;
  for (auto it = fs::recursive_directory_iterator(kStamps, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && !it->is_symlink(ec) && it->path().extension() == ".png") pngs.push_back(it->path());
  }
  std::sort(pngs.begin(), pngs.end());
  SourceItems out;
  for (const auto& png : pngs) {
    fs::path txt = png;
    txt.replace_extension(".txt");
    std::ifstream in(txt);
    std::string english;
    if (!in || !std::getline(in, english) || CollapseSpaces(english).empty() || !ValidUtf8(english)) {
      ++out.skipped;  // `_mirror` variants and stamps without a caption
      continue;
    }
    ImageTextItem item;
    item.source = "tuxpaint";
    item.license = "GPL-2.0";
    const std::string rel = fs::relative(png, kStamps).string();  // animals/birds/crow.png
    item.key = rel;
    const std::string dir = fs::path(rel).parent_path().string();
    const std::string category = dir.substr(0, dir.find('/'));
    item.group = dir + "/" + StemGroup(png.stem().string());
    item.image_rel = "images/tuxpaint/" + rel;
    item.caption = CollapseSpaces(english);
    item.family = FamilyKey(item.caption);  // "The letter R." filled and outlined; "5 Japanese yen." and "10 ..."
    item.references.push_back(item.caption);
    std::string line;
    while (std::getline(in, line)) {
      const size_t eq = line.find('=');
      if (eq == std::string::npos) continue;
      std::string lang = line.substr(0, eq);
      const std::string text = CollapseSpaces(line.substr(eq + 1));
      if (lang.size() > 5 && lang.compare(lang.size() - 5, 5, ".utf8") == 0) lang.resize(lang.size() - 5);
      if (text.empty() || !ValidUtf8(text)) continue;
      if (lang.rfind("en", 0) == 0) {  // en_GB, en_AU...: extra English references when they differ
        if (std::find(item.references.begin(), item.references.end(), text) == item.references.end())
          item.references.push_back(text);
        continue;
      }
      if (text != item.caption) item.translations.emplace_back(lang, text);
    }
    item.meta = {{"category", category}, {"path", dir}, {"translations", std::to_string(item.translations.size())}};
    item.src_file = png.string();
    out.items.push_back(std::move(item));
  }
  if (out.items.empty())
    return Status::Unavailable(std::string("no captioned PNG stamps under ") + kStamps +
                               ": run scripts/setup.sh --datasets (package tuxpaint-stamps-default)");
  out.note = std::to_string(out.items.size()) + " captioned PNG stamps (" + std::to_string(out.skipped) + " without caption skipped)";
  return out;
}

}  // namespace juicer
