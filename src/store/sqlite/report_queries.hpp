// The report queries (core/report.hpp, docs/reports.md) over the report facts (migration 23)
// and line 0's records. Each report is a few aggregate queries over one period; the pieces
// here build the period and filter conditions with their parameters (never spliced values)
// and read a query's rows as a report table.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/report.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

[[nodiscard]] Result<Report> load_report(Connection& c, std::string_view name,
                                         const ReportFilter& filter, Timestamp now);
[[nodiscard]] Result<std::vector<TicketId>> load_report_drill(Connection& c, std::string_view name,
                                                              std::string_view figure,
                                                              const ReportFilter& filter,
                                                              Timestamp now, int limit);

// A query's conditions and their parameters, in order.
struct Conditions {
  std::string sql;  // " AND ..." for each condition
  std::vector<std::variant<std::int64_t, std::string>> params;

  Conditions& add(std::string_view condition) {
    sql += " AND ";
    sql += condition;
    return *this;
  }
  template <class T>
  Conditions& add(std::string_view condition, T value) {
    add(condition);
    if constexpr (std::is_convertible_v<T, std::string_view>)
      params.emplace_back(std::string(value));
    else if constexpr (std::is_same_v<T, Timestamp>)
      params.emplace_back(to_millis(value));
    else
      params.emplace_back(static_cast<std::int64_t>(value));
    return *this;
  }
  Conditions& operator+=(const Conditions& other) {
    sql += other.sql;
    params.insert(params.end(), other.params.begin(), other.params.end());
    return *this;
  }
};

// `column` in [from, to).
[[nodiscard]] Conditions in_period(std::string_view column, const ReportFilter& filter);
// The ticket dimensions of report_tickets under `alias`: organisation, category, channel, and
// the team and line it is at now.
[[nodiscard]] Conditions ticket_dimensions(std::string_view alias, const ReportFilter& filter);

// The filter without its team and line (for queries that place them elsewhere than "the
// team and line the ticket is at now"); whether it names a ticket dimension (organisation,
// category or channel), i.e. whether a query over moves or contacts must join the ticket.
[[nodiscard]] ReportFilter without_place(ReportFilter filter);
[[nodiscard]] bool has_ticket_dimension(const ReportFilter& filter);
// not_found naming the report and the figure.
[[nodiscard]] std::unexpected<Error> unknown_figure(std::string_view report, std::string_view figure);

// Binds the conditions' parameters (after any already bound).
void bind(Statement& statement, const Conditions& conditions);

// Every row of `sql` (with the conditions' parameters bound) as a table under `columns`.
[[nodiscard]] Result<ReportTable> table_of(Connection& c, std::string name,
                                           std::vector<std::string> columns, std::string_view sql,
                                           const Conditions& conditions);
// The first row of `sql` as values (one per column); empty values when there is no row.
[[nodiscard]] Result<std::vector<ReportValue>> row_of(Connection& c, std::string_view sql,
                                                      const Conditions& conditions, int columns);
// Runs `sql` with the conditions' parameters and calls `on_row(row)` for each row: for the
// reports that read a period's rows once and count them in C++.
template <class OnRow>
[[nodiscard]] Result<void> each_row(Connection& c, std::string_view sql,
                                    const Conditions& conditions, OnRow on_row) {
  auto statement = c.prepare(sql);
  if (!statement) return std::unexpected(statement.error());
  bind(*statement, conditions);
  for (;;) {
    auto has_row = statement->step();
    if (!has_row) return std::unexpected(has_row.error());
    if (!*has_row) return {};
    on_row(static_cast<const Statement&>(*statement));
  }
}

// A map's entries (groups counted in C++), the largest `size_of(value)` first; equal ones in
// the map's key order - as SQL's `ORDER BY count DESC, key`.
template <class Map, class SizeOf>
[[nodiscard]] std::vector<const typename Map::value_type*> largest_first(const Map& groups,
                                                                         SizeOf size_of) {
  std::vector<const typename Map::value_type*> order;
  order.reserve(groups.size());
  for (const auto& group : groups) order.push_back(&group);
  std::ranges::stable_sort(order, std::greater<>{},
                           [&](const auto* group) { return std::invoke(size_of, group->second); });
  return order;
}

// The ticket ids of `sql` (one column), at most `limit` (bound last).
[[nodiscard]] Result<std::vector<TicketId>> ticket_ids(Connection& c, std::string_view sql,
                                                       const Conditions& conditions, int limit);

[[nodiscard]] inline std::int64_t count_of(const ReportValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  return 0;
}

// A count from sum(), which is NULL over no rows.
[[nodiscard]] inline ReportValue as_count(const ReportValue& v) { return count_of(v); }

// One report: its tables and figures, and the tickets behind a figure.
struct ReportQueries {
  std::string_view name;
  Result<Report> (*load)(Connection&, const ReportFilter&, Timestamp now);
  Result<std::vector<TicketId>> (*drill)(Connection&, std::string_view figure, const ReportFilter&,
                                         Timestamp now, int limit);
};

// The desk's reports (report_desk.cpp): line1, escalation, backlog, csat; line 0's
// (report_line0.cpp).
[[nodiscard]] const ReportQueries& line1_report();
[[nodiscard]] const ReportQueries& escalation_report();
[[nodiscard]] const ReportQueries& backlog_report();
[[nodiscard]] const ReportQueries& csat_report();
[[nodiscard]] const ReportQueries& line0_report();
// SLA compliance, breaches and paused time over the SLA facts (report_sla.cpp).
[[nodiscard]] const ReportQueries& sla_report();

}  // namespace fl::sqlite
