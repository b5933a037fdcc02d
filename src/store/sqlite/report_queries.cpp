// The report queries' shared pieces and the list of reports: see report_queries.hpp.
#include "store/sqlite/report_queries.hpp"

#include <spdlog/fmt/fmt.h>

#include <array>

#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

// The reports the store answers, by name.
std::array<const ReportQueries*, 6> all_reports() {
  return {&line0_report(), &line1_report(), &escalation_report(), &sla_report(), &backlog_report(),
          &csat_report()};
}

const ReportQueries* find_report(std::string_view name) {
  for (const ReportQueries* r : all_reports())
    if (r->name == name) return r;
  return nullptr;
}

}  // namespace

Result<Report> load_report(Connection& c, std::string_view name, const ReportFilter& filter,
                           Timestamp now) {
  const ReportQueries* r = find_report(name);
  if (r == nullptr) return fail(ErrorCode::not_found, fmt::format("no report '{}'", name));
  auto report = r->load(c, filter, now);
  if (report) report->name = std::string(name);
  return report;
}

Result<std::vector<TicketId>> load_report_drill(Connection& c, std::string_view name,
                                                std::string_view figure, const ReportFilter& filter,
                                                Timestamp now, int limit) {
  const ReportQueries* r = find_report(name);
  if (r == nullptr) return fail(ErrorCode::not_found, fmt::format("no report '{}'", name));
  return r->drill(c, figure, filter, now, limit);
}

Conditions in_period(std::string_view column, const ReportFilter& filter) {
  Conditions c;
  c.add(fmt::format("{} >= ?", column), filter.from);
  c.add(fmt::format("{} < ?", column), filter.to);
  return c;
}

Conditions ticket_dimensions(std::string_view alias, const ReportFilter& filter) {
  Conditions c;
  if (filter.organization) c.add(fmt::format("{}.organization_id = ?", alias), *filter.organization);
  if (filter.category) c.add(fmt::format("{}.category = ?", alias), *filter.category);
  if (filter.channel) c.add(fmt::format("{}.channel = ?", alias), *filter.channel);
  if (filter.team) c.add(fmt::format("{}.team = ?", alias), *filter.team);
  if (filter.line) c.add(fmt::format("{}.line = ?", alias), *filter.line);
  return c;
}

ReportFilter without_place(ReportFilter filter) {
  filter.team.reset();
  filter.line.reset();
  return filter;
}

bool has_ticket_dimension(const ReportFilter& filter) {
  return filter.organization || filter.category || filter.channel;
}

std::unexpected<Error> unknown_figure(std::string_view report, std::string_view figure) {
  return fail(ErrorCode::not_found,
              fmt::format("the {} report has no tickets behind '{}'", report, figure));
}

void bind(Statement& statement, const Conditions& conditions) {
  for (const auto& p : conditions.params)
    std::visit([&](const auto& v) { statement.bind(v); }, p);
}

Result<ReportTable> table_of(Connection& c, std::string name, std::vector<std::string> columns,
                             std::string_view sql, const Conditions& conditions) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  bind(*statement, conditions);
  ReportTable table{.name = std::move(name), .columns = std::move(columns)};
  const int width = static_cast<int>(table.columns.size());
  for (;;) {
    auto has_row = statement->step();
    if (!has_row) return error_of(has_row);
    if (!*has_row) return table;
    std::vector<ReportValue> row;
    row.reserve(table.columns.size());
    for (int i = 0; i < width; ++i) row.push_back(statement->value_at(i));
    table.rows.push_back(std::move(row));
  }
}

Result<std::vector<ReportValue>> row_of(Connection& c, std::string_view sql,
                                        const Conditions& conditions, int columns) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  bind(*statement, conditions);
  auto has_row = statement->step();
  if (!has_row) return error_of(has_row);
  std::vector<ReportValue> row(static_cast<std::size_t>(columns));
  if (*has_row)
    for (int i = 0; i < columns; ++i) row[static_cast<std::size_t>(i)] = statement->value_at(i);
  return row;
}

Result<std::vector<TicketId>> ticket_ids(Connection& c, std::string_view sql,
                                         const Conditions& conditions, int limit) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  bind(*statement, conditions);
  statement->bind(limit);
  return collect<TicketId>(*statement, [](const Statement& row) -> Result<TicketId> {
    return row.int64_at(0);
  });
}

}  // namespace fl::sqlite
