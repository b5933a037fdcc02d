#include "app/live_match.hpp"

#include "app/access.hpp"
#include "app/event_json.hpp"

namespace fl::live {

namespace {

namespace json = boost::json;

std::optional<UserId> optional_user(const json::object& o, std::string_view key) {
  if (auto n = number_at(o, key); n && *n > 0) return *n;
  return std::nullopt;
}

// May the actor see this event of a ticket they may view? As the timeline decides: an entry
// by its kind (the timeline shows the entry itself), anything else by access.hpp.
bool sees_event(const Actor& actor, const Ticket& t, const Event& e, const EventFacts& f) {
  if (e.type == event_type::entry_added) {
    Entry entry;
    entry.kind = f.entry.value_or(EntryKind::note);  // unknown: internal
    return may_see_entry(actor, t, entry);
  }
  return may_see_event(actor, t, e,
                       e.type == event_type::escalated && f.to_team
                           ? std::optional<TeamId>(f.to_team)
                           : std::nullopt);
}

}  // namespace

EventFacts facts_of(const Event& e) {
  EventFacts f;
  f.created = e.type == event_type::ticket_created;
  f.move = e.type == event_type::escalated || e.type == event_type::transferred ||
           e.type == event_type::returned;
  const bool updated = e.type == event_type::ticket_updated;
  const bool entry = e.type == event_type::entry_added;
  if (!f.move && !updated && !entry) return f;
  json::object p = payload_of(e);
  if (f.move) {
    f.from_line = static_cast<int>(number_at(p, "from_line").value_or(0));
    f.to_line = static_cast<int>(number_at(p, "to_line").value_or(0));
    f.from_team = number_at(p, "from_team").value_or(0);
    f.to_team = number_at(p, "to_team").value_or(0);
  } else if (updated) {
    auto* changes = p.if_contains("changes");
    auto* assignee =
        changes && changes->is_object() ? changes->as_object().if_contains("assignee") : nullptr;
    if (assignee && assignee->is_object()) {
      f.assignee_changed = true;
      f.assignee_from = optional_user(assignee->as_object(), "from");
      f.assignee_to = optional_user(assignee->as_object(), "to");
    }
  } else {
    f.entry = parse_name<EntryKind>(text_at(p, "kind"));
  }
  return f;
}

std::optional<Ticket> undo(const Ticket& after, const EventFacts& f,
                           std::optional<UserId> held_by) {
  if (f.created) return std::nullopt;
  Ticket before = after;
  if (f.move) {
    if (f.from_team) before.team = f.from_team;
    if (f.from_line) before.line = f.from_line;
    before.assignee = held_by;
  } else if (f.assignee_changed) {
    before.assignee = f.assignee_from;
  }
  return before;
}

std::optional<UserId> assignee_before(const std::vector<Event>& history, EventId id) {
  std::optional<UserId> who;
  for (const auto& e : history) {
    if (e.id >= id) break;
    EventFacts f = facts_of(e);
    if (f.move) who.reset();
    if (f.assignee_changed) who = f.assignee_to;
  }
  return who;
}

Verdict judge(const Actor& actor, const Interest& interest, const TicketStates& s, const Event& e) {
  const EventFacts& f = s.facts;
  if (interest.follows(actor, s.after) && may(actor, TicketAction::view, s.after))
    return sees_event(actor, s.after, e, f) ? Verdict::event : Verdict::ticket;
  if (s.before && interest.follows(actor, *s.before) && may(actor, TicketAction::view, *s.before))
    return Verdict::left;
  return Verdict::none;
}

Reach reach_of(const Actor& actor) {
  Reach r;
  const TicketScope scope = scope_for(actor);
  r.everything = scope.everything;
  for (const auto& c : scope.any_of) {
    if (c.team_in)
      r.teams.insert(r.teams.end(), c.team_in->begin(), c.team_in->end());
    else if (c.requester)
      r.requesters.push_back(*c.requester);
    else if (c.organization_in)
      r.organizations.insert(r.organizations.end(), c.organization_in->begin(),
                             c.organization_in->end());
    else if (c.origin_team_in)
      r.origins.insert(r.origins.end(), c.origin_team_in->begin(), c.origin_team_in->end());
    else
      r.everything = true;
  }
  return r;
}

}  // namespace fl::live
