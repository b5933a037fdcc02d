// A discrete-event simulation of tickets flowing through the support lines: arrivals by hour of
// the week (a Poisson process whose rate changes each hour), line 0 deflection, line 1 in-house
// or at an outsourced partner desk, escalation up the chain to lines 2, 3 and 4, agents per line
// per hour of the week, business hours. Seeded and reproducible; no I/O, no clock.
//
// The model, in words (docs/staffing.md has it in full):
//  - A ticket arrives; with probability `deflection` line 0 solves it (it never reaches the desk).
//  - Outside business hours it queues until opening (AfterHours::queue, the default: mail, web and
//    portal tickets wait) or is not served at all (AfterHours::reject: a phone line that is
//    closed).
//  - Of the rest, `outsourced_share` go to the partner desk, the others to line 1.
//  - Each desk serves its queue first come, first served with as many agents as its schedule has
//    for the hour (none while closed). An agent whose shift ends finishes the ticket in hand.
//  - After handling, a ticket is escalated to the next line with the desk's `escalation`
//    probability (line 1 and the partner: 1 − first-contact resolution; both escalate to line 2),
//    otherwise resolved. Line 4 resolves everything it handles.
//  - Figures count what arrives after the warm-up.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "staffing/erlang_c.hpp"
#include "staffing/week_grid.hpp"

namespace fl::staffing {

// The queues of the desk, in the order results are reported.
enum class Desk { line1, partner, line2, line3, line4 };
inline constexpr int kDeskCount = 5;
[[nodiscard]] std::string_view to_string(Desk desk);  // "line 1", "partner", "line 2", ...
[[nodiscard]] constexpr int index(Desk desk) {
  return static_cast<int>(desk);
}

enum class HandlingShape { exponential, lognormal };
enum class AfterHours { queue, reject };

struct DeskConfig {
  double aht_minutes = 10;  // mean handling time
  HandlingShape shape = HandlingShape::exponential;
  double cv = 1.0;                    // lognormal: standard deviation / mean
  WeekGrid<int> agents{};             // on the queue, per hour of the week
  double escalation = 0;              // share of handled tickets sent on to the next line
  double answer_within_seconds = 20;  // the service-level threshold for this desk's wait
};

struct Scenario {
  std::string name;
  WeekGrid<double> arrivals_per_hour{};  // demand per hour of the week, before deflection
  double arrival_multiplier = 1;
  double deflection = 0;                       // share solved at line 0
  double outsourced_share = 0;                 // share of the desk's tickets the partner desk takes
  std::array<DeskConfig, kDeskCount> desks{};  // indexed by Desk
  WeekGrid<bool> open = always_open();         // business hours
  AfterHours after_hours = AfterHours::queue;
  std::uint64_t seed = 1;
  double warmup_hours = 168;
  double run_hours = 4 * 168;
  ServiceTarget target;  // for the Erlang C view (answer_within_seconds: each desk's own)

  static WeekGrid<bool> always_open() {
    WeekGrid<bool> g;
    g.fill(true);
    return g;
  }
  DeskConfig& desk(Desk d) { return desks[index(d)]; }
  const DeskConfig& desk(Desk d) const { return desks[index(d)]; }
};

// invalid_argument naming the key as the scenario file spells it ("lines.2.aht_minutes: must be
// > 0", "partner.agents: takes tickets but no agent is ever on duty").
[[nodiscard]] Result<void> validate(const Scenario& scenario);

struct DeskResult {
  std::int64_t arrivals = 0;           // arrived at this desk after the warm-up
  std::int64_t handled = 0;            // of those, finished by the end
  std::int64_t resolved = 0;           // handled and resolved here
  std::int64_t escalated = 0;          // handled and sent to the next line
  std::int64_t waiting_at_end = 0;     // of the arrivals, still queued at the end
  std::int64_t in_service_at_end = 0;  // of the arrivals, in an agent's hands at the end
  std::int64_t backlog_at_end = 0;     // the whole queue at the end, warm-up arrivals included
  double mean_wait_seconds = 0;        // over the arrivals that were answered
  double max_wait_seconds = 0;
  // Answered within answer_within_seconds, over those answered plus those still waiting longer.
  double service_level = 1;
  double answer_within_seconds = 0;
  // The same two over arrivals at the desk within business hours: what a caller who phones while
  // the desk is open sees (the figures above include the nights a mail waits for the morning).
  double mean_wait_in_hours_seconds = 0;
  double service_level_in_hours = 1;
  // Busy agent-time / scheduled agent-time after the warm-up. Above 1 when agents finish
  // tickets after their shift (or the closing time) ended: overtime.
  double utilisation = 0;
  double mean_time_in_system_minutes = 0;  // wait + handling, over the handled
  double scheduled_agent_hours = 0;        // after the warm-up
};

struct SimulationResult {
  std::string name;
  std::int64_t demand = 0;                // tickets created after the warm-up (before deflection)
  std::int64_t deflected = 0;             // solved at line 0
  std::int64_t rejected_after_hours = 0;  // AfterHours::reject only
  std::int64_t resolved = 0;              // created after the warm-up and resolved by the end
  double mean_resolution_hours = 0;       // creation to resolution, over those
  std::array<DeskResult, kDeskCount> desks{};
  double simulated_hours = 0;  // warm-up + run
  std::int64_t events = 0;     // processed, for a speed figure

  const DeskResult& desk(Desk d) const { return desks[index(d)]; }
};

// Runs the scenario. Precondition: validate(scenario) succeeded. Deterministic for a seed.
[[nodiscard]] SimulationResult simulate(const Scenario& scenario);

// The Erlang C view of a scenario: the traffic each desk is offered per hour of the week (the
// mean flow: deflection, partner share and escalation shares applied; arrivals while closed spread
// over the next stretch of open hours under AfterHours::queue, dropped under reject), and the
// heat map of the agents needed against the scenario's schedule. Schedules count agents on the
// queue, so the map compares on-queue figures; needed_rostered_agent_hours adds the target's
// shrinkage.
struct DeskStaffing {
  WeekLoad offered;
  HeatMap map;
  double needed_rostered_agent_hours = 0;
};
[[nodiscard]] Result<std::array<DeskStaffing, kDeskCount>> staffing_view(const Scenario& scenario);

struct ScenarioOutcome {
  SimulationResult simulation;
  std::array<DeskStaffing, kDeskCount> staffing;
};
[[nodiscard]] Result<ScenarioOutcome> run(const Scenario& scenario);

// What-if: the levers a supervisor moves. Unset fields keep the base's value.
struct ScenarioOverrides {
  std::optional<double> deflection;
  std::optional<double> first_contact_resolution;  // line 1 in-house (escalation = 1 − this)
  std::optional<double> partner_first_contact_resolution;
  std::optional<double> outsourced_share;
  std::optional<double> arrival_multiplier;  // multiplies the base's multiplier
  [[nodiscard]] bool empty() const;
};

// The base with the overrides applied; invalid_argument names the override ("what_if.deflection:
// must be in [0, 1]") or what the change breaks (a partner share with no partner agents).
[[nodiscard]] Result<Scenario> apply(const Scenario& base, const ScenarioOverrides& overrides);

struct WhatIfComparison {
  Scenario changed_scenario;
  ScenarioOutcome base;
  ScenarioOutcome changed;
};
// Runs both with the same seed (common random numbers: differences come from the change, not
// from luck).
[[nodiscard]] Result<WhatIfComparison> what_if(const Scenario& base,
                                               const ScenarioOverrides& overrides);

}  // namespace fl::staffing
