// Time in the domain is a value passed in, never read here (see app/clock.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace fl {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

[[nodiscard]] inline std::int64_t to_millis(Timestamp t) {
  return t.time_since_epoch().count();
}
[[nodiscard]] inline Timestamp from_millis(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}

// RFC 3339 in UTC with milliseconds ("2026-11-27T09:30:00.000Z"): the API's and the
// webhooks' form of a time.
[[nodiscard]] std::string format_time(Timestamp t);

}  // namespace fl
