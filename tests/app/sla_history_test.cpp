#include "app/sla_history.hpp"

#include <gtest/gtest.h>

namespace fl {

namespace {

using Kind = SlaMoment::Kind;

Event event(std::string_view type, std::int64_t second, std::string payload,
            std::optional<UserId> actor = 1) {
  Event e;
  e.type = type;
  e.at = from_millis(second * 1000);
  e.payload = std::move(payload);
  e.actor = actor;
  return e;
}

bool staff_is_odd(UserId id) { return id % 2 == 1; }

}  // namespace

TEST(SlaHistory, EventsBecomeMoments) {
  std::vector<Event> events{
      event(event_type::ticket_created, 1,
            R"({"line":1,"team":4,"priority":"P3","by":"customer","call":false})", 2),
      event(event_type::sla_policy_applied, 1, R"({"policy":7,"version":2})", std::nullopt),
      event(event_type::entry_added, 2, R"({"kind":"reply","by":"staff"})", 1),
      event(event_type::status_changed, 2, R"({"from":"new","to":"open","by":"staff"})", 1),
      event(event_type::ticket_updated, 3,
            R"({"changes":{"priority":{"from":"P3","to":"P1"}},"by":"staff"})", 1),
      event(event_type::escalated, 4, R"({"to_line":2,"to_team":6,"by":"staff"})", 1),
      event(event_type::entry_added, 5, R"({"kind":"note"})", 3),  // no "by": looked up
      event(event_type::status_changed, 6, R"({"to":"resolved","by":"staff"})", 3),
      event(event_type::entry_added, 7, R"({"kind":"reply","by":"customer"})", 2),
      event(event_type::status_changed, 7, R"({"to":"open","by":"customer"})", 2),
  };
  auto m = sla_moments(events, staff_is_odd);
  ASSERT_EQ(m.size(), 8u);
  EXPECT_EQ(m[0].kind, Kind::created);
  EXPECT_EQ(m[0].team, 4);
  EXPECT_EQ(m[0].priority, Priority::p3);
  EXPECT_EQ(m[1].kind, Kind::policy_applied);
  EXPECT_EQ(m[1].policy, 7);
  EXPECT_EQ(m[1].policy_version, 2);
  EXPECT_EQ(m[2].kind, Kind::staff_reply);
  EXPECT_EQ(m[2].status, TicketStatus::open) << "the reply's status change is folded in";
  EXPECT_EQ(m[3].priority, Priority::p1);
  EXPECT_TRUE(m[3].by_staff);
  EXPECT_EQ(m[4].line, 2);
  EXPECT_EQ(m[4].team, 6);
  EXPECT_EQ(m[5].kind, Kind::staff_note) << "user 3 is staff by the lookup";
  EXPECT_EQ(m[6].kind, Kind::changed);
  EXPECT_EQ(m[6].status, TicketStatus::resolved);
  EXPECT_EQ(m[7].kind, Kind::customer_reply);
  EXPECT_EQ(m[7].status, TicketStatus::open) << "a reply that reopens is waiting for an answer";
  EXPECT_EQ(m.back().at, from_millis(7000));
}

TEST(SlaHistory, AStaffCallAtCreationIsTheFirstResponse) {
  auto m = sla_moments({event(event_type::ticket_created, 1,
                              R"({"line":1,"team":4,"priority":"P2","by":"staff","call":true})")},
                       staff_is_odd);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].kind, Kind::staff_reply);
}

TEST(SlaHistory, MarksOfFiredStepsAndBreaches) {
  auto marks = sla_marks({event(event_type::sla_step_fired, 1,
                                R"({"metric":"resolution","cycle":1,"percent":75})"),
                          event(event_type::sla_breached, 2,
                                R"({"metric":"next_response","cycle":2,"percent":100})"),
                          event(event_type::sla_step_fired, 3, R"({"metric":"bogus"})")});
  EXPECT_EQ(marks.size(), 2u);
  EXPECT_TRUE(marks.contains({SlaMetric::resolution, 1, 75, false}));
  EXPECT_TRUE(marks.contains({SlaMetric::next_response, 2, 100, true}));
}

}  // namespace fl
