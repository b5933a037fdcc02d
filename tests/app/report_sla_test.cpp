// The SLA facts and the `sla` report over a real SQLite store: tickets with a pause, a breach
// with its ladder steps and a breach still running, kept by the follower (clocks replayed by
// the SLA service at the test's clock), read through the report and its drill-downs, and the
// same after a rebuild from the history.
#include <gtest/gtest.h>

#include "app/reports.hpp"
#include "app/sla_service.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

class ReportSlaTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    admin = person("admin", Role::admin, std::nullopt, {});
    sla = std::make_unique<SlaService>(*store, clock);
    ASSERT_TRUE(sla->load());
    tickets = std::make_unique<TicketService>(*store, clock, sla.get());
    calendar = ok(sla->save_calendar(admin, around_the_clock("UTC")));
    // First response 1 h, next response 2 h, resolution 8 h, around the clock; the first
    // response's ladder warns at 75 % and again at the breach.
    SlaPolicy p;
    p.name = "Standard";
    p.calendar = calendar.id;
    for (auto& t : p.targets) t = {hours{1}, hours{2}, hours{8}, std::nullopt};
    p.ladder = {{.metric = SlaMetric::first_response, .percent = 75, .notify_supervisor = true},
                {.metric = SlaMetric::first_response, .percent = 100, .notify_supervisor = true}};
    policy = ok(sla->save_policy(admin, p));
    // Small batches: the follower goes over several, replacing clocks as they move on.
    facts = std::make_unique<ReportFacts>(*store, 4,
                                          [this](const Ticket& t) { return sla->clock_facts(t); });
  }

  ReportFilter period() const { return {.from = start - hours{1}, .to = start + hours{24}}; }

  Report report(ReportFilter filter) { return ok(store->report("sla", filter, clock.now())); }

  static ReportValue figure(const Report& r, std::string_view name) {
    const ReportFigure* f = r.figure(name);
    EXPECT_NE(f, nullptr) << name;
    return f ? f->value : ReportValue{};
  }

  static const ReportTable& table(const Report& r, std::string_view name) {
    const ReportTable* t = r.table(name);
    if (!t) throw std::runtime_error("no table " + std::string(name));
    return *t;
  }

  // The row whose first cell is `key`.
  static const std::vector<ReportValue>& row(const ReportTable& t, const ReportValue& key) {
    for (const auto& r : t.rows)
      if (r.at(0) == key) return r;
    throw std::runtime_error("no row in " + t.name);
  }

  Actor admin;
  std::unique_ptr<SlaService> sla;
  BusinessCalendar calendar;
  SlaPolicy policy;
  std::unique_ptr<ReportFacts> facts;
  Timestamp start = clock.now();
};

using V = ReportValue;
V n(std::int64_t v) {
  return v;
}

}  // namespace

TEST_F(ReportSlaTest, ClocksPausesBreachesAndLadderStepsAreCountedAndRebuiltTheSame) {
  // Answered in 30 min, then waiting on the customer for 3 h, answered again and solved.
  const Ticket paused = open_ticket(c1, "Printer jams");
  // Answered after 2 h: the first response breached, warned at 75 % and at the breach.
  const Ticket late = open_ticket(c1, "VPN drops");
  // Never answered (another organisation): breached and still running.
  const Ticket waiting = open_ticket(c2, "Mail bounces");
  ASSERT_EQ(paused.team, desk.id);

  clock.advance(minutes{30});
  ok(tickets->add_entry(l1, paused.id, {.kind = EntryKind::reply, .body = "Which tray?"}));
  ok(tickets->update(l1, paused.id, {.status = TicketStatus::pending_customer}));
  clock.advance(minutes{15});
  ok(sla->check_due(clock.now()));  // 45 min: 75 % of the first response, twice
  clock.advance(minutes{15});
  ok(sla->check_due(clock.now()));  // 1 h: the breaches
  clock.advance(hours{1});
  ok(tickets->add_entry(l1, late.id, {.kind = EntryKind::reply, .body = "Sorry for the wait."}));

  // Half way: the first responses have stopped, the rest still run.
  clock.advance(minutes{30});
  ok(facts->catch_up());
  Report half = report(period());
  EXPECT_EQ(figure(half, "clocks"), V{n(2)});
  EXPECT_EQ(figure(half, "met"), V{n(1)});
  EXPECT_EQ(figure(half, "breached"), V{n(1)});
  EXPECT_EQ(figure(half, "compliance"), V{0.5});
  EXPECT_EQ(figure(half, "running_breached"), V{n(1)}) << "the unanswered ticket";

  clock.advance(hours{1});  // 3 h 30 min: the customer answers, the pause ends
  ok(tickets->add_entry(c1, paused.id, {.kind = EntryKind::reply, .body = "Tray 2."}));
  EXPECT_EQ(ok(store->ticket(paused.id)).status, TicketStatus::open);
  clock.advance(minutes{30});
  ok(tickets->add_entry(l1, paused.id, {.kind = EntryKind::reply, .body = "Cleaned tray 2."}));
  clock.advance(hours{1});  // 5 h
  ok(tickets->update(l1, paused.id, {.status = TicketStatus::resolved}));
  ok(tickets->update(l1, late.id, {.status = TicketStatus::resolved}));
  ok(facts->catch_up());

  const Report r = report(period());
  // Paused: first response met (30 min), next response met (30 min), resolution met (5 h less
  // the 3 h paused); late: first response breached, resolution met.
  EXPECT_EQ(figure(r, "clocks"), V{n(5)});
  EXPECT_EQ(figure(r, "met"), V{n(4)});
  EXPECT_EQ(figure(r, "breached"), V{n(1)});
  EXPECT_EQ(figure(r, "compliance"), V{0.8});
  EXPECT_EQ(figure(r, "paused_hours"), V{3.0});
  EXPECT_EQ(figure(r, "breach_events"), V{n(2)}) << "late's and waiting's, recorded in the period";
  EXPECT_EQ(figure(r, "ladder_steps"), V{n(4)}) << "75 % and 100 % for each";
  EXPECT_EQ(figure(r, "running_breached"), V{n(1)});
  EXPECT_EQ(r.figure("breached")->drill, "breached");

  const ReportTable& by_metric = table(r, "by_metric");
  EXPECT_EQ(by_metric.chart, "bar");
  ASSERT_EQ(by_metric.rows.size(), 3u);
  EXPECT_EQ(by_metric.rows[0],
            (std::vector<V>{V{"first_response"}, n(2), n(1), n(1), V{0.5}, V{0.0}}));
  EXPECT_EQ(by_metric.rows[1],
            (std::vector<V>{V{"next_response"}, n(1), n(1), n(0), V{1.0}, V{0.0}}));
  EXPECT_EQ(by_metric.rows[2], (std::vector<V>{V{"resolution"}, n(2), n(2), n(0), V{1.0}, V{90.0}}))
      << "3 h paused over two clocks";

  const ReportTable& by_policy = table(r, "by_policy");
  ASSERT_EQ(by_policy.rows.size(), 1u);
  EXPECT_EQ(by_policy.columns.at(1), "policy_name");
  EXPECT_EQ(by_policy.rows[0],
            (std::vector<V>{n(policy.id), V{"Standard"}, n(5), n(4), n(1), V{0.8}, V{36.0}}));

  const ReportTable& by_team = table(r, "by_team");
  EXPECT_EQ(by_team.drill_by, "team");
  EXPECT_EQ(by_team.drill_figure, "breached");
  EXPECT_EQ(row(by_team, n(desk.id)).at(1), V{"Service Desk"});
  EXPECT_EQ(row(by_team, n(desk.id)).at(2), V{n(5)});
  EXPECT_EQ(table(r, "by_line").rows.at(0).at(0), V{n(1)});
  EXPECT_EQ(table(r, "by_line").drill_by, "line");
  const ReportTable& by_priority = table(r, "by_priority");
  ASSERT_EQ(by_priority.rows.size(), 1u);
  EXPECT_EQ(by_priority.rows[0].at(0), V{std::string(name_of(paused.priority))});
  EXPECT_EQ(by_priority.rows[0].at(1), V{n(5)});

  const ReportTable& breaches = table(r, "breaches");
  ASSERT_EQ(breaches.rows.size(), 1u) << "waiting's breach has not stopped";
  EXPECT_EQ(breaches.rows[0],
            (std::vector<V>{n(late.id), n(late.number), V{"first_response"}, n(1), n(1), n(desk.id),
                            n(60), V{format_time(start + hours{1})}, V{"75,100"}}));

  // Drill-downs, newest ticket first.
  ReportFilter f = period();
  EXPECT_EQ(ok(store->report_drill("sla", "breached", f, clock.now(), 500)),
            std::vector<TicketId>{late.id});
  EXPECT_EQ(ok(store->report_drill("sla", "met", f, clock.now(), 500)),
            (std::vector<TicketId>{late.id, paused.id}));
  EXPECT_EQ(ok(store->report_drill("sla", "running_breached", f, clock.now(), 500)),
            std::vector<TicketId>{waiting.id});
  EXPECT_EQ(store->report_drill("sla", "compliance", f, clock.now(), 500).error().code,
            ErrorCode::not_found);

  // Filters: the ticket's organisation, and the clock's own team.
  f.organization = globex.id;
  EXPECT_EQ(figure(report(f), "clocks"), V{n(0)});
  EXPECT_EQ(figure(report(f), "compliance"), V{}) << "a rate over nothing";
  EXPECT_EQ(figure(report(f), "running_breached"), V{n(1)});
  EXPECT_EQ(figure(report(f), "breach_events"), V{n(1)});
  f = period();
  f.team = desk.id;
  EXPECT_EQ(figure(report(f), "clocks"), V{n(5)});
  EXPECT_EQ(figure(report(f), "running_breached"), V{n(0)}) << "waiting is at the partner desk";
  f.team = desktop.id;
  EXPECT_EQ(figure(report(f), "clocks"), V{n(0)});
  EXPECT_EQ(figure(report(f), "ladder_steps"), V{n(0)});
  // Another period: nothing stopped then, and the marks were recorded in this one.
  f = period();
  f.from = start + hours{24};
  f.to = start + hours{48};
  EXPECT_EQ(figure(report(f), "clocks"), V{n(0)});
  EXPECT_EQ(figure(report(f), "breach_events"), V{n(0)});

  EXPECT_EQ(ok(facts->catch_up()), 0);
  ok(facts->rebuild());
  const Report again = report(period());
  ASSERT_EQ(again.figures.size(), r.figures.size());
  for (std::size_t i = 0; i < r.figures.size(); ++i)
    EXPECT_EQ(again.figures[i].value, r.figures[i].value) << r.figures[i].name;
  ASSERT_EQ(again.tables.size(), r.tables.size());
  for (std::size_t i = 0; i < r.tables.size(); ++i)
    EXPECT_EQ(again.tables[i].rows, r.tables[i].rows) << r.tables[i].name;
}

TEST_F(ReportSlaTest, LineClocksCountForTheTeamTheyMeasureAndEachClockKeepsItsPriority) {
  policy.line_targets = {{.line = 2, .respond = minutes{30}, .resolve = hours{4}}};
  policy = ok(sla->save_policy(admin, policy));
  const Ticket t = open_ticket(c1, "Laptop will not boot");
  ASSERT_NE(t.priority, Priority::p1);
  clock.advance(minutes{10});
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "Sending it on."}));
  clock.advance(minutes{10});
  ok(tickets->escalate(l1, t.id,
                       {.to_line = 2, .to_team = desktop.id, .handoff_note = "No POST beep."}));
  clock.advance(minutes{20});
  ok(tickets->add_entry(l2, t.id, {.kind = EntryKind::note, .body = "Board swap needed."}));
  clock.advance(minutes{10});
  ok(tickets->update(l2, t.id, {.impact = 1, .urgency = 1}));  // P1 from here on
  clock.advance(minutes{10});
  ok(tickets->update(l2, t.id, {.status = TicketStatus::resolved}));
  ok(facts->catch_up());

  const Report all = report(period());
  EXPECT_EQ(figure(all, "clocks"), V{n(4)});
  EXPECT_EQ(figure(all, "met"), V{n(4)});
  const ReportTable& by_line = table(all, "by_line");
  EXPECT_EQ(by_line.rows.size(), 2u);
  EXPECT_EQ(row(by_line, n(2)).at(1), V{n(2)}) << "line 2's response and resolution";
  // The first response and the line's response stopped before the raise; the line's and the
  // ticket's resolution after it.
  const ReportTable& by_priority = table(all, "by_priority");
  EXPECT_EQ(row(by_priority, V{std::string(name_of(Priority::p1))}).at(1), V{n(2)});
  EXPECT_EQ(row(by_priority, V{std::string(name_of(t.priority))}).at(1), V{n(2)});

  ReportFilter f = period();
  f.team = desktop.id;
  const Report desktop_only = report(f);
  EXPECT_EQ(figure(desktop_only, "clocks"), V{n(2)}) << "the team the line clocks measure";
  const ReportTable& by_metric = table(desktop_only, "by_metric");
  ASSERT_EQ(by_metric.rows.size(), 2u);
  EXPECT_EQ(by_metric.rows[0].at(0), V{"line_response"});
  EXPECT_EQ(by_metric.rows[1].at(0), V{"line_resolution"});
  EXPECT_EQ(ok(store->report_drill("sla", "met", f, clock.now(), 500)),
            std::vector<TicketId>{t.id});
  f.team = desk.id;
  EXPECT_EQ(figure(report(f), "clocks"), V{n(2)})
      << "the first response and resolution count for the team that took the ticket, though "
         "it is at line 2 now";
  f = period();
  f.line = 2;
  EXPECT_EQ(figure(report(f), "clocks"), V{n(2)});
}

TEST_F(ReportSlaTest, WithoutAClockSourceTheStoredClocksStay) {
  const Ticket t = open_ticket(c1);
  clock.advance(minutes{10});
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "On it."}));
  ok(facts->catch_up());
  EXPECT_EQ(figure(report(period()), "met"), V{n(1)});

  ReportFacts plain(*store, 4);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  ok(plain.catch_up());
  EXPECT_EQ(figure(report(period()), "met"), V{n(1)}) << "not replayed: the resolution is unknown";
  ok(plain.rebuild());
  EXPECT_EQ(figure(report(period()), "clocks"), V{n(0)}) << "a rebuild forgets them";
  ok(facts->rebuild());
  EXPECT_EQ(figure(report(period()), "met"), V{n(2)});
}

}  // namespace fl::testing
