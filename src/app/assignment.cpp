#include "app/assignment.hpp"

#include <unordered_map>

#include "app/event_json.hpp"
#include "core/assignment.hpp"

namespace fl {

namespace json = boost::json;

Result<void> assign_automatically(Store& store, TicketChange& change, Timestamp now) {
  Ticket& t = change.ticket;
  if (t.assignee || is_solved(t.status) || t.team == 0) return {};
  auto team = store.team(t.team);
  if (!team) return std::unexpected(team.error());
  if (team->assignment == AssignmentMode::manual) return {};
  auto load = store.assignment_load(t.team);
  if (!load) return std::unexpected(load.error());
  auto agents = store.users(Role::agent);
  if (!agents) return std::unexpected(agents.error());
  std::unordered_map<UserId, const User*> by_id;
  for (const auto& u : *agents) by_id[u.id] = &u;
  std::vector<AssignmentCandidate> members;
  for (const auto& l : *load) {
    auto it = by_id.find(l.user);
    if (it == by_id.end() || !it->second->active) continue;  // agents only
    members.push_back({l.user, it->second->availability, it->second->skills, l.last_assigned_at,
                       l.open_tickets});
  }
  AssignmentNeeds needs{t.category, ""};
  if (auto requester = store.user(t.requester)) needs.language = requester->language;
  auto chosen = choose_assignee(team->assignment, team->skill_routing, members, needs);
  if (!chosen) return {};
  t.assignee = *chosen;
  change.automatic_assignment = AutomaticAssignment{*chosen, now};
  change.new_events.push_back(event_with(
      event_type::ticket_updated, now,
      {{"changes", json::object{{"assignee", json::object{{"from", nullptr}, {"to", *chosen}}}}},
       {"assigned_by", name_of(team->assignment)},
       {"by", "system"}}));
  return {};
}

}  // namespace fl
