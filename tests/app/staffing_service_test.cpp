// Staffing from measures: hand-made measures through the Erlang C report, the scenario and the
// what-if (known loads, known answers), the plan's document, and the service over a real
// SQLite desk (the store's measures from report facts the follower wrote).
#include "app/staffing_service.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "app/reports.hpp"
#include "desk_fixture.hpp"
#include "staffing/week_grid.hpp"

namespace fl::testing {
namespace {

using namespace std::chrono_literals;
using staffing::Desk;
using staffing::hour_of_week;

constexpr int kMonday9 = hour_of_week(0, 9);

StaffingMeasures weeks_of(int weeks) {
  StaffingMeasures m;
  m.weeks = weeks;
  m.hours_in_period.fill(weeks);
  return m;
}

// Adds `n` arrivals in each week of the period at `hour`.
void arrive(StaffingMeasures& m, int line, bool outsourced, const std::string& channel, int hour,
            std::int64_t n) {
  for (auto& s : m.arrivals)
    if (s.line == line && s.outsourced == outsourced && s.channel == channel) {
      s.per_hour_of_week[static_cast<std::size_t>(hour)] += n * static_cast<std::int64_t>(m.weeks);
      s.total += n * static_cast<std::int64_t>(m.weeks);
      return;
    }
  ArrivalSeries s{.line = line, .outsourced = outsourced, .channel = channel};
  m.arrivals.push_back(s);
  arrive(m, line, outsourced, channel, hour, n);
}

const ReportValue& cell(const ReportTable& t, std::size_t row, std::string_view column) {
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i] == column) return t.rows.at(row).at(i);
  throw std::runtime_error("no column " + std::string(column));
}

double number(const ReportValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  ADD_FAILURE() << "not a number";
  return std::nan("");
}

const ReportValue& figure(const Report& r, std::string_view name) {
  const ReportFigure* f = r.figure(name);
  if (f == nullptr) throw std::runtime_error("no figure " + std::string(name));
  return f->value;
}

bool is_null(const ReportValue& v) {
  return std::holds_alternative<std::monostate>(v);
}

// Call Centre Helper's worked example, measured: 200 calls in one hour of the week, 180 s each,
// is 10 Erlangs; 80 % within 20 s needs 14 agents (P(wait) 17.4 %, ASA 7.8 s).
StaffingMeasures ten_erlangs_on_monday_at_nine(int weeks) {
  StaffingMeasures m = weeks_of(weeks);
  arrive(m, 1, false, "phone", kMonday9, 200);
  m.handling.push_back(
      {.line = 1, .outsourced = false, .channel = "phone", .tickets_timed = 100, .handled_seconds = 18000});
  m.tickets = 200 * weeks;
  return m;
}

TEST(StaffingReport, ErlangCAtAMeasuredHourOfTenErlangs) {
  for (int weeks : {1, 3}) {
    SCOPED_TRACE(weeks);
    const auto m = ten_erlangs_on_monday_at_nine(weeks);
    auto r = staffing_report(m, {}, {}, std::nullopt, Desk::line1);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->name, "staffing");
    const ReportTable* week = r->table("week");
    ASSERT_NE(week, nullptr);
    ASSERT_EQ(week->rows.size(), 168u);
    EXPECT_EQ(week->chart, "heat");
    EXPECT_EQ(std::get<std::string>(cell(*week, kMonday9, "day")), "mon");
    EXPECT_EQ(number(cell(*week, kMonday9, "hour")), 9);
    EXPECT_DOUBLE_EQ(number(cell(*week, kMonday9, "arrivals_per_hour")), 200);
    EXPECT_EQ(number(cell(*week, kMonday9, "needed")), 14);
    EXPECT_TRUE(is_null(cell(*week, kMonday9, "planned"))) << "no plan stored";
    EXPECT_NEAR(number(cell(*week, kMonday9, "wait_probability")), 0.174, 0.001);
    EXPECT_NEAR(number(cell(*week, kMonday9, "asa_seconds")), 7.8, 0.1);
    EXPECT_EQ(number(cell(*week, kMonday9 + 1, "needed")), 0) << "no traffic at 10:00";

    EXPECT_EQ(number(figure(*r, "peak_needed")), 14);
    EXPECT_DOUBLE_EQ(number(figure(*r, "aht_seconds")), 180);
    EXPECT_EQ(std::get<std::string>(figure(*r, "aht_source")), "measured");
    EXPECT_EQ(number(figure(*r, "tickets_timed")), 100);
    EXPECT_DOUBLE_EQ(number(figure(*r, "arrivals_per_week")), 200);
    EXPECT_DOUBLE_EQ(number(figure(*r, "agent_hours_needed")), 14);
    EXPECT_TRUE(is_null(figure(*r, "planned_agents")));
    EXPECT_TRUE(is_null(figure(*r, "first_line_resolution"))) << "nothing decided";
  }
}

TEST(StaffingReport, ShrinkageAndTheTargetChangeTheNeed) {
  const auto m = ten_erlangs_on_monday_at_nine(1);
  auto r = staffing_report(
      m, {},
      {.service_level = 0.8, .answer_within_seconds = 20, .max_occupancy = 1, .shrinkage = 0.3},
      std::nullopt, Desk::line1);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(number(figure(*r, "peak_needed")), 20) << "ceil(14 / 0.7): rostered";
  auto strict = staffing_report(m, {}, {.service_level = 0.9, .answer_within_seconds = 10},
                                std::nullopt, Desk::line1);
  ASSERT_TRUE(strict);
  EXPECT_GT(number(figure(*strict, "peak_needed")), 14);
  auto bad = staffing_report(m, {}, {.service_level = 1.2}, std::nullopt, Desk::line1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "service_level");
}

TEST(StaffingReport, ChannelsWithoutCallsUseTheDefaultHandlingTime) {
  StaffingMeasures m = ten_erlangs_on_monday_at_nine(1);
  arrive(m, 1, false, "mail", kMonday9, 200);
  arrive(m, 2, false, "mail", hour_of_week(1, 10), 5);
  auto r = staffing_report(m, {.default_handling_seconds = 600}, {}, std::nullopt, Desk::line1);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_DOUBLE_EQ(number(figure(*r, "aht_seconds")), 390) << "(200 x 180 + 200 x 600) / 400";
  EXPECT_EQ(std::get<std::string>(figure(*r, "aht_source")), "mixed");
  const ReportTable* channels = r->table("by_channel");
  ASSERT_NE(channels, nullptr);
  ASSERT_EQ(channels->rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(cell(*channels, 0, "channel")), "mail");
  EXPECT_EQ(std::get<std::string>(cell(*channels, 0, "aht_source")), "assumed");
  EXPECT_DOUBLE_EQ(number(cell(*channels, 1, "aht_seconds")), 180);

  const ReportTable* lines = r->table("by_line");
  ASSERT_NE(lines, nullptr);
  ASSERT_EQ(lines->rows.size(), 4u) << "no partner row: it took nothing and is not planned";
  EXPECT_EQ(std::get<std::string>(cell(*lines, 1, "desk")), "line2");
  EXPECT_EQ(std::get<std::string>(cell(*lines, 1, "aht_source")), "assumed");
  EXPECT_DOUBLE_EQ(number(cell(*lines, 1, "aht_seconds")), 600);
  EXPECT_DOUBLE_EQ(number(cell(*lines, 1, "arrivals_per_week")), 5);

  auto line2 = staffing_report(m, {}, {}, std::nullopt, Desk::line2);
  ASSERT_TRUE(line2);
  EXPECT_DOUBLE_EQ(number(cell(*line2->table("week"), hour_of_week(1, 10), "arrivals_per_hour")),
                   5);
}

TEST(StaffingReport, ThePlanIsComparedHourByHour) {
  const auto m = ten_erlangs_on_monday_at_nine(1);
  StaffingPlan plan;
  plan.desks[staffing::index(Desk::line1)] =
      std::vector<StaffingShift>{{.days = {true, false, false, false, false, false, false},
                                  .from = 8,
                                  .to = 17,
                                  .agents = 12}};
  auto r = staffing_report(m, {}, {}, plan, Desk::line1);
  ASSERT_TRUE(r) << r.error().message;
  const ReportTable& week = *r->table("week");
  EXPECT_EQ(number(cell(week, kMonday9, "planned")), 12);
  EXPECT_EQ(number(cell(week, kMonday9, "needed")), 14);
  EXPECT_EQ(number(cell(week, hour_of_week(0, 8), "planned")), 12);
  EXPECT_EQ(number(cell(week, hour_of_week(0, 17), "planned")), 0);
  // With 12 agents on 10 Erlangs: P(wait) = 0.4493 (Erlang C), above the 14 agents' 0.174.
  EXPECT_NEAR(number(cell(week, kMonday9, "wait_probability")), 0.449, 0.001);
  EXPECT_EQ(number(figure(*r, "planned_agents")), 12);
  EXPECT_DOUBLE_EQ(number(figure(*r, "agent_hours_planned")), 9 * 12);
  EXPECT_EQ(number(figure(*r, "hours_short")), 1);
}

TEST(StaffingPlanDocument, RoundTripsAndNamesEveryWrongField) {
  auto plan = decode_plan(
      R"({"desks": {"line1": {"shifts": [{"days": ["mon", "tue"], "from": 8, "to": 12,
          "agents": 3}, {"days": ["mon"], "from": 10, "to": 18, "agents": 2}]},
          "partner": {"shifts": []}}})");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->planned(Desk::line1));
  EXPECT_TRUE(plan->planned(Desk::partner)) << "planned with no one";
  EXPECT_FALSE(plan->planned(Desk::line2));
  const auto grid = plan->rostered(Desk::line1);
  EXPECT_EQ(grid[hour_of_week(0, 8)], 3);
  EXPECT_EQ(grid[hour_of_week(0, 11)], 5) << "overlapping shifts add up";
  EXPECT_EQ(grid[hour_of_week(0, 12)], 2);
  EXPECT_EQ(grid[hour_of_week(1, 11)], 3);
  EXPECT_EQ(grid[hour_of_week(1, 12)], 0);
  auto again = decode_plan(encode_plan(*plan));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rostered(Desk::line1), grid);

  auto bad = decode_plan(
      R"({"desks": {"line9": {"shifts": []}, "line1": {"shifts": [{"days": ["mon", "someday"],
          "from": 8, "to": 8, "agents": -1}]}, "line2": {"shifts": [{"days": ["sun"], "from": 25,
          "to": 3, "agents": 1, "extra": true}]}}})");
  ASSERT_FALSE(bad);
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields) fields.push_back(f.field);
  for (const char* expected :
       {"desks.line9", "desks.line1.shifts[0].days", "desks.line1.shifts[0].agents",
        "desks.line2.shifts[0].extra", "desks.line2.shifts[0].from"})
    EXPECT_NE(std::ranges::find(fields, expected), fields.end()) << expected;
  auto backwards = decode_plan(
      R"({"desks": {"line1": {"shifts": [{"days": ["mon"], "from": 9, "to": 8, "agents": 1}]}}})");
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().fields.at(0).field, "desks.line1.shifts[0].to");
  EXPECT_FALSE(decode_plan(R"({"shifts": []})"));
  EXPECT_FALSE(decode_plan("not json"));
}

// A desk with every lever measured: 80 tickets a week at line 1 in-house and 20 at the partner
// (Monday 10:00), 25 self-service deflections, line 1 resolves 60 of 80, the partner 10 of 20,
// line 2 sends 6 of its 30 arrivals on; calls of 300 s at line 1.
StaffingMeasures measured_desk() {
  StaffingMeasures m = weeks_of(1);
  const int monday10 = hour_of_week(0, 10);
  arrive(m, 1, false, "phone", monday10, 80);
  arrive(m, 1, true, "phone", monday10, 20);
  arrive(m, 2, false, "phone", hour_of_week(0, 11), 30);
  m.opened_at = {0, 100, 0, 0, 0};
  m.in_house = {.opened = 80, .decided = 80, .resolved = 60};
  m.partner = {.opened = 20, .decided = 20, .resolved = 10};
  m.escalated_from = {0, 30, 6, 0, 0};
  m.self_service_decided = 50;
  m.self_service_deflected = 25;
  m.handling.push_back(
      {.line = 1, .outsourced = false, .channel = "phone", .tickets_timed = 10, .handled_seconds = 3000});
  return m;
}

TEST(StaffingScenario, IsBuiltFromTheMeasures) {
  const auto m = measured_desk();
  const MeasuredFlow flow = measured_flow(m);
  EXPECT_DOUBLE_EQ(*flow.deflection_rate, 0.2) << "25 of 25 + 100";
  EXPECT_DOUBLE_EQ(*flow.self_service_deflection, 0.5);
  EXPECT_DOUBLE_EQ(*flow.first_line_resolution, 0.75);
  EXPECT_DOUBLE_EQ(*flow.partner_first_line_resolution, 0.5);
  EXPECT_DOUBLE_EQ(*flow.outsourced_share, 0.2);
  EXPECT_DOUBLE_EQ(*flow.escalation_rate[1], 0.3);
  EXPECT_DOUBLE_EQ(*flow.escalation_rate[2], 0.2);
  EXPECT_FALSE(flow.escalation_rate[3]) << "nothing arrived at line 3";

  const staffing::ServiceTarget target{.service_level = 0.8, .answer_within_seconds = 30};
  staffing::Scenario s = scenario_from_measures(m, {.default_handling_seconds = 900}, target);
  EXPECT_DOUBLE_EQ(s.arrivals_per_hour[hour_of_week(0, 10)], 125) << "100 reached the desk: 80 %";
  EXPECT_DOUBLE_EQ(s.arrivals_per_hour[hour_of_week(0, 11)], 0) << "line 2 is fed by escalation";
  EXPECT_DOUBLE_EQ(s.deflection, 0.2);
  EXPECT_DOUBLE_EQ(s.outsourced_share, 0.2);
  EXPECT_DOUBLE_EQ(s.desk(Desk::line1).aht_minutes, 5);
  EXPECT_DOUBLE_EQ(s.desk(Desk::line1).escalation, 0.25);
  EXPECT_DOUBLE_EQ(s.desk(Desk::partner).aht_minutes, 15) << "no partner calls: the default";
  EXPECT_DOUBLE_EQ(s.desk(Desk::partner).escalation, 0.5);
  EXPECT_DOUBLE_EQ(s.desk(Desk::line2).aht_minutes, 15);
  EXPECT_DOUBLE_EQ(s.desk(Desk::line2).escalation, 0.2);
  EXPECT_DOUBLE_EQ(s.desk(Desk::line3).escalation, 0);
  EXPECT_DOUBLE_EQ(s.desk(Desk::line1).answer_within_seconds, 30);
  EXPECT_DOUBLE_EQ(s.target.service_level, 0.8);
  for (auto& d : s.desks) d.agents.fill(3);
  EXPECT_TRUE(staffing::validate(s));
}

TEST(StaffingScenario, WithoutSelfServiceOrPartnerTheFallbacksHold) {
  const auto m = ten_erlangs_on_monday_at_nine(2);
  const staffing::Scenario s = scenario_from_measures(m, {}, {});
  EXPECT_DOUBLE_EQ(s.deflection, 0);
  EXPECT_DOUBLE_EQ(s.outsourced_share, 0);
  EXPECT_DOUBLE_EQ(s.desk(Desk::line1).escalation, 0) << "nothing decided: everything resolved";
  EXPECT_DOUBLE_EQ(s.arrivals_per_hour[kMonday9], 200);
  EXPECT_DOUBLE_EQ(s.desk(Desk::partner).aht_minutes, 3) << "the partner handles like line 1";
}

// A working week: 08:00-18:00 Monday to Friday, 30 tickets an hour reach line 1 (6 minutes
// each), a tenth of the demand deflected, 70 % solved at line 1, line 2 at the default.
StaffingMeasures office_week() {
  StaffingMeasures m = weeks_of(4);
  for (int day = 0; day < 5; ++day)
    for (int h = 8; h < 18; ++h) arrive(m, 1, false, "phone", hour_of_week(day, h), 30);
  m.opened_at[1] = 30 * 50 * 4;
  m.in_house = {.opened = 6000, .decided = 6000, .resolved = 4200};
  m.self_service_decided = 1000;
  m.self_service_deflected = 667;  // 667 / (667 + 6000): a tenth
  m.handling.push_back(
      {.line = 1, .outsourced = false, .channel = "phone", .tickets_timed = 1000, .handled_seconds = 360000});
  return m;
}

TEST(StaffingWhatIf, MoreDeflectionNeedsNoMoreAgentsAtLineOne) {
  const auto m = office_week();
  const WhatIfLevers levers{.deflection_rate = 0.4};
  const auto started = std::chrono::steady_clock::now();
  auto w = staffing_what_if(m, {}, {}, std::nullopt, levers);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(w) << w.error().message;
  const auto& base = w->base.desks[staffing::index(Desk::line1)];
  const auto& changed = w->changed.desks[staffing::index(Desk::line1)];
  EXPECT_NEAR(w->base.deflection_rate, 0.1, 0.001);
  EXPECT_DOUBLE_EQ(w->changed.deflection_rate, 0.4);
  EXPECT_TRUE(base.in_use);
  EXPECT_EQ(base.needed_peak, 6) << "30 an hour x 6 min = 3 Erlangs: 6 agents for 80/20";
  EXPECT_LE(changed.needed_peak, base.needed_peak);
  EXPECT_LT(changed.needed_agent_hours, base.needed_agent_hours);
  EXPECT_LT(changed.arrivals, base.arrivals);
  EXPECT_EQ(base.roster, "needed") << "no plan: staffed to the base's need";
  EXPECT_EQ(changed.roster, "needed");
  EXPECT_EQ(base.hours_short, 0);
  EXPECT_LE(changed.mean_wait_seconds, base.mean_wait_seconds);
  EXPECT_EQ(changed.sla_risk, "low");
  // Staffed to Erlang C's need, the simulation meets the target.
  EXPECT_GE(base.service_level, 0.8);
  const auto& line2 = w->base.desks[staffing::index(Desk::line2)];
  EXPECT_TRUE(line2.in_use) << "30 % escalated";
  EXPECT_EQ(w->seed, 2026u);
  EXPECT_LT(std::chrono::duration<double>(took).count(), 5.0);

  auto again = staffing_what_if(m, {}, {}, std::nullopt, levers);
  ASSERT_TRUE(again);
  EXPECT_DOUBLE_EQ(again->changed.desks[0].mean_wait_seconds, changed.mean_wait_seconds)
      << "a fixed seed: the same answer";
}

TEST(StaffingWhatIf, MoreArrivalsOnThePlannedRosterRaiseTheRisk) {
  const auto m = office_week();
  StaffingPlan plan;
  plan.desks[staffing::index(Desk::line1)] = std::vector<StaffingShift>{
      {.days = {true, true, true, true, true, false, false}, .from = 8, .to = 18, .agents = 6}};
  auto w = staffing_what_if(m, {}, {}, plan, {.arrival_factor = 1.6});
  ASSERT_TRUE(w) << w.error().message;
  const auto& base = w->base.desks[staffing::index(Desk::line1)];
  const auto& changed = w->changed.desks[staffing::index(Desk::line1)];
  EXPECT_EQ(base.roster, "plan");
  EXPECT_EQ(base.sla_risk, "low");
  EXPECT_GT(changed.needed_peak, base.needed_peak);
  EXPECT_EQ(changed.hours_short, 50) << "every open hour";
  EXPECT_LT(changed.service_level, base.service_level);
  EXPECT_EQ(changed.sla_risk, "high");
  EXPECT_EQ(w->changed.desks[staffing::index(Desk::line2)].roster, "needed")
      << "line 2 is not planned";
}

TEST(StaffingWhatIf, APartnerShareOnADeskWithoutPartnerIsStaffedToItsNeed) {
  const auto m = office_week();
  auto w = staffing_what_if(m, {}, {}, std::nullopt, {.outsourced_share = 0.5});
  ASSERT_TRUE(w) << w.error().message;
  const auto& partner = w->changed.desks[staffing::index(Desk::partner)];
  EXPECT_FALSE(w->base.desks[staffing::index(Desk::partner)].in_use);
  EXPECT_TRUE(partner.in_use);
  EXPECT_EQ(partner.roster, "needed_after_change");
  EXPECT_GT(partner.arrivals, 0);
}

TEST(StaffingWhatIf, TheLeversAreChecked) {
  const auto m = office_week();
  auto bad =
      staffing_what_if(m, {}, {}, std::nullopt, {.deflection_rate = 1.5, .arrival_factor = -1});
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].field, "deflection_rate");
  EXPECT_EQ(bad.error().fields[1].field, "arrival_factor");
}

// The bound on a what-if's work: a desk of about 193,000 tickets a week, 212,000 in the
// what-if (over the budget of 200,000): both warm up for a day and count one week.
TEST(StaffingWhatIf, ABusyDeskSimulatesOneWeek) {
  StaffingMeasures m = weeks_of(1);
  for (int h = 0; h < 168; ++h) arrive(m, 1, false, "phone", h, 1150);
  m.handling.push_back({.line = 1, .channel = "phone", .tickets_timed = 10, .handled_seconds = 1800});
  const auto started = std::chrono::steady_clock::now();
  auto w = staffing_what_if(m, {}, {}, std::nullopt, {.arrival_factor = 1.1});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->simulated_weeks, 1);
  EXPECT_EQ(w->base.desks[0].needed_peak, 64) << "1150 x 180 s = 57.5 Erlangs";
  EXPECT_GE(w->base.desks[0].service_level, 0.8);
  std::printf("busy desk what-if: %.0f ms for two scenarios of %lld and %lld tickets counted\n",
              seconds * 1000, static_cast<long long>(w->base.desks[0].arrivals),
              static_cast<long long>(w->changed.desks[0].arrivals));
}

TEST(StaffingMeasures, HoursOfTheWeekAreLocal) {
  using namespace std::chrono;
  // 1970-01-01 was a Thursday.
  EXPECT_EQ(local_hour_of_week(from_millis(0), nullptr), hour_of_week(3, 0));
  const auto at = [](int y, unsigned mo, unsigned d, int h, int mi) {
    return Timestamp{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi}};
  };
  EXPECT_EQ(local_hour_of_week(at(2026, 11, 23, 9, 30), nullptr), hour_of_week(0, 9));
  const date::time_zone* berlin = date::locate_zone("Europe/Berlin");
  EXPECT_EQ(local_hour_of_week(at(2026, 11, 23, 9, 30), berlin), hour_of_week(0, 10)) << "CET";
  EXPECT_EQ(local_hour_of_week(at(2026, 7, 5, 22, 0), berlin), hour_of_week(0, 0))
      << "Sunday 22:00 UTC is Monday 00:00 CEST";
  // Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST.
  EXPECT_EQ(local_hour_of_week(at(2026, 3, 29, 0, 30), berlin), hour_of_week(6, 1));
  EXPECT_EQ(local_hour_of_week(at(2026, 3, 29, 1, 30), berlin), hour_of_week(6, 3));
}

// --- over SQLite ------------------------------------------------------------------------------

class StaffingServiceTest : public DeskTest {};

TEST_F(StaffingServiceTest, MeasuresComeFromTheReportFacts) {
  const Timestamp start = clock.now();
  const Ticket a = open_ticket(c1, "Printer jams");
  clock.advance(2min);
  ok(tickets->add_entry(l1, a.id,
                        {.kind = EntryKind::call,
                         .body = "Talked it through.",
                         .call = CallDetails{.duration_seconds = 240, .caller = "+4930123"}}));
  ok(tickets->add_entry(l1, a.id,
                        {.kind = EntryKind::note, .body = "Reset the tray.", .time_spent_minutes = 3}));
  ok(tickets->update(l1, a.id, {.status = TicketStatus::resolved}));
  const Ticket b = open_ticket(c1, "VPN drops");
  clock.advance(10min);
  ok(tickets->escalate(l1, b.id, {.to_line = 2, .to_team = desktop.id, .handoff_note = "Tried."}));
  const Ticket c = open_ticket(c2, "Mail is slow");
  ok(tickets->add_entry(l1, c.id,
                        {.kind = EntryKind::reply, .body = "Looking.", .time_spent_minutes = 5}));
  clock.advance(5min);
  // b comes back down to line 1; c moves between the in-house and the partner desk.
  ok(tickets->return_to(l2, b.id, {.note = "Needs a password reset first."}));
  ok(tickets->transfer(sup, c.id, {.to_team = c.team == partner.id ? desk.id : partner.id}));
  clock.advance(1h);
  ReportFacts facts(*store);
  ok(facts.catch_up());

  StaffingQuery q;
  q.filter.from = start - 1h;
  q.filter.to = start + 7 * 24h;
  auto m = ok(store->staffing_measures(q, clock.now()));
  EXPECT_EQ(m.tickets, 3);
  EXPECT_EQ(m.to, clock.now()) << "the period ends now";
  EXPECT_EQ(m.in_house.opened + m.partner.opened, 3);
  EXPECT_EQ(m.in_house.decided + m.partner.decided, 2) << "one solved, one escalated";
  EXPECT_EQ(m.in_house.resolved + m.partner.resolved, 1);
  EXPECT_EQ(m.escalated_from[1], 1);
  EXPECT_EQ(m.opened_at[1], 3);
  std::int64_t at_line2 = 0, total = 0;
  for (const auto& s : m.arrivals) {
    total += s.total;
    if (s.line == 2) at_line2 += s.total;
  }
  EXPECT_EQ(total, 6) << "three opened, one escalated, one returned, one transferred";
  EXPECT_EQ(at_line2, 1);
  std::int64_t at_partner = 0;
  for (const auto& s : m.arrivals)
    if (s.outsourced) at_partner += s.total;
  EXPECT_EQ(at_partner, 1) << "c, at the partner desk once: opened or transferred there";
  // Handling time: a's call and recorded minutes, c's recorded minutes; b has none.
  std::int64_t timed = 0;
  double handled = 0;
  for (const auto& h : m.handling) {
    EXPECT_EQ(h.line, 1);
    timed += h.tickets_timed;
    handled += h.handled_seconds;
  }
  EXPECT_EQ(timed, 2);
  EXPECT_DOUBLE_EQ(handled, 240 + 3 * 60 + 5 * 60);
  std::int64_t hours = 0;
  for (auto n : m.hours_in_period) hours += n;
  EXPECT_EQ(hours, 3) << "from an hour before the start to now (1 h 17 min after it)";

  q.filter.organization = globex.id;
  auto only_globex = ok(store->staffing_measures(q, clock.now()));
  EXPECT_EQ(only_globex.tickets, 1);
  (void)c;

  StaffingService service(*store, clock, {});
  StaffingRequest request{.filter = q.filter};
  request.filter.organization.reset();
  auto report = service.report(sup, request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(std::get<std::int64_t>(figure(*report, "tickets")), 3);
  auto denied = service.report(l1, request);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::permission_denied);
  auto what_if = service.what_if(sup, request, {.first_line_resolution = 0.9});
  ASSERT_TRUE(what_if) << what_if.error().message;

  StaffingRequest future = request;
  future.filter.from = clock.now() + 1h;
  future.filter.to = clock.now() + 2h;
  auto not_begun = service.report(sup, future);
  ASSERT_FALSE(not_begun);
  EXPECT_EQ(not_begun.error().code, ErrorCode::invalid_argument);
}

TEST_F(StaffingServiceTest, ThePlanIsASettingWithAVersion) {
  StaffingService service(*store, clock, {});
  auto none = ok(service.plan(sup));
  EXPECT_EQ(none.version, 0);
  EXPECT_FALSE(none.planned(Desk::line1));
  auto plan = ok(decode_plan(
      R"({"desks": {"line1": {"shifts": [{"days": ["mon"], "from": 8, "to": 17, "agents": 4}]}}})"));
  EXPECT_EQ(service.save_plan(l1, plan, std::nullopt).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(service.save_plan(sup, plan, 3).error().code, ErrorCode::conflict);
  auto first = ok(service.save_plan(sup, plan, 0));
  EXPECT_EQ(first.version, 1);
  auto second = ok(service.save_plan(sup, plan, std::nullopt));
  EXPECT_EQ(second.version, 2) << "without a version the last write wins";
  EXPECT_EQ(service.save_plan(sup, plan, 1).error().code, ErrorCode::conflict);
  auto read = ok(service.plan(sup));
  EXPECT_EQ(read.version, 2);
  EXPECT_EQ(read.rostered(Desk::line1)[hour_of_week(0, 9)], 4);
  EXPECT_EQ(service.plan(l1).error().code, ErrorCode::permission_denied);
}

}  // namespace
}  // namespace fl::testing
