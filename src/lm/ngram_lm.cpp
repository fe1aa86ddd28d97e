// Storage, loading and scoring of NgramLm (estimation is in kn_trainer.cpp).
#include "lm/ngram_lm.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

namespace juicer::lm {

namespace {

constexpr char kMagic[8] = {'J', 'U', 'I', 'C', 'E', 'R', 'L', 'M'};
constexpr uint32_t kVersion = 1;
constexpr int kMaxOrder = 8;

template <class T>
void Put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

class Reader {
 public:
  explicit Reader(const std::string& data) : data_(data) {}
  template <class T>
  bool Get(T* v) {
    if (pos_ + sizeof(T) > data_.size()) return false;
    std::memcpy(v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool GetBytes(size_t n, std::string* s) {
    if (pos_ + n > data_.size()) return false;
    s->assign(data_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  const std::string& data_;
  size_t pos_ = 0;
};

uint64_t SlotsFor(uint64_t count) {
  uint64_t n = 16;
  while (n < count + count / 2 + 1) n <<= 1;
  return n;
}

}  // namespace

uint64_t NgramKey(const WordId* ids, size_t n) {
  const uint64_t h = XXH3_64bits(ids, n * sizeof(WordId));
  return h == 0 ? 1 : h;
}

const NgramLm::Entry* NgramLm::Table::Find(uint64_t key) const {
  if (slots.empty()) return nullptr;
  const uint64_t mask = slots.size() - 1;
  for (uint64_t i = key & mask;; i = (i + 1) & mask) {
    const Entry& e = slots[i];
    if (e.key == key) return &e;
    if (e.key == 0) return nullptr;
  }
}

NgramLm::Entry* NgramLm::Table::Insert(uint64_t key) {
  const uint64_t mask = slots.size() - 1;
  for (uint64_t i = key & mask;; i = (i + 1) & mask) {
    Entry& e = slots[i];
    if (e.key == key) return &e;
    if (e.key == 0) {
      e.key = key;
      ++count;
      return &e;
    }
  }
}

WordId NgramLm::Id(std::string_view word) const {
  auto it = ids_.find(std::string(word));
  return it == ids_.end() ? kUnk : it->second;
}

bool NgramLm::Find(const std::vector<WordId>& ngram, float* log10_prob, float* log10_backoff) const {
  if (ngram.empty() || ngram.size() > static_cast<size_t>(order_)) return false;
  const Entry* e = tables_[ngram.size() - 1].Find(NgramKey(ngram.data(), ngram.size()));
  if (e == nullptr) return false;
  if (log10_prob) *log10_prob = e->prob;
  if (log10_backoff) *log10_backoff = e->backoff;
  return true;
}

double NgramLm::LogProb(const WordId* context, size_t context_len, WordId word) const {
  if (word >= words_.size()) word = kUnk;
  const size_t ctx = std::min(context_len, static_cast<size_t>(order_ - 1));
  WordId buf[kMaxOrder];
  std::copy(context + context_len - ctx, context + context_len, buf);
  buf[ctx] = word;
  // p(w | c) = stored prob of the longest stored (c_m w), times the backoffs of the longer contexts
  // c_{m+1} .. c (1 when not stored). Every stored n-gram's prefix and suffix are stored (training
  // keeps them, also when pruning), so both searches go up from the shortest and stop at the first
  // n-gram that is missing.
  const Entry* best = tables_[0].Find(NgramKey(buf + ctx, 1));
  if (best == nullptr) best = tables_[0].Find(NgramKey(&kUnk, 1));  // never for a trained model
  double prob = best ? best->prob : -99.0;
  size_t m = 0;
  while (m < ctx) {
    const Entry* e = tables_[m + 1].Find(NgramKey(buf + ctx - (m + 1), m + 2));
    if (e == nullptr) break;
    prob = e->prob;
    ++m;
  }
  for (size_t k = m + 1; k <= ctx; ++k) {
    const Entry* c = tables_[k - 1].Find(NgramKey(buf + ctx - k, k));
    if (c == nullptr) break;
    prob += c->backoff;
  }
  return prob;
}

double NgramLm::ScoreSentence(const std::vector<WordId>& words) const {
  std::vector<WordId> hist;
  hist.reserve(words.size() + 2);
  hist.push_back(kBos);
  double total = 0;
  for (WordId w : words) {
    total += LogProb(hist.data(), hist.size(), w);
    hist.push_back(w >= words_.size() ? kUnk : w);
  }
  total += LogProb(hist.data(), hist.size(), kEos);
  return total;
}

Status NgramLm::Save(const std::string& path) const {
  std::string out;
  out.append(kMagic, sizeof kMagic);
  Put(out, kVersion);
  Put(out, static_cast<uint32_t>(order_));
  Put(out, static_cast<uint64_t>(words_.size()));
  for (const auto& w : words_) {
    Put(out, static_cast<uint32_t>(w.size()));
    out += w;
  }
  for (int n = 0; n < order_; ++n) {
    const Discounts& d = discounts_[n];
    Put(out, d.d1);
    Put(out, d.d2);
    Put(out, d.d3);
    Put(out, static_cast<uint8_t>(d.fallback));
    // Entries sorted by key: the same model always gives the same bytes.
    std::vector<Entry> entries;
    entries.reserve(tables_[n].count);
    for (const Entry& e : tables_[n].slots)
      if (e.key != 0) entries.push_back(e);
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
    Put(out, static_cast<uint64_t>(entries.size()));
    for (const Entry& e : entries) {
      Put(out, e.key);
      Put(out, e.prob);
      Put(out, e.backoff);
    }
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(out.data(), static_cast<std::streamsize>(out.size()));
  if (!f) return Status::IOError("cannot write " + path);
  return Status::OK();
}

Result<std::unique_ptr<NgramLm>> NgramLm::Load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot open language model " + path);
  const std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto corrupt = [&](const std::string& what) {
    return Status::DataError("language model " + path + " is corrupt or not a juicer lm.bin (" + what + ")");
  };
  Reader r(data);
  std::string magic;
  if (!r.GetBytes(sizeof kMagic, &magic) || std::memcmp(magic.data(), kMagic, sizeof kMagic) != 0)
    return corrupt("bad magic");
  uint32_t version = 0, order = 0;
  uint64_t nwords = 0;
  if (!r.Get(&version) || version != kVersion) return corrupt("unsupported version");
  if (!r.Get(&order) || order < 1 || order > kMaxOrder) return corrupt("bad order");
  if (!r.Get(&nwords) || nwords < 3 || nwords > (1u << 30)) return corrupt("bad vocabulary size");
  auto lm = std::make_unique<NgramLm>();
  lm->order_ = static_cast<int>(order);
  lm->words_.resize(nwords);
  for (uint64_t i = 0; i < nwords; ++i) {
    uint32_t len = 0;
    if (!r.Get(&len) || !r.GetBytes(len, &lm->words_[i])) return corrupt("truncated vocabulary");
    lm->ids_.emplace(lm->words_[i], static_cast<WordId>(i));
  }
  if (lm->words_[kUnk] != kUnkWord || lm->words_[kBos] != kBosWord || lm->words_[kEos] != kEosWord)
    return corrupt("reserved words missing");
  lm->tables_.resize(order);
  lm->discounts_.resize(order);
  for (uint32_t n = 0; n < order; ++n) {
    Discounts& d = lm->discounts_[n];
    uint8_t fb = 0;
    uint64_t count = 0;
    if (!r.Get(&d.d1) || !r.Get(&d.d2) || !r.Get(&d.d3) || !r.Get(&fb) || !r.Get(&count))
      return corrupt("truncated header of order " + std::to_string(n + 1));
    d.fallback = fb != 0;
    if (count > data.size() / 16) return corrupt("bad n-gram count");
    Table& t = lm->tables_[n];
    t.slots.assign(SlotsFor(count), Entry{});
    for (uint64_t i = 0; i < count; ++i) {
      Entry e;
      if (!r.Get(&e.key) || !r.Get(&e.prob) || !r.Get(&e.backoff) || e.key == 0)
        return corrupt("truncated n-grams of order " + std::to_string(n + 1));
      Entry* slot = t.Insert(e.key);
      slot->prob = e.prob;
      slot->backoff = e.backoff;
    }
  }
  if (!r.AtEnd()) return corrupt("trailing bytes");
  if (lm->tables_[0].Find(NgramKey(&kUnk, 1)) == nullptr) return corrupt("no <unk> unigram");
  return lm;
}

}  // namespace juicer::lm
