// Time in the domain is a value passed in, never read here (see app/clock.hpp).
#pragma once

#include <chrono>
#include <cstdint>

namespace fl {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

[[nodiscard]] inline std::int64_t to_millis(Timestamp t) {
  return t.time_since_epoch().count();
}
[[nodiscard]] inline Timestamp from_millis(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}

}  // namespace fl
