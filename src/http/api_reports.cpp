// The service-desk reports over HTTP (docs/reports.md): every report in JSON and CSV, and the
// tickets behind a number.
#include <spdlog/fmt/fmt.h>

#include <boost/json.hpp>

#include "app/report_service.hpp"
#include "core/ticket.hpp"
#include "http/api_common.hpp"
#include "http/json_mapping.hpp"
#include "http/report_json.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

// The period and filters of a report request; wrong values are added to `errors`.
ReportFilter filter_of(const Request& r, std::vector<FieldError>& errors) {
  ReportFilter f;
  for (auto [name, target] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}})
    if (auto t = period_time(name, r.param(name), errors)) *target = *t;
  auto id = [&](const char* name) -> std::optional<std::int64_t> {
    auto v = r.param(name);
    if (!v || v->empty()) return std::nullopt;
    auto parsed = parse_id(*v);
    if (!parsed) errors.push_back({name, "an id"});
    return parsed;
  };
  f.organization = id("organization");
  f.team = id("team");
  if (auto line = id("line")) f.line = static_cast<int>(*line);
  if (auto v = r.param("category"); v && !v->empty()) f.category = std::string(*v);
  if (auto v = r.param("channel"); v && !v->empty()) {
    if (!parse_name<Channel>(*v)) errors.push_back({"channel", "phone, email, web, chat, bot or api"});
    f.channel = std::string(*v);
  }
  return f;
}

json::object filters_json(const ReportFilter& f) {
  json::object o;
  if (f.organization) o["organization"] = *f.organization;
  if (f.team) o["team"] = *f.team;
  if (f.line) o["line"] = *f.line;
  if (f.category) o["category"] = *f.category;
  if (f.channel) o["channel"] = *f.channel;
  return o;
}

json::object drilled_json(const Ticket& t) {
  return {{"id", t.id},
          {"number", t.number},
          {"subject", t.subject},
          {"status", name_of(t.status)},
          {"priority", name_of(t.priority)},
          {"line", t.line},
          {"team_id", t.team},
          {"category", t.category},
          {"created_at", format_time(t.created_at)}};
}

}  // namespace

void add_report_routes(Router& router, ApiServices& s) {
  if (s.reports == nullptr) return;
  router.add("GET", "/api/v1/reports/{name}", [&s](const Request& r, const PathParams& p) {
    auto actor = s.auth.authenticate(r.authorization);
    if (!actor) return problem(actor.error());
    std::vector<FieldError> errors;
    ReportFilter filter = filter_of(r, errors);
    bool compare = false;
    if (auto v = r.param("compare"); v && !v->empty()) {
      if (*v == "previous") compare = true;
      else if (*v != "none") errors.push_back({"compare", "previous or none"});
    }
    bool csv = false;
    if (auto v = r.param("format"); v && !v->empty()) {
      if (*v == "csv") csv = true;
      else if (*v != "json") errors.push_back({"format", "json or csv"});
    }
    if (!errors.empty()) return problem(invalid_fields(std::move(errors)).error());
    auto answer = s.reports->report(**actor, p[0], filter, compare);
    if (!answer) return problem(answer.error());
    if (csv) {
      auto table = r.param("table");
      auto response = report_csv(answer->report, answer->filter,
                                 answer->previous ? &*answer->previous : nullptr,
                                 table && !table->empty() ? table : std::nullopt);
      return response ? std::move(*response) : std::move(response.error());
    }
    json::object o = report_json(answer->report, answer->filter);
    o["report"] = answer->report.name;
    o["filters"] = filters_json(answer->filter);
    if (answer->previous)
      o["previous"] = report_json(*answer->previous, *answer->previous_filter);
    return json_response(200, o);
  });
  router.add("GET", "/api/v1/reports/{name}/tickets", [&s](const Request& r, const PathParams& p) {
    auto actor = s.auth.authenticate(r.authorization);
    if (!actor) return problem(actor.error());
    std::vector<FieldError> errors;
    ReportFilter filter = filter_of(r, errors);
    auto figure = r.param("figure");
    if (!figure || figure->empty()) errors.push_back({"figure", "required: a figure's drill key"});
    if (!errors.empty()) return problem(invalid_fields(std::move(errors)).error());
    auto tickets = s.reports->drill(**actor, p[0], *figure, filter);
    if (!tickets) return problem(tickets.error());
    json::array items;
    for (const auto& t : *tickets) items.push_back(drilled_json(t));
    return json_response(200, json::object{{"report", p[0]},
                                           {"figure", *figure},
                                           {"limit", kMaxDrillTickets},
                                           {"items", std::move(items)}});
  });
}

}  // namespace fl::http
