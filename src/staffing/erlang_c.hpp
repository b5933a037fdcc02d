// Erlang C: the queueing model behind "how many agents for 80 % answered in 20 s" (M/M/N: Poisson
// arrivals, exponential handling times, N agents, an unlimited queue, nobody hangs up). Pure
// arithmetic: no I/O, no clock. Part of fl_staffing; the week heat map builds on it.
#pragma once

#include "core/error.hpp"

namespace fl::staffing {

// The traffic offered in one interval (an hour of the week, usually).
struct IntervalLoad {
  double arrivals = 0;             // tickets or calls arriving in the interval
  double aht_seconds = 0;          // average handling time
  double interval_seconds = 3600;  // the interval's length

  // Traffic intensity A in Erlangs: arrivals × AHT / interval.
  [[nodiscard]] double erlangs() const;
};

// The service level to reach, and the limits that may ask for more agents than it.
struct ServiceTarget {
  double service_level = 0.8;  // share answered within answer_within_seconds, in (0, 1)
  double answer_within_seconds = 20;
  double max_occupancy = 1.0;  // in (0, 1]; 1 = no limit beyond stability
  double shrinkage = 0.0;      // share of paid time not on the queue (breaks, training), [0, 1)
};

// Erlang B (blocking probability, M/M/N/N) by the recursion B(0) = 1,
// B(n) = A·B(n−1) / (n + A·B(n−1)): no factorials or powers, stable for thousands of agents.
// Preconditions: agents >= 0, erlangs >= 0.
[[nodiscard]] double erlang_b(int agents, double erlangs);

// Erlang C: the probability that an arrival waits at all. 1 when agents <= erlangs (the queue
// grows without bound); 0 for no traffic.
[[nodiscard]] double wait_probability(int agents, double erlangs);

// P(wait <= t) = 1 − C·exp(−(N − A)·t / AHT). 0 when the queue is unstable.
[[nodiscard]] double service_level(int agents, const IntervalLoad& load, double within_seconds);

// Average speed of answer (mean wait over all arrivals, those answered at once included):
// C·AHT / (N − A). +infinity when unstable.
[[nodiscard]] double average_speed_of_answer(int agents, const IntervalLoad& load);

// Share of the agents' time spent handling: A / N, at most 1; 0 with no agents.
[[nodiscard]] double occupancy(int agents, double erlangs);

// Every figure for a given number of agents on the queue.
struct StaffingFigures {
  int agents = 0;            // on the queue (what Erlang C needs)
  int scheduled_agents = 0;  // rostered: agents / (1 − shrinkage), rounded up
  double erlangs = 0;
  double wait_probability = 0;
  double service_level = 1;
  double asa_seconds = 0;
  double occupancy = 0;
  bool stable = true;  // agents > erlangs (or no traffic)
};

[[nodiscard]] StaffingFigures figures_for(int agents, const IntervalLoad& load,
                                          const ServiceTarget& target);

// The fewest agents on the queue that reach the target's service level and keep occupancy at
// or under its maximum; 0 for no traffic. invalid_argument names the offending field
// ("aht_seconds: must be > 0", "service_level: must be in (0, 1)", ...).
[[nodiscard]] Result<StaffingFigures> agents_needed(const IntervalLoad& load,
                                                    const ServiceTarget& target);

// Checks a target on its own (also done by agents_needed).
[[nodiscard]] Result<void> validate(const ServiceTarget& target);

}  // namespace fl::staffing
