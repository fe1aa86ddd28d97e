#include "probe/task_nets.h"

#include <limits>

#include "core/dataset_writer.h"
#include "core/json_text.h"

namespace juicer::probe {

namespace F = torch::nn::functional;

TaskNet MakeTaskNet(const ProbeConfig& cfg, int vocab, int pad) {
  torch::manual_seed(cfg.seed);
  TaskNet n;
  n.vocab = vocab;
  n.pad = pad;
  if (cfg.task == "clip") {
    n.clip = ClipNet(cfg, vocab);
    n.module = n.clip.ptr();
  } else if (cfg.task == "caption") {
    n.caption = CaptionNet(cfg, vocab, pad);
    n.module = n.caption.ptr();
  } else {
    n.gpt = GptNet(cfg, vocab);
    n.module = n.gpt.ptr();
  }
  return n;
}

DataTensors MakeDataTensors(const ProbeConfig& cfg, PreparedData* d) {
  DataTensors t;
  if (cfg.task == "lm") {
    t.rows = d->windows.rows;
    t.tokens = torch::from_blob(d->windows.ids.data(), {d->windows.rows, d->windows.cols}, torch::kLong);
    return t;
  }
  const int64_t n = static_cast<int64_t>(d->records.size());
  t.rows = n;
  t.pixels = torch::from_blob(d->pixels.data(), {n, cfg.image_res, cfg.image_res, 3}, torch::kUInt8);
  t.tokens = torch::from_blob(d->captions.ids.data(), {d->captions.rows, d->captions.cols}, torch::kLong);
  t.eot = torch::from_blob(d->captions.eot.data(), {d->captions.rows}, torch::kLong);
  if (d->retrieved.rows > 0) {
    t.retrieved = torch::from_blob(d->retrieved.ids.data(), {d->retrieved.rows, d->retrieved.cols}, torch::kLong);
    t.retrieved_eot = torch::from_blob(d->retrieved.eot.data(), {d->retrieved.rows}, torch::kLong);
  }
  return t;
}

Batch Gather(const DataTensors& t, const torch::Tensor& idx) {
  Batch b;
  b.tokens = t.tokens.index_select(0, idx);
  if (t.eot.defined()) {
    b.eot = t.eot.index_select(0, idx);
    const int64_t len = b.eot.max().item<int64_t>() + 1;
    b.tokens = b.tokens.slice(1, 0, len);
  }
  if (t.pixels.defined()) b.pixels = t.pixels.index_select(0, idx);
  if (t.retrieved.defined()) {
    const int64_t len = t.retrieved_eot.index_select(0, idx).max().item<int64_t>() + 1;
    b.retrieved = t.retrieved.index_select(0, idx).slice(1, 0, len);
  }
  return b;
}

namespace {

// Logits and targets of the next-token tasks.
// Next-token log-probabilities [B*T, V] and targets [B*T].
std::pair<torch::Tensor, torch::Tensor> NextTokenLogProbs(TaskNet& net, const Batch& b) {
  auto in = b.tokens.slice(1, 0, b.tokens.size(1) - 1);
  auto target = b.tokens.slice(1, 1);
  torch::Tensor logp;
  if (!net.caption.is_empty()) {
    auto prefix = net.caption->Prefix(b.pixels, b.retrieved);
    logp = net.caption->LogProbs(prefix, in, net.caption->PrefixPad(prefix, b.retrieved), b.retrieved);
  } else {
    logp = torch::log_softmax(net.gpt->forward(in), -1);
  }
  return {logp.reshape({-1, logp.size(-1)}), target.reshape({-1})};
}

}  // namespace

torch::Tensor BatchLoss(TaskNet& net, const Batch& b) {
  if (!net.clip.is_empty()) return net.clip->Loss(b.pixels, b.tokens, b.eot);
  auto [logp, target] = NextTokenLogProbs(net, b);
  return F::nll_loss(logp, target, F::NLLLossFuncOptions().ignore_index(net.pad));
}

std::pair<double, int64_t> BatchNll(TaskNet& net, const Batch& b) {
  auto [logp, target] = NextTokenLogProbs(net, b);
  auto nll = F::nll_loss(logp, target, F::NLLLossFuncOptions().ignore_index(net.pad).reduction(torch::kSum));
  return {nll.item<double>(), target.ne(net.pad).sum().item<int64_t>()};
}

std::vector<int64_t> NearestRows(const std::vector<float>& queries, int64_t nq, const std::vector<float>& keys,
                                 int64_t nk, int64_t dim, bool exclude_self) {
  torch::NoGradGuard no_grad;
  auto k = torch::from_blob(const_cast<float*>(keys.data()), {nk, dim}, torch::kFloat);
  auto k2 = k.pow(2).sum(1);
  std::vector<int64_t> out(nq);
  for (int64_t i = 0; i < nq; i += 1024) {
    const int64_t m = std::min<int64_t>(1024, nq - i);
    auto q = torch::from_blob(const_cast<float*>(queries.data()) + i * dim, {m, dim}, torch::kFloat);
    auto d = k2.unsqueeze(0) - 2 * q.matmul(k.t());  // + |q|^2, constant per row
    if (exclude_self) {
      auto rows = torch::arange(m, torch::kLong), cols = rows + i;
      d.index_put_({rows, cols}, std::numeric_limits<float>::infinity());
    }
    auto best = d.argmin(1);
    for (int64_t r = 0; r < m; ++r) out[i + r] = best[r].item<int64_t>();
  }
  return out;
}

Status SaveRetrievalStore(const RetrievalStore& store, const std::string& dir) {
  std::string bin(reinterpret_cast<const char*>(store.thumbs.data()), store.thumbs.size());
  JUICER_RETURN_IF_ERROR(WriteFileAtomic(dir + "/retrieval_thumbs.u8", bin));
  std::string txt;
  for (const auto& t : store.texts) txt += "{\"text\":" + JsonString(t) + "}\n";
  return WriteFileAtomic(dir + "/retrieval_captions.jsonl", txt);
}

Result<RetrievalStore> LoadRetrievalStore(const std::string& dir) {
  RetrievalStore s;
  JUICER_ASSIGN_OR_RETURN(std::string bin, ReadFileToString(dir + "/retrieval_thumbs.u8"));
  s.thumbs.assign(bin.begin(), bin.end());
  JUICER_ASSIGN_OR_RETURN(auto recs, ReadProbeRecords(dir + "/retrieval_captions.jsonl", false));
  for (auto& r : recs) s.texts.push_back(std::move(r.text));
  if (s.thumbs.size() != s.texts.size() * 16 * 16 * 3)
    return Status::DataError(dir + ": retrieval_thumbs.u8 does not match retrieval_captions.jsonl");
  return s;
}

TokenRows RetrieveFor(const RetrievalStore& store, const Tokenizer& tok, const std::vector<uint8_t>& pixels, size_t n,
                      int res, int ctx, bool exclude_self) {
  constexpr int kSide = 16;
  const int64_t dim = kSide * kSide * 3, nk = static_cast<int64_t>(store.texts.size());
  const auto q = CenteredThumbs(Thumbnails(pixels, n, res, kSide), n, kSide);
  const auto k = CenteredThumbs(store.thumbs, static_cast<size_t>(nk), kSide);
  return RetrievedRows(tok, store.texts, NearestRows(q, static_cast<int64_t>(n), k, nk, dim, exclude_self), ctx);
}

void SaveTaskNet(TaskNet& net, const std::string& path) {
  torch::serialize::OutputArchive ar;
  net.module->save(ar);
  ar.save_to(path);
}

void LoadTaskNet(TaskNet& net, const std::string& path) {
  torch::serialize::InputArchive ar;
  ar.load_from(path);
  net.module->load(ar);
}

int64_t NumParams(const TaskNet& net) {
  int64_t n = 0;
  for (const auto& p : net.module->parameters()) n += p.numel();
  return n;
}

}  // namespace juicer::probe
