#include "core/ticket_scope.hpp"

#include <gtest/gtest.h>

namespace fl {

TEST(TicketScope, EmptyScopeSeesNothing) {
  Ticket t;
  EXPECT_FALSE(TicketScope{}.matches(t));
  EXPECT_TRUE(TicketScope::all().matches(t));
}

TEST(TicketScope, ClauseConditionsAreAnded) {
  Ticket t;
  t.line = 2;
  t.team = 5;
  t.organization = 9;
  ScopeClause c{.max_line = 2, .organization_in = std::vector<OrganizationId>{9}};
  EXPECT_TRUE(c.matches(t));
  c.max_line = 1;
  EXPECT_FALSE(c.matches(t));
  ScopeClause no_org{.organization_in = std::vector<OrganizationId>{9}};
  t.organization.reset();
  EXPECT_FALSE(no_org.matches(t));
}

TEST(TicketScope, ClausesAreOred) {
  Ticket t;
  t.requester = 3;
  t.team = 4;
  TicketScope s;
  s.any_of.push_back({.team_in = std::vector<TeamId>{1}});
  EXPECT_FALSE(s.matches(t));
  s.any_of.push_back({.requester = 3});
  EXPECT_TRUE(s.matches(t));
}

}  // namespace fl
