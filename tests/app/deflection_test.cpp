#include "app/deflection.hpp"

#include "search_desk_fixture.hpp"

namespace fl::testing {

using namespace std::chrono_literals;

class DeflectionTest : public SearchDeskTest {
 protected:
  void SetUp() override {
    SearchDeskTest::SetUp();
    printer = ok(kb->create(sup, {.title = "Drucker druckt leere Seiten", .body = "Toner prüfen.",
                                  .language = "de", .status = ArticleStatus::published}));
    ok(search->catch_up());
  }
  Article printer;
};

TEST_F(DeflectionTest, OfferShowsMatchingArticlesBeforeTheTicket) {
  auto offer = ok(deflection->offer(c1, "Drucker druckt nur leere Blätter", "seit heute", std::nullopt));
  ASSERT_FALSE(offer.articles.empty());
  EXPECT_EQ(offer.articles[0].id, printer.id);
  EXPECT_FALSE(offer.session.empty());
  EXPECT_TRUE(ok(tickets->list(sup, {})).tickets.empty()) << "no ticket was created";
  EXPECT_EQ(figures().with_suggestions, 1);
}

TEST_F(DeflectionTest, OpenedAndNoTicketWithinThirtyMinutesIsDeflected) {
  auto offer = ok(deflection->offer(c1, "Drucker leer", "", std::nullopt));
  ASSERT_TRUE(deflection->opened(offer.session, printer.id));
  clock.advance(29min);
  EXPECT_EQ(figures().deflected, 0);
  EXPECT_EQ(figures().pending, 1);
  clock.advance(2min);
  auto f = figures();
  EXPECT_EQ(f.deflected, 1);
  EXPECT_EQ(f.pending, 0);
  // A ticket after the window does not undo the deflection.
  Ticket late = open_ticket(c1, "Drucker immer noch leer");
  ASSERT_TRUE(deflection->ticket_filed(c1, std::nullopt, late));
  EXPECT_EQ(figures().deflected, 1);
}

TEST_F(DeflectionTest, TicketWithinTheWindowIsNotADeflection) {
  auto offer = ok(deflection->offer(c1, "Drucker leer", "", std::nullopt));
  ASSERT_TRUE(deflection->opened(offer.session, printer.id));
  clock.advance(10min);
  Ticket t = open_ticket(c1, "Drucker leer");
  ASSERT_TRUE(deflection->ticket_filed(c1, std::nullopt, t));  // same user, no session named
  // Another user reads the same article and files nothing.
  auto other = ok(deflection->offer(c2, "Drucker leer", "", std::nullopt));
  ASSERT_TRUE(deflection->opened(other.session, printer.id));
  clock.advance(1h);
  auto f = figures();
  EXPECT_EQ(f.deflected, 1);
  EXPECT_EQ(f.tickets_filed, 1);
  ASSERT_FALSE(f.articles.empty());
  EXPECT_EQ(f.articles[0].tickets_despite, 1);
  // Line 0's report names the article that failed: opened twice, once with a ticket anyway.
  auto line0 = ok(store->report("line0", {.from = clock.now() - 2h, .to = clock.now()}, clock.now()));
  EXPECT_EQ(line0.figure("search_sessions")->value, ReportValue(std::int64_t{2}));
  EXPECT_EQ(line0.figure("no_result_searches")->value, ReportValue(std::int64_t{0}));
  const ReportTable* failed = line0.table("failed_articles");
  ASSERT_NE(failed, nullptr);
  ASSERT_EQ(failed->rows.size(), 1u);
  EXPECT_EQ(failed->rows[0],
            (std::vector<ReportValue>{printer.id, std::string(printer.title), std::int64_t{2},
                                      std::int64_t{1}}));
  const ReportTable* days = line0.table("by_day");
  ASSERT_NE(days, nullptr);
  ASSERT_EQ(days->rows.size(), 1u);
  EXPECT_EQ(days->rows[0][1], ReportValue(std::int64_t{2}));
  EXPECT_EQ(days->rows[0][2], ReportValue(std::int64_t{0}));
  // Sessions of another period do not count.
  auto earlier = ok(store->report("line0", {.from = clock.now() - 48h, .to = clock.now() - 24h},
                                  clock.now()));
  EXPECT_TRUE(earlier.table("failed_articles")->rows.empty());
  EXPECT_TRUE(earlier.table("by_day")->rows.empty());
}

TEST_F(DeflectionTest, NotOpeningAnythingIsNoDeflection) {
  ok(deflection->offer(c2, "Drucker leer", "", std::nullopt));
  clock.advance(1h);
  auto f = figures();
  EXPECT_EQ(f.sessions, 1);
  EXPECT_EQ(f.deflected, 0);
  EXPECT_EQ(f.tickets_filed, 0);
}

TEST_F(DeflectionTest, NamedSessionOfAnAgentFilingForACaller) {
  auto offer = ok(deflection->offer(l1, "Drucker leer", "", std::nullopt));
  Ticket t = ok(tickets->create(l1, {.subject = "Drucker leer", .requester = c1.user.id, .channel = Channel::phone}));
  ASSERT_TRUE(deflection->ticket_filed(l1, std::string_view(offer.session), t));
  clock.advance(1h);
  EXPECT_EQ(figures().tickets_filed, 1);
}

// The staffing measures count line 0 as the line 0 report does: a session is decided once it
// filed a ticket within the window or its window is over; deflected when it also opened an
// article and filed nothing in time.
TEST_F(DeflectionTest, StaffingCountsTheDecidedAndDeflectedSessions) {
  const Timestamp start = clock.now();
  auto read = ok(deflection->offer(c1, "Drucker leer", "", std::nullopt));
  ASSERT_TRUE(deflection->opened(read.session, printer.id));            // deflected
  auto filed = ok(deflection->offer(c2, "Drucker leer", "", std::nullopt));
  ASSERT_TRUE(deflection->opened(filed.session, printer.id));
  Ticket t = open_ticket(c2, "Drucker leer");
  ASSERT_TRUE(deflection->ticket_filed(c2, std::string_view(filed.session), t));  // decided
  ok(deflection->offer(l1, "Drucker leer", "", std::nullopt));           // nothing opened
  clock.advance(40min);
  auto pending = ok(deflection->offer(l2, "Drucker leer", "", std::nullopt));
  ASSERT_TRUE(deflection->opened(pending.session, printer.id));         // window still open
  StaffingQuery q;
  q.filter.from = start - 1h;
  q.filter.to = clock.now() + 1h;
  auto m = ok(store->staffing_measures(q, clock.now()));
  EXPECT_EQ(m.self_service_decided, 3);
  EXPECT_EQ(m.self_service_deflected, 1);
}

TEST_F(DeflectionTest, FiguresAreForSupervisors) {
  EXPECT_EQ(deflection->figures(l1, clock.now() - 1h, clock.now()).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(deflection->figures(sup, clock.now(), clock.now() - 1h).error().code, ErrorCode::invalid_argument);
}

}  // namespace fl::testing
