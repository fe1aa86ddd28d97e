#include "ops/dedup/numpy_random.h"

#include <algorithm>

namespace juicer::dedup {

void Mt19937::Seed(uint32_t seed) {
  for (int i = 0; i < kStateLen; ++i) {
    key_[i] = seed;
    seed = 1812433253u * (seed ^ (seed >> 30)) + static_cast<uint32_t>(i) + 1u;
  }
  pos_ = kStateLen;
}

void Mt19937::SeedByArray(const std::vector<uint32_t>& key) {
  Seed(19650218u);
  const int n = static_cast<int>(key.size());
  int i = 1, j = 0;
  for (int k = std::max(kStateLen, n); k > 0; --k) {
    key_[i] = (key_[i] ^ ((key_[i - 1] ^ (key_[i - 1] >> 30)) * 1664525u)) + (n > 0 ? key[j] : 0u) +
              static_cast<uint32_t>(j);
    ++i;
    ++j;
    if (i >= kStateLen) {
      key_[0] = key_[kStateLen - 1];
      i = 1;
    }
    if (j >= n) j = 0;
  }
  for (int k = kStateLen - 1; k > 0; --k) {
    key_[i] = (key_[i] ^ ((key_[i - 1] ^ (key_[i - 1] >> 30)) * 1566083941u)) - static_cast<uint32_t>(i);
    ++i;
    if (i >= kStateLen) {
      key_[0] = key_[kStateLen - 1];
      i = 1;
    }
  }
  key_[0] = 0x80000000u;  // MSB is 1, assuring a non-zero initial array
  pos_ = kStateLen;
}

void Mt19937::Generate() {
  constexpr int kM = 397;
  constexpr uint32_t kUpper = 0x80000000u, kLower = 0x7fffffffu, kMatrix = 0x9908b0dfu;
  for (int i = 0; i < kStateLen; ++i) {
    const uint32_t y = (key_[i] & kUpper) | (key_[(i + 1) % kStateLen] & kLower);
    key_[i] = key_[(i + kM) % kStateLen] ^ (y >> 1) ^ ((y & 1u) ? kMatrix : 0u);
  }
  pos_ = 0;
}

uint32_t Mt19937::Next32() {
  if (pos_ >= kStateLen) Generate();
  uint32_t y = key_[pos_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

double NumpyRandomState::RandomSample() {
  const uint32_t a = mt_.Next32() >> 5, b = mt_.Next32() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

uint64_t NumpyRandomState::RandintU64(uint64_t low, uint64_t high) {
  const uint64_t rng = high - 1 - low;  // inclusive range
  if (rng == 0) return low;
  uint64_t mask = rng;  // smallest 2^k - 1 >= rng
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  if (rng <= 0xFFFFFFFFull) {
    uint32_t v;
    while ((v = mt_.Next32() & static_cast<uint32_t>(mask)) > rng) {
    }
    return low + v;
  }
  if (rng == ~uint64_t{0}) return low + mt_.Next64();
  uint64_t v;
  while ((v = mt_.Next64() & mask) > rng) {
  }
  return low + v;
}

}  // namespace juicer::dedup
