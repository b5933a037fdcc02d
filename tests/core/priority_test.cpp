#include "core/priority.hpp"

#include <gtest/gtest.h>

namespace fl {

TEST(PriorityMatrix, FollowsImpactTimesUrgency) {
  // {impact, urgency, expected}
  struct Row {
    int impact, urgency;
    Priority expected;
  };
  const Row rows[] = {
      {1, 1, Priority::p1}, {1, 2, Priority::p2}, {1, 3, Priority::p3},
      {2, 1, Priority::p2}, {2, 2, Priority::p3}, {2, 3, Priority::p4},
      {3, 1, Priority::p3}, {3, 2, Priority::p4}, {3, 3, Priority::p4},
  };
  for (const auto& r : rows)
    EXPECT_EQ(priority_for(r.impact, r.urgency), r.expected) << r.impact << "x" << r.urgency;
}

TEST(PriorityMatrix, IsMonotonic) {
  // Raising impact or urgency never lowers the priority.
  for (int i = 1; i <= 3; ++i)
    for (int u = 1; u <= 3; ++u) {
      if (i > 1) {
        EXPECT_LE(priority_for(i - 1, u), priority_for(i, u));
      }
      if (u > 1) {
        EXPECT_LE(priority_for(i, u - 1), priority_for(i, u));
      }
    }
}

TEST(PriorityMatrix, NamesRoundTrip) {
  EXPECT_EQ(name_of(Priority::p1), "P1");
  EXPECT_EQ(parse_name<Priority>("P4"), Priority::p4);
  EXPECT_FALSE(parse_name<Priority>("P5"));
  EXPECT_FALSE(is_level(0));
  EXPECT_FALSE(is_level(4));
}

}  // namespace fl
