// The access matrix. Lines are the backbone: an internal agent sees the tickets of their
// teams' lines and below; the first-line team that took a ticket keeps it in sight after
// escalation (single point of contact); outsourced desks are fenced to their team and the
// organisations they serve; vendors see only what is escalated to them.
#include "app/access.hpp"

#include <algorithm>

namespace fl {

namespace {

bool is_manager(const Actor& a) {
  return a.user.role == Role::supervisor || a.user.role == Role::admin;
}

std::vector<TeamId> ids_of_kind(const Actor& a, TeamKind kind) {
  std::vector<TeamId> out;
  for (const auto& t : a.teams)
    if (t.kind == kind) out.push_back(t.id);
  return out;
}

// The clauses that give desk access (internal and outsourced teams): full working rights.
TicketScope desk_scope(const Actor& a) {
  TicketScope s;
  int max_internal_line = 0;
  std::vector<TeamId> internal = ids_of_kind(a, TeamKind::internal);
  for (const auto& t : a.teams) {
    if (t.kind == TeamKind::internal) max_internal_line = std::max(max_internal_line, t.line);
    if (t.kind == TeamKind::outsourced) {
      s.any_of.push_back(ScopeClause{.team_in = std::vector{t.id}});
      s.any_of.push_back(ScopeClause{.origin_team_in = std::vector{t.id}});
      if (!t.served_organizations.empty())
        s.any_of.push_back(
            ScopeClause{.max_line = t.line, .organization_in = t.served_organizations});
    }
  }
  if (max_internal_line > 0) {
    s.any_of.push_back(ScopeClause{.max_line = max_internal_line});
    s.any_of.push_back(ScopeClause{.origin_team_in = internal});
  }
  return s;
}

TicketScope vendor_scope(const Actor& a) {
  TicketScope s;
  auto vendors = ids_of_kind(a, TeamKind::vendor);
  if (!vendors.empty()) s.any_of.push_back(ScopeClause{.team_in = vendors});
  return s;
}

bool vendor_only(const Actor& a) {
  return a.user.role == Role::agent && !a.teams.empty() &&
         std::ranges::all_of(a.teams, [](const Team& t) { return t.kind == TeamKind::vendor; });
}

}  // namespace

TicketScope scope_for(const Actor& actor) {
  switch (actor.user.role) {
    case Role::supervisor:
    case Role::admin:
      return TicketScope::all();
    case Role::customer: {
      TicketScope s;
      s.any_of.push_back(ScopeClause{.requester = actor.user.id});
      if (actor.organization && actor.organization->customers_see_all_tickets)
        s.any_of.push_back(ScopeClause{.organization_in = std::vector{actor.organization->id}});
      return s;
    }
    case Role::agent: {
      TicketScope s = desk_scope(actor);
      for (auto& c : vendor_scope(actor).any_of) s.any_of.push_back(std::move(c));
      return s;
    }
  }
  return {};
}

bool may(const Actor& actor, TicketAction action, const Ticket& ticket) {
  using A = TicketAction;
  if (is_manager(actor)) return true;
  if (actor.user.role == Role::customer) {
    if (!scope_for(actor).matches(ticket)) return false;
    return action == A::view || action == A::reply;
  }
  bool holder = actor.in_team(ticket.team);
  if (desk_scope(actor).matches(ticket)) {
    switch (action) {
      case A::escalate:
      case A::transfer:
      case A::return_:
        return holder;
      default:
        return true;
    }
  }
  if (vendor_scope(actor).matches(ticket)) {
    switch (action) {
      case A::view:
      case A::reply:
      case A::note:
      case A::set_status:
      case A::assign:
      case A::set_vendor_reference:
      case A::return_:
        return true;
      default:
        return false;
    }
  }
  return false;
}

bool may_see_entry(const Actor& actor, const Ticket& ticket, const Entry& entry) {
  return is_public(entry.kind) || may(actor, TicketAction::view_internal, ticket);
}

bool may_see_event(const Actor& actor, const Ticket& ticket, const Event& event,
                   std::optional<TeamId> event_to_team) {
  if (may(actor, TicketAction::view_internal, ticket)) return true;
  if (event.type == event_type::ticket_created || event.type == event_type::status_changed)
    return true;
  // A vendor reads the hand-off note of the escalation that brought the ticket to it.
  return event.type == event_type::escalated && event_to_team && actor.in_team(*event_to_team) &&
         actor.user.role == Role::agent;
}

bool may_create_for_others(const Actor& actor) {
  if (is_manager(actor)) return true;
  return actor.user.role == Role::agent && !vendor_only(actor);
}

bool may(const Actor& actor, DirectoryAction action) {
  switch (action) {
    case DirectoryAction::list:
      return actor.user.role != Role::customer && !vendor_only(actor);
    case DirectoryAction::manage:
      return actor.user.role == Role::admin;
  }
  return false;
}

bool may_edit_profile(const Actor& actor, UserId user) {
  return actor.user.active && actor.user.id == user;
}

bool may_look_up_callers(const Actor& actor) { return may(actor, DirectoryAction::list); }

bool may_write_articles(const Actor& actor) {
  if (is_manager(actor)) return true;
  return actor.user.role == Role::agent && !vendor_only(actor);
}

bool may_publish_articles(const Actor& actor) { return is_manager(actor); }

bool may_manage_routing(const Actor& actor) { return is_manager(actor); }

bool may_manage_macros(const Actor& actor) { return is_manager(actor); }

bool may_read_rules(const Actor& actor) { return is_manager(actor); }

bool may_manage_rules(const Actor& actor) { return actor.user.role == Role::admin; }

bool may_read_bot_flows(const Actor& actor) { return is_manager(actor); }

bool may_read_reports(const Actor& actor) { return is_manager(actor); }

bool may_plan_staffing(const Actor& actor) { return is_manager(actor); }

bool may_manage_bot_flows(const Actor& actor) { return actor.user.role == Role::admin; }

bool may_set_availability(const Actor& actor, UserId user) {
  return is_manager(actor) || (actor.is_staff() && actor.user.id == user);
}

bool may_read_sla_settings(const Actor& actor) { return may(actor, DirectoryAction::list); }

bool may_manage_sla_settings(const Actor& actor) { return actor.user.role == Role::admin; }

bool may_rate(const Actor& actor, const Ticket& ticket) {
  return ticket.requester == actor.user.id && may(actor, TicketAction::view, ticket);
}

bool may_see_rating(const Actor& actor, const Ticket& ticket) {
  return actor.is_staff() || ticket.requester == actor.user.id;
}

bool may_see_queues(const Actor& actor) { return actor.is_staff(); }

bool may_share_views(const Actor& actor) { return is_manager(actor); }

bool may_manage_webhooks(const Actor& actor) { return actor.user.role == Role::admin; }

bool may_read(const Actor& actor, const Article& article) {
  if (may_write_articles(actor)) return true;
  return article.status == ArticleStatus::published && article.audience == Audience::public_;
}

}  // namespace fl
