#include "app/ticket_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "app/access.hpp"
#include "app/assignment.hpp"
#include "core/status_machine.hpp"

namespace fl {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxSubject = 500;
constexpr std::size_t kMaxBody = 100'000;
constexpr std::size_t kMaxCategory = 100;
constexpr std::size_t kMaxTags = 32;
constexpr int kCommitAttempts = 5;

Result<std::vector<std::string>> normalise_tags(const std::vector<std::string>& raw) {
  if (raw.size() > kMaxTags) return invalid_field("tags", "at most 32 tags");
  std::vector<std::string> out;
  for (const auto& t : raw) {
    auto tag = normalise_tag(t);
    if (!tag) return invalid_field("tags", "'" + t + "' is not a tag: use 1-64 of a-z 0-9 . _ : -");
    out.push_back(std::move(*tag));
  }
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Event make_event(std::string_view type, const Actor& actor, Timestamp at, json::object payload) {
  Event e;
  e.type = type;
  e.actor = actor.user.id;
  e.at = at;
  // Who acted, as the SLA clocks need it (a staff action answers; a customer's asks).
  payload["by"] = actor.is_staff() ? "staff" : "customer";
  e.payload = json::serialize(payload);
  return e;
}

json::object move_payload(const TicketMove& m) {
  json::object p{{"from_line", m.from_line},
                 {"from_team", m.from_team},
                 {"to_line", m.to_line},
                 {"to_team", m.to_team},
                 {"note", m.note}};
  if (m.reason) p["reason"] = name_of(*m.reason);
  return p;
}

std::string_view move_event_type(MoveKind k) {
  switch (k) {
    case MoveKind::escalation:
      return event_type::escalated;
    case MoveKind::transfer:
      return event_type::transferred;
    case MoveKind::return_:
      return event_type::returned;
  }
  return event_type::ticket_updated;
}

// Sets the status and keeps the facts derived from it (resolution time and line).
void set_status(Ticket& t, TicketStatus to, Timestamp now) {
  if (is_solved(to) && !is_solved(t.status)) {
    t.resolved_at = now;
    t.resolved_at_line = t.line;
  } else if (!is_solved(to)) {
    t.resolved_at.reset();
    t.resolved_at_line.reset();
  }
  t.status = to;
}

json::object status_payload(TicketStatus from, TicketStatus to, std::string_view cause) {
  return {{"from", name_of(from)}, {"to", name_of(to)}, {"cause", cause}};
}

// The team id a move event sends the ticket to, read back from its payload.
std::optional<TeamId> event_to_team(const Event& e) {
  if (e.type != event_type::escalated) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(e.payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  if (auto* to = v.as_object().if_contains("to_team"); to && to->is_int64()) return to->as_int64();
  return std::nullopt;
}

// Read-modify-commit with a retry when another change to the ticket won the race.
template <class Fn>
auto with_retry(Fn&& attempt) -> decltype(attempt()) {
  for (int i = 1;; ++i) {
    auto r = attempt();
    if (r || r.error().code != ErrorCode::conflict || i == kCommitAttempts) return r;
  }
}

}  // namespace

Result<Ticket> TicketService::visible_ticket(const Actor& actor, TicketId id) {
  auto t = store_.ticket(id);
  if (!t) return t;
  if (!may(actor, TicketAction::view, *t))
    return fail(ErrorCode::not_found, "no ticket " + std::to_string(id));
  return t;
}

Result<Team> TicketService::default_team_at(int line) {
  auto teams = store_.teams();
  if (!teams) return std::unexpected(teams.error());
  std::vector<Team> at_line;
  for (auto& t : *teams)
    if (t.line == line) at_line.push_back(t);
  if (at_line.empty())
    return fail(ErrorCode::failed_precondition, "no team at line " + std::to_string(line));
  if (at_line.size() == 1) return at_line.front();
  std::vector<Team> internal;
  for (auto& t : at_line)
    if (t.kind == TeamKind::internal) internal.push_back(t);
  if (internal.size() == 1) return internal.front();
  return invalid_field("to_team", "line " + std::to_string(line) + " has several teams: name one");
}

// Routing of a new ticket: the creating agent's own first-line team; else the outsourced
// desk that serves the requester's organisation; else the internal first-line team.
Result<Team> TicketService::first_line_team(const Actor& actor, const User& requester,
                                            std::optional<TeamId> requested) {
  if (requested) {
    auto t = store_.team(*requested);
    if (!t) return invalid_field("team_id", "no team " + std::to_string(*requested));
    if (t->line != 1) return invalid_field("team_id", "new tickets start at a first-line team");
    return t;
  }
  for (const auto& t : actor.teams)
    if (t.line == 1 && t.kind != TeamKind::vendor) return t;
  auto teams = store_.teams();
  if (!teams) return std::unexpected(teams.error());
  if (requester.organization) {
    for (const auto& t : *teams)
      if (t.line == 1 && t.kind == TeamKind::outsourced &&
          std::ranges::find(t.served_organizations, *requester.organization) !=
              t.served_organizations.end())
        return t;
  }
  for (const auto& t : *teams)
    if (t.line == 1 && t.kind == TeamKind::internal) return t;
  return fail(ErrorCode::failed_precondition, "no first-line team is set up");
}

Result<Ticket> TicketService::create(const Actor& actor, const NewTicket& req) {
  std::vector<FieldError> errors;
  std::string subject = trim(req.subject);
  if (subject.empty()) errors.push_back({"subject", "required"});
  if (subject.size() > kMaxSubject) errors.push_back({"subject", "at most 500 bytes"});
  if (req.description.size() > kMaxBody) errors.push_back({"description", "at most 100000 bytes"});
  if (!is_level(req.impact)) errors.push_back({"impact", "must be 1 (high), 2 or 3 (low)"});
  if (!is_level(req.urgency)) errors.push_back({"urgency", "must be 1 (high), 2 or 3 (low)"});
  std::string category = trim(req.category);
  if (category.size() > kMaxCategory) errors.push_back({"category", "at most 100 bytes"});
  Channel channel = req.channel.value_or(Channel::web);
  if (!actor.is_staff() && (channel == Channel::phone || channel == Channel::email))
    errors.push_back({"channel", "customers open tickets on the web, chat, bot or api channel"});
  if (req.call && req.call->duration_seconds < 0)
    errors.push_back({"call.duration_seconds", "must not be negative"});
  auto tags = normalise_tags(req.tags);
  if (!tags) errors.insert(errors.end(), tags.error().fields.begin(), tags.error().fields.end());
  if (!errors.empty()) return invalid_fields(std::move(errors));

  User requester = actor.user;
  if (req.requester && *req.requester != actor.user.id) {
    if (!may_create_for_others(actor))
      return fail(ErrorCode::permission_denied, "you may open tickets only for yourself");
    auto r = store_.user(*req.requester);
    if (!r) return invalid_field("requester_id", "no user " + std::to_string(*req.requester));
    if (!r->active) return invalid_field("requester_id", "user '" + r->login + "' is inactive");
    requester = *r;
  }
  auto team = first_line_team(actor, requester, req.team);
  if (!team) return std::unexpected(team.error());

  Timestamp now = clock_.now();
  TicketChange change;
  Ticket& t = change.ticket;
  t.subject = subject;
  t.requester = requester.id;
  t.organization = requester.organization;
  t.channel = channel;
  t.category = category;
  t.impact = req.impact;
  t.urgency = req.urgency;
  t.priority = priority_for(req.impact, req.urgency);
  t.status = TicketStatus::new_;
  t.line = 1;
  t.team = team->id;
  t.origin_team = team->id;
  t.tags = std::move(*tags);
  t.customer_contacts = 1;  // the contact that opened it
  t.created_at = now;
  t.updated_at = now;
  if (!trim(req.description).empty())
    change.new_entries.push_back(Entry{.kind = EntryKind::reply,
                                       .author = actor.user.id,
                                       .body = req.description,
                                       .created_at = now});
  if (req.call)
    change.new_entries.push_back(Entry{
        .kind = EntryKind::call, .author = actor.user.id, .call = req.call, .created_at = now});
  change.new_events.push_back(make_event(event_type::ticket_created, actor, now,
                                         {{"subject", t.subject},
                                          {"channel", name_of(t.channel)},
                                          {"requester", t.requester},
                                          {"line", t.line},
                                          {"team", t.team},
                                          {"priority", name_of(t.priority)},
                                          {"call", req.call.has_value()}}));
  if (auto ok = assign_automatically(store_, change, now); !ok) return std::unexpected(ok.error());
  auto committed = commit(change, now);
  if (!committed) return std::unexpected(committed.error());
  return committed->ticket;
}

Result<CommittedChange> TicketService::commit(TicketChange& change, Timestamp now) {
  if (sla_) {
    std::vector<Event> history;
    if (change.ticket.id != 0) {
      auto events = store_.ticket_events(change.ticket.id);
      if (!events) return std::unexpected(events.error());
      history = std::move(*events);
    }
    if (auto ok = sla_->prepare(change, history, now); !ok) return std::unexpected(ok.error());
  }
  return store_.commit(change);
}

Result<Ticket> TicketService::get(const Actor& actor, TicketId id) {
  return visible_ticket(actor, id);
}

Result<TicketPage> TicketService::list(const Actor& actor, TicketQuery query) {
  query.scope = scope_for(actor);
  query.limit = std::clamp(query.limit, 1, 200);
  return store_.tickets(query);
}

Result<std::vector<TimelineItem>> TicketService::timeline(const Actor& actor, TicketId id) {
  auto t = visible_ticket(actor, id);
  if (!t) return std::unexpected(t.error());
  auto entries = store_.entries(id);
  if (!entries) return std::unexpected(entries.error());
  auto events = store_.ticket_events(id);
  if (!events) return std::unexpected(events.error());
  std::vector<TimelineItem> items;
  for (auto& e : *entries)
    if (may_see_entry(actor, *t, e)) items.push_back({std::move(e), std::nullopt});
  for (auto& ev : *events) {
    if (ev.type == event_type::entry_added) continue;  // the entry itself stands in the timeline
    if (may_see_event(actor, *t, ev, event_to_team(ev)))
      items.push_back({std::nullopt, std::move(ev)});
  }
  std::ranges::stable_sort(
      items, [](const TimelineItem& a, const TimelineItem& b) { return a.at() < b.at(); });
  return items;
}

Result<Entry> TicketService::add_entry(const Actor& actor, TicketId id, const NewEntry& req) {
  TicketAction needed = req.kind == EntryKind::reply  ? TicketAction::reply
                        : req.kind == EntryKind::note ? TicketAction::note
                                                      : TicketAction::log_call;
  if (req.body.size() > kMaxBody) return invalid_field("body", "at most 100000 bytes");
  if (req.kind != EntryKind::call && is_blank(req.body)) return invalid_field("body", "required");
  if (req.kind == EntryKind::call) {
    if (!req.call) return invalid_field("direction", "a call needs a direction");
    if (req.call->duration_seconds < 0)
      return invalid_field("duration_seconds", "must not be negative");
  }
  std::lock_guard lock(lock_for(id));
  return with_retry([&]() -> Result<Entry> {
    auto t = visible_ticket(actor, id);
    if (!t) return std::unexpected(t.error());
    if (!may(actor, needed, *t))
      return fail(ErrorCode::permission_denied,
                  "you may not add a " + std::string(name_of(req.kind)) + " to this ticket");
    if (t->status == TicketStatus::closed)
      return fail(ErrorCode::failed_precondition, "the ticket is closed; open a new one");
    Timestamp now = clock_.now();
    TicketChange change;
    change.ticket = *t;
    Ticket& ticket = change.ticket;
    TicketStatus before = ticket.status;
    bool from_customer = actor.user.role == Role::customer;
    if (from_customer || req.kind == EntryKind::call) ++ticket.customer_contacts;
    if (from_customer && req.kind == EntryKind::reply) {
      set_status(ticket, status_after_customer_reply(before), now);
    } else if (actor.is_staff() && before == TicketStatus::new_ && req.kind != EntryKind::note) {
      set_status(ticket, TicketStatus::open, now);  // the desk has answered
    }
    ticket.updated_at = now;
    change.new_entries.push_back(
        Entry{.kind = req.kind,
              .author = actor.user.id,
              .body = req.body,
              .call = req.kind == EntryKind::call ? req.call : std::nullopt,
              .created_at = now});
    change.new_events.push_back(
        make_event(event_type::entry_added, actor, now, {{"kind", name_of(req.kind)}}));
    if (ticket.status != before)
      change.new_events.push_back(
          make_event(event_type::status_changed, actor, now,
                     status_payload(before, ticket.status,
                                    from_customer ? "customer_reply" : "agent_response")));
    auto committed = commit(change, now);
    if (!committed) return std::unexpected(committed.error());
    return committed->entries.front();
  });
}

Result<Ticket> TicketService::update(const Actor& actor, TicketId id, const TicketPatch& p) {
  std::vector<FieldError> errors;
  if (p.impact && !is_level(*p.impact))
    errors.push_back({"impact", "must be 1 (high), 2 or 3 (low)"});
  if (p.urgency && !is_level(*p.urgency))
    errors.push_back({"urgency", "must be 1 (high), 2 or 3 (low)"});
  if (p.category && p.category->size() > kMaxCategory)
    errors.push_back({"category", "at most 100 bytes"});
  if (p.vendor_reference && p.vendor_reference->size() > 200)
    errors.push_back({"vendor_reference", "at most 200 bytes"});
  std::optional<std::vector<std::string>> tags;
  if (p.tags) {
    auto n = normalise_tags(*p.tags);
    if (!n)
      errors.insert(errors.end(), n.error().fields.begin(), n.error().fields.end());
    else
      tags = std::move(*n);
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  if (p.assignee && *p.assignee) {
    auto u = store_.user(**p.assignee);
    if (!u || u->role == Role::customer || !u->active)
      return invalid_field("assignee_id", "no active agent " + std::to_string(**p.assignee));
  }

  std::lock_guard lock(lock_for(id));
  return with_retry([&]() -> Result<Ticket> {
    auto t = visible_ticket(actor, id);
    if (!t) return std::unexpected(t.error());
    auto deny = [](std::string what) {
      return fail(ErrorCode::permission_denied, "you may not change " + what + " of this ticket");
    };
    bool fields = p.impact || p.urgency || p.category || p.tags;
    if (fields && !may(actor, TicketAction::update, *t)) return deny("the fields");
    if (p.status && !may(actor, TicketAction::set_status, *t)) return deny("the status");
    if (p.assignee && !may(actor, TicketAction::assign, *t)) return deny("the assignee");
    if (p.vendor_reference && !may(actor, TicketAction::set_vendor_reference, *t))
      return deny("the vendor reference");

    Timestamp now = clock_.now();
    TicketChange change;
    change.ticket = *t;
    Ticket& ticket = change.ticket;
    json::object changes;
    auto changed = [&](std::string_view field, json::value from, json::value to) {
      if (from != to)
        changes[field] = json::object{{"from", std::move(from)}, {"to", std::move(to)}};
    };
    if (p.assignee && *p.assignee) {
      auto u = store_.user(**p.assignee);
      if (!u) return std::unexpected(u.error());
      bool member = std::ranges::find(u->teams, ticket.team) != u->teams.end();
      if (!member && u->role == Role::agent)
        return invalid_field("assignee_id", "'" + u->login + "' is not in the ticket's team");
    }
    if (p.assignee) {
      json::value from = ticket.assignee ? json::value(*ticket.assignee) : json::value(nullptr);
      json::value to = *p.assignee ? json::value(**p.assignee) : json::value(nullptr);
      changed("assignee", from, to);
      ticket.assignee = *p.assignee;
    }
    if (p.impact || p.urgency) {
      int impact = p.impact.value_or(ticket.impact), urgency = p.urgency.value_or(ticket.urgency);
      changed("impact", ticket.impact, impact);
      changed("urgency", ticket.urgency, urgency);
      Priority pr = priority_for(impact, urgency);
      changed("priority", json::string(name_of(ticket.priority)), json::string(name_of(pr)));
      ticket.impact = impact;
      ticket.urgency = urgency;
      ticket.priority = pr;
    }
    if (p.category) {
      std::string c = trim(*p.category);
      changed("category", json::string(ticket.category), json::string(c));
      ticket.category = c;
    }
    if (tags) {
      json::array from(ticket.tags.begin(), ticket.tags.end()), to(tags->begin(), tags->end());
      changed("tags", from, to);
      ticket.tags = *tags;
    }
    if (p.vendor_reference) {
      std::string v = trim(*p.vendor_reference);
      changed("vendor_reference", json::string(ticket.vendor_reference), json::string(v));
      ticket.vendor_reference = v;
    }
    TicketStatus before = ticket.status;
    if (p.status) {
      if (auto ok = check_transition(before, *p.status); !ok) return std::unexpected(ok.error());
      set_status(ticket, *p.status, now);
    }
    if (changes.empty() && ticket.status == before) return *t;  // nothing to record
    ticket.updated_at = now;
    if (!changes.empty())
      change.new_events.push_back(
          make_event(event_type::ticket_updated, actor, now, {{"changes", std::move(changes)}}));
    if (ticket.status != before)
      change.new_events.push_back(make_event(event_type::status_changed, actor, now,
                                             status_payload(before, ticket.status, "update")));
    auto committed = commit(change, now);
    if (!committed) return std::unexpected(committed.error());
    return committed->ticket;
  });
}

Result<MovedTicket> TicketService::move(
    const Actor& actor, TicketId id, TicketAction action,
    const std::function<Result<TicketMove>(const Ticket&)>& plan) {
  std::lock_guard lock(lock_for(id));
  return with_retry([&]() -> Result<MovedTicket> {
    auto t = visible_ticket(actor, id);
    if (!t) return std::unexpected(t.error());
    if (!may(actor, action, *t))
      return fail(ErrorCode::permission_denied,
                  "only the team holding the ticket (or a supervisor) may " +
                      std::string(action == TicketAction::return_ ? "return" : name_of(action)) +
                      " it");
    auto planned = plan(*t);
    if (!planned) return std::unexpected(planned.error());
    Timestamp now = clock_.now();
    TicketChange change;
    change.ticket = *t;
    apply_move(change.ticket, *planned);
    change.ticket.updated_at = now;
    change.new_events.push_back(
        make_event(move_event_type(planned->kind), actor, now, move_payload(*planned)));
    if (auto ok = assign_automatically(store_, change, now); !ok)
      return std::unexpected(ok.error());
    auto committed = commit(change, now);
    if (!committed) return std::unexpected(committed.error());
    return MovedTicket{committed->ticket, RecordedMove{*planned, actor.user.id, now}};
  });
}

Result<MovedTicket> TicketService::escalate(const Actor& actor, TicketId id,
                                            const EscalationRequest& req) {
  if (!is_ticket_line(req.to_line)) return invalid_field("to_line", "must be a line from 1 to 4");
  if (is_blank(req.handoff_note))
    return invalid_field("handoff_note", "required: say what was already tried");
  Result<Team> target = req.to_team ? store_.team(*req.to_team) : default_team_at(req.to_line);
  if (!target) {
    if (target.error().code == ErrorCode::not_found)
      return invalid_field("to_team", "no team " + std::to_string(*req.to_team));
    return std::unexpected(target.error());
  }
  return move(actor, id, TicketAction::escalate, [&](const Ticket& t) {
    return plan_escalation(t, req.to_line, *target, req.reason, req.handoff_note);
  });
}

Result<MovedTicket> TicketService::transfer(const Actor& actor, TicketId id,
                                            const TransferRequest& req) {
  auto target = store_.team(req.to_team);
  if (!target) return invalid_field("to_team", "no team " + std::to_string(req.to_team));
  return move(actor, id, TicketAction::transfer,
              [&](const Ticket& t) { return plan_transfer(t, *target, req.note); });
}

Result<MovedTicket> TicketService::return_to(const Actor& actor, TicketId id,
                                             const ReturnRequest& req) {
  if (req.to_line && !is_ticket_line(*req.to_line))
    return invalid_field("to_line", "must be a line from 1 to 4");
  if (is_blank(req.note)) return invalid_field("note", "required: say why the ticket comes back");
  return move(actor, id, TicketAction::return_, [&](const Ticket& t) -> Result<TicketMove> {
    Result<Team> target = fail(ErrorCode::internal, "unset");
    int line = req.to_line.value_or(1);
    if (req.to_team) {
      target = store_.team(*req.to_team);
      if (!target) return invalid_field("to_team", "no team " + std::to_string(*req.to_team));
      if (req.to_line && target->line != *req.to_line)
        return invalid_field("to_team", "team '" + target->name + "' is not at line " +
                                            std::to_string(*req.to_line));
    } else if (line == 1 && t.origin_team != 0) {
      target = store_.team(t.origin_team);
    } else {
      target = default_team_at(line);
    }
    if (!target) return std::unexpected(target.error());
    return plan_return(t, *target, req.note);
  });
}

}  // namespace fl
