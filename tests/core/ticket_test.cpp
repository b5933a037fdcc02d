#include "core/ticket.hpp"

#include <gtest/gtest.h>

namespace fl {

namespace {
Ticket solved_at_first_line() {
  Ticket t;
  t.status = TicketStatus::resolved;
  t.resolved_at_line = 1;
  t.customer_contacts = 1;
  return t;
}
}  // namespace

TEST(FirstContactResolution, ResolvedAtLineOneInOneContact) {
  EXPECT_TRUE(first_contact_resolution(solved_at_first_line()));
  Ticket closed = solved_at_first_line();
  closed.status = TicketStatus::closed;
  EXPECT_TRUE(first_contact_resolution(closed));
}

TEST(FirstContactResolution, NotWhenAnyConditionFails) {
  Ticket open = solved_at_first_line();
  open.status = TicketStatus::open;
  EXPECT_FALSE(first_contact_resolution(open));

  Ticket escalated = solved_at_first_line();
  escalated.escalation_count = 1;  // escalated and returned to line 1
  EXPECT_FALSE(first_contact_resolution(escalated));

  Ticket second_contact = solved_at_first_line();
  second_contact.customer_contacts = 2;
  EXPECT_FALSE(first_contact_resolution(second_contact));

  Ticket at_line_two = solved_at_first_line();
  at_line_two.resolved_at_line = 2;
  EXPECT_FALSE(first_contact_resolution(at_line_two));
}

TEST(Tags, AreNormalised) {
  EXPECT_EQ(normalise_tag("  VPN "), "vpn");
  EXPECT_EQ(normalise_tag("os:win11"), "os:win11");
  EXPECT_FALSE(normalise_tag(""));
  EXPECT_FALSE(normalise_tag("two words"));
  EXPECT_FALSE(normalise_tag(std::string(65, 'a')));
}

}  // namespace fl
