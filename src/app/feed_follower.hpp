// What every follower of the event feed (notifications, rules, webhooks, outbound mail) does
// first: find the events it has not worked on yet.
#pragma once

#include <functional>
#include <vector>

#include "store/store.hpp"

namespace fl {

// The events after `cursor`, at most `max_events`. On a follower's very first run (cursor 0,
// events in the store) none: it starts at the newest event instead — what happened before it
// existed (an upgrade, an import) is history, not news — and `start_at(latest)` moves its
// cursor there.
Result<std::vector<Event>> events_to_follow(Store& store, EventId cursor, int max_events,
                                            const std::function<Result<void>(EventId)>& start_at);

}  // namespace fl
