#include "core/assignment.hpp"

#include <gtest/gtest.h>

#include <map>

namespace fl {

namespace {

AssignmentCandidate member(UserId id, std::vector<std::string> skills = {},
                           Availability a = Availability::available) {
  return {id, a, std::move(skills), std::nullopt, 0};
}

}  // namespace

TEST(Assignment, ManualOrNobodyAvailableLeavesTheTicketInTheQueue) {
  std::vector<AssignmentCandidate> team{member(1), member(2)};
  EXPECT_FALSE(choose_assignee(AssignmentMode::manual, false, team, {}));
  team[0].availability = team[1].availability = Availability::away;
  EXPECT_FALSE(choose_assignee(AssignmentMode::round_robin, false, team, {}));
  EXPECT_FALSE(choose_assignee(AssignmentMode::least_open, false, {}, {}));
}

TEST(Assignment, RoundRobinIsFairAndSkipsWhoIsAway) {
  std::vector<AssignmentCandidate> team{member(3), member(1), member(2)};
  std::map<UserId, int> got;
  Timestamp t = from_millis(1000);
  for (int i = 0; i < 9; ++i) {
    auto who = choose_assignee(AssignmentMode::round_robin, false, team, {});
    ASSERT_TRUE(who);
    ++got[*who];
    for (auto& m : team)
      if (m.user == *who) m.last_assigned_at = t;
    t += std::chrono::seconds{1};
  }
  EXPECT_EQ(got, (std::map<UserId, int>{{1, 3}, {2, 3}, {3, 3}}));
  // The turn order is by the oldest last assignment: 1, 2, 3, 1, ...
  team[1].availability = Availability::away;  // user 1, whose turn it is
  EXPECT_EQ(choose_assignee(AssignmentMode::round_robin, false, team, {}), 2);
}

TEST(Assignment, LeastOpenThenByTurn) {
  std::vector<AssignmentCandidate> team{member(1), member(2), member(3)};
  team[0].open_tickets = 4;
  team[1].open_tickets = 2;
  team[2].open_tickets = 2;
  team[1].last_assigned_at = from_millis(2000);
  team[2].last_assigned_at = from_millis(1000);
  EXPECT_EQ(choose_assignee(AssignmentMode::least_open, false, team, {}), 3);
}

TEST(Assignment, SkillRoutingPrefersMatchingMembersAndFallsBack) {
  std::vector<AssignmentCandidate> team{member(1, {"lang:en"}), member(2, {"lang:de", "printer"}),
                                        member(3, {"network"})};
  AssignmentNeeds printer_de{"printer", "de"};
  EXPECT_EQ(choose_assignee(AssignmentMode::round_robin, true, team, printer_de), 2);
  AssignmentNeeds network_en{"network", "en"};
  EXPECT_EQ(choose_assignee(AssignmentMode::round_robin, true, team, network_en), 3);
  AssignmentNeeds email_de{"email", "de"};  // nobody's skills cover it: any available member
  EXPECT_EQ(choose_assignee(AssignmentMode::round_robin, true, team, email_de), 1);
  EXPECT_TRUE(has_skills({}, printer_de)) << "a generalist";
  EXPECT_TRUE(has_skills({"printer"}, {"", "de"}));
  EXPECT_FALSE(has_skills({"lang:en"}, printer_de));
}

TEST(Assignment, SkillsAreNormalised) {
  auto s = normalise_skills({" Printer ", "lang:DE", "printer"});
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, (std::vector<std::string>{"lang:de", "printer"}));
  EXPECT_EQ(normalise_skills({"lang:fr"}).error().fields.at(0).field, "skills");
  EXPECT_FALSE(normalise_skills({"two words"}));
}

}  // namespace fl
