// Report facts on hand-built event histories: resolution and reopening, first-contact
// resolution, escalations with the time at each line, returns, bounces, the "asked again"
// signal, contacts and handling time, ratings and breaches.
#include "app/report_facts.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace fl {
namespace {

using namespace std::chrono_literals;

class History {
 public:
  explicit History(TicketId ticket = 7) : ticket_(ticket) {}

  // An event `minutes` after the start, by staff (actor 100) unless `customer`.
  History& at(int minutes, std::string_view type, boost::json::object payload,
              bool customer = false) {
    Event e;
    e.id = ++id_;
    e.type = type;
    e.ticket = ticket_;
    e.actor = customer ? 1 : 100;
    e.at = Timestamp{} + std::chrono::minutes(minutes);
    e.payload = boost::json::serialize(payload);
    apply_event(facts, e, [](UserId u) { return u == 100; }, changes);
    return *this;
  }
  History& created(int line = 1, TeamId team = 10, std::optional<int> call_seconds = {}) {
    boost::json::object p{{"channel", "phone"}, {"line", line}, {"team", team}};
    if (call_seconds) p["call_seconds"] = *call_seconds;
    return at(0, event_type::ticket_created, p, true);
  }
  History& status(int minutes, std::string_view from, std::string_view to) {
    return at(minutes, event_type::status_changed, {{"from", from}, {"to", to}});
  }
  History& reply(int minutes, bool customer = false) {
    return at(minutes, event_type::entry_added, {{"kind", "reply"}}, customer);
  }
  History& move(int minutes, std::string_view type, int from_line, TeamId from_team, int to_line,
                TeamId to_team, std::string note = "Restarted the spooler, no change.") {
    return at(minutes, type,
              {{"from_line", from_line},
               {"from_team", from_team},
               {"to_line", to_line},
               {"to_team", to_team},
               {"reason", type == event_type::escalated ? "needs_expertise" : ""},
               {"note", note}});
  }

  TicketFacts facts;
  FactChanges changes;

 private:
  TicketId ticket_;
  EventId id_ = 0;
};

Timestamp minute(int m) { return Timestamp{} + std::chrono::minutes(m); }

TEST(ReportFacts, ACallSolvedAtOnceIsAFirstContactResolution) {
  History h;
  h.created(1, 10, 240).status(4, "new", "resolved");
  EXPECT_EQ(h.facts.ticket, 7);
  EXPECT_EQ(h.facts.channel, "phone");
  EXPECT_EQ(h.facts.handling_seconds, 240);
  EXPECT_EQ(h.facts.resolved_at, minute(4));
  EXPECT_EQ(h.facts.resolved_line, 1);
  EXPECT_TRUE(h.facts.first_contact_resolution());
}

TEST(ReportFacts, AnotherCustomerContactOrAnEscalationIsNoFirstContactResolution) {
  History twice;
  twice.created().reply(5).reply(30, true).status(40, "open", "resolved");
  EXPECT_EQ(twice.facts.customer_contacts, 2);
  EXPECT_FALSE(twice.facts.first_contact_resolution());

  History escalated;
  escalated.created()
      .move(10, event_type::escalated, 1, 10, 2, 20)
      .move(70, event_type::returned, 2, 20, 1, 10, "Driver fixed, please confirm.")
      .status(80, "open", "resolved");
  EXPECT_EQ(escalated.facts.resolved_line, 1) << "returned and solved at line 1";
  EXPECT_FALSE(escalated.facts.first_contact_resolution()) << "but it was escalated";
}

TEST(ReportFacts, ReopeningUndoesTheResolutionAndCounts) {
  History h;
  h.created().status(10, "new", "resolved").reply(20, true).status(20, "resolved", "open");
  EXPECT_EQ(h.facts.reopens, 1);
  EXPECT_FALSE(h.facts.resolved_at);
  EXPECT_EQ(h.facts.first_resolved_at, minute(10));
  h.status(50, "open", "resolved").status(60, "resolved", "closed");
  EXPECT_EQ(h.facts.resolved_at, minute(50)) << "closing a resolved ticket keeps its resolution";
  EXPECT_EQ(h.facts.closed_at, minute(60));
  EXPECT_EQ(h.facts.first_resolved_at, minute(10));
}

TEST(ReportFacts, MovesKeepTheTimeAtEachTeamReturnsAndBounces) {
  History h;
  h.created()
      .move(30, event_type::escalated, 1, 10, 2, 20, "Tried: cable, restart, another port.")
      .move(45, event_type::transferred, 2, 20, 2, 21, "Not ours: network.")
      .move(105, event_type::returned, 2, 21, 1, 10, "Fixed the switch port.");
  ASSERT_EQ(h.changes.moves.size(), 3u);
  const auto& esc = h.changes.moves[0];
  EXPECT_EQ(esc.kind, MoveKind::escalation);
  EXPECT_EQ(esc.ms_at_previous, 30 * 60'000) << "30 minutes at line 1";
  EXPECT_EQ(esc.reason, "needs_expertise");
  EXPECT_EQ(esc.note_chars, 36);
  EXPECT_TRUE(h.changes.moves[1].bounce) << "escalated to the wrong team and transferred on";
  EXPECT_EQ(h.changes.moves[1].ms_at_previous, 15 * 60'000);
  EXPECT_FALSE(h.changes.moves[2].bounce);
  EXPECT_EQ(h.changes.moves[2].ms_at_previous, 60 * 60'000);
  EXPECT_EQ((std::tuple{h.facts.escalations, h.facts.transfers, h.facts.returns, h.facts.bounces}),
            (std::tuple{1, 1, 1, 1}));
  EXPECT_EQ(h.facts.line, 1);
  EXPECT_EQ(h.facts.team, 10);
  EXPECT_EQ(h.facts.at_team_since, minute(105));
}

TEST(ReportFacts, AReplyInTheEscalationsFirstHourMarksItAskedAgain) {
  History quick;
  quick.created().move(10, event_type::escalated, 1, 10, 2, 20).reply(50);
  ASSERT_EQ(quick.changes.asked_again.size(), 1u);
  EXPECT_EQ(quick.changes.asked_again[0], quick.changes.moves[0].event);

  History later;
  later.created().move(10, event_type::escalated, 1, 10, 2, 20).reply(71).reply(72);
  EXPECT_TRUE(later.changes.asked_again.empty()) << "after the first hour: work, not asking";
}

TEST(ReportFacts, ContactsNameTheAgentLineAndCallLength) {
  History h;
  h.created().reply(5).at(9, event_type::entry_added, {{"kind", "call"}, {"call_seconds", 300}});
  h.at(12, event_type::entry_added, {{"kind", "note"}});
  ASSERT_EQ(h.changes.contacts.size(), 2u) << "notes are no contact";
  EXPECT_EQ(h.changes.contacts[0].kind, "reply");
  EXPECT_EQ(h.changes.contacts[0].agent, 100);
  EXPECT_EQ(h.changes.contacts[1].call_seconds, 300);
  EXPECT_EQ(h.facts.handling_seconds, 300);
  EXPECT_EQ(h.facts.first_response_at, minute(5));
  EXPECT_EQ(h.facts.customer_contacts, 2) << "a call is a contact with the customer";
}

TEST(ReportFacts, RatingsAndBreachesAreKept) {
  History h;
  h.created().at(10, event_type::sla_breached, {{"metric", "first_response"}});
  h.status(20, "new", "resolved").at(30, event_type::ticket_rated, {{"score", 2}, {"comment", "slow"}}, true);
  EXPECT_EQ(h.facts.sla_breaches, 1);
  EXPECT_EQ(h.facts.csat_score, 2);
  EXPECT_EQ(h.facts.csat_comment, "slow");
  h.at(40, event_type::ticket_rated, {{"score", 4}, {"comment", ""}}, true);
  EXPECT_EQ(h.facts.csat_score, 4) << "a changed rating replaces the first";
}

TEST(ReportFacts, LadderStepsAndBreachesAreMarkedPerClock) {
  History h;
  h.created().at(45, event_type::sla_step_fired,
                 {{"metric", "first_response"},
                  {"cycle", 1},
                  {"percent", 75},
                  {"notify", boost::json::array{}}});
  h.at(60, event_type::sla_breached,
       {{"metric", "first_response"}, {"cycle", 1}, {"percent", 100}, {"target_minutes", 60}});
  h.at(61, event_type::sla_step_fired,
       {{"metric", "line_resolution"}, {"cycle", 2}, {"percent", 90}});
  h.at(62, event_type::sla_step_fired, {{"metric", "no_such_metric"}, {"percent", 90}});
  ASSERT_EQ(h.changes.sla_marks.size(), 3u) << "a mark names a clock the ladder knows";
  const SlaMarkFact& step = h.changes.sla_marks[0];
  EXPECT_EQ(step.event, 2);
  EXPECT_EQ(step.ticket, 7);
  EXPECT_EQ(step.at, minute(45));
  EXPECT_EQ(step.metric, SlaMetric::first_response);
  EXPECT_EQ(step.cycle, 1);
  EXPECT_EQ(step.percent, 75);
  EXPECT_FALSE(step.breach);
  EXPECT_TRUE(h.changes.sla_marks[1].breach);
  EXPECT_EQ(h.changes.sla_marks[1].percent, 100);
  EXPECT_EQ(h.changes.sla_marks[2].metric, SlaMetric::line_resolution);
  EXPECT_EQ(h.changes.sla_marks[2].cycle, 2);
  EXPECT_EQ(h.facts.sla_breaches, 1);
  EXPECT_TRUE(h.changes.sla_clocks.empty()) << "clocks are replayed, not read from events";
}

}  // namespace
}  // namespace fl
