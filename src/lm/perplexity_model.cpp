#include "lm/perplexity_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

namespace juicer::lm {

namespace fs = std::filesystem;

double PyRound1(double x) {
  if (!std::isfinite(x)) return x;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.1f", x);  // glibc: exact decimal rounding, ties to even
  return std::strtod(buf, nullptr);
}

std::vector<WordId> PerplexityModel::Words(std::string_view text) const {
  std::vector<WordId> words;
  for (const std::string& piece : tok_->EncodeAsPieces(text)) words.push_back(lm_->Id(piece));
  return words;
}

PerplexityResult PerplexityModel::Score(std::string_view text) const {
  PerplexityResult r;
  const std::vector<WordId> words = Words(text);
  if (words.empty()) return r;  // DJ: no line -> length 0 -> perplexity 0.0
  r.log10_prob = lm_->ScoreSentence(words);
  r.length = words.size() + 1;
  r.perplexity = std::pow(10.0, -r.log10_prob / static_cast<double>(r.length));
  return r;
}

Result<std::shared_ptr<const PerplexityModel>> PerplexityModel::Load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound("perplexity model directory " + dir + " does not exist");
  auto m = std::shared_ptr<PerplexityModel>(new PerplexityModel());
  JUICER_ASSIGN_OR_RETURN(m->tok_, LoadTokenizer(dir));
  JUICER_ASSIGN_OR_RETURN(m->lm_, NgramLm::Load(dir + "/lm.bin"));
  if (m->tok_->Kind() != "sentencepiece") return Status::DataError(dir + ": the tokenizer is not a SentencePiece model");
  return std::shared_ptr<const PerplexityModel>(std::move(m));
}

namespace {

std::string JsonEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else {
      o += c;
    }
  }
  return o;
}

}  // namespace

Status PerplexityModel::Train(const std::vector<std::string>& all_documents, const std::string& dir,
                              const PerplexityTrainOptions& o, const std::string& corpus_name) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  auto progress = [&](const std::string& msg) {
    if (o.progress) std::fprintf(stderr, "lm train: [%6.1fs] %s\n", elapsed(), msg.c_str());
  };
  std::vector<size_t> pick(all_documents.size());
  std::iota(pick.begin(), pick.end(), size_t{0});
  if (o.max_documents > 0 && o.max_documents < pick.size()) {
    std::mt19937_64 rng(o.seed);
    std::shuffle(pick.begin(), pick.end(), rng);
    pick.resize(o.max_documents);
    std::sort(pick.begin(), pick.end());
  }
  std::vector<std::string> docs;
  uint64_t bytes = 0;
  for (size_t i : pick) {
    if (all_documents[i].empty()) continue;
    docs.push_back(all_documents[i]);
    bytes += all_documents[i].size();
  }
  if (docs.empty()) return Status::InvalidArgument("the training corpus has no non-empty document");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());

  progress("training SentencePiece (" + std::to_string(o.vocab_size) + " pieces) on " +
           std::to_string(docs.size()) + " documents, " + std::to_string(bytes) + " bytes");
  JUICER_ASSIGN_OR_RETURN(std::unique_ptr<Tokenizer> tok, TrainSentencePiece(docs, o.vocab_size));
  progress("tokenizing (" + std::to_string(tok->VocabSize()) + " pieces)");
  // Words are the pieces as EncodeAsPieces gives them (unknown characters keep their surface text),
  // what Data-Juicer's tokenizer hands KenLM.
  std::vector<std::vector<std::string>> sentences;
  sentences.reserve(docs.size());
  uint64_t tokens = 0;
  for (const auto& d : docs) {
    sentences.push_back(tok->EncodeAsPieces(d));
    tokens += sentences.back().size();
  }
  progress("estimating the " + std::to_string(o.order) + "-gram Kneser-Ney model on " + std::to_string(tokens) +
           " pieces");
  TrainOptions lo;
  lo.order = o.order;
  lo.prune_min_count = o.prune_min_count;
  if (o.write_arpa) lo.arpa_path = dir + "/lm.arpa";
  JUICER_ASSIGN_OR_RETURN(std::unique_ptr<NgramLm> lm, NgramLm::Train(sentences, lo));
  progress("writing " + dir);
  JUICER_RETURN_IF_ERROR(lm->Save(dir + "/lm.bin"));
  // The tokenizer as sp.model, described by tokenizer.json (LoadTokenizer reads it).
  JUICER_RETURN_IF_ERROR(tok->Save(dir));
  fs::rename(dir + "/sentencepiece.model", dir + "/sp.model", ec);
  if (ec) return Status::IOError("cannot rename the SentencePiece model in " + dir + ": " + ec.message());
  {
    std::ofstream f(dir + "/tokenizer.json", std::ios::trunc);
    f << "{\"kind\":\"sentencepiece\",\"model_file\":\"sp.model\"}\n";
    if (!f) return Status::IOError("cannot write " + dir + "/tokenizer.json");
  }
  std::ofstream f(dir + "/info.json", std::ios::trunc);
  f << "{\n  \"format\": \"juicer-lm-1\",\n  \"corpus\": \"" << JsonEscape(corpus_name) << "\",\n"
    << "  \"documents\": " << docs.size() << ",\n  \"bytes\": " << bytes << ",\n  \"pieces\": " << tokens << ",\n"
    << "  \"sentencepiece_vocab\": " << tok->VocabSize() << ",\n  \"lm_vocab\": " << lm->vocab_size() << ",\n"
    << "  \"order\": " << lm->order() << ",\n  \"smoothing\": \"interpolated modified Kneser-Ney\",\n"
    << "  \"prune_min_count\": " << o.prune_min_count << ",\n  \"ngrams\": [";
  for (int n = 1; n <= lm->order(); ++n) f << (n > 1 ? ", " : "") << lm->NumNgrams(n);
  f << "],\n  \"discounts\": [";
  char b[128];
  for (int n = 0; n < lm->order(); ++n) {
    const Discounts& d = lm->discounts()[n];
    std::snprintf(b, sizeof b, "%s{\"D1\": %.6f, \"D2\": %.6f, \"D3+\": %.6f, \"fallback\": %s}", n ? ", " : "", d.d1,
                  d.d2, d.d3, d.fallback ? "true" : "false");
    f << b;
  }
  std::snprintf(b, sizeof b, "%.1f", elapsed());
  f << "],\n  \"train_seconds\": " << b << "\n}\n";
  if (!f) return Status::IOError("cannot write " + dir + "/info.json");
  progress("done");
  return Status::OK();
}

}  // namespace juicer::lm
