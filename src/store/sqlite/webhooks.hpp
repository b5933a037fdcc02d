// Webhook rows and their delivery queue (which is also the delivery log). Writes run on the
// writer connection inside their savepoint (see mutations.hpp); reads on a borrowed read
// connection.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

inline constexpr int kMaxDeliveriesPerPage = 200;
inline constexpr int kMaxClaimedDeliveries = 1000;
inline constexpr int kMaxPrunedDeliveries = 10000;

// The worker's query: parameters `now` (ms), the busy webhooks as a JSON array, the per-webhook
// cap and the limit. The inner scan walks webhook_deliveries_due (migration 13) in due order,
// skipping busy webhooks from the index alone; the window keeps at most the cap per webhook.
// Shown for white-box tests of its plan.
[[nodiscard]] const std::string& due_deliveries_sql();

// New (id 0): version 1; existing: only at its stored version (else conflict), as version + 1.
// not_found for an unknown id; conflict for a taken name. Event types: invalid_argument for one
// that holds U+001F, since their column (records.hpp: join_list) could not give it back.
[[nodiscard]] Result<Webhook> save_webhook(Connection& c, const Webhook& webhook,
                                           const Event& event);
[[nodiscard]] Result<Webhook> load_webhook(Connection& c, WebhookId id);
[[nodiscard]] Result<std::vector<Webhook>> load_webhooks(Connection& c);

// A repeat (same webhook, event and rule) is skipped. An unknown webhook: invalid_argument,
// and nothing stored.
[[nodiscard]] Result<void> enqueue_deliveries(Connection& c,
                                              const std::vector<WebhookDelivery>& deliveries,
                                              std::optional<EventId> cursor);
// Whether any pending delivery is due: lets the worker skip a write when there is nothing.
[[nodiscard]] Result<bool> any_delivery_due(Connection& c, Timestamp now);
// `limit` is clamped to 1..kMaxClaimedDeliveries, `per_webhook` to at least 1.
[[nodiscard]] Result<std::vector<WebhookDelivery>> claim_deliveries(
    Connection& c, Timestamp now, std::chrono::milliseconds lease, int limit, int per_webhook,
    const std::vector<WebhookId>& busy);
[[nodiscard]] Result<WebhookDelivery> record_delivery_attempt(Connection& c,
                                                              const DeliveryAttempt& attempt);
// `limit` is clamped to 1..kMaxDeliveriesPerPage.
[[nodiscard]] Result<std::vector<WebhookDelivery>> load_deliveries(Connection& c, WebhookId webhook,
                                                                   std::optional<DeliveryId> before,
                                                                   int limit);
[[nodiscard]] Result<WebhookDelivery> load_delivery(Connection& c, DeliveryId id);
[[nodiscard]] Result<WebhookDelivery> redeliver(Connection& c, DeliveryId id, Timestamp at);
// `limit` is clamped to 1..kMaxPrunedDeliveries.
[[nodiscard]] Result<std::int64_t> prune_deliveries(Connection& c, Timestamp before, int limit);

}  // namespace fl::sqlite
