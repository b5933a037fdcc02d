// Business calendars and the arithmetic SLA clocks run on: opening hours per weekday in a
// time zone, holidays, and "how much business time lies between two instants" / "which
// instant is N business minutes after this one". Opening hours are local wall-clock times,
// so a desk open 08:00-17:00 in Europe/Berlin is open 08:00-17:00 on both sides of a
// daylight-saving change. The zone is resolved by the caller (core reads no files).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace date {
class time_zone;
}

namespace fl {

using CalendarId = std::int64_t;

// One opening span of a day, in local time: [from, to), 00:00 <= from < to <= 24:00.
struct OpeningSpan {
  std::chrono::minutes from{0};
  std::chrono::minutes to{0};
  friend bool operator==(const OpeningSpan&, const OpeningSpan&) = default;
};

// A day the desk is closed: every year on month/day when `year` is empty (a fixed date such as
// 25 December), else that one date (a movable holiday in a yearly list, e.g. Easter Monday).
struct Holiday {
  int month = 1;
  int day = 1;
  std::optional<int> year;
  std::string name;
  friend bool operator==(const Holiday&, const Holiday&) = default;
};

inline constexpr std::size_t kDaysPerWeek = 7;

struct BusinessCalendar {
  CalendarId id = 0;
  std::string name;
  std::string time_zone = "UTC";  // an IANA name, e.g. "Europe/Berlin"
  // Index 0 is Monday, 6 Sunday; spans sorted, not overlapping.
  std::array<std::vector<OpeningSpan>, kDaysPerWeek> week;
  std::vector<Holiday> holidays;
  std::int64_t version = 0;
};

// Open every day around the clock (the 24/7 desk for P1 incidents).
[[nodiscard]] BusinessCalendar around_the_clock(std::string time_zone = "UTC");
// Monday to Friday, `from` to `to` local time.
[[nodiscard]] BusinessCalendar office_hours(std::string time_zone, std::chrono::minutes from,
                                            std::chrono::minutes to);

// Spans in range and order, at least one open span in the week, valid holiday dates, a name.
// The time zone's existence is checked by whoever resolves it. Errors name the field.
[[nodiscard]] Result<void> validate(const BusinessCalendar& calendar);

// A calendar bound to its zone: the arithmetic. Cheap to copy; keeps a pointer to the zone
// (zones live as long as the process). Thread-compatible (const methods only).
class BusinessHours {
 public:
  // Precondition: validate(calendar) passed and `zone` is its time zone.
  BusinessHours(BusinessCalendar calendar, const date::time_zone* zone);

  // The instant at which `amount` of business time has passed since `start`: start itself
  // when amount <= 0. nullopt if the calendar has no opening within ten years (all closed).
  [[nodiscard]] std::optional<Timestamp> add(Timestamp start,
                                             std::chrono::milliseconds amount) const;
  // Business time within [from, to); zero when to <= from.
  [[nodiscard]] std::chrono::milliseconds between(Timestamp from, Timestamp to) const;
  [[nodiscard]] bool is_open(Timestamp at) const;
  [[nodiscard]] const BusinessCalendar& calendar() const { return calendar_; }

 private:
  struct Interval {
    Timestamp from;
    Timestamp to;
  };
  // The opening intervals (as instants) of the local day `day` (days since 1970-01-01).
  void intervals_of(std::int64_t day, std::vector<Interval>& out) const;
  [[nodiscard]] bool is_holiday(std::int64_t day) const;
  [[nodiscard]] std::int64_t local_day(Timestamp at) const;

  BusinessCalendar calendar_;
  const date::time_zone* zone_;
  bool always_open_ = false;
};

}  // namespace fl
