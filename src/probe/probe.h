// Probe models: train / evaluate small models on a data pool, in-process on the CPU (libtorch).
// This header has no libtorch types, so callers compile fast.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "probe/probe_config.h"

namespace juicer::probe {

// Call at the start of a command that uses libtorch. libgomp and OpenBLAS read their settings when they
// are loaded, before main(), so when OMP_WAIT_POLICY is unset (-> PASSIVE) or OpenBLAS fell back to a
// generic kernel on a newer CPU (-> OPENBLAS_CORETYPE=SkylakeX/Haswell), juicer re-executes itself
// once with those variables set. Explicit user settings are left alone.
void PrepareProcessForTorch(int argc, char** argv);

struct TrainOptions {
  ProbeConfig cfg;
  std::string data;     // training pool (any dataset path juicer reads)
  std::string out;      // model directory
  bool resume = false;  // continue from out/checkpoint/ when it exists
  bool progress = true;
};

// Trains cfg.task on `data` for cfg.steps x cfg.batch_size samples (pools smaller than that are repeated,
// epoch by epoch in a seeded order). Writes into `out`: config.json, tokenizer/, model.pt, curve.csv,
// curve.svg, train.json (timings, samples/s, data-loading share) and, for clip, embeddings_check.bin
// (the exported encoders' embeddings of the first training samples, for the export test).
// Checkpoints go to out/checkpoint/ every cfg.checkpoint_every steps.
Status TrainProbe(const TrainOptions& opt);

struct EvalOptions {
  std::string model;               // model directory written by TrainProbe
  std::vector<std::string> data;   // eval sets; each gets a section of metrics.json named by file stem
  std::string out;                 // metrics.json path ("" = <model>/metrics.json)
  int threads = 0;                 // 0 = the model's training threads
  std::string task;                // optional: must match the model's task
  // Decoding/eval keys set for this evaluation only (beam_size, max_new_tokens, eval_batch).
  std::vector<std::pair<std::string, std::string>> overrides;
};
// clip: data with task/label fields -> zero-shot accuracy (prompt templates, class names from
// eval_zeroshot_classes.json beside the data, else the labels seen); other data -> image<->text
// retrieval R@1/5/10. caption: BLEU-1..4, CIDEr-D, caption perplexity, sample captions. lm: perplexity,
// bits per byte. Chance levels are reported beside each metric. Returns the metrics JSON text.
Result<std::string> EvalProbe(const EvalOptions& opt);

// Baselines that need no training: caption -> nearest-neighbour caption (the caption of the training
// image closest in pixel space), lm -> add-one unigram model on the same tokenizer as `model`.
struct BaselineOptions {
  std::string task;
  std::string train;               // training pool
  std::vector<std::string> data;   // eval sets
  std::string model;               // lm: the tokenizer of this model directory is used
  std::string out;                 // JSON path ("" = print only)
  int threads = 1;
};
Result<std::string> RunBaseline(const BaselineOptions& opt);

// Embeddings of the exported clip encoders (a separate process loads model.pt and config.json).
// Writes a little binary file: int32 n, int32 dim, then n image rows and n text rows of float32.
Status EncodeClip(const std::string& model, const std::string& data, size_t limit, const std::string& out,
                  int threads);

}  // namespace juicer::probe
