#include "core/params.h"

#include <gtest/gtest.h>

namespace juicer {
namespace {

TEST(ParseSize, DecimalAndBinaryUnits) {
  EXPECT_EQ(*ParseSize("120kb"), 120000u);
  EXPECT_EQ(*ParseSize("180KiB"), 180u * 1024);
  EXPECT_EQ(*ParseSize("1MB"), 1000000u);
  EXPECT_EQ(*ParseSize("2 GiB"), 2ull << 30);
  EXPECT_EQ(*ParseSize("1024"), 1024u);
  EXPECT_FALSE(ParseSize("abc").ok());
  EXPECT_FALSE(ParseSize("10 parsecs").ok());
}

}  // namespace
}  // namespace juicer
