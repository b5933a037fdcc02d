#include "core/webhook.hpp"

#include <gtest/gtest.h>

namespace fl {

namespace {

using namespace std::chrono_literals;

Timestamp t0() {
  return from_millis(1'795'000'000'000);
}

}  // namespace

TEST(Webhook, EventTypesAreExactPrefixesOrEverything) {
  Webhook w{.name = "CMDB", .events = {"ticket.created", "sla.*"}};
  EXPECT_TRUE(subscribes_to(w, "ticket.created"));
  EXPECT_FALSE(subscribes_to(w, "ticket.created_x"));
  EXPECT_FALSE(subscribes_to(w, "ticket.updated"));
  EXPECT_TRUE(subscribes_to(w, "sla.breached"));
  EXPECT_TRUE(subscribes_to(w, "sla.step_fired"));
  EXPECT_FALSE(subscribes_to(w, "slam.dunk")) << "a prefix ends at a dot";
  EXPECT_FALSE(subscribes_to(w, "sla")) << "the prefix itself is no type of it";

  Webhook all{.name = "all", .events = {"*"}};
  EXPECT_TRUE(subscribes_to(all, "user.created"));
  Webhook none{.name = "rules only"};
  EXPECT_FALSE(subscribes_to(none, "ticket.created")) << "no types: only what rules send it";
}

TEST(Webhook, ValidationNormalisesAndNamesTheField) {
  Webhook w{.name = "  Teams channel ", .events = {"ticket.*", " ticket.created", "ticket.*"}};
  ASSERT_TRUE(validate(w));
  EXPECT_EQ(w.name, "Teams channel");
  EXPECT_EQ(w.events, (std::vector<std::string>{"ticket.*", "ticket.created"}));

  for (std::string bad : {"", "Ticket.created", "ticket.", ".created", "ticket..x", "ticket*",
                          "*.created", "ticket.*.x", "tick et"}) {
    Webhook b{.name = "x", .events = {bad}};
    auto r = validate(b);
    ASSERT_FALSE(r) << "'" << bad << "'";
    EXPECT_EQ(r.error().fields.at(0).field, "events");
  }
  Webhook unnamed{.name = "   "};
  EXPECT_EQ(validate(unnamed).error().fields.at(0).field, "name");
  Webhook many{.name = "many"};
  for (int i = 0; i < 51; ++i) many.events.push_back("t.e" + std::to_string(i));
  EXPECT_EQ(validate(many).error().fields.at(0).field, "events");
}

TEST(Webhook, SuccessIsA2xxAnswer) {
  RetryPolicy p;
  for (int status : {200, 201, 202, 204, 299}) {
    auto a = judge_attempt(7, 0, t0(), status, "", p, 0);
    EXPECT_TRUE(a.delivered) << status;
    EXPECT_FALSE(a.retry_at);
    EXPECT_EQ(a.delivery, 7);
    EXPECT_EQ(a.at, t0());
  }
  for (std::optional<int> status : {std::optional<int>{}, std::optional<int>{301},
                                    std::optional<int>{404}, std::optional<int>{500}}) {
    auto a = judge_attempt(7, 0, t0(), status, "x", p, 0);
    EXPECT_FALSE(a.delivered);
    EXPECT_TRUE(a.retry_at) << "retried";
  }
}

TEST(Webhook, RetriesBackOffExponentiallyUpToADay) {
  RetryPolicy p;
  std::vector<std::chrono::milliseconds> waits;
  for (int before = 0; before < p.max_attempts; ++before) {
    auto a = judge_attempt(1, before, t0(), 503, "HTTP 503", p, 0);
    if (!a.retry_at) {
      EXPECT_EQ(before + 1, p.max_attempts) << "given up only after the last attempt";
      break;
    }
    waits.push_back(*a.retry_at - t0());
  }
  ASSERT_EQ(waits.size(), 7u);
  EXPECT_EQ(waits[0], 30s);
  EXPECT_EQ(waits[1], 2min);
  EXPECT_EQ(waits[2], 8min);
  EXPECT_EQ(waits[3], 32min);
  EXPECT_EQ(waits[6], 12h) << "capped";
  std::chrono::milliseconds total{};
  for (auto w : waits) total += w;
  EXPECT_GT(total, 20h);
  EXPECT_LT(total, 26h);
}

TEST(Webhook, JitterSpreadsTheWaitWithinItsFraction) {
  RetryPolicy p;
  auto wait = [&](double spread) {
    return *judge_attempt(1, 1, t0(), 500, "", p, spread).retry_at - t0();
  };
  EXPECT_EQ(wait(-1), 108s);
  EXPECT_EQ(wait(1), 132s);
  EXPECT_EQ(wait(5), 132s) << "clamped";
}

TEST(Webhook, GoneStopsAtOnce) {
  auto a = judge_attempt(1, 0, t0(), 410, "HTTP 410", RetryPolicy{}, 0);
  EXPECT_FALSE(a.delivered);
  EXPECT_FALSE(a.retry_at);
  EXPECT_EQ(a.status, 410);
  EXPECT_EQ(a.error, "HTTP 410");
}

}  // namespace fl
