// A port of numpy's legacy numpy.random.RandomState (MT19937), enough to reproduce the random
// numbers Data-Juicer draws: seeding as RandomState(seed) does, random_sample() and
// randint(low, high, dtype=uint64) with numpy's masked-rejection bounded-integer algorithm.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace juicer::dedup {

class Mt19937 {
 public:
  static constexpr int kStateLen = 624;
  // init_genrand(seed): the reference implementation's (and numpy's mt19937_seed) integer seeding.
  void Seed(uint32_t seed);
  // init_by_array(key): numpy's seeding from an array (RandomState([..])).
  void SeedByArray(const std::vector<uint32_t>& key);
  uint32_t Next32();
  // numpy's mt19937_next64: high word drawn first.
  uint64_t Next64() {
    const uint64_t hi = Next32();
    return (hi << 32) | Next32();
  }

 private:
  void Generate();
  std::array<uint32_t, kStateLen> key_{};
  int pos_ = kStateLen;
};

class NumpyRandomState {
 public:
  // numpy.random.RandomState(seed) with an integer seed in [0, 2^32).
  explicit NumpyRandomState(uint32_t seed) { mt_.Seed(seed); }
  // numpy.random.RandomState(seed_array).
  explicit NumpyRandomState(const std::vector<uint32_t>& seed_array) { mt_.SeedByArray(seed_array); }

  // random_sample(): 53-bit double in [0, 1).
  double RandomSample();
  // randint(low, high) for a 64-bit dtype (high exclusive, low < high), legacy masked rejection:
  // rng = high - 1 - low; rng < 2^32 draws 32-bit words, otherwise 64-bit ones.
  uint64_t RandintU64(uint64_t low, uint64_t high);

  Mt19937& mt() { return mt_; }

 private:
  Mt19937 mt_;
};

}  // namespace juicer::dedup
