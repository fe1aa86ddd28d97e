// libjuicer_spm.so: see spm_shim.h.
#include "tokenize/spm/spm_shim.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

// Exported by libsentencepiece but not declared in its public headers.
namespace sentencepiece::logging {
void SetMinLogLevel(int v);
}  // namespace sentencepiece::logging

namespace {

char* Copy(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) return nullptr;
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

class VectorIterator final : public sentencepiece::SentenceIterator {
 public:
  VectorIterator(const char* const* texts, const size_t* lens, size_t n) : texts_(texts), lens_(lens), n_(n) { Load(); }
  bool done() const override { return i_ >= n_; }
  void Next() override {
    ++i_;
    Load();
  }
  const std::string& value() const override { return value_; }
  sentencepiece::util::Status status() const override { return sentencepiece::util::Status(); }

 private:
  void Load() {
    while (i_ < n_ && lens_[i_] == 0) ++i_;  // empty texts carry nothing to learn
    if (i_ < n_) value_.assign(texts_[i_], lens_[i_]);
  }
  const char* const* texts_;
  const size_t* lens_;
  size_t n_, i_ = 0;
  std::string value_;
};

}  // namespace

extern "C" {

int juicer_spm_train(const char* const* texts, const size_t* lens, size_t n, int vocab_size, char** model,
                     size_t* model_len, char** error) {
  const std::unordered_map<std::string, std::string> args = {
      {"model_type", "unigram"},      {"vocab_size", std::to_string(vocab_size)},
      {"character_coverage", "0.9995"}, {"num_threads", "1"},
      {"input_sentence_size", "0"},   {"shuffle_input_sentence", "false"},
      {"pad_id", "0"},                {"bos_id", "1"},
      {"eos_id", "2"},                {"unk_id", "3"},
      {"hard_vocab_limit", "false"},  {"max_sentence_length", "16384"},
  };
  sentencepiece::logging::SetMinLogLevel(2);
  sentencepiece::SetRandomGeneratorSeed(20240601);
  VectorIterator it(texts, lens, n);
  std::string out;
  const auto st = sentencepiece::SentencePieceTrainer::Train(args, &it, &out);
  if (!st.ok()) {
    *error = Copy(st.ToString());
    return 1;
  }
  *model = static_cast<char*>(std::malloc(out.size() + 1));
  std::memcpy(*model, out.data(), out.size());
  *model_len = out.size();
  return 0;
}

void* juicer_spm_load(const char* model, size_t len, char** error) {
  auto* p = new sentencepiece::SentencePieceProcessor();
  const auto st = p->LoadFromSerializedProto(std::string_view(model, len));
  if (!st.ok()) {
    *error = Copy(st.ToString());
    delete p;
    return nullptr;
  }
  return p;
}

void juicer_spm_unload(void* proc) { delete static_cast<sentencepiece::SentencePieceProcessor*>(proc); }

int juicer_spm_encode(const void* proc, const char* text, size_t len, int** ids, size_t* n) {
  std::vector<int> v;
  if (!static_cast<const sentencepiece::SentencePieceProcessor*>(proc)->Encode(std::string_view(text, len), &v).ok())
    return 1;
  *ids = static_cast<int*>(std::malloc(sizeof(int) * (v.size() + 1)));
  std::memcpy(*ids, v.data(), sizeof(int) * v.size());
  *n = v.size();
  return 0;
}

int juicer_spm_encode_pieces(const void* proc, const char* text, size_t len, char** bytes, size_t** sizes,
                             size_t* n) {
  std::vector<std::string> v;
  if (!static_cast<const sentencepiece::SentencePieceProcessor*>(proc)->Encode(std::string_view(text, len), &v).ok())
    return 1;
  size_t total = 0;
  for (const auto& s : v) total += s.size();
  *bytes = static_cast<char*>(std::malloc(total + 1));
  *sizes = static_cast<size_t*>(std::malloc(sizeof(size_t) * (v.size() + 1)));
  size_t at = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    std::memcpy(*bytes + at, v[i].data(), v[i].size());
    at += v[i].size();
    (*sizes)[i] = v[i].size();
  }
  *n = v.size();
  return 0;
}

int juicer_spm_decode(const void* proc, const int* ids, size_t n, char** text, size_t* len) {
  std::string s;
  if (!static_cast<const sentencepiece::SentencePieceProcessor*>(proc)->Decode(std::vector<int>(ids, ids + n), &s).ok())
    return 1;
  *text = Copy(s);
  *len = s.size();
  return 0;
}

void juicer_spm_info(const void* proc, int* vocab, int* pad, int* bos, int* eos) {
  const auto* p = static_cast<const sentencepiece::SentencePieceProcessor*>(proc);
  *vocab = p->GetPieceSize();
  *pad = p->pad_id();
  *bos = p->bos_id();
  *eos = p->eos_id();
}

void juicer_spm_free(void* p) { std::free(p); }

int juicer_spm_piece(const void* proc, int id, const char** piece, size_t* len) {
  const auto* p = static_cast<const sentencepiece::SentencePieceProcessor*>(proc);
  if (id < 0 || id >= p->GetPieceSize()) return 1;
  const std::string& s = p->IdToPiece(id);
  *piece = s.data();
  *len = s.size();
  return 0;
}

}
