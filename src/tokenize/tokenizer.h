// Tokenizers (used by the probe models and by token-counting ops): CLIP byte-level BPE (from CLIP's merges file, optionally truncated to
// the first K merges for tiny models) and SentencePiece models trained on the training pool.
// No libtorch here: token ids are plain ints.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace juicer {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // Token ids of `text`, without BOS/EOS.
  virtual std::vector<int> Encode(std::string_view text) const = 0;
  // The tokens of `text` as strings: SentencePiece's encode_as_pieces ("▁Hello", ...); by default
  // (CLIP BPE) each token id decoded on its own.
  virtual std::vector<std::string> EncodeAsPieces(std::string_view text) const {
    std::vector<std::string> out;
    for (int id : Encode(text)) out.push_back(Decode({id}));
    return out;
  }
  // Text of `ids` (special ids are skipped).
  virtual std::string Decode(const std::vector<int>& ids) const = 0;
  // Ids are in [0, VocabSize()); Bos/Eos/Pad are distinct ids inside that range.
  virtual int VocabSize() const = 0;
  virtual int Bos() const = 0;
  virtual int Eos() const = 0;
  virtual int Pad() const = 0;
  // "clip_bpe" or "sentencepiece".
  virtual std::string Kind() const = 0;
  // The piece string of every id (SentencePiece: "▁the", "<unk>", ...); empty when not supported.
  virtual std::vector<std::string> Pieces() const { return {}; }
  // Writes what Load() needs to rebuild this tokenizer into directory `dir` (creating files there).
  virtual Status Save(const std::string& dir) const = 0;
};

// CLIP's tokenizer (openai/CLIP simple_tokenizer.py): ftfy-free basic cleaning (HTML unescape is not
// done), whitespace collapsed, lower-cased, split with CLIP's pre-tokenisation pattern, byte-to-unicode
// mapping, BPE with '</w>' word ends. `merges_path` is CLIP's `bpe_simple_vocab_16e6.txt.gz`.
// `max_merges` keeps only the first K merges (0 = all 48,894): vocab = 512 + K + 3
// (<|startoftext|>, <|endoftext|>, <pad>). Token order is CLIP's, so with all merges the ids of the
// first 49,408 tokens equal CLIP's.
Result<std::unique_ptr<Tokenizer>> LoadClipBpe(const std::string& merges_path, int max_merges);

// Trains a SentencePiece model (unigram, deterministic: one thread, no sentence sampling) on `texts`
// with `vocab_size` pieces; pad/bos/eos are ids 0/1/2 (unk 3).
Result<std::unique_ptr<Tokenizer>> TrainSentencePiece(const std::vector<std::string>& texts, int vocab_size);

// Loads an existing SentencePiece model file (a serialized ModelProto, e.g. Data-Juicer's
// `{lang}.sp.model` or a Llama `tokenizer.model`). Unlike the models juicer trains, such a model may
// lack pad/bos/eos pieces: Pad()/Bos()/Eos() are then -1.
Result<std::unique_ptr<Tokenizer>> LoadSentencePieceModel(const std::string& model_path);

// Loads a tokenizer written by Tokenizer::Save.
Result<std::unique_ptr<Tokenizer>> LoadTokenizer(const std::string& dir);

// Where CLIP's merges file is looked for when no path is given: $JUICER_CLIP_BPE, then
// ../shared/models/clip_bpe_simple_vocab_16e6.txt.gz relative to the working directory and to the
// juicer source tree. Empty when none exists.
std::string FindClipBpe();

}  // namespace juicer
