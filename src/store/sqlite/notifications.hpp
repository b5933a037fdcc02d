// In-app notification rows and the notification follower's cursor in the event feed. Writes
// run on the writer connection inside their savepoint (see mutations.hpp); reads on a
// borrowed read connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

inline constexpr int kMaxNotificationsPerPage = 200;

// The listing's query for one form: parameters the user, then `before` if `paged`, then the
// limit. Served by notifications_user, or notifications_unread for `unread_only`, in id order
// without a sort (migration 10); shown for white-box tests of its plan.
[[nodiscard]] const std::string& notifications_sql(bool unread_only, bool paged);

// The unread badge's count, parameter the user: from notifications_unread alone (covering).
inline constexpr std::string_view kUnreadNotificationsSql =
    "SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL";

// 0 when the follower has never stored one.
[[nodiscard]] Result<EventId> load_notification_cursor(Connection& c);
// A repeat (same event, user and kind) is skipped; the cursor only moves forward. A missing
// user or ticket: invalid_argument naming it.
[[nodiscard]] Result<void> add_notifications(Connection& c,
                                             const std::vector<Notification>& notifications,
                                             EventId cursor);
// `query.limit` is clamped to 1..kMaxNotificationsPerPage.
[[nodiscard]] Result<std::vector<Notification>> load_notifications(Connection& c,
                                                                   const NotificationQuery& query);
[[nodiscard]] Result<std::int64_t> count_unread_notifications(Connection& c, UserId user);
[[nodiscard]] Result<std::int64_t> mark_notifications_read(Connection& c, UserId user,
                                                           const std::vector<NotificationId>& ids,
                                                           Timestamp at);

}  // namespace fl::sqlite
