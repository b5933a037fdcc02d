#include "app/notification_service.hpp"

#include "app/event_json.hpp"
#include "app/feed_follower.hpp"
#include <algorithm>
#include <unordered_map>

#include "core/sla.hpp"

namespace fl {

namespace {

namespace json = boost::json;

std::string metric_name(SlaMetric m, bool german) {
  switch (m) {
    case SlaMetric::first_response:
      return german ? "Erstreaktion" : "first response";
    case SlaMetric::next_response:
      return german ? "Folgereaktion" : "next response";
    case SlaMetric::resolution:
      return german ? "Lösung" : "resolution";
    case SlaMetric::line_response:
      return german ? "Reaktion der Linie" : "line response";
    case SlaMetric::line_resolution:
      return german ? "Bearbeitung der Linie" : "line resolution";
  }
  return std::string(name_of(m));
}

// The sentence for one recipient, in their language.
std::string sentence(NotificationKind kind, bool german, const Ticket& t, const json::object& p,
                     std::string_view type) {
  std::string ref = "#" + std::to_string(t.number) + ": " + t.subject;
  switch (kind) {
    case NotificationKind::assigned:
      return german ? "Ihnen zugewiesen: " + ref : "Assigned to you: " + ref;
    case NotificationKind::team_received: {
      bool up = type == event_type::escalated, down = type == event_type::returned;
      if (german)
        return std::string(up ? "An Ihr Team eskaliert: "
                           : down ? "An Ihr Team zurückgegeben: "
                                  : "An Ihr Team weitergeleitet: ") +
               ref;
      return std::string(up ? "Escalated to your team: "
                         : down ? "Returned to your team: "
                                : "Transferred to your team: ") +
             ref;
    }
    case NotificationKind::customer_replied:
      return german ? "Antwort des Kunden zu " + ref : "The customer replied on " + ref;
    case NotificationKind::rule:
      return ref;  // rule notices carry their own text (rule_notices)
    case NotificationKind::sla_warning:
    case NotificationKind::sla_breach: {
      auto metric = parse_name<SlaMetric>(text_at(p, "metric")).value_or(SlaMetric::resolution);
      std::string percent = std::to_string(number_at(p, "percent").value_or(100));
      std::string name = metric_name(metric, german);
      if (kind == NotificationKind::sla_breach)
        return german ? "SLA verletzt (" + name + "): " + ref
                      : "SLA breached (" + name + "): " + ref;
      return german ? "SLA: " + percent + " % der Zeit für die " + name + " verbraucht bei " + ref
                    : "SLA: " + percent + " % of the " + name + " time used on " + ref;
    }
  }
  return ref;
}

}  // namespace

namespace {

// A rule's notify actions: each notice names its users and its text in both languages.
std::vector<Notification> rule_notices(const Event& e, const json::object& p,
                                       const NotificationContext& context) {
  std::vector<Notification> out;
  auto* notices = p.if_contains("notices");
  if (!notices || !notices->is_array()) return out;
  auto ticket = context.ticket(*e.ticket);
  if (!ticket) return out;
  const std::string ref = "#" + std::to_string(ticket->number) + ": " + ticket->subject;
  for (const auto& notice : notices->as_array()) {
    if (!notice.is_object()) continue;
    const auto& n = notice.as_object();
    auto* users = n.if_contains("users");
    auto* text = n.if_contains("text");
    if (!users || !users->is_array() || !text || !text->is_object()) continue;
    for (const auto& u : users->as_array()) {
      if (!u.is_int64()) continue;
      auto user = context.user(u.as_int64());
      if (!user || !user->active || user->role == Role::customer) continue;
      std::string_view said = text_at(text->as_object(), user->language == "de" ? "de" : "en");
      Notification out_n;
      out_n.user = user->id;
      out_n.ticket = *e.ticket;
      out_n.kind = NotificationKind::rule;
      out_n.event = e.id;
      out_n.text = std::string(said) + " — " + ref;
      out_n.created_at = e.at;
      out.push_back(std::move(out_n));
    }
  }
  return out;
}

}  // namespace

std::vector<Notification> notifications_for(const Event& e, const NotificationContext& context) {
  std::vector<Notification> out;
  if (!e.ticket) return out;
  json::object p = payload_of(e);
  if (e.type == event_type::rule_fired) return rule_notices(e, p, context);
  std::vector<std::pair<UserId, NotificationKind>> recipients;
  if (e.type == event_type::ticket_updated) {
    auto* changes = p.if_contains("changes");
    auto* assignee = changes && changes->is_object()
                         ? changes->as_object().if_contains("assignee")
                         : nullptr;
    if (assignee && assignee->is_object())
      if (auto to = number_at(assignee->as_object(), "to"))
        recipients.emplace_back(*to, NotificationKind::assigned);
  } else if (e.type == event_type::escalated || e.type == event_type::transferred ||
             e.type == event_type::returned) {
    if (auto team = number_at(p, "to_team"))
      for (UserId u : context.team_members(*team))
        recipients.emplace_back(u, NotificationKind::team_received);
  } else if (e.type == event_type::entry_added) {
    // A live chat's lines are read in the chat itself.
    auto* chat = p.if_contains("chat");
    const bool live_chat = chat && chat->is_bool() && chat->as_bool();
    if (!live_chat && text_at(p, "kind") == "reply" && text_at(p, "by") == "customer") {
      auto t = context.ticket(*e.ticket);
      if (t && t->assignee)
        recipients.emplace_back(*t->assignee, NotificationKind::customer_replied);
      else if (t)
        for (UserId u : context.team_members(t->team))
          recipients.emplace_back(u, NotificationKind::customer_replied);
    }
  } else if (e.type == event_type::sla_step_fired) {
    bool breach = number_at(p, "percent").value_or(0) >= 100;
    if (auto* notify = p.if_contains("notify"); notify && notify->is_array())
      for (const auto& u : notify->as_array())
        if (u.is_int64())
          recipients.emplace_back(u.as_int64(),
                                  breach ? NotificationKind::sla_breach : NotificationKind::sla_warning);
  }
  if (recipients.empty()) return out;
  auto ticket = context.ticket(*e.ticket);
  if (!ticket) return out;
  for (const auto& [user_id, kind] : recipients) {
    if (e.actor && *e.actor == user_id) continue;  // nobody is told about their own action
    auto user = context.user(user_id);
    if (!user || !user->active || user->role == Role::customer) continue;
    Notification n;
    n.user = user_id;
    n.ticket = *e.ticket;
    n.kind = kind;
    n.event = e.id;
    n.text = sentence(kind, user->language == "de", *ticket, p, e.type);
    n.created_at = e.at;
    out.push_back(std::move(n));
  }
  return out;
}

Result<int> NotificationService::follow(int max_events) {
  auto cursor = store_.notification_cursor();
  if (!cursor) return std::unexpected(cursor.error());
  auto events = events_to_follow(store_, *cursor, max_events, [&](EventId latest) {
    return store_.add_notifications({}, latest);
  });
  if (!events) return std::unexpected(events.error());
  if (events->empty()) return 0;

  // Looked up once per batch.
  std::unordered_map<TicketId, std::optional<Ticket>> tickets;
  std::optional<std::unordered_map<UserId, User>> users;
  auto all_users = [&]() -> const std::unordered_map<UserId, User>& {
    if (!users) {
      users.emplace();
      if (auto list = store_.users(std::nullopt))
        for (auto& u : *list) users->emplace(u.id, std::move(u));
    }
    return *users;
  };
  NotificationContext context{
      [&](TicketId id) -> std::optional<Ticket> {
        auto [it, fresh] = tickets.try_emplace(id);
        if (fresh)
          if (auto t = store_.ticket(id)) it->second = std::move(*t);
        return it->second;
      },
      [&](UserId id) -> std::optional<User> {
        const auto& all = all_users();
        auto it = all.find(id);
        if (it == all.end()) return std::nullopt;
        return it->second;
      },
      [&](TeamId team) {
        std::vector<UserId> members;
        for (const auto& [id, u] : all_users())
          if (u.active && u.role != Role::customer &&
              std::ranges::find(u.teams, team) != u.teams.end())
            members.push_back(id);
        std::ranges::sort(members);
        return members;
      }};
  std::vector<Notification> derived;
  for (const auto& e : *events) {
    auto n = notifications_for(e, context);
    derived.insert(derived.end(), std::make_move_iterator(n.begin()),
                   std::make_move_iterator(n.end()));
  }
  if (auto ok = store_.add_notifications(derived, events->back().id); !ok)
    return std::unexpected(ok.error());
  return static_cast<int>(events->size());
}

Result<std::vector<Notification>> NotificationService::list(const Actor& actor, bool unread_only,
                                                            std::optional<NotificationId> before,
                                                            int limit) {
  if (!actor.is_staff()) return std::vector<Notification>{};
  return store_.notifications({actor.user.id, unread_only, before, std::clamp(limit, 1, 200)});
}

Result<std::int64_t> NotificationService::unread(const Actor& actor) {
  if (!actor.is_staff()) return std::int64_t{0};
  return store_.unread_notifications(actor.user.id);
}

Result<std::int64_t> NotificationService::mark_read(const Actor& actor,
                                                    const std::vector<NotificationId>& ids) {
  if (!actor.is_staff()) return std::int64_t{0};
  return store_.mark_notifications_read(actor.user.id, ids, clock_.now());
}

}  // namespace fl
