// Options shared by the search indexes.
#pragma once

#include <cstddef>

namespace fl {

struct SearchIndexOptions {
  // Reader databases kept open for queries; more concurrent queries wait for one (not in
  // order of arrival). Searching is CPU work: about two per core serves most in a busy time.
  std::size_t readers = 16;
  // Knowledge-base searches whose results are kept until an article changes (0: none).
  std::size_t result_cache = 2048;
};

}  // namespace fl
