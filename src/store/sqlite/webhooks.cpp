// Webhook rows and deliveries: see webhooks.hpp. Which events go to which webhook, the bodies
// and the retry schedule are the app's (app/webhook_service.hpp); the store queues, leases and
// logs.
#include "store/sqlite/webhooks.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

#include "store/sqlite/mutations.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/rules.hpp"

namespace fl::sqlite {

namespace {

// The webhook follower's row in feed_cursors.
constexpr std::string_view kFollower = "webhooks";

// Rows beyond this many due ones are left for the next claim: bounds the window's work when a
// backlog is large.
constexpr int kClaimScan = 2000;

constexpr std::string_view kWebhookColumns =
    "id, name, url, secret, events, active, version, updated_at";

constexpr std::string_view kDeliveryColumns =
    "id, webhook_id, event_id, rule_id, event_type, body, state, attempts, next_attempt_at, "
    "last_status, last_error, created_at, finished_at";

Result<Webhook> webhook_from_row(const Statement& row) {
  Webhook w;
  w.id = row.int64_at(0);
  w.name = row.text_at(1);
  w.url = row.text_at(2);
  w.secret = row.text_at(3);
  w.events = split_list(row.text_at(4));
  w.active = row.int64_at(5) != 0;
  w.version = row.int64_at(6);
  w.updated_at = row.time_at(7);
  return w;
}

Result<WebhookDelivery> delivery_from_row(const Statement& row) {
  auto state = enum_at<DeliveryState>(row, 6, "delivery state");
  if (!state) return error_of(state);
  WebhookDelivery d;
  d.id = row.int64_at(0);
  d.webhook = row.int64_at(1);
  d.event = row.int64_at(2);
  if (const auto rule = row.int64_at(3); rule != 0) d.rule = rule;
  d.event_type = row.text_at(4);
  d.body = row.text_at(5);
  d.state = *state;
  d.attempts = row.int_at(7);
  d.next_attempt_at = row.optional_time_at(8);
  if (!row.is_null(9)) d.last_status = row.int_at(9);
  d.last_error = row.text_at(10);
  d.created_at = row.time_at(11);
  d.finished_at = row.optional_time_at(12);
  return d;
}

const std::string& webhook_select() {
  static const std::string sql = fmt::format("SELECT {} FROM webhooks", kWebhookColumns);
  return sql;
}

const std::string& delivery_select() {
  static const std::string sql = fmt::format("SELECT {} FROM webhook_deliveries", kDeliveryColumns);
  return sql;
}

// The busy webhooks as the JSON array the claim query reads with json_each: one bound text,
// whatever their number.
std::string json_ids(const std::vector<WebhookId>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i)
    out += fmt::format("{}{}", i == 0 ? "" : ",", ids[i]);
  return out + "]";
}

}  // namespace

const std::string& due_deliveries_sql() {
  static const std::string sql = fmt::format(
      "SELECT {} FROM webhook_deliveries WHERE id IN ("
      "SELECT id FROM ("
      "SELECT id, next_attempt_at, row_number() OVER "
      "(PARTITION BY webhook_id ORDER BY next_attempt_at, id) AS n FROM ("
      "SELECT id, webhook_id, next_attempt_at FROM webhook_deliveries "
      "WHERE state = 'pending' AND next_attempt_at <= ? "
      "AND webhook_id NOT IN (SELECT value FROM json_each(?)) "
      "ORDER BY next_attempt_at, id LIMIT {})) "
      "WHERE n <= ? ORDER BY next_attempt_at, id LIMIT ?) "
      "ORDER BY next_attempt_at, id",
      kDeliveryColumns, kClaimScan);
  return sql;
}

// --- webhooks ------------------------------------------------------------------------------

Result<Webhook> save_webhook(Connection& c, const Webhook& w, const Event& event) {
  if (auto ok = joinable(w.events, "events", "event type"); !ok) return error_of(ok);
  auto refused = [&](Error error) -> std::unexpected<Error> {
    if (is_unique_clash(error, "webhooks.name"))
      return fail(ErrorCode::conflict, fmt::format("webhook name '{}' is taken", w.name));
    return std::unexpected(std::move(error));
  };
  WebhookId id = w.id;
  if (id == 0) {
    auto insert = c.prepare(
        "INSERT INTO webhooks (name, url, secret, events, active, version, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 1, ?)");
    if (!insert) return error_of(insert);
    insert->bind_all(w.name, w.url, w.secret, join_list(w.events), w.active, w.updated_at);
    if (auto r = insert->run(); !r) return refused(std::move(r.error()));
    id = c.last_insert_id();
  } else {
    auto update = c.prepare(
        "UPDATE webhooks SET name = ?, url = ?, secret = ?, events = ?, active = ?, "
        "version = version + 1, updated_at = ? WHERE id = ? AND version = ?");
    if (!update) return error_of(update);
    update->bind_all(w.name, w.url, w.secret, join_list(w.events), w.active, w.updated_at, w.id,
                     w.version);
    if (auto r = update->run(); !r) return refused(std::move(r.error()));
    if (c.changes() == 0) {
      // No row matched: the webhook does not exist, or was saved meanwhile.
      if (auto current = load_webhook(c, w.id); !current) return current;
      return fail(ErrorCode::conflict,
                  fmt::format("webhook {} was changed meanwhile (version {} is no longer current)",
                              w.id, w.version));
    }
  }
  if (auto stored = insert_event(c, event); !stored) return error_of(stored);
  return load_webhook(c, id);
}

Result<Webhook> load_webhook(Connection& c, WebhookId id) {
  static const std::string sql = webhook_select() + " WHERE id = ?";
  return one<Webhook>(c, sql, id, webhook_from_row, fmt::format("webhook {}", id));
}

Result<std::vector<Webhook>> load_webhooks(Connection& c) {
  static const std::string sql = webhook_select() + " ORDER BY id";
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  return collect<Webhook>(*statement, webhook_from_row);
}

// --- the queue -----------------------------------------------------------------------------

Result<void> enqueue_deliveries(Connection& c, const std::vector<WebhookDelivery>& deliveries,
                                std::optional<EventId> cursor) {
  for (const auto& d : deliveries) {
    auto insert = c.prepare(
        "INSERT OR IGNORE INTO webhook_deliveries (webhook_id, event_id, rule_id, event_type, "
        "body, state, attempts, next_attempt_at, created_at) "
        "VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)");
    if (!insert) return error_of(insert);
    insert->bind_all(d.webhook, d.event, d.rule.value_or(0), d.event_type, d.body,
                     d.next_attempt_at.value_or(d.created_at), d.created_at);
    // OR IGNORE covers the unique key only: an unknown webhook still fails the write.
    if (auto r = insert->run(); !r) {
      if (is_missing_reference(r.error()))
        return invalid_field("webhook", fmt::format("no webhook with id {}", d.webhook));
      return r;
    }
  }
  if (!cursor) return {};
  return store_feed_cursor(c, kFollower, *cursor);
}

Result<bool> any_delivery_due(Connection& c, Timestamp now) {
  auto statement = c.prepare(
      "SELECT 1 FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? LIMIT 1");
  if (!statement) return error_of(statement);
  statement->bind(now);
  return statement->step();
}

Result<std::vector<WebhookDelivery>> claim_deliveries(Connection& c, Timestamp now,
                                                      std::chrono::milliseconds lease, int limit,
                                                      int per_webhook,
                                                      const std::vector<WebhookId>& busy) {
  auto due = c.prepare(due_deliveries_sql());
  if (!due) return error_of(due);
  due->bind_all(now, json_ids(busy), std::max(per_webhook, 1),
                std::clamp(limit, 1, kMaxClaimedDeliveries));
  auto claimed = collect<WebhookDelivery>(*due, delivery_from_row);
  if (!claimed) return claimed;
  const Timestamp until = now + lease;
  for (auto& d : *claimed) {
    auto lease_it = c.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?");
    if (!lease_it) return error_of(lease_it);
    lease_it->bind_all(until, d.id);
    if (auto r = lease_it->run(); !r) return error_of(r);
    d.next_attempt_at = until;
  }
  return claimed;
}

Result<WebhookDelivery> record_delivery_attempt(Connection& c, const DeliveryAttempt& a) {
  const bool again = !a.delivered && a.retry_at.has_value();
  std::string_view state = a.delivered ? "delivered" : again ? "pending" : "failed";
  // Millis rather than optional times: g++ 12 warns falsely about an optional's copy here.
  std::optional<std::int64_t> next, finished;
  if (again)
    next = to_millis(*a.retry_at);
  else
    finished = to_millis(a.at);
  auto update = c.prepare(
      "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, next_attempt_at = ?, "
      "last_status = ?, last_error = ?, finished_at = ? WHERE id = ? AND state = 'pending'");
  if (!update) return error_of(update);
  update->bind_all(state, next, a.status, a.error, finished, a.delivery);
  if (auto r = update->run(); !r) return error_of(r);
  return load_delivery(c, a.delivery);
}

Result<std::vector<WebhookDelivery>> load_deliveries(Connection& c, WebhookId webhook,
                                                     std::optional<DeliveryId> before, int limit) {
  static const std::string all =
      delivery_select() + " WHERE webhook_id = ? ORDER BY id DESC LIMIT ?";
  static const std::string older =
      delivery_select() + " WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?";
  auto statement = c.prepare(before ? older : all);
  if (!statement) return error_of(statement);
  statement->bind(webhook);
  if (before) statement->bind(*before);
  statement->bind(std::clamp(limit, 1, kMaxDeliveriesPerPage));
  return collect<WebhookDelivery>(*statement, delivery_from_row);
}

Result<WebhookDelivery> load_delivery(Connection& c, DeliveryId id) {
  static const std::string sql = delivery_select() + " WHERE id = ?";
  return one<WebhookDelivery>(c, sql, id, delivery_from_row, fmt::format("delivery {}", id));
}

Result<WebhookDelivery> redeliver(Connection& c, DeliveryId id, Timestamp at) {
  auto update = c.prepare(
      "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, finished_at = NULL "
      "WHERE id = ?");
  if (!update) return error_of(update);
  update->bind_all(at, id);
  if (auto r = update->run(); !r) return error_of(r);
  if (c.changes() == 0) return fail(ErrorCode::not_found, fmt::format("delivery {} not found", id));
  return load_delivery(c, id);
}

Result<std::int64_t> prune_deliveries(Connection& c, Timestamp before, int limit) {
  auto prune = c.prepare(
      "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries "
      "WHERE state <> 'pending' AND finished_at < ? ORDER BY finished_at LIMIT ?)");
  if (!prune) return error_of(prune);
  prune->bind_all(before, std::clamp(limit, 1, kMaxPrunedDeliveries));
  if (auto r = prune->run(); !r) return error_of(r);
  return c.changes();
}

}  // namespace fl::sqlite
