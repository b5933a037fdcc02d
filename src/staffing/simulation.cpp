// The event loop of the support-line simulation, its validation, the Erlang C view of a scenario
// and the what-if comparison.
#include "staffing/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <numbers>
#include <queue>
#include <vector>

namespace fl::staffing {
namespace {

constexpr double kHour = 3600;
constexpr double kMaxSimulatedHours = 10 * 52 * 168;  // ten years: a bound on run time

// xoshiro256** seeded by splitmix64: small, fast and the same sequence on every platform
// (std::*_distribution results are implementation-defined, so the draws are made here too).
class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (auto& s : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  // Uniform in (0, 1): never 0, so log() is safe.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  double exponential(double mean) { return -std::log(uniform()) * mean; }
  double normal() {
    return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * std::numbers::pi * uniform());
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

std::string desk_key(Desk d) {
  switch (d) {
    case Desk::line1:
      return "lines.1";
    case Desk::partner:
      return "partner";
    case Desk::line2:
      return "lines.2";
    case Desk::line3:
      return "lines.3";
    case Desk::line4:
      return "lines.4";
  }
  return "?";
}

// Where a desk's escalations go; nullopt for line 4.
std::optional<Desk> next_line(Desk d) {
  switch (d) {
    case Desk::line1:
    case Desk::partner:
      return Desk::line2;
    case Desk::line2:
      return Desk::line3;
    case Desk::line3:
      return Desk::line4;
    case Desk::line4:
      return std::nullopt;
  }
  return std::nullopt;
}

int hour_index(double t) {
  return static_cast<int>(static_cast<std::int64_t>(std::floor(t / kHour)) % kHoursPerWeek);
}

bool finite_in(double v, double lo, double hi) {
  return std::isfinite(v) && v >= lo && v <= hi;
}

// Which desks get tickets at all, following the flow.
std::array<bool, kDeskCount> desks_reached(const Scenario& s) {
  std::array<bool, kDeskCount> reached{};
  double demand = 0;
  for (int h = 0; h < kHoursPerWeek; ++h)
    if (s.after_hours == AfterHours::queue || s.open[h]) demand += s.arrivals_per_hour[h];
  const bool to_desk = demand * s.arrival_multiplier > 0 && s.deflection < 1;
  reached[index(Desk::line1)] = to_desk && s.outsourced_share < 1;
  reached[index(Desk::partner)] = to_desk && s.outsourced_share > 0;
  for (Desk d : {Desk::line1, Desk::partner, Desk::line2, Desk::line3})
    if (reached[index(d)] && s.desk(d).escalation > 0) reached[index(*next_line(d))] = true;
  return reached;
}

// A ticket in a desk's queue or in an agent's hands.
struct Visit {
  double created = 0;  // the ticket's creation
  double arrived = 0;  // at this desk
};

struct Event {
  enum class Kind : std::uint8_t { arrival, hour, completion };
  double t = 0;
  std::uint64_t seq = 0;  // ties broken by scheduling order: deterministic
  Kind kind = Kind::arrival;
  Desk desk = Desk::line1;
  Visit visit;
  bool operator>(const Event& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

struct DeskState {
  std::deque<Visit> queue;
  int capacity = 0;
  int busy = 0;
  int counted_in_service = 0;
  double last_change = 0;
  double busy_time = 0;
  double capacity_time = 0;
  double wait_sum = 0;
  std::int64_t answered = 0;
  std::int64_t answered_within = 0;
  double wait_sum_in_hours = 0;
  std::int64_t answered_in_hours = 0;
  std::int64_t answered_within_in_hours = 0;
  double time_in_system_sum = 0;
};

class Engine {
 public:
  explicit Engine(const Scenario& s)
      : s_(s),
        arrivals_rng_(s.seed),
        routing_rng_(s.seed ^ 0x5bd1e995a5a5a5a5ULL),
        handling_rng_(s.seed ^ 0xc2b2ae3d27d4eb4fULL),
        warmup_(s.warmup_hours * kHour),
        end_(std::min(s.warmup_hours + s.run_hours, kMaxSimulatedHours) * kHour) {}

  SimulationResult run() {
    result_.name = s_.name;
    result_.simulated_hours = end_ / kHour;
    for (int d = 0; d < kDeskCount; ++d)
      result_.desks[d].answer_within_seconds = s_.desks[d].answer_within_seconds;
    push({.t = 0, .kind = Event::Kind::hour});
    schedule_next_arrival(0);
    while (!events_.empty() && events_.top().t < end_) {
      const Event e = events_.top();
      events_.pop();
      ++result_.events;
      switch (e.kind) {
        case Event::Kind::arrival:
          on_arrival(e.t);
          break;
        case Event::Kind::hour:
          on_hour(e.t);
          break;
        case Event::Kind::completion:
          on_completion(e);
          break;
      }
    }
    finish();
    return result_;
  }

 private:
  void push(Event e) {
    e.seq = seq_++;
    events_.push(e);
  }

  bool counted(double t) const { return t >= warmup_; }

  // The next point of the Poisson process after t: the rate is constant within an hour and the
  // process memoryless, so a draw that crosses the hour is redrawn from the boundary.
  void schedule_next_arrival(double t) {
    if (!any_arrivals_) return;
    while (t < end_) {
      const double boundary = (std::floor(t / kHour) + 1) * kHour;
      const double per_hour = s_.arrivals_per_hour[hour_index(t)] * s_.arrival_multiplier;
      if (per_hour > 0) {
        const double next = t + arrivals_rng_.exponential(kHour / per_hour);
        if (next < boundary) {
          push({.t = next, .kind = Event::Kind::arrival});
          return;
        }
      }
      t = boundary;
    }
  }

  void on_arrival(double t) {
    schedule_next_arrival(t);
    const bool count = counted(t);
    if (count) ++result_.demand;
    if (routing_rng_.chance(s_.deflection)) {
      if (count) ++result_.deflected;
      return;
    }
    if (s_.after_hours == AfterHours::reject && !s_.open[hour_index(t)]) {
      if (count) ++result_.rejected_after_hours;
      return;
    }
    const Desk desk = routing_rng_.chance(s_.outsourced_share) ? Desk::partner : Desk::line1;
    arrive(desk, Visit{t, t}, t);
  }

  void arrive(Desk d, Visit v, double t) {
    if (counted(v.arrived)) ++result_.desks[index(d)].arrivals;
    DeskState& st = state_[index(d)];
    if (st.busy < st.capacity && st.queue.empty()) {
      start(d, v, t);
    } else {
      st.queue.push_back(v);
    }
  }

  void start(Desk d, const Visit& v, double t) {
    DeskState& st = state_[index(d)];
    accrue(d, t);
    ++st.busy;
    if (counted(v.arrived)) {
      const double wait = t - v.arrived;
      DeskResult& r = result_.desks[index(d)];
      st.wait_sum += wait;
      ++st.answered;
      const bool within = wait <= s_.desk(d).answer_within_seconds;
      if (within) ++st.answered_within;
      if (s_.open[hour_index(v.arrived)]) {
        st.wait_sum_in_hours += wait;
        ++st.answered_in_hours;
        if (within) ++st.answered_within_in_hours;
      }
      r.max_wait_seconds = std::max(r.max_wait_seconds, wait);
      ++st.counted_in_service;
    }
    push({.t = t + handling_time(d), .kind = Event::Kind::completion, .desk = d, .visit = v});
  }

  double handling_time(Desk d) {
    const DeskConfig& c = s_.desk(d);
    const double mean = c.aht_minutes * 60;
    if (c.shape == HandlingShape::exponential) return handling_rng_.exponential(mean);
    const double sigma2 = std::log1p(c.cv * c.cv);
    const double mu = std::log(mean) - sigma2 / 2;
    return std::exp(mu + std::sqrt(sigma2) * handling_rng_.normal());
  }

  void on_completion(const Event& e) {
    const Desk d = e.desk;
    DeskState& st = state_[index(d)];
    accrue(d, e.t);
    --st.busy;
    const bool escalate = routing_rng_.chance(s_.desk(d).escalation);
    if (counted(e.visit.arrived)) {
      DeskResult& r = result_.desks[index(d)];
      --st.counted_in_service;
      ++r.handled;
      st.time_in_system_sum += e.t - e.visit.arrived;
      ++(escalate ? r.escalated : r.resolved);
    }
    if (escalate) {
      arrive(*next_line(d), Visit{e.visit.created, e.t}, e.t);
    } else if (counted(e.visit.created)) {
      ++result_.resolved;
      resolution_sum_ += e.t - e.visit.created;
    }
    serve_queue(d, e.t);
  }

  void on_hour(double t) {
    const int h = hour_index(t);
    for (int i = 0; i < kDeskCount; ++i) {
      const Desk d = static_cast<Desk>(i);
      accrue(d, t);
      state_[i].capacity = s_.open[h] ? s_.desks[i].agents[h] : 0;
      serve_queue(d, t);
    }
    push({.t = t + kHour, .kind = Event::Kind::hour});
  }

  void serve_queue(Desk d, double t) {
    DeskState& st = state_[index(d)];
    while (st.busy < st.capacity && !st.queue.empty()) {
      const Visit v = st.queue.front();
      st.queue.pop_front();
      start(d, v, t);
    }
  }

  // Adds agent-time up to t (the part after the warm-up) before busy or capacity change.
  void accrue(Desk d, double t) {
    DeskState& st = state_[index(d)];
    const double from = std::max(st.last_change, warmup_);
    if (t > from) {
      st.busy_time += st.busy * (t - from);
      st.capacity_time += st.capacity * (t - from);
    }
    st.last_change = t;
  }

  void finish() {
    for (int i = 0; i < kDeskCount; ++i) {
      const Desk d = static_cast<Desk>(i);
      accrue(d, end_);
      DeskState& st = state_[i];
      DeskResult& r = result_.desks[i];
      std::int64_t late_waiting = 0;
      std::int64_t late_waiting_in_hours = 0;
      for (const Visit& v : st.queue) {
        if (!counted(v.arrived)) continue;
        ++r.waiting_at_end;
        if (end_ - v.arrived > s_.desks[i].answer_within_seconds) {
          ++late_waiting;
          if (s_.open[hour_index(v.arrived)]) ++late_waiting_in_hours;
        }
      }
      r.backlog_at_end = static_cast<std::int64_t>(st.queue.size());
      r.in_service_at_end = st.counted_in_service;
      if (st.answered > 0) r.mean_wait_seconds = st.wait_sum / st.answered;
      if (st.answered + late_waiting > 0)
        r.service_level = static_cast<double>(st.answered_within) /
                          static_cast<double>(st.answered + late_waiting);
      if (st.answered_in_hours > 0)
        r.mean_wait_in_hours_seconds = st.wait_sum_in_hours / st.answered_in_hours;
      if (st.answered_in_hours + late_waiting_in_hours > 0)
        r.service_level_in_hours =
            static_cast<double>(st.answered_within_in_hours) /
            static_cast<double>(st.answered_in_hours + late_waiting_in_hours);
      if (st.capacity_time > 0) r.utilisation = st.busy_time / st.capacity_time;
      if (r.handled > 0) r.mean_time_in_system_minutes = st.time_in_system_sum / r.handled / 60;
      r.scheduled_agent_hours = st.capacity_time / kHour;
    }
    if (result_.resolved > 0)
      result_.mean_resolution_hours = resolution_sum_ / result_.resolved / kHour;
  }

  const Scenario& s_;
  Random arrivals_rng_;
  Random routing_rng_;
  Random handling_rng_;
  double warmup_;
  double end_;
  bool any_arrivals_ = std::any_of(s_.arrivals_per_hour.begin(), s_.arrivals_per_hour.end(),
                                   [](double r) { return r > 0; }) &&
                       s_.arrival_multiplier > 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::uint64_t seq_ = 0;
  std::array<DeskState, kDeskCount> state_{};
  double resolution_sum_ = 0;
  SimulationResult result_;
};

// Arrivals in closed hours dropped (reject), or (queue) spread evenly over the next stretch of
// open hours: the backlog found at the opening is worked off during that day, not within its
// first hour (which would make Erlang C ask for a Monday-morning peak no roster would staff).
WeekGrid<double> through_business_hours(const WeekGrid<double>& per_hour, const Scenario& s) {
  WeekGrid<double> out{};
  const bool any_open = std::any_of(s.open.begin(), s.open.end(), [](bool o) { return o; });
  if (!any_open) return out;
  const auto wrap = [](int h) { return h % kHoursPerWeek; };
  for (int h = 0; h < kHoursPerWeek; ++h) {
    if (per_hour[h] <= 0) continue;
    if (s.open[h]) {
      out[h] += per_hour[h];
      continue;
    }
    if (s.after_hours == AfterHours::reject) continue;
    int from = h;
    while (!s.open[from]) from = wrap(from + 1);
    int length = 0;
    while (length < kHoursPerWeek && s.open[wrap(from + length)]) ++length;
    for (int i = 0; i < length; ++i) out[wrap(from + i)] += per_hour[h] / length;
  }
  return out;
}

}  // namespace

std::string_view to_string(Desk desk) {
  switch (desk) {
    case Desk::line1:
      return "line 1";
    case Desk::partner:
      return "partner";
    case Desk::line2:
      return "line 2";
    case Desk::line3:
      return "line 3";
    case Desk::line4:
      return "line 4";
  }
  return "?";
}

Result<void> validate(const Scenario& s) {
  for (int h = 0; h < kHoursPerWeek; ++h)
    if (!finite_in(s.arrivals_per_hour[h], 0, 1e9))
      return invalid_field("arrivals", "hour " + std::to_string(h) + " must be >= 0");
  if (!finite_in(s.arrival_multiplier, 0, 1e6))
    return invalid_field("arrivals.multiplier", "must be >= 0");
  if (!finite_in(s.deflection, 0, 1)) return invalid_field("line0.deflection", "must be in [0, 1]");
  if (!finite_in(s.outsourced_share, 0, 1))
    return invalid_field("partner.share", "must be in [0, 1]");
  if (!finite_in(s.warmup_hours, 0, kMaxSimulatedHours))
    return invalid_field("warmup_hours",
                         "must be in [0, " + std::to_string(int(kMaxSimulatedHours)) + "]");
  if (!(s.run_hours > 0) || !finite_in(s.warmup_hours + s.run_hours, 0, kMaxSimulatedHours))
    return invalid_field("run_hours", "must be > 0, with the warm-up at most " +
                                          std::to_string(int(kMaxSimulatedHours)));
  if (auto v = validate(s.target); !v)
    return invalid_field("target." + v.error().fields.front().field,
                         v.error().fields.front().message);
  const auto reached = desks_reached(s);
  for (int i = 0; i < kDeskCount; ++i) {
    const Desk d = static_cast<Desk>(i);
    const DeskConfig& c = s.desks[i];
    const std::string key = desk_key(d);
    if (!(c.aht_minutes > 0) || !std::isfinite(c.aht_minutes))
      return invalid_field(key + ".aht_minutes", "must be > 0");
    if (c.shape == HandlingShape::lognormal && !(c.cv > 0 && std::isfinite(c.cv)))
      return invalid_field(key + ".cv", "must be > 0");
    if (!finite_in(c.answer_within_seconds, 0, 1e9))
      return invalid_field(key + ".answer_within_seconds", "must be >= 0");
    if (!finite_in(c.escalation, 0, 1)) {
      const bool first = d == Desk::line1 || d == Desk::partner;
      return invalid_field(key + (first ? ".first_contact_resolution" : ".escalation"),
                           "must be in [0, 1]");
    }
    if (d == Desk::line4 && c.escalation != 0)
      return invalid_field(key + ".escalation", "line 4 is the last line: must be 0");
    int on_duty = 0;
    for (int h = 0; h < kHoursPerWeek; ++h) {
      if (c.agents[h] < 0)
        return invalid_field(key + ".agents", "hour " + std::to_string(h) + " must be >= 0");
      if (s.open[h]) on_duty += c.agents[h];
    }
    if (reached[i] && on_duty == 0)
      return invalid_field(key + ".agents",
                           "receives tickets but no agent is ever on duty in business hours");
  }
  return {};
}

SimulationResult simulate(const Scenario& scenario) {
  return Engine(scenario).run();
}

Result<std::array<DeskStaffing, kDeskCount>> staffing_view(const Scenario& s) {
  if (auto v = validate(s); !v) return std::unexpected(v.error());
  // Mean flow into each desk, hour by hour (escalations counted in the hour they were created:
  // a steady-state approximation that ignores the time spent at the earlier line).
  std::array<WeekGrid<double>, kDeskCount> flow{};
  for (int h = 0; h < kHoursPerWeek; ++h) {
    const double to_desk = s.arrivals_per_hour[h] * s.arrival_multiplier * (1 - s.deflection);
    flow[index(Desk::line1)][h] = to_desk * (1 - s.outsourced_share);
    flow[index(Desk::partner)][h] = to_desk * s.outsourced_share;
  }
  for (Desk d : {Desk::line1, Desk::partner, Desk::line2, Desk::line3}) {
    const Desk up = *next_line(d);
    for (int h = 0; h < kHoursPerWeek; ++h)
      flow[index(up)][h] += flow[index(d)][h] * s.desk(d).escalation;
  }
  std::array<DeskStaffing, kDeskCount> out;
  for (int i = 0; i < kDeskCount; ++i) {
    const Desk d = static_cast<Desk>(i);
    DeskStaffing& ds = out[i];
    ds.offered.arrivals_per_hour = through_business_hours(flow[i], s);
    ds.offered.aht_seconds.fill(s.desks[i].aht_minutes * 60);
    WeekGrid<int> planned{};
    for (int h = 0; h < kHoursPerWeek; ++h) planned[h] = s.open[h] ? s.desks[i].agents[h] : 0;
    ServiceTarget on_queue = s.target;
    on_queue.shrinkage = 0;
    on_queue.answer_within_seconds = s.desks[i].answer_within_seconds;
    auto map = week_heat_map(ds.offered, planned, on_queue);
    if (!map)
      return invalid_field(desk_key(d) + "." + map.error().fields.front().field,
                           map.error().fields.front().message);
    ds.map = *map;
    for (const HeatMapCell& c : ds.map.cells)
      ds.needed_rostered_agent_hours +=
          c.needed_agents == 0 ? 0 : std::ceil(c.needed_agents / (1 - s.target.shrinkage) - 1e-9);
  }
  return out;
}

Result<ScenarioOutcome> run(const Scenario& scenario) {
  auto staffing = staffing_view(scenario);  // validates
  if (!staffing) return std::unexpected(staffing.error());
  return ScenarioOutcome{simulate(scenario), *staffing};
}

bool ScenarioOverrides::empty() const {
  return !deflection && !first_contact_resolution && !partner_first_contact_resolution &&
         !outsourced_share && !arrival_multiplier;
}

Result<Scenario> apply(const Scenario& base, const ScenarioOverrides& o) {
  const auto share = [](const std::optional<double>& v, const char* key) -> Result<void> {
    if (v && !finite_in(*v, 0, 1)) return invalid_field(key, "must be in [0, 1]");
    return {};
  };
  for (auto check :
       {share(o.deflection, "what_if.deflection"),
        share(o.first_contact_resolution, "what_if.first_contact_resolution"),
        share(o.partner_first_contact_resolution, "what_if.partner_first_contact_resolution"),
        share(o.outsourced_share, "what_if.outsourced_share")})
    if (!check) return std::unexpected(check.error());
  if (o.arrival_multiplier && !finite_in(*o.arrival_multiplier, 0, 1e6))
    return invalid_field("what_if.arrival_multiplier", "must be >= 0");
  Scenario s = base;
  if (o.deflection) s.deflection = *o.deflection;
  if (o.first_contact_resolution) s.desk(Desk::line1).escalation = 1 - *o.first_contact_resolution;
  if (o.partner_first_contact_resolution)
    s.desk(Desk::partner).escalation = 1 - *o.partner_first_contact_resolution;
  if (o.outsourced_share) s.outsourced_share = *o.outsourced_share;
  if (o.arrival_multiplier) s.arrival_multiplier *= *o.arrival_multiplier;
  if (auto v = validate(s); !v)
    return fail(ErrorCode::invalid_argument, "what_if: " + v.error().message, v.error().fields);
  return s;
}

Result<WhatIfComparison> what_if(const Scenario& base, const ScenarioOverrides& overrides) {
  auto changed = apply(base, overrides);
  if (!changed) return std::unexpected(changed.error());
  auto base_outcome = run(base);
  if (!base_outcome) return std::unexpected(base_outcome.error());
  auto changed_outcome = run(*changed);
  if (!changed_outcome) return std::unexpected(changed_outcome.error());
  return WhatIfComparison{*changed, std::move(*base_outcome), std::move(*changed_outcome)};
}

}  // namespace fl::staffing
