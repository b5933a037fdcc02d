#include "app/webhook_payload.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "app/event_json.hpp"

namespace fl {

namespace {

namespace json = boost::json;

json::value id_or_null(const std::optional<std::int64_t>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

// What a receiver needs to act on a ticket without calling back: its identity, where it is
// and how urgent. Texts (replies, notes) stay in the desk.
json::object ticket_summary(const Ticket& t) {
  json::object o{{"id", t.id},
                 {"number", t.number},
                 {"subject", t.subject},
                 {"status", name_of(t.status)},
                 {"priority", name_of(t.priority)},
                 {"impact", t.impact},
                 {"urgency", t.urgency},
                 {"line", t.line},
                 {"team_id", t.team},
                 {"origin_team_id", t.origin_team},
                 {"requester_id", t.requester},
                 {"channel", name_of(t.channel)},
                 {"category", t.category},
                 {"tags", json::array(t.tags.begin(), t.tags.end())},
                 {"vendor_reference", t.vendor_reference},
                 {"created_at", format_time(t.created_at)},
                 {"updated_at", format_time(t.updated_at)},
                 {"version", t.version}};
  o["assignee_id"] = id_or_null(t.assignee);
  o["organization_id"] = id_or_null(t.organization);
  o["resolved_at"] = t.resolved_at ? json::value(format_time(*t.resolved_at)) : json::value(nullptr);
  return o;
}

}  // namespace

std::string delivery_key(WebhookId webhook, EventId event,
                         const std::optional<std::int64_t>& rule) {
  return std::to_string(webhook) + "-" + std::to_string(event) + "-" +
         std::to_string(rule.value_or(0));
}

std::string delivery_body(WebhookId webhook, const Event& e, const std::optional<Ticket>& ticket,
                          const std::optional<RuleReference>& rule, Timestamp queued_at) {
  json::object event{
      {"id", e.id}, {"type", e.type}, {"at", format_time(e.at)}, {"payload", payload_of(e)}};
  event["ticket_id"] = id_or_null(e.ticket);
  event["actor_id"] = id_or_null(e.actor);
  if (e.article) event["article_id"] = *e.article;
  json::object body{
      {"id", delivery_key(webhook, e.id, rule ? std::optional(rule->id) : std::nullopt)},
      {"type", e.type},
      {"created_at", format_time(queued_at)},
      {"webhook_id", webhook},
      {"event", std::move(event)}};
  body["ticket"] = ticket ? json::value(ticket_summary(*ticket)) : json::value(nullptr);
  if (rule) body["rule"] = json::object{{"id", rule->id}, {"name", rule->name}};
  return json::serialize(body);
}

std::string ping_body(const Webhook& w, std::string_view id, Timestamp at) {
  json::object body{
      {"id", id},
      {"type", "webhook.ping"},
      {"created_at", format_time(at)},
      {"webhook_id", w.id},
      {"webhook", json::object{{"id", w.id},
                               {"name", w.name},
                               {"events", json::array(w.events.begin(), w.events.end())}}}};
  return json::serialize(body);
}

}  // namespace fl
