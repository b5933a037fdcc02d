#include "core/text.hpp"

#include <gtest/gtest.h>

namespace fl {

TEST(Text, TrimAndBlank) {
  EXPECT_EQ(trim("  a b \n\t"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank(" \r\n\t"));
  EXPECT_FALSE(is_blank(" x "));
}

}  // namespace fl
