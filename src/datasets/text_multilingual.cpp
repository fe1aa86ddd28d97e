// text-multilingual: text labelled with its language, from Tux Paint stamp captions, CLDR emoji names,
// translated man pages and fortune files in several languages.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include "datasets/dataset_output.h"
#include "datasets/man_roff.h"
#include "datasets/text_sets.h"
#include "datasets/text_sources.h"

namespace fs = std::filesystem;

namespace juicer {

const char* const kTextMultilingualCard =
    "Text in many languages, labelled: every sample has a top-level `\"lang\"` field (ISO 639 code: the locale "
    "up to `_`/`@`) and `__dj__meta__.locale` with the full locale, for language identification "
    "(`language_id_score_filter`), per-language statistics and multilingual perplexity probes.\n\n"
    "## Sources\n\n"
    "| source | from | languages | licence |\n|---|---|---|---|\n"
    "| `tuxpaint` | Tux Paint stamp descriptions (Debian `tuxpaint-stamps-default`, `stamps/**/*.txt`): the "
    "English first line (`en`) and each `xx.utf8=...` translation line; human translations of short captions "
    "(\"A frog.\") | 77 locales | GPL-2.0 |\n"
    "| `cldr` | CLDR emoji/symbol text-to-speech names (`unicode-cldr-core`, `common/annotations/*.xml`, "
    "`type=\"tts\"`), for 250 code points drawn by seed, in every locale that names them | 146 locales "
    "| Unicode-DFS-2016 |\n"
    "| `manpages` | section-1 man pages translated to German, French and Spanish (`manpages-de/-fr/-es`, "
    "manpages-l10n 4.18), roff converted to plain text by juicer (macros dropped, fonts removed, tables "
    "flattened, `.so` redirections skipped), cut into ≈3,000-byte documents at paragraph ends | de fr es "
    "| GPL-3.0+ (translations); original pages under their own licences |\n"
    "| `fortunes` | fortune cookie files in German, Spanish, Italian and Russian (`fortunes-de/-es/-it/-ru`; "
    "offensive `off/` folders excluded), one quote per document | de es it ru | GPL-2.0+ / BSD |\n\n"
    "Names and captions are short (a few words), man pages long and technical, fortunes in between: language "
    "ID must work across lengths. Some lines are untranslated English left in a translation (Tux Paint), or "
    "borrowed words: the labels are the locale the text was filed under, not a human judgement of the text.\n\n"
    "## Splits\n\n"
    "- `train.jsonl`: everything not held out.\n"
    "- `eval_lm.jsonl`: 5% of each source held out for perplexity, disjoint by *concept*: all translations of "
    "one Tux Paint stamp, all locales' names of one CLDR code point and all languages and pieces of one man page "
    "fall in the same split, so eval text is never a translation of train text (the last held-out group may be "
    "cut short, its other documents dropped).\n\n"
    "`--limit N` keeps at most N documents per source (whole groups first, chosen by seed).";

namespace {

const char* const kTuxDir = "/usr/share/tuxpaint/stamps";
const char* const kCldrDir = "/usr/share/unicode/cldr/common/annotations";
const char* const kManDir = "/usr/share/man";
const char* const kFortuneDir = "/usr/share/games/fortunes";
constexpr size_t kCldrCodepoints = 250;

std::string BaseLang(const std::string& locale) {
  size_t e = locale.find_first_of("_@-.");
  return e == std::string::npos ? locale : locale.substr(0, e);
}

TextDoc LangDoc(std::string text, std::string group, const std::string& locale) {
  TextDoc d;
  d.text = std::move(text);
  d.group = std::move(group);
  d.lang = BaseLang(locale);
  d.meta = {{"locale", locale}};
  return d;
}

Result<TextSource> TuxPaint() {
  if (!IsDir(kTuxDir)) return MissingSource(kTuxDir, "tuxpaint-stamps-default");
  TextSource src{"tuxpaint", "GPL-2.0 (Tux Paint stamps)", true, {}};
  for (const auto& f : ListFilesRecursive(kTuxDir, ".txt")) {
    JUICER_ASSIGN_OR_RETURN(std::string raw, ReadWholeFile(f));
    const std::string text = CleanUtf8(raw);
    const std::string stamp = fs::relative(f, kTuxDir).replace_extension().string();
    size_t pos = 0;
    bool first = true;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(pos, end - pos);
      pos = end + 1;
      const size_t eq = line.find(".utf8=");
      if (eq != std::string::npos) {
        std::string value = Trim(line.substr(eq + 6));
        if (!value.empty()) src.docs.push_back(LangDoc(std::move(value), stamp, Trim(line.substr(0, eq))));
      } else if (first) {
        std::string value = Trim(line);
        if (!value.empty()) src.docs.push_back(LangDoc(std::move(value), stamp, "en"));
      }
      first = false;
    }
  }
  if (src.docs.empty()) return MissingSource(std::string(kTuxDir) + "/**/*.txt", "tuxpaint-stamps-default");
  return src;
}

std::string XmlUnescape(const std::string& s) {
  static const std::pair<const char*, const char*> kEnt[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  std::string out = s;
  for (const auto& [from, to] : kEnt) {
    for (size_t p = 0; (p = out.find(from, p)) != std::string::npos; p += std::string(to).size())
      out.replace(p, std::string(from).size(), to);
  }
  return out;
}

std::string Attr(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  size_t p = tag.find(key);
  if (p == std::string::npos) return "";
  p += key.size();
  const size_t e = tag.find('"', p);
  return e == std::string::npos ? "" : tag.substr(p, e - p);
}

Result<TextSource> Cldr(uint64_t seed) {
  if (!IsDir(kCldrDir)) return MissingSource(kCldrDir, "unicode-cldr-core");
  // code point -> [(locale, name)], locales in sorted file order
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> names;
  for (const auto& f : ListFiles(kCldrDir)) {
    if (fs::path(f).extension() != ".xml") continue;
    const std::string locale = fs::path(f).stem().string();
    if (locale == "root") continue;
    JUICER_ASSIGN_OR_RETURN(std::string xml, ReadWholeFile(f));
    size_t pos = 0;
    while ((pos = xml.find("<annotation ", pos)) != std::string::npos) {
      const size_t gt = xml.find('>', pos);
      const size_t close = xml.find("</annotation>", pos);
      if (gt == std::string::npos || close == std::string::npos || close < gt) break;
      const std::string tag = xml.substr(pos, gt - pos);
      pos = close;
      if (Attr(tag, "type") != "tts") continue;
      std::string value = Trim(XmlUnescape(xml.substr(gt + 1, close - gt - 1)));
      if (value.empty() || value == "↑↑↑") continue;
      names[XmlUnescape(Attr(tag, "cp"))].emplace_back(locale, CleanUtf8(value));
    }
  }
  if (names.empty()) return MissingSource(std::string(kCldrDir) + "/*.xml", "unicode-cldr-core");
  std::vector<std::string> cps;
  for (const auto& [cp, v] : names) cps.push_back(cp);
  std::mt19937_64 rng(seed ^ Fnv1a("cldr-codepoints"));
  SeededShuffle(cps, rng);
  if (cps.size() > kCldrCodepoints) cps.resize(kCldrCodepoints);
  std::sort(cps.begin(), cps.end());
  TextSource src{"cldr", "Unicode-DFS-2016 (CLDR annotations)", true, {}};
  for (const auto& cp : cps) {
    for (const auto& [locale, name] : names[cp]) {
      TextDoc d = LangDoc(name, cp, locale);
      d.meta.emplace_back("codepoint", cp);
      src.docs.push_back(std::move(d));
    }
  }
  return src;
}

Result<TextSource> ManPages() {
  TextSource src{"manpages", "GPL-3.0-or-later (manpages-l10n translations)", true, {}};
  for (const char* lang : {"de", "es", "fr"}) {
    const std::string dir = std::string(kManDir) + "/" + lang + "/man1";
    if (!IsDir(dir)) return MissingSource(dir, std::string("manpages-") + lang);
    for (const auto& f : ListFiles(dir)) {
      if (fs::path(f).extension() != ".gz") continue;
      JUICER_ASSIGN_OR_RETURN(std::string roff, ReadGzipFile(f));
      const std::string text = Trim(TidyLines(CleanUtf8(RoffToText(CleanUtf8(roff)))));
      if (text.size() < 200) continue;  // redirections and stubs
      const std::string page = fs::path(f).stem().string();  // "ls.1"
      auto pieces = ChunkDocument(text, 3000);
      for (size_t i = 0; i < pieces.size(); ++i) {
        TextDoc d = LangDoc(std::move(pieces[i]), page, lang);
        d.meta.emplace_back("doc", page);
        d.meta.emplace_back("part", std::to_string(i + 1) + "/" + std::to_string(pieces.size()));
        src.docs.push_back(std::move(d));
      }
    }
  }
  return src;
}

Result<TextSource> Fortunes() {
  TextSource src{"fortunes", "GPL-2.0-or-later / BSD (fortunes-de, -es, -it, -ru); quotes by their authors", true,
                 {}};
  const std::map<std::string, std::string> packages = {
      {"de", "fortunes-de"}, {"es", "fortunes-es"}, {"it", "fortunes-it"}, {"ru", "fortunes-ru"}};
  for (const auto& [lang, package] : packages) {
    const std::string dir = std::string(kFortuneDir) + "/" + lang;
    if (!IsDir(dir)) return MissingSource(dir, package);
    for (const auto& f : ListFiles(dir, /*skip_symlinks=*/true)) {
      const std::string ext = fs::path(f).extension().string();
      if (ext == ".dat" || ext == ".u8") continue;
      JUICER_ASSIGN_OR_RETURN(std::string raw, ReadWholeFile(f));
      const std::string file = lang + "/" + fs::path(f).filename().string();
      auto items = SplitFortunes(CleanUtf8(raw));
      for (size_t i = 0; i < items.size(); ++i) {
        TextDoc d = LangDoc(std::move(items[i]), file + ":" + std::to_string(i), lang);
        d.meta.emplace_back("file", file);
        src.docs.push_back(std::move(d));
      }
    }
  }
  return src;
}

}  // namespace

Status BuildTextMultilingual(const DatasetBuildOptions& o, DatasetOutput& out) {
  std::vector<TextSource> sources;
  auto add = [&](Result<TextSource> r) -> Status {
    if (!r.ok()) return r.status();
    if (o.progress)
      std::fprintf(stderr, "text-multilingual: %-9s %zu documents\n", r->name.c_str(), r->docs.size());
    sources.push_back(std::move(r).value());
    return Status::OK();
  };
  JUICER_RETURN_IF_ERROR(add(TuxPaint()));
  JUICER_RETURN_IF_ERROR(add(Cldr(o.seed)));
  JUICER_RETURN_IF_ERROR(add(ManPages()));
  JUICER_RETURN_IF_ERROR(add(Fortunes()));
  EmitTextSplits(sources, o.seed, o.limit, kTextEvalFraction, out);
  return Status::OK();
}

}  // namespace juicer
