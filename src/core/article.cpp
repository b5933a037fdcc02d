#include "core/article.hpp"

#include <algorithm>

namespace fl {

std::vector<const Category*> category_ancestry(const std::vector<Category>& all,
                                               std::optional<CategoryId> id) {
  std::vector<const Category*> path;
  // Bounded: a cycle in bad data must not hang the caller.
  for (std::size_t depth = 0; id && depth < kMaxCategoryDepth; ++depth) {
    auto it = std::ranges::find(all, *id, &Category::id);
    if (it == all.end()) break;
    path.push_back(&*it);
    id = it->parent;
  }
  std::ranges::reverse(path);
  return path;
}

}  // namespace fl
