// Deflection rows: see deflection.hpp. The figures are computed when asked, from the raw
// records, so they can be recomputed for any past period.
#include "store/sqlite/deflection.hpp"

#include <spdlog/fmt/fmt.h>

#include "store/sqlite/records.hpp"

namespace fl::sqlite {

Result<void> start_deflection_session(Connection& c, const DeflectionSession& s,
                                      const std::vector<ArticleId>& suggested) {
  auto insert = c.prepare(
      "INSERT INTO deflection_sessions (id, user_id, query, started_at) VALUES (?, ?, ?, ?)");
  if (!insert) return error_of(insert);
  insert->bind_all(s.id, s.user, s.query, s.started_at);
  if (auto r = insert->run(); !r) return r;
  int rank = 0;
  for (ArticleId a : suggested) {
    auto shown = c.prepare(
        "INSERT OR IGNORE INTO deflection_suggestions (session_id, article_id, rank) VALUES (?, ?, "
        "?)");
    if (!shown) return error_of(shown);
    shown->bind_all(s.id, a, ++rank);
    if (auto r = shown->run(); !r) {
      if (is_missing_reference(r.error()))
        return invalid_field("articles", fmt::format("no article {}", a));
      return r;
    }
  }
  if (suggested.empty()) return {};
  auto count = c.prepare(
      "UPDATE deflection_sessions SET suggestions = (SELECT count(*) FROM deflection_suggestions "
      "WHERE session_id = ?1) WHERE id = ?1");
  if (!count) return error_of(count);
  count->bind(s.id);
  return count->run();
}

Result<void> record_deflection_open(Connection& c, std::string_view session, ArticleId article,
                                    Timestamp at) {
  auto statement = c.prepare(
      "INSERT OR IGNORE INTO deflection_opens (session_id, article_id, at, session_started_at) "
      "VALUES (?1, ?2, ?3, coalesce((SELECT started_at FROM deflection_sessions WHERE id = ?1), "
      "0))");
  if (!statement) return error_of(statement);
  statement->bind_all(session, article, at);
  if (auto r = statement->run(); !r) {
    if (is_missing_reference(r.error()))
      return fail(ErrorCode::not_found,
                  fmt::format("no deflection session {} or article {}", session, article));
    return r;
  }
  auto first = c.prepare(
      "UPDATE deflection_sessions SET first_open_at = ?2 "
      "WHERE id = ?1 AND (first_open_at IS NULL OR first_open_at > ?2)");
  if (!first) return error_of(first);
  first->bind_all(session, at);
  return first->run();
}

Result<void> record_deflection_ticket(Connection& c, std::optional<std::string_view> session,
                                      std::optional<UserId> user, TicketId ticket, Timestamp since,
                                      Timestamp at) {
  if (session) {
    auto named = c.prepare(
        "UPDATE deflection_sessions SET ticket_id = ?, ticket_at = ? WHERE id = ? AND ticket_id IS "
        "NULL");
    if (!named) return error_of(named);
    named->bind_all(ticket, at, *session);
    if (auto r = named->run(); !r) return r;
  }
  if (user) {
    auto recent = c.prepare(
        "UPDATE deflection_sessions SET ticket_id = ?, ticket_at = ? "
        "WHERE user_id = ? AND started_at BETWEEN ? AND ? AND ticket_id IS NULL");
    if (!recent) return error_of(recent);
    recent->bind_all(ticket, at, *user, since, at);
    if (auto r = recent->run(); !r) return r;
  }
  return {};
}

Result<DeflectionFigures> load_deflection_totals(Connection& c, Timestamp from, Timestamp to,
                                                 Timestamp now, std::chrono::milliseconds window) {
  // The session's own columns (suggestions, first open) answer it from the index
  // deflection_sessions_report alone; the sessions are counted here as they are read (as
  // SQL sums, the subquery's `filed` was computed once per sum that used it).
  auto statement = c.prepare(
      "SELECT started_at, suggestions > 0, first_open_at IS NOT NULL, "
      "ticket_at IS NOT NULL AND ticket_at <= started_at + ?3 "
      "FROM deflection_sessions WHERE started_at >= ?1 AND started_at < ?2");
  if (!statement) return error_of(statement);
  statement->bind_all(from, to, static_cast<std::int64_t>(window.count()));
  const std::int64_t over_by =
      to_millis(now) - window.count();  // a window that began by then is over
  DeflectionFigures f;
  for (;;) {
    auto row = statement->step();
    if (!row) return error_of(row);
    if (!*row) break;
    const bool over = statement->int64_at(0) <= over_by;
    const bool opened = statement->int64_at(2) != 0, filed = statement->int64_at(3) != 0;
    f.sessions += 1;
    f.with_suggestions += statement->int64_at(1);
    f.opened += opened ? 1 : 0;
    f.deflected += opened && !filed && over ? 1 : 0;
    f.tickets_filed += filed ? 1 : 0;
    f.pending += !filed && !over ? 1 : 0;
  }
  return f;
}

Result<DeflectionFigures> load_deflection_figures(Connection& c, Timestamp from, Timestamp to,
                                                  Timestamp now, std::chrono::milliseconds window) {
  // ?1 from, ?2 to, ?3 window (ms), ?4 now.
  constexpr std::string_view kSessions =
      "WITH s AS (SELECT id, started_at, "
      "  (ticket_at IS NOT NULL AND ticket_at <= started_at + ?3) AS filed, "
      "  first_open_at IS NOT NULL AS opened, suggestions > 0 AS shown "
      "  FROM deflection_sessions WHERE started_at >= ?1 AND started_at < ?2) ";
  auto totals = load_deflection_totals(c, from, to, now, window);
  if (!totals) return totals;
  DeflectionFigures f = std::move(*totals);

  static const std::string per_article =
      std::string(kSessions) +
      ", opens AS (SELECT o.article_id, count(*) AS opened, "
      "   sum(NOT s.filed AND s.started_at + ?3 <= ?4) AS deflected, sum(s.filed) AS despite "
      "   FROM deflection_opens o JOIN s ON s.id = o.session_id GROUP BY o.article_id), "
      " shown AS (SELECT g.article_id, count(*) AS suggested "
      "   FROM deflection_suggestions g JOIN s ON s.id = g.session_id GROUP BY g.article_id) "
      "SELECT a.id, a.title, coalesce(shown.suggested, 0), coalesce(opens.opened, 0), "
      "  coalesce(opens.deflected, 0), coalesce(opens.despite, 0), a.views, a.helpful, "
      "a.not_helpful "
      "FROM articles a LEFT JOIN shown ON shown.article_id = a.id LEFT JOIN opens ON "
      "opens.article_id = a.id "
      "WHERE shown.suggested IS NOT NULL OR opens.opened IS NOT NULL "
      "ORDER BY coalesce(opens.opened, 0) DESC, coalesce(shown.suggested, 0) DESC, a.id LIMIT 200";
  auto articles = c.prepare(per_article);
  if (!articles) return error_of(articles);
  articles->bind_all(from, to, static_cast<std::int64_t>(window.count()), now);
  auto rows =
      collect<ArticleDeflection>(*articles, [](const Statement& r) -> Result<ArticleDeflection> {
        return ArticleDeflection{r.int64_at(0), r.text_at(1),  r.int64_at(2),
                                 r.int64_at(3), r.int64_at(4), r.int64_at(5),
                                 r.int64_at(6), r.int64_at(7), r.int64_at(8)};
      });
  if (!rows) return error_of(rows);
  f.articles = std::move(*rows);
  return f;
}

}  // namespace fl::sqlite
