// video: every real clip on the machine (opencv-doc, forensics-samples-files, Data-Juicer's test clips)
// with captions, plus synthetic clips of known motion rendered by ffmpeg from lavfi sources.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/json_text.h"
#include "datasets/dataset_output.h"
#include "datasets/dataset_registry.h"
#include "datasets/families.h"
#include "datasets/text_sources.h"

extern char** environ;

namespace fs = std::filesystem;

namespace juicer {

namespace {

const char* const kVideoCard =
    "Video clips in Data-Juicer JSONL (`{\"text\": \"<__dj__video> caption <|__dj__eoc|>\", \"videos\": "
    "[\"videos/x.mp4\"], \"__dj__meta__\": {...}}`, paths relative to the JSONL) for the video filters and "
    "mappers: every real clip available on this machine plus synthetic clips whose motion is known by "
    "construction. One split, `train.jsonl`; `thumbnails/` holds each clip's middle frame (PNG, ≤ 320 px), "
    "shown in `contact_sheet_train.png`.\n\n"
    "## Sources\n\n"
    "| source | clips | licence | captions |\n|---|---|---|---|\n"
    "| `opencv-doc` | Debian `opencv-doc`, `examples/data/`: `vtest.avi` (pedestrians, fixed camera, 768×576, "
    "80 s), `tree.avi` (tree through a window, 320×240), `Megamind.avi` (animated trailer, faces), "
    "`Megamind_bugy.avi` (the same with drawn-over artefacts) | OpenCV sample data (BSD-3-Clause / Apache-2.0) "
    "| written by hand for juicer after watching each clip |\n"
    "| `forensics-samples` | Debian `forensics-samples-files`, `original-files/movie1/*.mp4` (1080p phone clip "
    "of a dog) and `movie2/*.mp4` (screencast with webcam inset) | CC-BY-SA-4.0 (Joao Eriberto Mota Filho) "
    "| written by hand for juicer |\n"
    "| `data-juicer` | Data-Juicer's op-test clips, `<shared>/conformance/media/video*.mp4` (optional: absent "
    "→ no row in the counts; `BUILD_NOTES.md` says so). `video6`–`video9` are byte copies of `video1`–`video3` "
    "there and are skipped (identical SHA-256) | Apache-2.0 repository, third-party content (Youku cartoon, "
    "social-media clips) | Data-Juicer's own captions from its test suite (Chinese for video1–3, English for "
    "video4); `__dj__meta__.caption_en` adds an English translation written for juicer |\n"
    "| `synthetic` | rendered at build time by `ffmpeg` from lavfi sources, libx264 with `-fflags +bitexact "
    "-flags:v +bitexact -map_metadata -1 -threads 1` (byte-identical across builds on one ffmpeg version) "
    "| CC0-1.0 | template captions describing the generator |\n\n"
    "Real clips are copied byte for byte (original container and codec: AVI/MPEG-4, cinepak, H.264). "
    "`__dj__meta__` holds `source`, `license`, `caption_source`, the container's `width`, `height`, `fps` "
    "and `frames` as OpenCV reports them, and for synthetic clips `synthetic_motion` (`static` | `low` | "
    "`medium` | `high`) and `motion_pattern`. Reference: mean Farneback flow magnitude at half size measured "
    "on this kind of machine is 0.0 for `color`, ≈0.14 for `mandelbrot`, ≈0.30 for `life`, ≈1.07 for "
    "`testsrc2`; the pan clip moves 200 px/s (13.3 px/frame) to the left.\n\n"
    "Also synthetic: a vertical 9:16 clip, a tiny 64×48 clip, a 30 s static clip and a clip with one hard "
    "scene cut at 1.5 s, for the aspect-ratio, resolution, duration and scene-split ops.";

struct Clip {
  std::string source, license, file, out_name, caption, caption_en, caption_source;
  std::string motion, pattern;      // synthetic only
  std::vector<std::string> ffmpeg;  // synthetic only: arguments between "ffmpeg" and the output
};

const char* const kOpencvDir = "/usr/share/doc/opencv-doc/examples/data";
const char* const kForensicsDir = "/usr/share/forensics-samples/original-files";
const char* const kOpencvLicense = "OpenCV sample data (BSD-3-Clause / Apache-2.0)";
const char* const kForensicsLicense = "CC-BY-SA-4.0 (forensics-samples, Joao Eriberto Mota Filho)";
const char* const kDjLicense = "Apache-2.0 (Data-Juicer test data; third-party content)";
const char* const kHand = "hand-written for juicer";

std::vector<Clip> OpencvClips() {
  const std::string d = kOpencvDir;
  auto c = [&](const char* f, const char* caption) {
    return Clip{"opencv-doc", kOpencvLicense, d + "/" + f, std::string("opencv_") + f, caption, "", kHand, "", "", {}};
  };
  return {
      c("Megamind.avi",
        "An animated film clip in a candle-lit restaurant: a dark-haired woman in a purple dress holding a glass "
        "talks with a man in glasses, shown in alternating close-ups of their faces."),
      c("Megamind_bugy.avi",
        "The same animated restaurant scene with a woman and a man in glasses, damaged by artefacts: white "
        "rectangles and lines drawn over some frames."),
      c("tree.avi",
        "A leafy green tree filmed through a window against a bright overcast sky; near the end a hand passes "
        "in front of the camera."),
      c("vtest.avi",
        "A fixed elevated camera watches pedestrians walking along a curved path past a lawn, a lamp post and "
        "a brick building with parked white vans."),
  };
}

std::vector<Clip> ForensicsClips() {
  const std::string d = kForensicsDir;
  return {
      Clip{"forensics-samples", kForensicsLicense, d + "/movie1/VID_20191220_170832.mp4",
           "forensics_VID_20191220_170832.mp4",
           "A fluffy white dog lies on a tiled hallway floor with its head on its paws, looking at the camera.", "",
           kHand, "", "", {}},
      Clip{"forensics-samples", kForensicsLicense, d + "/movie2/movie-hello.mp4", "forensics_movie-hello.mp4",
           "A screen recording of a Linux terminal where a user types commands under the title \"Hello world...\", "
           "with a webcam picture of a man in glasses in the corner.",
           "", kHand, "", "", {}},
  };
}

std::vector<Clip> DataJuicerClips(const std::string& media) {
  const std::string dj = "Data-Juicer test suite";
  auto c = [&](const char* f, const char* caption, const char* en) {
    return Clip{"data-juicer", kDjLicense, media + "/" + f, std::string("dj_") + f, caption, en, dj, "", "", {}};
  };
  return {
      c("video1.mp4", "白色的小羊站在一旁讲话。旁边还有两只灰色猫咪和一只拉着灰狼的猫咪。",
        "A white lamb stands to one side talking. Beside it are two grey kittens and a kitten pulling a grey "
        "wolf."),
      c("video2.mp4", "身穿白色上衣的男子，拿着一个东西，拍打自己的胃部。",
        "A man in a white top holds something and pats his own stomach with it."),
      c("video3.mp4", "两个长头发的女子正坐在一张圆桌前讲话互动。",
        "Two long-haired women sit at a round table, talking with each other."),
      c("video4.mp4",
        "The video shows a girl brushing the hair of another girl who keeps moving her face around while the "
        "first girl keeps brushing the hair.",
        ""),
      c("video6.mp4", "", ""), c("video7.mp4", "", ""), c("video8.mp4", "", ""), c("video9.mp4", "", ""),
  };
}

std::vector<Clip> SyntheticClips() {
  const char* const kLic = "CC0-1.0 (rendered by juicer with ffmpeg)";
  const char* const kTpl = "template (synthetic)";
  auto lavfi = [](const std::string& src, const char* seconds = nullptr) {
    std::vector<std::string> a = {"-f", "lavfi", "-i", src};
    if (seconds != nullptr) a.insert(a.end(), {"-t", seconds});
    return a;
  };
  auto c = [&](const char* name, std::vector<std::string> args, const char* motion, const char* pattern,
               const char* caption) {
    return Clip{"synthetic", kLic, "", std::string("syn_") + name + ".mp4", caption, "", kTpl, motion, pattern,
                std::move(args)};
  };
  std::vector<std::string> cut = {"-f", "lavfi", "-i", "color=c=0xb03020:size=320x240:rate=15:duration=1.5",
                                  "-f", "lavfi", "-i", "color=c=0x2040b0:size=320x240:rate=15:duration=1.5",
                                  "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0"};
  return {
      c("static_gray", lavfi("color=c=gray:size=320x240:rate=15:duration=3"), "static", "none",
        "A plain grey frame that never changes."),
      c("static_bars", lavfi("smptebars=size=320x240:rate=15:duration=3"), "static", "none",
        "Motionless SMPTE colour bars, a television test card."),
      c("testsrc2", lavfi("testsrc2=size=320x240:rate=15:duration=3"), "high", "moving shapes",
        "A synthetic test pattern with moving coloured shapes, a running frame counter and scrolling gradients."),
      c("pan_left",
        lavfi("mandelbrot=size=960x240:rate=15:start_scale=0.5:end_scale=0.5:end_pts=100,"
              "crop=w=320:h=240:x='t*200':y=0",
              "3"),
        "high", "pan",
        "A colourful fractal picture sliding steadily to the left, as if the camera pans right."),
      c("life", lavfi("life=size=320x240:rate=15:mold=10:ratio=0.1:seed=7:life_color=#00ff00:death_color=#400000",
                      "3"),
        "medium", "cellular automaton",
        "Green cells of Conway's Game of Life appearing and dying on a dark background."),
      c("mandelbrot", lavfi("mandelbrot=size=320x240:rate=15", "3"), "low", "slow zoom",
        "A slow zoom into a colourful Mandelbrot fractal."),
      c("vertical_testsrc2", lavfi("testsrc2=size=180x320:rate=15:duration=2"), "high", "moving shapes",
        "A tall 9:16 synthetic test pattern with moving shapes and a frame counter."),
      c("tiny_testsrc2", lavfi("testsrc2=size=64x48:rate=10:duration=1"), "high", "moving shapes",
        "A tiny, one-second synthetic test pattern."),
      c("long_static", lavfi("color=c=navy:size=320x240:rate=5:duration=30"), "static", "none",
        "Thirty seconds of a plain dark blue frame."),
      c("scene_cut", cut, "static", "one hard cut at 1.5 s",
        "A red frame that cuts abruptly to a blue frame halfway through."),
  };
}

// Runs a program (searched in PATH) with arguments; stdout/stderr go to log_path.
Status RunProgram(const std::vector<std::string>& argv, const std::string& log_path) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return MissingSource(argv[0], argv[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return Status::IOError(argv[0] + ": waitpid failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    auto log = ReadWholeFile(log_path);
    return Status::IOError(argv[0] + " failed: " + (log.ok() ? Trim(Utf8Prefix(*log, 600)) : std::string("?")));
  }
  return Status::OK();
}

bool InPath(const std::string& prog) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  size_t s = 0;
  while (s <= p.size()) {
    size_t e = p.find(':', s);
    if (e == std::string::npos) e = p.size();
    const std::string cand = p.substr(s, e - s) + "/" + prog;
    if (access(cand.c_str(), X_OK) == 0) return true;
    s = e + 1;
  }
  return false;
}

struct VideoInfo {
  int width = 0, height = 0, frames = 0;
  double fps = 0;
  cv::Mat middle;
};

// Container properties and the middle frame (read sequentially: seeking is not exact for every codec).
Result<VideoInfo> Probe(const std::string& path) {
  cv::VideoCapture cap(path, cv::CAP_FFMPEG);
  if (!cap.isOpened()) return Status::DataError(path + ": OpenCV cannot open the video");
  VideoInfo v;
  v.width = static_cast<int>(cap.get(cv::CAP_PROP_FRAME_WIDTH));
  v.height = static_cast<int>(cap.get(cv::CAP_PROP_FRAME_HEIGHT));
  v.fps = cap.get(cv::CAP_PROP_FPS);
  v.frames = static_cast<int>(cap.get(cv::CAP_PROP_FRAME_COUNT));
  const int target = std::max(0, v.frames / 2);
  cv::Mat frame;
  for (int i = 0; i <= target; ++i) {
    if (!cap.read(frame) || frame.empty()) break;
    frame.copyTo(v.middle);
  }
  if (v.middle.empty()) return Status::DataError(path + ": no frame could be decoded");
  return v;
}

cv::Mat Thumbnail(const cv::Mat& frame) {
  const double s = std::min(1.0, 320.0 / std::max(frame.cols, frame.rows));
  if (s >= 1.0) return frame;
  cv::Mat out;
  cv::resize(frame, out, cv::Size(std::max(1, static_cast<int>(std::lround(frame.cols * s))),
                                  std::max(1, static_cast<int>(std::lround(frame.rows * s)))),
             0, 0, cv::INTER_AREA);
  return out;
}

std::string SampleJson(const Clip& c, const VideoInfo& v) {
  std::string j = "{\"text\":";
  AppendJsonString("<__dj__video> " + c.caption + " <|__dj__eoc|>", &j);
  j += ",\"videos\":[";
  AppendJsonString("videos/" + c.out_name, &j);
  j += "],\"__dj__meta__\":{\"source\":";
  AppendJsonString(c.source, &j);
  j += ",\"license\":";
  AppendJsonString(c.license, &j);
  j += ",\"caption_source\":";
  AppendJsonString(c.caption_source, &j);
  if (!c.caption_en.empty()) {
    j += ",\"caption_en\":";
    AppendJsonString(c.caption_en, &j);
  }
  if (!c.motion.empty()) {
    j += ",\"synthetic_motion\":";
    AppendJsonString(c.motion, &j);
    j += ",\"motion_pattern\":";
    AppendJsonString(c.pattern, &j);
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, ",\"width\":%d,\"height\":%d,\"fps\":%.3f,\"frames\":%d}}", v.width, v.height,
                v.fps, v.frames);
  j += buf;
  return j;
}

Status BuildVideo(const DatasetBuildOptions& o, DatasetOutput& out) {
  std::vector<std::string> notes;
  std::vector<Clip> clips;
  // real clips: required system packages, optional Data-Juicer media
  for (auto& c : OpencvClips()) {
    if (!IsFile(c.file)) return MissingSource(c.file, "opencv-doc");
    clips.push_back(std::move(c));
  }
  for (auto& c : ForensicsClips()) {
    if (!IsFile(c.file)) return MissingSource(c.file, "forensics-samples-files");
    clips.push_back(std::move(c));
  }
  const std::string media = o.shared_dir + "/conformance/media";
  std::set<std::string> seen_hashes;
  for (auto& c : DataJuicerClips(media)) {
    if (!IsFile(c.file)) {
      notes.push_back("- Data-Juicer clip `" + c.file + "` not found: skipped.");
      continue;
    }
    JUICER_ASSIGN_OR_RETURN(std::string h, Sha256File(c.file));
    if (!seen_hashes.insert(h).second) continue;  // byte copy of an earlier clip
    if (c.caption.empty()) c.caption = "A clip from Data-Juicer's test media.";
    clips.push_back(std::move(c));
  }
  if (!InPath("ffmpeg")) return MissingSource("ffmpeg", "ffmpeg");
  for (auto& c : SyntheticClips()) clips.push_back(std::move(c));

  std::error_code ec;
  fs::create_directories(out.dir() + "/videos", ec);
  const std::string log = out.dir() + "/.ffmpeg.log";
  std::map<std::string, size_t> per_source;
  for (const auto& c : clips) {
    if (o.limit > 0 && per_source[c.source] >= o.limit) continue;
    const std::string dst = out.dir() + "/videos/" + c.out_name;
    if (c.ffmpeg.empty()) {
      fs::copy_file(c.file, dst, fs::copy_options::overwrite_existing, ec);
      if (ec) return Status::IOError(dst + ": copy failed: " + ec.message());
      // the source may be read-only (shared media): the copy belongs to the dataset
      fs::permissions(dst, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                               fs::perms::others_read, ec);
    } else {
      std::vector<std::string> argv = {"ffmpeg", "-nostdin", "-v", "error", "-y"};
      argv.insert(argv.end(), c.ffmpeg.begin(), c.ffmpeg.end());
      for (const char* a : {"-an", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "medium", "-crf", "23",
                            "-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata",
                            "-1", "-movflags", "+faststart"})
        argv.emplace_back(a);
      argv.push_back(dst);
      JUICER_RETURN_IF_ERROR(RunProgram(argv, log).WithContext(c.out_name + ": "));
    }
    JUICER_ASSIGN_OR_RETURN(VideoInfo v, Probe(dst));
    const std::string thumb = "thumbnails/" + fs::path(c.out_name).stem().string() + ".png";
    JUICER_RETURN_IF_ERROR(out.WriteImage(thumb, Thumbnail(v.middle)));
    out.AddSample("train", SampleJson(c, v));
    out.CountSource("train", c.source);
    std::string label = c.caption_en.empty() ? c.caption : c.caption_en;
    if (!c.motion.empty()) label = "[" + c.motion + "] " + label;
    out.AddContact("train", ContactItem{thumb, label});
    ++per_source[c.source];
    if (o.progress) std::fprintf(stderr, "video: %-36s %dx%d %d frames\n", c.out_name.c_str(), v.width, v.height, v.frames);
  }
  fs::remove(log, ec);
  if (!notes.empty()) {
    std::string text = "# Build notes\n\n";
    for (const auto& n : notes) text += n + "\n";
    JUICER_RETURN_IF_ERROR(out.WriteText("BUILD_NOTES.md", text));
  }
  return Status::OK();
}

}  // namespace

void RegisterVideoDatasets(DatasetRegistry& registry) {
  Status s = registry.Add(DatasetInfo{
      "video",
      "real clips (opencv-doc, forensics samples, Data-Juicer test clips) with captions + synthetic clips of "
      "known motion (ffmpeg lavfi)",
      kVideoCard,
      {"opencv-doc", "forensics-samples-files", "ffmpeg"},
      {},
      BuildVideo,
  });
  if (!s.ok()) std::fprintf(stderr, "juicer: %s\n", s.message().c_str());
}

}  // namespace juicer
