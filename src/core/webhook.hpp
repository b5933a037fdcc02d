// Outbound webhooks: an admin's subscription (URL, secret, event types) and the deliveries
// queued for it. A delivery's body is fixed when it is queued; attempts only change its state.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/names.hpp"
#include "core/time.hpp"

namespace fl {

namespace event_type {
inline constexpr std::string_view webhook_saved = "webhook.saved";
}  // namespace event_type

using WebhookId = std::int64_t;
using DeliveryId = std::int64_t;

struct Webhook {
  WebhookId id = 0;
  std::string name;
  std::string url;     // http:// or https://
  std::string secret;  // the HMAC-SHA256 key the receiver checks signatures with
  // Event types it receives ("ticket.created", or "ticket.*" for a prefix); empty: only what
  // rules send it.
  std::vector<std::string> events;
  bool active = true;
  std::int64_t version = 0;
  Timestamp updated_at{};
};

enum class DeliveryState { pending, delivered, failed };
template <>
struct EnumNames<DeliveryState> {
  static constexpr std::array<std::pair<DeliveryState, std::string_view>, 3> table{{
      {DeliveryState::pending, "pending"},
      {DeliveryState::delivered, "delivered"},
      {DeliveryState::failed, "failed"},
  }};
};

struct WebhookDelivery {
  DeliveryId id = 0;
  WebhookId webhook = 0;
  EventId event = 0;                 // the event it reports
  std::optional<std::int64_t> rule;  // the rule that sent it (a RuleId); none: the subscription
  std::string event_type;
  std::string body;  // the JSON sent
  DeliveryState state = DeliveryState::pending;
  int attempts = 0;
  std::optional<Timestamp> next_attempt_at;  // pending: not before then
  std::optional<int> last_status;            // HTTP status of the last attempt, if one came
  std::string last_error;                    // why the last attempt failed
  Timestamp created_at{};
  std::optional<Timestamp> finished_at;  // delivered, or given up
};

// The outcome of one attempt at a delivery.
struct DeliveryAttempt {
  DeliveryId delivery = 0;
  Timestamp at{};
  bool delivered = false;
  std::optional<int> status;
  std::string error;
  std::optional<Timestamp> retry_at;  // not delivered: when to try again; none: give up
};

// Name 1-100 characters (trimmed in place); event types each an exact type ("ticket.created"),
// a prefix ("ticket.*") or "*" for every event, at most 50, lower-case letters, digits, '_' and
// '.', sorted and without repeats in place. The URL and the secret are the app's to check.
// Errors name the field.
[[nodiscard]] Result<void> validate(Webhook& webhook);

// Whether the webhook's event types take an event of `type` (activity aside).
[[nodiscard]] bool subscribes_to(const Webhook& webhook, std::string_view type);

// When a failed delivery is tried again: after attempt n the wait is first_delay * factor^(n-1),
// at most max_delay, spread by up to ±jitter so that deliveries failing together do not all
// come back at once. The defaults try 8 times over about a day (30 s, 2, 8 and 32 min, 2.1 h,
// 8.5 h, 12 h).
struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds first_delay = std::chrono::seconds(30);
  int factor = 4;
  std::chrono::milliseconds max_delay = std::chrono::hours(12);
  double jitter = 0.1;  // a fraction of the wait
};

// The outcome of an attempt that got `status` (none: no answer, `error` says why) at `at`,
// the delivery having been tried `attempts_before` times. 2xx: delivered. 410 Gone: given up
// at once (the receiver says the endpoint is gone for good). Anything else is retried until
// the policy's last attempt. `spread` in [-1, 1] picks the jitter (the caller's randomness).
[[nodiscard]] DeliveryAttempt judge_attempt(DeliveryId delivery, int attempts_before, Timestamp at,
                                            std::optional<int> status, std::string error,
                                            const RetryPolicy& policy, double spread);

}  // namespace fl
