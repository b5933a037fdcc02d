// Macros: listing and keeping them, and applying one to a ticket.
#include <boost/json.hpp>

#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

json::value or_null(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object to_json_macro(const Macro& m) {
  json::object o{{"id", m.id},
                 {"name", m.name},
                 {"entry_kind", name_of(m.entry_kind)},
                 {"text", m.text},
                 {"add_tags", json::array(m.add_tags.begin(), m.add_tags.end())},
                 {"assign_to_me", m.assign_to_me},
                 {"active", m.active},
                 {"version", m.version},
                 {"updated_at", format_time(m.updated_at)}};
  o["team_id"] = or_null(m.team);
  o["status"] = m.status ? json::value(name_of(*m.status)) : json::value(nullptr);
  o["impact"] = m.impact ? json::value(*m.impact) : json::value(nullptr);
  o["urgency"] = m.urgency ? json::value(*m.urgency) : json::value(nullptr);
  return o;
}

// A macro from a create (POST) or replace (PUT: with the version read) body.
std::expected<Macro, Response> read_macro(const Request& r, bool needs_version) {
  auto body = JsonBody::parse(r);
  if (!body) return std::unexpected(body.error());
  Macro m;
  m.name = body->string("name", true).value_or("");
  if (auto team = body->integer("team_id")) m.team = *team;
  m.entry_kind = body->enumeration<EntryKind>("entry_kind").value_or(EntryKind::reply);
  m.text = body->string("text").value_or("");
  m.status = body->enumeration<TicketStatus>("status");
  m.add_tags = body->strings("add_tags").value_or(std::vector<std::string>{});
  if (auto i = body->integer("impact")) m.impact = static_cast<int>(*i);
  if (auto u = body->integer("urgency")) m.urgency = static_cast<int>(*u);
  m.assign_to_me = body->boolean("assign_to_me").value_or(false);
  m.active = body->boolean("active").value_or(true);
  if (needs_version) m.version = body->integer("version", true).value_or(0);
  if (auto ok = body->finish(); !ok) return std::unexpected(problem(ok.error()));
  return m;
}

}  // namespace

void add_macro_routes(Router& router, ApiServices& s) {
  router.add("GET", "/api/v1/macros", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto list = s.macros.list(**session, r.param("all") == std::optional<std::string_view>("true"));
    if (!list) return problem(list.error());
    json::array items;
    for (const auto& m : *list) items.push_back(to_json_macro(m));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("GET", "/api/v1/macros/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("macro");
    auto m = s.macros.get(**session, *id);
    if (!m) return problem(m.error());
    return json_response(200, to_json_macro(*m));
  });
  auto save = [&s](const Request& r, std::optional<MacroId> id) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto m = read_macro(r, id.has_value());
    if (!m) return m.error();
    m->id = id.value_or(0);
    auto saved = s.macros.save(**session, std::move(*m));
    if (!saved) return problem(saved.error());
    return json_response(id ? 200 : 201, to_json_macro(*saved));
  };
  router.add("POST", "/api/v1/macros",
             [save](const Request& r, const PathParams&) { return save(r, std::nullopt); });
  router.add("PUT", "/api/v1/macros/{id}", [save](const Request& r, const PathParams& p) {
    auto id = parse_id(p[0]);
    if (!id) return bad_id("macro");
    return save(r, *id);
  });
  router.add("POST", "/api/v1/tickets/{id}/macros/{macro}", [&s](const Request& r,
                                                                  const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("ticket");
    auto macro = parse_id(p[1]);
    if (!macro) return bad_id("macro");
    auto applied = s.macros.apply(**session, *id, *macro);
    if (!applied) return problem(applied.error());
    auto teams = s.directory.all_teams();
    json::object out{{"ticket", to_json(applied->ticket,
                                        teams ? **teams : std::vector<Team>{},
                                        s.tickets.now())}};
    out["entry"] = applied->entry ? json::value(to_json(*applied->entry)) : json::value(nullptr);
    return json_response(200, out);
  });
}

}  // namespace fl::http
