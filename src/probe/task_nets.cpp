#include "probe/task_nets.h"

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
    n.caption = CaptionNet(cfg, vocab);
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
  return b;
}

namespace {

// Logits and targets of the next-token tasks.
std::pair<torch::Tensor, torch::Tensor> NextTokenLogits(TaskNet& net, const Batch& b) {
  auto in = b.tokens.slice(1, 0, b.tokens.size(1) - 1);
  auto target = b.tokens.slice(1, 1);
  torch::Tensor logits = !net.caption.is_empty() ? net.caption->forward(net.caption->Prefix(b.pixels), in) : net.gpt->forward(in);
  return {logits.reshape({-1, logits.size(-1)}), target.reshape({-1})};
}

}  // namespace

torch::Tensor BatchLoss(TaskNet& net, const Batch& b) {
  if (!net.clip.is_empty()) return net.clip->Loss(b.pixels, b.tokens, b.eot);
  auto [logits, target] = NextTokenLogits(net, b);
  return F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().ignore_index(net.pad));
}

std::pair<double, int64_t> BatchNll(TaskNet& net, const Batch& b) {
  auto [logits, target] = NextTokenLogits(net, b);
  auto nll = F::cross_entropy(logits, target,
                              F::CrossEntropyFuncOptions().ignore_index(net.pad).reduction(torch::kSum));
  return {nll.item<double>(), target.ne(net.pad).sum().item<int64_t>()};
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
