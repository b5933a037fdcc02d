// The support-line simulation: against Erlang C where both apply (M/M/c), flow conservation,
// business hours, reproducibility and the what-if comparison.
#include "staffing/simulation.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace fl::staffing {
namespace {

// Sanitizer builds run the unit suite too, about 15× slower: shorter runs there.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// One line, around the clock, a constant rate: M/M/c.
Scenario single_line(double calls_per_hour, double aht_minutes, int agents) {
  Scenario s;
  s.name = "M/M/c";
  s.arrivals_per_hour.fill(calls_per_hour);
  s.desk(Desk::line1).aht_minutes = aht_minutes;
  s.desk(Desk::line1).agents.fill(agents);
  return s;
}

// Line 1 escalating a share to line 2, and a partner desk taking part of line 1.
Scenario two_lines() {
  Scenario s;
  s.name = "two lines";
  s.arrivals_per_hour.fill(40);
  s.deflection = 0.2;
  s.outsourced_share = 0.25;
  DeskConfig& l1 = s.desk(Desk::line1);
  l1.aht_minutes = 6;
  l1.agents.fill(5);
  l1.escalation = 0.3;
  DeskConfig& p = s.desk(Desk::partner);
  p.aht_minutes = 8;
  p.agents.fill(3);
  p.escalation = 0.4;
  DeskConfig& l2 = s.desk(Desk::line2);
  l2.aht_minutes = 20;
  l2.agents.fill(5);
  s.warmup_hours = 0;
  s.run_hours = 2000;
  s.seed = 7;
  return s;
}

// The acceptance check of issue 8: c = 10 agents, A = 7 Erlangs (84 calls an hour, AHT 5 min).
// Erlang C: P(wait) = 0.2217, mean wait 22.17 s, 81.85 % within 20 s. Measured with seed 2026:
// Release, 25,000 h (2.1 million calls, ~0.5 s): 22.43 s (+1.2 %), 81.80 %; the sanitizer run,
// 8,000 h: 21.90 s (−1.2 %). Across seeds one 25,000 h run deviates by about 0.9 % RMS (2.2 % at
// 8,000 h), so 5 % is far outside chance.
TEST(Simulation, MeanWaitMatchesErlangCForMMc) {
  Scenario s = single_line(84, 5, 10);
  s.seed = 2026;
  s.warmup_hours = 24;
  s.run_hours = kSanitized ? 8000 : 25000;
  ASSERT_TRUE(validate(s));
  const SimulationResult r = simulate(s);
  const DeskResult& d = r.desk(Desk::line1);
  const IntervalLoad load{84, 300, 3600};
  const double asa = average_speed_of_answer(10, load);
  ASSERT_NEAR(asa, 22.17, 0.01);
  EXPECT_NEAR(d.mean_wait_seconds / asa, 1.0, 0.05) << "simulated " << d.mean_wait_seconds;
  EXPECT_NEAR(d.service_level, service_level(10, load, 20), 0.01);
  EXPECT_NEAR(d.utilisation, 0.7, 0.01);
  EXPECT_NEAR(d.mean_time_in_system_minutes, 5 + asa / 60, 0.1);
  EXPECT_NEAR(static_cast<double>(d.arrivals) / s.run_hours, 84, 1);
  EXPECT_EQ(d.escalated, 0);
  EXPECT_EQ(d.resolved, d.handled);
}

TEST(Simulation, FlowIsConserved) {
  const Scenario s = two_lines();
  ASSERT_TRUE(validate(s)) << validate(s).error().message;
  const SimulationResult r = simulate(s);
  const DeskResult& l1 = r.desk(Desk::line1);
  const DeskResult& p = r.desk(Desk::partner);
  const DeskResult& l2 = r.desk(Desk::line2);
  // Every ticket is somewhere: deflected, at a desk (handled, queued or in hand).
  EXPECT_EQ(r.demand, r.deflected + l1.arrivals + p.arrivals);
  for (const DeskResult* d : {&l1, &p, &l2}) {
    EXPECT_EQ(d->arrivals, d->handled + d->waiting_at_end + d->in_service_at_end);
    EXPECT_EQ(d->handled, d->resolved + d->escalated);
  }
  EXPECT_EQ(l2.arrivals, l1.escalated + p.escalated);
  EXPECT_EQ(l2.escalated, 0);
  EXPECT_EQ(r.resolved, l1.resolved + p.resolved + l2.resolved);
  // The shares, within a few standard errors (n is in the tens of thousands).
  EXPECT_NEAR(static_cast<double>(r.deflected) / r.demand, 0.2, 0.01);
  EXPECT_NEAR(static_cast<double>(p.arrivals) / (p.arrivals + l1.arrivals), 0.25, 0.01);
  EXPECT_NEAR(static_cast<double>(l1.escalated) / l1.handled, 0.3, 0.01);
  EXPECT_NEAR(static_cast<double>(p.escalated) / p.handled, 0.4, 0.015);
  EXPECT_GT(l2.arrivals, 10000);
  // Line 2 offered (0.8 · 40 · (0.75 · 0.3 + 0.25 · 0.4)) = 10.4 an hour × 20 min = 3.47 Erlangs.
  EXPECT_NEAR(l2.utilisation, 3.47 / 5, 0.02);
}

TEST(Simulation, WarmUpIsNotCounted) {
  Scenario s = two_lines();
  s.warmup_hours = 500;
  s.run_hours = 1500;
  const SimulationResult r = simulate(s);
  EXPECT_NEAR(static_cast<double>(r.demand) / 1500, 40, 1);
  const DeskResult& l1 = r.desk(Desk::line1);
  EXPECT_EQ(l1.arrivals, l1.handled + l1.waiting_at_end + l1.in_service_at_end);
  EXPECT_NEAR(l1.scheduled_agent_hours, 5 * 1500, 1e-6);
  // Line 2 may see a few tickets that came to line 1 before the warm-up ended.
  const auto into_line2 = r.desk(Desk::line1).escalated + r.desk(Desk::partner).escalated;
  EXPECT_GE(r.desk(Desk::line2).arrivals, into_line2);
  EXPECT_LE(r.desk(Desk::line2).arrivals, into_line2 + 10);
}

TEST(Simulation, ReproducibleForASeed) {
  const Scenario s = two_lines();
  const SimulationResult a = simulate(s);
  const SimulationResult b = simulate(s);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.desk(Desk::line2).handled, b.desk(Desk::line2).handled);
  EXPECT_EQ(a.desk(Desk::line1).mean_wait_seconds, b.desk(Desk::line1).mean_wait_seconds);
  Scenario other = s;
  other.seed = 8;
  EXPECT_NE(simulate(other).desk(Desk::line1).mean_wait_seconds,
            a.desk(Desk::line1).mean_wait_seconds);
}

// Open Monday to Friday 09:00-17:00, tickets around the clock.
Scenario office_hours(AfterHours policy) {
  Scenario s = single_line(10, 10, 4);
  s.open.fill(false);
  for (int day = 0; day < 5; ++day)
    for (int h = 9; h < 17; ++h) s.open[hour_of_week(day, h)] = true;
  s.after_hours = policy;
  s.warmup_hours = 168;
  s.run_hours = 20 * 168;
  return s;
}

TEST(Simulation, ClosedHoursQueueUntilOpening) {
  const Scenario s = office_hours(AfterHours::queue);
  ASSERT_TRUE(validate(s));
  const SimulationResult r = simulate(s);
  const DeskResult& d = r.desk(Desk::line1);
  EXPECT_EQ(r.rejected_after_hours, 0);
  EXPECT_EQ(d.arrivals, r.demand);
  // 1,680 tickets a week into 40 open hours × 4 agents × 6 an hour = 960 capacity: overloaded;
  // the backlog grows and waits span nights.
  EXPECT_GT(d.backlog_at_end, 0);
  EXPECT_GT(d.mean_wait_seconds, 8 * 3600);
  EXPECT_NEAR(d.scheduled_agent_hours, 20 * 40 * 4, 1e-6);
  // Busy the whole time, and a little over: a ticket in hand at 17:00 is finished.
  EXPECT_GT(d.utilisation, 0.99);
  EXPECT_LT(d.utilisation, 1.05);
}

TEST(Simulation, ClosedHoursRejected) {
  Scenario s = office_hours(AfterHours::reject);
  const SimulationResult r = simulate(s);
  const DeskResult& d = r.desk(Desk::line1);
  // 128 of 168 hours closed.
  EXPECT_NEAR(static_cast<double>(r.rejected_after_hours) / r.demand, 128.0 / 168, 0.01);
  EXPECT_EQ(d.arrivals + r.rejected_after_hours, r.demand);
  // 10 an hour × 10 min on 4 agents: 1.67 Erlangs while open, short waits.
  EXPECT_LT(d.mean_wait_in_hours_seconds, 120);
  EXPECT_NEAR(d.utilisation, 1.67 / 4, 0.03);
}

TEST(Simulation, LognormalHandlingKeepsTheMean) {
  Scenario s = single_line(30, 12, 60);  // ample agents: time in system = handling time
  s.desk(Desk::line1).shape = HandlingShape::lognormal;
  s.desk(Desk::line1).cv = 2.0;
  s.run_hours = kSanitized ? 2000 : 8000;
  ASSERT_TRUE(validate(s));
  const DeskResult d = simulate(s).desk(Desk::line1);
  EXPECT_EQ(d.mean_wait_seconds, 0);
  EXPECT_NEAR(d.mean_time_in_system_minutes, 12, 0.5);
}

TEST(Simulation, ValidationNamesTheKey) {
  Scenario s = two_lines();
  s.desk(Desk::line2).aht_minutes = 0;
  EXPECT_EQ(validate(s).error().message, "lines.2.aht_minutes: must be > 0");
  s = two_lines();
  s.desk(Desk::line2).agents.fill(0);
  EXPECT_EQ(validate(s).error().message,
            "lines.2.agents: receives tickets but no agent is ever on duty in business hours");
  s = two_lines();
  s.deflection = 1.5;
  EXPECT_EQ(validate(s).error().message, "line0.deflection: must be in [0, 1]");
  s = two_lines();
  s.desk(Desk::line1).escalation = -0.1;
  EXPECT_EQ(validate(s).error().message, "lines.1.first_contact_resolution: must be in [0, 1]");
  s = two_lines();
  s.target.service_level = 1;
  EXPECT_EQ(validate(s).error().message, "target.service_level: must be in (0, 1)");
}

TEST(StaffingView, OfferedLoadFollowsTheFlow) {
  const Scenario s = two_lines();
  auto view = staffing_view(s);
  ASSERT_TRUE(view) << view.error().message;
  const auto& l1 = (*view)[index(Desk::line1)];
  const auto& l2 = (*view)[index(Desk::line2)];
  EXPECT_DOUBLE_EQ(l1.offered.arrivals_per_hour[10], 40 * 0.8 * 0.75);
  EXPECT_DOUBLE_EQ(l2.offered.arrivals_per_hour[10], 40 * 0.8 * (0.75 * 0.3 + 0.25 * 0.4));
  EXPECT_DOUBLE_EQ(l1.offered.aht_seconds[10], 360);
  // Line 1: 24 an hour × 6 min = 2.4 Erlangs; 80/20 needs 5 agents — as scheduled.
  EXPECT_EQ(l1.map.cells[10].needed_agents,
            agents_needed(IntervalLoad{24, 360, 3600}, ServiceTarget{})->agents);
  EXPECT_EQ(l1.map.planned_agent_hours, 5 * 168);
}

TEST(StaffingView, ClosedHoursMoveToTheOpening) {
  const Scenario s = office_hours(AfterHours::queue);
  auto view = staffing_view(s);
  ASSERT_TRUE(view);
  const auto& offered = (*view)[index(Desk::line1)].offered.arrivals_per_hour;
  double total = 0;
  for (double a : offered) total += a;
  EXPECT_DOUBLE_EQ(total, 10 * 168);
  // Monday 17:00 to Tuesday 09:00 (16 hours) spread over Tuesday's 8 open hours.
  EXPECT_DOUBLE_EQ(offered[hour_of_week(1, 9)], 10 + 10 * 16 / 8.0);
  EXPECT_DOUBLE_EQ(offered[hour_of_week(1, 16)], 10 + 10 * 16 / 8.0);
  // Friday 17:00 to Monday 09:00 (64 hours) over Monday's.
  EXPECT_DOUBLE_EQ(offered[hour_of_week(0, 12)], 10 + 10 * 64 / 8.0);
  EXPECT_EQ(offered[hour_of_week(0, 20)], 0);
}

TEST(WhatIf, ReturnsBaseAndChanged) {
  const Scenario base = two_lines();
  ScenarioOverrides o;
  o.deflection = 0.5;
  o.first_contact_resolution = 0.9;
  auto cmp = what_if(base, o);
  ASSERT_TRUE(cmp) << cmp.error().message;
  EXPECT_EQ(cmp->changed_scenario.deflection, 0.5);
  EXPECT_NEAR(cmp->changed_scenario.desk(Desk::line1).escalation, 0.1, 1e-12);
  EXPECT_EQ(cmp->base.simulation.events, simulate(base).events);
  // Same seed, same arrival stream: the demand is the very same tickets.
  EXPECT_EQ(cmp->base.simulation.demand, cmp->changed.simulation.demand);
  const double ratio = static_cast<double>(cmp->changed.simulation.desk(Desk::line1).arrivals) /
                       cmp->base.simulation.desk(Desk::line1).arrivals;
  EXPECT_NEAR(ratio, 0.5 / 0.8, 0.02);
  EXPECT_LT(cmp->changed.simulation.desk(Desk::line2).arrivals,
            cmp->base.simulation.desk(Desk::line2).arrivals / 2);
  EXPECT_LT(cmp->changed.staffing[index(Desk::line2)].map.needed_agent_hours,
            cmp->base.staffing[index(Desk::line2)].map.needed_agent_hours);
}

TEST(WhatIf, ArrivalMultiplierAndPartnerShare) {
  const Scenario base = two_lines();
  ScenarioOverrides o;
  o.arrival_multiplier = 1.5;
  o.outsourced_share = 0.5;
  auto changed = apply(base, o);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->arrival_multiplier, 1.5);
  const SimulationResult r = simulate(*changed);
  EXPECT_NEAR(static_cast<double>(r.demand) / base.run_hours, 60, 1);
  const auto p = r.desk(Desk::partner).arrivals;
  EXPECT_NEAR(static_cast<double>(p) / (p + r.desk(Desk::line1).arrivals), 0.5, 0.01);
}

TEST(WhatIf, ErrorsNameTheOverride) {
  ScenarioOverrides o;
  o.deflection = 1.2;
  EXPECT_EQ(apply(two_lines(), o).error().message, "what_if.deflection: must be in [0, 1]");
  Scenario no_partner = two_lines();
  no_partner.outsourced_share = 0;
  no_partner.desk(Desk::partner).agents.fill(0);
  ScenarioOverrides share;
  share.outsourced_share = 0.3;
  EXPECT_EQ(apply(no_partner, share).error().message,
            "what_if: partner.agents: receives tickets but no agent is ever on duty in business "
            "hours");
}

}  // namespace
}  // namespace fl::staffing
