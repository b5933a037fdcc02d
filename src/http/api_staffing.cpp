// Staffing over the API (docs/staffing.md, "Measured staffing and what-if over the API"): the
// `staffing` report in the reports' shape (JSON or CSV), the staffing plan, and the what-if.
// Parsing and mapping only: the arithmetic is app/staffing_service's.
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cmath>

#include "app/staffing_service.hpp"
#include "http/api_common.hpp"
#include "http/json_mapping.hpp"
#include "http/report_json.hpp"

namespace fl::http {

namespace json = boost::json;
using staffing::Desk;

namespace {

constexpr int kMaxPeriodDays = 400;


// The period, the dimensions and the target, from query parameters or a JSON body's fields:
// `text(name)` gives a field's text (nullopt when absent).
struct Asked {
  StaffingRequest request;
  json::object filters;  // as echoed back
};

template <class TextOf, class NumberOf>
std::expected<Asked, Response> read_request(TextOf text, NumberOf number) {
  Asked a;
  std::vector<FieldError> errors;
  auto from = period_time("from", text("from"), errors);
  auto to = period_time("to", text("to"), errors);
  if (from && to) {
    if (*to <= *from)
      errors.push_back({"to", "must be after from"});
    else if (*to - *from > std::chrono::days(kMaxPeriodDays))
      errors.push_back({"to", "the period is at most " + std::to_string(kMaxPeriodDays) + " days"});
    else {
      a.request.filter.from = *from;
      a.request.filter.to = *to;
    }
  }
  auto id_of = [&](std::string_view name) -> std::optional<std::int64_t> {
    auto v = text(name);
    if (!v || v->empty()) return std::nullopt;
    auto id = parse_id(*v);
    if (!id)
      errors.push_back({std::string(name), "a positive integer id"});
    else
      a.filters[name] = *id;
    return id;
  };
  a.request.filter.organization = id_of("organization");
  a.request.filter.team = id_of("team");
  for (std::string_view name : {"category", "channel"}) {
    auto v = text(name);
    if (!v || v->empty()) continue;
    if (v->size() > 200) {
      errors.push_back({std::string(name), "at most 200 characters"});
      continue;
    }
    (name == "category" ? a.request.filter.category : a.request.filter.channel) = std::string(*v);
    a.filters[name] = *v;
  }
  if (auto line = text("line"); line && !line->empty()) {
    std::optional<Desk> desk;
    if (*line == "1")
      desk = Desk::line1;
    else if (*line == "2")
      desk = Desk::line2;
    else if (*line == "3")
      desk = Desk::line3;
    else if (*line == "4")
      desk = Desk::line4;
    else
      desk = desk_named(*line);
    if (!desk)
      errors.push_back({"line", "1, 2, 3, 4 or partner (or line1 ... line4)"});
    else {
      a.request.desk = *desk;
      a.filters["line"] = desk_name(*desk);
    }
  }
  auto target_field = [&](std::string_view name, double& field) {
    auto v = number(name, errors);
    if (v) field = *v;
  };
  target_field("service_level", a.request.target.service_level);
  target_field("answer_seconds", a.request.target.answer_within_seconds);
  target_field("max_occupancy", a.request.target.max_occupancy);
  target_field("shrinkage", a.request.target.shrinkage);
  if (!errors.empty()) return std::unexpected(problem(invalid_fields(std::move(errors)).error()));
  return a;
}

std::optional<double> number_text(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::expected<Asked, Response> request_from_query(const Request& r) {
  auto text = [&r](std::string_view name) { return r.param(name); };
  auto number = [&r](std::string_view name,
                     std::vector<FieldError>& errors) -> std::optional<double> {
    auto v = r.param(name);
    if (!v || v->empty()) return std::nullopt;
    auto n = number_text(*v);
    if (!n) errors.push_back({std::string(name), "a number"});
    return n;
  };
  return read_request(text, number);
}

json::object target_json(const staffing::ServiceTarget& t) {
  return {{"service_level", t.service_level},
          {"answer_seconds", t.answer_within_seconds},
          {"max_occupancy", t.max_occupancy},
          {"shrinkage", t.shrinkage}};
}

json::object staffing_json(const Report& report, const Asked& asked) {
  json::object o = report_json(report, asked.request.filter);
  json::object filters = asked.filters;
  if (!filters.contains("line")) filters["line"] = desk_name(asked.request.desk);
  o["report"] = report.name;
  o["filters"] = std::move(filters);
  o["target"] = target_json(asked.request.target);
  return o;
}

json::value plan_json(const StaffingPlan& plan) {
  json::object o = json::parse(encode_plan(plan)).as_object();
  o["version"] = plan.version;
  o["updated_at"] =
      plan.version > 0 ? json::value(format_time(plan.updated_at)) : json::value(nullptr);
  json::object rostered;
  for (int i = 0; i < staffing::kDeskCount; ++i) {
    const auto d = static_cast<Desk>(i);
    if (!plan.planned(d)) continue;
    json::array hours;
    for (int n : plan.rostered(d)) hours.push_back(n);
    rostered[desk_name(d)] = std::move(hours);
  }
  o["agents_per_hour"] = std::move(rostered);
  return o;
}

json::object outlook_json(const DeskOutlook& d) {
  json::array needed;
  for (int n : d.needed_per_hour) needed.push_back(n);
  return {{"in_use", d.in_use},
          {"needed_peak", d.needed_peak},
          {"needed_agent_hours", d.needed_agent_hours},
          {"needed_per_hour", std::move(needed)},
          {"roster", d.roster},
          {"rostered_agent_hours", d.rostered_agent_hours},
          {"hours_short", d.hours_short},
          {"arrivals", d.arrivals},
          {"mean_wait_seconds", d.mean_wait_seconds},
          {"service_level", d.service_level},
          {"utilisation", d.utilisation},
          {"backlog_at_end", d.backlog_at_end},
          {"sla_risk", d.sla_risk}};
}

json::object scenario_json(const ScenarioOutlook& o) {
  return {{"arrivals_per_week", o.arrivals_per_week},
          {"deflection_rate", o.deflection_rate},
          {"first_line_resolution", o.first_line_resolution},
          {"outsourced_share", o.outsourced_share}};
}

}  // namespace

void add_staffing_routes(Router& router, ApiServices& s) {
  if (s.staffing == nullptr) return;
  StaffingService& staffing = *s.staffing;

  router.add("GET", "/api/v1/reports/staffing",
             [&s, &staffing](const Request& r, const PathParams&) {
               auto session = s.auth.authenticate(r.authorization);
               if (!session) return problem(session.error());
               auto format = r.param("format");
               if (format && *format != "json" && *format != "csv")
                 return problem(invalid_field("format", "json or csv").error());
               auto asked = request_from_query(r);
               if (!asked) return asked.error();
               auto report = staffing.report(**session, asked->request);
               if (!report) return problem(report.error());
               if (format && *format == "csv") {
                 auto table = r.param("table");
                 auto csv = report_csv(*report, asked->request.filter, nullptr,
                                       table && !table->empty() ? table : std::nullopt);
                 return csv ? *csv : csv.error();
               }
               return json_response(200, staffing_json(*report, *asked));
             });

  router.add("GET", "/api/v1/staffing/plan", [&s, &staffing](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto plan = staffing.plan(**session);
    if (!plan) return problem(plan.error());
    return json_response(200, plan_json(*plan));
  });

  router.add("PUT", "/api/v1/staffing/plan", [&s, &staffing](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    std::optional<std::int64_t> version;
    if (body->has("version") && !body->is_null("version")) version = body->integer("version");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto plan = decode_plan(r.body);
    if (!plan) return problem(plan.error());
    auto saved = staffing.save_plan(**session, *plan, version);
    if (!saved) return problem(saved.error());
    return json_response(200, plan_json(*saved));
  });

  router.add(
      "POST", "/api/v1/staffing/what-if", [&s, &staffing](const Request& r, const PathParams&) {
        auto session = s.auth.authenticate(r.authorization);
        if (!session) return problem(session.error());
        auto checked = JsonBody::parse(r);  // 415 / 400 for what is not a JSON object
        if (!checked) return checked.error();
        const json::object body = json::parse(r.body).as_object();
        {
          // Unknown keys and texts of the wrong type are named, not ignored.
          std::vector<FieldError> wrong;
          for (const auto& kv : body) {
            const std::string_view key = kv.key();
            const bool text_key =
                key == "from" || key == "to" || key == "category" || key == "channel";
            const bool known = text_key || key == "organization" || key == "team" ||
                               key == "line" || key == "service_level" || key == "answer_seconds" ||
                               key == "max_occupancy" || key == "shrinkage" || key == "overrides";
            if (!known)
              wrong.push_back({std::string(key), "unknown key"});
            else if (text_key && !kv.value().is_string() && !kv.value().is_null())
              wrong.push_back({std::string(key), "a text"});
          }
          if (!wrong.empty()) return problem(invalid_fields(std::move(wrong)).error());
        }
        std::vector<std::string> texts;  // keeps numbers given as text alive for the reader
        auto text = [&body](std::string_view name) -> std::optional<std::string_view> {
          const json::value* v = body.if_contains(name);
          if (v == nullptr || v->is_null()) return std::nullopt;
          if (v->is_string()) return std::string_view(v->as_string());
          return std::string_view("?");  // not text: reported by the field's own check
        };
        auto id_text = [&body, &texts,
                        &text](std::string_view name) -> std::optional<std::string_view> {
          const json::value* v = body.if_contains(name);
          if (v != nullptr && v->is_int64()) {
            texts.push_back(std::to_string(v->as_int64()));
            return std::string_view(texts.back());
          }
          return text(name);
        };
        auto number_in = [](const json::object& o, std::string_view name, std::string_view field,
                            std::vector<FieldError>& errors) -> std::optional<double> {
          const json::value* v = o.if_contains(name);
          if (v == nullptr || v->is_null()) return std::nullopt;
          if (v->is_number()) return v->to_number<double>();
          errors.push_back({std::string(field), "a number"});
          return std::nullopt;
        };
        texts.reserve(8);
        auto asked = read_request(
            [&](std::string_view name) {
              return name == "organization" || name == "team" || name == "line" ? id_text(name)
                                                                                : text(name);
            },
            [&](std::string_view name, std::vector<FieldError>& errors) {
              return number_in(body, name, name, errors);
            });
        if (!asked) return asked.error();
        WhatIfLevers levers;
        std::vector<FieldError> errors;
        json::object overrides_echo;
        if (const json::value* o = body.if_contains("overrides"); o != nullptr && !o->is_null()) {
          if (!o->is_object()) {
            errors.push_back({"overrides",
                              "an object of deflection_rate, first_line_resolution, "
                              "outsourced_share, arrival_factor"});
          } else {
            for (const auto& kv : o->as_object())
              if (kv.key() != "deflection_rate" && kv.key() != "first_line_resolution" &&
                  kv.key() != "outsourced_share" && kv.key() != "arrival_factor")
                errors.push_back({"overrides." + std::string(kv.key()), "unknown key"});
            const json::object& ov = o->as_object();
            auto lever = [&](std::string_view name, std::optional<double>& field) {
              field = number_in(ov, name, "overrides." + std::string(name), errors);
              if (field) overrides_echo[name] = *field;
            };
            lever("deflection_rate", levers.deflection_rate);
            lever("first_line_resolution", levers.first_line_resolution);
            lever("outsourced_share", levers.outsourced_share);
            lever("arrival_factor", levers.arrival_factor);
          }
        }
        if (!errors.empty()) return problem(invalid_fields(std::move(errors)).error());
        const auto started = std::chrono::steady_clock::now();
        auto result = staffing.what_if(**session, asked->request, levers);
        const double elapsed_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        if (!result) {
          // The levers' checks name the lever; in the request they sit under "overrides".
          Error e = result.error();
          for (auto& f : e.fields)
            if (f.field == "deflection_rate" || f.field == "first_line_resolution" ||
                f.field == "outsourced_share" || f.field == "arrival_factor")
              f.field = "overrides." + f.field;
          return problem(e);
        }
        json::array desks;
        for (int i = 0; i < staffing::kDeskCount; ++i) {
          const auto d = static_cast<Desk>(i);
          const auto u = static_cast<std::size_t>(i);
          const DeskOutlook& base = result->base.desks[u];
          const DeskOutlook& changed = result->changed.desks[u];
          if (!base.in_use && !changed.in_use) continue;
          desks.push_back({{"desk", desk_name(d)},
                           {"line", d == Desk::partner ? 1 : (i == 0 ? 1 : i)},
                           {"base", outlook_json(base)},
                           {"what_if", outlook_json(changed)}});
        }
        json::object out{{"from", format_time(asked->request.filter.from)},
                         {"to", format_time(asked->request.filter.to)},
                         {"filters", asked->filters},
                         {"target", target_json(asked->request.target)},
                         {"overrides", std::move(overrides_echo)},
                         {"seed", result->seed},
                         {"simulated_weeks", result->simulated_weeks},
                         {"opened_above_line1_per_week", result->opened_above_line1_per_week},
                         {"elapsed_ms", elapsed_ms},
                         {"base", scenario_json(result->base)},
                         {"what_if", scenario_json(result->changed)},
                         {"desks", std::move(desks)}};
        return json_response(200, out);
      });
}

}  // namespace fl::http
