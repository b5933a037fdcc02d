// Access rules: who may see and do what. The one place they are decided; services ask
// here, the store filters lists by the TicketScope decided here.
#pragma once

#include "app/actor.hpp"
#include "core/article.hpp"
#include "core/event.hpp"
#include "core/names.hpp"
#include "core/ticket.hpp"
#include "core/ticket_scope.hpp"

namespace fl {

enum class TicketAction {
  view,           // the ticket and its public timeline
  view_internal,  // internal notes, calls and internal events
  reply,          // public reply
  note,           // internal note
  log_call,       // call entry
  set_status,
  update,  // impact/urgency, category, tags
  assign,  // change assignee
  set_vendor_reference,
  escalate,
  transfer,
  return_,
};
template <>
struct EnumNames<TicketAction> {
  static constexpr std::array<std::pair<TicketAction, std::string_view>, 12> table{{
      {TicketAction::view, "view"},
      {TicketAction::view_internal, "view_internal"},
      {TicketAction::reply, "reply"},
      {TicketAction::note, "note"},
      {TicketAction::log_call, "log_call"},
      {TicketAction::set_status, "set_status"},
      {TicketAction::update, "update"},
      {TicketAction::assign, "assign"},
      {TicketAction::set_vendor_reference, "set_vendor_reference"},
      {TicketAction::escalate, "escalate"},
      {TicketAction::transfer, "transfer"},
      {TicketAction::return_, "return"},
  }};
};

enum class DirectoryAction { list, manage };

// The tickets the actor may see.
[[nodiscard]] TicketScope scope_for(const Actor& actor);

// May the actor do `action` on `ticket`? Always false when the ticket is not in scope.
[[nodiscard]] bool may(const Actor& actor, TicketAction action, const Ticket& ticket);

// For timeline filtering: may the actor see this entry / this system event of a ticket
// they can view? Vendors see public replies and the hand-off note of escalations to them.
[[nodiscard]] bool may_see_entry(const Actor& actor, const Ticket& ticket, const Entry& entry);
[[nodiscard]] bool may_see_event(const Actor& actor, const Ticket& ticket, const Event& event,
                                 std::optional<TeamId> event_to_team);

// Create tickets: everybody for themselves; staff (not vendors) on behalf of a requester.
[[nodiscard]] bool may_create_for_others(const Actor& actor);

// Users, teams, organisations: staff may list, admins manage.
[[nodiscard]] bool may(const Actor& actor, DirectoryAction action);

// One's own profile (name, language, phone): every signed-in user, for themselves only.
[[nodiscard]] bool may_edit_profile(const Actor& actor, UserId user);
// The caller lookup on the phone (who is calling, their open tickets): staff but vendors, as
// for listing users; the tickets shown are still only those the actor may see.
[[nodiscard]] bool may_look_up_callers(const Actor& actor);

// Knowledge base. Everybody (a guest too) reads published public articles; staff other
// than vendors read everything; they write articles, and supervisors and admins publish,
// archive and manage categories.
[[nodiscard]] bool may_read(const Actor& actor, const Article& article);
[[nodiscard]] bool may_write_articles(const Actor& actor);
[[nodiscard]] bool may_publish_articles(const Actor& actor);

// Automatic assignment: supervisors and admins set a team's routing and an agent's skills;
// staff set their own availability, supervisors and admins anyone's.
[[nodiscard]] bool may_manage_routing(const Actor& actor);
[[nodiscard]] bool may_set_availability(const Actor& actor, UserId user);
// Macros: supervisors and admins keep them; staff use those for everyone and for their teams.
[[nodiscard]] bool may_manage_macros(const Actor& actor);

// Rules: supervisors and admins read them, admins change them.
[[nodiscard]] bool may_read_rules(const Actor& actor);
[[nodiscard]] bool may_manage_rules(const Actor& actor);

// The chatbot's flows: supervisors and admins read them, admins change them.
[[nodiscard]] bool may_read_bot_flows(const Actor& actor);
[[nodiscard]] bool may_manage_bot_flows(const Actor& actor);

// The service-desk reports and their drill-down: supervisors and admins (the tickets behind a
// number are still only those they may view).
[[nodiscard]] bool may_read_reports(const Actor& actor);
// The staffing plan (planned shifts per desk): supervisors and admins, who read the staffing
// report and the what-if as a report.
[[nodiscard]] bool may_plan_staffing(const Actor& actor);

// SLA calendars and policies: staff other than vendors read them, admins change them. Staff
// who may view a ticket see its clocks; customers do not.
[[nodiscard]] bool may_read_sla_settings(const Actor& actor);
[[nodiscard]] bool may_manage_sla_settings(const Actor& actor);

// CSAT: the requester rates their own ticket; staff and the requester see the rating (not
// the requester's colleagues who may see the ticket).
[[nodiscard]] bool may_rate(const Actor& actor, const Ticket& ticket);
[[nodiscard]] bool may_see_rating(const Actor& actor, const Ticket& ticket);

// Queue counts: staff. Saved views: everyone keeps their own; supervisors and admins share
// theirs with their teams.
[[nodiscard]] bool may_see_queues(const Actor& actor);
[[nodiscard]] bool may_share_views(const Actor& actor);

// Outbound webhooks (their URLs, secrets and delivery log): admins.
[[nodiscard]] bool may_manage_webhooks(const Actor& actor);

}  // namespace fl
