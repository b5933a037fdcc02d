// The category tree: an article's category and its ancestors, root first.
#include "core/article.hpp"

#include <gtest/gtest.h>

namespace fl {
namespace {

std::vector<CategoryId> ids(const std::vector<const Category*>& path) {
  std::vector<CategoryId> out;
  for (const auto* c : path) out.push_back(c->id);
  return out;
}

TEST(CategoryAncestryTest, RootFirst) {
  std::vector<Category> all{
      {3, "VPN", 2}, {1, "Hardware", {}}, {2, "Netzwerk", {}}, {4, "Drucker", 1}};
  EXPECT_EQ(ids(category_ancestry(all, 3)), (std::vector<CategoryId>{2, 3}));
  EXPECT_EQ(ids(category_ancestry(all, 1)), (std::vector<CategoryId>{1}));
  EXPECT_TRUE(category_ancestry(all, std::nullopt).empty());
  EXPECT_TRUE(category_ancestry(all, 99).empty());
}

TEST(CategoryAncestryTest, BadDataEndsThePath) {
  std::vector<Category> cycle{{1, "a", 2}, {2, "b", 1}};
  EXPECT_EQ(category_ancestry(cycle, 1).size(), kMaxCategoryDepth);
  std::vector<Category> orphan{{1, "a", 7}};
  EXPECT_EQ(ids(category_ancestry(orphan, 1)), (std::vector<CategoryId>{1}));
}

}  // namespace
}  // namespace fl
