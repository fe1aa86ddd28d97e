// How many records a batch (one worker's unit) holds, by the modality of the segment's ops.
#include <gtest/gtest.h>

#include "exec/run_internal.h"
#include "ops/builtin.h"
#include "ops/op_test_util.h"

namespace juicer::exec_internal {
namespace {

size_t For(const std::vector<std::string>& names) {
  std::vector<std::unique_ptr<Op>> ops;
  SegmentSpec seg;
  for (const auto& n : names) {
    ops.push_back(testing::MustBuildFrom(BuiltinRegistry(), n));
    seg.ops.push_back(ops.back().get());
  }
  return BatchRecordsFor(seg);
}

TEST(BatchRecords, HeavyPerSampleOpsGetSmallBatches) {
  EXPECT_EQ(For({}), kBatchRecords);
  EXPECT_EQ(For({"text_length_filter", "words_num_filter"}), kBatchRecords);
  EXPECT_EQ(For({"text_length_filter", "image_aspect_ratio_filter"}), 16u);
  EXPECT_EQ(For({"image_aspect_ratio_filter", "video_duration_filter", "text_length_filter"}), 1u);
}

}  // namespace
}  // namespace juicer::exec_internal
