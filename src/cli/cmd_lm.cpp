// `juicer lm train|score`: n-gram language models for perplexity_filter (src/lm, docs/lm.md).
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "lm/perplexity_model.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {

const char* kHelp =
    "usage: juicer lm train --corpus FILE_OR_DIR --out DIR [--text-key KEY] [--order 5] [--vocab-size 8000]\n"
    "                       [--prune N] [--max-docs N] [--seed N] [--arpa]\n"
    "       juicer lm score --model DIR (--text TEXT | --file FILE) [--text-key KEY]\n"
    "\n"
    "train: trains a SentencePiece unigram tokenizer on the corpus, then a word-level n-gram model with\n"
    "interpolated modified Kneser-Ney smoothing over its pieces; writes DIR/sp.model, DIR/tokenizer.json,\n"
    "DIR/lm.bin and DIR/info.json (and DIR/lm.arpa with --arpa). The corpus is a .txt file (one document\n"
    "per non-empty line), a .jsonl file (the --text-key field, default 'text', of every line) or a\n"
    "directory of such files (*.txt, *.jsonl, in name order).\n"
    "  --order N       n-gram order (default 5)\n"
    "  --vocab-size N  SentencePiece pieces (default 8000)\n"
    "  --prune N       drop n-grams of order >= 3 with adjusted count < N (default 0: keep all)\n"
    "  --max-docs N    train on a seeded random sample of N documents (default: all)\n"
    "  --seed N        seed of that sample (default 42)\n"
    "  --arpa          also write the model as ARPA text\n"
    "score: prints the perplexity of a text (as perplexity_filter computes it), or of every document\n"
    "of FILE as JSON lines {\"perplexity\", \"log10_prob\", \"length\"}.\n";

Status ReadCorpusFile(const fs::path& path, const std::string& text_key, std::vector<std::string>* docs) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot open corpus file " + path.string());
  const bool jsonl = path.extension() == ".jsonl" || path.extension() == ".json";
  simdjson::dom::parser parser;
  std::string line;
  uint64_t lineno = 0;
  while (std::getline(f, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (!jsonl) {
      docs->push_back(line);
      continue;
    }
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS)
      return Status::DataError(path.string() + ":" + std::to_string(lineno) + ": not valid JSON");
    std::string_view text;
    if (doc[text_key].get_string().get(text) != simdjson::SUCCESS)
      return Status::DataError(path.string() + ":" + std::to_string(lineno) + ": field '" + text_key +
                               "' is missing or not a string");
    docs->emplace_back(text);
  }
  return Status::OK();
}

Status ReadCorpus(const std::string& corpus, const std::string& text_key, std::vector<std::string>* docs) {
  std::error_code ec;
  if (fs::is_directory(corpus, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(corpus, ec)) {
      const auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".txt" || ext == ".jsonl")) files.push_back(e.path());
    }
    if (ec) return Status::IOError("cannot list " + corpus + ": " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) return Status::NotFound("corpus directory " + corpus + " has no .txt or .jsonl file");
    for (const auto& p : files) JUICER_RETURN_IF_ERROR(ReadCorpusFile(p, text_key, docs));
    return Status::OK();
  }
  return ReadCorpusFile(corpus, text_key, docs);
}

Result<uint64_t> ParseCount(const std::string& flag, const std::string& v) {
  try {
    size_t used = 0;
    const long long x = std::stoll(v, &used);
    if (used != v.size() || x < 0) throw std::invalid_argument(v);
    return static_cast<uint64_t>(x);
  } catch (const std::exception&) {
    return Status::InvalidArgument(flag + " expects a non-negative integer, got '" + v + "'");
  }
}

int Train(const std::vector<std::string>& args) {
  std::string corpus, out, text_key = "text";
  lm::PerplexityTrainOptions o;
  o.progress = true;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--arpa") {
      o.write_arpa = true;
      continue;
    }
    if (i + 1 >= args.size()) return ReportError(Status::InvalidArgument("missing value after " + a));
    const std::string& v = args[++i];
    if (a == "--corpus") {
      corpus = v;
    } else if (a == "--out") {
      out = v;
    } else if (a == "--text-key") {
      text_key = v;
    } else if (a == "--order" || a == "--vocab-size" || a == "--prune" || a == "--max-docs" || a == "--seed") {
      auto n = ParseCount(a, v);
      if (!n.ok()) return ReportError(n.status());
      if (a == "--order") o.order = static_cast<int>(*n);
      if (a == "--vocab-size") o.vocab_size = static_cast<int>(*n);
      if (a == "--prune") o.prune_min_count = static_cast<int>(*n);
      if (a == "--max-docs") o.max_documents = *n;
      if (a == "--seed") o.seed = *n;
    } else {
      return ReportError(Status::InvalidArgument("bad argument '" + a + "' (see juicer lm --help)"));
    }
  }
  if (corpus.empty() || out.empty())
    return ReportError(Status::InvalidArgument("lm train needs --corpus and --out (see juicer lm --help)"));
  std::vector<std::string> docs;
  Status st = ReadCorpus(corpus, text_key, &docs);
  if (!st.ok()) return ReportError(st);
  st = lm::PerplexityModel::Train(docs, out, o, corpus);
  if (!st.ok()) return ReportError(st);
  return 0;
}

int Score(const std::vector<std::string>& args) {
  std::string model, text, file, text_key = "text";
  bool has_text = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return ReportError(Status::InvalidArgument("missing value after " + a));
    const std::string& v = args[++i];
    if (a == "--model") {
      model = v;
    } else if (a == "--text") {
      text = v;
      has_text = true;
    } else if (a == "--file") {
      file = v;
    } else if (a == "--text-key") {
      text_key = v;
    } else {
      return ReportError(Status::InvalidArgument("bad argument '" + a + "' (see juicer lm --help)"));
    }
  }
  if (model.empty() || has_text == !file.empty())
    return ReportError(Status::InvalidArgument("lm score needs --model and one of --text / --file"));
  auto m = lm::PerplexityModel::Load(model);
  if (!m.ok()) return ReportError(m.status());
  std::vector<std::string> docs;
  if (has_text) {
    docs.push_back(text);
  } else {
    Status st = ReadCorpusFile(file, text_key, &docs);
    if (!st.ok()) return ReportError(st);
  }
  for (const auto& d : docs) {
    const lm::PerplexityResult r = (*m)->Score(d);
    std::printf("{\"perplexity\": %.1f, \"log10_prob\": %.6f, \"length\": %zu}\n", lm::PyRound1(r.perplexity),
                r.log10_prob, r.length);
  }
  return 0;
}

}  // namespace

int CmdLm(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "train") return Train(args);
  if (args[0] == "score") return Score(args);
  return ReportError(Status::InvalidArgument("unknown lm command '" + args[0] + "' (expected train or score)"));
}

}  // namespace juicer
