// The reports over a real SQLite store: the desk's use cases write a small history, the
// follower keeps the facts, and each report counts what docs/reports.md says it counts.
#include "app/report_service.hpp"

#include <gtest/gtest.h>

#include "app/reports.hpp"
#include "app/weekly_summary.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {

using namespace std::chrono_literals;

class ReportsTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    service = std::make_unique<ReportService>(*store, clock);
    const Timestamp start = clock.now();
    solved = open_ticket(c1, "Printer jams");
    clock.advance(5min);
    ok(tickets->add_entry(l1, solved.id, {.kind = EntryKind::reply, .body = "Open tray 2."}));
    ok(tickets->update(l1, solved.id, {.status = TicketStatus::resolved, .category = "Hardware"}));
    ok(tickets->rate(c1, solved.id, {.score = 5, .comment = "=quick, thanks"}));
    escalated = open_ticket(c1, "VPN drops");
    ok(tickets->update(l1, escalated.id, {.category = "Network"}));
    clock.advance(30min);
    ok(tickets->escalate(l1, escalated.id,
                         {.to_line = 2, .to_team = desktop.id, .handoff_note = "Reinstalled."}));
    clock.advance(20min);
    ok(tickets->add_entry(l2, escalated.id, {.kind = EntryKind::reply, .body = "Which version?"}));
    waiting = open_ticket(c2, "New laptop");
    clock.advance(2h);
    ReportFacts facts(*store);
    ok(facts.catch_up());
    period = {.from = start - 24h, .to = clock.now() + 1h};
  }

  Report report(std::string_view name, const ReportFilter& f) {
    return ok(service->report(sup, name, f, false)).report;
  }
  static std::int64_t count(const Report& r, std::string_view figure) {
    const ReportFigure* f = r.figure(figure);
    EXPECT_NE(f, nullptr) << figure;
    if (f == nullptr) return -1;
    if (const auto* i = std::get_if<std::int64_t>(&f->value)) return *i;
    return -1;
  }
  static double share(const Report& r, std::string_view figure) {
    const ReportFigure* f = r.figure(figure);
    EXPECT_NE(f, nullptr) << figure;
    if (f == nullptr || !std::holds_alternative<double>(f->value)) return -1;
    return std::get<double>(f->value);
  }
  static const std::vector<ReportValue>* row(const Report& r, std::string_view table,
                                             const ReportValue& key) {
    const ReportTable* t = r.table(table);
    EXPECT_NE(t, nullptr) << table;
    if (t == nullptr) return nullptr;
    for (const auto& each : t->rows)
      if (each.front() == key) return &each;
    return nullptr;
  }
  std::vector<TicketId> drill(std::string_view name, std::string_view figure,
                              const ReportFilter& f) {
    std::vector<TicketId> ids;
    for (const auto& t : ok(service->drill(sup, name, figure, f))) ids.push_back(t.id);
    return ids;
  }

  std::unique_ptr<ReportService> service;
  Ticket solved, escalated, waiting;
  ReportFilter period;
};

TEST_F(ReportsTest, LineOneSolvesEscalatesAndResolvesAtFirstContact) {
  const Report r = report("line1", period);
  EXPECT_EQ(count(r, "tickets"), 3);
  EXPECT_EQ(count(r, "solved_at_line1"), 1);
  EXPECT_EQ(count(r, "escalated"), 1);
  EXPECT_EQ(count(r, "unsolved"), 1);
  EXPECT_EQ(count(r, "fcr"), 1);
  EXPECT_DOUBLE_EQ(share(r, "fcr_rate"), 1.0 / 3);
  EXPECT_EQ(count(r, "contacts"), 1) << "l1's reply; l2's is at line 2";
  EXPECT_EQ(count(r, "agents"), 1);
  EXPECT_DOUBLE_EQ(share(r, "contacts_per_agent_day"), 1.0);
  const auto* hardware = row(r, "by_category", std::string("Hardware"));
  ASSERT_NE(hardware, nullptr);
  EXPECT_EQ((*hardware)[1], ReportValue(std::int64_t{1}));
  EXPECT_EQ((*hardware)[4], ReportValue(std::int64_t{1})) << "fcr";
  EXPECT_EQ(drill("line1", "fcr", period), std::vector<TicketId>{solved.id});
  EXPECT_EQ(drill("line1", "tickets", period),
            (std::vector<TicketId>{waiting.id, escalated.id, solved.id}))
      << "newest first";

  ReportFilter network = period;
  network.category = "Network";
  const Report only = report("line1", network);
  EXPECT_EQ(count(only, "tickets"), 1);
  EXPECT_EQ(count(only, "escalated"), 1);
  ReportFilter globex = period;
  globex.organization = this->globex.id;
  EXPECT_EQ(count(report("line1", globex), "tickets"), 1);
}

TEST_F(ReportsTest, EscalationCountsMovesByLineReasonAndReceivingTeam) {
  const Report r = report("escalation", period);
  EXPECT_EQ(count(r, "escalations"), 1);
  EXPECT_EQ(count(r, "tickets_created"), 3);
  EXPECT_DOUBLE_EQ(share(r, "escalation_rate"), 1.0 / 3);
  EXPECT_EQ(count(r, "asked_again"), 1) << "line 2 wrote to the user within the hour";
  const auto* line1 = row(r, "by_line", ReportValue(std::int64_t{1}));
  ASSERT_NE(line1, nullptr);
  EXPECT_EQ((*line1)[1], ReportValue(std::int64_t{3})) << "arrivals";
  EXPECT_EQ((*line1)[2], ReportValue(std::int64_t{1})) << "escalations from line 1";
  const auto* line2 = row(r, "by_line", ReportValue(std::int64_t{2}));
  ASSERT_NE(line2, nullptr);
  EXPECT_EQ((*line2)[1], ReportValue(std::int64_t{1})) << "arrived by escalation";
  const auto* team = row(r, "handoff_by_team", ReportValue(desktop.id));
  ASSERT_NE(team, nullptr);
  EXPECT_EQ((*team)[2], ReportValue(std::int64_t{1}));
  EXPECT_EQ((*team)[3], ReportValue(12.0)) << "the note's length";
  EXPECT_EQ(drill("escalation", "escalated", period), std::vector<TicketId>{escalated.id});
  ReportFilter line3 = period;
  line3.line = 3;
  EXPECT_EQ(count(report("escalation", line3), "escalations"), 0);
}

TEST_F(ReportsTest, BacklogIsOpenNowAndFlowsPerDay) {
  const Report r = report("backlog", period);
  EXPECT_EQ(count(r, "open"), 2);
  EXPECT_EQ(count(r, "inflow"), 3);
  EXPECT_EQ(count(r, "outflow"), 1);
  EXPECT_EQ(count(r, "net_flow"), 2);
  const auto* young = row(r, "by_age", std::string("0-1d"));
  ASSERT_NE(young, nullptr);
  EXPECT_EQ((*young)[1], ReportValue(std::int64_t{2}));
  EXPECT_EQ((*young)[2], ReportValue(std::int64_t{1})) << "at line 1";
  EXPECT_EQ((*young)[3], ReportValue(std::int64_t{1})) << "at line 2";
  const ReportTable* days = r.table("by_day");
  ASSERT_NE(days, nullptr);
  ASSERT_FALSE(days->rows.empty());
  std::int64_t in = 0;
  for (const auto& d : days->rows) in += std::get<std::int64_t>(d[1]);
  EXPECT_EQ(in, 3);
  EXPECT_EQ(drill("backlog", "open", period), (std::vector<TicketId>{waiting.id, escalated.id}));
  clock.advance(8 * 24h);
  EXPECT_EQ(count(ok(service->report(sup, "backlog", period, false)).report, "open_over_7_days"), 2);
}

TEST_F(ReportsTest, CsatPerLineTeamAndComments) {
  const Report r = report("csat", period);
  EXPECT_EQ(count(r, "ratings"), 1);
  EXPECT_DOUBLE_EQ(share(r, "satisfied_rate"), 1.0);
  const ReportTable* comments = r.table("comments");
  ASSERT_NE(comments, nullptr);
  ASSERT_EQ(comments->rows.size(), 1u);
  EXPECT_EQ(comments->rows[0][2], ReportValue(std::string("=quick, thanks")));
  EXPECT_NE(row(r, "by_team", ReportValue(desk.id)), nullptr);
  EXPECT_EQ(drill("csat", "rated", period), std::vector<TicketId>{solved.id});
}

TEST_F(ReportsTest, ComparesWithThePreviousPeriod) {
  auto answer = ok(service->report(sup, "line1", period, true));
  ASSERT_TRUE(answer.previous);
  EXPECT_EQ(answer.previous_filter->to, period.from);
  EXPECT_EQ(answer.previous_filter->to - answer.previous_filter->from, period.to - period.from);
  EXPECT_EQ(count(*answer.previous, "tickets"), 0);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(answer.previous->figure("fcr_rate")->value))
      << "a rate over nothing is nothing";
}

TEST_F(ReportsTest, OnlySupervisorsAndAdminsAndOnlySensiblePeriods) {
  EXPECT_EQ(service->report(l1, "line1", period, false).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(service->report(c1, "backlog", period, false).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(service->report(sup, "nonsense", period, false).error().code, ErrorCode::not_found);
  ReportFilter backwards{.from = period.to, .to = period.from};
  EXPECT_EQ(service->report(sup, "line1", backwards, false).error().code,
            ErrorCode::invalid_argument);
  ReportFilter long_{.from = period.from - std::chrono::days(kMaxReportDays), .to = period.to};
  EXPECT_EQ(service->report(sup, "line1", long_, false).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(service->drill(sup, "line1", "nonsense", period).error().code, ErrorCode::not_found);
}

TEST_F(ReportsTest, LineZeroCountsSelfServiceSessions) {
  for (auto [id, query] : {std::pair{"s1", "Drucker druckt nicht"}, {"s2", " drucker druckt nicht"}})
    ASSERT_TRUE(store->start_deflection_session({id, c1.user.id, query, clock.now()}, {}));
  ReportFilter now = period;
  now.to = clock.now() + 1h;
  const Report r = report("line0", now);
  EXPECT_EQ(count(r, "search_sessions"), 2);
  EXPECT_EQ(count(r, "no_result_searches"), 2);
  const ReportTable* gaps = r.table("no_result_searches");
  ASSERT_NE(gaps, nullptr);
  ASSERT_EQ(gaps->rows.size(), 1u) << "the same search, trimmed and in lower case";
  EXPECT_EQ(gaps->rows[0][1], ReportValue(std::int64_t{2}));
}

TEST_F(ReportsTest, HandlingTimeCountsCallsAndTheTimeAgentsRecord) {
  ok(tickets->add_entry(l1, waiting.id,
                        {.kind = EntryKind::note, .body = "Checked the stock.", .time_spent_minutes = 12}));
  ok(tickets->add_entry(l1, waiting.id,
                        {.kind = EntryKind::reply, .body = "It ships Monday.", .time_spent_minutes = 3}));
  EXPECT_EQ(tickets->add_entry(c2, waiting.id, {.body = "Thanks", .time_spent_minutes = 5}).error().code,
            ErrorCode::invalid_argument)
      << "only staff record time";
  EXPECT_EQ(tickets->add_entry(l1, waiting.id, {.body = "x", .time_spent_minutes = 1441}).error().code,
            ErrorCode::invalid_argument);
  ReportFacts facts(*store);
  ok(facts.catch_up());
  const Report r = report("line1", period);
  EXPECT_EQ(count(r, "contacts"), 2) << "two replies; the note is no contact";
  EXPECT_EQ(count(r, "tickets_timed"), 1);
  EXPECT_DOUBLE_EQ(share(r, "aht_seconds"), 15 * 60.0);
  const auto entries = ok(store->entries(waiting.id));
  EXPECT_EQ(entries.back().time_spent_minutes, 3) << "kept with the entry";
}

class NoTransport final : public MailTransport {
 public:
  Result<void> send(const Envelope&) override { return fail(ErrorCode::unavailable, "not here"); }
};

TEST_F(ReportsTest, TheWeeklySummaryShowsTheWeekBesideTheOneBefore) {
  using std::chrono::November;
  const Timestamp monday = std::chrono::sys_days{2026y / November / 23};
  EXPECT_EQ(WeeklySummary::week_of(monday + 4 * 24h + 15h), monday) << "a Friday";
  EXPECT_EQ(WeeklySummary::week_of(monday), monday);
  EXPECT_EQ(WeeklySummary::week_of(monday - 1s), monday - 7 * 24h) << "Sunday night";
  NoTransport transport;
  MailTemplates templates;
  WeeklySummary summary(*store, clock, transport, templates,
                        {"desk@help.example", "IT-Service", "https://desk.example/"});
  const Timestamp week = WeeklySummary::week_of(clock.now());
  const auto weeks = ok(summary.weeks_of(week));
  User reader = sup.user;
  reader.language = "en";
  auto mail = ok(summary.compose(reader, weeks));
  EXPECT_EQ(mail.subject, "Service desk: the week of " + format_time(week).substr(0, 10));
  EXPECT_NE(mail.text.find("Tickets opened at line 1: 3 (0)"), std::string::npos) << mail.text;
  EXPECT_NE(mail.text.find("First-contact resolution: 33 % (–)"), std::string::npos) << mail.text;
  EXPECT_NE(mail.text.find("https://desk.example/console/reports"), std::string::npos);
  reader.language = "de";
  auto german = ok(summary.compose(reader, weeks));
  EXPECT_NE(german.text.find("Zufriedenheit (1-5): 5,0 (–)"), std::string::npos) << german.text;

  // Next Monday after 06:00 the week is due; a send that fails leaves it unsent, so the next
  // try (the integration test sends through a real SMTP server) sends it again.
  clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(week + 7 * 24h + 7h -
                                                                      clock.now()));
  auto failed = summary.send_due();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::unavailable);
  EXPECT_EQ(ok(store->feed_cursor("weekly_summary")), 0) << "the week is not remembered as sent";
}

}  // namespace fl::testing
