// Outbound webhooks: admins subscribe a URL to event types; every matching event in the feed,
// and every rule that calls a webhook, queues a delivery whose JSON body is fixed there and
// then. A worker sends due deliveries, signed (app/webhook_signature.hpp), through the
// WebhookSender port, several at once and never on a request's thread, and retries failures
// with exponential backoff (core/webhook.hpp: RetryPolicy). Delivery is at least once:
// receivers dedupe by the X-Firstline-Delivery header. Ticket work never waits for any of it:
// events are queued by a follower of the feed, after their commit (docs/webhooks.md).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/webhook_caller.hpp"
#include "app/retries.hpp"
#include "app/webhook_sender.hpp"
#include "core/webhook.hpp"
#include "store/store.hpp"

namespace fl {

struct WebhookOptions {
  RetryPolicy retry;
  int max_in_flight = 32;             // deliveries being sent at once, over all webhooks
  int max_in_flight_per_webhook = 4;  // about this many per webhook, so one slow receiver
                                      // cannot take every slot
  // How long a claimed delivery is this worker's: longer than a send can take (the sender's
  // total timeout). After a crash, what was in flight goes out again once it has passed.
  std::chrono::milliseconds lease = std::chrono::minutes(2);
  std::string user_agent = "Firstline-Webhook/0.1";
  // Told of failed attempts and background faults, one line each; never a secret or a URL
  // (URLs may carry tokens). None: quiet.
  std::function<void(std::string_view)> warn;
};

// A test delivery's answer ("ping"), shown to the admin at once.
struct PingResult {
  bool delivered = false;
  std::optional<int> status;
  std::string error;
  std::chrono::milliseconds duration{};
};

// Attempts since start, for metrics.
struct WebhookStats {
  std::int64_t delivered = 0;
  std::int64_t retried = 0;  // failed attempts that will be tried again
  std::int64_t failed = 0;   // deliveries given up
  int in_flight = 0;
};

// Thread-safe. The sender calls back on its own thread into this service: stop the sender
// before the service (and the store) go away.
class WebhookService final : public WebhookCaller {
 public:
  WebhookService(Store& store, const Clock& clock, WebhookSender& sender,
                 WebhookOptions options = {});

  // --- management: admins only (permission_denied for anyone else) ----------------------
  // Secrets are left out (empty) of every answer but create's and rotate_secret's.

  Result<std::vector<Webhook>> list(const Actor& actor);
  Result<Webhook> get(const Actor& actor, WebhookId id);
  // With its secret, generated unless one is given (16 to 200 printable characters).
  // Errors name the field: name, url (http or https with a host; no user or password in
  // it), events, secret; a taken name is a conflict.
  Result<Webhook> create(const Actor& actor, Webhook webhook);
  // Name, URL, event types and whether active, at `webhook.version` (else conflict); the
  // secret stays. Switching a webhook off stops its queued deliveries too.
  Result<Webhook> update(const Actor& actor, Webhook webhook);
  // A new secret, answered once; the old one is no longer used from now on.
  Result<Webhook> rotate_secret(const Actor& actor, WebhookId id);
  // Sends a signed "webhook.ping" now, outside the queue and the log (inactive webhooks too)
  // and waits for the answer, at most the lease.
  Result<PingResult> ping(const Actor& actor, WebhookId id);
  // The delivery log, newest first (limit 1..200); not_found for an unknown webhook.
  Result<std::vector<WebhookDelivery>> deliveries(const Actor& actor, WebhookId id,
                                                  std::optional<DeliveryId> before, int limit);
  // Queues a delivery again, due now, with its body and id as they were.
  Result<WebhookDelivery> redeliver(const Actor& actor, DeliveryId id);

  // --- background work (the scheduler's) --------------------------------------------------

  // Queues a delivery for each active webhook subscribed to each event after the cursor, at
  // most `max_events`; returns how many events it read (0: up to date). The very first run
  // only sets the cursor to the newest event: webhooks report what happens from then on.
  Result<int> follow(int max_events = 1000);
  // Claims due deliveries (at most `limit`, and no more than free sending slots) and starts
  // sending them; returns how many it started. Does not wait for answers.
  Result<int> deliver_due(Timestamp now, int limit);
  // Waits until a send in flight has been answered since the last deliver_due, or
  // `deadline` passes (false then, and at once when nothing is in flight): lets the worker
  // claim again as soon as a slot is free.
  bool wait_for_answer(std::chrono::steady_clock::time_point deadline);
  // Waits until nothing is in flight (answers recorded), at most `timeout`.
  bool wait_idle(std::chrono::milliseconds timeout);
  // Forgets deliveries that finished before `before`; returns how many.
  Result<std::int64_t> prune_log(Timestamp before);
  [[nodiscard]] WebhookStats stats() const;

  // The rules engine's "call a webhook".
  Result<void> call_from_rule(const RuleWebhookCall& call) override;

 private:
  void send(const WebhookDelivery& delivery, const Webhook& webhook, Timestamp now);
  void record(DeliveryId delivery, int attempts_before, WebhookId webhook,
              const std::string& webhook_name, const PostOutcome& outcome);
  OutboundPost signed_post(const Webhook& webhook, std::string_view delivery_id,
                           std::string_view event_type, std::string body, Timestamp now) const;
  void warn(const std::string& line) const;

  Store& store_;
  const Clock& clock_;
  WebhookSender& sender_;
  WebhookOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable answered_;
  std::map<WebhookId, int> in_flight_;  // per webhook; absent: none
  int in_flight_total_ = 0;
  int answers_since_claim_ = 0;  // answers recorded since deliver_due last claimed
  AttemptTally tally_;
};

}  // namespace fl
