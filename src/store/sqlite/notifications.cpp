// Notification rows: see notifications.hpp. The store keeps what the follower derived and
// whether it was read; which events notify whom is the app's (app/notification_service.hpp).
#include "store/sqlite/notifications.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <array>
#include <tuple>

#include "store/sqlite/records.hpp"
#include "store/sqlite/rules.hpp"

namespace fl::sqlite {

namespace {

// The follower's row in feed_cursors.
constexpr std::string_view kFollower = "notifications";

constexpr std::string_view kNotificationColumns =
    "id, user_id, ticket_id, kind, event_id, text, created_at, read_at";

Result<Notification> notification_from_row(const Statement& row) {
  auto kind = enum_at<NotificationKind>(row, 3, "notification kind");
  if (!kind) return error_of(kind);
  Notification n;
  n.id = row.int64_at(0);
  n.user = row.int64_at(1);
  n.ticket = row.int64_at(2);
  n.kind = *kind;
  n.event = row.int64_at(4);
  n.text = row.text_at(5);
  n.created_at = row.time_at(6);
  n.read_at = row.optional_time_at(7);
  return n;
}

// A foreign-key failure names the recipient or ticket that does not exist.
Error explain(Connection& c, Error error, const Notification& n) {
  if (!is_missing_reference(error)) return error;
  for (auto [field, table, id] :
       {std::tuple{"user", Table::users, n.user}, std::tuple{"ticket", Table::tickets, n.ticket}}) {
    auto found = exists(c, table, id);
    if (!found) return std::move(found.error());
    if (!*found) return invalid_field(field, fmt::format("no {} with id {}", field, id)).error();
  }
  return error;
}

}  // namespace

const std::string& notifications_sql(bool unread_only, bool paged) {
  // Index: unread_only + 2 * paged. The text varies with the form only, never with a value.
  static const std::array<std::string, 4> forms = [] {
    std::array<std::string, 4> out;
    for (std::size_t form = 0; form < out.size(); ++form) {
      out[form] =
          fmt::format("SELECT {} FROM notifications WHERE user_id = ?{}{} ORDER BY id DESC LIMIT ?",
                      kNotificationColumns, (form & 1) != 0 ? " AND read_at IS NULL" : "",
                      (form & 2) != 0 ? " AND id < ?" : "");
    }
    return out;
  }();
  return forms[(unread_only ? 1 : 0) + (paged ? 2 : 0)];
}

Result<EventId> load_notification_cursor(Connection& c) {
  return load_feed_cursor(c, kFollower);
}

Result<void> add_notifications(Connection& c, const std::vector<Notification>& notifications,
                               EventId cursor) {
  for (const auto& n : notifications) {
    auto insert = c.prepare(
        "INSERT OR IGNORE INTO notifications "
        "(user_id, ticket_id, kind, event_id, text, created_at, read_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return error_of(insert);
    insert->bind_all(n.user, n.ticket, name_of(n.kind), n.event, n.text, n.created_at, n.read_at);
    // OR IGNORE covers the unique key only: a broken reference still fails the write.
    if (auto r = insert->run(); !r) return std::unexpected(explain(c, std::move(r.error()), n));
  }
  // A follower that restarted from an older cursor must not move it back.
  return store_feed_cursor(c, kFollower, cursor);
}

Result<std::vector<Notification>> load_notifications(Connection& c,
                                                     const NotificationQuery& query) {
  auto statement = c.prepare(notifications_sql(query.unread_only, query.before.has_value()));
  if (!statement) return error_of(statement);
  statement->bind(query.user);
  if (query.before) statement->bind(*query.before);
  statement->bind(std::clamp(query.limit, 1, kMaxNotificationsPerPage));
  return collect<Notification>(*statement, notification_from_row);
}

Result<std::int64_t> count_unread_notifications(Connection& c, UserId user) {
  auto statement = c.prepare(kUnreadNotificationsSql);
  if (!statement) return error_of(statement);
  statement->bind(user);
  auto row = statement->step();
  if (!row) return error_of(row);
  return statement->int64_at(0);
}

Result<std::int64_t> mark_notifications_read(Connection& c, UserId user,
                                             const std::vector<NotificationId>& ids, Timestamp at) {
  if (ids.empty()) {
    auto all =
        c.prepare("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL");
    if (!all) return error_of(all);
    all->bind_all(at, user);
    if (auto r = all->run(); !r) return error_of(r);
    return c.changes();
  }
  // One statement per id keeps the SQL text fixed however many are listed; user_id in the
  // condition leaves other users' notifications alone.
  std::int64_t changed = 0;
  for (NotificationId id : ids) {
    auto one = c.prepare(
        "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL");
    if (!one) return error_of(one);
    one->bind_all(at, id, user);
    if (auto r = one->run(); !r) return error_of(r);
    changed += c.changes();
  }
  return changed;
}

}  // namespace fl::sqlite
