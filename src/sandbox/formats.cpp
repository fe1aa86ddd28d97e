#include "sandbox/formats.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/text_util.h"
#include "core/dataset_writer.h"
#include "core/media.h"

namespace juicer::sandbox {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDjEoc = "<|__dj__eoc|>";

// ---------------------------------------------------------------------------------------------
// Python-compatible text helpers

// Length of the Python-whitespace code point that starts at s[i] (0 when none). Python's
// str.isspace: ASCII \t\n\v\f\r, \x1c-\x1f, space, and the Unicode White_Space / B / S code points.
size_t SpaceAt(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
  if (c == 0xc2 && i + 1 < s.size()) {
    const auto d = static_cast<unsigned char>(s[i + 1]);
    return (d == 0x85 || d == 0xa0) ? 2 : 0;
  }
  if (i + 2 >= s.size()) return 0;
  const auto d = static_cast<unsigned char>(s[i + 1]), e = static_cast<unsigned char>(s[i + 2]);
  if (c == 0xe1 && d == 0x9a && e == 0x80) return 3;  // U+1680
  if (c == 0xe2 && d == 0x80 && (e <= 0x8a || e == 0xa8 || e == 0xa9 || e == 0xaf))
    return 3;                                         // U+2000-200A, 2028/9, 202F
  if (c == 0xe2 && d == 0x81 && e == 0x9f) return 3;  // U+205F
  if (c == 0xe3 && d == 0x80 && e == 0x80) return 3;  // U+3000
  return 0;
}

// Python's str.strip() on UTF-8 text.
std::string_view PyStrip(std::string_view s) {
  size_t b = 0;
  while (b < s.size()) {
    const size_t n = SpaceAt(s, b);
    if (n == 0) break;
    b += n;
  }
  size_t e = s.size();
  while (e > b) {
    // step back one code point
    size_t start = e - 1;
    while (start > b && (static_cast<unsigned char>(s[start]) & 0xc0) == 0x80) --start;
    if (SpaceAt(s, start) != e - start) break;
    e = start;
  }
  return s.substr(b, e - b);
}

bool StartsWith(std::string_view s, std::string_view p) { return !p.empty() && s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return !p.empty() && s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Python's str(x) of a JSON scalar (ids): strings as they are, numbers as Python prints them.
std::string PyStr(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_null()) return "None";
  if (v.is_number_float()) return PyFloatRepr(v.get<double>());
  if (v.is_number()) return v.dump();
  return PyJsonDumps(v, false);
}

// ---------------------------------------------------------------------------------------------
// Config helpers

template <typename T>
Result<T> Option(const Json& cfg, const std::string& key, T def) {
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return def;
  try {
    return it->get<T>();
  } catch (const Json::exception&) {
    return Status::InvalidArgument("general data executor: option '" + key + "' has the wrong type (" +
                                   it->type_name() + ")");
  }
}

struct IoPaths {
  std::vector<std::string> inputs;
  std::string export_dir;
};

// DJ's check_io_paths, stricter: a missing input is an error instead of being skipped.
Result<IoPaths> CheckIoPaths(const Json& cfg) {
  IoPaths io;
  auto it = cfg.find("dataset_path");
  if (it == cfg.end() || it->is_null()) {
    return Status::InvalidArgument("general data executor: 'dataset_path' is not specified");
  }
  if (it->is_string()) {
    io.inputs.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (const Json& p : *it) {
      if (!p.is_string())
        return Status::InvalidArgument("general data executor: 'dataset_path' entries must be strings");
      io.inputs.push_back(p.get<std::string>());
    }
  } else {
    return Status::InvalidArgument("general data executor: 'dataset_path' must be a path or a list of paths");
  }
  std::error_code ec;
  for (const std::string& p : io.inputs) {
    if (!fs::is_regular_file(p, ec))
      return Status::NotFound("general data executor: dataset_path '" + p + "' does not exist");
  }
  auto ex = cfg.find("export_path");
  if (ex == cfg.end() || !ex->is_string() || ex->get<std::string>().empty()) {
    return Status::InvalidArgument("general data executor: 'export_path' (a directory) is not specified");
  }
  io.export_dir = ex->get<std::string>();
  fs::create_directories(io.export_dir, ec);
  if (ec) return Status::IOError("cannot create export_path '" + io.export_dir + "': " + ec.message());
  return io;
}

std::string OutputPath(const IoPaths& io, const std::string& input, const std::string& suffix) {
  return (fs::path(io.export_dir) / (fs::path(input).stem().string() + suffix)).string();
}

// Reads a JSONL file (blank lines skipped) or, for a .json file, a JSON array. `lines` gets each
// sample's 1-based line (JSONL) or element index + 1 (array).
Status ReadSamples(const std::string& path, std::vector<Json>* samples, std::vector<uint64_t>* lines) {
  JUICER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  if (fs::path(path).extension() == ".json") {
    Json arr = Json::parse(text, nullptr, false);
    if (arr.is_discarded() || !arr.is_array()) return Status::DataError(path + ": not a JSON array of samples");
    for (size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_object())
        return Status::DataError(path + ":" + std::to_string(i + 1) + ": sample is not an object");
      samples->push_back(std::move(arr[i]));
      lines->push_back(i + 1);
    }
    return Status::OK();
  }
  size_t pos = 0;
  uint64_t line = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    ++line;
    std::string_view l(text.data() + pos, nl - pos);
    pos = nl + 1;
    if (PyStrip(l).empty()) continue;
    Json v = Json::parse(l, nullptr, false);
    if (v.is_discarded()) return Status::DataError(path + ":" + std::to_string(line) + ": invalid JSON line");
    if (!v.is_object()) return Status::DataError(path + ":" + std::to_string(line) + ": sample is not a JSON object");
    samples->push_back(std::move(v));
    lines->push_back(line);
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// dj_to_llava

struct DjToLlavaOptions {
  bool keep_only_first_image = true;
  std::string eoc, image_token, sep;
  bool restore_questions = false;
  Json original;                            // the original LLaVA dataset when restore_questions
  std::map<std::string, size_t> id_to_idx;  // str(id) -> index in `original` (last wins, like DJ)
};

// DJ's clean_sentence.
std::string CleanSentence(std::string_view s, size_t round, const DjToLlavaOptions& o) {
  s = PyStrip(s);
  if (EndsWith(s, o.sep)) s = PyStrip(s.substr(0, s.size() - o.sep.size()));
  if (EndsWith(s, o.eoc)) s = PyStrip(s.substr(0, s.size() - o.eoc.size()));
  if (round > 0 && o.keep_only_first_image) {
    if (StartsWith(s, o.image_token)) {
      s = PyStrip(s.substr(o.image_token.size()));
      if (StartsWith(s, o.sep)) s = PyStrip(s.substr(o.sep.size()));
    }
    if (EndsWith(s, o.image_token)) {
      s = PyStrip(s.substr(0, s.size() - o.image_token.size()));
      if (EndsWith(s, o.sep)) s = PyStrip(s.substr(0, s.size() - o.sep.size()));
    }
  }
  return std::string(s);
}

// re.split(r"\[\[([a-zA-Z]*?)\]\]: ", text): [before, role1, sent1, role2, sent2, ...].
std::vector<std::string_view> SplitRoles(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t last = 0, i = 0;
  while (i + 1 < text.size()) {
    if (text[i] == '[' && text[i + 1] == '[') {
      size_t j = i + 2;
      while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j])) &&
             static_cast<unsigned char>(text[j]) < 0x80)
        ++j;
      if (text.substr(j, 4) == "]]: ") {
        parts.push_back(text.substr(last, i - last));
        parts.push_back(text.substr(i + 2, j - i - 2));
        i = last = j + 4;
        continue;
      }
    }
    ++i;
  }
  parts.push_back(text.substr(last));
  return parts;
}

Result<Json> DjSampleToLlava(const Json& sample, const std::string& where, const DjToLlavaOptions& o) {
  auto id_it = sample.find("id");
  if (id_it == sample.end()) return Status::DataError(where + ": sample has no 'id'");
  Json sid = *id_it;
  auto text_it = sample.find("text");
  if (text_it == sample.end() || !text_it->is_string())
    return Status::DataError(where + ": sample has no string 'text'");
  const std::string& text = text_it->get_ref<const std::string&>();
  std::vector<std::string> images;
  if (auto im = sample.find("images"); im != sample.end() && !im->is_null()) {
    if (!im->is_array()) return Status::DataError(where + ": 'images' is not a list");
    for (const Json& p : *im) {
      if (!p.is_string()) return Status::DataError(where + ": 'images' holds a non-string");
      if (std::find(images.begin(), images.end(), p.get<std::string>()) == images.end())
        images.push_back(p.get<std::string>());
    }
  }
  if (images.size() > 1) {
    return Status::DataError(where + ": sample with id [" + PyStr(sid) + "] has " + std::to_string(images.size()) +
                             " distinct images; LLaVA allows one");
  }
  Json conversations = Json::array();
  if (o.restore_questions) {
    auto idx = o.id_to_idx.find(PyStr(sid));
    if (idx == o.id_to_idx.end()) {
      return Status::DataError(where + ": id [" + PyStr(sid) + "] is not in original_llava_ds_path");
    }
    const Json& ori = o.original[idx->second];
    sid = ori.at("id");
    const Json* convs = ori.contains("conversations") ? &ori["conversations"] : nullptr;
    if (convs == nullptr || !convs->is_array() || convs->size() < 2 || !(*convs)[1].is_object() ||
        !(*convs)[1].contains("from")) {
      return Status::DataError(where + ": the original sample of id [" + PyStr(sid) + "] has fewer than 2 turns");
    }
    conversations.push_back((*convs)[0]);
    conversations.push_back(Json{{"from", (*convs)[1]["from"]}, {"value", CleanSentence(text, 1, o)}});
  } else {
    std::vector<std::string_view> parts = SplitRoles(text);
    if (parts[0].empty()) parts.erase(parts.begin());
    if (parts.size() % 4 != 0) {
      return Status::DataError(where + ": text of id [" + PyStr(sid) + "] has unbalanced (human, robot) turns (" +
                               std::to_string(parts.size()) + " parts)");
    }
    for (size_t i = 0; i < parts.size() / 2; ++i) {
      conversations.push_back(
          Json{{"from", std::string(parts[2 * i])}, {"value", CleanSentence(parts[2 * i + 1], i, o)}});
    }
  }
  Json out = Json::object();
  out["id"] = sid;
  out["conversations"] = std::move(conversations);
  if (images.size() == 1) out["image"] = images[0];
  return out;
}

Result<Json> RunDjToLlava(const Json& cfg) {
  DjToLlavaOptions o;
  JUICER_ASSIGN_OR_RETURN(o.keep_only_first_image, Option<bool>(cfg, "keep_only_first_image", true));
  JUICER_ASSIGN_OR_RETURN(o.eoc, Option<std::string>(cfg, "eoc_special_token", std::string(kDjEoc)));
  JUICER_ASSIGN_OR_RETURN(o.image_token, Option<std::string>(cfg, "image_special_token", "<image>"));
  JUICER_ASSIGN_OR_RETURN(o.sep, Option<std::string>(cfg, "sent_separator", "\n"));
  JUICER_ASSIGN_OR_RETURN(o.restore_questions, Option<bool>(cfg, "restore_questions", false));
  if (o.restore_questions) {
    JUICER_ASSIGN_OR_RETURN(std::string ori_path, Option<std::string>(cfg, "original_llava_ds_path", ""));
    if (ori_path.empty()) {
      return Status::InvalidArgument("dj_to_llava: restore_questions needs 'original_llava_ds_path'");
    }
    JUICER_ASSIGN_OR_RETURN(o.original, LoadJsonFile(ori_path));
    if (!o.original.is_array()) return Status::DataError(ori_path + ": not a JSON array of LLaVA samples");
    for (size_t i = 0; i < o.original.size(); ++i) {
      if (!o.original[i].is_object() || !o.original[i].contains("id")) {
        return Status::DataError(ori_path + ":" + std::to_string(i + 1) + ": LLaVA sample without 'id'");
      }
      o.id_to_idx[PyStr(o.original[i]["id"])] = i;
    }
  }
  JUICER_ASSIGN_OR_RETURN(IoPaths io, CheckIoPaths(cfg));
  Json outputs = Json::array();
  for (const std::string& in : io.inputs) {
    std::vector<Json> samples;
    std::vector<uint64_t> lines;
    JUICER_RETURN_IF_ERROR(ReadSamples(in, &samples, &lines));
    Json converted = Json::array();
    for (size_t i = 0; i < samples.size(); ++i) {
      JUICER_ASSIGN_OR_RETURN(Json s, DjSampleToLlava(samples[i], in + ":" + std::to_string(lines[i]), o));
      converted.push_back(std::move(s));
    }
    const std::string out = OutputPath(io, in, "_llava_fmt.json");
    JUICER_RETURN_IF_ERROR(WriteFileAtomic(out, PyJsonDumps(converted, true)));
    outputs.push_back(out);
  }
  return outputs;
}

// ---------------------------------------------------------------------------------------------
// llava_to_dj

struct LlavaToDjOptions {
  bool str_id = true, split_chunk = false, image_broadcast = false, add_eoc_at_last = true;
  bool only_keep_caption = false;
  std::string broadcast_pos, eoc, image_token, sep;
  uint64_t seed = 42;
};

Result<Json> LlavaSampleToDj(const Json& sample, const std::string& where, const LlavaToDjOptions& o,
                             std::mt19937_64& rng) {
  if (!sample.is_object() || !sample.contains("id")) return Status::DataError(where + ": LLaVA sample without 'id'");
  Json id = sample["id"];
  if (o.str_id) id = PyStr(id);
  std::string image;
  if (auto it = sample.find("image"); it != sample.end() && !it->is_null()) {
    if (!it->is_string()) return Status::DataError(where + ": 'image' is not a string");
    image = it->get<std::string>();
  }
  auto conv_it = sample.find("conversations");
  if (conv_it == sample.end() || !conv_it->is_array()) return Status::DataError(where + ": no 'conversations' list");
  const Json& convs = *conv_it;
  if (convs.size() % 2 != 0) {
    return Status::DataError(where + ": conversations of id [" + PyStr(sample["id"]) +
                             "] have unbalanced (human, robot) rounds (" + std::to_string(convs.size()) + " turns)");
  }
  Json images = Json::array();
  std::string first_pos;
  std::vector<std::string> formatted;
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (size_t i = 0; i < convs.size() / 2; ++i) {
    const Json& h = convs[2 * i];
    const Json& r = convs[2 * i + 1];
    for (const Json* t : {&h, &r}) {
      if (!t->is_object() || !t->contains("from") || !t->contains("value") || !(*t)["from"].is_string() ||
          !(*t)["value"].is_string()) {
        return Status::DataError(where + ": conversation turn without string 'from' and 'value'");
      }
    }
    const std::string role_h = "[[" + h["from"].get<std::string>() + "]]: ";
    const std::string role_r = "[[" + r["from"].get<std::string>() + "]]: ";
    std::string sent_h = h["value"].get<std::string>();
    const std::string sent_r = r["value"].get<std::string>();
    if (image.empty()) {
      // not a multimodal sample: keep the text as it is
    } else if (i == 0) {
      if (StartsWith(sent_h, o.image_token)) {
        first_pos = "before";
      } else if (EndsWith(sent_h, o.image_token)) {
        first_pos = "after";
      } else {
        return Status::DataError(where + ": the first human turn of id [" + PyStr(sample["id"]) +
                                 "] neither starts nor ends with '" + o.image_token + "'");
      }
      images.push_back(image);
    } else if (o.image_broadcast) {
      std::string pos = o.broadcast_pos;
      if (pos == "random") pos = coin(rng) < 0.5 ? "before" : "after";
      if (pos == "follow") pos = first_pos == "before" ? "before" : "after";
      sent_h = pos == "before" ? o.image_token + o.sep + sent_h : sent_h + o.sep + o.image_token;
      images.push_back(image);
    }
    if (o.only_keep_caption) {
      formatted.push_back(o.image_token + o.sep + sent_r);
    } else {
      formatted.push_back(role_h + sent_h + o.sep + role_r + sent_r);
    }
  }
  const std::string join_sep = o.split_chunk ? " " + o.eoc + o.sep : o.sep;
  std::string text;
  for (size_t i = 0; i < formatted.size(); ++i) {
    if (i > 0) text += join_sep;
    text += formatted[i];
  }
  if (o.add_eoc_at_last) text += " " + o.eoc;
  Json out = Json::object();
  out["id"] = id;
  out["text"] = text;
  out["images"] = images;
  return out;
}

Result<Json> RunLlavaToDj(const Json& cfg) {
  LlavaToDjOptions o;
  JUICER_ASSIGN_OR_RETURN(o.str_id, Option<bool>(cfg, "str_id", true));
  JUICER_ASSIGN_OR_RETURN(o.split_chunk, Option<bool>(cfg, "split_chunk", false));
  JUICER_ASSIGN_OR_RETURN(o.image_broadcast, Option<bool>(cfg, "image_broadcast", false));
  JUICER_ASSIGN_OR_RETURN(o.broadcast_pos, Option<std::string>(cfg, "image_broadcast_pos", "random"));
  JUICER_ASSIGN_OR_RETURN(o.eoc, Option<std::string>(cfg, "eoc_special_token", std::string(kDjEoc)));
  JUICER_ASSIGN_OR_RETURN(o.image_token, Option<std::string>(cfg, "image_special_token", "<image>"));
  JUICER_ASSIGN_OR_RETURN(o.add_eoc_at_last, Option<bool>(cfg, "add_eoc_at_last", true));
  JUICER_ASSIGN_OR_RETURN(o.sep, Option<std::string>(cfg, "sent_separator", "\n"));
  JUICER_ASSIGN_OR_RETURN(o.only_keep_caption, Option<bool>(cfg, "only_keep_caption", false));
  JUICER_ASSIGN_OR_RETURN(o.seed, Option<uint64_t>(cfg, "seed", 42));
  if (o.image_broadcast) {
    if (!o.split_chunk) return Status::InvalidArgument("llava_to_dj: image_broadcast needs split_chunk: true");
    static const std::vector<std::string> kPos = {"random", "before", "after", "follow"};
    if (std::find(kPos.begin(), kPos.end(), o.broadcast_pos) == kPos.end()) {
      return Status::InvalidArgument(
          "llava_to_dj: image_broadcast_pos must be one of random, before, after, follow; got '" + o.broadcast_pos +
          "'");
    }
  }
  JUICER_ASSIGN_OR_RETURN(IoPaths io, CheckIoPaths(cfg));
  Json outputs = Json::array();
  std::mt19937_64 rng(o.seed);
  for (const std::string& in : io.inputs) {
    JUICER_ASSIGN_OR_RETURN(Json ds, LoadJsonFile(in));
    if (!ds.is_array()) return Status::DataError(in + ": not a JSON array of LLaVA samples");
    std::string text;
    for (size_t i = 0; i < ds.size(); ++i) {
      JUICER_ASSIGN_OR_RETURN(Json s, LlavaSampleToDj(ds[i], in + ":" + std::to_string(i + 1), o, rng));
      text += PyJsonDumps(s, false);
      text += '\n';
    }
    const std::string out = OutputPath(io, in, "_dj_fmt.jsonl");
    JUICER_RETURN_IF_ERROR(WriteFileAtomic(out, text));
    outputs.push_back(out);
  }
  return outputs;
}

// ---------------------------------------------------------------------------------------------
// dj_to_webdataset

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

// One shard being written: a ustar file at `tmp`, renamed to `path` when closed.
class TarShard {
 public:
  Status Open(const std::string& path) {
    path_ = path;
    tmp_ = path + ".tmp";
    a_.reset(archive_write_new());
    if (!a_ || archive_write_set_format_ustar(a_.get()) != ARCHIVE_OK ||
        archive_write_add_filter_none(a_.get()) != ARCHIVE_OK ||
        archive_write_open_filename(a_.get(), tmp_.c_str()) != ARCHIVE_OK) {
      return Error("cannot open");
    }
    return Status::OK();
  }
  Status Add(const std::string& name, std::string_view bytes) {
    std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_mtime(e.get(), 0, 0);
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    if (archive_write_header(a_.get(), e.get()) != ARCHIVE_OK) return Error("cannot add " + name + " to");
    if (!bytes.empty() &&
        archive_write_data(a_.get(), bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())) {
      return Error("cannot write " + name + " to");
    }
    return Status::OK();
  }
  Status Close() {
    if (archive_write_close(a_.get()) != ARCHIVE_OK) return Error("cannot finish");
    a_.reset();
    std::error_code ec;
    fs::rename(tmp_, path_, ec);
    if (ec) return Status::IOError("cannot rename " + tmp_ + " to " + path_ + ": " + ec.message());
    return Status::OK();
  }
  // Drops a half-written shard.
  void Abandon() {
    a_.reset();
    std::error_code ec;
    if (!tmp_.empty()) fs::remove(tmp_, ec);
  }
  ~TarShard() {
    if (a_) Abandon();
  }

 private:
  Status Error(const std::string& what) {
    std::string msg = what + " shard " + path_;
    if (a_ && archive_error_string(a_.get()) != nullptr) msg += std::string(": ") + archive_error_string(a_.get());
    return Status::IOError(msg);
  }
  std::string path_, tmp_;
  std::unique_ptr<archive, ArchiveDeleter> a_;
};

std::string Padded(uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(n));
  return buf;
}

// ".JPG" -> "jpg"; no extension -> "bin". Dots are WebDataset's separators, so only the last one counts.
std::string MediaExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  if (ext.size() <= 1) return "bin";
  ext = ext.substr(1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// The members of one sample, sorted by name.
Result<std::vector<std::pair<std::string, std::string>>> SampleMembers(const Json& sample, const SampleOrigin& origin,
                                                                       const std::string& key,
                                                                       const std::string& text_key,
                                                                       const std::string& image_key) {
  std::vector<std::pair<std::string, std::string>> members;
  Json meta = sample;
  if (auto im = sample.find(image_key); im != sample.end() && !im->is_null()) {
    const std::string where = origin.ToString() + ": field '" + image_key + "'";
    if (!im->is_array()) return Status::DataError(where + " is not a list");
    for (size_t j = 0; j < im->size(); ++j) {
      if (!(*im)[j].is_string()) return Status::DataError(where + " holds a non-string");
      const std::string path = (*im)[j].get<std::string>();
      auto resolved = ResolveMediaPath(origin, image_key, path);
      if (!resolved.ok()) return Status::DataError(resolved.status().message());
      JUICER_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(*resolved));
      const std::string name = im->size() == 1 ? key + "." + MediaExtension(path)
                                               : key + "." + std::to_string(j) + "." + MediaExtension(path);
      members.emplace_back(name, std::move(bytes));
    }
    meta.erase(image_key);
  }
  members.emplace_back(key + ".json", meta.dump(-1, ' ', false, Json::error_handler_t::replace));
  if (auto t = sample.find(text_key); t != sample.end() && t->is_string())
    members.emplace_back(key + ".txt", t->get<std::string>());
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return members;
}

Result<Json> RunDjToWebDataset(const Json& cfg) {
  JUICER_ASSIGN_OR_RETURN(int64_t per_shard, Option<int64_t>(cfg, "samples_per_shard", 1000));
  if (per_shard < 1) return Status::InvalidArgument("dj_to_webdataset: samples_per_shard must be >= 1");
  JUICER_ASSIGN_OR_RETURN(std::string text_key, Option<std::string>(cfg, "text_key", "text"));
  JUICER_ASSIGN_OR_RETURN(std::string image_key, Option<std::string>(cfg, "image_key", "images"));
  JUICER_ASSIGN_OR_RETURN(IoPaths io, CheckIoPaths(cfg));
  Json outputs = Json::array();
  TarShard shard;
  bool open = false;
  uint64_t index = 0;
  for (const std::string& in : io.inputs) {
    std::vector<Json> samples;
    std::vector<uint64_t> lines;
    JUICER_RETURN_IF_ERROR(ReadSamples(in, &samples, &lines));
    for (size_t i = 0; i < samples.size(); ++i, ++index) {
      const SampleOrigin origin{in, lines[i]};
      JUICER_ASSIGN_OR_RETURN(auto members, SampleMembers(samples[i], origin, Padded(index, 9), text_key, image_key));
      if (!open) {
        const std::string path =
            (fs::path(io.export_dir) / ("shard-" + Padded(index / static_cast<uint64_t>(per_shard), 6) + ".tar"))
                .string();
        JUICER_RETURN_IF_ERROR(shard.Open(path));
        outputs.push_back(path);
        open = true;
      }
      for (const auto& [name, bytes] : members) JUICER_RETURN_IF_ERROR(shard.Add(name, bytes));
      if ((index + 1) % static_cast<uint64_t>(per_shard) == 0) {
        JUICER_RETURN_IF_ERROR(shard.Close());
        open = false;
      }
    }
  }
  if (open) JUICER_RETURN_IF_ERROR(shard.Close());
  return outputs;
}

}  // namespace

std::string PyJsonDumps(const Json& value, bool ensure_ascii) {
  switch (value.type()) {
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        out += Json(it.key()).dump(-1, ' ', ensure_ascii, Json::error_handler_t::replace);
        out += ": ";
        out += PyJsonDumps(it.value(), ensure_ascii);
      }
      return out + "}";
    }
    case Json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ", ";
        out += PyJsonDumps(value[i], ensure_ascii);
      }
      return out + "]";
    }
    case Json::value_t::number_float: {
      const double d = value.get<double>();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return PyFloatRepr(d);
    }
    default:
      return value.dump(-1, ' ', ensure_ascii, Json::error_handler_t::replace);
  }
}

Result<Json> RunGeneralDataExecutor(const Json& cfg) {
  if (!cfg.is_object()) return Status::InvalidArgument("general data executor: the config is not a mapping");
  auto t = cfg.find("type");
  if (t == cfg.end() || !t->is_string())
    return Status::InvalidArgument("general data executor: 'type' is not specified");
  const std::string type = t->get<std::string>();
  if (type == "dj_to_llava") return RunDjToLlava(cfg);
  if (type == "llava_to_dj") return RunLlavaToDj(cfg);
  if (type == "dj_to_webdataset") return RunDjToWebDataset(cfg);
  return Status::InvalidArgument("general data executor: unknown type '" + type +
                                 "' (available: dj_to_llava, llava_to_dj, dj_to_webdataset)");
}

}  // namespace juicer::sandbox
