// The line-0 report (docs/reports.md): self-service sessions (a search before filing a ticket,
// a chatbot conversation), deflection as the knowledge base defines it, what found nothing and
// which articles failed. Line 0's sessions have no ticket dimensions: the period filters them.
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "store/sqlite/deflection.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/report_queries.hpp"

namespace fl::sqlite {

namespace {

// Articles opened in sessions of the period that still ended in a ticket within the window,
// the 25 with the most such tickets. Only the sessions that filed a ticket are joined to
// their opens; an article's opens in the period are one range of deflection_opens_article.
Result<ReportTable> failed_articles(Connection& c, const ReportFilter& f,
                                    const Conditions& sessions) {
  Conditions despite;
  despite.params.emplace_back(static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(kDeflectionWindow).count()));
  despite += sessions;
  std::map<std::int64_t, std::int64_t> tickets_despite;
  auto read = each_row(
      c,
      "SELECT o.article_id FROM deflection_sessions s JOIN deflection_opens o "
      "ON o.session_id = s.id WHERE s.first_open_at IS NOT NULL AND s.ticket_at IS NOT NULL "
      "AND s.ticket_at <= s.started_at + ?" +
          sessions.sql,
      despite, [&](const Statement& row) { ++tickets_despite[row.int64_at(0)]; });
  if (!read) return std::unexpected(read.error());
  auto top = largest_first(tickets_despite, std::identity{});
  if (top.size() > 25) top.resize(25);

  ReportTable table{.name = "failed_articles",
                    .columns = {"article_id", "title", "opened", "tickets_despite"}};
  for (const auto* entry : top) {
    const auto& [article, filed] = *entry;
    auto opened = c.prepare(
        "SELECT count(*), (SELECT title FROM articles WHERE id = ?1) FROM deflection_opens "
        "WHERE article_id = ?1 AND session_started_at >= ?2 AND session_started_at < ?3");
    if (!opened) return error_of(opened);
    opened->bind_all(article, f.from, f.to);
    auto has_row = opened->step();
    if (!has_row) return error_of(has_row);
    std::vector<ReportValue> row;
    row.emplace_back(article);
    row.emplace_back(opened->is_null(1) ? std::string() : opened->text_at(1));
    row.emplace_back(opened->int64_at(0));
    row.emplace_back(filed);
    table.rows.push_back(std::move(row));
  }
  return table;
}

// Search sessions and chatbot conversations per day (UTC), counted as the two indexes are
// read (a UNION grouped by day sorts the period's sessions).
Result<ReportTable> sessions_by_day(Connection& c, const Conditions& sessions,
                                    const Conditions& bot_period) {
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> days;
  for (bool bot : {false, true}) {
    const Conditions& where = bot ? bot_period : sessions;
    auto read =
        each_row(c,
                 bot ? "SELECT created_at FROM bot_sessions WHERE 1 = 1" + where.sql
                     : "SELECT s.started_at FROM deflection_sessions s WHERE 1 = 1" + where.sql,
                 where, [&](const Statement& row) {
                   auto& day = days[row.int64_at(0) / 86'400'000];
                   ++(bot ? day.second : day.first);
                 });
    if (!read) return std::unexpected(read.error());
  }
  ReportTable table{.name = "by_day", .columns = {"day", "search_sessions", "bot_sessions"},
                    .chart = "line"};
  for (const auto& [day, counts] : days) {
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
    std::vector<ReportValue> row;
    row.emplace_back(fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                                 static_cast<unsigned>(date.month()),
                                 static_cast<unsigned>(date.day())));
    row.emplace_back(counts.first);
    row.emplace_back(counts.second);
    table.rows.push_back(std::move(row));
  }
  return table;
}


Result<Report> load_line0(Connection& c, const ReportFilter& f, Timestamp now) {
  auto search = load_deflection_totals(c, f.from, f.to, now, kDeflectionWindow);
  if (!search) return error_of(search);
  const Conditions bot_period = in_period("created_at", f);
  auto bot = row_of(c,
                    "SELECT count(*), sum(status = 'deflected'), sum(status = 'handed_off'), "
                    "sum(status = 'abandoned'), sum(status = 'open') FROM bot_sessions "
                    "WHERE 1 = 1" + bot_period.sql,
                    bot_period, 5);
  if (!bot) return error_of(bot);
  const Conditions sessions = in_period("s.started_at", f);
  auto nothing = row_of(c,
                        "SELECT count(*) FROM deflection_sessions s WHERE s.suggestions = 0" +
                            sessions.sql,
                        sessions, 1);
  if (!nothing) return error_of(nothing);

  const DeflectionFigures& s = *search;
  const auto& b = *bot;
  const std::int64_t bot_sessions = count_of(b[0]);
  const std::int64_t bot_deflected = count_of(b[1]);
  const std::int64_t bot_decided = bot_sessions - count_of(b[4]);
  Report report;
  report.figures = {
      {"sessions", s.sessions + bot_sessions, ""},
      {"search_sessions", s.sessions, ""},
      {"bot_sessions", bot_sessions, ""},
      {"deflected", s.deflected + bot_deflected, ""},
      {"deflection_rate",
       rate_of(s.deflected + bot_deflected, s.sessions - s.pending + bot_decided), ""},
      {"search_deflection_rate", rate_of(s.deflected, s.sessions - s.pending), ""},
      {"bot_deflection_rate", rate_of(bot_deflected, bot_decided), ""},
      {"bot_handed_off", as_count(b[2]), "bot_handed_off"},
      {"bot_abandoned", as_count(b[3]), ""},
      {"tickets_after_self_service", s.tickets_filed + count_of(b[2]),
       "tickets_after_self_service"},
      {"no_result_searches", (*nothing)[0], ""},
  };

  auto gaps = table_of(c, "no_result_searches", {"query", "searches"},
                       "SELECT lower(trim(s.query)) AS q, count(*) FROM deflection_sessions s "
                       "WHERE s.suggestions = 0" + sessions.sql +
                           " GROUP BY q ORDER BY count(*) DESC, q LIMIT 25",
                       sessions);
  if (!gaps) return error_of(gaps);
  report.tables.push_back(std::move(*gaps));

  auto failed = failed_articles(c, f, sessions);
  if (!failed) return error_of(failed);
  report.tables.push_back(std::move(*failed));

  auto by_day = sessions_by_day(c, sessions, bot_period);
  if (!by_day) return error_of(by_day);
  report.tables.push_back(std::move(*by_day));
  return report;
}

Result<std::vector<TicketId>> drill_line0(Connection& c, std::string_view figure,
                                          const ReportFilter& f, Timestamp, int limit) {
  const Conditions bot_period = in_period("created_at", f);
  if (figure == "bot_handed_off")
    return ticket_ids(c,
                      "SELECT ticket_id FROM bot_sessions WHERE status = 'handed_off' AND "
                      "ticket_id IS NOT NULL" + bot_period.sql +
                          " ORDER BY created_at DESC LIMIT ?",
                      bot_period, limit);
  if (figure != "tickets_after_self_service") return unknown_figure("line0", figure);
  const Conditions searches = in_period("started_at", f);
  Conditions where = searches;
  where += bot_period;
  return ticket_ids(c,
                    "SELECT ticket_id FROM (SELECT ticket_id, started_at AS at FROM "
                    "deflection_sessions WHERE ticket_id IS NOT NULL" + searches.sql +
                        " UNION ALL SELECT ticket_id, created_at FROM bot_sessions WHERE "
                        "status = 'handed_off' AND ticket_id IS NOT NULL" + bot_period.sql +
                        ") GROUP BY ticket_id ORDER BY max(at) DESC, ticket_id DESC LIMIT ?",
                    where, limit);
}

}  // namespace

const ReportQueries& line0_report() {
  static const ReportQueries r{"line0", load_line0, drill_line0};
  return r;
}

}  // namespace fl::sqlite
