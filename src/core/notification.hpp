// In-app notifications: what a member of staff should look at, derived from the event feed
// (app/notification_service.hpp). Read or unread; never changed otherwise.
#pragma once

#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/names.hpp"
#include "core/time.hpp"

namespace fl {

using NotificationId = std::int64_t;

enum class NotificationKind {
  assigned,
  team_received,
  customer_replied,
  sla_warning,
  sla_breach,
  rule,  // a rule's notify action; the text is the rule's
};
template <>
struct EnumNames<NotificationKind> {
  static constexpr std::array<std::pair<NotificationKind, std::string_view>, 6> table{{
      {NotificationKind::assigned, "assigned"},
      {NotificationKind::team_received, "team_received"},
      {NotificationKind::customer_replied, "customer_replied"},
      {NotificationKind::sla_warning, "sla_warning"},
      {NotificationKind::sla_breach, "sla_breach"},
      {NotificationKind::rule, "rule"},
  }};
};

struct Notification {
  NotificationId id = 0;  // assigned by the store
  UserId user = 0;        // the recipient
  TicketId ticket = 0;
  NotificationKind kind = NotificationKind::assigned;
  EventId event = 0;  // the event it was derived from
  std::string text;   // in the recipient's language
  Timestamp created_at{};
  std::optional<Timestamp> read_at;
};

}  // namespace fl
