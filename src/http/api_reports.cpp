// The service-desk reports over HTTP (docs/reports.md): every report in JSON and CSV, and the
// tickets behind a number.
#include <spdlog/fmt/fmt.h>

#include <boost/json.hpp>

#include "app/report_service.hpp"
#include "core/ticket.hpp"
#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

constexpr std::string_view kTimeHint = "a date (2026-11-01) or a time (2026-11-01T08:00:00Z)";

// The period and filters of a report request; wrong values are added to `errors`.
ReportFilter filter_of(const Request& r, std::vector<FieldError>& errors) {
  ReportFilter f;
  for (auto [name, target] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
    auto v = r.param(name);
    auto t = v ? parse_time(*v) : std::nullopt;
    if (!t) errors.push_back({name, v ? std::string(kTimeHint) : "required: " + std::string(kTimeHint)});
    else *target = *t;
  }
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

json::value to_json(const ReportValue& v) {
  return std::visit(
      [](const auto& x) -> json::value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return nullptr;
        else return json::value(x);
      },
      v);
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

json::object report_json(const Report& report, const ReportFilter& f) {
  json::array figures;
  for (const auto& fig : report.figures)
    figures.push_back({{"name", fig.name}, {"value", to_json(fig.value)}, {"drill", fig.drill}});
  json::array tables;
  for (const auto& t : report.tables) {
    json::array columns(t.columns.begin(), t.columns.end());
    json::array rows;
    for (const auto& row : t.rows) {
      json::array cells;
      for (const auto& v : row) cells.push_back(to_json(v));
      rows.push_back(std::move(cells));
    }
    tables.push_back({{"name", t.name},
                      {"columns", std::move(columns)},
                      {"rows", std::move(rows)},
                      {"chart", t.chart},
                      {"drill_by", t.drill_by},
                      {"drill_figure", t.drill_figure}});
  }
  return {{"from", format_time(f.from)},
          {"to", format_time(f.to)},
          {"figures", std::move(figures)},
          {"tables", std::move(tables)}};
}

// One CSV field (RFC 4180). Text that a spreadsheet would run as a formula is prefixed with
// an apostrophe: comments and searches come from users.
std::string csv_field(const ReportValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return {};
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  std::string text = std::get<std::string>(v);
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    text.insert(0, "'");
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string csv_line(const std::vector<ReportValue>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_field(cells[i]);
  }
  return line + "\r\n";
}

Response csv_response(std::string body, std::string_view filename) {
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", content_disposition(filename, false));
  return r;
}

// The figures (with the previous period's beside them), or one table's rows.
std::expected<Response, Response> csv_of(const ReportAnswer& a, std::optional<std::string_view> table) {
  const Report& report = a.report;
  std::string body;
  const std::string period = fmt::format("{}_{}", format_time(a.filter.from).substr(0, 10),
                                         format_time(a.filter.to).substr(0, 10));
  if (!table) {
    std::vector<ReportValue> head{std::string("figure"), std::string("value")};
    if (a.previous) head.emplace_back(std::string("previous"));
    body += csv_line(head);
    for (const auto& f : report.figures) {
      std::vector<ReportValue> row{f.name, f.value};
      if (a.previous) {
        const ReportFigure* before = a.previous->figure(f.name);
        row.push_back(before ? before->value : ReportValue{});
      }
      body += csv_line(row);
    }
    return csv_response(std::move(body), fmt::format("{}_{}.csv", report.name, period));
  }
  const ReportTable* t = report.table(*table);
  if (t == nullptr) {
    std::string names;
    for (const auto& each : report.tables) names += (names.empty() ? "" : ", ") + each.name;
    return std::unexpected(problem(invalid_field("table", "one of: " + names).error()));
  }
  body += csv_line(std::vector<ReportValue>(t->columns.begin(), t->columns.end()));
  for (const auto& row : t->rows) body += csv_line(row);
  return csv_response(std::move(body), fmt::format("{}_{}_{}.csv", report.name, t->name, period));
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
      auto response = csv_of(*answer, table && !table->empty() ? table : std::nullopt);
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
