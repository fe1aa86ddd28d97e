#include "probe/prepare.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <random>

namespace juicer::probe {

TokenRows EncodeCaptions(const Tokenizer& tok, const std::vector<std::string>& texts, int ctx) {
  TokenRows r;
  r.rows = static_cast<int64_t>(texts.size());
  r.cols = ctx;
  r.ids.assign(static_cast<size_t>(r.rows * ctx), tok.Pad());
  r.eot.resize(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    std::vector<int> ids = tok.Encode(texts[i]);
    if (static_cast<int>(ids.size()) > ctx - 2) ids.resize(ctx - 2);
    int64_t* row = r.ids.data() + i * ctx;
    row[0] = tok.Bos();
    for (size_t j = 0; j < ids.size(); ++j) row[j + 1] = ids[j];
    row[ids.size() + 1] = tok.Eos();
    r.eot[i] = static_cast<int64_t>(ids.size() + 1);
  }
  return r;
}

LmWindows MakeLmWindows(const Tokenizer& tok, const std::vector<std::string>& texts, int ctx) {
  std::vector<int64_t> stream{tok.Bos()};
  LmWindows w;
  for (const auto& t : texts) {
    for (int id : tok.Encode(t)) stream.push_back(id);
    stream.push_back(tok.Eos());
    w.bytes += static_cast<int64_t>(t.size()) + 1;
  }
  w.cols = ctx + 1;
  const int64_t n = static_cast<int64_t>(stream.size());
  w.rows = std::max<int64_t>(1, (n - 1 + ctx - 1) / ctx);
  w.ids.assign(static_cast<size_t>(w.rows * w.cols), tok.Pad());
  for (int64_t r = 0; r < w.rows; ++r) {
    for (int64_t j = 0; j <= ctx && r * ctx + j < n; ++j) w.ids[r * w.cols + j] = stream[r * ctx + j];
  }
  w.targets = n - 1;
  return w;
}

std::vector<uint8_t> Thumbnails(const std::vector<uint8_t>& pixels, size_t n, int res, int side) {
  const int f = std::max(1, res / side);
  const size_t per = static_cast<size_t>(side) * side * 3;
  std::vector<uint8_t> out(n * per);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* src = pixels.data() + i * res * res * 3;
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x)
        for (int c = 0; c < 3; ++c) {
          int sum = 0;
          for (int dy = 0; dy < f; ++dy)
            for (int dx = 0; dx < f; ++dx) sum += src[((y * f + dy) * res + x * f + dx) * 3 + c];
          out[i * per + (y * side + x) * 3 + c] = static_cast<uint8_t>((sum + f * f / 2) / (f * f));
        }
  }
  return out;
}

std::vector<float> CenteredThumbs(const std::vector<uint8_t>& thumbs, size_t n, int side) {
  const size_t dim = static_cast<size_t>(side) * side * 3;
  std::vector<float> out(n * dim);
  for (size_t i = 0; i < n; ++i) {
    double mean = 0;
    for (size_t k = 0; k < dim; ++k) mean += thumbs[i * dim + k];
    mean /= static_cast<double>(dim);
    for (size_t k = 0; k < dim; ++k) out[i * dim + k] = static_cast<float>(thumbs[i * dim + k] - mean);
  }
  return out;
}

TokenRows RetrievedRows(const Tokenizer& tok, const std::vector<std::string>& store_texts,
                        const std::vector<int64_t>& neighbours, int ctx) {
  TokenRows r;
  r.rows = static_cast<int64_t>(neighbours.size());
  r.cols = ctx;
  r.ids.assign(static_cast<size_t>(r.rows * ctx), tok.Pad());
  r.eot.resize(neighbours.size());
  for (size_t i = 0; i < neighbours.size(); ++i) {
    std::vector<int> ids = tok.Encode(store_texts[neighbours[i]]);
    if (static_cast<int>(ids.size()) > ctx - 1) ids.resize(ctx - 1);
    int64_t* row = r.ids.data() + i * ctx;
    for (size_t j = 0; j < ids.size(); ++j) row[j] = ids[j];
    row[ids.size()] = tok.Eos();
    r.eot[i] = static_cast<int64_t>(ids.size());
  }
  return r;
}

Result<std::unique_ptr<Tokenizer>> MakeTokenizer(const ProbeConfig& cfg, const std::vector<std::string>& texts,
                                                 std::string* resolved) {
  std::string kind = cfg.tokenizer;
  std::string bpe = cfg.bpe_path.empty() ? FindClipBpe() : cfg.bpe_path;
  if (kind == "auto") {
    kind = bpe.empty() ? "sentencepiece" : "clip_bpe";
    if (bpe.empty())
      std::fprintf(stderr,
                   "tokenizer: CLIP's BPE merges file was not found (pass --set bpe_path=.../shared/models/"
                   "clip_bpe_simple_vocab_16e6.txt.gz or set JUICER_CLIP_BPE); training a SentencePiece "
                   "tokenizer on the pool instead\n");
  }
  *resolved = kind;
  if (kind == "clip_bpe") {
    if (bpe.empty())
      return Status::NotFound(
          "tokenizer clip_bpe: CLIP's merges file was not found; pass --set bpe_path=PATH to "
          "clip_bpe_simple_vocab_16e6.txt.gz (in shared/models/) or set JUICER_CLIP_BPE, or use "
          "--set tokenizer=sentencepiece");
    return LoadClipBpe(bpe, cfg.bpe_merges);
  }
  std::vector<std::string> sample;
  if (static_cast<int>(texts.size()) <= cfg.sp_max_texts) {
    sample = texts;
  } else {
    std::vector<size_t> idx(texts.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::mt19937_64 rng(cfg.seed ^ 0x5eedULL);
    std::shuffle(idx.begin(), idx.end(), rng);
    idx.resize(cfg.sp_max_texts);
    std::sort(idx.begin(), idx.end());
    for (size_t i : idx) sample.push_back(texts[i]);
  }
  return TrainSentencePiece(sample, cfg.sp_vocab);
}

Result<PreparedData> PrepareData(const ProbeConfig& cfg, const std::string& data_path, const Tokenizer* tok,
                                 bool show_progress, size_t limit) {
  const bool images = cfg.task != "lm";
  PreparedData d;
  JUICER_ASSIGN_OR_RETURN(d.records, ReadProbeRecords(data_path, images, limit));
  if (d.records.empty()) return Status::DataError("'" + data_path + "' has no samples");
  if (images) {
    JUICER_ASSIGN_OR_RETURN(ImageLoadStats st, LoadImages(d.records, cfg.image_res, cfg.threads, &d.pixels, show_progress));
    d.image_seconds = st.seconds;
    if (!st.failed.empty()) {
      d.skipped = st.failed.size();
      d.first_skip_reason = st.failed.front().second;
      std::fprintf(stderr, "warning: %zu of %zu samples dropped: their image cannot be decoded (first: %s)\n",
                   d.skipped, d.records.size(), d.first_skip_reason.c_str());
      const size_t per = static_cast<size_t>(cfg.image_res) * cfg.image_res * 3;
      std::vector<bool> bad(d.records.size(), false);
      for (const auto& f : st.failed) bad[f.first] = true;
      size_t w = 0;
      for (size_t i = 0; i < d.records.size(); ++i) {
        if (bad[i]) continue;
        if (w != i) {
          d.records[w] = std::move(d.records[i]);
          std::copy_n(d.pixels.begin() + i * per, per, d.pixels.begin() + w * per);
        }
        ++w;
      }
      d.records.resize(w);
      d.pixels.resize(w * per);
      if (w == 0) return Status::DataError("no image of '" + data_path + "' could be decoded");
    }
  }
  if (tok != nullptr) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> texts;
    texts.reserve(d.records.size());
    for (const auto& r : d.records) texts.push_back(r.text);
    if (images) d.captions = EncodeCaptions(*tok, texts, cfg.ctx);
    else d.windows = MakeLmWindows(*tok, texts, cfg.ctx);
    d.token_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return d;
}

}  // namespace juicer::probe
