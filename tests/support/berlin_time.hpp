// Wall-clock times in Europe/Berlin as instants, for the calendar and SLA tests (the zone
// with the daylight-saving changes they check).
#pragma once

#include <date/tz.h>

#include "core/time.hpp"

namespace fl::testing {

inline const date::time_zone* berlin_zone() {
  return date::locate_zone("Europe/Berlin");
}

// y-m-d h:min in Berlin; a time skipped by the spring change maps to the change.
inline Timestamp berlin(int y, unsigned m, unsigned d, int h, int min = 0) {
  date::local_days day{date::year{y} / date::month{m} / date::day{d}};
  auto local = day + std::chrono::hours{h} + std::chrono::minutes{min};
  return date::floor<std::chrono::milliseconds>(
      berlin_zone()->to_sys(local, date::choose::earliest));
}

}  // namespace fl::testing
