// The backlog and CSAT reports (docs/reports.md), from report_tickets.
#include <spdlog/fmt/fmt.h>

#include "store/sqlite/records.hpp"
#include "store/sqlite/report_queries.hpp"

namespace fl::sqlite {

namespace {

constexpr std::string_view kOpen = "t.status NOT IN ('resolved', 'closed')";
constexpr std::int64_t kDayMs = 86'400'000;

// Open now (the period does not narrow it: the backlog is today's).
Conditions open_now(const ReportFilter& f) {
  Conditions c;
  c.add(kOpen);
  c += ticket_dimensions("t", f);
  return c;
}

Conditions resolved_in(const ReportFilter& f) {
  Conditions c = in_period("t.resolved_at", f);
  c += ticket_dimensions("t", f);
  return c;
}

Conditions created_in(const ReportFilter& f) {
  Conditions c = in_period("t.created_at", f);
  c += ticket_dimensions("t", f);
  return c;
}

// The age bucket of an open ticket; `?` is now (in milliseconds).
constexpr std::string_view kAgeBucket =
    "CASE WHEN ? - t.created_at < 86400000 THEN '0-1d' "
    "WHEN ? - t.created_at < 3 * 86400000 THEN '1-3d' "
    "WHEN ? - t.created_at < 7 * 86400000 THEN '3-7d' "
    "WHEN ? - t.created_at < 30 * 86400000 THEN '7-30d' ELSE '30d+' END";

Conditions now_params(Timestamp now, int times) {
  Conditions c;
  for (int i = 0; i < times; ++i) c.params.emplace_back(to_millis(now));
  return c;
}

Result<Report> load_backlog(Connection& c, const ReportFilter& f, Timestamp now) {
  Report report;
  const Conditions open = open_now(f);
  Conditions totals_params = now_params(now, 2);
  totals_params += open;
  auto totals = row_of(c,
                       fmt::format("SELECT count(*), sum(? - t.created_at > 7 * 86400000), "
                                   "avg((? - t.created_at) / 86400000.0) "
                                   "FROM report_tickets t WHERE 1 = 1{}",
                                   open.sql),
                       totals_params, 3);
  if (!totals) return error_of(totals);
  const Conditions created = created_in(f);
  const Conditions resolved = resolved_in(f);
  auto inflow = row_of(c, "SELECT count(*) FROM report_tickets t WHERE 1 = 1" + created.sql,
                       created, 1);
  if (!inflow) return error_of(inflow);
  auto outflow = row_of(c, "SELECT count(*) FROM report_tickets t WHERE 1 = 1" + resolved.sql,
                        resolved, 1);
  if (!outflow) return error_of(outflow);
  const auto& v = *totals;
  const std::int64_t in = count_of((*inflow)[0]);
  const std::int64_t out = count_of((*outflow)[0]);
  report.figures = {
      {"open", v[0], "open"},
      {"open_over_7_days", as_count(v[1]), "open_over_7_days"},
      {"avg_open_age_days", v[2], ""},
      {"inflow", in, "inflow"},
      {"outflow", out, "outflow"},
      {"net_flow", in - out, ""},
  };

  Conditions age_params = now_params(now, 4);
  age_params += open;
  auto by_age = table_of(c, "by_age", {"age", "open", "line1", "line2", "line3", "line4"},
                         fmt::format("SELECT {} AS bucket, count(*), sum(t.line = 1), "
                                     "sum(t.line = 2), sum(t.line = 3), sum(t.line = 4) "
                                     "FROM report_tickets t WHERE 1 = 1{} GROUP BY bucket "
                                     "ORDER BY min(t.created_at) DESC",
                                     kAgeBucket, open.sql),
                         age_params);
  if (!by_age) return error_of(by_age);
  by_age->chart = "bar";
  report.tables.push_back(std::move(*by_age));

  auto by_line = table_of(c, "by_line_status", {"line", "status", "open"},
                          "SELECT t.line, t.status, count(*) FROM report_tickets t WHERE 1 = 1" +
                              open.sql + " GROUP BY t.line, t.status ORDER BY t.line, t.status",
                          open);
  if (!by_line) return error_of(by_line);
  by_line->drill_by = "line";
  by_line->drill_figure = "open";
  report.tables.push_back(std::move(*by_line));

  Conditions flow_params = created;
  flow_params += resolved;
  auto by_day = table_of(
      c, "by_day", {"day", "inflow", "outflow"},
      fmt::format("SELECT date(day * 86400, 'unixepoch'), sum(i), sum(o) FROM ("
                  "SELECT t.created_at / {0} AS day, 1 AS i, 0 AS o FROM report_tickets t "
                  "WHERE 1 = 1{1} UNION ALL SELECT t.resolved_at / {0}, 0, 1 "
                  "FROM report_tickets t WHERE 1 = 1{2}) GROUP BY day ORDER BY day",
                  kDayMs, created.sql, resolved.sql),
      flow_params);
  if (!by_day) return error_of(by_day);
  by_day->chart = "line";
  report.tables.push_back(std::move(*by_day));
  return report;
}

Result<std::vector<TicketId>> drill_backlog(Connection& c, std::string_view figure,
                                            const ReportFilter& f, Timestamp now, int limit) {
  Conditions where;
  std::string order = "t.created_at";
  if (figure == "open") where = open_now(f);
  else if (figure == "open_over_7_days") {
    where.add("? - t.created_at > 7 * 86400000", now);
    where += open_now(f);
  } else if (figure == "inflow") where = created_in(f);
  else if (figure == "outflow") {
    where = resolved_in(f);
    order = "t.resolved_at";
  } else return unknown_figure("backlog", figure);
  return ticket_ids(c,
                    fmt::format("SELECT t.ticket_id FROM report_tickets t WHERE 1 = 1{} "
                                "ORDER BY {} DESC, t.ticket_id DESC LIMIT ?",
                                where.sql, order),
                    where, limit);
}

// --- CSAT (ratings 1..5; 4 and 5 count as satisfied) --------------------------------------

Conditions rated_in(const ReportFilter& f) {
  Conditions c = in_period("t.csat_at", f);
  c += ticket_dimensions("t", f);
  return c;
}

Result<Report> load_csat(Connection& c, const ReportFilter& f, Timestamp) {
  Report report;
  const Conditions rated = rated_in(f);
  auto totals = row_of(c,
                       "SELECT count(*), avg(t.csat_score), sum(t.csat_score >= 4), "
                       "sum(t.csat_score <= 2), sum(t.csat_comment <> '') "
                       "FROM report_tickets t WHERE t.csat_score IS NOT NULL" + rated.sql,
                       rated, 5);
  if (!totals) return error_of(totals);
  const auto& v = *totals;
  report.figures = {
      {"ratings", v[0], "rated"},
      {"average_score", v[1], ""},
      {"satisfied_rate", rate_of(count_of(v[2]), count_of(v[0])), ""},
      {"dissatisfied", as_count(v[3]), "dissatisfied"},
      {"comments", as_count(v[4]), "commented"},
  };
  const std::string figures_sql =
      "count(*), avg(t.csat_score), avg(t.csat_score >= 4) FROM report_tickets t ";
  struct By {
    const char* name;
    std::vector<std::string> columns;
    std::string select;
    std::string join;
    std::string group;
    std::string drill_by;
  };
  const std::vector<By> groupings{
      {"by_line", {"line", "ratings", "average_score", "satisfied_rate"},
       "t.line", "", "t.line", "line"},
      {"by_team", {"team_id", "team", "ratings", "average_score", "satisfied_rate"},
       "t.team, coalesce(tm.name, '')", "LEFT JOIN teams tm ON tm.id = t.team ", "t.team",
       "team"},
      {"by_agent", {"agent_id", "agent", "ratings", "average_score", "satisfied_rate"},
       "t.assignee_id, coalesce(u.name, '')", "LEFT JOIN users u ON u.id = t.assignee_id ",
       "t.assignee_id", ""},
      {"by_category", {"category", "ratings", "average_score", "satisfied_rate"}, "t.category",
       "", "t.category", "category"},
  };
  for (const auto& by : groupings) {
    auto table = table_of(c, by.name, by.columns,
                          fmt::format("SELECT {}, {}{}WHERE t.csat_score IS NOT NULL{} "
                                      "GROUP BY {} ORDER BY count(*) DESC, {}",
                                      by.select, figures_sql, by.join, rated.sql, by.group,
                                      by.group),
                          rated);
    if (!table) return error_of(table);
    table->chart = by.name == std::string_view("by_agent") ? "" : "bar";
    table->drill_by = by.drill_by;
    if (!by.drill_by.empty()) table->drill_figure = "rated";
    report.tables.push_back(std::move(*table));
  }
  auto comments = table_of(
      c, "comments", {"ticket_id", "score", "comment", "rated_at"},
      "SELECT t.ticket_id, t.csat_score, t.csat_comment, "
      "strftime('%Y-%m-%dT%H:%M:%SZ', t.csat_at / 1000, 'unixepoch') FROM report_tickets t "
      "WHERE t.csat_score IS NOT NULL AND t.csat_comment <> ''" +
          rated.sql + " ORDER BY t.csat_at DESC, t.ticket_id DESC LIMIT 100",
      rated);
  if (!comments) return error_of(comments);
  report.tables.push_back(std::move(*comments));
  return report;
}

Result<std::vector<TicketId>> drill_csat(Connection& c, std::string_view figure,
                                         const ReportFilter& f, Timestamp, int limit) {
  std::string condition;
  if (figure == "rated") condition = "1 = 1";
  else if (figure == "dissatisfied") condition = "t.csat_score <= 2";
  else if (figure == "commented") condition = "t.csat_comment <> ''";
  else return unknown_figure("csat", figure);
  Conditions where = rated_in(f);
  return ticket_ids(c,
                    fmt::format("SELECT t.ticket_id FROM report_tickets t WHERE "
                                "t.csat_score IS NOT NULL AND {}{} "
                                "ORDER BY t.csat_at DESC, t.ticket_id DESC LIMIT ?",
                                condition, where.sql),
                    where, limit);
}

}  // namespace

const ReportQueries& backlog_report() {
  static const ReportQueries r{"backlog", load_backlog, drill_backlog};
  return r;
}

const ReportQueries& csat_report() {
  static const ReportQueries r{"csat", load_csat, drill_csat};
  return r;
}

}  // namespace fl::sqlite
