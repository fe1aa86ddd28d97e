#include "ops/text/word_lists.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <utility>

#include "core/assets.h"
#include "ops/text/words.h"
#include "tokenize/tokenizer.h"

namespace juicer::text {

namespace {

namespace fs = std::filesystem;

using WordMap = std::map<std::string, std::vector<std::string>, std::less<>>;

constexpr const char* kStopwordsPackage = "stopwords-iso";
constexpr const char* kStopwordsFile = "stopwords-iso.json";
constexpr const char* kStopwordsSource = "npm stopwords-iso@1.1.0";
constexpr const char* kFlaggedPackage = "naughty-words";
constexpr const char* kFlaggedSource = "npm naughty-words@1.2.0";

// Appends the strings of a JSON array to `out`; false when `e` is not an array of strings.
bool AppendStrings(simdjson::dom::element e, std::vector<std::string>& out) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return false;
  for (simdjson::dom::element w : arr) {
    std::string_view s;
    if (w.get_string().get(s)) return false;
    out.emplace_back(s);
  }
  return true;
}

Result<simdjson::dom::element> ParseFile(simdjson::dom::parser& parser, const std::string& path) {
  simdjson::dom::element root;
  if (auto err = parser.load(path).get(root)) {
    if (err == simdjson::IO_ERROR) return Status::NotFound("cannot read word list " + path);
    return Status::DataError(path + ": not valid JSON (" + simdjson::error_message(err) + ")");
  }
  return root;
}

// A {lang: [words]} file merged into `map` (DJ's load_words_asset: lists of a language add up).
Status MergeLangObject(const std::string& path, WordMap& map) {
  simdjson::dom::parser parser;
  JUICER_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseFile(parser, path));
  simdjson::dom::object obj;
  if (root.get_object().get(obj))
    return Status::DataError(path + ": expected a JSON object {language: [words]}");
  for (auto [key, value] : obj) {
    if (!AppendStrings(value, map[std::string(key)]))
      return Status::DataError(path + ": the entry '" + std::string(key) + "' is not a list of strings");
  }
  return Status::OK();
}

// naughty-words: every <lang>.json in the package that is a JSON array of strings (package.json and
// friends are objects and are skipped).
Status LoadNaughtyWords(const std::string& pkg_dir, WordMap& map) {
  std::error_code ec;
  fs::directory_iterator it(pkg_dir, ec);
  if (ec) return Status::NotFound("cannot read " + pkg_dir + ": " + ec.message());
  simdjson::dom::parser parser;
  for (const auto& entry : it) {
    const fs::path& p = entry.path();
    if (p.extension() != ".json" || !entry.is_regular_file(ec)) continue;
    JUICER_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseFile(parser, p.string()));
    std::vector<std::string> words;
    if (AppendStrings(root, words)) map[p.stem().string()] = std::move(words);
  }
  return Status::OK();
}

Status LoadDjDir(WordListKind kind, const std::string& dir, WordMap& map) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return Status::NotFound(std::string(WordListTypeName(kind)) + "_dir " + dir + ": " + ec.message());
  std::vector<std::string> files;
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 5 && name.ends_with(".json") && name.find(WordListTypeName(kind)) != std::string::npos)
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) JUICER_RETURN_IF_ERROR(MergeLangObject(f, map));
  if (map.empty())
    return Status::NotFound(std::string(WordListTypeName(kind)) + "_dir " + dir + " holds no *" +
                            std::string(WordListTypeName(kind)) +
                            "*.json word list (Data-Juicer's format: {language: [words]}); leave the param "
                            "unset to use juicer's built-in list");
  return Status::OK();
}

// stopwords-iso lists the whole alphabet as stopwords for en, fr, de, es, ro and sl (a search-engine
// habit). For a quality filter that makes letter spam ("a v s e c s f") look like prose, so those
// single letters are dropped, except the ones that are words of the language.
void DropAlphabet(WordMap& map) {
  static const std::unordered_map<std::string, std::string> kOneLetterWords = {
      {"en", "ai"}, {"fr", "ay"}, {"de", ""}, {"es", "aeouy"}, {"ro", "ao"}, {"sl", "akosvz"}};
  for (auto& [lang, words] : map) {
    size_t letters = 0;
    for (const auto& w : words) letters += w.size() == 1 && w[0] >= 'a' && w[0] <= 'z';
    if (letters < 20) continue;
    const auto it = kOneLetterWords.find(lang);
    const std::string keep = it == kOneLetterWords.end() ? "" : it->second;
    std::erase_if(words, [&](const std::string& w) {
      return w.size() == 1 && w[0] >= 'a' && w[0] <= 'z' && keep.find(w[0]) == std::string::npos;
    });
  }
}

Result<std::shared_ptr<const WordSet>> Build(WordListKind kind, const std::string& dir, const std::string& lang,
                                             const std::string& npm_dir) {
  WordMap map;
  std::string source;
  if (dir.empty()) {
    const std::string npm = npm_dir.empty() ? DefaultNpmDir() : npm_dir;
    if (kind == WordListKind::kStopwords) {
      const std::string path = npm + "/" + kStopwordsPackage + "/" + kStopwordsFile;
      if (!fs::exists(path))
        return Status::Unavailable("the built-in stopwords list " + path +
                                   " is missing (run scripts/setup.sh, or set stopwords_dir to a directory "
                                   "holding Data-Juicer's stopwords.json)");
      JUICER_RETURN_IF_ERROR(MergeLangObject(path, map));
      DropAlphabet(map);
      source = kStopwordsSource;
    } else {
      const std::string pkg = npm + "/" + kFlaggedPackage;
      if (!fs::is_directory(pkg))
        return Status::Unavailable("the built-in flagged words lists " + pkg +
                                   " are missing (run scripts/setup.sh, or set flagged_words_dir to a "
                                   "directory holding Data-Juicer's flagged_words.json)");
      JUICER_RETURN_IF_ERROR(LoadNaughtyWords(pkg, map));
      source = kFlaggedSource;
    }
  } else {
    JUICER_RETURN_IF_ERROR(LoadDjDir(kind, dir, map));
    source = dir;
  }
  std::unordered_set<std::string, StringHash, std::equal_to<>> words;
  if (auto it = map.find(lang); it != map.end()) {
    words.insert(it->second.begin(), it->second.end());
  } else if (lang == "all") {
    for (const auto& [l, ws] : map) words.insert(ws.begin(), ws.end());
  } else {
    std::string langs;
    for (const auto& [l, ws] : map) langs += (langs.empty() ? "" : ", ") + l;
    return Status::InvalidArgument("lang '" + lang + "' has no " + std::string(WordListTypeName(kind)) +
                                   " list in " + source + " (available: all, " + langs + ")");
  }
  return std::make_shared<const WordSet>(std::move(words), source + " (" + lang + ")");
}

}  // namespace

std::string_view WordListTypeName(WordListKind kind) {
  return kind == WordListKind::kStopwords ? "stopwords" : "flagged_words";
}

Result<std::shared_ptr<const WordSet>> LoadWordList(WordListKind kind, const std::string& dir, const std::string& lang,
                                                    const std::string& npm_dir) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const WordSet>>* cache =
      new std::map<std::string, std::shared_ptr<const WordSet>>();
  std::string key = std::string(WordListTypeName(kind));
  for (const std::string* part : {&dir, &npm_dir, &lang}) key += '\0' + *part;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  JUICER_ASSIGN_OR_RETURN(std::shared_ptr<const WordSet> set, Build(kind, dir, lang, npm_dir));
  cache->emplace(std::move(key), set);
  return set;
}

double WordListRatio(std::string_view text, const WordSet& set, const WordAugOptions& aug, const Tokenizer* tokenizer,
                     WorkerContext& ctx) {
  // Refined words: bytes in ctx.scratch, [offset, size) pairs in ctx.codepoints.
  std::string& bytes = ctx.scratch;
  std::vector<uint32_t>& spans = ctx.codepoints;
  bytes.clear();
  spans.clear();
  auto add = [&](std::string_view word) {
    const size_t at = bytes.size();
    AppendRefinedWord(word, bytes);
    if (bytes.size() == at) return;  // stripped to nothing: dropped
    spans.push_back(static_cast<uint32_t>(at));
    spans.push_back(static_cast<uint32_t>(bytes.size() - at));
  };
  if (tokenizer != nullptr) {
    for (const std::string& piece : tokenizer->EncodeAsPieces(text)) add(piece);
  } else {
    ForEachWhitespaceWord(text, add);
  }
  const size_t n = spans.size() / 2;
  auto word = [&](size_t i) { return std::string_view(bytes).substr(spans[2 * i], spans[2 * i + 1]); };
  uint64_t total = n, hits = 0;
  for (size_t i = 0; i < n; ++i) hits += set.Contains(word(i)) ? 1 : 0;
  if (aug.use_words_aug) {
    std::string joined;
    for (size_t g : aug.group_sizes) {
      if (g == 0 || g > n) continue;
      for (size_t i = 0; i + g <= n; ++i) {
        joined.assign(word(i));
        for (size_t j = i + 1; j < i + g; ++j) {
          joined += aug.join_char;
          joined += word(j);
        }
        hits += set.Contains(joined) ? 1 : 0;
        ++total;
      }
    }
  }
  if (total == 0) return 0.0;
  return std::min(1.0, static_cast<double>(hits) / static_cast<double>(total));
}

}  // namespace juicer::text
