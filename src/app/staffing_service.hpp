// Staffing from what the desk measured (docs/staffing.md, "Measured staffing and what-if over
// the API"): the store's measures (core/staffing_measures.hpp) become an Erlang C load per desk
// and hour of the week (the `staffing` report: needed against planned agents) and a simulation
// scenario (the what-if: base against changed levers, run by fl_staffing with a fixed seed).
// The staffing plan (shifts per desk) is a settings document. The pure functions are the
// arithmetic and are tested on hand-made measures; StaffingService adds access, the store and
// the clock.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "core/report.hpp"
#include "core/staffing_measures.hpp"
#include "staffing/simulation.hpp"
#include "store/store.hpp"

namespace fl {

// "line1", "partner", "line2", "line3", "line4": the desks' names in the API and the plan.
[[nodiscard]] std::string_view desk_name(staffing::Desk desk);
[[nodiscard]] std::optional<staffing::Desk> desk_named(std::string_view name);

// What is assumed where nothing was measured.
struct StaffingAssumptions {
  // A desk and channel without a call with a length (reports.default_handling_minutes).
  double default_handling_seconds = 600;
};

// Where a desk's average handling time comes from: every channel it took tickets from had
// tickets with measured time (calls, recorded minutes), none had, or some had.
enum class AhtSource { measured, assumed, mixed };
[[nodiscard]] std::string_view to_string(AhtSource source);

struct ChannelLoad {
  std::string channel;
  double arrivals_per_week = 0;
  double aht_seconds = 0;
  std::int64_t tickets_timed = 0;
};

// One desk's measured load: mean arrivals per hour of the week (the count in each cell over
// how often that hour occurred in the period), the mean week (their sum; the channels share it
// in proportion to their arrivals) and its average handling time (the channels' handling
// times weighted by their arrivals).
struct DeskLoad {
  staffing::WeekGrid<double> arrivals_per_hour{};
  double arrivals_per_week = 0;
  double aht_seconds = 0;
  AhtSource aht_source = AhtSource::assumed;
  std::int64_t tickets_timed = 0;
  std::vector<ChannelLoad> channels;  // by name
};
[[nodiscard]] std::array<DeskLoad, staffing::kDeskCount> desk_loads(const StaffingMeasures& m,
                                                                    const StaffingAssumptions& a);

// The shares that steer the flow between the lines, as measured. A share over nothing is
// nullopt (and the scenario uses the fallback named with it).
struct MeasuredFlow {
  // Of the demand (tickets opened at line 1 plus self-service deflections), solved at line 0.
  std::optional<double> deflection_rate;  // fallback 0
  // Of the decided self-service sessions, deflected (the line 0 report's rate).
  std::optional<double> self_service_deflection;
  // Of the decided tickets opened at line 1 in-house / at the partner, resolved without an
  // escalation.
  std::optional<double> first_line_resolution;          // fallback 1
  std::optional<double> partner_first_line_resolution;  // fallback: line 1's
  // Of the tickets opened at line 1, opened at an outsourced team.
  std::optional<double> outsourced_share;  // fallback 0
  // Escalations from line i over arrivals at line i (index 1-3; 0 and 4 unused).
  std::array<std::optional<double>, 5> escalation_rate{};
};
[[nodiscard]] MeasuredFlow measured_flow(const StaffingMeasures& m);

// A shift of the staffing plan: `agents` rostered on the days named, hours [from, to).
struct StaffingShift {
  std::array<bool, 7> days{};  // Monday first
  int from = 0;                // 0-23
  int to = 24;                 // 1-24, after from
  int agents = 0;              // >= 0
};

// The plan per desk; a desk with no entry is not planned. Counts are rostered agents (the
// target's shrinkage is taken off them for the expected service), as in week_heat_map.
struct StaffingPlan {
  std::array<std::optional<std::vector<StaffingShift>>, staffing::kDeskCount> desks;
  std::int64_t version = 0;  // the stored document's; 0: none stored
  Timestamp updated_at{};

  [[nodiscard]] bool planned(staffing::Desk d) const {
    return desks[staffing::index(d)].has_value();
  }
  // Agents per hour of the week: the sum of the shifts covering the hour.
  [[nodiscard]] staffing::WeekGrid<int> rostered(staffing::Desk d) const;
};

// The plan's JSON: {"desks": {"line1": {"shifts": [{"days": ["mon", ...], "from": 8,
// "to": 17, "agents": 4}, ...]}, "partner": {...}, ...}}. invalid_argument with every field
// that is wrong ("desks.line1.shifts[0].to").
[[nodiscard]] Result<StaffingPlan> decode_plan(std::string_view json);
[[nodiscard]] std::string encode_plan(const StaffingPlan& plan);

// The measured desk as a simulation scenario (the parameters of `firstline simulate`'s file):
// arrivals at line 1 and the partner grossed up by the deflection rate, the measured AHTs,
// resolution and escalation shares and partner share, around the clock, arrivals queued.
// Tickets opened directly at lines 2-4 are not part of it (the simulation's tickets enter at
// line 1). Agents are left at 0: see what_if for the roster.
[[nodiscard]] staffing::Scenario scenario_from_measures(const StaffingMeasures& m,
                                                        const StaffingAssumptions& a,
                                                        const staffing::ServiceTarget& target);

// The `staffing` report for one desk's week (the `week` table) and every desk (`by_line`).
// Planned figures are null without a plan.
[[nodiscard]] Result<Report> staffing_report(const StaffingMeasures& m,
                                             const StaffingAssumptions& a,
                                             const staffing::ServiceTarget& target,
                                             const std::optional<StaffingPlan>& plan,
                                             staffing::Desk desk);

// The levers of a what-if; unset keeps the measured value. Shares in [0, 1], the factor >= 0
// (it multiplies the arrivals).
struct WhatIfLevers {
  std::optional<double> deflection_rate;
  std::optional<double> first_line_resolution;
  std::optional<double> outsourced_share;
  std::optional<double> arrival_factor;
};

// How a desk fares in one scenario.
struct DeskOutlook {
  bool in_use = false;  // receives tickets
  // Erlang C on the scenario's mean flow: agents on the queue per hour, the peak, and
  // rostered agent-hours a week (shrinkage added).
  staffing::WeekGrid<int> needed_per_hour{};
  int needed_peak = 0;
  double needed_agent_hours = 0;
  // The roster simulated (on the queue): the plan's, or, where the desk is not planned, the
  // base scenario's Erlang C need ("needed"; one agent kept on for two hours after an hour
  // with a need), or the changed scenario's for a desk only the change puts to work.
  std::string roster;  // "plan", "needed", "none"
  double rostered_agent_hours = 0;
  int hours_short = 0;  // hours the roster is below the need
  // The simulation.
  std::int64_t arrivals = 0;
  double mean_wait_seconds = 0;
  double service_level = 1;  // answered within the target's seconds
  double utilisation = 0;
  std::int64_t backlog_at_end = 0;
  // "low": the target is met and no hour is short; "medium": met with hours short, or missed by
  // at most 5 points; "high": missed by more. "none" for a desk not in use.
  std::string sla_risk = "none";
};

struct ScenarioOutlook {
  double arrivals_per_week = 0;  // demand before deflection
  double deflection_rate = 0;
  double first_line_resolution = 1;
  double outsourced_share = 0;
  std::array<DeskOutlook, staffing::kDeskCount> desks;
};

struct StaffingWhatIf {
  ScenarioOutlook base;
  ScenarioOutlook changed;
  std::uint64_t seed = 0;
  double simulated_weeks = 0;              // each scenario, after a week's warm-up
  double opened_above_line1_per_week = 0;  // tickets opened at lines 2-4: not simulated
};

// Bounds of a what-if's simulation: a week's warm-up, then at most `max_weeks`, fewer when
// the desk is busy so that each scenario counts about `max_tickets` visits to a desk (at least
// one week; a desk busier than that warms up for a day only).
struct SimulationBudget {
  int max_weeks = 4;
  double max_tickets = 200000;
  std::uint64_t seed = 2026;
};

[[nodiscard]] Result<StaffingWhatIf> staffing_what_if(const StaffingMeasures& m,
                                                      const StaffingAssumptions& a,
                                                      const staffing::ServiceTarget& target,
                                                      const std::optional<StaffingPlan>& plan,
                                                      const WhatIfLevers& levers,
                                                      const SimulationBudget& budget = {});

// What a report or what-if is asked for.
struct StaffingRequest {
  ReportFilter filter;  // filter.line is not used; `desk` chooses the week shown
  staffing::Desk desk = staffing::Desk::line1;
  staffing::ServiceTarget target;
};

struct StaffingOptions {
  StaffingAssumptions assumptions;
  const date::time_zone* zone = nullptr;  // hours of the week in this zone; nullptr: UTC
};

// Supervisors and admins read the report, run what-ifs, and read and write the plan
// (permission_denied for others).
class StaffingService {
 public:
  StaffingService(Store& store, const Clock& clock, StaffingOptions options)
      : store_(store), clock_(clock), options_(options) {}

  [[nodiscard]] Result<Report> report(const Actor& actor, const StaffingRequest& request);
  [[nodiscard]] Result<StaffingWhatIf> what_if(const Actor& actor, const StaffingRequest& request,
                                               const WhatIfLevers& levers);
  // The stored plan; version 0 and no desks when none is stored.
  [[nodiscard]] Result<StaffingPlan> plan(const Actor& actor);
  // Replaces the plan. With `expected_version` (0: none stored yet) a plan saved meanwhile is
  // a conflict; without, the last write wins.
  [[nodiscard]] Result<StaffingPlan> save_plan(const Actor& actor, const StaffingPlan& plan,
                                               std::optional<std::int64_t> expected_version);

 private:
  Result<StaffingMeasures> measures(const StaffingRequest& request);
  Result<std::optional<StaffingPlan>> stored_plan();

  Store& store_;
  const Clock& clock_;
  StaffingOptions options_;
};

}  // namespace fl
