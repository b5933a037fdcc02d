// The chatbot's flows (app/bot_flows.hpp): the catalog for the admin editor. A flow travels as
// `document`, the flow's JSON text as its author wrote it (docs/bot.md); its problems come back
// as 422 with one errors[] entry per problem, `field` being the path in the document.
#include <boost/json.hpp>

#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

json::value user_or_null(const std::optional<UserId>& user) {
  return user ? json::value(*user) : json::value(nullptr);
}

json::object to_json_flow(const BotFlowDocument& d) {
  const BotFlowRecord& r = d.record;
  return json::object{{"id", r.id},
                      {"document", r.json},
                      {"version", r.version},
                      {"active", r.active},
                      {"edited", r.edited},
                      {"shipped", d.shipped},
                      {"updated_by", user_or_null(r.updated_by)},
                      {"updated_at", format_time(r.updated_at)}};
}

json::object to_json_summary(const BotFlowSummary& s) {
  return json::object{{"id", s.id},
                      {"title", json::object{{"de", s.title.de}, {"en", s.title.en}}},
                      {"active", s.active},
                      {"version", s.version},
                      {"node_count", s.node_count},
                      {"edited", s.edited},
                      {"shipped", s.shipped},
                      {"problem", s.problem},
                      {"updated_by", user_or_null(s.updated_by)},
                      {"updated_at", format_time(s.updated_at)}};
}

std::string_view expecting_name(bot::Expecting e) {
  switch (e) {
    case bot::Expecting::nothing:
      return "nothing";
    case bot::Expecting::choice:
      return "choice";
    case bot::Expecting::slot:
      return "slot";
    case bot::Expecting::yes_no:
      return "yes_no";
  }
  return "nothing";
}

json::object to_json_preview(const BotFlowPreview& p) {
  const bot::Turn& t = p.turn;
  json::array buttons;
  for (const auto& b : t.buttons) buttons.push_back(json::object{{"id", b.id}, {"label", b.label}});
  json::object o{{"messages", json::array(t.messages.begin(), t.messages.end())},
                 {"buttons", std::move(buttons)},
                 {"expecting", expecting_name(t.expecting)},
                 {"slot", t.slot},
                 {"outcome", name_of(t.outcome)},
                 {"reason", t.reason},
                 {"state", p.state}};
  o["slot_kind"] = t.expecting == bot::Expecting::slot ? json::value(name_of(t.slot_kind))
                                                       : json::value(nullptr);
  return o;
}

}  // namespace

void add_bot_flow_routes(Router& router, ApiServices& s) {
  router.add("GET", "/api/v1/bot/flows", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto list = s.bot_flows.list(**session);
    if (!list) return problem(list.error());
    json::array items;
    for (const auto& f : *list) items.push_back(to_json_summary(f));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("GET", "/api/v1/bot/flows/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto flow = s.bot_flows.get(**session, p[0]);
    if (!flow) return problem(flow.error());
    return json_response(200, to_json_flow(*flow));
  });
  router.add("GET", "/api/v1/bot/flows/{id}/versions", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto versions = s.bot_flows.versions(**session, p[0]);
    if (!versions) return problem(versions.error());
    json::array items;
    for (const auto& v : *versions)
      items.push_back(json::object{{"version", v.version},
                                   {"document", v.json},
                                   {"active", v.active},
                                   {"updated_by", user_or_null(v.updated_by)},
                                   {"updated_at", format_time(v.updated_at)}});
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  // {"document": "...", "active": true}: a new flow, its id the document's.
  router.add("POST", "/api/v1/bot/flows", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto document = body->string("document", true);
    bool active = body->boolean("active").value_or(true);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto made = s.bot_flows.create(**session, *document, active);
    if (!made) return problem(made.error());
    return json_response(201, to_json_flow(*made));
  });
  // {"version": n, "document": "...", "active": bool}: the document, the flag or both.
  router.add("PUT", "/api/v1/bot/flows/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto version = body->integer("version", true);
    auto document = body->string("document");
    auto active = body->boolean("active");
    if (!document && !active) body->error("document", "give the document, active or both");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto saved = document ? s.bot_flows.save(**session, p[0], *document, *version, active)
                          : s.bot_flows.set_active(**session, p[0], *active, *version);
    if (!saved) return problem(saved.error());
    return json_response(200, to_json_flow(*saved));
  });
  // {"document", "lang", "state", "button" | "text"}: one turn of an unsaved document; without
  // "state" the first.
  router.add("POST", "/api/v1/bot/flows/preview", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto document = body->string("document", true);
    std::string lang = body->string("lang").value_or("de");
    auto state = body->string("state");
    auto button = body->string("button");
    auto text = body->string("text");
    if (state && !button && !text) body->error("text", "an answer needs \"button\" or \"text\"");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto input = button ? bot::UserInput::button(*button) : bot::UserInput::text(text.value_or(""));
    std::optional<std::string_view> previous;
    if (state) previous = *state;
    auto turn = s.bot_flows.preview(**session, *document, previous, input, lang);
    if (!turn) return problem(turn.error());
    return json_response(200, to_json_preview(*turn));
  });
  // {"version": n}: back to the document this build ships.
  router.add("POST", "/api/v1/bot/flows/{id}/reset", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto version = body->integer("version", true);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto reset = s.bot_flows.reset(**session, p[0], *version);
    if (!reset) return problem(reset.error());
    return json_response(200, to_json_flow(*reset));
  });
}

}  // namespace fl::http
