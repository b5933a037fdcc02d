// The `sla` report (docs/reports.md) over the SLA facts of migration 24: the clocks that
// stopped in the period, met or breached, by policy, metric, line, team and priority; the
// breaches with the ladder steps fired for them; the time the clocks were paused; and the
// ladder's marks recorded in the period.
//
// Filters: a clock's ticket by its dimensions as it is now (organisation, category, channel,
// through report_tickets), and `team` and `line` by the clock's own team and line - the team
// a line clock measures, and for the ticket's clocks (first response, next response,
// resolution) the team holding the ticket when the clock started, which owns that target end
// to end. So the by_team and by_line rows and their drill-downs count the same clocks.
#include <spdlog/fmt/fmt.h>

#include "store/sqlite/records.hpp"
#include "store/sqlite/report_queries.hpp"

namespace fl::sqlite {

namespace {

// The clocks, with their ticket's facts only when a ticket dimension filters (a join per
// clock is most of the report's time on a large desk).
std::string clocks_from(const ReportFilter& filter) {
  return has_ticket_dimension(filter)
             ? "FROM report_sla_clocks c JOIN report_tickets t ON t.ticket_id = c.ticket_id WHERE 1"
             : "FROM report_sla_clocks c WHERE 1";
}

// The per-group columns after the key: clocks, met, breached, compliance, avg_paused_minutes.
constexpr std::string_view kGroupFigures =
    "count(*), sum(c.state = 'met'), sum(c.state = 'breached'), "
    "sum(c.state = 'met') * 1.0 / nullif(sum(c.state IN ('met', 'breached')), 0), "
    "avg(c.paused_ms) / 60000.0";

// The ticket's dimensions as it is now, and the clock's own team and line.
Conditions clock_dimensions(const ReportFilter& filter) {
  ReportFilter ticket = filter;
  ticket.team.reset();
  ticket.line.reset();
  Conditions c = ticket_dimensions("t", ticket);
  if (filter.team) c.add("c.team = ?", *filter.team);
  if (filter.line) c.add("c.line = ?", *filter.line);
  return c;
}

// Clocks that stopped in the period (each is met or breached).
Conditions stopped_in_period(const ReportFilter& filter) {
  Conditions c = in_period("c.stopped_at", filter);
  c += clock_dimensions(filter);
  return c;
}

// Clocks not stopped and past their target now (still running, or breached and waiting in a
// pausing status). The stored due time is the replay's, so a clock that ran out since the
// ticket's last event counts too, without replaying it.
Conditions past_target(const ReportFilter& filter, Timestamp now) {
  Conditions c;
  c.add("c.stopped_at IS NULL");
  c.add("(c.breached_at IS NOT NULL OR c.due_at <= ?)", now);
  c += clock_dimensions(filter);
  return c;
}

std::vector<std::string> group_columns(std::vector<std::string> keys) {
  for (const char* name : {"clocks", "met", "breached", "compliance", "avg_paused_minutes"})
    keys.emplace_back(name);
  return keys;
}

Result<ReportTable> group_table(Connection& c, std::string name, std::vector<std::string> keys,
                                std::string_view select_keys, std::string_view joins,
                                std::string_view group_by, std::string_view order_by,
                                const Conditions& conditions, bool with_tickets) {
  const std::string sql = fmt::format(
      "SELECT {}, {} FROM report_sla_clocks c {}{} WHERE 1{} "
      "GROUP BY {} ORDER BY {}",
      select_keys, kGroupFigures,
      with_tickets ? "JOIN report_tickets t ON t.ticket_id = c.ticket_id " : "", joins,
      conditions.sql, group_by, order_by);
  return table_of(c, std::move(name), group_columns(std::move(keys)), sql, conditions);
}

// The newest 100 breached clocks that stopped in the period, each with the shares of its
// ladder steps fired ("75,90,100").
Result<ReportTable> breaches_table(Connection& c, const Conditions& conditions) {
  const std::string sql = fmt::format(
      "SELECT c.ticket_id, k.number, c.metric, c.cycle, c.line, c.team, c.target_minutes, "
      "c.breached_at, '' FROM report_sla_clocks c JOIN report_tickets t ON t.ticket_id = "
      "c.ticket_id "
      "JOIN tickets k ON k.id = c.ticket_id WHERE c.state = 'breached'{} "
      "ORDER BY c.breached_at DESC, c.ticket_id DESC, c.metric, c.cycle LIMIT 100",
      conditions.sql);
  auto table = table_of(c, "breaches",
                        {"ticket_id", "number", "metric", "cycle", "line", "team", "target_minutes",
                         "breached_at", "steps"},
                        sql, conditions);
  if (!table) return table;
  for (auto& row : table->rows) {
    auto statement = c.prepare(
        "SELECT DISTINCT percent FROM report_sla_marks WHERE ticket_id = ? AND metric = ? "
        "AND cycle = ? AND breach = 0 ORDER BY percent");
    if (!statement) return error_of(statement);
    statement->bind_all(count_of(row[0]), std::get<std::string>(row[2]), count_of(row[3]));
    std::string steps;
    for (;;) {
      auto has_row = statement->step();
      if (!has_row) return error_of(has_row);
      if (!*has_row) break;
      if (!steps.empty()) steps += ',';
      steps += std::to_string(statement->int64_at(0));
    }
    if (std::holds_alternative<std::int64_t>(row[7]))
      row[7] = format_time(from_millis(std::get<std::int64_t>(row[7])));
    row[8] = std::move(steps);
  }
  return table;
}

Result<Report> load(Connection& c, const ReportFilter& filter, Timestamp now) {
  Report report;
  const Conditions stopped = stopped_in_period(filter);

  auto totals = row_of(c,
                       fmt::format("SELECT count(*), coalesce(sum(c.state = 'met'), 0), "
                                   "coalesce(sum(c.state = 'breached'), 0), "
                                   "coalesce(sum(c.paused_ms), 0) {}{}",
                                   clocks_from(filter), stopped.sql),
                       stopped, 4);
  if (!totals) return std::unexpected(totals.error());
  const std::int64_t met = count_of((*totals)[1]), breached = count_of((*totals)[2]);

  // The ladder's marks recorded in the period; the team and line are their clock's.
  Conditions marks = in_period("m.at", filter);
  marks += clock_dimensions(filter);
  auto marked =
      row_of(c,
             fmt::format("SELECT coalesce(sum(m.breach), 0), coalesce(sum(1 - m.breach), 0) "
                         "FROM report_sla_marks m {}{}WHERE 1{}",
                         has_ticket_dimension(filter)
                             ? "JOIN report_tickets t ON t.ticket_id = m.ticket_id "
                             : "",
                         filter.team || filter.line
                             ? "LEFT JOIN report_sla_clocks c ON c.ticket_id = m.ticket_id "
                               "AND c.metric = m.metric AND c.cycle = m.cycle "
                             : "",
                         marks.sql),
             marks, 2);
  if (!marked) return std::unexpected(marked.error());

  const Conditions overdue = past_target(filter, now);
  auto running =
      row_of(c, fmt::format("SELECT count(*) {}{}", clocks_from(filter), overdue.sql), overdue, 1);
  if (!running) return std::unexpected(running.error());

  report.figures = {
      {"clocks", count_of((*totals)[0]), "clocks"},
      {"met", met, "met"},
      {"breached", breached, "breached"},
      {"compliance", rate_of(met, met + breached), ""},
      {"paused_hours", static_cast<double>(count_of((*totals)[3])) / 3'600'000.0, ""},
      {"breach_events", count_of((*marked)[0]), ""},
      {"ladder_steps", count_of((*marked)[1]), ""},
      {"running_breached", count_of((*running)[0]), "running_breached"},
  };

  const bool with_tickets = has_ticket_dimension(filter);
  auto by_policy = group_table(
      c, "by_policy", {"policy", "policy_name"}, "c.policy_id, coalesce(p.name, '')",
      "LEFT JOIN sla_policies p ON p.id = c.policy_id", "c.policy_id", "c.policy_id", stopped,
      with_tickets);
  if (!by_policy) return std::unexpected(by_policy.error());
  auto by_metric = group_table(c, "by_metric", {"metric"}, "c.metric", "", "c.metric",
                               "CASE c.metric WHEN 'first_response' THEN 1 "
                               "WHEN 'next_response' THEN 2 WHEN 'resolution' THEN 3 "
                               "WHEN 'line_response' THEN 4 ELSE 5 END",
                               stopped, with_tickets);
  if (!by_metric) return std::unexpected(by_metric.error());
  by_metric->chart = "bar";
  auto by_line =
      group_table(c, "by_line", {"line"}, "c.line", "", "c.line", "c.line", stopped, with_tickets);
  if (!by_line) return std::unexpected(by_line.error());
  by_line->drill_by = "line";
  by_line->drill_figure = "breached";
  auto by_team = group_table(c, "by_team", {"team", "team_name"}, "c.team, coalesce(tm.name, '')",
                             "LEFT JOIN teams tm ON tm.id = c.team", "c.team",
                             "coalesce(tm.name, ''), c.team", stopped, with_tickets);
  if (!by_team) return std::unexpected(by_team.error());
  by_team->drill_by = "team";
  by_team->drill_figure = "breached";
  auto by_priority = group_table(c, "by_priority", {"priority"}, "c.priority", "", "c.priority",
                                 "c.priority", stopped, with_tickets);
  if (!by_priority) return std::unexpected(by_priority.error());
  by_priority->chart = "bar";
  auto breaches = breaches_table(c, stopped);
  if (!breaches) return std::unexpected(breaches.error());

  report.tables = {std::move(*by_policy), std::move(*by_metric),   std::move(*by_line),
                   std::move(*by_team),   std::move(*by_priority), std::move(*breaches)};
  return report;
}

Result<std::vector<TicketId>> drill(Connection& c, std::string_view figure,
                                    const ReportFilter& filter, Timestamp now, int limit) {
  Conditions conditions;
  if (figure == "clocks" || figure == "met" || figure == "breached") {
    conditions = stopped_in_period(filter);
    if (figure != "clocks") conditions.add("c.state = ?", figure);
  } else if (figure == "running_breached") {
    conditions = past_target(filter, now);
  } else {
    return fail(ErrorCode::not_found,
                fmt::format("the sla report has no figure '{}' to drill", figure));
  }
  return ticket_ids(
      c,
      fmt::format("SELECT DISTINCT c.ticket_id {}{} ORDER BY c.ticket_id DESC LIMIT ?", clocks_from(filter),
                  conditions.sql),
      conditions, limit);
}

}  // namespace

const ReportQueries& sla_report() {
  static const ReportQueries queries{"sla", &load, &drill};
  return queries;
}

}  // namespace fl::sqlite
