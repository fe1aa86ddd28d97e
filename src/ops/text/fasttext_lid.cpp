#include "ops/text/fasttext_lid.h"

#include <fasttext/fasttext.h>
#include <fasttext/loss.h>

#include <cmath>
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
  // Input row of n-gram bucket b (what pushHash would append), -1 when the bucket was pruned away.
  std::vector<int32_t> BucketRows(int32_t buckets) const {
    std::vector<int32_t> rows(static_cast<size_t>(buckets), -1);
    if (pruneidx_size_ < 0) {
      for (int32_t b = 0; b < buckets; ++b) rows[b] = nwords_ + b;
    } else if (pruneidx_size_ > 0) {
      for (const auto& [b, r] : pruneidx_)
        if (b >= 0 && b < buckets) rows[b] = nwords_ + r;
    }
    return rows;
  }
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

bool IsFastTextSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == '\0';
}

}  // namespace

struct FastTextLid::Impl {
  OpenFastText ft;
  std::shared_ptr<fasttext::Loss> loss;
  std::vector<float> rows;  // dense input matrix, rows x dim (quantized rows decoded once)
  int64_t nrows = 0;
  int32_t eos_id = -1;
  int32_t nlabels = 0;
  std::vector<std::string> labels;  // label id -> name without "__label__"
  std::vector<int32_t> bucket_rows;  // n-gram bucket -> input row or -1
  int minn = 0, maxn = 0;
  uint64_t mod_magic = 0;  // UINT64_MAX / buckets + 1
};

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
      im.bucket_rows = od.BucketRows(static_cast<int32_t>(a.bucket));
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
  const uint32_t buckets = static_cast<uint32_t>(im.bucket_rows.size());
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
        const int32_t row = im.bucket_rows[b];
        if (row >= 0) ids.push_back(row);
      }
    }
  }
}

Prediction FastTextLid::Predict(std::string_view line, LidScratch& s) const {
  const Impl& im = *impl_;
  const fasttext::Dictionary& d = im.ft.dict();
  s.ids.clear();
  // Dictionary::getLine on `line + "\n"`: tokens up to the first '\n', then "</s>".
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsFastTextSpace(line[i]) && line[i] != '\n') ++i;
    if (i >= n || line[i] == '\n') break;
    const size_t start = i;
    while (i < n && !IsFastTextSpace(line[i])) ++i;
    s.token.assign(line.data() + start, i - start);
    const uint32_t h = d.hash(s.token);
    const int32_t wid = d.getId(s.token, h);
    if (wid >= 0) {
      if (d.getType(wid) != fasttext::entry_type::word) continue;
      const std::vector<int32_t>& sub = d.getSubwords(wid);
      s.ids.insert(s.ids.end(), sub.begin(), sub.end());
    } else {
      if (s.token.compare(0, kLabelPrefix.size(), kLabelPrefix) == 0) continue;  // a label: not an input
      if (im.maxn > 0) {
        s.word.assign(fasttext::Dictionary::BOW);
        s.word += s.token;
        s.word += fasttext::Dictionary::EOW;
        AddCharNgrams(s.word, s.ids);
      }
    }
  }
  if (im.eos_id >= 0) s.ids.push_back(im.eos_id);  // "</s>" has no n-grams: only its own row
  // (word n-grams: lid.176 has wordNgrams = 1, and larger values are refused at load.)
  Prediction out;
  if (s.ids.empty()) return out;
  const int dim = dim_;
  fasttext::Model::State state(dim, im.nlabels, 0);
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
  fasttext::Predictions heap;
  im.loss->predict(1, 0.0f, heap, state);
  if (heap.empty()) return out;
  out.label = im.labels[heap.front().second];
  out.score = static_cast<double>(std::exp(heap.front().first));
  return out;
}

}  // namespace juicer::lid
