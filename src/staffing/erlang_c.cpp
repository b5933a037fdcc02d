// Erlang C by way of the Erlang B recursion: C = N·B / (N − A·(1 − B)).
#include "staffing/erlang_c.hpp"

#include <cmath>
#include <limits>
#include <string>

namespace fl::staffing {
namespace {

// Far beyond any desk; only stops a loop on nonsense such as a service level of 0.9999999999.
constexpr int kMaxAgents = 1'000'000;

double next_b(double b, int n, double a) {
  return a * b / (n + a * b);
}

double c_from_b(double b, int n, double a) {
  return n * b / (n - a * (1.0 - b));
}

Result<void> validate_load(const IntervalLoad& load) {
  if (!(load.arrivals >= 0) || !std::isfinite(load.arrivals))
    return invalid_field("arrivals", "must be >= 0");
  if (!(load.aht_seconds > 0) || !std::isfinite(load.aht_seconds))
    return invalid_field("aht_seconds", "must be > 0");
  if (!(load.interval_seconds > 0) || !std::isfinite(load.interval_seconds))
    return invalid_field("interval_seconds", "must be > 0");
  return {};
}

// Every figure from N and B(N, A), so that agents_needed steps N without recomputing B.
StaffingFigures figures_from_b(int n, double b, const IntervalLoad& load,
                               const ServiceTarget& target) {
  const double a = load.erlangs();
  StaffingFigures f;
  f.agents = n;
  f.scheduled_agents =
      n == 0 ? 0 : static_cast<int>(std::ceil(n / (1.0 - target.shrinkage) - 1e-9));
  f.erlangs = a;
  f.occupancy = occupancy(n, a);
  if (a <= 0) return f;
  if (n <= a) {
    f.stable = false;
    f.wait_probability = 1;
    f.service_level = 0;
    f.asa_seconds = std::numeric_limits<double>::infinity();
    return f;
  }
  const double c = c_from_b(b, n, a);
  f.wait_probability = c;
  f.service_level = 1.0 - c * std::exp(-(n - a) * target.answer_within_seconds / load.aht_seconds);
  f.asa_seconds = c * load.aht_seconds / (n - a);
  return f;
}

}  // namespace

double IntervalLoad::erlangs() const {
  return arrivals * aht_seconds / interval_seconds;
}

double erlang_b(int agents, double erlangs) {
  double b = 1.0;
  for (int n = 1; n <= agents; ++n) b = next_b(b, n, erlangs);
  return b;
}

double wait_probability(int agents, double erlangs) {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return 1;
  return c_from_b(erlang_b(agents, erlangs), agents, erlangs);
}

double service_level(int agents, const IntervalLoad& load, double within_seconds) {
  ServiceTarget t;
  t.answer_within_seconds = within_seconds;
  return figures_for(agents, load, t).service_level;
}

double average_speed_of_answer(int agents, const IntervalLoad& load) {
  return figures_for(agents, load, ServiceTarget{}).asa_seconds;
}

double occupancy(int agents, double erlangs) {
  if (agents <= 0) return 0;
  return std::min(1.0, erlangs / agents);
}

StaffingFigures figures_for(int agents, const IntervalLoad& load, const ServiceTarget& target) {
  return figures_from_b(agents, erlang_b(agents, load.erlangs()), load, target);
}

Result<void> validate(const ServiceTarget& target) {
  if (!(target.service_level > 0 && target.service_level < 1))
    return invalid_field("service_level", "must be in (0, 1)");
  if (!(target.answer_within_seconds >= 0) || !std::isfinite(target.answer_within_seconds))
    return invalid_field("answer_within_seconds", "must be >= 0");
  if (!(target.max_occupancy > 0 && target.max_occupancy <= 1))
    return invalid_field("max_occupancy", "must be in (0, 1]");
  if (!(target.shrinkage >= 0 && target.shrinkage < 1))
    return invalid_field("shrinkage", "must be in [0, 1)");
  return {};
}

Result<StaffingFigures> agents_needed(const IntervalLoad& load, const ServiceTarget& target) {
  if (auto v = validate_load(load); !v) return std::unexpected(v.error());
  if (auto v = validate(target); !v) return std::unexpected(v.error());
  const double a = load.erlangs();
  if (a <= 0) return figures_from_b(0, 1.0, load, target);
  // No fewer than a stable queue and the occupancy cap allow; from there one agent at a time.
  const double floor_by_occupancy = std::ceil(a / target.max_occupancy - 1e-9);
  const double start = std::max(std::floor(a) + 1, floor_by_occupancy);
  if (start > kMaxAgents)
    return fail(ErrorCode::invalid_argument, "arrivals: more traffic than any desk can staff");
  int n = static_cast<int>(start);
  double b = erlang_b(n, a);
  for (; n <= kMaxAgents; b = next_b(b, n + 1, a), ++n) {
    StaffingFigures f = figures_from_b(n, b, load, target);
    if (f.service_level >= target.service_level) return f;
  }
  return fail(ErrorCode::invalid_argument,
              "service_level: not reachable with " + std::to_string(kMaxAgents) + " agents");
}

}  // namespace fl::staffing
