#include "http/live_json.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "http/json_mapping.hpp"
#include "http/phone_json.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

json::value optional_id(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

// What a queue view needs to place and show a ticket without fetching it. The SLA state is
// judged at `at` (the event's time); with the due and warning times a view moves the ticket to
// at_risk and breached as time passes.
json::object ticket_summary(const Ticket& t, const std::vector<Team>* teams, Timestamp at) {
  json::object team{{"id", t.team}};
  if (teams)
    for (const auto& candidate : *teams)
      if (candidate.id == t.team) team["name"] = candidate.name;
  return {{"id", t.id},
          {"number", t.number},
          {"subject", t.subject},
          {"status", name_of(t.status)},
          {"priority", name_of(t.priority)},
          {"line", t.line},
          {"team", std::move(team)},
          {"assignee_id", optional_id(t.assignee)},
          {"requester_id", t.requester},
          {"updated_at", format_time(t.updated_at)},
          {"version", t.version},
          {"sla_state", name_of(sla_state_at(t, at))},
          {"sla_due_at", t.sla_due_at ? json::value(format_time(*t.sla_due_at)) : nullptr},
          {"sla_warn_at", t.sla_warn_at ? json::value(format_time(*t.sla_warn_at)) : nullptr}};
}

json::object event_json(const Event& e) {
  boost::system::error_code ec;
  json::value payload = json::parse(e.payload, ec);
  if (ec || !payload.is_object()) payload = json::object{};
  return {{"id", e.id},
          {"type", e.type},
          {"ticket_id", optional_id(e.ticket)},
          {"at", format_time(e.at)},
          {"actor_id", optional_id(e.actor)},
          {"payload", std::move(payload)}};
}

json::array queues_json(const LiveSubscription& s) {
  json::array out;
  for (TeamId t : s.teams) out.push_back(json::object{{"team", t}});
  for (int l : s.lines) out.push_back(json::object{{"line", l}});
  if (s.mine) out.push_back("mine");
  if (s.all) out.push_back("all");
  return out;
}

std::string_view kind_name(LiveMessage::Kind k) {
  using K = LiveMessage::Kind;
  switch (k) {
    case K::authenticated:
      return "authenticated";
    case K::subscribed:
      return "subscribed";
    case K::unsubscribed:
      return "unsubscribed";
    case K::event:
      return "event";
    case K::ticket:
      return "ticket";
    case K::ticket_left:
      return "ticket_left";
    case K::resync:
      return "resync";
    case K::cursor:
      return "cursor";
    case K::error:
      return "error";
    case K::pong:
      return "pong";
    case K::call:
      return "call";
  }
  return "error";
}

}  // namespace

std::string LiveJson::encode(const LiveMessage& m) const {
  using K = LiveMessage::Kind;
  json::object o;
  o["type"] = kind_name(m.kind);
  if (!m.request_id.empty()) {
    boost::system::error_code ec;
    json::value id = json::parse(m.request_id, ec);
    if (!ec) o["id"] = std::move(id);
  }
  switch (m.kind) {
    case K::authenticated:
      if (m.user)
        o["user"] = json::object{{"id", m.user->id},
                                 {"login", m.user->login},
                                 {"name", m.user->name},
                                 {"role", name_of(m.user->role)}};
      break;
    case K::subscribed:
    case K::unsubscribed:
      if (m.subscription) {
        o["tickets"] = json::array(m.subscription->tickets.begin(), m.subscription->tickets.end());
        o["queues"] = queues_json(*m.subscription);
      }
      o["cursor"] = m.cursor;
      if (m.kind == K::subscribed) o["replayed"] = m.replayed;
      break;
    case K::event:
    case K::ticket:
      o["cursor"] = m.cursor;
      if (m.event) o["event"] = event_json(*m.event);
      if (m.ticket) {
        auto teams = teams_ ? teams_() : nullptr;
        o["ticket"] = ticket_summary(*m.ticket, teams.get(),
                                     m.event ? m.event->at : m.ticket->updated_at);
      }
      break;
    case K::ticket_left:
      o["cursor"] = m.cursor;
      o["ticket_id"] = m.ticket_id;
      break;
    case K::resync:
    case K::cursor:
      o["cursor"] = m.cursor;
      break;
    case K::error:
      o["detail"] = m.detail;
      break;
    case K::pong:
      break;
    case K::call:
      if (m.call) {
        o["call"] = call_json(*m.call);
        if (m.call->caller) {
          auto teams = teams_ ? teams_() : nullptr;
          o["caller"] = to_json(*m.call->caller,
                                teams ? std::span<const Team>(*teams) : std::span<const Team>());
        } else {
          o["caller"] = nullptr;
        }
      }
      break;
  }
  return json::serialize(o);
}

namespace {

using Failure = std::unexpected<LiveRequestError>;

std::optional<std::int64_t> positive(const json::value& v) {
  if (v.is_int64() && v.as_int64() > 0) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX) && v.as_uint64() > 0)
    return static_cast<std::int64_t>(v.as_uint64());
  return std::nullopt;
}

// A cursor: a whole number, or one written as text (as the REST API hands out cursors).
std::optional<std::int64_t> cursor_of(const json::value& v) {
  if (v.is_int64() && v.as_int64() >= 0) return v.as_int64();
  if (v.is_string()) {
    std::string_view s = v.as_string();
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc{} && p == s.data() + s.size() && n >= 0) return n;
  }
  return std::nullopt;
}

// "tickets" and "queues" of subscribe and unsubscribe; an error text when malformed.
std::optional<std::string> read_subscription(const json::object& o, LiveSubscription& s) {
  if (auto* tickets = o.if_contains("tickets")) {
    if (!tickets->is_array()) return "tickets: a list of ticket ids";
    for (const auto& t : tickets->as_array()) {
      auto id = positive(t);
      if (!id) return "tickets: ticket ids are positive integers";
      s.tickets.push_back(*id);
    }
  }
  if (auto* queues = o.if_contains("queues")) {
    if (!queues->is_array())
      return "queues: a list of {\"team\":id}, {\"line\":n}, \"mine\", \"all\"";
    for (const auto& q : queues->as_array()) {
      if (q.is_string() && q.as_string() == "mine") {
        s.mine = true;
      } else if (q.is_string() && q.as_string() == "all") {
        s.all = true;
      } else if (q.is_object() && q.as_object().size() == 1 && q.as_object().contains("team")) {
        auto id = positive(q.as_object().at("team"));
        if (!id) return "queues: a team id is a positive integer";
        s.teams.push_back(*id);
      } else if (q.is_object() && q.as_object().size() == 1 && q.as_object().contains("line")) {
        auto line = positive(q.as_object().at("line"));
        if (!line || *line > 4) return "queues: a line is 1 to 4";
        s.lines.push_back(static_cast<int>(*line));
      } else {
        return "queues: each is {\"team\":id}, {\"line\":n}, \"mine\" or \"all\"";
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::expected<LiveRequest, LiveRequestError> parse_live_request(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Failure({"not a JSON object", ""});
  const json::object& o = v.as_object();
  LiveRequest r;
  if (auto* id = o.if_contains("id")) {
    if (!id->is_string() && !id->is_int64() && !id->is_uint64())
      return Failure({"id: a string or a number", ""});
    if (id->is_string() && id->as_string().size() > 100)
      return Failure({"id: at most 100 characters", ""});
    r.id = json::serialize(*id);
  }
  auto fail = [&r](std::string detail) { return Failure({std::move(detail), r.id}); };
  auto* type = o.if_contains("type");
  if (!type || !type->is_string()) return fail("type: auth, subscribe, unsubscribe or ping");
  const std::string_view kind = type->as_string();
  auto allow = [&o](std::initializer_list<std::string_view> keys) -> std::optional<std::string> {
    for (const auto& [k, value] : o)
      if (std::ranges::find(keys, std::string_view(k)) == keys.end())
        return "unknown field '" + std::string(k) + "'";
    return std::nullopt;
  };
  if (kind == "auth") {
    r.kind = LiveRequest::Kind::auth;
    if (auto bad = allow({"type", "id", "token"})) return fail(*bad);
    auto* token = o.if_contains("token");
    if (!token || !token->is_string() || token->as_string().empty())
      return fail("token: the bearer token from POST /api/v1/sessions or an API token");
    std::string_view t = token->as_string();
    if (t.starts_with("Bearer ")) t.remove_prefix(7);
    r.authorization = "Bearer " + std::string(t);
    return r;
  }
  if (kind == "subscribe" || kind == "unsubscribe") {
    const bool subscribe = kind == "subscribe";
    r.kind = subscribe ? LiveRequest::Kind::subscribe : LiveRequest::Kind::unsubscribe;
    if (auto bad = subscribe ? allow({"type", "id", "tickets", "queues", "after"})
                             : allow({"type", "id", "tickets", "queues"}))
      return fail(*bad);
    if (auto bad = read_subscription(o, r.subscription)) return fail(*bad);
    if (auto* after = o.if_contains("after"); after && !after->is_null()) {
      r.after = cursor_of(*after);
      if (!r.after) return fail("after: the cursor of the last message seen (0 or more)");
    }
    if (subscribe && r.subscription.empty() && !r.after)
      return fail("subscribe to something: tickets or queues");
    return r;
  }
  if (kind == "ping") {
    r.kind = LiveRequest::Kind::ping;
    if (auto bad = allow({"type", "id"})) return fail(*bad);
    return r;
  }
  return fail("type: auth, subscribe, unsubscribe or ping");
}

}  // namespace fl::http
