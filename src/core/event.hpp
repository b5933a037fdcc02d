// Every change is an event appended in the same transaction as the change: the ticket's
// history, and the feed for live updates, webhooks and reports.
#pragma once

#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace fl {

namespace event_type {
inline constexpr std::string_view ticket_created = "ticket.created";
inline constexpr std::string_view ticket_updated = "ticket.updated";
inline constexpr std::string_view status_changed = "ticket.status_changed";
inline constexpr std::string_view entry_added = "ticket.entry_added";
inline constexpr std::string_view escalated = "ticket.escalated";
inline constexpr std::string_view transferred = "ticket.transferred";
inline constexpr std::string_view returned = "ticket.returned";
inline constexpr std::string_view ticket_rated = "ticket.rated";
// A live chat on the ticket was asked for, accepted or ended (app/live_chat.hpp).
inline constexpr std::string_view live_chat = "ticket.live_chat";
inline constexpr std::string_view user_created = "user.created";
inline constexpr std::string_view team_created = "team.created";
inline constexpr std::string_view team_updated = "team.updated";
inline constexpr std::string_view user_updated = "user.updated";
inline constexpr std::string_view organization_created = "organization.created";
inline constexpr std::string_view organization_updated = "organization.updated";
inline constexpr std::string_view article_saved = "article.saved";
inline constexpr std::string_view revision_proposed = "article.revision_proposed";
inline constexpr std::string_view revision_discarded = "article.revision_discarded";
inline constexpr std::string_view category_created = "category.created";
inline constexpr std::string_view category_changed = "category.changed";
inline constexpr std::string_view article_linked = "ticket.article_linked";
inline constexpr std::string_view synonyms_changed = "kb.synonyms_changed";
inline constexpr std::string_view sla_policy_applied = "sla.policy_applied";
inline constexpr std::string_view sla_step_fired = "sla.step_fired";
inline constexpr std::string_view sla_breached = "sla.breached";
inline constexpr std::string_view sla_calendar_saved = "sla.calendar_saved";
inline constexpr std::string_view sla_policy_saved = "sla.policy_saved";
inline constexpr std::string_view macro_saved = "macro.saved";
inline constexpr std::string_view rule_saved = "rule.saved";
inline constexpr std::string_view rule_fired = "rule.fired";
inline constexpr std::string_view bot_flow_saved = "bot.flow_saved";
// The staffing plan (a settings document, app/staffing_service.hpp) was replaced.
inline constexpr std::string_view staffing_plan_saved = "staffing.plan_saved";
}  // namespace event_type

struct Event {
  EventId id = 0;  // assigned by the store; strictly increasing: the feed's cursor
  std::string type;
  std::optional<TicketId> ticket;
  std::optional<std::int64_t> article;  // an ArticleId (core/article.hpp) for knowledge-base events
  std::optional<UserId> actor;  // empty for the system
  Timestamp at{};
  std::string payload;  // a JSON object, written by app/
};

}  // namespace fl
