#include "app/assignment.hpp"

#include <map>

#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

class AssignmentTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    l1b = person("l1b", Role::agent, std::nullopt, {desk.id});
    l1c = person("l1c", Role::agent, std::nullopt, {desk.id});
  }
  Actor l1b, l1c;
};

}  // namespace

TEST_F(AssignmentTest, ManualTeamsLeaveTicketsInTheQueue) {
  Ticket t = open_ticket(c1);
  EXPECT_EQ(t.team, desk.id);
  EXPECT_FALSE(t.assignee);
}

TEST_F(AssignmentTest, RoundRobinIsFairAndSkipsWhoIsAway) {
  ok(directory->set_team_routing(sup, desk.id, AssignmentMode::round_robin, false));
  std::map<UserId, int> got;
  std::vector<UserId> order;
  for (int i = 0; i < 6; ++i) {
    Ticket t = open_ticket(c1, "Ticket " + std::to_string(i));
    ASSERT_TRUE(t.assignee);
    ++got[*t.assignee];
    order.push_back(*t.assignee);
    clock.advance(std::chrono::seconds{1});
  }
  EXPECT_EQ(got, (std::map<UserId, int>{{l1.user.id, 2}, {l1b.user.id, 2}, {l1c.user.id, 2}}));
  EXPECT_EQ(order[0], order[3]) << "a rotation, in the same order every round";
  // The assignment is an event of the ticket, by the system, naming the mode.
  Ticket t = open_ticket(c1);
  auto events = ok(store->ticket_events(t.id));
  ASSERT_GE(events.size(), 2u);
  bool assigned = false;
  for (const auto& e : events)
    assigned = assigned || (e.type == event_type::ticket_updated &&
                            e.payload.find("\"assigned_by\":\"round_robin\"") != std::string::npos &&
                            !e.actor);
  EXPECT_TRUE(assigned);

  ok(directory->set_availability(l1b, l1b.user.id, Availability::away));
  for (int i = 0; i < 4; ++i) EXPECT_NE(open_ticket(c1).assignee, l1b.user.id);
  ok(directory->set_availability(l1, l1.user.id, Availability::away));
  ok(directory->set_availability(sup, l1c.user.id, Availability::away));
  EXPECT_FALSE(open_ticket(c1).assignee) << "nobody available: the queue";
}

TEST_F(AssignmentTest, LeastOpenGoesToWhoHasFewest) {
  ok(directory->set_team_routing(sup, desk.id, AssignmentMode::least_open, false));
  Ticket a = open_ticket(c1);
  Ticket b = open_ticket(c1);
  Ticket c = open_ticket(c1);
  EXPECT_NE(a.assignee, b.assignee);
  EXPECT_NE(b.assignee, c.assignee);
  // Whoever solves theirs gets the next one.
  Actor solver = *b.assignee == l1.user.id ? l1 : *b.assignee == l1b.user.id ? l1b : l1c;
  ok(tickets->update(solver, b.id, {.status = TicketStatus::resolved}));
  EXPECT_EQ(open_ticket(c1).assignee, b.assignee);
}

TEST_F(AssignmentTest, SkillRoutingPrefersSpecialists) {
  ok(directory->set_team_routing(sup, desk.id, AssignmentMode::round_robin, true));
  ok(directory->set_skills(sup, l1c.user.id, {"printer", "lang:en"}));
  Ticket t = ok(tickets->create(c1, {.subject = "Drucker", .category = "printer"}));
  EXPECT_EQ(t.assignee, l1c.user.id);
  t = ok(tickets->create(c1, {.subject = "Drucker", .category = "printer"}));
  EXPECT_EQ(t.assignee, l1c.user.id) << "the only specialist, again";
  t = ok(tickets->create(c1, {.subject = "Mail", .category = "email"}));
  EXPECT_NE(t.assignee, l1c.user.id) << "her skills name other categories";
}

TEST_F(AssignmentTest, AnEscalationIsAssignedInTheReceivingTeam) {
  ok(directory->set_team_routing(sup, desktop.id, AssignmentMode::round_robin, false));
  Ticket t = open_ticket(c1);
  auto moved = ok(tickets->escalate(l1, t.id, {.to_line = 2, .to_team = desktop.id,
                                               .reason = EscalationReason::needs_expertise,
                                               .handoff_note = "Driver reinstalled, no change."}));
  EXPECT_EQ(moved.ticket.assignee, l2.user.id);
}

TEST_F(AssignmentTest, WhoMayChangeRoutingAvailabilityAndSkills) {
  EXPECT_EQ(directory->set_team_routing(l1, desk.id, AssignmentMode::round_robin, false).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(directory->set_availability(l1, l2.user.id, Availability::away).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(directory->set_availability(c1, c1.user.id, Availability::away).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(directory->set_skills(l1, l1.user.id, {"printer"}).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(directory->set_skills(sup, l1.user.id, {"lang:fr"}).error().fields.at(0).field, "skills");
  EXPECT_EQ(directory->set_skills(sup, c1.user.id, {"printer"}).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(directory->set_team_routing(sup, 999, AssignmentMode::round_robin, false).error().code,
            ErrorCode::not_found);
  User me = ok(directory->set_availability(l1, l1.user.id, Availability::away));
  EXPECT_EQ(me.availability, Availability::away);
  EXPECT_EQ(ok(store->user(l1.user.id)).availability, Availability::away);
}

}  // namespace fl::testing
