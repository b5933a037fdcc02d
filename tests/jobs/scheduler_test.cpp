#include "jobs/scheduler.hpp"

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"

namespace fl::testing {

using std::chrono::minutes;
using std::chrono::seconds;

TEST(Scheduler, RunsEachJobWhenItsPeriodHasPassedOnTheClock) {
  FakeClock clock;
  Scheduler scheduler(clock);
  std::vector<Timestamp> sla, mail;
  scheduler.add("sla", minutes{1}, [&](Timestamp now) { sla.push_back(now); });
  scheduler.add("mail", minutes{5}, [&](Timestamp now) { mail.push_back(now); });
  Timestamp start = clock.now();
  EXPECT_EQ(scheduler.tick(), 2) << "every job runs on the first tick (a restart catches up)";
  EXPECT_EQ(scheduler.tick(), 0);
  clock.advance(seconds{59});
  EXPECT_EQ(scheduler.tick(), 0);
  clock.advance(seconds{1});
  EXPECT_EQ(scheduler.tick(), 1);
  clock.advance(minutes{4});
  EXPECT_EQ(scheduler.tick(), 2);
  EXPECT_EQ(sla, (std::vector<Timestamp>{start, start + minutes{1}, start + minutes{5}}));
  EXPECT_EQ(mail, (std::vector<Timestamp>{start, start + minutes{5}}));
}

TEST(Scheduler, AThreadTicksUntilStopped) {
  FakeClock clock;
  Scheduler scheduler(clock);
  std::mutex m;
  std::condition_variable ran;
  int runs = 0;
  scheduler.add("job", std::chrono::milliseconds{0}, [&](Timestamp) {
    std::lock_guard lock(m);
    ++runs;
    ran.notify_all();
  });
  scheduler.start(std::chrono::milliseconds{1});
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(ran.wait_for(lock, seconds{10}, [&] { return runs >= 3; }));
  }
  scheduler.stop();
  std::lock_guard lock(m);
  int after = runs;
  EXPECT_GE(after, 3);
}

}  // namespace fl::testing
