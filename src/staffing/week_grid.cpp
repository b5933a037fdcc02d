// The week heat map: Erlang C cell by cell.
#include "staffing/week_grid.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace fl::staffing {

Result<HeatMap> week_heat_map(const WeekLoad& load, const WeekGrid<int>& planned,
                              const ServiceTarget& target) {
  if (auto v = validate(target); !v) return std::unexpected(v.error());
  HeatMap map;
  for (int h = 0; h < kHoursPerWeek; ++h) {
    const auto at = "[" + std::to_string(h) + "]";
    if (planned[h] < 0) return invalid_field("planned" + at, "must be >= 0");
    const IntervalLoad cell_load{load.arrivals_per_hour[h],
                                 load.arrivals_per_hour[h] > 0 ? load.aht_seconds[h] : 1.0, 3600};
    auto needed = agents_needed(cell_load, target);
    if (!needed) {
      const auto& field = needed.error().fields.empty() ? std::string("arrivals_per_hour")
                                                        : needed.error().fields.front().field;
      const auto& message = needed.error().fields.empty() ? needed.error().message
                                                          : needed.error().fields.front().message;
      return invalid_field((field == "arrivals" ? "arrivals_per_hour" : field) + at, message);
    }
    const int on_queue = static_cast<int>(std::floor(planned[h] * (1.0 - target.shrinkage) + 1e-9));
    const StaffingFigures with_plan = figures_for(on_queue, cell_load, target);
    HeatMapCell& c = map.cells[h];
    c.erlangs = needed->erlangs;
    c.needed_agents = needed->agents;
    c.needed_scheduled = needed->scheduled_agents;
    c.planned = planned[h];
    c.gap = c.planned - c.needed_scheduled;
    c.planned_service_level = with_plan.service_level;
    c.planned_asa_seconds = with_plan.asa_seconds;
    c.planned_occupancy = with_plan.occupancy;
    c.planned_stable = with_plan.stable;
    map.needed_agent_hours += c.needed_scheduled;
    map.planned_agent_hours += c.planned;
    if (c.gap < 0) ++map.cells_short;
    map.peak_needed = std::max(map.peak_needed, c.needed_scheduled);
  }
  return map;
}

}  // namespace fl::staffing
