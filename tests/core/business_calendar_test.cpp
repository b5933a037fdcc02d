#include "core/business_calendar.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include "support/berlin_time.hpp"

namespace fl {

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

using testing::berlin;
using testing::berlin_zone;

Timestamp utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  date::sys_days day{date::year{y} / date::month{m} / date::day{d}};
  return Timestamp{date::floor<milliseconds>((day + hours{h} + minutes{min}).time_since_epoch())};
}

BusinessHours berlin_office() {
  return BusinessHours(office_hours("Europe/Berlin", hours{8}, hours{17}), berlin_zone());
}

}  // namespace

TEST(BusinessCalendar, AddsWithinAndAcrossDays) {
  auto h = berlin_office();
  // Monday 2027-03-22.
  EXPECT_EQ(h.add(berlin(2027, 3, 22, 9), hours{2}), berlin(2027, 3, 22, 11));
  EXPECT_EQ(h.add(berlin(2027, 3, 22, 15), hours{4}), berlin(2027, 3, 23, 10));
  // Outside hours the clock starts at the next opening.
  EXPECT_EQ(h.add(berlin(2027, 3, 22, 6), hours{1}), berlin(2027, 3, 22, 9));
  EXPECT_EQ(h.add(berlin(2027, 3, 22, 20), hours{1}), berlin(2027, 3, 23, 9));
  // Friday afternoon to Monday.
  EXPECT_EQ(h.add(berlin(2027, 3, 19, 16), hours{3}), berlin(2027, 3, 22, 10));
  EXPECT_EQ(h.add(berlin(2027, 3, 22, 10), milliseconds{0}), berlin(2027, 3, 22, 10));
}

TEST(BusinessCalendar, OfficeHoursStayLocalAcrossDaylightSavingChanges) {
  auto h = berlin_office();
  // Europe/Berlin springs forward on Sunday 2027-03-28: Friday 16:00 CET is 15:00 UTC,
  // Monday 09:00 CEST is 07:00 UTC.
  EXPECT_EQ(berlin(2027, 3, 26, 16), utc(2027, 3, 26, 15));
  EXPECT_EQ(h.add(berlin(2027, 3, 26, 16), hours{2}), utc(2027, 3, 29, 7));
  EXPECT_EQ(h.between(utc(2027, 3, 26, 15), utc(2027, 3, 29, 7)), hours{2});
  // And falls back on Sunday 2026-10-25: Friday 16:00 CEST is 14:00 UTC, Monday 09:00 CET
  // is 08:00 UTC.
  EXPECT_EQ(h.add(berlin(2026, 10, 23, 16), hours{2}), utc(2026, 10, 26, 8));
}

TEST(BusinessCalendar, ADayOfTheChangeHasItsRealLength) {
  BusinessCalendar sundays;
  sundays.name = "Sundays";
  sundays.time_zone = "Europe/Berlin";
  sundays.week[6] = {{minutes{0}, hours{24}}};
  ASSERT_TRUE(validate(sundays));
  BusinessHours h(sundays, berlin_zone());
  EXPECT_EQ(h.between(berlin(2027, 3, 28, 0), berlin(2027, 3, 29, 0)), hours{23});
  EXPECT_EQ(h.between(berlin(2026, 10, 25, 0), berlin(2026, 10, 26, 0)), hours{25});
  // Around the clock counts real time, whatever the wall clock does.
  BusinessHours always(around_the_clock("Europe/Berlin"), berlin_zone());
  EXPECT_EQ(always.between(berlin(2027, 3, 27, 12), berlin(2027, 3, 28, 12)), hours{23});
  EXPECT_EQ(always.add(berlin(2027, 3, 27, 12), hours{24}), berlin(2027, 3, 28, 13));
}

TEST(BusinessCalendar, SpansAcrossMidnightAndSplitDays) {
  BusinessCalendar night;
  night.name = "Night shift";
  night.time_zone = "Europe/Berlin";
  for (std::size_t d = 0; d < kDaysPerWeek; ++d)
    night.week[d] = {{minutes{0}, hours{6}}, {hours{22}, hours{24}}};
  ASSERT_TRUE(validate(night));
  BusinessHours h(night, berlin_zone());
  EXPECT_EQ(h.add(berlin(2027, 5, 3, 23), hours{3}), berlin(2027, 5, 4, 2));
  EXPECT_EQ(h.between(berlin(2027, 5, 3, 12), berlin(2027, 5, 4, 12)), hours{8});
  EXPECT_TRUE(h.is_open(berlin(2027, 5, 3, 23, 30)));
  EXPECT_FALSE(h.is_open(berlin(2027, 5, 3, 12)));

  BusinessCalendar lunch = office_hours("Europe/Berlin", hours{8}, hours{17});
  lunch.week[0] = {{hours{8}, hours{12}}, {hours{13}, hours{17}}};
  BusinessHours l(lunch, berlin_zone());
  EXPECT_EQ(l.add(berlin(2027, 5, 3, 11), hours{2}), berlin(2027, 5, 3, 14));
  EXPECT_FALSE(l.is_open(berlin(2027, 5, 3, 12, 30)));
}

TEST(BusinessCalendar, HolidaysFixedAndDated) {
  BusinessCalendar c = office_hours("Europe/Berlin", hours{8}, hours{17});
  c.holidays = {{12, 24, std::nullopt, "Heiligabend"},
                {12, 25, std::nullopt, "1. Weihnachtstag"},
                {12, 26, std::nullopt, "2. Weihnachtstag"},
                {3, 29, 2027, "Ostermontag"}};
  ASSERT_TRUE(validate(c));
  BusinessHours h(c, berlin_zone());
  // Wednesday 2027-12-22 16:00 + 3 h: Thursday 10:00 (the 23rd is a working day).
  EXPECT_EQ(h.add(berlin(2027, 12, 22, 16), hours{3}), berlin(2027, 12, 23, 10));
  // Thursday 23rd 16:00 + 2 h: 24th-26th closed (Fri holiday, weekend), Monday 27th 09:00.
  EXPECT_EQ(h.add(berlin(2027, 12, 23, 16), hours{2}), berlin(2027, 12, 27, 9));
  // Easter Monday 2027 is closed; in 2028 the 29th of March is a Wednesday and open.
  EXPECT_FALSE(h.is_open(berlin(2027, 3, 29, 10)));
  EXPECT_TRUE(h.is_open(berlin(2028, 3, 29, 10)));
  EXPECT_EQ(h.between(berlin(2027, 12, 23, 8), berlin(2027, 12, 28, 8)), hours{18});
}

TEST(BusinessCalendar, BetweenIsTheInverseOfAdd) {
  auto h = berlin_office();
  Timestamp start = berlin(2027, 3, 24, 13, 17);
  for (int m : {1, 59, 60, 481, 540, 2000, 9000}) {
    auto end = h.add(start, minutes{m});
    ASSERT_TRUE(end);
    EXPECT_EQ(h.between(start, *end), minutes{m}) << m;
  }
  EXPECT_EQ(h.between(berlin(2027, 3, 24, 12), berlin(2027, 3, 24, 11)), milliseconds{0});
}

TEST(BusinessCalendar, ValidationNamesTheField) {
  BusinessCalendar closed;
  closed.name = "Closed";
  auto e = validate(closed);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "week");

  BusinessCalendar overlap = office_hours("UTC", hours{8}, hours{17});
  overlap.week[2] = {{hours{8}, hours{12}}, {hours{11}, hours{15}}};
  EXPECT_EQ(validate(overlap).error().fields.at(0).field, "week");
  overlap.week[2] = {{hours{18}, hours{25}}};
  EXPECT_EQ(validate(overlap).error().fields.at(0).field, "week");

  BusinessCalendar bad_day = office_hours("UTC", hours{8}, hours{17});
  bad_day.holidays = {{2, 30, std::nullopt, "no such day"}};
  EXPECT_EQ(validate(bad_day).error().fields.at(0).field, "holidays");
  bad_day.holidays = {{2, 29, std::nullopt, "leap day"}};
  EXPECT_TRUE(validate(bad_day));
}

}  // namespace fl
