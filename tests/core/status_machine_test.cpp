#include "core/status_machine.hpp"

#include <gtest/gtest.h>

namespace fl {

using S = TicketStatus;

TEST(StatusMachine, AllowsTheWorkflow) {
  EXPECT_TRUE(check_transition(S::new_, S::open));
  EXPECT_TRUE(check_transition(S::open, S::pending_customer));
  EXPECT_TRUE(check_transition(S::pending_customer, S::open));
  EXPECT_TRUE(check_transition(S::open, S::pending_vendor));
  EXPECT_TRUE(check_transition(S::pending_vendor, S::resolved));
  EXPECT_TRUE(check_transition(S::resolved, S::open));
  EXPECT_TRUE(check_transition(S::resolved, S::closed));
}

TEST(StatusMachine, StayingIsAlwaysAllowed) {
  for (const auto& [s, name] : EnumNames<TicketStatus>::table)
    EXPECT_TRUE(check_transition(s, s)) << name;
}

TEST(StatusMachine, ClosedIsFinal) {
  EXPECT_TRUE(allowed_targets(S::closed).empty());
  for (const auto& [s, name] : EnumNames<TicketStatus>::table)
    if (s != S::closed) {
      EXPECT_FALSE(check_transition(S::closed, s)) << name;
    }
}

TEST(StatusMachine, NothingGoesBackToNew) {
  for (const auto& [s, name] : EnumNames<TicketStatus>::table)
    if (s != S::new_) {
      EXPECT_FALSE(check_transition(s, S::new_)) << name;
    }
}

TEST(StatusMachine, ForbiddenMoveNamesBothStates) {
  auto r = check_transition(S::closed, S::open);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(r.error().message.find("'closed'"), std::string::npos);
  EXPECT_NE(r.error().message.find("'open'"), std::string::npos);
}

TEST(StatusMachine, CustomerReplyBringsTicketBack) {
  EXPECT_EQ(status_after_customer_reply(S::resolved), S::open);
  EXPECT_EQ(status_after_customer_reply(S::pending_customer), S::open);
  EXPECT_EQ(status_after_customer_reply(S::new_), S::new_);
  EXPECT_EQ(status_after_customer_reply(S::pending_vendor), S::pending_vendor);
}

}  // namespace fl
