// A ticket's events read as SLA moments (core/sla.hpp): what replay() needs, and the ladder
// steps and breaches already recorded. The one place that knows which events move clocks.
#pragma once

#include <functional>
#include <set>
#include <tuple>
#include <vector>

#include "core/event.hpp"
#include "core/sla.hpp"

namespace fl {

// Whether the user who caused an event is staff; events carry it since the SLA work
// ("by" in their payload), older ones are looked up.
using IsStaff = std::function<bool(UserId)>;

// Events in order, oldest first (a change's new events last, with their time set).
[[nodiscard]] std::vector<SlaMoment> sla_moments(const std::vector<Event>& events,
                                                 const IsStaff& is_staff);

// A ladder step or breach already recorded for a clock: (metric, cycle, percent); a breach
// is percent 100 with `breach` set.
struct SlaMark {
  SlaMetric metric = SlaMetric::resolution;
  int cycle = 1;
  int percent = 100;
  bool breach = false;
  friend auto operator<=>(const SlaMark&, const SlaMark&) = default;
};
[[nodiscard]] std::set<SlaMark> sla_marks(const std::vector<Event>& events);

}  // namespace fl
