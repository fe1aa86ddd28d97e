// The probe networks (libtorch). Included only by the few translation units that need torch.
// Layout is batch-first; attention is written out (libtorch 1.13 has no scaled_dot_product_attention
// and no batch_first transformer layers).
#pragma once

#include <torch/torch.h>

#include "probe/probe_config.h"

namespace juicer::probe {

// Pre-norm transformer block with multi-head self-attention and a 4x GELU MLP.
struct BlockImpl : torch::nn::Module {
  BlockImpl(int d, int heads);
  // x: [B, T, D]; mask: additive [T, T] (0 or -inf) or undefined.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);
  int heads;
  torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
  torch::nn::Linear qkv{nullptr}, proj{nullptr}, fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(Block);

// Causal additive mask [t, t]; the first `prefix` positions also see each other (prefix-LM).
torch::Tensor CausalMask(int64_t t, int64_t prefix = 0);

// CNN image encoder: per stage a 3x3 stride-2 conv + BatchNorm + ReLU. forward -> feature grid
// [B, C, H', W']; Pool -> [B, C].
struct ImageEncoderImpl : torch::nn::Module {
  explicit ImageEncoderImpl(const std::vector<int>& channels);
  torch::Tensor forward(const torch::Tensor& images);  // images: float [B, 3, R, R], normalised
  torch::nn::Sequential stages{nullptr};
  int out_channels = 0;
};
TORCH_MODULE(ImageEncoder);

// uint8 [B, R, R, 3] -> float [B, 3, R, R] normalised to about [-2, 2].
torch::Tensor NormaliseImages(const torch::Tensor& u8);

// Token embedding + learned positions + blocks (causal) + final LayerNorm: [B, T] -> [B, T, D].
struct TextTransformerImpl : torch::nn::Module {
  TextTransformerImpl(int vocab, int ctx, int d, int layers, int heads);
  // prefix_pad: [B, P] bool, true where a prefix position is padding (no one attends to it).
  torch::Tensor forward(const torch::Tensor& tokens, const torch::Tensor& prefix = {},
                        const torch::Tensor& prefix_pad = {});
  torch::nn::Embedding tok{nullptr};
  torch::Tensor pos;
  torch::nn::ModuleList blocks{nullptr};
  torch::nn::LayerNorm ln{nullptr};
  int ctx;
};
TORCH_MODULE(TextTransformer);

// CLIP: image CNN -> linear -> embed; text transformer (causal, EOT-token feature) -> linear -> embed;
// InfoNCE with a learned temperature (CLIP's init 1/0.07, clamped at 100).
struct ClipNetImpl : torch::nn::Module {
  ClipNetImpl(const ProbeConfig& cfg, int vocab);
  torch::Tensor EncodeImage(const torch::Tensor& images_u8);                      // [B, E], L2-normalised
  torch::Tensor EncodeText(const torch::Tensor& tokens, const torch::Tensor& eot);  // eot: index per row
  torch::Tensor Loss(const torch::Tensor& images_u8, const torch::Tensor& tokens, const torch::Tensor& eot);
  ImageEncoder image{nullptr};
  torch::nn::Linear image_proj{nullptr}, text_proj{nullptr};
  TextTransformer text{nullptr};
  torch::Tensor logit_scale;
};
TORCH_MODULE(ClipNet);

// Captioner: the CNN feature grid becomes prefix tokens of a GPT decoder (prefix-LM).
struct CaptionNetImpl : torch::nn::Module {
  CaptionNetImpl(const ProbeConfig& cfg, int vocab, int pad);
  // [B, P, D]: the image grid, then (retrieval) the retrieved caption's embedded ids [B, R].
  torch::Tensor Prefix(const torch::Tensor& images_u8, const torch::Tensor& retrieved = {});
  // Padding mask of Prefix(images, retrieved): [B, P] bool, or undefined without retrieval.
  torch::Tensor PrefixPad(const torch::Tensor& prefix, const torch::Tensor& retrieved) const;
  // Logits [B, T, V] for the text positions; tokens [B, T] start with BOS.
  torch::Tensor forward(const torch::Tensor& prefix, const torch::Tensor& tokens, const torch::Tensor& prefix_pad = {});
  // Log-probabilities [B, T, V] of the next token. With the copy head (retrieval 2), a pointer-generator
  // mix: p_gen * softmax(logits) + (1 - p_gen) * attention over the retrieved caption's ids.
  torch::Tensor LogProbs(const torch::Tensor& prefix, const torch::Tensor& tokens, const torch::Tensor& prefix_pad,
                         const torch::Tensor& retrieved);
  int pad_id = 0;
  torch::nn::Linear copy_q{nullptr}, copy_k{nullptr}, gen_gate{nullptr};
  ImageEncoder image{nullptr};
  torch::nn::Linear grid_proj{nullptr};
  TextTransformer decoder{nullptr};
  torch::nn::Linear head{nullptr};
  torch::Tensor ret_pos;  // positions of the retrieved caption (retrieval only)
};
TORCH_MODULE(CaptionNet);

// Tiny GPT: logits [B, T, V] from tokens [B, T]; the output head is tied to the embedding.
struct GptNetImpl : torch::nn::Module {
  GptNetImpl(const ProbeConfig& cfg, int vocab);
  torch::Tensor forward(const torch::Tensor& tokens);
  TextTransformer body{nullptr};
};
TORCH_MODULE(GptNet);

}  // namespace juicer::probe
