#include "probe/probe_data.h"

#include "media/image_io.h"

#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "core/dataset_reader.h"
#include "core/media.h"
#include "core/sample_parser.h"

namespace juicer::probe {

namespace fs = std::filesystem;

std::string StripSpecialTokens(std::string_view text) {
  static constexpr std::string_view kTokens[] = {"<__dj__image>", "<|__dj__eoc|>", "<__dj__video>",
                                                 "<__dj__audio>"};
  std::string s(text);
  for (std::string_view tok : kTokens) {
    for (size_t p = s.find(tok); p != std::string::npos; p = s.find(tok, p)) s.replace(p, tok.size(), " ");
  }
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Result<std::vector<ProbeRecord>> ReadProbeRecords(const std::string& dataset_path, bool need_image, size_t limit,
                                                  const std::string& text_key) {
  JUICER_ASSIGN_OR_RETURN(auto files, ResolveDatasetPath(dataset_path));
  JUICER_ASSIGN_OR_RETURN(auto src, OpenDataset(files, 0));
  SampleParser parser;
  RecordBatch batch;
  std::vector<ProbeRecord> out;
  while (limit == 0 || out.size() < limit) {
    JUICER_ASSIGN_OR_RETURN(bool more, src->Next(&batch, 4096, 8 << 20));
    if (!more) break;
    for (size_t i = 0; i < batch.recs.size() && (limit == 0 || out.size() < limit); ++i) {
      const auto& r = batch.recs[i];
      SampleOrigin origin{src->file_names()[r.file], r.line};
      for (const auto& [idx, msg] : batch.read_errors) {
        if (idx == i) return Status::DataError(origin.ToString() + ": " + msg);
      }
      Sample s;
      Status st = parser.Parse(batch.data(r), r.len, batch.capacity(r), &s);
      if (!st.ok()) return Status::DataError(origin.ToString() + ": " + st.message());
      ProbeRecord rec;
      rec.origin = origin.ToString();
      auto text = s.GetText(text_key);
      if (!text.ok()) return Status::DataError(rec.origin + ": " + text.status().message());
      rec.text = StripSpecialTokens(*text);
      if (need_image) {
        JUICER_ASSIGN_OR_RETURN(const auto* images, s.GetStringList("images"));
        if (images->empty()) return Status::DataError(rec.origin + ": field 'images' is empty; the task needs an image");
        JUICER_ASSIGN_OR_RETURN(rec.image_path, ResolveMediaPath(origin, "images", (*images)[0]));
      }
      for (const char* key : {"task", "label"}) {
        if (s.Has(key)) {
          auto v = s.GetText(key);
          if (!v.ok()) return Status::DataError(rec.origin + ": " + v.status().message());
          (std::string_view(key) == "task" ? rec.task : rec.label) = std::string(*v);
        }
      }
      if (s.Has("references")) {
        auto refs = s.GetStringList("references");
        if (!refs.ok()) return Status::DataError(rec.origin + ": " + refs.status().message());
        rec.references = **refs;
      }
      if (rec.references.empty()) rec.references.push_back(rec.text);
      out.push_back(std::move(rec));
    }
  }
  return out;
}

Result<std::vector<uint8_t>> ImagePixels(const std::string& path, int res) {
  cv::Mat img = cv::imread(path, cv::IMREAD_UNCHANGED);
  if (img.empty()) return Status::DataError("cannot decode image '" + path + "'");
  const cv::Mat rgb = media::ToRgbOnWhite(img);
  const double scale = static_cast<double>(res) / std::max(rgb.cols, rgb.rows);
  const int w = std::max(1, static_cast<int>(rgb.cols * scale + 0.5)),
            h = std::max(1, static_cast<int>(rgb.rows * scale + 0.5));
  cv::Mat small;
  cv::resize(rgb, small, cv::Size(std::min(w, res), std::min(h, res)), 0, 0,
             scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  cv::Mat canvas(res, res, CV_8UC3, cv::Scalar(255, 255, 255));
  small.copyTo(canvas(cv::Rect((res - small.cols) / 2, (res - small.rows) / 2, small.cols, small.rows)));
  return std::vector<uint8_t>(canvas.data, canvas.data + static_cast<size_t>(res) * res * 3);
}

std::string ImageCacheDir() {
  if (const char* d = std::getenv("JUICER_CACHE_DIR")) return std::string(d) == "off" ? "" : d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/juicer";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/juicer";
  return "";
}

namespace {

std::string CacheFile(const std::string& dir, const std::string& path, int res) {
  struct stat st {};
  if (dir.empty() || ::stat(path.c_str(), &st) != 0) return "";
  std::error_code ec;
  const std::string abs = fs::absolute(path, ec).string();
  const std::string key = abs + "|" + std::to_string(st.st_size) + "|" + std::to_string(st.st_mtim.tv_sec) + "." +
                          std::to_string(st.st_mtim.tv_nsec) + "|" + std::to_string(res) + "|v1";
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH64(key.data(), key.size(), 0)));
  return dir + "/images-v1/" + std::to_string(res) + "/" + std::string(hex, 2) + "/" + hex + ".rgb";
}

bool ReadCache(const std::string& file, uint8_t* dst, size_t n) {
  if (file.empty()) return false;
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  in.read(reinterpret_cast<char*>(dst), static_cast<std::streamsize>(n));
  return static_cast<size_t>(in.gcount()) == n && in.peek() == EOF;
}

void WriteCache(const std::string& file, const uint8_t* src, size_t n) {
  if (file.empty()) return;
  std::error_code ec;
  fs::create_directories(fs::path(file).parent_path(), ec);
  const std::string tmp = file + ".tmp" + std::to_string(::getpid()) + "." +
                          std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return;  // the cache is an optimisation: an unwritable cache dir is not an error
    out.write(reinterpret_cast<const char*>(src), static_cast<std::streamsize>(n));
    if (!out) return;
  }
  fs::rename(tmp, file, ec);
  if (ec) fs::remove(tmp, ec);
}

}  // namespace

Result<ImageLoadStats> LoadImages(const std::vector<ProbeRecord>& records, int res, int threads,
                                  std::vector<uint8_t>* out, bool show_progress) {
  const size_t per = static_cast<size_t>(res) * res * 3, n = records.size();
  out->assign(n * per, 255);
  const std::string cache_dir = ImageCacheDir();
  const auto start = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0}, done{0}, decoded{0}, cached{0};
  std::mutex mu;
  ImageLoadStats stats;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) {
      const std::string& path = records[i].image_path;
      uint8_t* dst = out->data() + i * per;
      const std::string cfile = CacheFile(cache_dir, path, res);
      if (ReadCache(cfile, dst, per)) {
        ++cached;
      } else {
        auto px = ImagePixels(path, res);
        if (!px.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          stats.failed.emplace_back(i, records[i].origin + ": " + px.status().message());
        } else {
          std::copy(px->begin(), px->end(), dst);
          WriteCache(cfile, dst, per);
          ++decoded;
        }
      }
      const size_t d = ++done;
      if (show_progress && (d % 2000 == 0 || d == n)) {
        std::lock_guard<std::mutex> lock(mu);
        const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "images %zu/%zu (%zu from cache), %.0f/s, ETA %.0f s\n", d, n, cached.load(),
                     d / std::max(el, 1e-9), (n - d) * el / d);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::max(1, threads); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::sort(stats.failed.begin(), stats.failed.end());
  stats.decoded = decoded;
  stats.cached = cached;
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace juicer::probe
