#include "core/sla.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include "support/berlin_time.hpp"

namespace fl {

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using Kind = SlaMoment::Kind;

using testing::berlin;
using testing::berlin_zone;

// Office hours 08-17 in Berlin for P2-P4, around the clock for P1; a line-2 operational
// target and a vendor contract at line 4.
class SlaTest : public ::testing::Test {
 protected:
  SlaTest()
      : office(office_hours("Europe/Berlin", hours{8}, hours{17}), berlin_zone()),
        always(around_the_clock("Europe/Berlin"), berlin_zone()) {
    policy.id = 7;
    policy.name = "Standard";
    policy.calendar = 1;
    policy.targets[0] = {minutes{15}, minutes{30}, hours{4}, CalendarId{2}};
    policy.targets[1] = {hours{1}, hours{2}, hours{8}, std::nullopt};
    policy.targets[2] = {hours{4}, hours{8}, hours{24}, std::nullopt};
    policy.targets[3] = {hours{8}, std::nullopt, hours{40}, std::nullopt};
    policy.line_targets = {{2, std::nullopt, hours{4}, std::nullopt},
                           {4, TeamId{9}, std::nullopt, hours{16}}};
    plan.policy = &policy;
    plan.hours = &office;
    plan.hours_by_priority[0] = &always;
  }

  SlaPlanLookup lookup() {
    return [this](SlaPolicyId id, std::int64_t) -> const SlaPlan* {
      return id == policy.id ? &plan : nullptr;
    };
  }

  // A ticket created at `at` with priority P2 at line 1, team 1, and the policy applied.
  std::vector<SlaMoment> created(Timestamp at, Priority p = Priority::p2) {
    SlaMoment c{.at = at, .kind = Kind::created, .priority = p, .status = TicketStatus::new_,
                .line = 1, .team = 1};
    SlaMoment applied = c;
    applied.kind = Kind::policy_applied;
    applied.policy = policy.id;
    return {c, applied};
  }

  // The ticket as the last moment left it, with one thing done at `at`.
  static SlaMoment next(const std::vector<SlaMoment>& history, Timestamp at, Kind kind) {
    SlaMoment m = history.back();
    m.at = at;
    m.kind = kind;
    m.by_staff = false;
    m.policy.reset();
    return m;
  }

  std::vector<SlaClock> clocks(const std::vector<SlaMoment>& history, Timestamp now) {
    return replay(history, lookup(), now);
  }

  static const SlaClock& find(const std::vector<SlaClock>& clocks, SlaMetric metric,
                              int cycle = 1) {
    for (const auto& c : clocks)
      if (c.metric == metric && c.cycle == cycle) return c;
    ADD_FAILURE() << "no clock " << name_of(metric) << " #" << cycle;
    static SlaClock none;
    return none;
  }

  SlaPolicy policy;
  BusinessHours office;
  BusinessHours always;
  SlaPlan plan;
};

}  // namespace

TEST_F(SlaTest, FirstResponseAndResolutionStartAtCreation) {
  auto h = created(berlin(2027, 3, 22, 9));
  auto c = clocks(h, berlin(2027, 3, 22, 9, 30));
  ASSERT_EQ(c.size(), 2u);
  const auto& first = find(c, SlaMetric::first_response);
  EXPECT_EQ(first.state, ClockState::running);
  EXPECT_EQ(first.target, hours{1});
  EXPECT_EQ(first.due_at, berlin(2027, 3, 22, 10));
  EXPECT_EQ(first.elapsed, minutes{30});
  const auto& resolution = find(c, SlaMetric::resolution);
  EXPECT_EQ(resolution.due_at, berlin(2027, 3, 22, 17));

  h.push_back(next(h, berlin(2027, 3, 22, 9, 40), Kind::staff_reply));
  c = clocks(h, berlin(2027, 3, 22, 12));
  const auto& met = find(c, SlaMetric::first_response);
  EXPECT_EQ(met.state, ClockState::met);
  EXPECT_EQ(met.stopped_at, berlin(2027, 3, 22, 9, 40));
  EXPECT_EQ(met.elapsed, minutes{40});
  EXPECT_EQ(find(c, SlaMetric::resolution).elapsed, hours{3});
}

TEST_F(SlaTest, PendingCustomerPausesAndResumesWithTheRemainingTime) {
  auto h = created(berlin(2027, 3, 22, 9));
  h.push_back(next(h, berlin(2027, 3, 22, 9, 30), Kind::staff_reply));
  auto waiting = next(h, berlin(2027, 3, 22, 10), Kind::changed);
  waiting.status = TicketStatus::pending_customer;
  waiting.by_staff = true;
  h.push_back(waiting);
  auto c = clocks(h, berlin(2027, 3, 23, 9));
  const auto& paused = find(c, SlaMetric::resolution);
  EXPECT_EQ(paused.state, ClockState::paused);
  EXPECT_FALSE(paused.due_at);
  EXPECT_EQ(paused.elapsed, hours{1});
  EXPECT_EQ(paused.paused, hours{8});  // Mon 10-17 and Tue 08-09

  auto reply = next(h, berlin(2027, 3, 23, 10), Kind::customer_reply);
  reply.status = TicketStatus::open;
  h.push_back(reply);
  c = clocks(h, berlin(2027, 3, 23, 10));
  const auto& resumed = find(c, SlaMetric::resolution);
  EXPECT_EQ(resumed.state, ClockState::running);
  EXPECT_EQ(resumed.elapsed, hours{1});
  EXPECT_EQ(resumed.paused, hours{9});
  EXPECT_EQ(resumed.due_at, berlin(2027, 3, 23, 17));  // 7 h left from Tue 10:00
  // The customer's reply starts the next-response clock: 2 business hours.
  const auto& next_response = find(c, SlaMetric::next_response);
  EXPECT_EQ(next_response.state, ClockState::running);
  EXPECT_EQ(next_response.due_at, berlin(2027, 3, 23, 12));
}

TEST_F(SlaTest, PendingStatusesArePerPolicy) {
  policy.pause_on = {TicketStatus::pending_customer};
  auto h = created(berlin(2027, 3, 22, 9));
  auto vendor = next(h, berlin(2027, 3, 22, 10), Kind::changed);
  vendor.status = TicketStatus::pending_vendor;
  h.push_back(vendor);
  auto c = clocks(h, berlin(2027, 3, 22, 12));
  EXPECT_EQ(find(c, SlaMetric::resolution).state, ClockState::running);
  EXPECT_EQ(find(c, SlaMetric::resolution).elapsed, hours{3});
}

TEST_F(SlaTest, NextResponseCyclesWithEachCustomerReply) {
  auto h = created(berlin(2027, 3, 22, 9));
  h.push_back(next(h, berlin(2027, 3, 22, 9, 10), Kind::staff_reply));
  h.push_back(next(h, berlin(2027, 3, 22, 10), Kind::customer_reply));
  h.push_back(next(h, berlin(2027, 3, 22, 10, 30), Kind::customer_reply));  // same wait
  h.push_back(next(h, berlin(2027, 3, 22, 11), Kind::staff_reply));
  h.push_back(next(h, berlin(2027, 3, 22, 14), Kind::customer_reply));
  auto c = clocks(h, berlin(2027, 3, 22, 17));
  const auto& one = find(c, SlaMetric::next_response, 1);
  EXPECT_EQ(one.state, ClockState::met);
  EXPECT_EQ(one.elapsed, hours{1});
  const auto& two = find(c, SlaMetric::next_response, 2);
  EXPECT_EQ(two.state, ClockState::breached) << "2 h target, 3 h waited";
  EXPECT_EQ(two.breached_at, berlin(2027, 3, 22, 16));
  EXPECT_FALSE(two.stopped_at);
  EXPECT_EQ(two.due_at, berlin(2027, 3, 22, 16));
}

TEST_F(SlaTest, PriorityChangeReplansOnTheNewTargetAndCalendar) {
  auto h = created(berlin(2027, 3, 22, 16));  // P2, office hours
  auto raised = next(h, berlin(2027, 3, 22, 16, 30), Kind::changed);
  raised.priority = Priority::p1;  // 15 min first response, 4 h resolution, around the clock
  h.push_back(raised);
  auto c = clocks(h, berlin(2027, 3, 22, 16, 40));
  const auto& first = find(c, SlaMetric::first_response);
  EXPECT_EQ(first.target, minutes{15});
  EXPECT_EQ(first.state, ClockState::breached) << "30 min elapsed already exceed 15";
  EXPECT_EQ(first.breached_at, berlin(2027, 3, 22, 16, 30));
  const auto& resolution = find(c, SlaMetric::resolution);
  EXPECT_EQ(resolution.target, hours{4});
  EXPECT_EQ(resolution.elapsed, minutes{40});
  // 3 h 20 min left, counted around the clock from 16:40: 20:00 the same day.
  EXPECT_EQ(resolution.due_at, berlin(2027, 3, 22, 20));

  auto lowered = next(h, berlin(2027, 3, 22, 16, 50), Kind::changed);
  lowered.priority = Priority::p4;  // no next-response target at P4
  h.push_back(lowered);
  c = clocks(h, berlin(2027, 3, 22, 17));
  EXPECT_EQ(find(c, SlaMetric::first_response).state, ClockState::running)
      << "8 h at P4: the breach at P1 no longer stands";
  EXPECT_EQ(find(c, SlaMetric::first_response).target, hours{8});
}

TEST_F(SlaTest, ResolutionHoldsWhileResolvedAndResumesOnReopen) {
  auto h = created(berlin(2027, 3, 22, 9));
  auto resolved = next(h, berlin(2027, 3, 22, 9, 45), Kind::changed);
  resolved.status = TicketStatus::resolved;
  resolved.by_staff = true;
  h.push_back(resolved);
  auto c = clocks(h, berlin(2027, 3, 23, 9));
  EXPECT_EQ(find(c, SlaMetric::first_response).state, ClockState::met)
      << "a resolution answers the ticket";
  EXPECT_EQ(find(c, SlaMetric::resolution).state, ClockState::met);
  EXPECT_EQ(find(c, SlaMetric::resolution).stopped_at, berlin(2027, 3, 22, 9, 45));

  auto reopened = next(h, berlin(2027, 3, 23, 9), Kind::customer_reply);
  reopened.status = TicketStatus::open;
  h.push_back(reopened);
  c = clocks(h, berlin(2027, 3, 23, 10));
  const auto& resolution = find(c, SlaMetric::resolution);
  EXPECT_EQ(resolution.state, ClockState::running);
  EXPECT_EQ(resolution.elapsed, minutes{105});
  EXPECT_EQ(resolution.due_at, berlin(2027, 3, 23, 16, 15));
  EXPECT_EQ(find(c, SlaMetric::next_response).state, ClockState::running);
}

TEST_F(SlaTest, LineTargetsForTheTeamHoldingTheTicket) {
  auto h = created(berlin(2027, 3, 22, 9));
  auto escalated = next(h, berlin(2027, 3, 22, 10), Kind::changed);
  escalated.line = 2;
  escalated.team = 2;
  escalated.by_staff = true;
  h.push_back(escalated);
  auto c = clocks(h, berlin(2027, 3, 22, 13));
  const auto& line2 = find(c, SlaMetric::line_response);
  EXPECT_EQ(line2.line, 2);
  EXPECT_EQ(line2.team, 2);
  EXPECT_EQ(line2.due_at, berlin(2027, 3, 22, 14));
  h.push_back(next(h, berlin(2027, 3, 22, 13), Kind::staff_note));
  c = clocks(h, berlin(2027, 3, 22, 15));
  EXPECT_EQ(find(c, SlaMetric::line_response).state, ClockState::met);

  // The vendor's contract (team 9, line 4) runs while the desk waits on the vendor.
  auto vendor = next(h, berlin(2027, 3, 22, 14), Kind::changed);
  vendor.line = 4;
  vendor.team = 9;
  vendor.status = TicketStatus::pending_vendor;
  vendor.by_staff = true;
  h.push_back(vendor);
  c = clocks(h, berlin(2027, 3, 23, 14));
  const auto& contract = find(c, SlaMetric::line_resolution, 2);
  EXPECT_EQ(contract.state, ClockState::running);
  EXPECT_EQ(contract.elapsed, hours{9});
  EXPECT_EQ(contract.due_at, berlin(2027, 3, 24, 12));  // 16 business hours from Mon 14:00
  EXPECT_EQ(find(c, SlaMetric::resolution).state, ClockState::paused);
  // A team of line 4 without a contract gets no clock.
  vendor.team = 10;
  h.back() = vendor;
  c = clocks(h, berlin(2027, 3, 23, 14));
  for (const auto& clock : c) EXPECT_NE(clock.line, 4);
}

TEST_F(SlaTest, ReplayIsDeterministicAndIgnoresUnknownPolicies) {
  auto h = created(berlin(2027, 3, 22, 9));
  h.push_back(next(h, berlin(2027, 3, 22, 9, 30), Kind::staff_reply));
  auto a = clocks(h, berlin(2027, 3, 25, 9));
  auto b = clocks(h, berlin(2027, 3, 25, 9));
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].due_at, b[i].due_at);
    EXPECT_EQ(a[i].elapsed, b[i].elapsed);
    EXPECT_EQ(a[i].state, b[i].state);
  }
  EXPECT_EQ(find(a, SlaMetric::resolution).state, ClockState::breached);
  EXPECT_EQ(find(a, SlaMetric::resolution).breached_at, berlin(2027, 3, 22, 17));

  h[1].policy = 99;
  EXPECT_TRUE(clocks(h, berlin(2027, 3, 25, 9)).empty());
}

TEST_F(SlaTest, WhenAClockReachesAShareOfItsTarget) {
  auto h = created(berlin(2027, 3, 22, 9));
  auto c = clocks(h, berlin(2027, 3, 22, 9));
  const auto& resolution = find(c, SlaMetric::resolution);
  EXPECT_EQ(when_reaches(resolution, 75, office, berlin(2027, 3, 22, 9)), berlin(2027, 3, 22, 15));
  EXPECT_EQ(when_reaches(resolution, 100, office, berlin(2027, 3, 22, 9)), berlin(2027, 3, 22, 17));
  c = clocks(h, berlin(2027, 3, 22, 16));
  EXPECT_FALSE(when_reaches(find(c, SlaMetric::resolution), 75, office, berlin(2027, 3, 22, 16)));
  EXPECT_NEAR(find(c, SlaMetric::resolution).percent_used(), 87.5, 1e-9);
}

TEST(SlaPolicySelection, FirstMatchByRank) {
  SlaPolicy vip{.id = 1, .name = "VIP", .rank = 10};
  vip.applies_to.organizations = {5};
  SlaPolicy p1{.id = 2, .name = "P1", .rank = 20};
  p1.applies_to.priorities = {Priority::p1};
  SlaPolicy standard{.id = 3, .name = "Standard", .rank = 100};
  SlaPolicy phone{.id = 4, .name = "Phone network", .rank = 50};
  phone.applies_to.channels = {Channel::phone};
  phone.applies_to.categories = {"network"};
  std::vector<SlaPolicy> all{standard, p1, vip, phone};

  EXPECT_EQ(select_policy(all, {.organization = 5, .priority = Priority::p1})->id, 1);
  EXPECT_EQ(select_policy(all, {.organization = 6, .priority = Priority::p1})->id, 2);
  EXPECT_EQ(select_policy(all, {.priority = Priority::p3, .category = "network",
                                .channel = Channel::phone})->id, 4);
  EXPECT_EQ(select_policy(all, {.priority = Priority::p3, .category = "network"})->id, 3);
  all[0].active = false;
  EXPECT_EQ(select_policy(all, {.priority = Priority::p3}), nullptr);
}

TEST(SlaPolicyValidation, NamesTheField) {
  SlaPolicy p{.name = "x"};
  p.targets[1].resolution = minutes{0};
  EXPECT_EQ(validate(p).error().fields.at(0).field, "targets");
  p.targets[1].resolution = hours{8};
  p.ladder = {{.metric = SlaMetric::first_response, .percent = 75, .notify_assignee = true}};
  EXPECT_EQ(validate(p).error().fields.at(0).field, "ladder") << "no first-response target";
  p.ladder = {{.metric = SlaMetric::resolution, .percent = 75}};
  EXPECT_EQ(validate(p).error().fields.at(0).field, "ladder") << "no action";
  p.ladder = {{.metric = SlaMetric::resolution, .percent = 75, .notify_assignee = true}};
  EXPECT_TRUE(validate(p));
  p.line_targets = {{.line = 5, .respond = hours{1}}};
  EXPECT_EQ(validate(p).error().fields.at(0).field, "line_targets");
  p.line_targets.clear();
  p.pause_on = {TicketStatus::open};
  EXPECT_EQ(validate(p).error().fields.at(0).field, "pause_on");
}

}  // namespace fl

namespace fl {

TEST_F(SlaTest, AnotherPolicyReplansTheRunningClocks) {
  SlaPolicy major = policy;
  major.id = 8;
  major.name = "Major";
  for (auto& t : major.targets) t = {minutes{15}, minutes{30}, hours{2}, std::nullopt};
  major.line_targets = {{1, std::nullopt, minutes{10}, minutes{40}}};
  SlaPlan major_plan{&major, &always, {}};
  SlaPlanLookup both = [&](SlaPolicyId id, std::int64_t) -> const SlaPlan* {
    return id == policy.id ? &plan : id == major.id ? &major_plan : nullptr;
  };
  auto h = created(berlin(2027, 3, 22, 9));
  h.push_back(next(h, berlin(2027, 3, 22, 9, 20), Kind::staff_reply));
  SlaMoment switched = next(h, berlin(2027, 3, 22, 10), Kind::policy_applied);
  switched.policy = major.id;
  h.push_back(switched);
  auto c = replay(h, both, berlin(2027, 3, 22, 10, 30));
  const auto& resolution = find(c, SlaMetric::resolution);
  EXPECT_EQ(resolution.policy, major.id);
  EXPECT_EQ(resolution.target, hours{2});
  EXPECT_EQ(resolution.elapsed, minutes{90}) << "one office hour, then half an hour round the clock";
  EXPECT_EQ(resolution.due_at, berlin(2027, 3, 22, 11));
  EXPECT_EQ(find(c, SlaMetric::first_response).state, ClockState::met) << "answered before";
  // The new policy's line targets start at the switch for the line the ticket is at; the
  // line has acted already (the reply), so only the resolve target runs.
  const auto& line1 = find(c, SlaMetric::line_resolution);
  EXPECT_EQ(line1.line, 1);
  EXPECT_EQ(line1.started_at, berlin(2027, 3, 22, 10));
  EXPECT_EQ(line1.due_at, berlin(2027, 3, 22, 10, 40));
  EXPECT_EQ(line1.state, ClockState::running);
  EXPECT_TRUE(std::ranges::none_of(c, [](const SlaClock& k) {
    return k.metric == SlaMetric::line_response;
  }));
}

TEST_F(SlaTest, LineClocksCountArrivalsAndAReturnStartsANewCycle) {
  auto h = created(berlin(2027, 3, 22, 9));
  auto up = next(h, berlin(2027, 3, 22, 10), Kind::changed);
  up.line = 2;
  up.team = 2;
  up.by_staff = true;
  h.push_back(up);
  auto down = next(h, berlin(2027, 3, 22, 11), Kind::changed);
  down.line = 1;
  down.team = 1;
  down.by_staff = true;
  h.push_back(down);
  auto again = next(h, berlin(2027, 3, 22, 12), Kind::changed);
  again.line = 2;
  again.team = 3;
  again.by_staff = true;
  h.push_back(again);
  auto c = clocks(h, berlin(2027, 3, 22, 13));
  const auto& first = find(c, SlaMetric::line_response, 1);
  EXPECT_EQ(first.state, ClockState::met) << "the return was the line's action";
  EXPECT_EQ(first.stopped_at, berlin(2027, 3, 22, 11));
  const auto& second = find(c, SlaMetric::line_response, 2);
  EXPECT_EQ(second.team, 3);
  EXPECT_EQ(second.state, ClockState::running);
  EXPECT_EQ(second.due_at, berlin(2027, 3, 22, 16));
}

}  // namespace fl
