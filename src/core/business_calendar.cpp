#include "core/business_calendar.hpp"

#include <date/tz.h>

#include <algorithm>

namespace fl {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr minutes kDay{24 * 60};
// How far add() looks for opening hours before it gives up (a calendar closed for good).
constexpr std::int64_t kSearchDays = 3660;

bool valid_date(int year, int month, int day) {
  return date::year_month_day{date::year{year}, date::month{static_cast<unsigned>(month)},
                              date::day{static_cast<unsigned>(day)}}
      .ok();
}

}  // namespace

BusinessCalendar around_the_clock(std::string time_zone) {
  BusinessCalendar c;
  c.name = "24/7";
  c.time_zone = std::move(time_zone);
  for (auto& day : c.week) day = {{minutes{0}, kDay}};
  return c;
}

BusinessCalendar office_hours(std::string time_zone, minutes from, minutes to) {
  BusinessCalendar c;
  c.name = "Office hours";
  c.time_zone = std::move(time_zone);
  for (std::size_t d = 0; d < 5; ++d) c.week[d] = {{from, to}};
  return c;
}

Result<void> validate(const BusinessCalendar& calendar) {
  std::vector<FieldError> errors;
  if (calendar.name.empty()) errors.push_back({"name", "must not be empty"});
  if (calendar.time_zone.empty()) errors.push_back({"time_zone", "must name an IANA time zone"});
  bool any_open = false;
  for (std::size_t d = 0; d < kDaysPerWeek; ++d) {
    minutes previous_end{0};
    for (const auto& span : calendar.week[d]) {
      if (span.from < minutes{0} || span.to > kDay || span.from >= span.to ||
          span.from < previous_end) {
        errors.push_back({"week", "day " + std::to_string(d + 1) +
                                      ": spans must lie within 00:00-24:00, end after they "
                                      "start, and be in order without overlap"});
        break;
      }
      previous_end = span.to;
      any_open = true;
    }
  }
  if (!any_open) errors.push_back({"week", "the calendar must be open at some time of the week"});
  for (const auto& h : calendar.holidays) {
    // 29 February is a valid yearly holiday: check against a leap year.
    if (!valid_date(h.year.value_or(2000), h.month, h.day)) {
      errors.push_back({"holidays", "not a date: " + std::to_string(h.month) + "/" +
                                        std::to_string(h.day)});
      break;
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

BusinessHours::BusinessHours(BusinessCalendar calendar, const date::time_zone* zone)
    : calendar_(std::move(calendar)), zone_(zone) {
  always_open_ = calendar_.holidays.empty() &&
                 std::ranges::all_of(calendar_.week, [](const std::vector<OpeningSpan>& spans) {
                   return spans.size() == 1 && spans[0].from == minutes{0} && spans[0].to == kDay;
                 });
}

std::int64_t BusinessHours::local_day(Timestamp at) const {
  if (!zone_) return date::floor<date::days>(at).time_since_epoch().count();
  auto local = zone_->to_local(at);
  return date::floor<date::days>(local).time_since_epoch().count();
}

bool BusinessHours::is_holiday(std::int64_t day) const {
  if (calendar_.holidays.empty()) return false;
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  int y = static_cast<int>(ymd.year());
  int m = static_cast<int>(static_cast<unsigned>(ymd.month()));
  int d = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return std::ranges::any_of(calendar_.holidays, [&](const Holiday& h) {
    return h.month == m && h.day == d && (!h.year || *h.year == y);
  });
}

void BusinessHours::intervals_of(std::int64_t day, std::vector<Interval>& out) const {
  out.clear();
  if (is_holiday(day)) return;
  // 1970-01-01 was a Thursday: index 3 with Monday as 0.
  std::size_t weekday = static_cast<std::size_t>(((day % 7) + 7 + 3) % 7);
  const auto& spans = calendar_.week[weekday];
  if (spans.empty()) return;
  date::local_days local_day{date::days{day}};
  for (const auto& span : spans) {
    auto local_from = local_day + span.from;
    auto local_to = local_day + span.to;
    Timestamp from, to;
    if (!zone_) {
      from = Timestamp{date::floor<milliseconds>(local_from.time_since_epoch())};
      to = Timestamp{date::floor<milliseconds>(local_to.time_since_epoch())};
    } else {
      // A local time skipped by a daylight-saving change maps to the change; one that occurs
      // twice opens at its first and closes at its second occurrence.
      from = date::floor<milliseconds>(zone_->to_sys(local_from, date::choose::earliest));
      to = date::floor<milliseconds>(zone_->to_sys(local_to, date::choose::latest));
    }
    if (to > from) out.push_back({from, to});
  }
}

std::optional<Timestamp> BusinessHours::add(Timestamp start, milliseconds amount) const {
  if (amount <= milliseconds{0}) return start;
  if (always_open_) return start + amount;
  milliseconds remaining = amount;
  std::vector<Interval> intervals;
  std::int64_t day = local_day(start);
  for (std::int64_t i = 0; i < kSearchDays; ++i, ++day) {
    intervals_of(day, intervals);
    for (const auto& iv : intervals) {
      if (iv.to <= start) continue;
      Timestamp from = std::max(iv.from, start);
      milliseconds available = iv.to - from;
      if (available >= remaining) return from + remaining;
      remaining -= available;
    }
  }
  return std::nullopt;
}

milliseconds BusinessHours::between(Timestamp from, Timestamp to) const {
  if (to <= from) return milliseconds{0};
  if (always_open_) return to - from;
  milliseconds total{0};
  std::vector<Interval> intervals;
  std::int64_t last = local_day(to);
  // Spans end by their local day's midnight, so no day before from's own can contribute.
  for (std::int64_t day = local_day(from); day <= last; ++day) {
    intervals_of(day, intervals);
    for (const auto& iv : intervals) {
      Timestamp a = std::max(iv.from, from);
      Timestamp b = std::min(iv.to, to);
      if (b > a) total += b - a;
    }
  }
  return total;
}

bool BusinessHours::is_open(Timestamp at) const {
  if (always_open_) return true;
  std::vector<Interval> intervals;
  intervals_of(local_day(at), intervals);
  return std::ranges::any_of(intervals,
                             [&](const Interval& iv) { return iv.from <= at && at < iv.to; });
}

}  // namespace fl
