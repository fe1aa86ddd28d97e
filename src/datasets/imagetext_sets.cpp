// The image-text datasets: imagetext (four real sources), demo (emoji + a slice of Tux Paint) and
// imagetext-noisy (imagetext with planted defects, imagetext_noisy.cpp). Splits: train (the pool the
// sandbox probes), and held-out eval_retrieval / eval_zeroshot / eval_caption, disjoint from train.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/json_text.h"
#include "datasets/dataset_output.h"
#include "datasets/families.h"
#include "datasets/imagetext_build.h"

namespace fs = std::filesystem;

namespace juicer {

// ---- shared helpers (imagetext_items.h) ----
namespace itx {

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(c);
    }
  }
  return out;
}

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    if (c < 0x80) {
      if (c < 0x20 && c != '\t') return false;
    } else if ((c >> 5) == 6) {
      n = 1;
    } else if ((c >> 4) == 14) {
      n = 2;
    } else if ((c >> 3) == 30) {
      n = 3;
    } else {
      return false;
    }
    if (i + n >= s.size() && n > 0) return false;
    for (size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

std::string FamilyKey(std::string_view name) {
  // 1. lower-case ASCII; keep letters (non-ASCII ones whole) and apostrophes, everything else is a break;
  //    a digit run eats an ordinal suffix ("2nd")
  std::string flat;
  for (size_t i = 0; i < name.size();) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (std::isdigit(c)) {
        while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i]))) ++i;
        for (const char* suf : {"st", "nd", "rd", "th"})
          if (name.substr(i, 2) == suf && (i + 2 == name.size() || !std::isalpha(static_cast<unsigned char>(name[i + 2])))) i += 2;
        flat += ' ';
        continue;
      }
      flat += std::isalpha(c) ? static_cast<char>(std::tolower(c)) : (c == '\'' ? '\'' : ' ');
      ++i;
      continue;
    }
    size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    n = std::min(n, name.size() - i);
    const std::string_view cp = name.substr(i, n);
    i += n;
    if (cp == "\u2019" || cp == "\u2018") flat += '\'';
    else if (cp == "\u2013" || cp == "\u2014" || cp == "\u2026" || cp == "\u201c" || cp == "\u201d" || cp == "\u00ab" ||
             cp == "\u00bb" || cp == "\u00a0" || cp == "\u00bf" || cp == "\u00a1")
      flat += ' ';
    else flat += cp;
  }
  std::vector<std::string> toks;
  std::istringstream ss(flat);
  for (std::string t; ss >> t;) {
    while (!t.empty() && t.front() == '\'') t.erase(0, 1);
    if (t.size() >= 2 && t.compare(t.size() - 2, 2, "'s") == 0) t.resize(t.size() - 2);
    while (!t.empty() && t.back() == '\'') t.pop_back();
    if (!t.empty()) toks.push_back(t);
  }
  // 2. qualifiers: "<light|medium|dark>[ <light|dark>] skin tone", "<red|curly|white|blond> hair", "bald"
  static const std::set<std::string> kTone = {"light", "medium", "dark"}, kHair = {"red", "curly", "white", "blond"};
  std::vector<std::string> kept;
  for (size_t i = 0; i < toks.size(); ++i) {
    if (toks[i] == "skin" && i + 1 < toks.size() && toks[i + 1] == "tone") {
      while (!kept.empty() && kTone.count(kept.back())) kept.pop_back();
      ++i;
      continue;
    }
    if (toks[i] == "hair" && !kept.empty() && kHair.count(kept.back())) {
      kept.pop_back();
      continue;
    }
    kept.push_back(toks[i]);
  }
  // 3. gender/person words, number words, ordinals, stopwords; role synonyms
  static const std::set<std::string> kDrop = {
      "man", "woman", "person", "men", "women", "people", "boy", "girl", "mx", "mrs", "santa", "bald",
      "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
      "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
      "a", "an", "the", "and", "of", "in", "with"};
  static const std::map<std::string, std::string> kSame = {
      {"prince", "crown"}, {"princess", "crown"}, {"mermaid", "merperson"}, {"merman", "merperson"}, {"older", "old"}};
  std::string key;
  for (const auto& t : kept) {
    if (kDrop.count(t)) continue;
    const auto it = kSame.find(t);
    key += (key.empty() ? "" : " ") + (it == kSame.end() ? t : it->second);
  }
  return key.empty() ? "~" : key;
}

Result<std::string> ReadBinaryFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::pair<int, int> PngSize(std::string_view b) {
  static const char kSig[] = "\x89PNG\r\n\x1a\n";
  if (b.size() < 24 || b.substr(0, 8) != std::string_view(kSig, 8) || b.substr(12, 4) != "IHDR") return {0, 0};
  auto be = [&](size_t o) {
    return static_cast<int>((uint32_t{static_cast<unsigned char>(b[o])} << 24) | (uint32_t{static_cast<unsigned char>(b[o + 1])} << 16) |
                            (uint32_t{static_cast<unsigned char>(b[o + 2])} << 8) | static_cast<unsigned char>(b[o + 3]));
  };
  return {be(16), be(20)};
}
}  // namespace itx

// ---- building ----

namespace {

const char* const kSplits[] = {"train", "eval_retrieval", "eval_zeroshot", "eval_caption"};

// Writes an item's image (copy or render) at item.image_rel. Returns false (with a reason) to skip it.
Status WriteItemImage(const ImageTextItem& item, DatasetOutput& out) {
  if (!item.src_file.empty()) {
    JUICER_ASSIGN_OR_RETURN(std::string bytes, ReadBinaryFile(item.src_file));
    const auto [w, h] = PngSize(bytes);
    if (w <= 0 || h <= 0) return Status::DataError(item.src_file + ": not a PNG");
    return out.WriteText(item.image_rel, bytes);
  }
  if (!item.render) return Status::Internal(item.key + ": no image");
  auto img = item.render();
  if (!img.ok()) return img.status().WithContext(item.key + ": ");
  return out.WriteImage(item.image_rel, *img);
}

std::string SampleLine(const SampleRecord& r, const std::string& split, size_t index, bool minimal_meta) {
  const ImageTextItem& it = *r.item;
  std::string s = "{\"text\":";
  AppendJsonString("<__dj__image> " + r.caption + " <|__dj__eoc|>", &s);
  s += ",\"images\":[";
  AppendJsonString(r.image_rel, &s);
  s += "]";
  if (split == "eval_zeroshot") {
    s += ",\"task\":";
    AppendJsonString(it.zs_task, &s);
    s += ",\"label\":";
    AppendJsonString(it.zs_label, &s);
  }
  if (split == "eval_caption") {
    s += ",\"references\":[";
    for (size_t i = 0; i < it.references.size(); ++i) {
      if (i) s += ",";
      AppendJsonString(it.references[i], &s);
    }
    s += "]";
  }
  char id[64];
  std::snprintf(id, sizeof id, "%s-%05zu", split.c_str(), index);
  s += ",\"__dj__meta__\":{\"id\":";
  AppendJsonString(id, &s);
  s += ",\"source\":";
  AppendJsonString(it.source, &s);
  s += ",\"license\":";
  AppendJsonString(it.license, &s);
  if (!(minimal_meta && split == "train")) {
    for (const auto& [k, v] : it.meta) {
      s += ",";
      AppendJsonString(k, &s);
      s += ":";
      AppendJsonString(v, &s);
    }
    if (!it.family.empty()) {
      s += ",\"split_family\":";
      AppendJsonString(it.family, &s);
    }
  }
  s += "}}";
  return s;
}

struct Loaded {
  std::string name;
  SourceItems src;
  size_t max = 0;
};

// Splits one source's items by split unit: eval quotas first (only units whose items qualify and that are
// small next to the quota), rest train. A unit is a connected component of items linked by a shared
// `group` or a shared `family` (near-duplicate siblings: gender/skin-tone/hair variants of one emoji,
// numbered series), so no sibling straddles train and a held-out split.
void AssignSplits(const Loaded& l, const ImageTextConfig& cfg, uint64_t seed, std::map<std::string, std::vector<size_t>>* by_split) {
  const auto& items = l.src.items;
  std::vector<size_t> parent(items.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  const auto find = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::map<std::string, size_t> first_of;  // "g:<group>" / "f:<family>" -> first item carrying it
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].fixed_split.empty()) continue;
    for (const std::string& k : {"g:" + items[i].group, items[i].family.empty() ? std::string() : "f:" + items[i].family}) {
      if (k.empty()) continue;
      auto [it, fresh] = first_of.emplace(k, i);
      if (!fresh) parent[find(i)] = find(it->second);
    }
  }
  std::map<size_t, std::string> unit_name;  // a unit is named by its smallest group (deterministic order)
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].fixed_split.empty()) continue;
    auto [it, fresh] = unit_name.emplace(find(i), items[i].group);
    if (!fresh && items[i].group < it->second) it->second = items[i].group;
  }
  std::map<std::string, std::vector<size_t>> groups_map;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].fixed_split.empty()) (*by_split)[items[i].fixed_split].push_back(i);
    else groups_map[unit_name[find(i)]].push_back(i);
  }
  std::vector<std::vector<size_t>> groups;
  for (auto& [g, idx] : groups_map) groups.push_back(std::move(idx));
  std::mt19937_64 rng(seed ^ Fnv1a("splits/" + l.name));
  SeededShuffle(groups, rng);
  size_t total = 0;
  std::vector<std::vector<size_t>> kept;
  for (auto& g : groups) {
    if (l.max && total >= l.max) break;
    if (l.max && total + g.size() > l.max) g.resize(l.max - total);
    total += g.size();
    kept.push_back(std::move(g));
  }
  const auto quota = [&](double f) { return static_cast<size_t>(std::llround(f * static_cast<double>(total))); };
  size_t q_ret = quota(cfg.retrieval_frac), q_zs = quota(cfg.zeroshot_frac), q_cap = quota(cfg.caption_frac);
  // a unit goes to a held-out split only if it fits the quota left and is at most a tenth of the quota, so
  // one large family (all 104 "kiss" emoji) cannot fill an eval set; larger units are train
  const size_t max_ret = std::max<size_t>(1, q_ret / 10), max_zs = std::max<size_t>(1, q_zs / 10),
               max_cap = std::max<size_t>(1, q_cap / 10);
  for (auto& g : kept) {
    const bool clean = std::all_of(g.begin(), g.end(), [&](size_t i) { return items[i].clean; });
    const bool labelled = std::all_of(g.begin(), g.end(), [&](size_t i) { return !items[i].zs_task.empty(); });
    const bool refs = std::all_of(g.begin(), g.end(), [&](size_t i) { return !items[i].references.empty(); });
    const auto fits = [&](size_t q, size_t max) { return g.size() <= q && g.size() <= max; };
    std::string split = "train";
    if (fits(q_ret, max_ret) && clean) {
      split = "eval_retrieval";
      q_ret -= g.size();
    } else if (fits(q_zs, max_zs) && labelled) {
      split = "eval_zeroshot";
      q_zs -= g.size();
    } else if (fits(q_cap, max_cap) && clean && refs) {
      split = "eval_caption";
      q_cap -= g.size();
    }
    auto& dst = (*by_split)[split];
    dst.insert(dst.end(), g.begin(), g.end());
  }
  for (auto& [s, v] : *by_split) std::sort(v.begin(), v.end());  // write images in key order
}

}  // namespace

Status BuildImageText(const DatasetBuildOptions& o, DatasetOutput& out, const ImageTextConfig& cfg, const TrainHook& hook) {
  auto cap = [&](size_t m) { return o.limit == 0 ? m : (m == 0 ? o.limit : std::min(m, o.limit)); };
  std::vector<Loaded> sources;
  auto log = [&](const std::string& s) {
    if (o.progress) std::fprintf(stderr, "%s\n", s.c_str());
  };
  if (cfg.emoji) {
    JUICER_ASSIGN_OR_RETURN(SourceItems s, LoadEmoji(cfg.foreign));
    sources.push_back({"emoji", std::move(s), cap(cfg.emoji_max)});
  }
  if (cfg.tuxpaint) {
    JUICER_ASSIGN_OR_RETURN(SourceItems s, LoadTuxPaint());
    sources.push_back({"tuxpaint", std::move(s), cap(cfg.tuxpaint_max)});
  }
  if (cfg.openclipart) {
    JUICER_ASSIGN_OR_RETURN(SourceItems s, LoadOpenclipart());
    sources.push_back({"openclipart", std::move(s), cap(cfg.openclipart_max)});
  }
  if (cfg.fashion_mnist) {
    size_t tr = cfg.fm_train, te = cfg.fm_test;
    if (o.limit) {
      tr = std::min(tr, o.limit - o.limit / 5);
      te = std::min(te, o.limit / 5);
    }
    JUICER_ASSIGN_OR_RETURN(SourceItems s, LoadFashionMnist(tr, te, o.seed));
    sources.push_back({"fashion_mnist", std::move(s), 0});
  }

  std::map<std::string, std::vector<SampleRecord>> splits;
  std::map<std::string, std::vector<std::string>> zs_classes;
  for (const auto& l : sources) {
    std::map<std::string, std::vector<size_t>> by_split;
    AssignSplits(l, cfg, o.seed, &by_split);
    std::string counts;
    size_t failed = 0;
    for (const char* split : kSplits) {
      size_t n = 0;
      for (size_t i : by_split[split]) {
        const ImageTextItem& item = l.src.items[i];
        Status s = WriteItemImage(item, out);
        if (!s.ok()) {
          if (s.code() != StatusCode::kDataError) return s;
          if (failed++ < 3) log("  " + l.name + ": skipped " + s.message());
          continue;
        }
        auto& recs = splits[split];
        recs.push_back({&item, item.caption, item.image_rel, recs.size(), {}, -1});
        ++n;
        if (std::string(split) == "eval_zeroshot" && !zs_classes.count(item.zs_task))
          for (const auto& [task, classes] : l.src.zs_classes)
            if (task == item.zs_task) zs_classes[task] = classes;
      }
      counts += std::string(counts.empty() ? "" : ", ") + split + " " + std::to_string(n);
    }
    log("  " + l.name + ": " + l.src.note + " -> " + counts + (failed ? "; " + std::to_string(failed) + " failed to render" : ""));
  }

  std::vector<std::string> gt;
  for (const char* split : kSplits) {
    auto& recs = splits[split];
    std::mt19937_64 rng(o.seed ^ Fnv1a(std::string("order/") + split));
    SeededShuffle(recs, rng);
    if (hook && std::string(split) == "train") {
      std::mt19937_64 noise_rng(o.seed ^ Fnv1a("noise"));
      JUICER_ASSIGN_OR_RETURN(std::string summary, hook(recs, out, noise_rng));
      log("  noise: " + summary);
      std::map<size_t, size_t> index_of;
      for (size_t i = 0; i < recs.size(); ++i) index_of[recs[i].uid] = i;
      for (size_t i = 0; i < recs.size(); ++i) {
        char head[96];
        std::snprintf(head, sizeof head, "{\"index\":%zu,\"id\":\"train-%05zu\",\"defects\":[", i, i);
        std::string line = head;
        for (size_t k = 0; k < recs[i].defects.size(); ++k) {
          if (k) line += ",";
          AppendJsonString(recs[i].defects[k], &line);
        }
        line += "]";
        if (recs[i].duplicate_of >= 0)
          line += ",\"duplicate_of\":" + std::to_string(index_of[static_cast<size_t>(recs[i].duplicate_of)]);
        gt.push_back(line + "}");
      }
    }
    for (size_t i = 0; i < recs.size(); ++i) {
      const SampleRecord& r = recs[i];
      out.AddSample(split, SampleLine(r, split, i, cfg.minimal_train_meta));
      out.CountSource(split, r.item->source);
      std::string shown = r.caption;
      if (std::string(split) == "eval_zeroshot") shown = "[" + r.item->zs_task + "] " + r.item->zs_label;
      out.AddContact(split, {r.image_rel, shown});
    }
    if (recs.empty()) JUICER_RETURN_IF_ERROR(out.WriteText(std::string(split) + ".jsonl", ""));  // tiny --limit
  }
  if (!gt.empty()) {
    std::string text;
    for (const auto& l : gt) text += l + "\n";
    JUICER_RETURN_IF_ERROR(out.WriteText("ground_truth.jsonl", text));
  }
  std::string zs = "{";
  for (const auto& [task, classes] : zs_classes) {
    zs += std::string(zs.size() > 1 ? ",\n " : "\n ") + JsonString(task) + ":[";
    for (size_t i = 0; i < classes.size(); ++i) zs += (i ? "," : "") + JsonString(classes[i]);
    zs += "]";
  }
  zs += "\n}\n";
  return out.WriteText("eval_zeroshot_classes.json", zs);
}

namespace {

const char* const kSourcesCard =
    "Sources (all real, shipped by Debian; nothing is downloaded from the web):\n\n"
    "| source | package | images | captions | licence |\n|---|---|---|---|---|\n"
    "| `emoji` | fonts-noto-color-emoji, unicode-data, unicode-cldr-core | every fully-qualified RGI emoji of "
    "`emoji-test.txt` (Emoji 15.0), rendered from Noto Color Emoji's colour bitmaps with FreeType after HarfBuzz "
    "shaping (ZWJ sequences, flags, skin tones and keycaps are one ligature glyph), 136x128 BGRA PNG with "
    "straight alpha; 1,785 of the 3,655 are skin-tone variants | the Unicode short name in one of five fixed phrasings plus up to four CLDR English "
    "keywords (`annotations/en.xml`, `annotationsDerived/en.xml`) | OFL-1.1 (font), Unicode licence (names) |\n"
    "| `tuxpaint` | tuxpaint-stamps-default | the PNG stamps (mostly photo cut-outs with alpha), copied verbatim; "
    "SVG-only stamps and `_mirror` copies skipped | the stamp's own English description (first line of its "
    "`.txt`); its translations (77 languages) are kept for the noisy variant | GPL-2.0 |\n"
    "| `openclipart` | openclipart-png, openclipart-svg | the PNG renders, copied verbatim; symlinked duplicates and "
    "the GUI icon themes (`computer/icons/*-theme`, all titled alike) and 19 posters over 2048 px (up to "
    "20990x29700) skipped; of `shapes/stars`, a generated series of 1,378 near-identical star polygons, 100 are kept | from the SVG's RDF metadata: "
    "`dc:title`, sometimes with keywords (`dc:subject`) or the description (`dc:description`). Human-written and "
    "uneven (Italian titles, terse names, odd keywords): deliberately left noisy. A title shared by more than 5 "
    "files counts as a collection name; then keywords, and only if none the file name, become the caption "
    "(`caption_from` in the meta) | public domain |\n"
    "| `fashion_mnist` | dataset-fashion-mnist | 28x28 grey, native; a random subset of the training file (train) and "
    "a class-balanced subset of the test file (eval_zeroshot) | eight fixed templates (\"A photo of a sandal.\"), "
    "picked by a hash of the image index | MIT |\n\n"
    "Splits (disjoint; near-duplicate siblings stay in one split): items are split in units, the connected "
    "components of items linked by a shared group (skin-tone variants of one emoji; Tux Paint stamps of one "
    "folder whose file names differ by a trailing number) or a shared *family*: the item's name (emoji name, "
    "Openclipart title, Tux Paint caption) lower-cased, with digits, ordinal and number words (one..twelve, "
    "first..twelfth), punctuation, skin-tone and hair qualifiers, gender/person words (man, woman, person, boy, "
    "girl, men, women, people, mx, mrs, santa) and the words a/an/the/and/of/in/with removed, and prince/princess "
    "read as crown, mermaid/merman as merperson, older as old. So man, woman and person technologist in every skin tone are one "
    "unit, as are \"sortie issue de secours 04\" and \"05\", and the filled and outlined \"The letter R.\" stamps. "
    "The family is `split_family` in the meta (not in imagetext-noisy's train). A unit goes to a held-out split only if it is at most a tenth of "
    "that split's quota for its source (larger families, such as the 104 \"kiss\" emoji, are train).\n\n"
    "- `train.jsonl`: the pool the sandbox probes. `text` = `<__dj__image> CAPTION <|__dj__eoc|>`, `images` = one "
    "path relative to the JSONL, `__dj__meta__` = id, source, licence and source fields (emoji group/subgroup, "
    "categories, Fashion-MNIST class).\n"
    "- `eval_retrieval.jsonl`: held-out clean pairs (emoji, Tux Paint, Openclipart items with a real title plus "
    "keywords or description) for image-text retrieval.\n"
    "- `eval_zeroshot.jsonl`: held-out images with `task` and `label`: tasks `emoji_group`, "
    "`openclipart_category` (no `unsorted`/`special`), `fashion_mnist`; `eval_zeroshot_classes.json` lists each "
    "task's class names.\n"
    "- `eval_caption.jsonl`: held-out images with `references` (emoji: name, CLDR name, name + keywords; Tux "
    "Paint: the English caption and differing en_GB/en_AU variants; Openclipart: title, title + description, "
    "title + keywords).\n\n"
    "Everything is deterministic given `--seed` (splits, order, templates); `--limit N` keeps at most N items "
    "per source.";

const char* const kImageTextCard =
    "The main image-text set of juicer: about 14.7k image-text pairs from four real sources, for the sandbox's "
    "probe models (contrastive image-text, captioning) and their held-out evaluations. There is no COCO/LAION "
    "here: emoji and clip art are drawings, Tux Paint stamps are photo cut-outs, Fashion-MNIST is tiny grey "
    "product shots.\n\n";

const char* const kDemoCard =
    "A small image-text set (about 1.6k pairs) built in seconds from the light packages only: 1,200 emoji and "
    "400 Tux Paint stamps, with the same split files as `imagetext`. Used by the README's main command and the "
    "tests.\n\n";

Status BuildImageTextFull(const DatasetBuildOptions& o, DatasetOutput& out) {
  return BuildImageText(o, out, ImageTextConfig{});
}

Status BuildDemo(const DatasetBuildOptions& o, DatasetOutput& out) {
  ImageTextConfig c;
  c.openclipart = c.fashion_mnist = false;
  c.emoji_max = 1200;
  c.tuxpaint_max = 400;
  c.retrieval_frac = c.zeroshot_frac = c.caption_frac = 0.08;
  return BuildImageText(o, out, c);
}

Status BuildNoisy(const DatasetBuildOptions& o, DatasetOutput& out) {
  ImageTextConfig c;
  c.foreign = true;
  c.minimal_train_meta = true;
  JUICER_ASSIGN_OR_RETURN(TrainHook hook, MakeNoiseHook());
  return BuildImageText(o, out, c, hook);
}

}  // namespace

void RegisterImageTextDatasets(DatasetRegistry& registry) {
  const std::vector<std::string> light = {"fonts-noto-color-emoji", "unicode-data", "unicode-cldr-core",
                                          "tuxpaint-stamps-default"};
  std::vector<std::string> full = light;
  for (const char* p : {"openclipart-png", "openclipart-svg", "dataset-fashion-mnist"}) full.push_back(p);
  Status s = registry.Add({"imagetext", "~14.7k image-text pairs: emoji, Tux Paint stamps, Openclipart, Fashion-MNIST",
                           std::string(kImageTextCard) + kSourcesCard, full, {}, BuildImageTextFull});
  if (s.ok())
    s = registry.Add({"imagetext-noisy",
                      "imagetext with planted defects of known kind and rate in train (ground_truth.jsonl)",
                      std::string(kNoisyCardText) + "\n\n" + kSourcesCard, full, {}, BuildNoisy});
  if (s.ok())
    s = registry.Add({"demo", "~1.6k image-text pairs (emoji + Tux Paint) in seconds, same splits as imagetext",
                      std::string(kDemoCard) + kSourcesCard, light, {}, BuildDemo});
  if (!s.ok()) std::fprintf(stderr, "juicer: %s\n", s.message().c_str());
}

}  // namespace juicer
