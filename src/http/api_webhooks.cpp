// Outbound webhooks (admins): keeping them, a test delivery, the delivery log and sending a
// delivery again. A secret appears in an answer only when it is new (create, rotate-secret).
#include <boost/json.hpp>

#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

json::value time_or_null(const std::optional<Timestamp>& t) {
  return t ? json::value(format_time(*t)) : json::value(nullptr);
}

json::object to_json_webhook(const Webhook& w) {
  json::object o{{"id", w.id},
                 {"name", w.name},
                 {"url", w.url},
                 {"events", json::array(w.events.begin(), w.events.end())},
                 {"active", w.active},
                 {"version", w.version},
                 {"updated_at", format_time(w.updated_at)}};
  if (!w.secret.empty()) o["secret"] = w.secret;
  return o;
}

json::object to_json_delivery(const WebhookDelivery& d) {
  boost::system::error_code ec;
  json::value payload = json::parse(d.body, ec);
  if (ec) payload = d.body;  // as it was sent, should it ever not be JSON
  json::object o{{"id", d.id},
                 {"webhook_id", d.webhook},
                 {"event_id", d.event},
                 {"event_type", d.event_type},
                 {"state", name_of(d.state)},
                 {"attempts", d.attempts},
                 {"last_error", d.last_error},
                 {"created_at", format_time(d.created_at)},
                 {"payload", std::move(payload)}};
  o["rule_id"] = d.rule ? json::value(*d.rule) : json::value(nullptr);
  o["next_attempt_at"] = time_or_null(d.next_attempt_at);
  o["last_status"] = d.last_status ? json::value(*d.last_status) : json::value(nullptr);
  o["finished_at"] = time_or_null(d.finished_at);
  return o;
}

// A webhook from a create (POST, a secret allowed) or replace (PUT, with the version read)
// body. Absent fields take their defaults: no event types (only rules send to it), active.
std::expected<Webhook, Response> read_webhook(const Request& r, bool replacing) {
  auto body = JsonBody::parse(r);
  if (!body) return std::unexpected(body.error());
  Webhook w;
  w.name = body->string("name", true).value_or("");
  w.url = body->string("url", true).value_or("");
  w.events = body->strings("events").value_or(std::vector<std::string>{});
  w.active = body->boolean("active").value_or(true);
  if (replacing) {
    w.version = body->integer("version", true).value_or(0);
    if (body->has("secret")) body->error("secret", "is kept on update: use rotate-secret");
  } else {
    w.secret = body->string("secret").value_or("");
  }
  if (auto ok = body->finish(); !ok) return std::unexpected(problem(ok.error()));
  return w;
}

Response bad_query(std::string_view field, std::string_view message) {
  std::string summary = std::string(field) + ": " + std::string(message);
  return problem(
      Error{ErrorCode::invalid_argument, summary, {{std::string(field), std::string(message)}}});
}

}  // namespace

void add_webhook_routes(Router& router, ApiServices& s) {
  router.add("GET", "/api/v1/webhooks", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto all = s.webhooks.list(**session);
    if (!all) return problem(all.error());
    json::array items;
    for (const auto& w : *all) items.push_back(to_json_webhook(w));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("POST", "/api/v1/webhooks", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto w = read_webhook(r, false);
    if (!w) return w.error();
    auto created = s.webhooks.create(**session, std::move(*w));
    if (!created) return problem(created.error());
    return json_response(201, to_json_webhook(*created));
  });
  router.add("GET", "/api/v1/webhooks/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("webhook");
    auto w = s.webhooks.get(**session, *id);
    if (!w) return problem(w.error());
    return json_response(200, to_json_webhook(*w));
  });
  router.add("PUT", "/api/v1/webhooks/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("webhook");
    auto w = read_webhook(r, true);
    if (!w) return w.error();
    w->id = *id;
    auto saved = s.webhooks.update(**session, std::move(*w));
    if (!saved) return problem(saved.error());
    return json_response(200, to_json_webhook(*saved));
  });
  router.add("POST", "/api/v1/webhooks/{id}/rotate-secret",
             [&s](const Request& r, const PathParams& p) {
               auto session = s.auth.authenticate(r.authorization);
               if (!session) return problem(session.error());
               auto id = parse_id(p[0]);
               if (!id) return bad_id("webhook");
               auto w = s.webhooks.rotate_secret(**session, *id);
               if (!w) return problem(w.error());
               return json_response(200, to_json_webhook(*w));
             });
  router.add("POST", "/api/v1/webhooks/{id}/ping", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("webhook");
    auto ping = s.webhooks.ping(**session, *id);
    if (!ping) return problem(ping.error());
    json::object out{{"delivered", ping->delivered},
                     {"error", ping->error},
                     {"duration_ms", ping->duration.count()}};
    out["status"] = ping->status ? json::value(*ping->status) : json::value(nullptr);
    return json_response(200, out);
  });
  router.add("GET", "/api/v1/webhooks/{id}/deliveries",
             [&s](const Request& r, const PathParams& p) {
               auto session = s.auth.authenticate(r.authorization);
               if (!session) return problem(session.error());
               auto id = parse_id(p[0]);
               if (!id) return bad_id("webhook");
               std::optional<DeliveryId> before;
               if (auto b = r.param("before")) {
                 before = parse_id(*b);
                 if (!before) return bad_query("before", "a delivery id");
               }
               int limit = 50;
               if (auto l = r.param("limit")) {
                 auto n = parse_id(*l);
                 if (!n || *n > 200) return bad_query("limit", "1 to 200");
                 limit = static_cast<int>(*n);
               }
               auto log = s.webhooks.deliveries(**session, *id, before, limit);
               if (!log) return problem(log.error());
               json::array items;
               for (const auto& d : *log) items.push_back(to_json_delivery(d));
               json::object out{{"items", std::move(items)}};
               if (static_cast<int>(log->size()) == limit && !log->empty())
                 out["next_before"] = log->back().id;
               return json_response(200, out);
             });
  router.add("POST", "/api/v1/webhook-deliveries/{id}/redeliver",
             [&s](const Request& r, const PathParams& p) {
               auto session = s.auth.authenticate(r.authorization);
               if (!session) return problem(session.error());
               auto id = parse_id(p[0]);
               if (!id) return bad_id("delivery");
               auto d = s.webhooks.redeliver(**session, *id);
               if (!d) return problem(d.error());
               return json_response(202, to_json_delivery(*d));
             });
}

}  // namespace fl::http
