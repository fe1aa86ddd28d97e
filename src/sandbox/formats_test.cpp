#include "sandbox/formats.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

namespace juicer::sandbox {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Put(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

// (name, size, bytes) of every member of a tar, in archive order.
std::vector<std::tuple<std::string, int64_t, std::string>> ListTar(const std::string& path) {
  std::vector<std::tuple<std::string, int64_t, std::string>> out;
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  if (archive_read_open_filename(a, path.c_str(), 10240) != ARCHIVE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << archive_error_string(a);
    archive_read_free(a);
    return out;
  }
  archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    const int64_t size = archive_entry_size(e);
    std::string bytes(static_cast<size_t>(size), '\0');
    if (size > 0) {
      EXPECT_EQ(archive_read_data(a, bytes.data(), bytes.size()), size);
    }
    EXPECT_EQ(archive_entry_mtime(e), 0);
    EXPECT_EQ(archive_entry_uid(e), 0);
    EXPECT_EQ(archive_entry_perm(e), 0644u);
    out.emplace_back(archive_entry_pathname(e), size, bytes);
  }
  archive_read_free(a);
  return out;
}

class SandboxFormatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("juicer_formats_" + std::to_string(::getpid()) + "_" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Json Cfg(const std::string& type, const fs::path& input, const std::string& out = "out") {
    return Json{{"type", type}, {"dataset_path", input.string()}, {"export_path", (dir_ / out).string()}};
  }

  fs::path dir_;
};

// Two DJ samples: a multi-turn one with an image (its second human turn repeats the image token,
// which keep_only_first_image removes) and one with a numeric id, no image, non-ASCII text and
// Unicode whitespace that Python's strip() removes.
constexpr const char* kDjJsonl =
    R"({"id": "000000033471", "images": ["coco/1.jpg"], "text": "[[human]]: <image>\nWhat color?\n[[gpt]]: White and red.\n[[human]]: <image>\nWhat feature? \n[[gpt]]: An advert. <|__dj__eoc|>"})"
    "\n\n"
    R"({"id": 7, "text": "[[human]]: Hi\u3000\n[[gpt]]: H\u00e9llo \u2713 <|__dj__eoc|>\n"})"
    "\n";

// The exact output of DJ's dj_to_llava.py on kDjJsonl (json.dump of the list).
constexpr const char* kLlavaGolden =
    R"([{"id": "000000033471", "conversations": [{"from": "human", "value": "<image>\nWhat color?"}, {"from": "gpt", "value": "White and red."}, {"from": "human", "value": "What feature?"}, {"from": "gpt", "value": "An advert."}], "image": "coco/1.jpg"}, {"id": 7, "conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "H\u00e9llo \u2713"}]}])";

TEST_F(SandboxFormatsTest, DjToLlavaGolden) {
  Put(dir_ / "mm.jsonl", kDjJsonl);
  auto out = RunGeneralDataExecutor(Cfg("dj_to_llava", dir_ / "mm.jsonl"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string path = (dir_ / "out" / "mm_llava_fmt.json").string();
  EXPECT_EQ(*out, Json::array({path}));
  EXPECT_EQ(Slurp(path), kLlavaGolden);
}

constexpr const char* kLlavaInput =
    R"([{"id": 33471, "image": "coco/1.jpg", "conversations": [{"from": "human", "value": "<image>\nWhat color?"}, {"from": "gpt", "value": "White."}, {"from": "human", "value": "Why?"}, {"from": "gpt", "value": "Paint \u00e9."}]},)"
    R"( {"id": "x2", "conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Yo"}]}])";

TEST_F(SandboxFormatsTest, LlavaToDjGolden) {
  Put(dir_ / "llava.json", kLlavaInput);
  auto out = RunGeneralDataExecutor(Cfg("llava_to_dj", dir_ / "llava.json"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string path = (dir_ / "out" / "llava_dj_fmt.jsonl").string();
  EXPECT_EQ(*out, Json::array({path}));
  // The exact output of DJ's llava_to_dj.py (jsonlines: ensure_ascii=False).
  EXPECT_EQ(Slurp(path),
            "{\"id\": \"33471\", \"text\": \"[[human]]: <image>\\nWhat color?\\n[[gpt]]: White.\\n[[human]]: Why?\\n"
            "[[gpt]]: Paint \xc3\xa9. <|__dj__eoc|>\", \"images\": [\"coco/1.jpg\"]}\n"
            "{\"id\": \"x2\", \"text\": \"[[human]]: Hi\\n[[gpt]]: Yo <|__dj__eoc|>\", \"images\": []}\n");

  Json cfg = Cfg("llava_to_dj", dir_ / "llava.json", "out2");
  cfg["split_chunk"] = true;
  cfg["image_broadcast"] = true;
  cfg["image_broadcast_pos"] = "follow";
  auto out2 = RunGeneralDataExecutor(cfg);
  ASSERT_TRUE(out2.ok()) << out2.status().ToString();
  EXPECT_EQ(Slurp((*out2)[0].get<std::string>()),
            "{\"id\": \"33471\", \"text\": \"[[human]]: <image>\\nWhat color?\\n[[gpt]]: White. <|__dj__eoc|>\\n"
            "[[human]]: <image>\\nWhy?\\n[[gpt]]: Paint \xc3\xa9. <|__dj__eoc|>\", \"images\": [\"coco/1.jpg\", "
            "\"coco/1.jpg\"]}\n"
            "{\"id\": \"x2\", \"text\": \"[[human]]: Hi\\n[[gpt]]: Yo <|__dj__eoc|>\", \"images\": []}\n");

  Json bad = cfg;
  bad["split_chunk"] = false;
  EXPECT_EQ(RunGeneralDataExecutor(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SandboxFormatsTest, RoundTripLlavaDjLlava) {
  // ids already strings (llava_to_dj's str_id) and keys in dj_to_llava's order: the round trip is exact.
  const std::string llava =
      R"([{"id": "1", "conversations": [{"from": "human", "value": "<image>\nQ1?"}, {"from": "gpt", "value": "A1."}, {"from": "human", "value": "Q2 \u00fc?"}, {"from": "gpt", "value": "A2."}], "image": "a/b.jpg"}, {"id": "2", "conversations": [{"from": "human", "value": "text only"}, {"from": "gpt", "value": "ok"}]}])";
  Put(dir_ / "in.json", llava);
  auto dj = RunGeneralDataExecutor(Cfg("llava_to_dj", dir_ / "in.json", "dj"));
  ASSERT_TRUE(dj.ok()) << dj.status().ToString();
  auto back = RunGeneralDataExecutor(Cfg("dj_to_llava", (*dj)[0].get<std::string>(), "back"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(Slurp((*back)[0].get<std::string>()), llava);
}

TEST_F(SandboxFormatsTest, RestoreQuestionsFromOriginal) {
  const std::string original =
      R"([{"id": 5, "image": "c.jpg", "conversations": [{"from": "human", "value": "Describe.\n<image>"}, {"from": "gpt", "value": "A cat."}]}])";
  Put(dir_ / "orig.json", original);
  Json to_dj = Cfg("llava_to_dj", dir_ / "orig.json", "dj");
  to_dj["only_keep_caption"] = true;
  auto dj = RunGeneralDataExecutor(to_dj);
  ASSERT_TRUE(dj.ok()) << dj.status().ToString();
  EXPECT_EQ(Slurp((*dj)[0].get<std::string>()),
            "{\"id\": \"5\", \"text\": \"<image>\\nA cat. <|__dj__eoc|>\", \"images\": [\"c.jpg\"]}\n");
  Json cfg = Cfg("dj_to_llava", (*dj)[0].get<std::string>(), "back");
  cfg["restore_questions"] = true;
  cfg["original_llava_ds_path"] = (dir_ / "orig.json").string();
  auto back = RunGeneralDataExecutor(cfg);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(
      Slurp((*back)[0].get<std::string>()),
      original.substr(0, original.find(", \"image\"")) +
          R"(, "conversations": [{"from": "human", "value": "Describe.\n<image>"}, {"from": "gpt", "value": "A cat."}], "image": "c.jpg"}])");
  cfg.erase("original_llava_ds_path");
  EXPECT_EQ(RunGeneralDataExecutor(cfg).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SandboxFormatsTest, DjToLlavaDataErrorsNameTheLine) {
  Put(dir_ / "bad.jsonl",
      "{\"id\": 1, \"text\": \"[[human]]: a\\n[[gpt]]: b\"}\n"
      "{\"id\": 2, \"text\": \"[[human]]: only a question\"}\n");
  auto st = RunGeneralDataExecutor(Cfg("dj_to_llava", dir_ / "bad.jsonl")).status();
  EXPECT_EQ(st.code(), StatusCode::kDataError);
  EXPECT_NE(st.message().find("bad.jsonl:2"), std::string::npos) << st.message();

  Put(dir_ / "two.jsonl", "{\"id\": 1, \"images\": [\"a.jpg\", \"b.jpg\"], \"text\": \"[[human]]: a\\n[[gpt]]: b\"}\n");
  st = RunGeneralDataExecutor(Cfg("dj_to_llava", dir_ / "two.jsonl")).status();
  EXPECT_EQ(st.code(), StatusCode::kDataError);
  EXPECT_NE(st.message().find("two.jsonl:1"), std::string::npos) << st.message();

  Put(dir_ / "json.jsonl", "{\"id\": 1, \"text\": \n");
  EXPECT_EQ(RunGeneralDataExecutor(Cfg("dj_to_llava", dir_ / "json.jsonl")).status().code(), StatusCode::kDataError);
  EXPECT_EQ(RunGeneralDataExecutor(Cfg("dj_to_llava", dir_ / "nope.jsonl")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(RunGeneralDataExecutor(Json{{"type", "dj_to_llava"}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RunGeneralDataExecutor(Cfg("dj_to_nothing", dir_ / "bad.jsonl")).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(SandboxFormatsTest, WebDatasetShardsGolden) {
  Put(dir_ / "data" / "a.jpg", "JPEGBYTES");
  Put(dir_ / "data" / "sub" / "c.PNG", std::string("PNG\0\x01", 5));
  Put(dir_ / "data" / "ds.jsonl",
      "{\"text\": \"hello\", \"images\": [\"a.jpg\"], \"meta\": 1}\n"
      "{\"text\": \"two\", \"images\": [\"a.jpg\", \"sub/c.PNG\"]}\n"
      "{\"text\": \"none \\u00e9\"}\n");
  Json cfg = Cfg("dj_to_webdataset", dir_ / "data" / "ds.jsonl");
  cfg["samples_per_shard"] = 2;
  auto out = RunGeneralDataExecutor(cfg);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string s0 = (dir_ / "out" / "shard-000000.tar").string();
  const std::string s1 = (dir_ / "out" / "shard-000001.tar").string();
  EXPECT_EQ(*out, Json::array({s0, s1}));
  using M = std::tuple<std::string, int64_t, std::string>;
  const std::vector<M> want0 = {
      {"000000000.jpg", 9, "JPEGBYTES"},
      {"000000000.json", 25, "{\"text\":\"hello\",\"meta\":1}"},
      {"000000000.txt", 5, "hello"},
      {"000000001.0.jpg", 9, "JPEGBYTES"},
      {"000000001.1.png", 5, std::string("PNG\0\x01", 5)},
      {"000000001.json", 14, "{\"text\":\"two\"}"},
      {"000000001.txt", 3, "two"},
  };
  EXPECT_EQ(ListTar(s0), want0);
  const std::vector<M> want1 = {
      {"000000002.json", 18, "{\"text\":\"none \xc3\xa9\"}"},
      {"000000002.txt", 7, "none \xc3\xa9"},
  };
  EXPECT_EQ(ListTar(s1), want1);
  for (const auto& e : fs::directory_iterator(dir_ / "out"))
    EXPECT_EQ(e.path().extension(), ".tar") << e.path();  // no temporary file left

  // Determinism: the same input gives byte-identical shards.
  Json again = cfg;
  again["export_path"] = (dir_ / "again").string();
  auto out2 = RunGeneralDataExecutor(again);
  ASSERT_TRUE(out2.ok());
  ASSERT_EQ(out2->size(), 2u);
  EXPECT_EQ(Slurp((*out2)[0].get<std::string>()), Slurp(s0));
  EXPECT_EQ(Slurp((*out2)[1].get<std::string>()), Slurp(s1));

  // Default samples_per_shard (1000): one shard.
  Json one = Cfg("dj_to_webdataset", dir_ / "data" / "ds.jsonl", "one");
  auto out3 = RunGeneralDataExecutor(one);
  ASSERT_TRUE(out3.ok());
  ASSERT_EQ(out3->size(), 1u);
  EXPECT_EQ(ListTar((*out3)[0].get<std::string>()).size(), 9u);
}

TEST_F(SandboxFormatsTest, WebDatasetMissingImageIsDataError) {
  Put(dir_ / "data" / "a.jpg", "X");
  Put(dir_ / "data" / "ds.jsonl",
      "{\"text\": \"ok\", \"images\": [\"a.jpg\"]}\n"
      "{\"text\": \"bad\", \"images\": [\"missing.jpg\"]}\n");
  auto out = RunGeneralDataExecutor(Cfg("dj_to_webdataset", dir_ / "data" / "ds.jsonl"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kDataError);
  EXPECT_NE(out.status().message().find("ds.jsonl:2"), std::string::npos) << out.status().message();
  EXPECT_NE(out.status().message().find("missing.jpg"), std::string::npos) << out.status().message();
  for (const auto& e : fs::directory_iterator(dir_ / "out"))
    ADD_FAILURE() << "left behind: " << e.path();  // the half-written shard is removed

  Json cfg = Cfg("dj_to_webdataset", dir_ / "data" / "ds.jsonl");
  cfg["samples_per_shard"] = 0;
  EXPECT_EQ(RunGeneralDataExecutor(cfg).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SandboxFormatsTest, PyJsonDumpsMatchesPython) {
  const Json v = Json::parse(R"({"a": [1, 2.5, 1e16, 1e-05, true, null], "b": "\u00e9\ud83d\ude00\u007f\t", "c": {}})");
  EXPECT_EQ(PyJsonDumps(v, true),
            R"({"a": [1, 2.5, 1e+16, 1e-05, true, null], "b": "\u00e9\ud83d\ude00\u007f\t", "c": {}})");
  EXPECT_EQ(PyJsonDumps(v, false),
            "{\"a\": [1, 2.5, 1e+16, 1e-05, true, null], \"b\": \"\xc3\xa9\xf0\x9f\x98\x80\x7f\\t\", \"c\": {}}");
}

}  // namespace
}  // namespace juicer::sandbox
