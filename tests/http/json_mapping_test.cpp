#include "http/json_mapping.hpp"

#include <gtest/gtest.h>

namespace fl::http {

TEST(JsonMapping, TimesAreRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(format_time(from_millis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_time(from_millis(1'795'000'000'123)), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(format_time(from_millis(951'825'599'999)), "2000-02-29T11:59:59.999Z");
}

TEST(JsonMapping, TicketShowsTeamNamesAndDerivedFacts) {
  Ticket t;
  t.id = 3;
  t.number = 100003;
  t.team = 2;
  t.origin_team = 1;
  t.status = TicketStatus::resolved;
  t.resolved_at_line = 1;
  t.resolved_at = from_millis(1000);
  t.customer_contacts = 1;
  t.tags = {"printer", "vip"};
  std::vector<Team> teams = {Team{.id = 1, .name = "Service Desk"},
                             Team{.id = 2, .name = "Partner"}};
  t.sla_state = SlaState::running;
  t.sla_due_at = from_millis(5000);
  t.rating = TicketRating{4, "quick", from_millis(2000), from_millis(2000)};
  auto o = to_json(t, teams, from_millis(1000));
  EXPECT_EQ(o.at("sla_state").as_string(), "running");
  EXPECT_EQ(o.at("sla_due_at").as_string(), "1970-01-01T00:00:05.000Z");
  EXPECT_TRUE(o.at("sla_warn_at").is_null());
  EXPECT_EQ(to_json(t, teams, from_millis(5000)).at("sla_state").as_string(), "breached")
      << "judged at the time given";
  EXPECT_EQ(o.at("rating").at("score").as_int64(), 4);
  EXPECT_EQ(o.at("rating").at("comment").as_string(), "quick");
  EXPECT_EQ(o.at("rating").at("rated_at").as_string(), "1970-01-01T00:00:02.000Z");
  t.rating.reset();
  EXPECT_TRUE(to_json(t, teams, from_millis(1000)).at("rating").is_null());
  EXPECT_EQ(o.at("team").at("name").as_string(), "Partner");
  EXPECT_EQ(o.at("origin_team").at("name").as_string(), "Service Desk");
  EXPECT_EQ(o.at("status").as_string(), "resolved");
  EXPECT_TRUE(o.at("first_contact_resolution").as_bool());
  EXPECT_EQ(o.at("resolved_at").as_string(), "1970-01-01T00:00:01.000Z");
  EXPECT_EQ(o.at("tags").as_array().size(), 2u);
  EXPECT_TRUE(o.at("assignee_id").is_null());
}

}  // namespace fl::http

namespace fl::http {

TEST(JsonMapping, ParsesTheTimesItWrites) {
  for (std::int64_t ms : {0LL, 1'795'000'000'123LL, 951'825'599'999LL})
    EXPECT_EQ(parse_time(format_time(from_millis(ms))), from_millis(ms));
  EXPECT_EQ(parse_time("2026-11-27"), parse_time("2026-11-27T00:00:00Z"));
  EXPECT_FALSE(parse_time("2026-02-30"));
  EXPECT_FALSE(parse_time("2026-11-27T25:00:00Z"));
  EXPECT_FALSE(parse_time("2026-11-27T10:00:00+01:00"));
  EXPECT_FALSE(parse_time("yesterday"));
}

}  // namespace fl::http
