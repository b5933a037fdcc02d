#include "app/ticket_patch.hpp"

#include <algorithm>

#include "core/status_machine.hpp"
#include "core/text.hpp"

namespace fl {

namespace json = boost::json;

namespace {
constexpr std::size_t kMaxTags = 32;
constexpr std::size_t kMaxCategory = 100;
constexpr std::size_t kMaxVendorReference = 200;
}  // namespace

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

Result<TicketPatch> checked_patch(Store& store, const TicketPatch& p) {
  std::vector<FieldError> errors;
  TicketPatch out = p;
  if (p.impact && !is_level(*p.impact))
    errors.push_back({"impact", "must be 1 (high), 2 or 3 (low)"});
  if (p.urgency && !is_level(*p.urgency))
    errors.push_back({"urgency", "must be 1 (high), 2 or 3 (low)"});
  if (p.category && p.category->size() > kMaxCategory)
    errors.push_back({"category", "at most 100 bytes"});
  if (p.vendor_reference && p.vendor_reference->size() > kMaxVendorReference)
    errors.push_back({"vendor_reference", "at most 200 bytes"});
  if (p.tags) {
    auto n = normalise_tags(*p.tags);
    if (!n)
      errors.insert(errors.end(), n.error().fields.begin(), n.error().fields.end());
    else
      out.tags = std::move(*n);
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  if (p.assignee && *p.assignee) {
    auto u = store.user(**p.assignee);
    if (!u || u->role == Role::customer || !u->active)
      return invalid_field("assignee_id", "no active agent " + std::to_string(**p.assignee));
  }
  return out;
}

Result<bool> apply_patch(Store& store, TicketChange& change, const TicketPatch& p, Timestamp now,
                         std::string_view cause, const EventMaker& make) {
  Ticket& ticket = change.ticket;
  json::object changes;
  auto changed = [&](std::string_view field, json::value from, json::value to) {
    if (from != to) changes[field] = json::object{{"from", std::move(from)}, {"to", std::move(to)}};
  };
  if (p.assignee && *p.assignee) {
    auto u = store.user(**p.assignee);
    if (!u) return std::unexpected(u.error());
    bool member = std::ranges::find(u->teams, ticket.team) != u->teams.end();
    if (!member && u->role == Role::agent)
      return invalid_field("assignee_id", "'" + u->login + "' is not in the ticket's team");
  }
  TicketStatus before = ticket.status;
  if (p.status && *p.status != before)
    if (auto ok = check_transition(before, *p.status); !ok) return std::unexpected(ok.error());
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
  if (p.tags) {
    json::array from(ticket.tags.begin(), ticket.tags.end()), to(p.tags->begin(), p.tags->end());
    changed("tags", from, to);
    ticket.tags = *p.tags;
  }
  if (p.vendor_reference) {
    std::string v = trim(*p.vendor_reference);
    changed("vendor_reference", json::string(ticket.vendor_reference), json::string(v));
    ticket.vendor_reference = v;
  }
  if (p.status) set_status(ticket, *p.status, now);
  if (changes.empty() && ticket.status == before) return false;
  ticket.updated_at = now;
  if (!changes.empty())
    change.new_events.push_back(make(event_type::ticket_updated, {{"changes", std::move(changes)}}));
  if (ticket.status != before)
    change.new_events.push_back(
        make(event_type::status_changed, status_payload(before, ticket.status, cause)));
  return true;
}

}  // namespace fl
