// A probe network behind one interface for the trainer and evaluator (libtorch; torch TUs only).
#pragma once

#include <memory>

#include "probe/nets.h"
#include "probe/prepare.h"

namespace juicer::probe {

// The network of cfg.task plus its training loss on a batch of row indices of prepared data.
struct TaskNet {
  std::shared_ptr<torch::nn::Module> module;
  ClipNet clip{nullptr};
  CaptionNet caption{nullptr};
  GptNet gpt{nullptr};
  int vocab = 0;
  int pad = 0;
};

TaskNet MakeTaskNet(const ProbeConfig& cfg, int vocab, int pad);

// Tensors over prepared data (views of its buffers: `data` must outlive them).
struct DataTensors {
  torch::Tensor pixels;  // uint8 [N, R, R, 3]
  torch::Tensor tokens;  // int64 [N, ctx] (clip/caption) or [W, ctx + 1] (lm)
  torch::Tensor eot;     // int64 [N]
  torch::Tensor retrieved, retrieved_eot;  // caption with retrieval: int64 [N, ctx], [N]
  int64_t rows = 0;
};
DataTensors MakeDataTensors(const ProbeConfig& cfg, PreparedData* data);

// Batch `idx` gathered (index_select; tokens trimmed to the longest caption in the batch).
struct Batch {
  torch::Tensor pixels, tokens, eot, retrieved;
};
Batch Gather(const DataTensors& t, const torch::Tensor& idx);

// Mean loss of the batch (InfoNCE, or token cross-entropy ignoring padding).
torch::Tensor BatchLoss(TaskNet& net, const Batch& b);

// Sum of token negative log-likelihoods (nats) and the number of target tokens (caption/lm).
std::pair<double, int64_t> BatchNll(TaskNet& net, const Batch& b);

// clip: writes int32 n, int32 dim, then n image and n text embeddings (float32, eval mode, chunks of
// eval_batch) — the format of embeddings_check.bin and `juicer encode`.
Status WriteClipEmbeddings(TaskNet& net, const torch::Tensor& pixels, const torch::Tensor& tokens,
                           const torch::Tensor& eot, int eval_batch, const std::string& path);

// Row-normalised clip embeddings of images (uint8 [N, R, R, 3]) / token rows, in chunks of `batch`.
torch::Tensor ImageEmbeddings(ClipNet& net, const torch::Tensor& pixels, int batch);
torch::Tensor TextEmbeddings(ClipNet& net, const TokenRows& rows, int batch);

// For each query row, the index of the nearest key row by squared L2 distance (ties: lower index);
// exclude_self: query i never matches key i (queries are the keys). Computed with matrix products.
std::vector<int64_t> NearestRows(const std::vector<float>& queries, int64_t nq, const std::vector<float>& keys,
                                 int64_t nk, int64_t dim, bool exclude_self);

// The retrieval store of a caption model: the pool's 16x16 thumbnails and captions.
struct RetrievalStore {
  std::vector<uint8_t> thumbs;
  std::vector<std::string> texts;
};
Status SaveRetrievalStore(const RetrievalStore& store, const std::string& dir);
Result<RetrievalStore> LoadRetrievalStore(const std::string& dir);
// Retrieved rows for images (pixels of cfg.image_res): their nearest store captions.
TokenRows RetrieveFor(const RetrievalStore& store, const Tokenizer& tok, const std::vector<uint8_t>& pixels, size_t n,
                      int res, int ctx, bool exclude_self);

// A trained model directory loaded for inference (eval mode).
struct LoadedModel {
  ProbeConfig cfg;
  std::unique_ptr<Tokenizer> tok;
  TaskNet net;
  RetrievalStore store;  // caption models trained with retrieval
};
// threads 0 = the model's training threads.
Result<LoadedModel> LoadModel(const std::string& dir, int threads);

void SaveTaskNet(TaskNet& net, const std::string& path);
void LoadTaskNet(TaskNet& net, const std::string& path);
int64_t NumParams(const TaskNet& net);

}  // namespace juicer::probe
