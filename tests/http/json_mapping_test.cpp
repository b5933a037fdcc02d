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
  auto o = to_json(t, teams);
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
