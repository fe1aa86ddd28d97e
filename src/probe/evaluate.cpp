// EvalProbe and the clip encoder export (libtorch).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>

#include "core/dataset_writer.h"
#include "core/json_text.h"
#include "probe/caption_metrics.h"
#include "probe/json_num.h"
#include "probe/probe.h"
#include "probe/task_nets.h"

namespace juicer::probe {

namespace fs = std::filesystem;

namespace {

}  // namespace

Result<LoadedModel> LoadModel(const std::string& dir, int threads) {
  LoadedModel m;
  if (!fs::exists(dir + "/model.pt"))
    return Status::NotFound("'" + dir + "' is not a trained model directory (no model.pt; run `juicer train` first)");
  JUICER_ASSIGN_OR_RETURN(m.cfg, ReadConfigJson(dir + "/config.json"));
  JUICER_ASSIGN_OR_RETURN(m.tok, LoadTokenizer(dir + "/tokenizer"));
  if (threads > 0) m.cfg.threads = threads;
  torch::set_num_threads(m.cfg.threads);
  m.net = MakeTaskNet(m.cfg, m.tok->VocabSize(), m.tok->Pad());
  try {
    LoadTaskNet(m.net, dir + "/model.pt");
  } catch (const c10::Error& e) {
    return Status::DataError("cannot load '" + dir + "/model.pt': " + e.what_without_backtrace());
  }
  m.net.module->eval();
  if (m.cfg.task == "caption" && m.cfg.retrieval > 0) {
    JUICER_ASSIGN_OR_RETURN(m.store, LoadRetrievalStore(dir));
  }
  return m;
}

namespace {

const std::vector<std::string>& PromptTemplates() {
  static const std::vector<std::string> t = {"a photo of a {}.", "a picture of a {}.", "a drawing of a {}.",
                                             "an icon of a {}.", "{}", "a {} emoji."};
  return t;
}

// Class names per task: eval_zeroshot_classes.json beside the data file, else the labels seen.
std::map<std::string, std::vector<std::string>> ClassLists(const std::string& data,
                                                           const std::vector<ProbeRecord>& recs) {
  std::map<std::string, std::vector<std::string>> out;
  const fs::path file = fs::path(data).parent_path() / "eval_zeroshot_classes.json";
  if (fs::is_regular_file(data) && fs::exists(file)) {
    try {
      YAML::Node root = YAML::LoadFile(file.string());
      for (const auto& kv : root) out[kv.first.as<std::string>()] = kv.second.as<std::vector<std::string>>();
    } catch (const YAML::Exception&) {
      out.clear();
    }
  }
  std::map<std::string, std::set<std::string>> seen;
  for (const auto& r : recs) seen[r.task].insert(r.label);
  for (const auto& [task, labels] : seen) {
    auto& list = out[task];
    for (const auto& l : labels)
      if (std::find(list.begin(), list.end(), l) == list.end()) list.push_back(l);
  }
  return out;
}

std::string ZeroShot(LoadedModel& m, const std::string& data, const PreparedData& d, const torch::Tensor& img) {
  auto classes = ClassLists(data, d.records);
  std::string j = "{";
  double acc_sum = 0, chance_sum = 0;
  int tasks = 0;
  for (const auto& [task, names] : classes) {
    std::vector<std::string> prompts;
    for (const auto& c : names)
      for (const auto& t : PromptTemplates()) prompts.push_back(t.substr(0, t.find("{}")) + c + t.substr(t.find("{}") + 2));
    auto te = TextEmbeddings(m.net.clip, EncodeCaptions(*m.tok, prompts, m.cfg.ctx), m.cfg.eval_batch);
    te = te.view({static_cast<int64_t>(names.size()), static_cast<int64_t>(PromptTemplates().size()), -1}).mean(1);
    te = torch::nn::functional::normalize(te, torch::nn::functional::NormalizeFuncOptions().dim(1));
    int64_t n = 0, correct = 0;
    for (size_t i = 0; i < d.records.size(); ++i) {
      if (d.records[i].task != task) continue;
      const auto it = std::find(names.begin(), names.end(), d.records[i].label);
      const int64_t truth = it - names.begin();
      const int64_t pred = img[static_cast<int64_t>(i)].matmul(te.t()).argmax().item<int64_t>();
      ++n;
      correct += pred == truth;
    }
    const double acc = n ? static_cast<double>(correct) / n : NAN, chance = 1.0 / names.size();
    j += std::string(tasks ? "," : "") + "\n      " + JsonString(task) + ": {\"accuracy\": " + JsonNum(acc) +
         ", \"chance\": " + JsonNum(chance) + ", \"classes\": " + std::to_string(names.size()) + ", \"n\": " +
         std::to_string(n) + "}";
    acc_sum += acc;
    chance_sum += chance;
    ++tasks;
  }
  return "{\"zeroshot_mean_accuracy\": " + JsonNum(acc_sum / tasks) + ", \"zeroshot_mean_chance\": " +
         JsonNum(chance_sum / tasks) + ", \"n\": " + std::to_string(d.records.size()) + ",\n    \"tasks\": " + j +
         "\n    }}";
}

std::string Retrieval(LoadedModel& m, const PreparedData& d, const torch::Tensor& img) {
  std::vector<std::string> texts;
  for (const auto& r : d.records) texts.push_back(r.text);
  auto txt = TextEmbeddings(m.net.clip, EncodeCaptions(*m.tok, texts, m.cfg.ctx), m.cfg.eval_batch);
  const int n = static_cast<int>(texts.size());
  auto sim = img.matmul(txt.t()).contiguous();
  std::vector<float> i2t(sim.data_ptr<float>(), sim.data_ptr<float>() + static_cast<size_t>(n) * n);
  auto simt = sim.t().contiguous();
  std::vector<float> t2i(simt.data_ptr<float>(), simt.data_ptr<float>() + static_cast<size_t>(n) * n);
  std::string j = "{\"n\": " + std::to_string(n);
  double rsum = 0;
  for (int k : {1, 5, 10}) {
    const double a = RecallAtK(i2t, n, k), b = RecallAtK(t2i, n, k);
    rsum += a + b;
    j += ", \"i2t_R@" + std::to_string(k) + "\": " + JsonNum(a) + ", \"t2i_R@" + std::to_string(k) +
         "\": " + JsonNum(b) + ", \"chance_R@" + std::to_string(k) + "\": " + JsonNum(std::min(1.0, double(k) / n));
  }
  // The mean of the six recalls (RSUM / 6): one number that moves less between seeds than any single R@k.
  return j + ", \"mean_R\": " + JsonNum(rsum / 6) + "}";
}

// Beam search (beam_size 1 = greedy): each image keeps the beam_size best partial captions by summed
// log-probability; finished beams (EOS) carry on with padding; the winner has the best score divided by
// its length^0.7 (length normalisation, as in most captioning work).
std::vector<std::string> DecodeCaptions(LoadedModel& m, const torch::Tensor& pixels, const torch::Tensor& retrieved) {
  auto& net = m.net.caption;
  const int max_new = std::min(m.cfg.max_new_tokens, m.cfg.ctx - 1);
  const int64_t k = std::max(1, m.cfg.beam_size);
  const int64_t pad = m.tok->Pad(), eos = m.tok->Eos();
  std::vector<std::string> out;
  for (int64_t i = 0; i < pixels.size(0); i += m.cfg.eval_batch) {
    auto px = pixels.slice(0, i, i + m.cfg.eval_batch);
    const int64_t b = px.size(0);
    auto ret = retrieved.defined() ? retrieved.slice(0, i, i + m.cfg.eval_batch) : torch::Tensor();
    auto prefix1 = net->Prefix(px, ret);
    auto prefix_pad = net->PrefixPad(prefix1, ret);
    auto prefix = prefix1.repeat_interleave(k, 0);                               // [B*k, P, D]
    auto ret_k = ret.defined() ? ret.repeat_interleave(k, 0) : torch::Tensor();
    if (prefix_pad.defined()) prefix_pad = prefix_pad.repeat_interleave(k, 0);
    auto tokens = torch::full({b * k, 1}, m.tok->Bos(), torch::kLong);
    auto scores = torch::full({b, k}, -std::numeric_limits<float>::infinity());
    scores.select(1, 0).fill_(0);
    scores = scores.reshape({b * k});
    auto done = torch::zeros({b * k}, torch::kBool);
    auto length = torch::zeros({b * k}, torch::kFloat);
    for (int t = 0; t < max_new && !done.all().item<bool>(); ++t) {
      auto logp = net->LogProbs(prefix, tokens, prefix_pad, ret_k).select(1, tokens.size(1) - 1);  // [B*k, V]
      const int64_t v = logp.size(1);
      // A finished beam may only add padding, at no cost.
      auto pad_only = torch::full({v}, -std::numeric_limits<float>::infinity());
      pad_only[pad] = 0;
      logp = torch::where(done.unsqueeze(1), pad_only.unsqueeze(0).expand({b * k, v}), logp);
      auto cand = (scores.unsqueeze(1) + logp).reshape({b, k * v});
      auto [top, idx] = cand.topk(k, 1);                                           // [B, k]
      auto src = (idx.div(v, "floor") + torch::arange(b, torch::kLong).unsqueeze(1) * k).reshape({b * k});
      auto next = idx.remainder(v).reshape({b * k});
      tokens = torch::cat({tokens.index_select(0, src), next.unsqueeze(1)}, 1);
      const auto prev_done = done.index_select(0, src);
      length = length.index_select(0, src) + prev_done.logical_not().to(torch::kFloat);
      done = prev_done.logical_or(next.eq(eos)).logical_or(next.eq(pad));
      scores = top.reshape({b * k});
    }
    auto norm = (scores / length.clamp_min(1).pow(0.7)).reshape({b, k});
    auto best = norm.argmax(1);
    for (int64_t r = 0; r < b; ++r) {
      const int64_t row = r * k + best[r].item<int64_t>();
      std::vector<int> ids;
      for (int64_t t = 1; t < tokens.size(1); ++t) {
        const int64_t id = tokens[row][t].item<int64_t>();
        if (id == eos || id == pad) break;
        ids.push_back(static_cast<int>(id));
      }
      out.push_back(m.tok->Decode(ids));
    }
  }
  return out;
}

// Perplexity of token rows / windows under the model.
std::pair<double, int64_t> TotalNll(LoadedModel& m, const torch::Tensor& tokens, const torch::Tensor& eot,
                                    const torch::Tensor& pixels, const TokenRows* retrieved = nullptr) {
  double nll = 0;
  int64_t count = 0;
  DataTensors t;
  t.tokens = tokens;
  t.eot = eot;
  t.pixels = pixels;
  if (retrieved != nullptr && retrieved->rows > 0) {
    t.retrieved = torch::from_blob(const_cast<int64_t*>(retrieved->ids.data()), {retrieved->rows, retrieved->cols}, torch::kLong);
    t.retrieved_eot = torch::from_blob(const_cast<int64_t*>(retrieved->eot.data()), {retrieved->rows}, torch::kLong);
  }
  for (int64_t i = 0; i < tokens.size(0); i += m.cfg.eval_batch) {
    auto idx = torch::arange(i, std::min(i + m.cfg.eval_batch, tokens.size(0)), torch::kLong);
    auto [s, c] = BatchNll(m.net, Gather(t, idx));
    nll += s;
    count += c;
  }
  return {nll, count};
}

std::string CaptionMetrics(LoadedModel& m, PreparedData& d, const torch::Tensor& pixels) {
  TokenRows ret;
  torch::Tensor ret_t;
  if (m.cfg.retrieval > 0) {
    ret = RetrieveFor(m.store, *m.tok, d.pixels, d.records.size(), m.cfg.image_res, m.cfg.ctx, false);
    ret_t = torch::from_blob(ret.ids.data(), {ret.rows, ret.cols}, torch::kLong);
  }
  std::vector<std::string> hyps = DecodeCaptions(m, pixels, ret_t), texts;
  std::vector<std::vector<std::string>> refs;
  for (const auto& r : d.records) {
    refs.push_back(r.references);
    texts.push_back(r.text);
  }
  const auto bleu = CorpusBleu(hyps, refs);
  const double cider = CiderD(hyps, refs);
  d.captions = EncodeCaptions(*m.tok, texts, m.cfg.ctx);
  auto ids = torch::from_blob(d.captions.ids.data(), {d.captions.rows, d.captions.cols}, torch::kLong);
  auto eot = torch::from_blob(d.captions.eot.data(), {d.captions.rows}, torch::kLong);
  auto [nll, count] = TotalNll(m, ids, eot, pixels, &ret);
  std::set<std::string> distinct(hyps.begin(), hyps.end());
  std::string j = "{\"n\": " + std::to_string(hyps.size()) + ", \"BLEU-1\": " + JsonNum(bleu[0]) + ", \"BLEU-2\": " +
                  JsonNum(bleu[1]) + ", \"BLEU-3\": " + JsonNum(bleu[2]) + ", \"BLEU-4\": " + JsonNum(bleu[3]) +
                  ", \"CIDEr-D\": " + JsonNum(cider) + ", \"caption_perplexity\": " + JsonNum(std::exp(nll / count)) +
                  ", \"distinct_captions\": " + std::to_string(distinct.size()) +
                  ", \"beam_size\": " + std::to_string(m.cfg.beam_size) + ",\n      \"samples\": [";
  for (size_t i = 0; i < std::min<size_t>(12, hyps.size()); ++i) {
    j += std::string(i ? "," : "") + "\n        {\"image\": " + JsonString(d.records[i].image_path) +
         ", \"reference\": " + JsonString(refs[i][0]) + ", \"generated\": " + JsonString(hyps[i]) + "}";
  }
  return j + "]}";
}

std::string LmMetrics(LoadedModel& m, const PreparedData& d) {
  std::vector<std::string> texts;
  for (const auto& r : d.records) texts.push_back(r.text);
  LmWindows w = MakeLmWindows(*m.tok, texts, m.cfg.ctx);
  auto ids = torch::from_blob(w.ids.data(), {w.rows, w.cols}, torch::kLong);
  auto [nll, count] = TotalNll(m, ids, {}, {});
  return "{\"n\": " + std::to_string(texts.size()) + ", \"tokens\": " + std::to_string(count) + ", \"bytes\": " +
         std::to_string(w.bytes) + ", \"perplexity\": " + JsonNum(std::exp(nll / count)) + ", \"bits_per_byte\": " +
         JsonNum(nll / std::log(2.0) / w.bytes) + ", \"nll_per_token\": " + JsonNum(nll / count) + "}";
}

}  // namespace

Result<std::string> EvalProbe(const EvalOptions& opt) {
  JUICER_ASSIGN_OR_RETURN(LoadedModel m, LoadModel(opt.model, opt.threads));
  for (const auto& [key, value] : opt.overrides) {
    if (key != "beam_size" && key != "max_new_tokens" && key != "eval_batch")
      return Status::InvalidArgument("eval --set " + key + ": only beam_size, max_new_tokens and eval_batch can be "
                                     "changed at evaluation time");
    JUICER_RETURN_IF_ERROR(SetConfigKey(&m.cfg, key, value));
  }
  if (!opt.task.empty() && opt.task != m.cfg.task)
    return Status::InvalidArgument("--task " + opt.task + " but '" + opt.model + "' is a " + m.cfg.task + " model");
  if (opt.data.empty()) return Status::InvalidArgument("eval needs at least one --data set");
  torch::NoGradGuard no_grad;
  std::string j = "{\n  \"task\": \"" + m.cfg.task + "\", \"size\": \"" + m.cfg.size + "\", \"model\": " +
                  JsonString(opt.model);
  for (const auto& data : opt.data) {
    JUICER_ASSIGN_OR_RETURN(PreparedData d, PrepareData(m.cfg, data, nullptr, false));
    std::string section;
    if (m.cfg.task == "lm") {
      section = LmMetrics(m, d);
    } else {
      const int64_t n = static_cast<int64_t>(d.records.size());
      auto pixels = torch::from_blob(d.pixels.data(), {n, m.cfg.image_res, m.cfg.image_res, 3}, torch::kUInt8);
      if (m.cfg.task == "caption") {
        section = CaptionMetrics(m, d, pixels);
      } else {
        auto img = ImageEmbeddings(m.net.clip, pixels, m.cfg.eval_batch);
        const bool zeroshot = std::all_of(d.records.begin(), d.records.end(),
                                          [](const ProbeRecord& r) { return !r.task.empty() && !r.label.empty(); });
        section = zeroshot ? ZeroShot(m, data, d, img) : Retrieval(m, d, img);
      }
    }
    if (d.skipped) section.insert(1, "\"skipped_samples\": " + std::to_string(d.skipped) + ", ");
    j += ",\n  " + JsonString(fs::path(data).stem().string()) + ": " + section;
  }
  j += "\n}\n";
  const std::string out = opt.out.empty() ? opt.model + "/metrics.json" : opt.out;
  JUICER_RETURN_IF_ERROR(WriteFileAtomic(out, j));
  return j;
}

}  // namespace juicer::probe
