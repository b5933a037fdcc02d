// The JSON a webhook delivery carries, fixed when it is queued (docs/webhooks.md):
//   {"id", "type", "created_at", "webhook_id", "event": {...}, "ticket": {...} | null,
//    "rule": {"id", "name"}}   (rule only when a rule sent it)
// Times are RFC 3339 UTC with milliseconds, like the REST API's.
#pragma once

#include <optional>
#include <string>

#include "core/event.hpp"
#include "core/ticket.hpp"
#include "core/webhook.hpp"

namespace fl {

struct RuleReference {
  std::int64_t id = 0;  // a RuleId
  std::string name;
};

// "<webhook>-<event>-<rule or 0>": the same for every attempt and redelivery of a delivery.
[[nodiscard]] std::string delivery_key(WebhookId webhook, EventId event,
                                       const std::optional<std::int64_t>& rule);

// `ticket`: the ticket the event is about, as it stands when queued (none: not a ticket's
// event, or gone).
[[nodiscard]] std::string delivery_body(WebhookId webhook, const Event& event,
                                        const std::optional<Ticket>& ticket,
                                        const std::optional<RuleReference>& rule,
                                        Timestamp queued_at);

// A test delivery: {"id", "type": "webhook.ping", "created_at", "webhook_id",
// "webhook": {"id", "name", "events"}}.
[[nodiscard]] std::string ping_body(const Webhook& webhook, std::string_view id, Timestamp at);

}  // namespace fl
