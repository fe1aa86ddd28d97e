// Fashion-MNIST (IDX files, gzip): 28x28 grey images in 10 classes. Captions come from fixed templates
// ("a photo of a {class}") chosen per image by a hash of its index, so they are deterministic.
#include <zlib.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "datasets/imagetext_items.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {
constexpr const char* kDir = "/usr/share/datasets/fashion-mnist";
const std::array<const char*, 10> kClasses = {"T-shirt/top", "trouser", "pullover", "dress", "coat",
                                              "sandal",      "shirt",   "sneaker",  "bag",   "ankle boot"};
// The class as a noun phrase with its article.
const std::array<const char*, 10> kPhrase = {"a T-shirt", "a pair of trousers", "a pullover", "a dress", "a coat",
                                             "a sandal",  "a shirt",            "a sneaker",  "a bag",   "an ankle boot"};
const std::array<const char*, 8> kTemplates = {
    "a photo of {}.",         "a black and white photo of {}.", "a low resolution photo of {}.",
    "a grayscale image of {}.", "a small picture of {}.",         "{} on a black background.",
    "a product photo of {}.",  "a blurry photo of {}."};

struct Idx {
  std::vector<uint8_t> data;
  uint32_t n = 0, rows = 1, cols = 1;
};

Result<Idx> ReadIdx(const std::string& path, uint32_t magic) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Status::IOError(path + ": cannot open");
  auto be32 = [&](uint32_t* v) {
    unsigned char b[4];
    if (gzread(f, b, 4) != 4) return false;
    *v = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    return true;
  };
  Idx idx;
  uint32_t m = 0;
  bool ok = be32(&m) && m == magic && be32(&idx.n);
  if (ok && magic == 0x803) ok = be32(&idx.rows) && be32(&idx.cols);
  if (ok) {
    idx.data.resize(static_cast<size_t>(idx.n) * idx.rows * idx.cols);
    ok = gzread(f, idx.data.data(), static_cast<unsigned>(idx.data.size())) == static_cast<int>(idx.data.size());
  }
  gzclose(f);
  if (!ok) return Status::DataError(path + ": not a valid IDX file");
  return idx;
}

std::string Caption(size_t cls, uint64_t h) {
  std::string t = kTemplates[h % kTemplates.size()];
  t.replace(t.find("{}"), 2, kPhrase[cls]);
  t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
  return t;
}
}  // namespace

Result<SourceItems> LoadFashionMnist(size_t train_n, size_t test_n, uint64_t seed) {
  std::error_code ec;
  const std::string d = kDir;
  for (const char* f : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                        "t10k-labels-idx1-ubyte.gz"})
    if (!fs::exists(d + "/" + f, ec))
      return Status::Unavailable(d + "/" + f + " not found: run scripts/setup.sh --datasets (package dataset-fashion-mnist)");
  SourceItems out;
  std::vector<std::string> classes(kClasses.begin(), kClasses.end());
  out.zs_classes.emplace_back("fashion_mnist", classes);
  for (int part = 0; part < 2; ++part) {
    const std::string prefix = part == 0 ? "train" : "t10k";
    JUICER_ASSIGN_OR_RETURN(Idx images, ReadIdx(d + "/" + prefix + "-images-idx3-ubyte.gz", 0x803));
    JUICER_ASSIGN_OR_RETURN(Idx labels, ReadIdx(d + "/" + prefix + "-labels-idx1-ubyte.gz", 0x801));
    if (images.n != labels.n) return Status::DataError(d + ": " + prefix + " images and labels differ in count");
    auto pixels = std::make_shared<Idx>(std::move(images));
    std::vector<uint32_t> order(pixels->n);
    for (uint32_t i = 0; i < pixels->n; ++i) order[i] = i;
    std::mt19937_64 rng(seed ^ Fnv1a("fashion_mnist/" + prefix));
    SeededShuffle(order, rng);
    std::vector<uint32_t> pick;
    if (part == 0) {
      pick.assign(order.begin(), order.begin() + std::min<size_t>(train_n, order.size()));
    } else {  // balanced by class for zero-shot evaluation
      std::array<size_t, 10> per{};
      const size_t quota = (test_n + 9) / 10;
      for (uint32_t i : order) {
        const uint8_t c = labels.data[i];
        if (c < 10 && per[c] < quota && pick.size() < test_n) {
          ++per[c];
          pick.push_back(i);
        }
      }
    }
    std::sort(pick.begin(), pick.end());
    for (uint32_t i : pick) {
      const uint8_t c = labels.data[i];
      if (c >= 10) continue;
      char key[32];
      std::snprintf(key, sizeof key, "%s-%05u", part == 0 ? "train" : "test", i);
      ImageTextItem item;
      item.source = "fashion_mnist";
      item.license = "MIT";
      item.key = key;
      item.group = key;
      item.image_rel = std::string("images/fashion_mnist/") + (part == 0 ? "train/" : "test/") + (key + 5 + (part == 0)) + ".png";
      item.caption = Caption(c, Fnv1a(key));
      item.references.push_back(Caption(c, 0));
      item.meta = {{"class", kClasses[c]}, {"file", prefix}, {"index", std::to_string(i)}};
      item.zs_task = "fashion_mnist";
      item.zs_label = kClasses[c];
      item.clean = false;  // template captions repeat: no use for retrieval or caption references
      item.fixed_split = part == 0 ? "train" : "eval_zeroshot";
      item.render = [pixels, i]() -> Result<cv::Mat> {
        const size_t sz = static_cast<size_t>(pixels->rows) * pixels->cols;
        cv::Mat m(static_cast<int>(pixels->rows), static_cast<int>(pixels->cols), CV_8UC1);
        std::copy(pixels->data.begin() + i * sz, pixels->data.begin() + (i + 1) * sz, m.data);
        return m;
      };
      out.items.push_back(std::move(item));
    }
  }
  out.note = std::to_string(out.items.size()) + " images (" + std::to_string(train_n) + " from the training file, " +
             std::to_string(test_n) + " class-balanced from the test file)";
  return out;
}

}  // namespace juicer
