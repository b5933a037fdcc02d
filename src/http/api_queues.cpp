// The agent console's queues: counts per team and line, and each user's saved views of the
// ticket list.
#include <boost/json.hpp>

#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

json::object counts_json(const QueueCount& q) {
  return {{"line", q.line},
          {"open", q.open},
          {"unassigned", q.unassigned},
          {"at_risk", q.at_risk},
          {"breached", q.breached}};
}

Response queues(ApiServices& s, const Actor& actor) {
  auto summary = s.tickets.queues(actor);
  if (!summary) return problem(summary.error());
  auto teams = s.directory.all_teams();
  json::array by_team;
  for (const auto& q : summary->teams) {
    json::object o = counts_json(q);
    json::object team{{"id", q.team}};
    if (teams)
      for (const auto& t : **teams)
        if (t.id == q.team) team["name"] = t.name;
    o["team"] = std::move(team);
    by_team.push_back(std::move(o));
  }
  json::array by_line;
  for (const auto& q : summary->lines) by_line.push_back(counts_json(q));
  return json_response(200, json::object{{"teams", std::move(by_team)},
                                         {"lines", std::move(by_line)},
                                         {"as_of", format_time(s.tickets.now())}});
}

std::expected<ViewRequest, Response> read_view(const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return std::unexpected(body.error());
  ViewRequest v;
  v.name = body->string("name", true).value_or("");
  v.query = body->string("query", true).value_or("");
  v.shared = body->boolean("shared").value_or(false);
  if (auto ok = body->finish(); !ok) return std::unexpected(problem(ok.error()));
  return v;
}

// Authenticates, then runs the handler.
template <class Fn>
Handler signed_in(ApiServices& s, Fn fn) {
  return [&s, fn](const Request& r, const PathParams& p) -> Response {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    return fn(**session, r, p);
  };
}

}  // namespace

void add_queue_routes(Router& router, ApiServices& s) {
  router.add("GET", "/api/v1/queues",
             signed_in(s, [&s](const Actor& a, const Request&, const PathParams&) {
               return queues(s, a);
             }));
  router.add("GET", "/api/v1/me/views",
             signed_in(s,
                       [&s](const Actor& a, const Request&, const PathParams&) {
                         auto views = s.views.list(a);
                         if (!views) return problem(views.error());
                         json::array items;
                         for (const auto& v : *views) items.push_back(to_json(v));
                         return json_response(200, json::object{{"items", std::move(items)}});
                       }),
             Execution::quick);
  router.add("POST", "/api/v1/me/views",
             signed_in(s, [&s](const Actor& a, const Request& r, const PathParams&) {
               auto request = read_view(r);
               if (!request) return request.error();
               auto view = s.views.create(a, *request);
               if (!view) return problem(view.error());
               Response out = json_response(201, to_json(*view));
               out.headers.emplace_back("Location", "/api/v1/me/views/" + std::to_string(view->id));
               return out;
             }));
  router.add("PUT", "/api/v1/me/views/{id}",
             signed_in(s, [&s](const Actor& a, const Request& r, const PathParams& p) {
               auto id = parse_id(p[0]);
               if (!id) return bad_id("view");
               auto request = read_view(r);
               if (!request) return request.error();
               auto view = s.views.update(a, *id, *request);
               if (!view) return problem(view.error());
               return json_response(200, to_json(*view));
             }));
  router.add("DELETE", "/api/v1/me/views/{id}",
             signed_in(s, [&s](const Actor& a, const Request&, const PathParams& p) {
               auto id = parse_id(p[0]);
               if (!id) return bad_id("view");
               if (auto ok = s.views.remove(a, *id); !ok) return problem(ok.error());
               return no_content();
             }));
}

}  // namespace fl::http
