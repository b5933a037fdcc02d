#include "core/staffing_measures.hpp"

#include <date/tz.h>

namespace fl {

int local_hour_of_week(Timestamp at, const date::time_zone* zone) {
  using std::chrono::hours;
  std::int64_t local_hours = 0;  // hours since 1970-01-01 00:00 local
  if (zone == nullptr)
    local_hours = date::floor<hours>(at).time_since_epoch().count();
  else
    local_hours = date::floor<hours>(zone->to_local(at)).time_since_epoch().count();
  // 1970-01-01 was a Thursday: hour 3 * 24 of a week that starts on Monday.
  constexpr std::int64_t kWeek = kStaffingWeekHours;
  return static_cast<int>((((local_hours + 3 * 24) % kWeek) + kWeek) % kWeek);
}

}  // namespace fl
