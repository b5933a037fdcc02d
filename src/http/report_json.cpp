#include "http/report_json.hpp"

#include <spdlog/fmt/fmt.h>

#include <charconv>
#include <cmath>

#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

// The shortest text that reads back as the same double.
std::string shortest(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string();
}

// One CSV field (RFC 4180). Comments and searches come from users: a leading =, +, -, @ is
// defused with an apostrophe.
std::string csv_field(const ReportValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::isfinite(*d) ? shortest(*d) : "";
  const auto* s = std::get_if<std::string>(&v);
  if (s == nullptr) return {};
  std::string text = *s;
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

}  // namespace

json::value to_json(const ReportValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v))
    return std::isfinite(*d) ? json::value(*d) : json::value(nullptr);
  if (const auto* s = std::get_if<std::string>(&v)) return json::value(*s);
  return nullptr;
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

std::expected<Response, Response> report_csv(const Report& report, const ReportFilter& filter,
                                             const Report* previous,
                                             std::optional<std::string_view> table) {
  const std::string period = fmt::format("{}_{}", format_time(filter.from).substr(0, 10),
                                         format_time(filter.to).substr(0, 10));
  std::string body;
  if (!table) {
    std::vector<ReportValue> head{std::string("figure"), std::string("value")};
    if (previous) head.emplace_back(std::string("previous"));
    body += csv_line(head);
    for (const auto& f : report.figures) {
      std::vector<ReportValue> row{f.name, f.value};
      if (previous) {
        const ReportFigure* before = previous->figure(f.name);
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

}  // namespace fl::http
