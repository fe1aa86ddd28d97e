// SentencePiece tokenizer trained in memory on the training pool, and LoadTokenizer. See tokenizer.h.
// SentencePiece is reached through libjuicer_spm.so (tokenize/spm/spm_shim.h explains why it is dlopen()ed).
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenize/spm/spm_shim.h"
#include "tokenize/tokenizer.h"

namespace juicer {
namespace {

constexpr const char* kModelFileName = "sentencepiece.model";

// The wrapper's functions, loaded once per process.
struct SpmLib {
  decltype(&juicer_spm_train) train = nullptr;
  decltype(&juicer_spm_load) load = nullptr;
  decltype(&juicer_spm_unload) unload = nullptr;
  decltype(&juicer_spm_encode) encode = nullptr;
  decltype(&juicer_spm_encode_pieces) encode_pieces = nullptr;
  decltype(&juicer_spm_decode) decode = nullptr;
  decltype(&juicer_spm_info) info = nullptr;
  decltype(&juicer_spm_free) free = nullptr;
  decltype(&juicer_spm_piece) piece = nullptr;
  std::string error;
};

std::vector<std::string> ShimCandidates() {
  std::vector<std::string> c;
  if (const char* e = std::getenv("JUICER_SPM_SHIM")) c.push_back(e);
  char exe[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    const std::filesystem::path dir = std::filesystem::path(std::string(exe, n)).parent_path();
    c.push_back((dir / "libjuicer_spm.so").string());
    c.push_back((dir / "../lib/libjuicer_spm.so").string());
  }
#ifdef JUICER_SPM_SHIM_PATH
  c.push_back(JUICER_SPM_SHIM_PATH);
#endif
  return c;
}

const SpmLib& Spm() {
  static const SpmLib lib = [] {
    SpmLib l;
    void* h = nullptr;
    std::string tried;
    for (const auto& path : ShimCandidates()) {
      if (!std::filesystem::exists(path)) {
        tried += (tried.empty() ? "" : ", ") + path;
        continue;
      }
      h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
      if (h != nullptr) break;
      tried += (tried.empty() ? "" : ", ") + path + " (" + ::dlerror() + ")";
    }
    if (h == nullptr) {
      l.error = "SentencePiece is unavailable: libjuicer_spm.so not found or not loadable (tried " + tried +
                "; set JUICER_SPM_SHIM to its path, or rebuild with scripts/setup.sh)";
      return l;
    }
    auto sym = [&](const char* name) { return ::dlsym(h, name); };
    l.train = reinterpret_cast<decltype(l.train)>(sym("juicer_spm_train"));
    l.load = reinterpret_cast<decltype(l.load)>(sym("juicer_spm_load"));
    l.unload = reinterpret_cast<decltype(l.unload)>(sym("juicer_spm_unload"));
    l.encode = reinterpret_cast<decltype(l.encode)>(sym("juicer_spm_encode"));
    l.encode_pieces = reinterpret_cast<decltype(l.encode_pieces)>(sym("juicer_spm_encode_pieces"));
    l.decode = reinterpret_cast<decltype(l.decode)>(sym("juicer_spm_decode"));
    l.info = reinterpret_cast<decltype(l.info)>(sym("juicer_spm_info"));
    l.free = reinterpret_cast<decltype(l.free)>(sym("juicer_spm_free"));
    l.piece = reinterpret_cast<decltype(l.piece)>(sym("juicer_spm_piece"));
    if (!l.train || !l.load || !l.unload || !l.encode || !l.decode || !l.info || !l.free || !l.piece ||
        !l.encode_pieces)
      l.error = "libjuicer_spm.so lacks a juicer_spm_* function (stale build? rerun scripts/setup.sh)";
    return l;
  }();
  return lib;
}

class SentencePieceTokenizer final : public Tokenizer {
 public:
  explicit SentencePieceTokenizer(std::string model) : model_(std::move(model)) {}
  ~SentencePieceTokenizer() override {
    if (proc_ != nullptr) Spm().unload(proc_);
  }
  SentencePieceTokenizer(const SentencePieceTokenizer&) = delete;
  SentencePieceTokenizer& operator=(const SentencePieceTokenizer&) = delete;

  // require_specials: the model must define pad/bos/eos (models juicer trains and saves do).
  Status Init(bool require_specials = true) {
    const SpmLib& spm = Spm();
    if (!spm.error.empty()) return Status::Unavailable(spm.error);
    char* err = nullptr;
    proc_ = spm.load(model_.data(), model_.size(), &err);
    if (proc_ == nullptr) {
      std::string m = err ? err : "unknown error";
      spm.free(err);
      return Status::DataError("cannot load SentencePiece model: " + m);
    }
    spm.info(proc_, &vocab_, &pad_, &bos_, &eos_);
    if (require_specials && (pad_ < 0 || bos_ < 0 || eos_ < 0)) return Status::DataError("SentencePiece model lacks pad/bos/eos ids");
    return Status::OK();
  }

  std::vector<int> Encode(std::string_view text) const override {
    int* ids = nullptr;
    size_t n = 0;
    std::vector<int> out;
    if (Spm().encode(proc_, text.data(), text.size(), &ids, &n) == 0) out.assign(ids, ids + n);
    Spm().free(ids);
    return out;
  }

  std::vector<std::string> EncodeAsPieces(std::string_view text) const override {
    char* bytes = nullptr;
    size_t* sizes = nullptr;
    size_t n = 0;
    std::vector<std::string> out;
    if (Spm().encode_pieces(proc_, text.data(), text.size(), &bytes, &sizes, &n) == 0) {
      out.reserve(n);
      size_t at = 0;
      for (size_t i = 0; i < n; ++i) {
        out.emplace_back(bytes + at, sizes[i]);
        at += sizes[i];
      }
    }
    Spm().free(bytes);
    Spm().free(sizes);
    return out;
  }

  std::string Decode(const std::vector<int>& ids) const override {
    std::vector<int> kept;
    kept.reserve(ids.size());
    for (int id : ids) {
      if (id >= 0 && id < vocab_ && id != pad_ && id != bos_ && id != eos_) kept.push_back(id);
    }
    char* text = nullptr;
    size_t len = 0;
    std::string out;
    if (Spm().decode(proc_, kept.data(), kept.size(), &text, &len) == 0) out.assign(text, len);
    Spm().free(text);
    return out;
  }

  std::vector<std::string> Pieces() const override {
    std::vector<std::string> out(static_cast<size_t>(vocab_));
    for (int i = 0; i < vocab_; ++i) {
      const char* p = nullptr;
      size_t n = 0;
      if (Spm().piece(proc_, i, &p, &n) == 0) out[i].assign(p, n);
    }
    return out;
  }

  int VocabSize() const override { return vocab_; }
  int Bos() const override { return bos_; }
  int Eos() const override { return eos_; }
  int Pad() const override { return pad_; }
  std::string Kind() const override { return "sentencepiece"; }

  Status Save(const std::string& dir) const override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create directory " + dir + ": " + ec.message());
    {
      std::ofstream f(dir + "/" + kModelFileName, std::ios::binary | std::ios::trunc);
      f.write(model_.data(), static_cast<std::streamsize>(model_.size()));
      if (!f) return Status::IOError("cannot write " + dir + "/" + kModelFileName);
    }
    std::ofstream f(dir + "/tokenizer.json", std::ios::binary | std::ios::trunc);
    f << "{\"kind\":\"sentencepiece\",\"model_file\":\"" << kModelFileName << "\"}\n";
    if (!f) return Status::IOError("cannot write " + dir + "/tokenizer.json");
    return Status::OK();
  }

 private:
  std::string model_;  // serialized ModelProto
  void* proc_ = nullptr;
  int vocab_ = 0, pad_ = -1, bos_ = -1, eos_ = -1;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot open " + path);
  std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return Status::IOError("cannot read " + path);
  return data;
}

// Value of "key" in our own flat tokenizer.json: a string (without escapes) or a number, as text.
std::string JsonField(const std::string& json, const std::string& key) {
  size_t p = json.find("\"" + key + "\"");
  if (p == std::string::npos) return "";
  p = json.find(':', p + key.size() + 2);
  if (p == std::string::npos) return "";
  p = json.find_first_not_of(" \t\r\n", p + 1);
  if (p == std::string::npos) return "";
  if (json[p] == '"') {
    const size_t e = json.find('"', p + 1);
    return e == std::string::npos ? "" : json.substr(p + 1, e - p - 1);
  }
  const size_t e = json.find_first_of(",} \t\r\n", p);
  return json.substr(p, e == std::string::npos ? std::string::npos : e - p);
}

// The only file name forms we accept from tokenizer.json: plain names inside the directory.
bool PlainFileName(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> TrainSentencePiece(const std::vector<std::string>& texts, int vocab_size) {
  if (vocab_size < 8) return Status::InvalidArgument("SentencePiece vocab_size must be >= 8");
  bool any = false;
  for (const auto& t : texts) any = any || !t.empty();
  if (!any) return Status::InvalidArgument("SentencePiece training needs at least one non-empty text");
  const SpmLib& spm = Spm();
  if (!spm.error.empty()) return Status::Unavailable(spm.error);
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& t : texts) {
    ptrs.push_back(t.data());
    lens.push_back(t.size());
  }
  std::string model;
  {
    // The trainer's logging level and random seed are process-wide.
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    char *out = nullptr, *err = nullptr;
    size_t len = 0;
    if (spm.train(ptrs.data(), lens.data(), ptrs.size(), vocab_size, &out, &len, &err) != 0) {
      std::string m = err ? err : "unknown error";
      spm.free(err);
      return Status::InvalidArgument("SentencePiece training failed: " + m);
    }
    model.assign(out, len);
    spm.free(out);
  }
  auto tok = std::make_unique<SentencePieceTokenizer>(std::move(model));
  JUICER_RETURN_IF_ERROR(tok->Init());
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

Result<std::unique_ptr<Tokenizer>> LoadSentencePieceModel(const std::string& model_path) {
  JUICER_ASSIGN_OR_RETURN(std::string model, ReadFile(model_path));
  auto tok = std::make_unique<SentencePieceTokenizer>(std::move(model));
  JUICER_RETURN_IF_ERROR(tok->Init(/*require_specials=*/false).WithContext(model_path + ": "));
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

Result<std::unique_ptr<Tokenizer>> LoadTokenizer(const std::string& dir) {
  JUICER_ASSIGN_OR_RETURN(const std::string json, ReadFile(dir + "/tokenizer.json"));
  const std::string kind = JsonField(json, "kind");
  if (kind == "sentencepiece") {
    std::string file = JsonField(json, "model_file");
    if (file.empty()) file = kModelFileName;
    if (!PlainFileName(file)) return Status::DataError(dir + "/tokenizer.json: bad model_file");
    JUICER_ASSIGN_OR_RETURN(std::string model, ReadFile(dir + "/" + file));
    auto tok = std::make_unique<SentencePieceTokenizer>(std::move(model));
    JUICER_RETURN_IF_ERROR(tok->Init().WithContext(dir + "/" + file + ": "));
    return std::unique_ptr<Tokenizer>(std::move(tok));
  }
  if (kind == "clip_bpe") {
    const std::string file = JsonField(json, "merges_file");
    if (!PlainFileName(file)) return Status::DataError(dir + "/tokenizer.json: bad merges_file");
    int max_merges = 0;
    try {
      max_merges = std::stoi(JsonField(json, "max_merges"));
    } catch (const std::exception&) {
      return Status::DataError(dir + "/tokenizer.json: bad max_merges");
    }
    return LoadClipBpe(dir + "/" + file, max_merges);
  }
  return Status::DataError(dir + "/tokenizer.json: unknown tokenizer kind '" + kind + "'");
}

}  // namespace juicer
