// SLA settings (business calendars and policies) and a ticket's clocks. The settings' JSON
// is app/sla_codec's, with the document's id and version added.
#include <boost/json.hpp>

#include "app/sla_codec.hpp"
#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {


json::object to_json_calendar(const BusinessCalendar& c) {
  return with_identity(encode_calendar(c), c.id, c.version);
}

json::object to_json_policy(const SlaPolicy& p) {
  return with_identity(encode_policy(p), p.id, p.version);
}

json::value time_or_null(const std::optional<Timestamp>& t) {
  return t ? json::value(format_time(*t)) : json::value(nullptr);
}

json::object to_json_clock(const TicketClock& tc) {
  const SlaClock& c = tc.clock;
  json::array upcoming;
  for (const auto& u : tc.upcoming) {
    json::object step{{"percent", u.step.percent},
                      {"notify_assignee", u.step.notify_assignee},
                      {"notify_supervisor", u.step.notify_supervisor},
                      {"raise_priority", u.step.raise_priority},
                      {"due_at", time_or_null(u.due_at)}};
    step["escalate_to_team_id"] =
        u.step.escalate_to ? json::value(*u.step.escalate_to) : json::value(nullptr);
    upcoming.push_back(std::move(step));
  }
  json::object o{{"metric", name_of(c.metric)},
                 {"cycle", c.cycle},
                 {"state", name_of(c.state)},
                 {"target_minutes", c.target.count()},
                 {"started_at", format_time(c.started_at)},
                 {"due_at", time_or_null(c.due_at)},
                 {"elapsed_seconds", c.elapsed.count() / 1000},
                 {"paused_seconds", c.paused.count() / 1000},
                 {"percent_used", c.percent_used()},
                 {"stopped_at", time_or_null(c.stopped_at)},
                 {"breached_at", time_or_null(c.breached_at)},
                 {"upcoming_steps", std::move(upcoming)}};
  if (c.metric == SlaMetric::line_response || c.metric == SlaMetric::line_resolution) {
    o["line"] = c.line;
    o["team_id"] = c.team;
  }
  return o;
}


}  // namespace

void add_sla_routes(Router& router, ApiServices& s) {
  router.add("GET", "/api/v1/sla/calendars", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto all = s.sla.calendars(**session);
    if (!all) return problem(all.error());
    json::array items;
    for (const auto& c : *all) items.push_back(to_json_calendar(c));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("GET", "/api/v1/sla/calendars/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("calendar");
    auto c = s.sla.calendar(**session, *id);
    if (!c) return problem(c.error());
    return json_response(200, to_json_calendar(*c));
  });
  auto save_calendar = [&s](const Request& r, std::optional<CalendarId> id) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto c = read_document<BusinessCalendar>(r, decode_calendar, id.has_value());
    if (!c) return c.error();
    c->id = id.value_or(0);
    auto saved = s.sla.save_calendar(**session, std::move(*c));
    if (!saved) return problem(saved.error());
    return json_response(id ? 200 : 201, to_json_calendar(*saved));
  };
  router.add("POST", "/api/v1/sla/calendars",
             [save_calendar](const Request& r, const PathParams&) {
               return save_calendar(r, std::nullopt);
             });
  router.add("PUT", "/api/v1/sla/calendars/{id}",
             [save_calendar](const Request& r, const PathParams& p) {
               auto id = parse_id(p[0]);
               if (!id) return bad_id("calendar");
               return save_calendar(r, *id);
             });

  router.add("GET", "/api/v1/sla/policies", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto all = s.sla.policies(**session);
    if (!all) return problem(all.error());
    json::array items;
    for (const auto& p : *all) items.push_back(to_json_policy(p));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("GET", "/api/v1/sla/policies/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("SLA policy");
    std::optional<std::int64_t> version;
    if (auto v = r.param("version")) {
      version = parse_id(*v);
      if (!version) return problem(Error{ErrorCode::invalid_argument, "version: must be a positive integer",
                                         {{"version", "must be a positive integer"}}});
    }
    auto policy = s.sla.policy(**session, *id, version);
    if (!policy) return problem(policy.error());
    return json_response(200, to_json_policy(*policy));
  });
  auto save_policy = [&s](const Request& r, std::optional<SlaPolicyId> id) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto policy = read_document<SlaPolicy>(r, decode_policy, id.has_value());
    if (!policy) return policy.error();
    policy->id = id.value_or(0);
    auto saved = s.sla.save_policy(**session, std::move(*policy));
    if (!saved) return problem(saved.error());
    return json_response(id ? 200 : 201, to_json_policy(*saved));
  };
  router.add("POST", "/api/v1/sla/policies",
             [save_policy](const Request& r, const PathParams&) {
               return save_policy(r, std::nullopt);
             });
  router.add("PUT", "/api/v1/sla/policies/{id}",
             [save_policy](const Request& r, const PathParams& p) {
               auto id = parse_id(p[0]);
               if (!id) return bad_id("SLA policy");
               return save_policy(r, *id);
             });

  router.add("GET", "/api/v1/tickets/{id}/sla", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("ticket");
    auto sla = s.sla.ticket_sla(**session, *id);
    if (!sla) return problem(sla.error());
    json::array clocks;
    for (const auto& c : sla->clocks) clocks.push_back(to_json_clock(c));
    json::object out;
    out["policy"] = nullptr;
    if (sla->policy) {
      json::object policy;
      policy["id"] = sla->policy->id;
      policy["version"] = sla->policy->version;
      policy["name"] = sla->policy->name;
      out["policy"] = std::move(policy);
    }
    out["clocks"] = std::move(clocks);
    out["next_check_at"] = time_or_null(sla->next_check);
    return json_response(200, out);
  });
}

}  // namespace fl::http
