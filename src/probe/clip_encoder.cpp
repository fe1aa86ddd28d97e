// ClipEncoder, `juicer encode` and the trainer's embedding check (libtorch).
#include "probe/clip_encoder.h"

#include <cmath>

#include "core/dataset_writer.h"
#include "probe/probe.h"
#include "probe/task_nets.h"

namespace juicer::probe {

torch::Tensor ImageEmbeddings(ClipNet& net, const torch::Tensor& pixels, int batch) {
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < pixels.size(0); i += batch) parts.push_back(net->EncodeImage(pixels.slice(0, i, i + batch)));
  return parts.empty() ? torch::zeros({0, net->image_proj->options.out_features()}) : torch::cat(parts);
}

torch::Tensor TextEmbeddings(ClipNet& net, const TokenRows& rows, int batch) {
  auto ids = torch::from_blob(const_cast<int64_t*>(rows.ids.data()), {rows.rows, rows.cols}, torch::kLong);
  auto eot = torch::from_blob(const_cast<int64_t*>(rows.eot.data()), {rows.rows}, torch::kLong);
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < rows.rows; i += batch) {
    auto e = eot.slice(0, i, i + batch);
    const int64_t len = e.max().item<int64_t>() + 1;
    parts.push_back(net->EncodeText(ids.slice(0, i, i + batch).slice(1, 0, len), e));
  }
  return parts.empty() ? torch::zeros({0, net->text_proj->options.out_features()}) : torch::cat(parts);
}

namespace {

std::vector<float> ToVector(const torch::Tensor& t) {
  auto c = t.contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

class TorchClipEncoder final : public ClipEncoder {
 public:
  explicit TorchClipEncoder(LoadedModel m) : m_(std::move(m)) {
    torch::NoGradGuard no_grad;
    temperature_ = m_.net.clip->logit_scale.clamp_max(std::log(100.0)).exp().item<float>();
  }
  int image_res() const override { return m_.cfg.image_res; }
  int dim() const override { return m_.cfg.embed_dim; }
  float temperature() const override { return temperature_; }
  std::vector<float> EncodeImages(const uint8_t* pixels, size_t n) const override {
    torch::NoGradGuard no_grad;
    auto px = torch::from_blob(const_cast<uint8_t*>(pixels),
                               {static_cast<int64_t>(n), m_.cfg.image_res, m_.cfg.image_res, 3}, torch::kUInt8);
    return ToVector(ImageEmbeddings(const_cast<ClipNet&>(m_.net.clip), px, m_.cfg.eval_batch));
  }
  std::vector<float> EncodeTexts(const std::vector<std::string>& texts) const override {
    torch::NoGradGuard no_grad;
    std::vector<std::string> clean;
    clean.reserve(texts.size());
    for (const auto& t : texts) clean.push_back(StripSpecialTokens(t));
    return ToVector(TextEmbeddings(const_cast<ClipNet&>(m_.net.clip), EncodeCaptions(*m_.tok, clean, m_.cfg.ctx),
                                   m_.cfg.eval_batch));
  }

 private:
  LoadedModel m_;
  float temperature_ = 0;
};

Status WriteEmbeddings(const std::vector<float>& img, const std::vector<float>& txt, int n, int dim,
                       const std::string& path) {
  const int32_t hdr[2] = {n, dim};
  std::string bytes(reinterpret_cast<const char*>(hdr), sizeof hdr);
  bytes.append(reinterpret_cast<const char*>(img.data()), img.size() * sizeof(float));
  bytes.append(reinterpret_cast<const char*>(txt.data()), txt.size() * sizeof(float));
  return WriteFileAtomic(path, bytes);
}

}  // namespace

Result<std::unique_ptr<ClipEncoder>> ClipEncoder::Load(const std::string& model_dir, int threads) {
  JUICER_ASSIGN_OR_RETURN(LoadedModel m, LoadModel(model_dir, threads));
  if (m.cfg.task != "clip")
    return Status::InvalidArgument("'" + model_dir + "' is a " + m.cfg.task + " model; a clip model is needed");
  return std::unique_ptr<ClipEncoder>(std::make_unique<TorchClipEncoder>(std::move(m)));
}

Status WriteClipEmbeddings(TaskNet& net, const torch::Tensor& pixels, const torch::Tensor& tokens,
                           const torch::Tensor& eot, int eval_batch, const std::string& path) {
  torch::NoGradGuard no_grad;
  net.module->eval();
  TokenRows rows;
  rows.rows = tokens.size(0);
  rows.cols = tokens.size(1);
  auto tc = tokens.contiguous();
  rows.ids.assign(tc.data_ptr<int64_t>(), tc.data_ptr<int64_t>() + tc.numel());
  auto ec = eot.contiguous();
  rows.eot.assign(ec.data_ptr<int64_t>(), ec.data_ptr<int64_t>() + ec.numel());
  auto img = ImageEmbeddings(net.clip, pixels, eval_batch);
  return WriteEmbeddings(ToVector(img), ToVector(TextEmbeddings(net.clip, rows, eval_batch)),
                         static_cast<int>(img.size(0)), static_cast<int>(img.size(1)), path);
}

Status EncodeClip(const std::string& model, const std::string& data, size_t limit, const std::string& out,
                  int threads) {
  JUICER_ASSIGN_OR_RETURN(auto enc, ClipEncoder::Load(model, threads));
  JUICER_ASSIGN_OR_RETURN(auto records, ReadProbeRecords(data, true, limit));
  std::vector<uint8_t> pixels;
  JUICER_ASSIGN_OR_RETURN(ImageLoadStats st, LoadImages(records, enc->image_res(), 1, &pixels, false));
  if (!st.failed.empty()) return Status::DataError(st.failed.front().second);
  std::vector<std::string> texts;
  for (const auto& r : records) texts.push_back(r.text);
  return WriteEmbeddings(enc->EncodeImages(pixels.data(), records.size()), enc->EncodeTexts(texts),
                         static_cast<int>(records.size()), enc->dim(), out);
}

}  // namespace juicer::probe
