// A TensorFlow.js Keras layers model (model.json + weight shards) rebuilt in libtorch: the NSFW
// classifier of nsfwjs (MobileNetV2) behind image_nsfw_filter and image_deduplicator's embedding
// method. The graph is read from model.json as written (layer classes, names, inbound nodes), the
// weights are bound to their layers by name and dequantized as tfjs does (uint8/uint16:
// min + scale * q; float16), and every layer follows Keras semantics: 'same' padding as TensorFlow
// (asymmetric, extra row/column at the bottom/right), ZeroPadding2D, BatchNormalization with its
// configured epsilon, ReLU with max_value/negative_slope/threshold, channels-last Flatten.
// Internally tensors are NCHW; a Conv2D/DepthwiseConv2D directly followed by its only consumer, a
// BatchNormalization, has the normalisation folded into its weights at load time (inference only).
// C interface: src/ops/image/nsfw_api.h.
#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "ops/image/nsfw_api.h"

namespace juicer::nsfw {
namespace {

using nlohmann::json;

struct ModelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Kind { kInput, kZeroPad, kConv, kDepthwise, kBatchNorm, kReLU, kActivation, kAdd, kAvgPool, kMaxPool,
                  kGlobalAvgPool, kFlatten, kDense, kIdentity };
enum class Act { kLinear, kRelu, kRelu6, kSoftmax, kSigmoid, kTanh };

struct Layer {
  std::string name, cls;
  Kind kind = Kind::kIdentity;
  std::vector<int> in;
  int consumers = 0;
  int kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  bool same = false;
  int pad_t = 0, pad_b = 0, pad_l = 0, pad_r = 0;  // ZeroPadding2D
  int64_t groups = 1;
  bool use_bias = false, bn_center = true, bn_scale = true;
  double eps = 1e-3;
  double relu_max = -1, relu_slope = 0, relu_threshold = 0;  // relu_max < 0: unbounded
  Act act = Act::kLinear;
  std::map<std::string, torch::Tensor> raw;  // weights by Keras name (kernel, gamma, ...), as loaded
  torch::Tensor w, b;  // torch layout; BatchNormalization: per-channel scale and shift
};

Act ParseAct(const std::string& s, const std::string& layer) {
  if (s == "linear") return Act::kLinear;
  if (s == "relu") return Act::kRelu;
  if (s == "relu6") return Act::kRelu6;
  if (s == "softmax") return Act::kSoftmax;
  if (s == "sigmoid") return Act::kSigmoid;
  if (s == "tanh") return Act::kTanh;
  throw ModelError("layer " + layer + ": unsupported activation '" + s + "'");
}

std::pair<int, int> Pair(const json& cfg, const char* key, int def, const std::string& layer) {
  if (!cfg.contains(key) || cfg[key].is_null()) return {def, def};
  const json& v = cfg[key];
  if (v.is_number_integer()) return {v.get<int>(), v.get<int>()};
  if (v.is_array() && v.size() == 2) return {v[0].get<int>(), v[1].get<int>()};
  throw ModelError("layer " + layer + ": '" + key + "' is not an int or a pair");
}

void CheckChannelsLast(const json& cfg, const std::string& layer) {
  if (cfg.contains("data_format") && cfg["data_format"].is_string() && cfg["data_format"] != "channels_last")
    throw ModelError("layer " + layer + ": only data_format channels_last is supported");
}

// TensorFlow 'same' padding of one dimension: (before, after).
std::pair<int64_t, int64_t> SamePad(int64_t in, int k, int s, int d) {
  const int64_t out = (in + s - 1) / s;
  const int64_t total = std::max<int64_t>((out - 1) * s + (int64_t{k} - 1) * d + 1 - in, 0);
  return {total / 2, total - total / 2};
}

torch::Tensor Activate(torch::Tensor x, Act a) {
  switch (a) {
    case Act::kLinear: return x;
    case Act::kRelu: return x.clamp_min_(0);
    case Act::kRelu6: return x.clamp_(0, 6);
    case Act::kSoftmax: return torch::softmax(x, -1);
    case Act::kSigmoid: return x.sigmoid_();
    case Act::kTanh: return x.tanh_();
  }
  return x;
}

class KerasModel {
 public:
  explicit KerasModel(const std::string& dir);
  // images: NCHW float in [0, 1]. Returns (outputs, features at the embedding layer's input).
  std::pair<torch::Tensor, torch::Tensor> Forward(const torch::Tensor& images) const;
  int input_size() const { return input_size_; }
  int num_classes() const { return num_classes_; }
  int embedding_dim() const { return emb_dim_; }

 private:
  void ParseTopology(const json& topo);
  void LoadWeights(const std::string& dir, const json& manifest);
  void Finish();
  torch::Tensor Spatial(const Layer& l, const torch::Tensor& x) const;
  std::vector<Layer> layers_;
  int output_ = -1, emb_layer_ = -1, input_size_ = 224, num_classes_ = 0, emb_dim_ = 0;
};

KerasModel::KerasModel(const std::string& dir) {
  std::ifstream f(dir + "/model.json");
  if (!f) throw ModelError("cannot read " + dir + "/model.json");
  json m;
  try {
    m = json::parse(f);
  } catch (const json::exception& e) {
    throw ModelError(dir + "/model.json: " + e.what());
  }
  if (!m.contains("modelTopology") || !m.contains("weightsManifest"))
    throw ModelError(dir + "/model.json: not a tfjs layers model (no modelTopology / weightsManifest)");
  ParseTopology(m["modelTopology"]);
  LoadWeights(dir, m["weightsManifest"]);
  Finish();
}

void KerasModel::ParseTopology(const json& topo) {
  const json& mc = topo.contains("model_config") ? topo["model_config"] : topo;
  const json& cfg = mc.at("config");
  std::unordered_map<std::string, int> index;
  for (const json& lj : cfg.at("layers")) {
    Layer l;
    l.name = lj.at("name").get<std::string>();
    l.cls = lj.at("class_name").get<std::string>();
    const json& c = lj.at("config");
    CheckChannelsLast(c, l.name);
    const auto& nodes = lj.at("inbound_nodes");
    if (nodes.size() > 1) throw ModelError("layer " + l.name + ": shared layers are not supported");
    for (const json& node : nodes)
      for (const json& t : node) {
        const std::string src = t.at(0).get<std::string>();
        auto it = index.find(src);
        if (it == index.end()) throw ModelError("layer " + l.name + ": input " + src + " is not defined before it");
        l.in.push_back(it->second);
        ++layers_[static_cast<size_t>(it->second)].consumers;
      }
    if (l.cls == "InputLayer") {
      l.kind = Kind::kInput;
      const json& shape = c.at("batch_input_shape");
      if (shape.size() == 4 && shape[1].is_number_integer() && shape[1] == shape[2] && shape[3] == 3)
        input_size_ = shape[1].get<int>();
      else
        throw ModelError("input " + l.name + ": expected a [null, S, S, 3] image input");
    } else if (l.cls == "ZeroPadding2D") {
      l.kind = Kind::kZeroPad;
      const json& p = c.at("padding");
      if (p.is_number_integer()) {
        l.pad_t = l.pad_b = l.pad_l = l.pad_r = p.get<int>();
      } else if (p.size() == 2 && p[0].is_number_integer()) {
        l.pad_t = l.pad_b = p[0].get<int>();
        l.pad_l = l.pad_r = p[1].get<int>();
      } else {
        l.pad_t = p.at(0).at(0).get<int>(), l.pad_b = p.at(0).at(1).get<int>();
        l.pad_l = p.at(1).at(0).get<int>(), l.pad_r = p.at(1).at(1).get<int>();
      }
    } else if (l.cls == "Conv2D" || l.cls == "DepthwiseConv2D" || l.cls == "AveragePooling2D" ||
               l.cls == "MaxPooling2D") {
      const bool pool = l.cls.find("Pooling") != std::string::npos;
      l.kind = l.cls == "Conv2D" ? Kind::kConv
               : l.cls == "DepthwiseConv2D" ? Kind::kDepthwise
               : l.cls == "AveragePooling2D" ? Kind::kAvgPool : Kind::kMaxPool;
      std::tie(l.kh, l.kw) = Pair(c, pool ? "pool_size" : "kernel_size", 2, l.name);
      std::tie(l.sh, l.sw) = Pair(c, "strides", pool ? l.kh : 1, l.name);
      if (pool && c.contains("strides") && c["strides"].is_null()) std::tie(l.sh, l.sw) = std::pair{l.kh, l.kw};
      std::tie(l.dh, l.dw) = Pair(c, "dilation_rate", 1, l.name);
      const std::string padding = c.value("padding", "valid");
      if (padding != "same" && padding != "valid")
        throw ModelError("layer " + l.name + ": unsupported padding '" + padding + "'");
      l.same = padding == "same";
      if (!pool) {
        l.use_bias = c.value("use_bias", true);
        l.act = ParseAct(c.value("activation", "linear"), l.name);
        if (l.kind == Kind::kDepthwise && c.value("depth_multiplier", 1) < 1)
          throw ModelError("layer " + l.name + ": bad depth_multiplier");
      }
    } else if (l.cls == "BatchNormalization") {
      l.kind = Kind::kBatchNorm;
      const json& axis = c.value("axis", json(-1));
      if (!(axis == -1 || axis == 3 || (axis.is_array() && axis.size() == 1 && (axis[0] == -1 || axis[0] == 3))))
        throw ModelError("layer " + l.name + ": only channel-axis batch normalisation is supported");
      l.eps = c.value("epsilon", 1e-3);
      l.bn_center = c.value("center", true);
      l.bn_scale = c.value("scale", true);
    } else if (l.cls == "ReLU") {
      l.kind = Kind::kReLU;
      if (c.contains("max_value") && !c["max_value"].is_null()) l.relu_max = c["max_value"].get<double>();
      l.relu_slope = c.value("negative_slope", 0.0);
      l.relu_threshold = c.value("threshold", 0.0);
    } else if (l.cls == "Activation") {
      l.kind = Kind::kActivation;
      l.act = ParseAct(c.value("activation", "linear"), l.name);
    } else if (l.cls == "Add") {
      l.kind = Kind::kAdd;
    } else if (l.cls == "GlobalAveragePooling2D") {
      l.kind = Kind::kGlobalAvgPool;
      if (c.value("keepdims", false)) throw ModelError("layer " + l.name + ": keepdims is not supported");
    } else if (l.cls == "Flatten") {
      l.kind = Kind::kFlatten;
    } else if (l.cls == "Dense") {
      l.kind = Kind::kDense;
      l.use_bias = c.value("use_bias", true);
      l.act = ParseAct(c.value("activation", "linear"), l.name);
    } else if (l.cls == "Dropout") {
      l.kind = Kind::kIdentity;
    } else {
      throw ModelError("layer " + l.name + ": unsupported layer class " + l.cls);
    }
    if (l.kind != Kind::kInput && l.in.empty()) throw ModelError("layer " + l.name + " has no input");
    if (l.kind != Kind::kInput && l.kind != Kind::kAdd && l.in.size() != 1)
      throw ModelError("layer " + l.name + ": expected one input");
    if (!index.emplace(l.name, static_cast<int>(layers_.size())).second)
      throw ModelError("layer name " + l.name + " appears twice");
    layers_.push_back(std::move(l));
  }
  const json& outs = cfg.at("output_layers");
  if (outs.size() != 1) throw ModelError("expected one model output");
  const std::string out = outs.at(0).at(0).get<std::string>();
  if (!index.count(out)) throw ModelError("output layer " + out + " is not defined");
  output_ = index[out];
  for (size_t i = 0; i < layers_.size() && emb_layer_ < 0; ++i)
    if (layers_[i].kind == Kind::kDense) emb_layer_ = static_cast<int>(i);
  if (emb_layer_ < 0) throw ModelError("no Dense layer: cannot tell the embedding (the classifier head's input)");
}

// float16 -> float32.
float HalfToFloat(uint16_t h) { return static_cast<float>(c10::Half(h, c10::Half::from_bits())); }

void KerasModel::LoadWeights(const std::string& dir, const json& manifest) {
  std::unordered_map<std::string, size_t> by_name;
  for (size_t i = 0; i < layers_.size(); ++i) by_name[layers_[i].name] = i;
  for (const json& group : manifest) {
    std::string bytes;
    for (const json& p : group.at("paths")) {
      const std::string path = dir + "/" + p.get<std::string>();
      std::ifstream f(path, std::ios::binary);
      if (!f) throw ModelError("cannot read the weight shard " + path);
      bytes.append(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    size_t off = 0;
    for (const json& w : group.at("weights")) {
      const std::string name = w.at("name").get<std::string>();
      std::vector<int64_t> shape = w.at("shape").get<std::vector<int64_t>>();
      int64_t count = 1;
      for (int64_t d : shape) count *= d;
      const bool quant = w.contains("quantization");
      const std::string dtype = quant ? w["quantization"].at("dtype").get<std::string>() : w.at("dtype").get<std::string>();
      const size_t width = dtype == "uint8" ? 1 : (dtype == "uint16" || dtype == "float16") ? 2
                           : (dtype == "float32" || dtype == "int32") ? 4 : 0;
      if (width == 0) throw ModelError("weight " + name + ": unsupported dtype " + dtype);
      if (off + width * static_cast<size_t>(count) > bytes.size())
        throw ModelError("weight " + name + ": the shards are shorter than the manifest says");
      const auto* src = reinterpret_cast<const unsigned char*>(bytes.data() + off);
      off += width * static_cast<size_t>(count);
      torch::Tensor t = torch::empty(shape, torch::kFloat32);
      float* dst = t.data_ptr<float>();
      const double scale = quant ? w["quantization"].value("scale", 1.0) : 1.0;
      const double min = quant ? w["quantization"].value("min", 0.0) : 0.0;
      for (int64_t i = 0; i < count; ++i) {
        if (dtype == "uint8") {
          dst[i] = static_cast<float>(src[i] * scale + min);
        } else if (dtype == "uint16") {
          uint16_t q;
          std::memcpy(&q, src + 2 * i, 2);
          dst[i] = static_cast<float>(q * scale + min);
        } else if (dtype == "float16") {
          uint16_t q;
          std::memcpy(&q, src + 2 * i, 2);
          dst[i] = HalfToFloat(q);
        } else if (dtype == "int32") {
          int32_t q;
          std::memcpy(&q, src + 4 * i, 4);
          dst[i] = static_cast<float>(q);
        } else {
          std::memcpy(dst + i, src + 4 * i, 4);
        }
      }
      // "<layer>/<param>" (an optional ":0" suffix and outer scopes are ignored).
      std::string n = name.substr(0, name.rfind(':') == std::string::npos ? name.size() : name.rfind(':'));
      const size_t slash = n.rfind('/');
      if (slash == std::string::npos) throw ModelError("weight " + name + ": not named <layer>/<param>");
      const std::string param = n.substr(slash + 1);
      std::string layer = n.substr(0, slash);
      auto it = by_name.find(layer);
      if (it == by_name.end() && layer.rfind('/') != std::string::npos) it = by_name.find(layer.substr(layer.rfind('/') + 1));
      if (it == by_name.end()) throw ModelError("weight " + name + " names no layer of the topology");
      if (!layers_[it->second].raw.emplace(param, t).second) throw ModelError("weight " + name + " appears twice");
    }
    if (off != bytes.size()) throw ModelError("the weight shards are longer than the manifest says");
  }
}

torch::Tensor Param(const Layer& l, const char* name, const std::vector<int64_t>& shape) {
  auto it = l.raw.find(name);
  if (it == l.raw.end()) throw ModelError("layer " + l.name + ": weight '" + name + "' is missing");
  if (it->second.sizes().vec() != shape)
    throw ModelError("layer " + l.name + ": weight '" + name + "' has an unexpected shape");
  return it->second;
}

// Converts the Keras weights to torch layouts and folds batch normalisation into convolutions.
void KerasModel::Finish() {
  for (Layer& l : layers_) {
    if (l.kind == Kind::kConv || l.kind == Kind::kDepthwise) {
      const std::string key = l.kind == Kind::kConv ? "kernel" : "depthwise_kernel";
      auto it = l.raw.find(key);
      if (it == l.raw.end() || it->second.dim() != 4) throw ModelError("layer " + l.name + ": " + key + " is missing");
      const torch::Tensor k = it->second;  // [kh, kw, in, out] or [kh, kw, in, multiplier]
      if (k.size(0) != l.kh || k.size(1) != l.kw) throw ModelError("layer " + l.name + ": kernel size mismatch");
      if (l.kind == Kind::kConv) {
        l.w = k.permute({3, 2, 0, 1}).contiguous();
      } else {
        l.groups = k.size(2);
        l.w = k.permute({2, 3, 0, 1}).reshape({k.size(2) * k.size(3), 1, l.kh, l.kw}).contiguous();
      }
      if (l.use_bias) l.b = Param(l, "bias", {l.w.size(0)});
    } else if (l.kind == Kind::kDense) {
      auto it = l.raw.find("kernel");
      if (it == l.raw.end() || it->second.dim() != 2) throw ModelError("layer " + l.name + ": kernel is missing");
      l.w = it->second.t().contiguous();
      if (l.use_bias) l.b = Param(l, "bias", {l.w.size(0)});
    } else if (l.kind == Kind::kBatchNorm) {
      auto it = l.raw.find("moving_mean");
      if (it == l.raw.end()) throw ModelError("layer " + l.name + ": moving_mean is missing");
      const int64_t c = it->second.numel();
      const torch::Tensor mean = Param(l, "moving_mean", {c}), var = Param(l, "moving_variance", {c});
      const torch::Tensor gamma = l.bn_scale ? Param(l, "gamma", {c}) : torch::ones({c});
      const torch::Tensor beta = l.bn_center ? Param(l, "beta", {c}) : torch::zeros({c});
      l.w = gamma * torch::rsqrt(var + l.eps);
      l.b = beta - mean * l.w;
    } else if (!l.raw.empty()) {
      throw ModelError("layer " + l.name + " (" + l.cls + ") has weights but takes none");
    }
    l.raw.clear();
  }
  for (Layer& bn : layers_) {
    if (bn.kind != Kind::kBatchNorm) continue;
    Layer& conv = layers_[static_cast<size_t>(bn.in[0])];
    if ((conv.kind != Kind::kConv && conv.kind != Kind::kDepthwise) || conv.consumers != 1 || conv.act != Act::kLinear)
      continue;
    if (bn.w.numel() != conv.w.size(0)) throw ModelError("layer " + bn.name + ": channel count mismatch");
    conv.b = (conv.b.defined() ? conv.b * bn.w : torch::zeros_like(bn.w)) + bn.b;
    conv.w = (conv.w * bn.w.view({-1, 1, 1, 1})).contiguous();
    bn.kind = Kind::kIdentity;
  }
  const Layer& head = layers_[static_cast<size_t>(emb_layer_)];
  emb_dim_ = static_cast<int>(head.w.size(1));
  const Layer& out = layers_[static_cast<size_t>(output_)];
  if (out.kind != Kind::kDense || out.act != Act::kSoftmax)
    throw ModelError("the output layer " + out.name + " is not a softmax Dense layer");
  num_classes_ = static_cast<int>(out.w.size(0));
}

torch::Tensor KerasModel::Spatial(const Layer& l, const torch::Tensor& x) const {
  torch::Tensor in = x;
  int64_t ph = 0, pw = 0;
  if (l.same) {
    const auto [t, b] = SamePad(x.size(2), l.kh, l.sh, l.dh);
    const auto [lf, r] = SamePad(x.size(3), l.kw, l.sw, l.dw);
    if (t == b && lf == r) {
      ph = t, pw = lf;
    } else if (l.kind == Kind::kConv || l.kind == Kind::kDepthwise) {
      in = torch::constant_pad_nd(x, {lf, r, t, b}, 0);
    } else {
      throw ModelError("layer " + l.name + ": asymmetric 'same' pooling is not supported");
    }
  }
  switch (l.kind) {
    case Kind::kConv:
    case Kind::kDepthwise:
      return torch::conv2d(in, l.w, l.b, {l.sh, l.sw}, {ph, pw}, {l.dh, l.dw}, l.groups);
    case Kind::kAvgPool:
      return torch::avg_pool2d(in, {l.kh, l.kw}, {l.sh, l.sw}, {ph, pw}, false, /*count_include_pad=*/false);
    default:
      return torch::max_pool2d(in, {l.kh, l.kw}, {l.sh, l.sw}, {ph, pw});
  }
}

std::pair<torch::Tensor, torch::Tensor> KerasModel::Forward(const torch::Tensor& images) const {
  std::vector<torch::Tensor> out(layers_.size());
  std::vector<int> left(layers_.size());
  for (size_t i = 0; i < layers_.size(); ++i) left[i] = layers_[i].consumers;
  torch::Tensor features;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    torch::Tensor x = l.in.empty() ? images : out[static_cast<size_t>(l.in[0])];
    // In-place ops only on a tensor nobody else reads.
    const bool own = !l.in.empty() && left[static_cast<size_t>(l.in[0])] == 1 && l.kind != Kind::kInput;
    if (static_cast<int>(i) == emb_layer_) features = x;
    torch::Tensor y;
    switch (l.kind) {
      case Kind::kInput: y = images; break;
      case Kind::kIdentity: y = x; break;
      case Kind::kZeroPad: y = torch::constant_pad_nd(x, {l.pad_l, l.pad_r, l.pad_t, l.pad_b}, 0); break;
      case Kind::kConv:
      case Kind::kDepthwise:
      case Kind::kAvgPool:
      case Kind::kMaxPool: y = Activate(Spatial(l, x), l.act); break;
      case Kind::kBatchNorm: {
        const auto s = l.w.view({1, -1, 1, 1}), b = l.b.view({1, -1, 1, 1});
        y = own ? x.mul_(s).add_(b) : x * s + b;
        break;
      }
      case Kind::kReLU:
        if (l.relu_slope == 0 && l.relu_threshold == 0) {
          y = l.relu_max >= 0 ? (own ? x.clamp_(0, l.relu_max) : x.clamp(0, l.relu_max))
                              : (own ? x.clamp_min_(0) : x.clamp_min(0));
        } else {  // Keras: x >= max -> max; threshold <= x < max -> x; else slope * (x - threshold)
          y = torch::where(x >= l.relu_threshold, x, (x - l.relu_threshold) * l.relu_slope);
          if (l.relu_max >= 0) y = y.clamp_max(l.relu_max);
        }
        break;
      case Kind::kActivation: y = Activate(own ? x : x.clone(), l.act); break;
      case Kind::kAdd:
        y = x + out[static_cast<size_t>(l.in[1])];
        for (size_t k = 2; k < l.in.size(); ++k) y.add_(out[static_cast<size_t>(l.in[k])]);
        break;
      case Kind::kGlobalAvgPool: y = x.mean({2, 3}); break;
      case Kind::kFlatten: y = x.dim() == 4 ? x.permute({0, 2, 3, 1}).reshape({x.size(0), -1}) : x.reshape({x.size(0), -1}); break;
      case Kind::kDense: y = Activate(torch::linear(x, l.w, l.b), l.act); break;
    }
    for (int s : l.in)
      if (--left[static_cast<size_t>(s)] == 0) out[static_cast<size_t>(s)] = torch::Tensor();
    out[i] = std::move(y);
  }
  return {out[static_cast<size_t>(output_)], features};
}

// nsfwjs's preprocessing: pixel / 255 (float32), then tf.image.resizeBilinear(..., alignCorners=true)
// to size x size unless the image already has that size. Writes NCHW RGB.
void Preprocess(const uint8_t* img, int h, int w, int row_bytes, bool bgr, int size, float* dst) {
  const bool resize = h != size || w != size;
  const double ry = resize && size > 1 ? double(h - 1) / (size - 1) : double(h) / size;
  const double rx = resize && size > 1 ? double(w - 1) / (size - 1) : double(w) / size;
  std::vector<int> x0(static_cast<size_t>(size)), x1(static_cast<size_t>(size));
  std::vector<double> fx(static_cast<size_t>(size));
  for (int c = 0; c < size; ++c) {
    const double sx = rx * c;
    x0[c] = std::max(0, static_cast<int>(std::floor(sx)));
    x1[c] = std::min(w - 1, static_cast<int>(std::ceil(sx)));
    fx[c] = sx - x0[c];
  }
  const size_t plane = static_cast<size_t>(size) * size;
  for (int r = 0; r < size; ++r) {
    const double sy = ry * r;
    const int y0 = std::max(0, static_cast<int>(std::floor(sy)));
    const int y1 = std::min(h - 1, static_cast<int>(std::ceil(sy)));
    const double fy = sy - y0;
    const uint8_t* top = img + static_cast<size_t>(y0) * row_bytes;
    const uint8_t* bot = img + static_cast<size_t>(y1) * row_bytes;
    for (int c = 0; c < size; ++c)
      for (int ch = 0; ch < 3; ++ch) {
        const int sc = bgr ? 2 - ch : ch;
        auto v = [](uint8_t q) { return static_cast<double>(static_cast<float>(q / 255.0)); };
        const double tl = v(top[x0[c] * 3 + sc]), tr = v(top[x1[c] * 3 + sc]);
        const double bl = v(bot[x0[c] * 3 + sc]), br = v(bot[x1[c] * 3 + sc]);
        const double t = tl + (tr - tl) * fx[c], b = bl + (br - bl) * fx[c];
        dst[ch * plane + static_cast<size_t>(r) * size + c] = static_cast<float>(t + (b - t) * fy);
      }
  }
}

void SetError(char* err, int errlen, const std::string& msg) {
  if (err == nullptr || errlen <= 0) return;
  const size_t n = std::min(msg.size(), static_cast<size_t>(errlen - 1));
  std::memcpy(err, msg.data(), n);
  err[n] = '\0';
}

}  // namespace
}  // namespace juicer::nsfw

using juicer::nsfw::KerasModel;

extern "C" __attribute__((visibility("default"))) void* juicer_nsfw_open(const char* model_dir, char* err, int errlen) {
  try {
    return new KerasModel(model_dir);
  } catch (const std::exception& e) {
    juicer::nsfw::SetError(err, errlen, e.what());
    return nullptr;
  }
}

extern "C" __attribute__((visibility("default"))) void juicer_nsfw_close(void* handle) {
  delete static_cast<KerasModel*>(handle);
}

extern "C" __attribute__((visibility("default"))) void juicer_nsfw_info(void* handle, int* num_classes, int* emb_dim,
                                                                       int* input_size) {
  const auto* m = static_cast<const KerasModel*>(handle);
  if (num_classes != nullptr) *num_classes = m->num_classes();
  if (emb_dim != nullptr) *emb_dim = m->embedding_dim();
  if (input_size != nullptr) *input_size = m->input_size();
}

extern "C" __attribute__((visibility("default"))) int juicer_nsfw_run(void* handle, const uint8_t* const* images,
                                                                     const int* heights, const int* widths,
                                                                     const int* row_bytes, int n, int bgr, float* probs,
                                                                     float* emb, char* err, int errlen) {
  try {
    // One intra-op thread on each calling thread (ops run on several worker threads already).
    thread_local bool single = false;
    if (!single) {
      at::set_num_threads(1);
      single = true;
    }
    const auto* m = static_cast<const KerasModel*>(handle);
    if (n <= 0) return 0;
    const int s = m->input_size();
    torch::Tensor x = torch::empty({n, 3, s, s}, torch::kFloat32);
    for (int i = 0; i < n; ++i) {
      if (heights[i] <= 0 || widths[i] <= 0 || row_bytes[i] < 3 * widths[i])
        throw juicer::nsfw::ModelError("image " + std::to_string(i) + " has a bad size");
      juicer::nsfw::Preprocess(images[i], heights[i], widths[i], row_bytes[i], bgr != 0, s,
                               x.data_ptr<float>() + static_cast<size_t>(i) * 3 * s * s);
    }
    c10::InferenceMode guard;
    auto [p, f] = m->Forward(x);
    p = p.contiguous();
    std::memcpy(probs, p.data_ptr<float>(), sizeof(float) * static_cast<size_t>(p.numel()));
    if (emb != nullptr) {
      f = f.contiguous();
      std::memcpy(emb, f.data_ptr<float>(), sizeof(float) * static_cast<size_t>(f.numel()));
    }
    return 0;
  } catch (const std::exception& e) {
    juicer::nsfw::SetError(err, errlen, std::string("NSFW model: ") + e.what());
    return 1;
  }
}
