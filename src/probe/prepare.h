// Turning probe records into model inputs (token matrices, image pixels). No libtorch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "probe/probe_config.h"
#include "probe/probe_data.h"
#include "tokenize/tokenizer.h"

namespace juicer::probe {

// Rows of `ctx` token ids: BOS, the caption's ids (cut to ctx - 2), EOS, then Pad. eot[i] is the index
// of row i's EOS (the CLIP text feature is read there).
struct TokenRows {
  std::vector<int64_t> ids;
  std::vector<int64_t> eot;
  int64_t rows = 0, cols = 0;
};
TokenRows EncodeCaptions(const Tokenizer& tok, const std::vector<std::string>& texts, int ctx);

// Language-model windows: the stream BOS, doc1, EOS, doc2, EOS, ... cut into windows of ctx + 1 ids
// with stride ctx (every id after the first is a target exactly once; the last window is padded with
// Pad, which is never a target). bytes = UTF-8 bytes of the texts + 1 per document (its EOS), for bits
// per byte.
struct LmWindows {
  std::vector<int64_t> ids;  // rows x (ctx + 1)
  int64_t rows = 0, cols = 0;
  int64_t targets = 0;       // predicted ids (non-pad)
  int64_t bytes = 0;
};
LmWindows MakeLmWindows(const Tokenizer& tok, const std::vector<std::string>& texts, int ctx);

// side x side x 3 thumbnails (box means of res x res x 3 probe pixels; res a multiple of side), uint8.
std::vector<uint8_t> Thumbnails(const std::vector<uint8_t>& pixels, size_t n, int res, int side = 16);
// Thumbnails as float vectors, each mean-centred (brightness-invariant pixel distance).
std::vector<float> CenteredThumbs(const std::vector<uint8_t>& thumbs, size_t n, int side = 16);

// Retrieval rows for the retrieval-augmented captioner: for each query i, the caption of its neighbour
// neighbours[i] encoded as ids (no BOS), EOS-terminated, Pad-filled to ctx (cut at ctx - 1 ids).
TokenRows RetrievedRows(const Tokenizer& tok, const std::vector<std::string>& store_texts,
                        const std::vector<int64_t>& neighbours, int ctx);

// The tokenizer a training run uses: cfg.tokenizer auto/clip_bpe/sentencepiece (see ProbeConfig).
// SentencePiece is trained on at most cfg.sp_max_texts texts (a seeded sample). `resolved` gets
// "clip_bpe" or "sentencepiece".
Result<std::unique_ptr<Tokenizer>> MakeTokenizer(const ProbeConfig& cfg, const std::vector<std::string>& texts,
                                                 std::string* resolved);

// Everything a training run needs, prepared once (images decoded or read from the cache).
struct PreparedData {
  std::vector<ProbeRecord> records;
  std::vector<uint8_t> pixels;  // records.size() x res x res x 3 (image tasks)
  TokenRows captions;           // clip / caption
  TokenRows retrieved;          // caption with retrieval: the neighbour's caption per row
  LmWindows windows;            // lm
  size_t skipped = 0;           // samples dropped because their image failed to decode
  std::string first_skip_reason;
  double image_seconds = 0, token_seconds = 0;
};
// need_images: decode images (clip/caption). Samples whose image fails to decode are dropped and
// counted (a warning names the first); a missing image file is an error.
Result<PreparedData> PrepareData(const ProbeConfig& cfg, const std::string& data_path, const Tokenizer* tok,
                                 bool show_progress, size_t limit = 0);

}  // namespace juicer::probe
