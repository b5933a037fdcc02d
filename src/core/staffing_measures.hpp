// What the desk measured for staffing (docs/staffing.md, "Measured staffing and what-if over
// the API"): arrivals at each line by hour of the week, handling times from calls, line 0's
// deflection, first-line resolution, escalation and the partner desk's share. Read by the
// store from the report facts (migration 23) and line 0's records; turned into Erlang C loads
// and a simulation scenario by app/staffing_service.hpp. Plain data: no I/O, no clock.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/report.hpp"
#include "core/time.hpp"

namespace date {
class time_zone;
}

namespace fl {

inline constexpr int kStaffingWeekHours = 168;

// The hour of the week of `at` in `zone` (nullptr: UTC): 0 = Monday 00:00-01:00, 167 = Sunday
// 23:00-24:00.
[[nodiscard]] int local_hour_of_week(Timestamp at, const date::time_zone* zone);

// The measures asked for: the period and dimensions (organisation, category, channel, team;
// `filter.line` is not used: every line is measured), and the zone whose hours of the week count.
struct StaffingQuery {
  ReportFilter filter;
  const date::time_zone* zone = nullptr;  // nullptr: UTC. Resolved by the caller.
  // Line 0: a self-service session with no ticket within this time of its start is decided.
  std::chrono::milliseconds deflection_window{std::chrono::minutes(30)};
};

// Arrivals at one desk from one channel, counted per hour-of-week cell over the period.
// A ticket arrives at the line it is opened at (by its creation time) and at each line an
// escalation brings it to (by the move's time); the team it arrives at decides `outsourced`.
struct ArrivalSeries {
  int line = 1;             // 1-4
  bool outsourced = false;  // at a team of kind outsourced: the partner desk
  std::string channel;      // the ticket's channel
  std::array<std::int64_t, kStaffingWeekHours> per_hour_of_week{};
  std::int64_t total = 0;
};

// The time the desk's agents spent on tickets in the period, by the line and team of the agent
// and the ticket's channel: calls with a length (call_seconds) and the minutes recorded on
// replies and notes (time accounting), over the tickets that have any. A channel without
// either has no measured handling time.
struct HandlingSample {
  int line = 1;
  bool outsourced = false;
  std::string channel;
  std::int64_t tickets_timed = 0;  // distinct tickets with time at this line and desk
  double handled_seconds = 0;      // their calls' length and recorded time
};

// Tickets opened at line 1 in the period, at in-house teams or at the partner desk.
struct FirstLineCounts {
  std::int64_t opened = 0;
  std::int64_t decided = 0;   // resolved (at some time) or escalated
  std::int64_t resolved = 0;  // resolved without ever being escalated: at line 1
};

struct StaffingMeasures {
  Timestamp from{};  // the period measured: [filter.from, min(filter.to, now))
  Timestamp to{};
  double weeks = 0;  // its length in weeks
  // How many times each hour of the week occurs in the period (whole hours; a daylight-saving
  // change makes one local hour occur once more or once less).
  std::array<std::int64_t, kStaffingWeekHours> hours_in_period{};
  std::int64_t tickets = 0;  // created in the period, at any line
  std::vector<ArrivalSeries> arrivals;
  // Of the arrivals, tickets opened at each line (index 1-4; 0 unused): the rest at lines 2-4
  // came by escalation.
  std::array<std::int64_t, 5> opened_at{};
  std::vector<HandlingSample> handling;
  FirstLineCounts in_house;
  FirstLineCounts partner;
  // Escalation moves in the period from each line (index 1-4; 0 unused).
  std::array<std::int64_t, 5> escalated_from{};
  // Line 0 (filtered by the period only): self-service sessions (knowledge-base suggestions
  // before filing, and chatbot conversations that ended without an article, e.g. by a flow)
  // whose outcome is known, and those deflected (docs/reports.md's line 0 definition).
  std::int64_t self_service_decided = 0;
  std::int64_t self_service_deflected = 0;
};

}  // namespace fl
