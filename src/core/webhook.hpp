// Outbound webhooks: an admin's subscription (URL, secret, event types) and the deliveries
// queued for it. A delivery's body is fixed when it is queued; attempts only change its state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/names.hpp"
#include "core/time.hpp"

namespace fl {

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

}  // namespace fl
