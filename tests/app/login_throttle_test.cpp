#include "app/login_throttle.hpp"

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"

namespace fl::testing {

using namespace std::chrono_literals;

TEST(LoginThrottle, SlowsDownALoginAfterFreeFailures) {
  FakeClock clock;
  LoginThrottle t(clock, {.free_per_login = 3, .free_per_address = 100});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t.wait_for("bob", "10.0.0.1"), 0ms);
    t.failed("bob", "10.0.0.1");
  }
  EXPECT_EQ(t.wait_for("bob", "10.0.0.1"), 0ms);
  t.failed("bob", "10.0.0.1");
  EXPECT_EQ(t.wait_for("bob", "10.0.0.2"), 1000ms) << "per login, whatever the address";
  EXPECT_EQ(t.wait_for("alice", "10.0.0.1"), 0ms);
  clock.advance(1s);
  t.failed("bob", "10.0.0.1");
  EXPECT_EQ(t.wait_for("bob", "10.0.0.1"), 2000ms) << "doubles";
  t.succeeded("bob");
  EXPECT_EQ(t.wait_for("bob", "10.0.0.9"), 0ms);
}

TEST(LoginThrottle, SlowsDownAnAddressTryingManyLogins) {
  FakeClock clock;
  LoginThrottle t(clock, {.free_per_login = 100, .free_per_address = 4});
  for (int i = 0; i < 5; ++i) t.failed("user" + std::to_string(i), "10.0.0.1");
  EXPECT_GT(t.wait_for("someone", "10.0.0.1"), 0ms);
  EXPECT_EQ(t.wait_for("someone", "10.0.0.2"), 0ms);
}

TEST(LoginThrottle, DelayHasACeiling) {
  FakeClock clock;
  LoginThrottle t(clock, {.free_per_login = 1, .free_per_address = 1000, .max_delay = 60s});
  for (int i = 0; i < 40; ++i) t.failed("bob", "a");
  EXPECT_EQ(t.wait_for("bob", "a"), 60s);
}

}  // namespace fl::testing
