#include "datasets/dataset_output.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <opencv2/imgcodecs.hpp>

#include "core/dataset_writer.h"

namespace fs = std::filesystem;

namespace juicer {

DatasetOutput::DatasetOutput(std::string dir) : dir_(std::move(dir)) {}

void DatasetOutput::AddSample(const std::string& split, std::string json_line) {
  splits_[split].push_back(std::move(json_line));
}

void DatasetOutput::AddContact(const std::string& split, ContactItem item) {
  contacts_[split].push_back(std::move(item));
}

size_t DatasetOutput::samples(const std::string& split) const {
  auto it = splits_.find(split);
  return it == splits_.end() ? 0 : it->second.size();
}

Status DatasetOutput::WriteImage(const std::string& rel_path, const cv::Mat& image) {
  const std::string path = dir_ + "/" + rel_path;
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::vector<uchar> buf;
  // fixed compression settings: the same pixels always give the same bytes
  if (!cv::imencode(".png", image, buf, {cv::IMWRITE_PNG_COMPRESSION, 6}))
    return Status::IOError(path + ": PNG encoding failed");
  return WriteFileAtomic(path, std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
}

Status DatasetOutput::WriteText(const std::string& rel_path, std::string_view text) {
  return WriteFileAtomic(dir_ + "/" + rel_path, text);
}

Result<std::string> Sha256File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot read");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, md, &n);
  EVP_MD_CTX_free(ctx);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < n; ++i) {
    hex.push_back(kHex[md[i] >> 4]);
    hex.push_back(kHex[md[i] & 15]);
  }
  return hex;
}

namespace {
std::string HumanSize(uint64_t b) {
  char buf[32];
  if (b >= 1000000) std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
  else std::snprintf(buf, sizeof buf, "%.1f KB", b / 1e3);
  return buf;
}
}  // namespace

Status DatasetOutput::Finish(const std::string& name, const std::string& card_intro, uint64_t seed,
                             double build_seconds) {
  for (const auto& [split, lines] : splits_) {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    JUICER_RETURN_IF_ERROR(WriteText(split + ".jsonl", text));
  }
  std::vector<std::string> sheets;
  for (auto& [split, items] : contacts_) {
    if (items.empty()) continue;
    std::vector<ContactItem> pick = items;
    std::mt19937_64 rng(seed + 17);
    for (size_t i = pick.size(); i > 1; --i) std::swap(pick[i - 1], pick[rng() % i]);
    if (pick.size() > 100) pick.resize(100);
    const std::string sheet = "contact_sheet_" + split + ".png";
    JUICER_RETURN_IF_ERROR(WriteContactSheet(dir_, pick, name + " / " + split + ": 100 random samples", dir_ + "/" + sheet));
    sheets.push_back(sheet);
  }
  // disk size of everything but the card and manifest
  uint64_t bytes = 0;
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), dir_).string();
    if (rel == "DATASET.md" || rel == "MANIFEST.sha256") continue;
    files.push_back(rel);
    bytes += e.file_size();
  }
  std::sort(files.begin(), files.end());
  std::ostringstream card;
  card << "# " << name << "\n\n" << card_intro << "\n\n## Counts\n\n| split | samples | by source |\n|---|---|---|\n";
  for (const auto& [split, lines] : splits_) {
    card << "| `" << split << ".jsonl` | " << lines.size() << " | ";
    bool first = true;
    for (const auto& [src, n] : counts_[split]) {
      card << (first ? "" : ", ") << src << " " << n;
      first = false;
    }
    card << " |\n";
  }
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", build_seconds);
  card << "\nBuilt with seed " << seed << " in " << secs << " s; " << files.size() << " files, "
       << HumanSize(bytes) << " on disk. `MANIFEST.sha256` lists every data file's SHA-256 "
       << "(`sha256sum -c MANIFEST.sha256` checks them); the same seed gives the same manifest.\n";
  if (!sheets.empty()) {
    card << "\n## Contact sheets\n\n";
    for (const auto& s : sheets) card << "![" << s << "](" << s << ")\n";
  }
  JUICER_RETURN_IF_ERROR(WriteText("DATASET.md", card.str()));
  // The manifest covers the data (the card holds the build time, which differs between builds).
  std::string manifest;
  for (const auto& f : files) {
    JUICER_ASSIGN_OR_RETURN(std::string h, Sha256File(dir_ + "/" + f));
    manifest += h + "  " + f + "\n";
  }
  return WriteText("MANIFEST.sha256", manifest);
}

}  // namespace juicer
