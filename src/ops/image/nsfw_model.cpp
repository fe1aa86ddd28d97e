#include "ops/image/nsfw_model.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

#include "core/assets.h"
#include "core/torch_module.h"
#include "ops/image/nsfw_api.h"

namespace juicer::image_ops {

std::string NsfwModel::DefaultDir() { return DefaultModelsDir() + "/nsfw_mobilenet_v2"; }

Result<std::shared_ptr<const NsfwModel>> NsfwModel::Open(const std::string& dir_in) {
  const std::string dir = dir_in.empty() ? DefaultDir() : dir_in;
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const NsfwModel>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded.find(dir); it != loaded.end()) return it->second;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir + "/model.json", ec))
    return Status::Unavailable("the NSFW model (nsfwjs's MobileNetV2) is not installed: no " + dir +
                               "/model.json; run scripts/setup.sh (it fetches the npm package nsfwjs@4.4.0 and "
                               "unpacks the model with node) or pass model_path");
  JUICER_ASSIGN_OR_RETURN(void* open, TorchModuleSymbol(kJuicerNsfwOpen));
  JUICER_ASSIGN_OR_RETURN(void* info, TorchModuleSymbol(kJuicerNsfwInfo));
  JUICER_ASSIGN_OR_RETURN(void* run, TorchModuleSymbol(kJuicerNsfwRun));
  JUICER_ASSIGN_OR_RETURN(void* close, TorchModuleSymbol(kJuicerNsfwClose));
  char err[512] = {0};
  void* handle = reinterpret_cast<JuicerNsfwOpenFn>(open)(dir.c_str(), err, sizeof err);
  if (handle == nullptr) return Status::Unavailable("cannot load the NSFW model in " + dir + ": " + err);
  std::shared_ptr<NsfwModel> m(new NsfwModel());
  m->dir_ = dir;
  m->handle_ = handle;
  m->run_ = run;
  m->close_ = close;
  reinterpret_cast<JuicerNsfwInfoFn>(info)(handle, &m->classes_, &m->emb_dim_, &m->input_size_);
  if (m->classes_ != 5)
    return Status::Unavailable("the model in " + dir + " has " + std::to_string(m->classes_) +
                               " classes; the NSFW ops expect nsfwjs's 5 (Drawing, Hentai, Neutral, Porn, Sexy)");
  loaded.emplace(dir, m);
  return std::shared_ptr<const NsfwModel>(m);
}

NsfwModel::~NsfwModel() {
  if (handle_ != nullptr) reinterpret_cast<JuicerNsfwCloseFn>(close_)(handle_);
}

Status NsfwModel::Run(const std::vector<const cv::Mat*>& images, std::vector<float>* probs, std::vector<float>* emb,
                      int batch) const {
  const size_t n = images.size();
  probs->assign(n * static_cast<size_t>(classes_), 0.0f);
  if (emb != nullptr) emb->assign(n * static_cast<size_t>(emb_dim_), 0.0f);
  const auto run = reinterpret_cast<JuicerNsfwRunFn>(run_);
  for (size_t start = 0; start < n; start += static_cast<size_t>(batch)) {
    const int count = static_cast<int>(std::min(n - start, static_cast<size_t>(batch)));
    std::vector<const uint8_t*> px(static_cast<size_t>(count));
    std::vector<int> h(px.size()), w(px.size()), step(px.size());
    for (size_t i = 0; i < px.size(); ++i) {
      const cv::Mat& m = *images[start + i];
      if (m.type() != CV_8UC3 || m.empty()) return Status::DataError("the NSFW model needs a 3-channel 8-bit image");
      px[i] = m.ptr<uint8_t>(0);
      h[i] = m.rows;
      w[i] = m.cols;
      step[i] = static_cast<int>(m.step[0]);
    }
    char err[512] = {0};
    if (run(handle_, px.data(), h.data(), w.data(), step.data(), count, /*bgr=*/1,
            probs->data() + start * static_cast<size_t>(classes_),
            emb != nullptr ? emb->data() + start * static_cast<size_t>(emb_dim_) : nullptr, err, sizeof err) != 0)
      return Status::DataError(err);
  }
  return Status::OK();
}

}  // namespace juicer::image_ops
