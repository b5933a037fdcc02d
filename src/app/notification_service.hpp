// In-app notifications for staff: derived from the event feed by a follower (follow(), run by
// the scheduler), so they cost the ticket's own commit nothing and a crash loses none (the
// cursor moves in the same write as the notifications it covers). Each in the recipient's
// language. Who is told:
//   assigned          the new assignee (not who assigned themselves)
//   team_received     the members of the team a ticket was escalated, transferred or returned to
//   customer_replied  the assignee, or the team's members while nobody is assigned
//   sla_warning/_breach  whom the SLA ladder step names (assignee, supervisors)
// nobody is told about their own action.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "core/notification.hpp"
#include "store/store.hpp"

namespace fl {

// What deriving needs to know besides the event; looked up by the service.
struct NotificationContext {
  std::function<std::optional<Ticket>(TicketId)> ticket;
  std::function<std::optional<User>(UserId)> user;
  std::function<std::vector<UserId>(TeamId)> team_members;  // active staff of the team
};

// The notifications one event brings (ids 0; the event's id, ticket and time filled in).
[[nodiscard]] std::vector<Notification> notifications_for(const Event& event,
                                                           const NotificationContext& context);

class NotificationService {
 public:
  NotificationService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Derives the notifications of the events after the cursor, at most `max_events`; returns
  // how many events it read (0: up to date). The very first run only sets the cursor to the
  // newest event: notifications start then.
  Result<int> follow(int max_events = 1000);

  // The actor's own (customers have none).
  Result<std::vector<Notification>> list(const Actor& actor, bool unread_only,
                                         std::optional<NotificationId> before, int limit);
  Result<std::int64_t> unread(const Actor& actor);
  // The listed ones, or all when `ids` is empty; returns how many were unread.
  Result<std::int64_t> mark_read(const Actor& actor, const std::vector<NotificationId>& ids);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace fl
