// The result cache: least recently used out first, a newer generation drops the older,
// and a result computed from an older generation is never stored over a newer one.
#include "core/result_cache.hpp"

#include <gtest/gtest.h>

namespace fl {
namespace {

std::shared_ptr<const int> value(int v) {
  return std::make_shared<const int>(v);
}

TEST(ResultCacheTest, KeepsTheMostRecentlyUsed) {
  ResultCache<int> cache(2);
  cache.put("a", 1, value(1));
  cache.put("b", 1, value(2));
  ASSERT_TRUE(cache.find("a", 1));  // "a" is now the most recent
  cache.put("c", 1, value(3));      // so "b" goes
  EXPECT_FALSE(cache.find("b", 1));
  EXPECT_EQ(*cache.find("a", 1), 1);
  EXPECT_EQ(*cache.find("c", 1), 3);
  cache.put("a", 1, value(10));
  EXPECT_EQ(*cache.find("a", 1), 10);
  auto stats = cache.stats();
  EXPECT_EQ(stats.hits, 4u);
  EXPECT_EQ(stats.misses, 1u);
}

TEST(ResultCacheTest, ANewGenerationDropsTheOld) {
  ResultCache<int> cache(8);
  cache.put("a", 1, value(1));
  EXPECT_FALSE(cache.find("a", 2));  // asked for the newer content
  cache.put("b", 2, value(2));
  EXPECT_FALSE(cache.find("a", 2));
  cache.put("a", 1, value(1));  // computed before the change: not kept
  EXPECT_FALSE(cache.find("a", 2));
  EXPECT_EQ(*cache.find("b", 2), 2);
}

TEST(ResultCacheTest, CapacityZeroKeepsNothing) {
  ResultCache<int> cache(0);
  cache.put("a", 1, value(1));
  EXPECT_FALSE(cache.find("a", 1));
}

}  // namespace
}  // namespace fl
