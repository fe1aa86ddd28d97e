#include "ops/select/random_selector.h"

#include <memory>
#include <numeric>
#include <random>
#include <unordered_map>
#include <utility>

namespace juicer {

namespace selection {

std::optional<uint64_t> RandomSelectCount(uint64_t total, std::optional<double> select_ratio,
                                          std::optional<int64_t> select_num) {
  if (total <= 1) return std::nullopt;
  if (!select_ratio && !select_num) return std::nullopt;
  int64_t n = 0;
  if (!select_ratio || *select_ratio == 0.0) {
    // DJ: `if not self.select_ratio: select_num = self.select_num` (ratio 0 with no select_num is
    // rejected when the op is built).
    n = select_num.value_or(0);
  } else {
    // int(select_ratio * len(dataset)): a double product truncated, exactly as Python does.
    n = static_cast<int64_t>(*select_ratio * static_cast<double>(total));
    if (select_num && *select_num > 0 && *select_num < n) n = *select_num;
  }
  // random_sample(): a sample_number <= 0 falls back to ceil(N * weight=1.0) = N, the dataset.
  if (n <= 0) return std::nullopt;
  // n == N returns the dataset unshuffled. n > N (only via select_num) makes DJ repeat samples;
  // juicer keeps the whole dataset once instead.
  if (static_cast<uint64_t>(n) >= total) return std::nullopt;
  return static_cast<uint64_t>(n);
}

namespace {

// Uniform in [0, bound) without modulo bias: reject the low 2^64 mod bound raw values.
uint64_t BoundedDraw(std::mt19937_64& rng, uint64_t bound) {
  const uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const uint64_t r = rng();
    if (r >= threshold) return r % bound;
  }
}

}  // namespace

std::vector<uint64_t> ShuffledPrefix(uint64_t total, uint64_t take, uint64_t seed, ShuffleStorage storage) {
  if (take > total) take = total;
  std::vector<uint64_t> out;
  out.reserve(take);
  std::mt19937_64 rng(seed);
  if (storage == ShuffleStorage::kAuto)
    storage = (total <= (uint64_t{1} << 16) || take >= total / 8) ? ShuffleStorage::kDense : ShuffleStorage::kSparse;
  // Forward Fisher-Yates: step i swaps a[i] with a uniform a[j], j in [i, total); after `take`
  // steps a[0 .. take) is the prefix of a uniformly random permutation.
  if (storage == ShuffleStorage::kDense) {
    std::vector<uint64_t> a(total);
    std::iota(a.begin(), a.end(), uint64_t{0});
    for (uint64_t i = 0; i < take; ++i) {
      const uint64_t j = i + BoundedDraw(rng, total - i);
      std::swap(a[i], a[j]);
      out.push_back(a[i]);
    }
    return out;
  }
  std::unordered_map<uint64_t, uint64_t> moved;  // a[k] where it differs from k
  moved.reserve(static_cast<size_t>(2 * take));
  auto at = [&moved](uint64_t k) {
    auto it = moved.find(k);
    return it == moved.end() ? k : it->second;
  };
  for (uint64_t i = 0; i < take; ++i) {
    const uint64_t j = i + BoundedDraw(rng, total - i);
    const uint64_t vi = at(i), vj = at(j);
    moved[j] = vi;  // a[i] is never read again
    out.push_back(vj);
  }
  return out;
}

}  // namespace selection

namespace {

struct CountState final : DatasetState {
  uint64_t count = 0;
};

class RandomSelector final : public DatasetOp {
 public:
  RandomSelector(const OpInfo& info, const OpParams& params)
      : DatasetOp(info, params),
        select_ratio_(params.GetOptDouble("select_ratio")),
        select_num_(params.GetOptInt("select_num")) {}

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<CountState>(); }

  std::optional<std::vector<std::string>> ObservedFields() const override { return std::vector<std::string>{}; }

  Status Observe(const Sample&, uint64_t, DatasetState& state) const override {
    ++static_cast<CountState&>(state).count;
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext& ctx) const override {
    const uint64_t total = static_cast<CountState&>(state).count;
    Selection sel;
    const std::optional<uint64_t> n = selection::RandomSelectCount(total, select_ratio_, select_num_);
    if (!n) {
      sel.positions.resize(total);
      std::iota(sel.positions.begin(), sel.positions.end(), uint64_t{0});
      return sel;
    }
    sel.positions = selection::ShuffledPrefix(total, *n, ctx.seed);
    return sel;
  }

 private:
  std::optional<double> select_ratio_;
  std::optional<int64_t> select_num_;
};

OpInfo RandomSelectorInfo() {
  OpInfo info;
  info.name = "random_selector";
  info.kind = OpKind::kSelector;
  info.modality = Modality::kAny;
  info.summary = "Keep a random subset of the dataset, by ratio and/or count (seeded, reproducible).";
  info.description =
      "Keeps n samples out of N: n = select_num when select_ratio is null or 0, else "
      "n = int(select_ratio * N), lowered to select_num when that is set and smaller. The whole "
      "dataset is kept, in input order, when N <= 1, when both params are null, when n comes out as "
      "0 (Data-Juicer's random_sample then falls back to the full dataset) and when n >= N "
      "(Data-Juicer repeats samples when select_num > N; juicer keeps each once). Otherwise the "
      "dataset is shuffled with the recipe seed and the first n samples are kept, in that shuffled "
      "order, as Data-Juicer's dataset.shuffle(seed).select(range(n)). The count and the "
      "determinism for a given seed match Data-Juicer; the chosen subset does not (Data-Juicer "
      "shuffles with numpy's generator, juicer with std::mt19937_64 and its own Fisher-Yates, "
      "identical on every platform). Memory: O(n), not O(N), for small n.";
  info.params = {
      ParamSpec{.name = "select_ratio",
                .type = ParamType::kFloat,
                .default_value = std::monostate{},
                .doc = "fraction of the samples to keep, 0 to 1",
                .nullable = true,
                .min_value = 0.0,
                .max_value = 1.0},
      ParamSpec{.name = "select_num",
                .type = ParamType::kInt,
                .default_value = std::monostate{},
                .doc = "number of samples to keep (the smaller count wins when select_ratio is also set)",
                .nullable = true,
                .min_value = 1.0},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const auto ratio = p.GetOptDouble("select_ratio");
    if (ratio && *ratio == 0.0 && p.IsNull("select_num"))
      return Status::InvalidArgument(
          "select_ratio 0 without select_num selects nothing (Data-Juicer fails on it); set select_num, "
          "or a ratio above 0");
    return std::unique_ptr<Op>(std::make_unique<RandomSelector>(i, p));
  };
  return info;
}

}  // namespace

Status RegisterSelectorOps(OpRegistry& registry) { return registry.Add(RandomSelectorInfo()); }

}  // namespace juicer
