// The Store contract for outbound webhooks: subscriptions (every field kept, versions, unique
// names, their event), the delivery queue (idempotent queueing with the follower's cursor,
// leased claims that leave busy webhooks alone, attempts, redelivery, pruning) and the
// delivery log. Runs against every adapter (see store_contract.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

Webhook WebhookContract::draft_webhook(const std::string& name) {
  Webhook w;
  w.name = name;
  w.url = "https://hooks.example.com/firstline?channel=" + name;
  w.secret = "whsec_0123456789abcdef";
  w.events = {"sla.*", "ticket.created"};
  w.updated_at = at(100);
  return w;
}

Webhook WebhookContract::save(const Webhook& webhook) {
  return must(store().save_webhook(webhook, event_of(event_type::webhook_saved, agent_.id)),
              "save_webhook");
}

WebhookDelivery WebhookContract::draft_delivery(WebhookId webhook, EventId event,
                                                std::int64_t offset_ms) {
  WebhookDelivery d;
  d.webhook = webhook;
  d.event = event;
  d.event_type = "ticket.created";
  d.body = R"({"id":")" + std::to_string(webhook) + "-" + std::to_string(event) + R"(-0"})";
  d.created_at = at(offset_ms);
  return d;
}

namespace {

void expect_same_webhook(const Webhook& actual, const Webhook& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.url, expected.url);
  EXPECT_EQ(actual.secret, expected.secret);
  EXPECT_EQ(actual.events, expected.events);
  EXPECT_EQ(actual.active, expected.active);
  EXPECT_EQ(actual.version, expected.version);
  EXPECT_EQ(actual.updated_at, expected.updated_at);
}

std::vector<DeliveryId> ids_of(const std::vector<WebhookDelivery>& deliveries) {
  std::vector<DeliveryId> ids;
  for (const auto& d : deliveries) ids.push_back(d.id);
  return ids;
}

std::vector<EventId> events_of(const std::vector<WebhookDelivery>& deliveries) {
  std::vector<EventId> ids;
  for (const auto& d : deliveries) ids.push_back(d.event);
  return ids;
}

}  // namespace

// --- webhooks ------------------------------------------------------------------------------

TEST_P(WebhookContract, AWebhookKeepsEveryFieldAndItsEvent) {
  const EventId before = must(store().latest_event_id());
  Webhook w = draft_webhook("CMDB");
  w.active = false;
  w.version = 9;  // ignored for a new webhook
  const Webhook stored = save(w);
  EXPECT_GT(stored.id, 0);
  Webhook expected = w;
  expected.id = stored.id;
  expected.version = 1;
  expect_same_webhook(stored, expected);
  expect_same_webhook(must(store().webhook(stored.id)), expected);

  const auto events = must(store().events_after(before, 10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, event_type::webhook_saved);
  EXPECT_EQ(events[0].actor, agent_.id);
}

TEST_P(WebhookContract, NoEventTypesMeansRulesOnly) {
  Webhook w = draft_webhook("rules only");
  w.events.clear();
  EXPECT_TRUE(must(store().webhook(save(w).id)).events.empty());
}

TEST_P(WebhookContract, WebhooksAreListedById) {
  const Webhook b = save(draft_webhook("b"));
  const Webhook a = save(draft_webhook("a"));
  const auto all = must(store().webhooks());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, b.id);
  EXPECT_EQ(all[1].id, a.id);
}

TEST_P(WebhookContract, AnUpdateNeedsTheCurrentVersionAndBumpsIt) {
  const Webhook first = save(draft_webhook("Teams"));
  Webhook change = first;
  change.url = "https://hooks.example.com/other";
  change.secret = "whsec_rotated_0123456789";
  change.events = {"*"};
  change.updated_at = at(200);
  const Webhook second = save(change);
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(second.url, change.url);
  EXPECT_EQ(second.secret, change.secret);
  EXPECT_EQ(second.events, change.events);
  EXPECT_EQ(second.updated_at, at(200));

  const EventId before = must(store().latest_event_id());
  auto stale = store().save_webhook(change, event_of(event_type::webhook_saved, agent_.id));
  ASSERT_EQ(code_of(stale), ErrorCode::conflict);
  EXPECT_THAT(stale.error().message, HasSubstr("changed meanwhile"));
  EXPECT_EQ(must(store().latest_event_id()), before) << "no event without the change";
  EXPECT_EQ(must(store().webhook(first.id)).version, 2);
}

TEST_P(WebhookContract, NamesAreUnique) {
  const Webhook first = save(draft_webhook("CMDB"));
  auto clash = store().save_webhook(draft_webhook("CMDB"), event_of(event_type::webhook_saved));
  ASSERT_EQ(code_of(clash), ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("CMDB"));

  Webhook other = save(draft_webhook("Chat"));
  other.name = "CMDB";
  EXPECT_EQ(code_of(store().save_webhook(other, event_of(event_type::webhook_saved))),
            ErrorCode::conflict);
  EXPECT_EQ(must(store().webhooks()).size(), 2u);
  EXPECT_EQ(must(store().webhook(first.id)).name, "CMDB");
}

TEST_P(WebhookContract, UnknownWebhooksAreNotFound) {
  EXPECT_EQ(code_of(store().webhook(4711)), ErrorCode::not_found);
  Webhook ghost = draft_webhook("ghost");
  ghost.id = 4711;
  ghost.version = 1;
  EXPECT_EQ(code_of(store().save_webhook(ghost, event_of(event_type::webhook_saved))),
            ErrorCode::not_found);
}

TEST_P(WebhookContract, AnEventTypeWithTheListSeparatorIsRefused) {
  Webhook w = draft_webhook("odd");
  w.events = {"ticket.created\x1fticket.updated"};
  EXPECT_EQ(code_of(store().save_webhook(w, event_of(event_type::webhook_saved))),
            ErrorCode::invalid_argument);
}

// --- queueing ------------------------------------------------------------------------------

TEST_P(WebhookContract, QueuedDeliveriesArePendingAndAQueueRepeatIsSkipped) {
  const Webhook w = save(draft_webhook("CMDB"));
  WebhookDelivery d = draft_delivery(w.id, 41, 10);
  d.id = 99;                           // ignored
  d.state = DeliveryState::delivered;  // ignored
  d.attempts = 3;                      // ignored
  WebhookDelivery ruled = draft_delivery(w.id, 41, 10);
  ruled.rule = 7;  // the same event, sent by a rule: a delivery of its own
  must(store().enqueue_deliveries({d, ruled}, 41));
  EXPECT_EQ(must(store().feed_cursor("webhooks")), 41);

  // A follower that crashed before it saw its write queues the same again.
  must(store().enqueue_deliveries({d, ruled}, 41));
  const auto log = must(store().deliveries(w.id, std::nullopt, 50));
  ASSERT_EQ(log.size(), 2u);
  const WebhookDelivery& by_rule = log[0];
  const WebhookDelivery& plain = log[1];
  EXPECT_EQ(by_rule.rule, 7);
  EXPECT_FALSE(plain.rule);
  EXPECT_NE(plain.id, 99);
  EXPECT_EQ(plain.webhook, w.id);
  EXPECT_EQ(plain.event, 41);
  EXPECT_EQ(plain.event_type, "ticket.created");
  EXPECT_EQ(plain.body, d.body);
  EXPECT_EQ(plain.state, DeliveryState::pending);
  EXPECT_EQ(plain.attempts, 0);
  EXPECT_EQ(plain.next_attempt_at, at(10)) << "due when queued";
  EXPECT_FALSE(plain.last_status);
  EXPECT_EQ(plain.last_error, "");
  EXPECT_EQ(plain.created_at, at(10));
  EXPECT_FALSE(plain.finished_at);
}

TEST_P(WebhookContract, TheCursorOnlyMovesForwardAndOnlyWhenGiven) {
  const Webhook w = save(draft_webhook("CMDB"));
  must(store().enqueue_deliveries({}, 50));
  must(store().enqueue_deliveries({draft_delivery(w.id, 30)}, 30));
  EXPECT_EQ(must(store().feed_cursor("webhooks")), 50);
  must(store().enqueue_deliveries({draft_delivery(w.id, 60)}, std::nullopt));
  EXPECT_EQ(must(store().feed_cursor("webhooks")), 50) << "a rule's call moves no cursor";
  EXPECT_EQ(must(store().deliveries(w.id, std::nullopt, 50)).size(), 2u);
}

TEST_P(WebhookContract, AnUnknownWebhookQueuesNothing) {
  const Webhook w = save(draft_webhook("CMDB"));
  auto r = store().enqueue_deliveries({draft_delivery(w.id, 5), draft_delivery(4711, 5)}, 5);
  ASSERT_EQ(code_of(r), ErrorCode::invalid_argument);
  EXPECT_THAT(r.error().message, HasSubstr("4711"));
  EXPECT_TRUE(must(store().deliveries(w.id, std::nullopt, 50)).empty());
  EXPECT_EQ(must(store().feed_cursor("webhooks")), 0);
}

TEST_P(WebhookContract, ADeliveryMayBeQueuedForLater) {
  const Webhook w = save(draft_webhook("CMDB"));
  WebhookDelivery later = draft_delivery(w.id, 1);
  later.next_attempt_at = at(5000);
  must(store().enqueue_deliveries({later}, std::nullopt));
  EXPECT_TRUE(must(store().claim_deliveries(at(4999), 60s, 10, 10, {})).empty());
  EXPECT_EQ(must(store().claim_deliveries(at(5000), 60s, 10, 10, {})).size(), 1u);
}

// --- claiming ------------------------------------------------------------------------------

TEST_P(WebhookContract, ClaimsTakeDueDeliveriesEarliestFirstAndLeaseThem) {
  const Webhook w = save(draft_webhook("CMDB"));
  must(store().enqueue_deliveries({draft_delivery(w.id, 3, 300), draft_delivery(w.id, 1, 100),
                                   draft_delivery(w.id, 2, 200), draft_delivery(w.id, 4, 400)},
                                  std::nullopt));
  EXPECT_TRUE(must(store().claim_deliveries(at(50), 60s, 10, 10, {})).empty()) << "none due";

  const auto first = must(store().claim_deliveries(at(300), 60s, 2, 10, {}));
  EXPECT_THAT(events_of(first), ElementsAre(1, 2));
  for (const auto& d : first) {
    EXPECT_EQ(d.next_attempt_at, at(300) + 60s) << "leased";
    EXPECT_EQ(d.state, DeliveryState::pending);
  }
  // Leased ones are nobody else's until the lease ends.
  EXPECT_THAT(events_of(must(store().claim_deliveries(at(400), 60s, 10, 10, {}))),
              ElementsAre(3, 4));
  EXPECT_TRUE(must(store().claim_deliveries(at(1000), 60s, 10, 10, {})).empty());
  const auto again = must(store().claim_deliveries(at(300) + 60s, 60s, 10, 10, {}));
  EXPECT_THAT(events_of(again), ElementsAre(1, 2)) << "a lease that ran out: tried again";
}

TEST_P(WebhookContract, ClaimsTakeAFewOfEachWebhookAndNoneOfABusyOne) {
  const Webhook slow = save(draft_webhook("slow"));
  const Webhook fast = save(draft_webhook("fast"));
  const Webhook other = save(draft_webhook("other"));
  std::vector<WebhookDelivery> queue;
  for (EventId e = 1; e <= 5; ++e) queue.push_back(draft_delivery(slow.id, e, e));
  queue.push_back(draft_delivery(fast.id, 6, 6));
  queue.push_back(draft_delivery(other.id, 7, 7));
  queue.push_back(draft_delivery(fast.id, 8, 8));
  must(store().enqueue_deliveries(queue, std::nullopt));

  const auto claimed = must(store().claim_deliveries(at(100), 60s, 10, 2, {slow.id}));
  EXPECT_THAT(events_of(claimed), ElementsAre(6, 7, 8)) << "the busy webhook waits";

  const auto slow_ones = must(store().claim_deliveries(at(100), 60s, 10, 2, {}));
  EXPECT_THAT(events_of(slow_ones), ElementsAre(1, 2)) << "two of one webhook at most";
}

// --- attempts ------------------------------------------------------------------------------

TEST_P(WebhookContract, AnAttemptDeliversRetriesOrGivesUp) {
  const Webhook w = save(draft_webhook("CMDB"));
  must(store().enqueue_deliveries(
      {draft_delivery(w.id, 1), draft_delivery(w.id, 2), draft_delivery(w.id, 3)}, std::nullopt));
  const auto claimed = must(store().claim_deliveries(at(0), 60s, 10, 10, {}));
  ASSERT_EQ(claimed.size(), 3u);

  DeliveryAttempt ok{.delivery = claimed[0].id, .at = at(10), .delivered = true, .status = 204};
  const auto delivered = must(store().record_delivery_attempt(ok));
  EXPECT_EQ(delivered.state, DeliveryState::delivered);
  EXPECT_EQ(delivered.attempts, 1);
  EXPECT_EQ(delivered.last_status, 204);
  EXPECT_EQ(delivered.finished_at, at(10));
  EXPECT_FALSE(delivered.next_attempt_at);

  DeliveryAttempt retry{.delivery = claimed[1].id,
                        .at = at(20),
                        .status = 503,
                        .error = "HTTP 503",
                        .retry_at = at(30'020)};
  const auto pending = must(store().record_delivery_attempt(retry));
  EXPECT_EQ(pending.state, DeliveryState::pending);
  EXPECT_EQ(pending.attempts, 1);
  EXPECT_EQ(pending.last_status, 503);
  EXPECT_EQ(pending.last_error, "HTTP 503");
  EXPECT_EQ(pending.next_attempt_at, at(30'020));
  EXPECT_FALSE(pending.finished_at);

  DeliveryAttempt gone{.delivery = claimed[2].id, .at = at(40), .error = "connection refused"};
  const auto failed = must(store().record_delivery_attempt(gone));
  EXPECT_EQ(failed.state, DeliveryState::failed);
  EXPECT_FALSE(failed.last_status) << "no answer came";
  EXPECT_EQ(failed.last_error, "connection refused");
  EXPECT_EQ(failed.finished_at, at(40));
  EXPECT_FALSE(failed.next_attempt_at);

  // The retried one is due again at its time, and its next attempt counts on.
  EXPECT_TRUE(must(store().claim_deliveries(at(30'019), 60s, 10, 10, {})).empty());
  const auto due = must(store().claim_deliveries(at(30'020), 60s, 10, 10, {}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 1);
  retry.at = at(30'100);
  retry.status = 200;
  retry.delivered = true;
  retry.error.clear();
  retry.retry_at.reset();
  const auto second = must(store().record_delivery_attempt(retry));
  EXPECT_EQ(second.attempts, 2);
  EXPECT_EQ(second.state, DeliveryState::delivered);
  EXPECT_EQ(second.last_error, "");
}

TEST_P(WebhookContract, ALateAnswerLeavesAFinishedDeliveryAlone) {
  const Webhook w = save(draft_webhook("CMDB"));
  must(store().enqueue_deliveries({draft_delivery(w.id, 1)}, std::nullopt));
  const auto claimed = must(store().claim_deliveries(at(0), 60s, 10, 10, {}));
  ASSERT_EQ(claimed.size(), 1u);
  must(store().record_delivery_attempt(
      {.delivery = claimed[0].id, .at = at(10), .delivered = true, .status = 200}));
  const auto after = must(store().record_delivery_attempt(
      {.delivery = claimed[0].id, .at = at(20), .error = "timed out", .retry_at = at(99)}));
  EXPECT_EQ(after.state, DeliveryState::delivered);
  EXPECT_EQ(after.attempts, 1);
  EXPECT_EQ(after.last_status, 200);
  EXPECT_EQ(code_of(store().record_delivery_attempt({.delivery = 4711, .at = at(0)})),
            ErrorCode::not_found);
}

TEST_P(WebhookContract, RedeliveryQueuesAgainKeepingTheAttempts) {
  const Webhook w = save(draft_webhook("CMDB"));
  must(store().enqueue_deliveries({draft_delivery(w.id, 1)}, std::nullopt));
  const auto claimed = must(store().claim_deliveries(at(0), 60s, 10, 10, {}));
  ASSERT_EQ(claimed.size(), 1u);
  must(store().record_delivery_attempt(
      {.delivery = claimed[0].id, .at = at(10), .status = 500, .error = "HTTP 500"}));

  const auto again = must(store().redeliver(claimed[0].id, at(5000)));
  EXPECT_EQ(again.state, DeliveryState::pending);
  EXPECT_EQ(again.attempts, 1);
  EXPECT_EQ(again.next_attempt_at, at(5000));
  EXPECT_FALSE(again.finished_at);
  EXPECT_EQ(again.last_status, 500) << "the last attempt stays in the log";
  EXPECT_EQ(must(store().claim_deliveries(at(5000), 60s, 10, 10, {})).size(), 1u);
  EXPECT_EQ(code_of(store().redeliver(4711, at(0))), ErrorCode::not_found);
}

// --- the log -------------------------------------------------------------------------------

TEST_P(WebhookContract, TheLogIsNewestFirstPerWebhookInPages) {
  const Webhook a = save(draft_webhook("a"));
  const Webhook b = save(draft_webhook("b"));
  std::vector<WebhookDelivery> queue;
  for (EventId e = 1; e <= 5; ++e) {
    queue.push_back(draft_delivery(a.id, e, e));
    queue.push_back(draft_delivery(b.id, e, e));
  }
  must(store().enqueue_deliveries(queue, std::nullopt));
  const auto page = must(store().deliveries(a.id, std::nullopt, 2));
  EXPECT_THAT(events_of(page), ElementsAre(5, 4));
  const auto next = must(store().deliveries(a.id, page.back().id, 50));
  EXPECT_THAT(events_of(next), ElementsAre(3, 2, 1));
  for (const auto& d : next) EXPECT_EQ(d.webhook, a.id);
  EXPECT_EQ(must(store().delivery(next[0].id)).event, 3);
  EXPECT_EQ(code_of(store().delivery(4711)), ErrorCode::not_found);
  EXPECT_TRUE(must(store().deliveries(4711, std::nullopt, 50)).empty());
}

TEST_P(WebhookContract, PruningRemovesOnlyWhatFinishedLongAgo) {
  const Webhook w = save(draft_webhook("CMDB"));
  must(store().enqueue_deliveries({draft_delivery(w.id, 1), draft_delivery(w.id, 2),
                                   draft_delivery(w.id, 3), draft_delivery(w.id, 4)},
                                  std::nullopt));
  const auto claimed = must(store().claim_deliveries(at(0), 60s, 10, 10, {}));
  ASSERT_EQ(claimed.size(), 4u);
  must(store().record_delivery_attempt(
      {.delivery = claimed[0].id, .at = at(10), .delivered = true, .status = 200}));
  must(store().record_delivery_attempt({.delivery = claimed[1].id, .at = at(20), .status = 410}));
  must(store().record_delivery_attempt(
      {.delivery = claimed[2].id, .at = at(5000), .delivered = true, .status = 200}));
  // claimed[3] stays pending however old it is.

  EXPECT_EQ(must(store().prune_deliveries(at(1000), 1)), 1);
  EXPECT_EQ(must(store().prune_deliveries(at(1000), 100)), 1);
  EXPECT_EQ(must(store().prune_deliveries(at(1000), 100)), 0);
  EXPECT_THAT(ids_of(must(store().deliveries(w.id, std::nullopt, 50))),
              ElementsAre(claimed[3].id, claimed[2].id));
}

}  // namespace fl::store_contract
