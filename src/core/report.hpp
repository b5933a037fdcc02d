// A service-desk report as numbers (docs/reports.md): named figures and named tables, the
// same shape for every report, so the API answers each in JSON and CSV and the dashboard draws
// each without knowing it. What a report counts is the store's (the report queries over the
// report facts); which reports exist and who may read them is app/report_service.hpp's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace fl {

// The period [from, to) and the dimensions a report is narrowed to. Tickets are filtered by
// their dimensions as they are now (organisation, category, channel) and by the team and line
// they are at now; moves by the team or line they left or reached; contacts by the team and
// line the agent answered for.
struct ReportFilter {
  Timestamp from{};
  Timestamp to{};
  std::optional<OrganizationId> organization;
  std::optional<TeamId> team;
  std::optional<int> line;
  std::optional<std::string> category;
  std::optional<std::string> channel;
};

// A cell: nothing (no data, e.g. a rate over zero), a count, a measure or a name.
using ReportValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct ReportFigure {
  std::string name;  // "fcr_rate"
  ReportValue value;
  // The tickets behind the number (GET /api/v1/reports/{name}/tickets?figure=...): empty
  // when the figure is not about tickets (a rate's tickets are its numerator's).
  std::string drill;
};

struct ReportTable {
  std::string name;  // "by_category"
  std::vector<std::string> columns;
  std::vector<std::vector<ReportValue>> rows;
  // For the dashboard: "bar" or "line" over the first column, or empty (a table only).
  std::string chart;
  // Rows drill down when the first column is this filter's value ("category", "channel",
  // "team", "line", "organization"); empty: they do not.
  std::string drill_by;
  // With drill_by: the figure the row's tickets are drilled from.
  std::string drill_figure;
};

struct Report {
  std::string name;
  std::vector<ReportFigure> figures;
  std::vector<ReportTable> tables;

  [[nodiscard]] const ReportFigure* figure(std::string_view n) const {
    for (const auto& f : figures)
      if (f.name == n) return &f;
    return nullptr;
  }
  [[nodiscard]] const ReportTable* table(std::string_view n) const {
    for (const auto& t : tables)
      if (t.name == n) return &t;
    return nullptr;
  }
};

// part / whole, nothing when whole is 0.
[[nodiscard]] inline ReportValue rate_of(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::monostate{};
  return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace fl
