#include "core/escalation.hpp"

#include <gtest/gtest.h>

namespace fl {

namespace {
Ticket at_line(int line, TeamId team) {
  Ticket t;
  t.id = 1;
  t.line = line;
  t.team = team;
  t.origin_team = 1;
  t.status = TicketStatus::open;
  t.assignee = 7;
  return t;
}
Team team(TeamId id, int line, TeamKind kind = TeamKind::internal) {
  return Team{.id = id, .name = "T" + std::to_string(id), .line = line, .kind = kind};
}
}  // namespace

TEST(Escalation, GoesUpWithReasonAndNote) {
  Ticket t = at_line(1, 1);
  auto m = plan_escalation(t, 2, team(2, 2), EscalationReason::needs_expertise,
                           "  rebooted, cable swapped ");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->kind, MoveKind::escalation);
  EXPECT_EQ(m->from_line, 1);
  EXPECT_EQ(m->from_team, 1);
  EXPECT_EQ(m->to_line, 2);
  EXPECT_EQ(m->to_team, 2);
  EXPECT_EQ(m->note, "rebooted, cable swapped");
  apply_move(t, *m);
  EXPECT_EQ(t.line, 2);
  EXPECT_EQ(t.team, 2);
  EXPECT_EQ(t.escalation_count, 1);
  EXPECT_FALSE(t.assignee);
  EXPECT_EQ(t.origin_team, 1);
}

TEST(Escalation, MaySkipLines) {
  EXPECT_TRUE(plan_escalation(at_line(1, 1), 4, team(5, 4, TeamKind::vendor),
                              EscalationReason::vendor_required, "x"));
}

TEST(Escalation, NeverDownOrSideways) {
  for (int to : {1, 2}) {
    auto m =
        plan_escalation(at_line(2, 2), to, team(9, to), EscalationReason::needs_expertise, "tried");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().fields.at(0).field, "to_line");
  }
}

TEST(Escalation, HandoffNoteIsRequired) {
  for (std::string note : {"", "   ", "\n\t"}) {
    auto m = plan_escalation(at_line(1, 1), 2, team(2, 2), EscalationReason::needs_access, note);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(m.error().fields.at(0).field, "handoff_note");
  }
}

TEST(Escalation, TeamMustBeAtTheTargetLine) {
  auto m = plan_escalation(at_line(1, 1), 3, team(2, 2), EscalationReason::infrastructure, "x");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().fields.at(0).field, "to_team");
}

TEST(Escalation, NotWhenSolvedOrClosed) {
  Ticket t = at_line(1, 1);
  t.status = TicketStatus::resolved;
  EXPECT_EQ(plan_escalation(t, 2, team(2, 2), EscalationReason::sla_risk, "x").error().code,
            ErrorCode::failed_precondition);
  t.status = TicketStatus::closed;
  EXPECT_EQ(plan_escalation(t, 2, team(2, 2), EscalationReason::sla_risk, "x").error().code,
            ErrorCode::failed_precondition);
}

TEST(Transfer, StaysAtTheLine) {
  Ticket t = at_line(1, 1);
  auto m = plan_transfer(t, team(3, 1, TeamKind::outsourced), "");
  ASSERT_TRUE(m);
  apply_move(t, *m);
  EXPECT_EQ(t.team, 3);
  EXPECT_EQ(t.line, 1);
  EXPECT_EQ(t.escalation_count, 0);
  EXPECT_FALSE(plan_transfer(at_line(1, 1), team(2, 2), ""));
  EXPECT_FALSE(plan_transfer(at_line(1, 1), team(1, 1), "")) << "already there";
}

TEST(Return, GoesDownWithANote) {
  Ticket t = at_line(3, 4);
  auto m = plan_return(t, team(1, 1), "needs the user's approval first");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, MoveKind::return_);
  apply_move(t, *m);
  EXPECT_EQ(t.line, 1);
  EXPECT_EQ(plan_return(at_line(3, 4), team(1, 1), " ").error().fields.at(0).field, "note");
  EXPECT_FALSE(plan_return(at_line(2, 2), team(3, 3), "up is not a return"));
}

}  // namespace fl
