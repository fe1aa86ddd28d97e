#include "ops/text/fasttext_lid.h"

#include <fasttext/fasttext.h>
#include <fasttext/loss.h>

#include <array>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <utility>

namespace juicer::lid {

namespace {

// FastText keeps its dictionary, matrices and loss protected; this subclass hands them out read-only.
class OpenFastText final : public fasttext::FastText {
 public:
  const fasttext::Args& args() const { return *args_; }
  const fasttext::Dictionary& dict() const { return *dict_; }
  const fasttext::Matrix& input() const { return *input_; }
  // A fresh hierarchical-softmax / softmax head over the output matrix, built from the label counts as
  // the library does when it loads a model (the loss keeps a reference to output_).
  std::shared_ptr<fasttext::Loss> MakeLoss() { return createLoss(output_); }
};

// The dictionary read a second time from the model file, to reach the pruned n-gram index (protected in
// the library) and turn it into a flat bucket -> input row table.
class OpenDictionary final : public fasttext::Dictionary {
 public:
  using fasttext::Dictionary::Dictionary;
  int32_t NumWords() const { return nwords_; }
  int64_t PruneSize() const { return pruneidx_size_; }
  const std::unordered_map<int32_t, int32_t>& PruneIdx() const { return pruneidx_; }
};

// Sum of the input rows `ids` in order (element-wise float adds, so the same bits as fastText's
// Vector::addRow sequence), with the width known at compile time so the adds vectorise.
template <int kDim>
void SumRows(const float* rows, int64_t nrows, const std::vector<int32_t>& ids, float* out) {
  float acc[kDim] = {};
  for (const int32_t id : ids) {
    if (id < 0 || id >= nrows) continue;
    const float* r = rows + static_cast<size_t>(id) * kDim;
    for (int j = 0; j < kDim; ++j) acc[j] += r[j];
  }
  for (int j = 0; j < kDim; ++j) out[j] = acc[j];
}

constexpr std::string_view kLabelPrefix = "__label__";

// fastText's Dictionary::hash: 32-bit FNV-1a over the bytes read as signed chars.
uint32_t FnvHash(std::string_view s) {
  uint32_t h = 2166136261u;
  for (const char c : s) {
    h ^= static_cast<uint32_t>(static_cast<int8_t>(c));
    h *= 16777619u;
  }
  return h;
}

// fastText's token separators (Dictionary::readWord): ' ', '\n', '\r', '\t', '\v', '\f', '\0'.
constexpr std::array<bool, 256> kSpace = [] {
  std::array<bool, 256> t{};
  for (const unsigned char c : {' ', '\n', '\r', '\t', '\v', '\f', '\0'}) t[c] = true;
  return t;
}();

bool IsFastTextSpace(char c) { return kSpace[static_cast<unsigned char>(c)]; }

}  // namespace

struct FastTextLid::Impl {
  OpenFastText ft;
  std::shared_ptr<fasttext::Loss> loss;
  std::vector<float> rows;  // dense input matrix, rows x dim (quantized rows decoded once)
  int64_t nrows = 0;
  int32_t eos_id = -1;
  int32_t nlabels = 0;
  std::vector<std::string> labels;  // label id -> name without "__label__"
  // N-gram bucket -> input row. The quantized model keeps a few percent of the buckets (lid.176.ftz:
  // 42,765 of 2M), so a bitmap of kept buckets with a rank index, plus the rows of the kept buckets in
  // bucket order (about 430 KB in all, cache-resident), replaces an 8 MB bucket -> row table.
  // Unpruned models (.bin) map bucket b to row nwords + b.
  uint32_t buckets = 0;
  int32_t nwords = 0;
  bool identity = false;
  std::vector<uint64_t> bits;   // bucket kept?
  std::vector<uint32_t> ranks;  // kept buckets before each 512-bucket block
  std::vector<int32_t> kept_rows;  // row of the r-th kept bucket
  int32_t BucketRow(uint32_t b) const {
    if (identity) return nwords + static_cast<int32_t>(b);
    const uint32_t w = b >> 6;
    const uint64_t word = bits[w];
    if (((word >> (b & 63)) & 1) == 0) return -1;
    uint32_t r = ranks[w >> 3];
    for (uint32_t k = w & ~7u; k < w; ++k) r += static_cast<uint32_t>(__builtin_popcountll(bits[k]));
    r += static_cast<uint32_t>(__builtin_popcountll(word & ((uint64_t{1} << (b & 63)) - 1)));
    return kept_rows[r];
  }
  int minn = 0, maxn = 0;
  uint64_t mod_magic = 0;  // UINT64_MAX / buckets + 1
  // The vocabulary (words only) as a flat open-addressing table on fastText's FNV-1a hash, and each
  // word's input rows (itself and its character n-grams: Dictionary::getSubwords) in one array.
  struct Slot {
    uint32_t hash = 0;
    int32_t wid = -1;
  };
  std::vector<Slot> slots;  // power-of-two size
  std::vector<std::string> words;
  std::vector<uint32_t> sub_begin;  // nwords + 1 offsets into sub_ids
  std::vector<int32_t> sub_ids;

  int32_t FindWord(std::string_view w, uint32_t h) const {
    const size_t mask = slots.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& sl = slots[i];
      if (sl.wid < 0) return -1;
      if (sl.hash == h && words[sl.wid] == w) return sl.wid;
    }
  }
};

namespace {

// Dictionary::pushHash's bucket -> row mapping (Dictionary::pushHash) as Impl's bitmap + rank index; checked entry by entry.
Status BuildBucketIndex(const OpenDictionary& od, uint32_t buckets, FastTextLid::Impl& im) {
  im.buckets = buckets;
  im.nwords = od.NumWords();
  if (od.PruneSize() < 0) {
    im.identity = true;
    return Status::OK();
  }
  im.bits.assign(buckets / 64 + 1, 0);
  for (const auto& [b, r] : od.PruneIdx()) {
    if (b < 0 || static_cast<uint32_t>(b) >= buckets) return Status::DataError("n-gram bucket out of range");
    im.bits[static_cast<uint32_t>(b) >> 6] |= uint64_t{1} << (b & 63);
  }
  im.ranks.assign(im.bits.size() / 8 + 1, 0);
  uint32_t total = 0;
  for (size_t w = 0; w < im.bits.size(); ++w) {
    if (w % 8 == 0) im.ranks[w / 8] = total;
    total += static_cast<uint32_t>(__builtin_popcountll(im.bits[w]));
  }
  im.kept_rows.assign(total, -1);
  for (const auto& [b, r] : od.PruneIdx()) {
    const auto bu = static_cast<uint32_t>(b);
    const uint32_t w = bu >> 6;
    uint32_t rank = im.ranks[w >> 3];
    for (uint32_t k = w & ~7u; k < w; ++k) rank += static_cast<uint32_t>(__builtin_popcountll(im.bits[k]));
    rank += static_cast<uint32_t>(__builtin_popcountll(im.bits[w] & ((uint64_t{1} << (bu & 63)) - 1)));
    im.kept_rows[rank] = im.nwords + r;
  }
  return Status::OK();
}

}  // namespace

FastTextLid::FastTextLid() : impl_(std::make_unique<Impl>()) {}
FastTextLid::~FastTextLid() = default;

int FastTextLid::NumLabels() const { return impl_->nlabels; }

Result<std::shared_ptr<const FastTextLid>> FastTextLid::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::NotFound("fastText model " + path + " does not exist");
  std::shared_ptr<FastTextLid> m(new FastTextLid());
  Impl& im = *m->impl_;
  try {
    im.ft.loadModel(path);
    const fasttext::Args& a = im.ft.args();
    if (a.model != fasttext::model_name::sup)
      return Status::DataError("fastText model " + path + " is not a supervised (classifier) model");
    const fasttext::Dictionary& d = im.ft.dict();
    im.nlabels = d.nlabels();
    if (im.nlabels <= 0) return Status::DataError("fastText model " + path + " has no labels");
    for (int32_t i = 0; i < im.nlabels; ++i) {
      std::string l = d.getLabel(i);
      if (l.rfind(kLabelPrefix, 0) == 0) l.erase(0, kLabelPrefix.size());
      im.labels.push_back(std::move(l));
    }
    if (a.wordNgrams > 1)
      return Status::DataError("fastText model " + path + " uses word n-grams (wordNgrams=" +
                               std::to_string(a.wordNgrams) + "), which juicer's predictor does not support");
    im.eos_id = d.getId(fasttext::Dictionary::EOS);
    const int32_t nwords = d.nwords();
    size_t nslots = 16;
    while (nslots < 2 * static_cast<size_t>(nwords)) nslots <<= 1;
    im.slots.assign(nslots, Impl::Slot{});
    im.sub_begin.push_back(0);
    for (int32_t w = 0; w < nwords; ++w) {
      im.words.push_back(d.getWord(w));
      const uint32_t h = FnvHash(im.words.back());
      size_t i = h & (nslots - 1);
      while (im.slots[i].wid >= 0) i = (i + 1) & (nslots - 1);
      im.slots[i] = Impl::Slot{h, w};
      if (a.maxn <= 0) {
        im.sub_ids.push_back(w);
      } else {
        const std::vector<int32_t>& sub = d.getSubwords(w);
        im.sub_ids.insert(im.sub_ids.end(), sub.begin(), sub.end());
      }
      im.sub_begin.push_back(static_cast<uint32_t>(im.sub_ids.size()));
    }
    im.minn = a.minn;
    im.maxn = a.maxn;
    if (a.maxn > 0) {
      std::ifstream f(path, std::ios::binary);
      int32_t magic = 0, version = 0;
      f.read(reinterpret_cast<char*>(&magic), sizeof magic);
      f.read(reinterpret_cast<char*>(&version), sizeof version);
      auto args = std::make_shared<fasttext::Args>();
      args->load(f);
      const OpenDictionary od(args, f);
      if (!f || od.NumWords() != d.nwords() || od.nlabels() != d.nlabels())
        return Status::DataError("fastText model " + path + ": cannot re-read its dictionary");
      if (a.bucket <= 0) return Status::DataError("fastText model " + path + " has character n-grams but no buckets");
      JUICER_RETURN_IF_ERROR(BuildBucketIndex(od, static_cast<uint32_t>(a.bucket), im).WithContext(
          "fastText model " + path + ": "));
      im.mod_magic = UINT64_MAX / static_cast<uint64_t>(a.bucket) + 1;
    }
    m->dim_ = a.dim;
    const fasttext::Matrix& in = im.ft.input();
    im.nrows = in.size(0);
    if (in.size(1) != a.dim) return Status::DataError("fastText model " + path + ": input matrix width != dim");
    im.rows.assign(static_cast<size_t>(im.nrows) * a.dim, 0.0f);
    fasttext::Vector v(a.dim);
    for (int64_t r = 0; r < im.nrows; ++r) {
      v.zero();
      in.addRowToVector(v, static_cast<int32_t>(r));  // 0 + norm * centroid: the exact decoded row
      std::copy(v.data(), v.data() + a.dim, im.rows.begin() + r * a.dim);
    }
    im.loss = im.ft.MakeLoss();
  } catch (const std::exception& e) {
    return Status::DataError("cannot load fastText model " + path + ": " + e.what());
  }
  return std::shared_ptr<const FastTextLid>(std::move(m));
}

// Dictionary::computeSubwords without its per-n-gram strings: the FNV-1a hash of an n-gram is
// extended byte by byte while the n-gram grows (bytes are hashed as signed chars, as fastText does).
void FastTextLid::AddCharNgrams(std::string_view word, std::vector<int32_t>& ids) const {
  const Impl& im = *impl_;
  const uint32_t buckets = im.buckets;
  const uint64_t magic = im.mod_magic;
  const size_t len = word.size();
  for (size_t i = 0; i < len; ++i) {
    if ((word[i] & 0xC0) == 0x80) continue;
    uint32_t h = 2166136261u;
    for (size_t j = i, n = 1; j < len && n <= static_cast<size_t>(im.maxn); ++n) {
      do {
        h ^= static_cast<uint32_t>(static_cast<int8_t>(word[j++]));
        h *= 16777619u;
      } while (j < len && (word[j] & 0xC0) == 0x80);
      if (n >= static_cast<size_t>(im.minn) && !(n == 1 && (i == 0 || j == len))) {
        // h % buckets by Lemire's multiply-shift (exact for 32-bit operands, no division).
        const uint32_t b = static_cast<uint32_t>((static_cast<unsigned __int128>(magic * h) * buckets) >> 64);
        const int32_t row = im.BucketRow(b);
        if (row >= 0) ids.push_back(row);
      }
    }
  }
}

Prediction FastTextLid::Predict(std::string_view line, LidScratch& s) const {
  const Impl& im = *impl_;
  s.ids.clear();
  // Dictionary::getLine on `line + "\n"`: tokens up to the first '\n', then "</s>".
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsFastTextSpace(line[i]) && line[i] != '\n') ++i;
    if (i >= n || line[i] == '\n') break;
    const size_t start = i;
    uint32_t h = 2166136261u;  // FnvHash(token), computed while the token is scanned
    while (i < n && !IsFastTextSpace(line[i])) {
      h ^= static_cast<uint32_t>(static_cast<int8_t>(line[i++]));
      h *= 16777619u;
    }
    const std::string_view token = line.substr(start, i - start);
    // A "__label__..." token is a label (in the dictionary or not): never an input.
    if (token.substr(0, kLabelPrefix.size()) == kLabelPrefix) continue;
    const int32_t wid = im.FindWord(token, h);
    if (wid >= 0) {
      s.ids.insert(s.ids.end(), im.sub_ids.begin() + im.sub_begin[wid], im.sub_ids.begin() + im.sub_begin[wid + 1]);
    } else if (im.maxn > 0) {
      LidScratch::CacheSlot* slot = nullptr;
      if (token.size() <= LidScratch::kMaxCachedBytes) {
        if (s.cache.empty()) s.cache.resize(LidScratch::kCacheSlots);
        slot = &s.cache[h & (LidScratch::kCacheSlots - 1)];
        if (slot->len == token.size() && slot->hash == h && std::memcmp(slot->word, token.data(), token.size()) == 0) {
          s.ids.insert(s.ids.end(), slot->rows, slot->rows + slot->nrows);
          continue;
        }
      }
      const size_t before = s.ids.size();
      s.word.assign(fasttext::Dictionary::BOW);
      s.word += token;
      s.word += fasttext::Dictionary::EOW;
      AddCharNgrams(s.word, s.ids);
      const size_t added = s.ids.size() - before;
      if (slot != nullptr && added <= LidScratch::kMaxCachedRows) {
        slot->hash = h;
        slot->len = static_cast<uint8_t>(token.size());
        slot->nrows = static_cast<uint8_t>(added);
        std::memcpy(slot->word, token.data(), token.size());
        std::copy(s.ids.begin() + static_cast<std::ptrdiff_t>(before), s.ids.end(), slot->rows);
      }
    }
  }
  if (im.eos_id >= 0) s.ids.push_back(im.eos_id);  // "</s>" has no n-grams: only its own row
  // (word n-grams: lid.176 has wordNgrams = 1, and larger values are refused at load.)
  Prediction out;
  if (s.ids.empty()) return out;
  const int dim = dim_;
  if (!s.state) s.state = std::make_shared<fasttext::Model::State>(dim, im.nlabels, 0);
  fasttext::Model::State& state = *std::static_pointer_cast<fasttext::Model::State>(s.state);
  float* h = state.hidden.data();
  if (dim == 16) {
    SumRows<16>(im.rows.data(), im.nrows, s.ids, h);
  } else {
    for (int j = 0; j < dim; ++j) h[j] = 0.0f;
    for (const int32_t id : s.ids) {
      if (id < 0 || id >= im.nrows) continue;
      const float* r = im.rows.data() + static_cast<size_t>(id) * dim;
      for (int j = 0; j < dim; ++j) h[j] += r[j];
    }
  }
  // Model::computeHidden: hidden *= real(1.0 / n).
  const float inv = static_cast<float>(1.0 / static_cast<double>(s.ids.size()));
  for (int j = 0; j < dim; ++j) h[j] *= inv;
  fasttext::Predictions& heap = s.heap;
  heap.clear();
  im.loss->predict(1, 0.0f, heap, state);
  if (heap.empty()) return out;
  out.label = im.labels[heap.front().second];
  out.score = static_cast<double>(std::exp(heap.front().first));
  return out;
}

}  // namespace juicer::lid
