#include <gtest/gtest.h>

#include <bit>
#include <random>

#include "ops/image/image_near_dedup.h"
#include "ops/image/image_test_util.h"

namespace juicer {
namespace {

using image_ops::NearDupCollector;
using testing::ImageDir;
using testing::ImageSample;
using testing::MustBuild;
using testing::RunDatasetOp;

std::string Hex(uint64_t v) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
  return b;
}

// Union-find over all pairs, the reference the multi-index search must reproduce.
std::vector<uint64_t> BruteForceKept(const std::vector<uint64_t>& h, int t) {
  std::vector<size_t> parent(h.size());
  for (size_t i = 0; i < h.size(); ++i) parent[i] = i;
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (size_t i = 0; i < h.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (std::popcount(h[i] ^ h[j]) <= t) {
        const size_t a = find(i), b = find(j);
        parent[std::max(a, b)] = std::min(a, b);
      }
  std::vector<uint64_t> kept;
  for (size_t i = 0; i < h.size(); ++i)
    if (find(i) == i) kept.push_back(i);
  return kept;
}

TEST(NearDupCollector, MultiIndexSearchMatchesAllPairs) {
  std::mt19937_64 rng(5);
  std::vector<uint64_t> hashes;
  for (int i = 0; i < 3000; ++i) {
    if (i > 0 && rng() % 3 == 0) {  // a planted near copy of an earlier hash: 0..10 bits flipped
      uint64_t h = hashes[rng() % hashes.size()];
      const int flips = static_cast<int>(rng() % 11);
      for (int f = 0; f < flips; ++f) h ^= uint64_t{1} << (rng() % 64);
      hashes.push_back(h);
    } else {
      hashes.push_back(rng());
    }
  }
  for (int t : {1, 3, 6, 10}) {
    SCOPED_TRACE(t);
    NearDupCollector c;
    for (size_t i = 0; i < hashes.size(); ++i) ASSERT_TRUE(c.Add(i, Hex(hashes[i]), "").ok());
    const auto res = c.Cluster(t);
    EXPECT_EQ(res.kept, BruteForceKept(hashes, t));
    // far fewer than all pairs while the blocks stay wide (t+1 blocks of 64/(t+1) bits: random hashes
    // share a block with probability ~(t+1)/2^(64/(t+1)), 17% at t = 10)
    if (t <= 6) {
      EXPECT_LT(res.comparisons, hashes.size() * hashes.size() / 2 / 20);
    }
    uint64_t removed = 0;
    for (const auto& cl : res.clusters) removed += cl.count - 1;
    EXPECT_EQ(removed + res.kept.size(), hashes.size());
  }
}

TEST(NearDupCollector, GroupsAndImageCountsMustMatch) {
  NearDupCollector c;
  const uint64_t h = 0x0123456789abcdefULL;
  ASSERT_TRUE(c.Add(0, Hex(h), "text-a").ok());
  ASSERT_TRUE(c.Add(1, Hex(h ^ 1), "text-b").ok());          // other text
  ASSERT_TRUE(c.Add(2, Hex(h ^ 3) + Hex(h), "text-a").ok());  // two images
  ASSERT_TRUE(c.Add(3, Hex(h ^ 7), "text-a").ok());           // 3 bits from 0
  ASSERT_TRUE(c.Add(4, Hex(h) + Hex(~h), "text-a").ok());     // second image far from 2's
  EXPECT_EQ(c.Cluster(3).kept, (std::vector<uint64_t>{0, 1, 2, 4}));
  EXPECT_EQ(c.Cluster(2).kept, (std::vector<uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(c.Add(5, "abc", "").ok());
  EXPECT_FALSE(c.Add(5, "zzzzzzzzzzzzzzzz", "").ok());
}

// A photo-like image: smoothed coloured noise, different for each seed.
cv::Mat Photo(uint64_t seed) {
  cv::RNG rng(seed);
  cv::Mat m(240, 320, CV_8UC3);
  rng.fill(m, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(m, m, cv::Size(0, 0), 6);
  cv::normalize(m, m, 0, 255, cv::NORM_MINMAX);
  return m;
}

TEST(ImageDeduplicator, NearDuplicatesResizedAndReencoded) {
  ImageDir d;
  std::vector<std::string> originals, copies;
  for (int i = 0; i < 6; ++i) {
    const cv::Mat p = Photo(100 + i);
    originals.push_back(d.Write("orig" + std::to_string(i) + ".png", p));
    cv::Mat small;
    cv::resize(p, small, {200, 150}, 0, 0, cv::INTER_AREA);
    copies.push_back(d.Write("small" + std::to_string(i) + ".png", small));  // resized
    std::vector<uchar> jpg;
    cv::imencode(".jpg", p, jpg, {cv::IMWRITE_JPEG_QUALITY, 40});
    copies.push_back(d.WriteBytes("q40_" + std::to_string(i) + ".jpg", std::string(jpg.begin(), jpg.end())));
  }
  std::vector<Sample> base;
  for (int i = 0; i < 6; ++i) base.push_back(ImageSample({originals[i]}));
  for (const std::string& c : copies) base.push_back(ImageSample({c}));
  base.push_back(ImageSample({}));
  base.push_back(ImageSample({}));
  for (const char* method : {"phash", "dhash", "ahash", "whash"}) {
    SCOPED_TRACE(method);
    std::vector<Sample> exact = base, near = base;
    auto sel = RunDatasetOp(*MustBuild("image_deduplicator", {{"method", std::string(method)}}), exact);
    ASSERT_TRUE(sel.ok()) << sel.status().ToString();
    EXPECT_GE(sel->positions.size(), 6u + 2u);
    if (std::string(method) == "phash") {
      EXPECT_GT(sel->positions.size(), 6u + 2u);  // exact hashes miss copies
    }
    auto nsel = RunDatasetOp(
        *MustBuild("image_deduplicator", {{"method", std::string(method)}, {"hamming_threshold", int64_t{8}}}), near);
    ASSERT_TRUE(nsel.ok()) << nsel.status().ToString();
    // the six originals and the two samples without images
    EXPECT_EQ(nsel->positions, (std::vector<uint64_t>{0, 1, 2, 3, 4, 5, 18, 19}));
    EXPECT_FALSE(nsel->pairs.empty());
  }
  EXPECT_FALSE(testing::BuildStatus("image_deduplicator", {{"hamming_threshold", int64_t{-1}}}).ok());
  EXPECT_FALSE(testing::BuildStatus("image_deduplicator", {{"hamming_threshold", int64_t{40}}}).ok());
}

TEST(ImageDeduplicator, NearDuplicatesWithText) {
  ImageDir d;
  const cv::Mat p = Photo(7);
  const std::string a = d.Write("a.png", p);
  cv::Mat small;
  cv::resize(p, small, {160, 120}, 0, 0, cv::INTER_AREA);
  const std::string b = d.Write("b.png", small);
  std::vector<Sample> samples = {ImageSample({a}, "same"), ImageSample({b}, "other"), ImageSample({b}, "same"),
                                 ImageSample({}, "same"), ImageSample({}, "same")};
  auto sel = RunDatasetOp(
      *MustBuild("image_deduplicator", {{"consider_text", true}, {"hamming_threshold", int64_t{6}}}), samples);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->positions, (std::vector<uint64_t>{0, 1, 3}));
}

}  // namespace
}  // namespace juicer
