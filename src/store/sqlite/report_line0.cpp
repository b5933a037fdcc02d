// The line-0 report (docs/reports.md): self-service sessions (a search before filing a ticket,
// a chatbot conversation), deflection as the knowledge base defines it, what found nothing and
// which articles failed. Line 0's sessions have no ticket dimensions: the period filters them.
#include <spdlog/fmt/fmt.h>

#include <algorithm>

#include "store/sqlite/deflection.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/report_queries.hpp"

namespace fl::sqlite {

namespace {

Result<Report> load_line0(Connection& c, const ReportFilter& f, Timestamp now) {
  auto search = load_deflection_figures(c, f.from, f.to, now, kDeflectionWindow);
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
                        "SELECT count(*) FROM deflection_sessions s WHERE NOT EXISTS (SELECT 1 "
                        "FROM deflection_suggestions g WHERE g.session_id = s.id)" + sessions.sql,
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
                       "WHERE NOT EXISTS (SELECT 1 FROM deflection_suggestions g "
                       "WHERE g.session_id = s.id)" + sessions.sql +
                           " GROUP BY q ORDER BY count(*) DESC, q LIMIT 25",
                       sessions);
  if (!gaps) return error_of(gaps);
  report.tables.push_back(std::move(*gaps));

  ReportTable failed{.name = "failed_articles",
                     .columns = {"article_id", "title", "opened", "tickets_despite", "deflected"}};
  for (const auto& a : s.articles)
    if (a.tickets_despite > 0)
      failed.rows.push_back({a.article, a.title, a.opened, a.tickets_despite, a.deflected});
  std::ranges::stable_sort(failed.rows, [](const auto& x, const auto& y) {
    return count_of(x[3]) > count_of(y[3]);
  });
  if (failed.rows.size() > 25) failed.rows.resize(25);
  report.tables.push_back(std::move(failed));

  Conditions by_day_params = sessions;
  by_day_params += bot_period;
  auto by_day = table_of(
      c, "by_day", {"day", "search_sessions", "bot_sessions"},
      "SELECT date(day * 86400, 'unixepoch'), sum(search), sum(bot) FROM ("
      "SELECT s.started_at / 86400000 AS day, 1 AS search, 0 AS bot FROM deflection_sessions s "
      "WHERE 1 = 1" + sessions.sql +
          " UNION ALL SELECT created_at / 86400000, 0, 1 FROM bot_sessions WHERE 1 = 1" +
          bot_period.sql + ") GROUP BY day ORDER BY day",
      by_day_params);
  if (!by_day) return error_of(by_day);
  by_day->chart = "line";
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
