// The report facts' follower over a real SQLite store: the desk's use cases write events, the
// follower turns them into facts with the ticket's current dimensions, a second run adds
// nothing, and a rebuild from the history gives the same facts.
#include "app/reports.hpp"

#include <gtest/gtest.h>

#include "desk_fixture.hpp"

namespace fl::testing {

using namespace std::chrono_literals;

class ReportFactsTest : public DeskTest {};

TEST_F(ReportFactsTest, TheFollowerKeepsFactsAndARebuildGivesTheSame) {
  ReportFacts facts(*store, 3);  // small batches: the follow goes over several
  const Ticket solved = open_ticket(c1, "Printer jams");
  clock.advance(5min);
  ok(tickets->add_entry(l1, solved.id, {.kind = EntryKind::reply, .body = "Open tray 2."}));
  ok(tickets->update(l1, solved.id, {.status = TicketStatus::resolved, .category = "Hardware"}));

  const Ticket escalated = open_ticket(c1, "VPN drops");
  clock.advance(30min);
  ok(tickets->escalate(l1, escalated.id,
                       {.to_line = 2, .to_team = desktop.id, .handoff_note = "Reinstalled the client."}));
  clock.advance(20min);
  ok(tickets->add_entry(l2, escalated.id, {.kind = EntryKind::reply, .body = "Which version?"}));

  EXPECT_EQ(ok(facts.catch_up(2)), 6) << "at most two batches of three";
  EXPECT_GT(ok(facts.catch_up()), 0);
  auto rows = ok(store->report_ticket_facts({solved.id, escalated.id}));
  ASSERT_EQ(rows.size(), 2u);
  const TicketFacts& a = rows[0].ticket == solved.id ? rows[0] : rows[1];
  const TicketFacts& b = rows[0].ticket == solved.id ? rows[1] : rows[0];
  EXPECT_TRUE(a.first_contact_resolution());
  EXPECT_EQ(a.category, "Hardware") << "the dimension as the ticket is now";
  EXPECT_EQ(a.first_response_at, solved.created_at + 5min);
  EXPECT_EQ(b.escalations, 1);
  EXPECT_EQ(b.line, 2);
  EXPECT_EQ(b.team, desktop.id);
  EXPECT_EQ(b.staff_replies, 1);
  EXPECT_FALSE(b.last_escalation) << "answered within the hour: no longer waiting";

  EXPECT_EQ(ok(facts.catch_up()), 0) << "caught up: nothing read twice";
  auto again = ok(facts.rebuild());
  EXPECT_GT(again, 0);
  auto rebuilt = ok(store->report_ticket_facts({solved.id, escalated.id}));
  ASSERT_EQ(rebuilt.size(), 2u);
  EXPECT_EQ(rebuilt[0].ticket, rows[0].ticket);
  EXPECT_EQ(rebuilt[0].resolved_at, rows[0].resolved_at);
  EXPECT_EQ(rebuilt[1].escalations, rows[1].escalations);
  EXPECT_EQ(rebuilt[1].at_team_since, rows[1].at_team_since);
}

}  // namespace fl::testing
