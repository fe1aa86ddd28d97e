// Baselines that need no training (no libtorch): nearest-neighbour and random captions, unigram LM.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "core/dataset_writer.h"
#include "core/json_text.h"
#include "probe/caption_metrics.h"
#include "probe/prepare.h"
#include "probe/json_num.h"
#include "probe/probe.h"

namespace juicer::probe {

namespace {

constexpr int kRes = 32, kSmall = 16;

std::string CaptionScores(const std::vector<std::string>& hyps, const std::vector<std::vector<std::string>>& refs) {
  const auto b = CorpusBleu(hyps, refs);
  return "{\"BLEU-1\": " + JsonNum(b[0]) + ", \"BLEU-4\": " + JsonNum(b[3]) + ", \"CIDEr-D\": " + JsonNum(CiderD(hyps, refs)) + "}";
}

Result<std::string> CaptionBaselines(const BaselineOptions& opt) {
  ProbeConfig cfg;
  cfg.task = "caption";
  cfg.image_res = kRes;
  cfg.threads = opt.threads;
  JUICER_ASSIGN_OR_RETURN(PreparedData train, PrepareData(cfg, opt.train, nullptr, true));
  const size_t nt = train.records.size(), dim = kSmall * kSmall * 3;
  const std::vector<float> tt = CenteredThumbs(Thumbnails(train.pixels, nt, kRes, kSmall), nt, kSmall);
  std::string j = "{\n  \"task\": \"caption\", \"train\": " + JsonString(opt.train) + ", \"train_rows\": " +
                  std::to_string(nt);
  for (const auto& data : opt.data) {
    JUICER_ASSIGN_OR_RETURN(PreparedData ev, PrepareData(cfg, data, nullptr, false));
    const size_t ne = ev.records.size();
    const std::vector<float> et = CenteredThumbs(Thumbnails(ev.pixels, ne, kRes, kSmall), ne, kSmall);
    std::vector<size_t> nn(ne);
    auto work = [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; ++i) {
        float best = INFINITY;
        for (size_t k = 0; k < nt; ++k) {
          float d = 0;
          const float *a = et.data() + i * dim, *b = tt.data() + k * dim;
          for (size_t q = 0; q < dim; ++q) d += (a[q] - b[q]) * (a[q] - b[q]);
          if (d < best) {
            best = d;
            nn[i] = k;
          }
        }
      }
    };
    std::vector<std::thread> pool;
    const size_t th = std::max(1, opt.threads);
    for (size_t t = 0; t < th; ++t) pool.emplace_back(work, ne * t / th, ne * (t + 1) / th);
    for (auto& t : pool) t.join();
    std::vector<std::string> nn_hyps, rnd_hyps;
    std::vector<std::vector<std::string>> refs;
    std::mt19937_64 rng(42);
    for (size_t i = 0; i < ne; ++i) {
      nn_hyps.push_back(train.records[nn[i]].text);
      rnd_hyps.push_back(train.records[rng() % nt].text);
      refs.push_back(ev.records[i].references);
    }
    j += ",\n  " + JsonString(std::filesystem::path(data).stem().string()) + ": {\"n\": " + std::to_string(ne) +
         ",\n    \"nearest_neighbour_caption\": " + CaptionScores(nn_hyps, refs) +
         ",\n    \"random_train_caption\": " + CaptionScores(rnd_hyps, refs) + "}";
  }
  return j + "\n}\n";
}

Result<std::string> UnigramBaseline(const BaselineOptions& opt) {
  if (opt.model.empty()) return Status::InvalidArgument("baseline --task lm needs --model DIR (its tokenizer is used)");
  JUICER_ASSIGN_OR_RETURN(auto tok, LoadTokenizer(opt.model + "/tokenizer"));
  JUICER_ASSIGN_OR_RETURN(auto train, ReadProbeRecords(opt.train, false));
  std::vector<std::string> texts;
  for (auto& r : train) texts.push_back(std::move(r.text));
  // Counts over the training stream (docs + EOS), add-one smoothed over the vocabulary.
  const LmWindows tw = MakeLmWindows(*tok, texts, 1 << 20);
  std::vector<double> count(tok->VocabSize(), 1.0);
  double total = tok->VocabSize();
  for (size_t i = 1; i < tw.ids.size(); ++i) {
    if (tw.ids[i] == tok->Pad()) continue;
    count[tw.ids[i]] += 1;
    total += 1;
  }
  std::string j = "{\n  \"task\": \"lm\", \"model\": " + JsonString(opt.model) + ", \"train\": " + JsonString(opt.train);
  for (const auto& data : opt.data) {
    JUICER_ASSIGN_OR_RETURN(auto ev, ReadProbeRecords(data, false));
    std::vector<std::string> et;
    for (auto& r : ev) et.push_back(std::move(r.text));
    const LmWindows w = MakeLmWindows(*tok, et, 1 << 20);
    double nll = 0;
    for (int64_t r = 0; r < w.rows; ++r)
      for (int64_t c = 1; c < w.cols; ++c) {
        const int64_t id = w.ids[r * w.cols + c];
        if (id != tok->Pad()) nll -= std::log(count[id] / total);
      }
    j += ",\n  " + JsonString(std::filesystem::path(data).stem().string()) + ": {\"unigram\": {\"tokens\": " +
         std::to_string(w.targets) + ", \"perplexity\": " + JsonNum(std::exp(nll / w.targets)) + ", \"bits_per_byte\": " +
         JsonNum(nll / std::log(2.0) / w.bytes) + "}}";
  }
  return j + "\n}\n";
}

}  // namespace

Result<std::string> RunBaseline(const BaselineOptions& opt) {
  if (opt.data.empty()) return Status::InvalidArgument("baseline needs at least one --data eval set");
  if (opt.train.empty()) return Status::InvalidArgument("baseline needs --train POOL");
  Result<std::string> r = opt.task == "caption" ? CaptionBaselines(opt)
                          : opt.task == "lm"    ? UnigramBaseline(opt)
                                                : Result<std::string>(Status::InvalidArgument(
                                                      "baselines exist for --task caption and lm (clip reports chance "
                                                      "levels in its own metrics)"));
  if (r.ok() && !opt.out.empty()) JUICER_RETURN_IF_ERROR(WriteFileAtomic(opt.out, *r));
  return r;
}

}  // namespace juicer::probe
