// TrainProbe: the training loop shared by the three tasks (libtorch).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

#include "analysis/line_chart.h"
#include "core/dataset_writer.h"
#include "core/json_text.h"
#include "probe/json_num.h"
#include "probe/probe.h"
#include "probe/task_nets.h"

namespace juicer::probe {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

// Sample order: an endless stream of epochs, each a permutation of the pool seeded by (seed, epoch).
class BatchOrder {
 public:
  BatchOrder(int64_t n, uint64_t seed) : n_(n), seed_(seed) {}
  std::vector<int64_t> Batch(int64_t step, int batch) {
    std::vector<int64_t> idx(batch);
    for (int j = 0; j < batch; ++j) {
      const int64_t p = step * batch + j, epoch = p / n_;
      idx[j] = Perm(epoch)[p % n_];
    }
    return idx;
  }

 private:
  const std::vector<int64_t>& Perm(int64_t epoch) {
    auto it = cache_.find(epoch);
    if (it != cache_.end()) return it->second;
    if (cache_.size() > 2) cache_.erase(cache_.begin());
    std::vector<int64_t> p(n_);
    std::iota(p.begin(), p.end(), 0);
    std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(epoch) + 1);
    std::shuffle(p.begin(), p.end(), rng);
    return cache_[epoch] = std::move(p);
  }
  int64_t n_;
  uint64_t seed_;
  std::map<int64_t, std::vector<int64_t>> cache_;
};

double LearningRate(const ProbeConfig& c, int64_t step) {
  if (step < c.warmup_steps) return c.lr * static_cast<double>(step + 1) / c.warmup_steps;
  const double span = std::max<int64_t>(1, c.steps - c.warmup_steps);
  const double t = std::min(1.0, static_cast<double>(step - c.warmup_steps) / span);
  return c.lr * (0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI * t)));
}

std::unique_ptr<torch::optim::AdamW> MakeOptimizer(TaskNet& net, const ProbeConfig& c) {
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : net.module->named_parameters()) (p.value().dim() >= 2 ? decay : no_decay).push_back(p.value());
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                 torch::optim::AdamWOptions(c.lr).weight_decay(c.weight_decay)));
  groups.emplace_back(no_decay,
                      std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(c.lr).weight_decay(0)));
  return std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(c.lr));
}

struct CurveRow {
  int64_t step;
  double loss, lr, elapsed;
};

std::string CurveCsv(const std::vector<CurveRow>& rows, int batch) {
  std::string s = "step,samples,loss,lr,elapsed_s\n";
  char b[160];
  for (const auto& r : rows) {
    std::snprintf(b, sizeof b, "%lld,%lld,%.6f,%.6g,%.3f\n", static_cast<long long>(r.step),
                  static_cast<long long>(r.step) * batch, r.loss, r.lr, r.elapsed);
    s += b;
  }
  return s;
}

std::vector<CurveRow> ParseCurve(const std::string& csv) {
  std::vector<CurveRow> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    CurveRow r{};
    long long step = 0, samples = 0;
    if (std::sscanf(line.c_str(), "%lld,%lld,%lf,%lf,%lf", &step, &samples, &r.loss, &r.lr, &r.elapsed) == 5) {
      r.step = step;
      rows.push_back(r);
    }
  }
  return rows;
}

Status SaveCheckpoint(TaskNet& net, torch::optim::AdamW& opt, const std::string& out, int64_t step,
                      const std::vector<CurveRow>& curve, int batch) {
  const std::string tmp = out + "/checkpoint.tmp", dir = out + "/checkpoint";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  try {
    SaveTaskNet(net, tmp + "/model.pt");
    torch::save(opt, tmp + "/optim.pt");
  } catch (const c10::Error& e) {
    return Status::IOError("cannot write checkpoint in '" + tmp + "': " + e.what_without_backtrace());
  }
  JUICER_RETURN_IF_ERROR(WriteFileAtomic(tmp + "/curve.csv", CurveCsv(curve, batch)));
  JUICER_RETURN_IF_ERROR(WriteFileAtomic(tmp + "/step", std::to_string(step) + "\n"));
  fs::remove_all(dir, ec);
  fs::rename(tmp, dir, ec);
  if (ec) return Status::IOError("cannot move checkpoint to '" + dir + "': " + ec.message());
  return Status::OK();
}

// Embeddings of the first training samples by the exported encoders, for the export test.
Status WriteClipEmbeddingsCheck(TaskNet& net, const DataTensors& t, int eval_batch, const std::string& path) {
  const int64_t n = std::min<int64_t>(64, t.rows);
  return WriteClipEmbeddings(net, t.pixels.slice(0, 0, n), t.tokens.slice(0, 0, n), t.eot.slice(0, 0, n), eval_batch,
                             path);
}

}  // namespace

Status TrainProbe(const TrainOptions& opt) {
  ProbeConfig cfg = opt.cfg;
  const auto t_start = Clock::now();
  torch::set_num_threads(cfg.threads);
  std::error_code ec;
  fs::create_directories(opt.out, ec);
  if (ec) return Status::IOError("cannot create model directory '" + opt.out + "': " + ec.message());
  const bool resuming = opt.resume && fs::exists(opt.out + "/checkpoint/step");

  if (!resuming && cfg.tokenizer == "clip_bpe") {  // fail before the (long) data preparation
    const std::string bpe = cfg.bpe_path.empty() ? FindClipBpe() : cfg.bpe_path;
    if (bpe.empty() || !fs::exists(bpe))
      return Status::NotFound("tokenizer clip_bpe: CLIP's merges file " + (bpe.empty() ? std::string("was not found") : "'" + bpe + "' does not exist") +
                              "; pass --set bpe_path=PATH to clip_bpe_simple_vocab_16e6.txt.gz (shared/models/), set "
                              "JUICER_CLIP_BPE, or use --set tokenizer=sentencepiece");
  }
  JUICER_ASSIGN_OR_RETURN(PreparedData data, PrepareData(cfg, opt.data, nullptr, opt.progress));
  std::vector<std::string> texts;
  for (const auto& r : data.records) texts.push_back(r.text);
  std::unique_ptr<Tokenizer> tok;
  if (resuming) {
    JUICER_ASSIGN_OR_RETURN(tok, LoadTokenizer(opt.out + "/tokenizer"));
    cfg.tokenizer = tok->Kind();
  } else {
    std::string kind;
    JUICER_ASSIGN_OR_RETURN(tok, MakeTokenizer(cfg, texts, &kind));
    cfg.tokenizer = kind;
    fs::remove_all(opt.out + "/tokenizer", ec);
    JUICER_RETURN_IF_ERROR(tok->Save(opt.out + "/tokenizer"));
    JUICER_RETURN_IF_ERROR(WriteFileAtomic(opt.out + "/config.json", ConfigToJson(cfg)));
  }
  const auto t_tok = Clock::now();
  if (cfg.task == "lm") data.windows = MakeLmWindows(*tok, texts, cfg.ctx);
  else data.captions = EncodeCaptions(*tok, texts, cfg.ctx);
  if (cfg.task == "caption" && cfg.retrieval > 0) {  // the pool is the retrieval store
    RetrievalStore store{Thumbnails(data.pixels, data.records.size(), cfg.image_res, 16), texts};
    data.retrieved = RetrieveFor(store, *tok, data.pixels, data.records.size(), cfg.image_res, cfg.ctx, true);
    JUICER_RETURN_IF_ERROR(SaveRetrievalStore(store, opt.out));
  }
  data.token_seconds = Seconds(t_tok);
  DataTensors tensors = MakeDataTensors(cfg, &data);
  if (tensors.rows < 2) return Status::DataError("'" + opt.data + "' has fewer than 2 training rows");
  if (cfg.task == "clip" && cfg.batch_size > tensors.rows)
    std::fprintf(stderr, "warning: batch_size %d > pool size %lld: batches repeat samples (contrastive negatives "
                         "include duplicates)\n", cfg.batch_size, static_cast<long long>(tensors.rows));

  TaskNet net = MakeTaskNet(cfg, tok->VocabSize(), tok->Pad());
  auto optimizer = MakeOptimizer(net, cfg);
  int64_t start_step = 0;
  std::vector<CurveRow> curve;
  if (resuming) {
    try {
      LoadTaskNet(net, opt.out + "/checkpoint/model.pt");
      torch::load(*optimizer, opt.out + "/checkpoint/optim.pt");
    } catch (const c10::Error& e) {
      return Status::DataError("cannot load checkpoint in '" + opt.out + "/checkpoint': " + e.what_without_backtrace());
    }
    JUICER_ASSIGN_OR_RETURN(std::string step_text, ReadFileToString(opt.out + "/checkpoint/step"));
    start_step = std::atoll(step_text.c_str());
    JUICER_ASSIGN_OR_RETURN(std::string csv, ReadFileToString(opt.out + "/checkpoint/curve.csv"));
    curve = ParseCurve(csv);
    std::fprintf(stderr, "resuming %s from step %lld of %lld\n", opt.out.c_str(), static_cast<long long>(start_step),
                 static_cast<long long>(cfg.steps));
  }
  const double elapsed_before = curve.empty() ? 0 : curve.back().elapsed;
  const int64_t stop_after = std::getenv("JUICER_DEBUG_STOP_AFTER_STEPS")
                                 ? std::atoll(std::getenv("JUICER_DEBUG_STOP_AFTER_STEPS")) : -1;
  const bool tty = isatty(STDERR_FILENO) == 1;

  BatchOrder order(tensors.rows, cfg.seed);
  net.module->train();
  const auto t_train = Clock::now();
  auto t_print = t_train;
  double data_s = 0, loss_acc = 0, tail_loss = 0;
  int loss_n = 0, tail_n = 0;
  for (int64_t step = start_step; step < cfg.steps; ++step) {
    const auto t0 = Clock::now();
    std::vector<int64_t> idx_v = order.Batch(step, cfg.batch_size);
    Batch b = Gather(tensors, torch::from_blob(idx_v.data(), {cfg.batch_size}, torch::kLong));
    data_s += Seconds(t0);
    const double lr = LearningRate(cfg, step);
    for (auto& g : optimizer->param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
    optimizer->zero_grad();
    torch::Tensor loss = BatchLoss(net, b);
    loss.backward();
    torch::nn::utils::clip_grad_norm_(net.module->parameters(), 1.0);
    optimizer->step();
    const double l = loss.item<double>();
    if (!std::isfinite(l)) return Status::Internal("training diverged (loss " + JsonNum(l) + ") at step " + std::to_string(step));
    loss_acc += l;
    ++loss_n;
    if (step >= cfg.steps - std::max<int64_t>(1, cfg.steps / 10)) {
      tail_loss += l;
      ++tail_n;
    }
    const int64_t done = step + 1;
    if (done % cfg.log_every == 0 || done == cfg.steps) {
      curve.push_back({done, loss_acc / loss_n, lr, elapsed_before + Seconds(t_train)});
      loss_acc = 0;
      loss_n = 0;
    }
    if (opt.progress && (Seconds(t_print) > (tty ? 1.0 : 10.0) || done == cfg.steps)) {
      t_print = Clock::now();
      const double el = Seconds(t_train), rate = (done - start_step) / std::max(el, 1e-9);
      std::fprintf(stderr, "%strain %s %s: step %lld/%lld (%.0f%%), loss %.4f, %.0f samples/s, elapsed %.0f s, ETA %.0f s%s",
                   tty ? "\r\033[K" : "", cfg.task.c_str(), cfg.size.c_str(), static_cast<long long>(done),
                   static_cast<long long>(cfg.steps), 100.0 * done / cfg.steps, l, rate * cfg.batch_size, el,
                   (cfg.steps - done) / std::max(rate, 1e-9), tty && done != cfg.steps ? "" : "\n");
    }
    const bool ckpt = cfg.checkpoint_every > 0 && done % cfg.checkpoint_every == 0 && done < cfg.steps;
    if (ckpt || done == stop_after) JUICER_RETURN_IF_ERROR(SaveCheckpoint(net, *optimizer, opt.out, done, curve, cfg.batch_size));
    if (done == stop_after) return Status::Cancelled("stopped after " + std::to_string(done) + " steps (JUICER_DEBUG_STOP_AFTER_STEPS)");
  }
  const double train_s = Seconds(t_train);
  const int64_t trained_steps = cfg.steps - start_step;

  net.module->eval();
  try {
    SaveTaskNet(net, opt.out + "/model.pt");
  } catch (const c10::Error& e) {
    return Status::IOError("cannot write '" + opt.out + "/model.pt': " + e.what_without_backtrace());
  }
  JUICER_RETURN_IF_ERROR(WriteFileAtomic(opt.out + "/curve.csv", CurveCsv(curve, cfg.batch_size)));
  LineSeries s{"loss", {}, {}};
  for (const auto& r : curve) {
    s.x.push_back(static_cast<double>(r.step) * cfg.batch_size);
    s.y.push_back(r.loss);
  }
  JUICER_RETURN_IF_ERROR(WriteFileAtomic(opt.out + "/curve.svg",
                                         LineChartSvg(cfg.task + " " + cfg.size + ": training loss", "samples seen",
                                                      "loss", {s})));
  if (cfg.task == "clip") JUICER_RETURN_IF_ERROR(WriteClipEmbeddingsCheck(net, tensors, cfg.eval_batch, opt.out + "/embeddings_check.bin"));
  fs::remove_all(opt.out + "/checkpoint", ec);

  const double samples = static_cast<double>(trained_steps) * cfg.batch_size;
  std::string j = "{\n";
  j += "  \"task\": \"" + cfg.task + "\",\n  \"size\": \"" + cfg.size + "\",\n  \"tokenizer\": \"" + cfg.tokenizer + "\",\n";
  j += "  \"vocab\": " + std::to_string(tok->VocabSize()) + ",\n  \"params\": " + std::to_string(NumParams(net)) + ",\n";
  j += "  \"steps\": " + std::to_string(cfg.steps) + ",\n  \"batch_size\": " + std::to_string(cfg.batch_size) + ",\n";
  j += "  \"budget_samples\": " + std::to_string(cfg.BudgetSamples()) + ",\n";
  j += "  \"pool_rows\": " + std::to_string(tensors.rows) + ",\n";
  j += "  \"epochs\": " + JsonNum(static_cast<double>(cfg.BudgetSamples()) / tensors.rows) + ",\n";
  j += "  \"skipped_samples\": " + std::to_string(data.skipped) + ",\n";
  j += "  \"resumed_from_step\": " + std::to_string(start_step) + ",\n";
  j += "  \"threads\": " + std::to_string(cfg.threads) + ",\n  \"seed\": " + std::to_string(cfg.seed) + ",\n";
  j += "  \"final_loss\": " + JsonNum(tail_n ? tail_loss / tail_n : NAN) + ",\n";
  j += "  \"seconds_images\": " + JsonNum(data.image_seconds) + ",\n  \"seconds_tokenize\": " + JsonNum(data.token_seconds) + ",\n";
  j += "  \"seconds_train\": " + JsonNum(train_s) + ",\n  \"seconds_data_loading\": " + JsonNum(data_s) + ",\n";
  j += "  \"data_loading_share\": " + JsonNum(data_s / std::max(train_s, 1e-9)) + ",\n";
  j += "  \"samples_per_s\": " + JsonNum(samples / std::max(train_s, 1e-9)) + ",\n";
  j += "  \"seconds_total\": " + JsonNum(Seconds(t_start)) + ",\n";
  j += "  \"data\": " + JsonString(opt.data) + "\n}\n";
  JUICER_RETURN_IF_ERROR(WriteFileAtomic(opt.out + "/train.json", j));
  if (opt.progress)
    std::fprintf(stderr, "trained %s %s on %lld rows: %.0f samples/s, data loading %.1f%%, final loss %.4f -> %s\n",
                 cfg.task.c_str(), cfg.size.c_str(), static_cast<long long>(tensors.rows), samples / std::max(train_s, 1e-9),
                 100 * data_s / std::max(train_s, 1e-9), tail_n ? tail_loss / tail_n : NAN, opt.out.c_str());
  return Status::OK();
}

}  // namespace juicer::probe
