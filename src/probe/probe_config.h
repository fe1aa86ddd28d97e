// Hyperparameters of a probe model: a named size preset (xs, s, m) per task, overridable from a YAML
// file (`--config model.yaml`) and `--set key=value`. Identical configs train identically: the probe
// discipline compares data pools at equal compute (steps x batch_size samples). No libtorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace juicer::probe {

struct ProbeConfig {
  std::string task;        // clip | caption | lm
  std::string size = "xs";
  // Model.
  int image_res = 32;                      // images are resized onto a res x res square
  std::vector<int> channels{16, 32, 64};   // CNN stages (3x3 stride-2 conv + BN + ReLU each)
  int d_model = 64;                       // transformer width
  int layers = 2;                         // transformer blocks (text encoder / decoder / GPT)
  int heads = 4;
  int ctx = 32;                           // max tokens per caption (clip/caption) or window (lm)
  int embed_dim = 64;                     // clip: joint embedding size
  // caption: retrieval augmentation (SmallCap-style). 1 = the decoder also reads the caption of the
  // pool image nearest in pixel space (16x16 thumbnails; the sample itself excluded in training);
  // 2 = also a copy head (pointer-generator) that can copy ids of the retrieved caption.
  int retrieval = 0;
  // Tokenizer: auto = CLIP BPE when its merges file is found, else SentencePiece trained on the pool.
  std::string tokenizer = "auto";          // auto | clip_bpe | sentencepiece
  std::string bpe_path;                    // CLIP's bpe_simple_vocab_16e6.txt.gz ("" = search)
  int bpe_merges = 4000;                   // keep the first K merges (vocab 512 + K + 3)
  int sp_vocab = 2000;                     // SentencePiece vocabulary size
  int sp_max_texts = 5000;                 // SentencePiece is trained on at most this many texts
  // Training (the compute budget is steps x batch_size samples, whatever the pool size).
  int64_t steps = 1000;
  int batch_size = 128;
  double lr = 2e-3;
  double weight_decay = 0.05;
  int warmup_steps = 50;                   // linear warm-up, then cosine decay to lr/10
  uint64_t seed = 0;
  int threads = 1;                         // torch intra-op threads (and image decoding threads)
  int checkpoint_every = 250;              // steps; 0 = only at the end
  int log_every = 10;                      // steps between rows of curve.csv
  // Evaluation.
  int max_new_tokens = 24;                 // caption: decoding length limit
  int beam_size = 1;                       // caption: beam search width (1 = greedy)
  int eval_batch = 256;

  int64_t BudgetSamples() const { return steps * batch_size; }
};

// The preset of `size` (xs, s, m) for `task`; m is about 4x the compute of xs, s about 2x.
Result<ProbeConfig> PresetConfig(const std::string& task, const std::string& size);

// Sets one key from its text value ("channels" takes "32,64,128"). Unknown keys and bad values are
// InvalidArgument errors naming the key (with the closest known key).
Status SetConfigKey(ProbeConfig* cfg, const std::string& key, const std::string& value);
// Applies every key of a YAML mapping (errors: "model.yaml:3: ...").
Status ApplyConfigFile(ProbeConfig* cfg, const std::string& path);

// JSON object of every key (config.json of a trained model); ReadConfigJson reads it back.
std::string ConfigToJson(const ProbeConfig& cfg);
Result<ProbeConfig> ReadConfigJson(const std::string& path);

}  // namespace juicer::probe
