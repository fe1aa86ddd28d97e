#include "core/media.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/test_util.h"

namespace juicer {
namespace {

using juicer::testing::TempDir;
using juicer::testing::WriteFile;

TEST(Media, ResolvesAgainstTheDatasetDirectoryThenTheWorkingDirectory) {
  TempDir d;
  WriteFile(d / "data/img/cat.png", "png");
  WriteFile(d / "dog.png", "png");
  SampleOrigin o{d / "data/set.jsonl", 3};
  auto a = ResolveMediaPath(o, "images", "img/cat.png");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, d / "data/img/cat.png");
  const auto old = std::filesystem::current_path();
  std::filesystem::current_path(d.path());
  auto b = ResolveMediaPath(o, "images", "dog.png");
  std::filesystem::current_path(old);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(*b, "dog.png");
  auto abs = ResolveMediaPath(o, "images", d / "dog.png");
  ASSERT_TRUE(abs.ok());
}

TEST(Media, MissingFileNamesSampleFieldAndPlacesTried) {
  TempDir d;
  SampleOrigin o{d / "data/set.jsonl", 7};
  auto r = ResolveMediaPath(o, "videos", "clip.mp4");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), d / "data/set.jsonl" + ":7: field 'videos': media file 'clip.mp4' not found (tried " +
                                      (d / "data/clip.mp4") + ", ./clip.mp4)");
  EXPECT_FALSE(ResolveMediaPath(o, "images", "").ok());
}

}  // namespace
}  // namespace juicer
