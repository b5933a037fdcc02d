#include "app/feed_follower.hpp"

namespace fl {

Result<std::vector<Event>> events_to_follow(Store& store, EventId cursor, int max_events,
                                            const std::function<Result<void>(EventId)>& start_at) {
  if (cursor == 0) {
    auto latest = store.latest_event_id();
    if (!latest) return std::unexpected(latest.error());
    if (*latest > 0) {
      if (auto ok = start_at(*latest); !ok) return std::unexpected(ok.error());
      return std::vector<Event>{};
    }
  }
  return store.events_after(cursor, max_events);
}

}  // namespace fl
