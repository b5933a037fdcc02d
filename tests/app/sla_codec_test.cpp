#include "app/sla_codec.hpp"

#include <gtest/gtest.h>

namespace fl {

namespace {
using std::chrono::hours;
using std::chrono::minutes;
}  // namespace

TEST(SlaCodec, CalendarRoundTrip) {
  BusinessCalendar c = office_hours("Europe/Berlin", hours{8}, minutes{17 * 60 + 30});
  c.name = "Büro Berlin";
  c.week[5] = {{hours{9}, hours{12}}};
  c.week[6] = {{minutes{0}, hours{24}}};
  c.holidays = {{12, 25, std::nullopt, "1. Weihnachtstag"}, {3, 29, 2027, "Ostermontag"}};
  std::string json = encode_calendar(c);
  EXPECT_NE(json.find("\"mon\":[[\"08:00\",\"17:30\"]]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"sun\":[[\"00:00\",\"24:00\"]]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"2027-03-29\""), std::string::npos) << json;
  auto back = decode_calendar(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->name, c.name);
  EXPECT_EQ(back->time_zone, c.time_zone);
  EXPECT_EQ(back->week, c.week);
  EXPECT_EQ(back->holidays, c.holidays);
}

TEST(SlaCodec, CalendarErrorsNameEveryField) {
  auto e = decode_calendar(R"({"name": 3, "week": {"mon": [["8:00", "17:00"]], "xyz": []},
                               "holidays": [{"date": "25.12."}], "colour": "red"})");
  ASSERT_FALSE(e);
  std::vector<std::string> fields;
  for (const auto& f : e.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"colour", "name", "time_zone", "week.xyz",
                                              "week.mon", "holidays"}));
  EXPECT_EQ(decode_calendar("[1]").error().fields.at(0).field, "body");
  EXPECT_EQ(decode_calendar("{").error().fields.at(0).field, "body");
  // What a client read may be sent back: id, version and updated_at are ignored.
  EXPECT_TRUE(decode_calendar(R"({"id": 4, "version": 2, "name": "x", "time_zone": "UTC",
                                  "week": {"mon": [["00:00", "24:00"]]}})"));
}

TEST(SlaCodec, PolicyRoundTrip) {
  SlaPolicy p;
  p.name = "Standard";
  p.rank = 20;
  p.active = false;
  p.calendar = 3;
  p.applies_to = {{5, 6}, {Priority::p1, Priority::p2}, {"network"}, {Channel::phone}};
  p.targets[0] = {minutes{15}, minutes{30}, hours{4}, CalendarId{9}};
  p.targets[3] = {hours{8}, std::nullopt, hours{40}, std::nullopt};
  p.line_targets = {{2, std::nullopt, hours{4}, std::nullopt}, {4, TeamId{7}, std::nullopt, hours{16}}};
  p.pause_on = {TicketStatus::pending_customer};
  p.ladder = {{SlaMetric::resolution, 75, true, false, false, std::nullopt},
              {SlaMetric::resolution, 100, false, true, true, TeamId{8}}};
  auto back = decode_policy(encode_policy(p));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->name, p.name);
  EXPECT_EQ(back->rank, 20);
  EXPECT_FALSE(back->active);
  EXPECT_EQ(back->calendar, 3);
  EXPECT_EQ(back->applies_to, p.applies_to);
  EXPECT_EQ(back->targets, p.targets);
  EXPECT_EQ(back->line_targets, p.line_targets);
  EXPECT_EQ(back->pause_on, p.pause_on);
  EXPECT_EQ(back->ladder, p.ladder);
}

TEST(SlaCodec, PolicyErrorsCarryTheirPath) {
  auto e = decode_policy(R"({"name": "x", "calendar_id": 1,
      "targets": {"P1": {"resolution_minutes": 0}, "P9": {}},
      "line_targets": [{"respond_minutes": 60}],
      "ladder": [{"metric": "speed", "percent": 75}],
      "pause_on": ["waiting"]})");
  ASSERT_FALSE(e);
  std::vector<std::string> fields;
  for (const auto& f : e.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"targets.P9", "targets.P1.resolution_minutes",
                                              "line_targets[0].line", "pause_on",
                                              "ladder[0].metric"}));
  // Without pause_on the default (both pending statuses) stays.
  auto d = decode_policy(R"({"name": "x", "calendar_id": 1})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->pause_on.size(), 2u);
}

}  // namespace fl
