// The staffing week: 168 hour-of-week cells of offered traffic, the agents Erlang C needs in each,
// and how a planned roster compares (the heat map of planned vs needed agents). Pure arithmetic.
#pragma once

#include <array>

#include "core/error.hpp"
#include "staffing/erlang_c.hpp"

namespace fl::staffing {

inline constexpr int kHoursPerWeek = 168;

// Hour of the week: 0 = Monday 00:00–01:00, 24 = Tuesday 00:00, ..., 167 = Sunday 23:00–24:00.
template <class T>
using WeekGrid = std::array<T, kHoursPerWeek>;

[[nodiscard]] constexpr int hour_of_week(int weekday_monday0, int hour) {
  return weekday_monday0 * 24 + hour;
}

// Traffic per hour of the week: arrivals in that hour and their average handling time.
// A cell with no arrivals may leave its AHT at 0.
struct WeekLoad {
  WeekGrid<double> arrivals_per_hour{};
  WeekGrid<double> aht_seconds{};
};

struct HeatMapCell {
  double erlangs = 0;
  int needed_agents = 0;     // on the queue, for the target
  int needed_scheduled = 0;  // rostered, shrinkage added
  int planned = 0;           // rostered, as planned
  int gap = 0;               // planned − needed_scheduled: < 0 short, > 0 spare
  // With the planned roster: agents on the queue = floor(planned × (1 − shrinkage)).
  double planned_service_level = 1;
  double planned_asa_seconds = 0;  // +infinity when the planned agents cannot keep up
  double planned_occupancy = 0;
  bool planned_stable = true;
};

struct HeatMap {
  WeekGrid<HeatMapCell> cells{};
  double needed_agent_hours = 0;   // sum of needed_scheduled
  double planned_agent_hours = 0;  // sum of planned
  int cells_short = 0;             // cells with gap < 0
  int peak_needed = 0;             // largest needed_scheduled
};

// Needed vs planned per cell. `planned` counts rostered agents (shrinkage is taken off them
// for the expected service level, as it is added to the needed count), so with shrinkage 0 both
// mean agents on the queue. invalid_argument names the cell ("aht_seconds[37]: must be > 0"),
// or the target's field; a negative planned count is rejected too.
[[nodiscard]] Result<HeatMap> week_heat_map(const WeekLoad& load, const WeekGrid<int>& planned,
                                            const ServiceTarget& target);

}  // namespace fl::staffing
