#include "probe/nets.h"

#include <cmath>
#include <limits>

namespace juicer::probe {

namespace nn = torch::nn;

BlockImpl::BlockImpl(int d, int h) : heads(h) {
  if (d % h != 0) throw std::invalid_argument("d_model must be a multiple of heads");
  ln1 = register_module("ln1", nn::LayerNorm(nn::LayerNormOptions({d})));
  ln2 = register_module("ln2", nn::LayerNorm(nn::LayerNormOptions({d})));
  qkv = register_module("qkv", nn::Linear(d, 3 * d));
  proj = register_module("proj", nn::Linear(d, d));
  fc1 = register_module("fc1", nn::Linear(d, 4 * d));
  fc2 = register_module("fc2", nn::Linear(4 * d, d));
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  const int64_t b = x.size(0), t = x.size(1), d = x.size(2), dh = d / heads;
  auto q_k_v = qkv(ln1(x)).view({b, t, 3, heads, dh}).permute({2, 0, 3, 1, 4});  // [3, B, H, T, dh]
  auto q = q_k_v[0], k = q_k_v[1], v = q_k_v[2];
  auto att = torch::matmul(q, k.transpose(-2, -1)) * (1.0 / std::sqrt(static_cast<double>(dh)));
  if (mask.defined()) att = att + mask;
  auto y = torch::matmul(torch::softmax(att, -1), v).transpose(1, 2).reshape({b, t, d});
  auto h = x + proj(y);
  return h + fc2(torch::gelu(fc1(ln2(h))));
}

torch::Tensor CausalMask(int64_t t, int64_t prefix) {
  auto allowed = torch::ones({t, t}, torch::kBool).tril();
  if (prefix > 0) allowed.slice(0, 0, prefix).slice(1, 0, prefix).fill_(true);
  return torch::zeros({t, t}).masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
}

ImageEncoderImpl::ImageEncoderImpl(const std::vector<int>& channels) {
  nn::Sequential seq;
  int in = 3;
  for (int c : channels) {
    seq->push_back(nn::Conv2d(nn::Conv2dOptions(in, c, 3).stride(2).padding(1).bias(false)));
    seq->push_back(nn::BatchNorm2d(c));
    seq->push_back(nn::Functional(torch::relu));
    in = c;
  }
  out_channels = in;
  stages = register_module("stages", seq);
}

torch::Tensor ImageEncoderImpl::forward(const torch::Tensor& images) { return stages->forward(images); }

torch::Tensor NormaliseImages(const torch::Tensor& u8) {
  return u8.permute({0, 3, 1, 2}).to(torch::kFloat).sub_(127.5).mul_(1.0 / 64.0).contiguous();
}

TextTransformerImpl::TextTransformerImpl(int vocab, int ctx_len, int d, int layers, int h) : ctx(ctx_len) {
  tok = register_module("tok", nn::Embedding(vocab, d));
  nn::init::normal_(tok->weight, 0.0, 0.02);
  pos = register_parameter("pos", torch::randn({ctx_len, d}) * 0.01);
  blocks = register_module("blocks", nn::ModuleList());
  for (int i = 0; i < layers; ++i) blocks->push_back(Block(d, h));
  ln = register_module("ln", nn::LayerNorm(nn::LayerNormOptions({d})));
}

torch::Tensor TextTransformerImpl::forward(const torch::Tensor& tokens, const torch::Tensor& prefix,
                                           const torch::Tensor& prefix_pad) {
  const int64_t t = tokens.size(1);
  auto x = tok(tokens) + pos.slice(0, 0, t);
  int64_t p = 0;
  if (prefix.defined()) {
    p = prefix.size(1);
    x = torch::cat({prefix, x}, 1);
  }
  auto mask = CausalMask(x.size(1), p);
  if (prefix_pad.defined()) {  // [B, 1, 1, T]: padded prefix keys are hidden from every query
    auto pad = torch::cat({prefix_pad, torch::zeros({x.size(0), t}, torch::kBool)}, 1);
    mask = mask + torch::zeros(pad.sizes()).masked_fill(pad, -std::numeric_limits<float>::infinity())
                      .view({x.size(0), 1, 1, x.size(1)});
  }
  for (const auto& m : *blocks) x = m->as<BlockImpl>()->forward(x, mask);
  x = ln(x);
  return p > 0 ? x.slice(1, p) : x;
}

ClipNetImpl::ClipNetImpl(const ProbeConfig& cfg, int vocab) {
  image = register_module("image", ImageEncoder(cfg.channels));
  image_proj = register_module("image_proj", nn::Linear(image->out_channels, cfg.embed_dim));
  text = register_module("text", TextTransformer(vocab, cfg.ctx, cfg.d_model, cfg.layers, cfg.heads));
  text_proj = register_module("text_proj", nn::Linear(cfg.d_model, cfg.embed_dim));
  logit_scale = register_parameter("logit_scale", torch::full({1}, std::log(1 / 0.07)));
}

torch::Tensor ClipNetImpl::EncodeImage(const torch::Tensor& images_u8) {
  auto f = image(NormaliseImages(images_u8)).mean({2, 3});
  return torch::nn::functional::normalize(image_proj(f), torch::nn::functional::NormalizeFuncOptions().dim(1));
}

torch::Tensor ClipNetImpl::EncodeText(const torch::Tensor& tokens, const torch::Tensor& eot) {
  auto h = text(tokens);
  auto rows = torch::arange(h.size(0), torch::kLong);
  auto f = h.index({rows, eot});
  return torch::nn::functional::normalize(text_proj(f), torch::nn::functional::NormalizeFuncOptions().dim(1));
}

torch::Tensor ClipNetImpl::Loss(const torch::Tensor& images_u8, const torch::Tensor& tokens,
                                const torch::Tensor& eot) {
  auto logits = EncodeImage(images_u8).matmul(EncodeText(tokens, eot).t()) * logit_scale.clamp_max(std::log(100.0)).exp();
  auto labels = torch::arange(logits.size(0), torch::kLong);
  return (torch::nn::functional::cross_entropy(logits, labels) +
          torch::nn::functional::cross_entropy(logits.t(), labels)) * 0.5;
}

CaptionNetImpl::CaptionNetImpl(const ProbeConfig& cfg, int vocab, int pad) : pad_id(pad) {
  image = register_module("image", ImageEncoder(cfg.channels));
  grid_proj = register_module("grid_proj", nn::Linear(image->out_channels, cfg.d_model));
  decoder = register_module("decoder", TextTransformer(vocab, cfg.ctx, cfg.d_model, cfg.layers, cfg.heads));
  head = register_module("head", nn::Linear(cfg.d_model, vocab));
  if (cfg.retrieval > 0) ret_pos = register_parameter("ret_pos", torch::randn({cfg.ctx, cfg.d_model}) * 0.01);
  if (cfg.retrieval > 1) {
    copy_q = register_module("copy_q", nn::Linear(cfg.d_model, cfg.d_model));
    copy_k = register_module("copy_k", nn::Linear(cfg.d_model, cfg.d_model));
    gen_gate = register_module("gen_gate", nn::Linear(cfg.d_model, 1));
  }
}

torch::Tensor CaptionNetImpl::Prefix(const torch::Tensor& images_u8, const torch::Tensor& retrieved) {
  auto g = image(NormaliseImages(images_u8));                 // [B, C, H, W]
  auto grid = grid_proj(g.flatten(2).transpose(1, 2));        // [B, H*W, D]
  if (!retrieved.defined() || !ret_pos.defined()) return grid;
  auto r = decoder->tok(retrieved) + ret_pos.slice(0, 0, retrieved.size(1));
  return torch::cat({grid, r}, 1);
}

torch::Tensor CaptionNetImpl::PrefixPad(const torch::Tensor& prefix, const torch::Tensor& retrieved) const {
  if (!retrieved.defined() || !ret_pos.defined()) return {};
  const int64_t grid = prefix.size(1) - retrieved.size(1);
  return torch::cat({torch::zeros({retrieved.size(0), grid}, torch::kBool), retrieved.eq(pad_id)}, 1);
}

torch::Tensor CaptionNetImpl::forward(const torch::Tensor& prefix, const torch::Tensor& tokens,
                                      const torch::Tensor& prefix_pad) {
  return head(decoder(tokens, prefix, prefix_pad));
}

torch::Tensor CaptionNetImpl::LogProbs(const torch::Tensor& prefix, const torch::Tensor& tokens,
                                       const torch::Tensor& prefix_pad, const torch::Tensor& retrieved) {
  auto h = decoder(tokens, prefix, prefix_pad);                          // [B, T, D]
  auto gen = torch::log_softmax(head(h), -1);
  if (copy_q.is_empty() || !retrieved.defined()) return gen;
  auto keys = copy_k(decoder->tok(retrieved) + ret_pos.slice(0, 0, retrieved.size(1)));  // [B, R, D]
  auto scores = torch::matmul(copy_q(h), keys.transpose(1, 2)) * (1.0 / std::sqrt(static_cast<double>(h.size(2))));
  scores = scores.masked_fill(retrieved.eq(pad_id).unsqueeze(1), -std::numeric_limits<float>::infinity());
  auto attn = torch::softmax(scores, -1);                                // [B, T, R]
  auto copy = torch::zeros_like(gen).scatter_add(2, retrieved.unsqueeze(1).expand({-1, h.size(1), -1}), attn);
  auto p_gen = torch::sigmoid(gen_gate(h));                              // [B, T, 1]
  return torch::log(p_gen * gen.exp() + (1 - p_gen) * copy + 1e-9);
}

GptNetImpl::GptNetImpl(const ProbeConfig& cfg, int vocab) {
  body = register_module("body", TextTransformer(vocab, cfg.ctx, cfg.d_model, cfg.layers, cfg.heads));
}

torch::Tensor GptNetImpl::forward(const torch::Tensor& tokens) {
  return torch::matmul(body(tokens), body->tok->weight.t());
}

}  // namespace juicer::probe
