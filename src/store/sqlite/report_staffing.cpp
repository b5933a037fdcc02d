// Staffing measures: see report_staffing.hpp. A handful of aggregate queries over one period;
// arrivals are grouped by the UTC hour in SQL (at most 24 rows a day per line, team kind and
// channel) and those hours are placed in the week of the caller's time zone here.
#include "store/sqlite/report_staffing.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "store/sqlite/records.hpp"
#include "store/sqlite/report_queries.hpp"

namespace fl::sqlite {

namespace {

constexpr std::int64_t kHourMs = 3600 * 1000;

// The ticket dimensions under alias `t` (report_tickets), and the team the row is about:
// the team a ticket opened at, an escalation reached or left, or a call was made for.
Conditions dimensions(const ReportFilter& f, std::string_view team_column) {
  Conditions c;
  if (f.organization) c.add("t.organization_id = ?", *f.organization);
  if (f.category) c.add("t.category = ?", *f.category);
  if (f.channel) c.add("t.channel = ?", *f.channel);
  if (f.team) c.add(fmt::format("{} = ?", team_column), *f.team);
  return c;
}

ReportFilter clipped(const ReportFilter& f, Timestamp to) {
  ReportFilter out = f;
  out.to = to;
  return out;
}

using SeriesKey = std::tuple<int, bool, std::string>;  // line, outsourced, channel

// Rows of (UTC hour, line, outsourced, channel, count) added into the series by the hour of
// the week each hour falls in (its middle, so a zone half an hour off UTC rounds one way).
Result<void> add_arrivals(Connection& c, std::string_view sql, const Conditions& conditions,
                          const date::time_zone* zone, std::map<SeriesKey, ArrivalSeries>& series,
                          std::array<std::int64_t, 5>* totals_by_line = nullptr) {
  auto read = each_row(c, sql, conditions, [&](const Statement& row) {
    const std::int64_t hour = row.int64_at(0);
    const int line = row.int_at(1);
    if (line < 1 || line > 4) return;
    const bool outsourced = row.int64_at(2) != 0;
    std::string channel = row.text_at(3);
    const std::int64_t count = row.int64_at(4);
    SeriesKey key{line, outsourced, channel};
    auto [it, fresh] = series.try_emplace(key);
    if (fresh) {
      it->second.line = line;
      it->second.outsourced = outsourced;
      it->second.channel = std::move(channel);
    }
    const int cell = local_hour_of_week(from_millis(hour * kHourMs + kHourMs / 2), zone);
    it->second.per_hour_of_week[static_cast<std::size_t>(cell)] += count;
    it->second.total += count;
    if (totals_by_line) (*totals_by_line)[static_cast<std::size_t>(line)] += count;
  });
  if (!read) return std::unexpected(read.error());
  return {};
}

}  // namespace

Result<StaffingMeasures> load_staffing_measures(Connection& c, const StaffingQuery& query,
                                                Timestamp now) {
  const Timestamp to = std::min(query.filter.to, now);
  if (to <= query.filter.from)
    return invalid_field("from", "the period must have begun (from before to and before now)");
  const ReportFilter f = clipped(query.filter, to);

  StaffingMeasures m;
  m.from = f.from;
  m.to = to;
  m.weeks = std::chrono::duration<double>(to - f.from).count() / (kStaffingWeekHours * 3600.0);
  for (Timestamp t = f.from; t < to; t += std::chrono::hours(1))
    ++m.hours_in_period[static_cast<std::size_t>(local_hour_of_week(t, query.zone))];

  // Tickets created in the period, and those opened at line 1 by desk.
  {
    Conditions where = in_period("t.created_at", f);
    where += dimensions(f, "t.opened_team");
    auto row = row_of(c, "SELECT count(*) FROM report_tickets t WHERE 1" + where.sql, where, 1);
    if (!row) return error_of(row);
    m.tickets = count_of((*row)[0]);

    auto read =
        each_row(c,
                 "SELECT coalesce(tm.kind = 'outsourced', 0), count(*), "
                 "  coalesce(sum(t.first_resolved_at IS NOT NULL OR t.escalations > 0), 0), "
                 "  coalesce(sum(t.first_resolved_at IS NOT NULL AND t.escalations = 0), 0) "
                 "FROM report_tickets t LEFT JOIN teams tm ON tm.id = t.opened_team "
                 "WHERE t.opened_line = 1" +
                     where.sql + " GROUP BY 1",
                 where, [&](const Statement& row) {
                   FirstLineCounts& counts = row.int64_at(0) != 0 ? m.partner : m.in_house;
                   counts.opened += row.int64_at(1);
                   counts.decided += row.int64_at(2);
                   counts.resolved += row.int64_at(3);
                 });
    if (!read) return std::unexpected(read.error());
  }

  // Arrivals: at the opening desk by creation time, and at another desk by each move that
  // reaches it (an escalation up, a return down, a transfer between the in-house and the
  // partner desk), by the move's time. A transfer within a desk is no new arrival.
  {
    std::map<SeriesKey, ArrivalSeries> series;
    Conditions opened = in_period("t.created_at", f);
    opened += dimensions(f, "t.opened_team");
    if (auto r = add_arrivals(
            c,
            "SELECT t.created_at / 3600000, t.opened_line, coalesce(tm.kind = 'outsourced', 0), "
            "  t.channel, count(*) "
            "FROM report_tickets t LEFT JOIN teams tm ON tm.id = t.opened_team WHERE 1" +
                opened.sql + " GROUP BY 1, 2, 3, 4",
            opened, query.zone, series, &m.opened_at);
        !r)
      return std::unexpected(std::move(r.error()));
    Conditions moved = in_period("m.at", f);
    moved += dimensions(f, "m.to_team");
    if (auto r = add_arrivals(
            c,
            "SELECT m.at / 3600000, m.to_line, coalesce(tm.kind = 'outsourced', 0), t.channel, "
            "  count(*) "
            "FROM report_moves m JOIN report_tickets t ON t.ticket_id = m.ticket_id "
            "LEFT JOIN teams tm ON tm.id = m.to_team LEFT JOIN teams fm ON fm.id = m.from_team "
            "WHERE (m.to_line <> m.from_line OR coalesce(tm.kind = 'outsourced', 0) <> "
            "  coalesce(fm.kind = 'outsourced', 0))" +
                moved.sql + " GROUP BY 1, 2, 3, 4",
            moved, query.zone, series);
        !r)
      return std::unexpected(std::move(r.error()));
    m.arrivals.reserve(series.size());
    for (auto& [key, s] : series) m.arrivals.push_back(std::move(s));
  }

  // Escalations from each line.
  {
    Conditions where = in_period("m.at", f);
    where += dimensions(f, "m.from_team");
    auto read = each_row(c,
                         "SELECT m.from_line, count(*) FROM report_moves m "
                         "JOIN report_tickets t ON t.ticket_id = m.ticket_id "
                         "WHERE m.kind = 'escalation'" +
                             where.sql + " GROUP BY 1",
                         where, [&](const Statement& row) {
                           const int line = row.int_at(0);
                           if (line >= 1 && line <= 4)
                             m.escalated_from[static_cast<std::size_t>(line)] += row.int64_at(1);
                         });
    if (!read) return std::unexpected(read.error());
  }

  // Handling time: calls with a length and recorded minutes, per ticket that has any.
  {
    Conditions where = in_period("ct.at", f);
    where += dimensions(f, "ct.team");
    auto read =
        each_row(c,
                 "SELECT ct.line, coalesce(tm.kind = 'outsourced', 0), t.channel, "
                 "  count(DISTINCT ct.ticket_id), sum(ct.call_seconds + ct.work_seconds) "
                 "FROM report_contacts ct JOIN report_tickets t ON t.ticket_id = ct.ticket_id "
                 "LEFT JOIN teams tm ON tm.id = ct.team "
                 "WHERE ct.call_seconds + ct.work_seconds > 0" +
                     where.sql + " GROUP BY 1, 2, 3",
                 where, [&](const Statement& row) {
                   HandlingSample sample;
                   sample.line = row.int_at(0);
                   sample.outsourced = row.int64_at(1) != 0;
                   sample.channel = row.text_at(2);
                   sample.tickets_timed = row.int64_at(3);
                   sample.handled_seconds = static_cast<double>(row.int64_at(4));
                   if (sample.line >= 1 && sample.line <= 4)
                     m.handling.push_back(std::move(sample));
                 });
    if (!read) return std::unexpected(read.error());
  }

  // Line 0: knowledge-base sessions whose window is over or that filed a ticket, and chatbot
  // conversations that ended solved or handed over without a deflection session of their own
  // (a conversation that showed an article is counted through that session).
  {
    auto statement = c.prepare(
        "SELECT "
        " (SELECT count(*) FROM deflection_sessions s WHERE s.started_at >= ?1 AND "
        "   s.started_at < ?2 AND ((s.ticket_at IS NOT NULL AND s.ticket_at <= s.started_at + ?3)"
        "   OR s.started_at + ?3 <= ?4)), "
        " (SELECT count(*) FROM deflection_sessions s WHERE s.started_at >= ?1 AND "
        "   s.started_at < ?2 AND s.started_at + ?3 <= ?4 AND "
        "   NOT (s.ticket_at IS NOT NULL AND s.ticket_at <= s.started_at + ?3) AND "
        "   EXISTS (SELECT 1 FROM deflection_opens o WHERE o.session_id = s.id)), "
        " (SELECT count(*) FROM bot_sessions b WHERE b.created_at >= ?1 AND b.created_at < ?2 "
        "   AND b.deflection_session = '' AND b.status IN ('deflected', 'handed_off')), "
        " (SELECT count(*) FROM bot_sessions b WHERE b.created_at >= ?1 AND b.created_at < ?2 "
        "   AND b.deflection_session = '' AND b.status = 'deflected')");
    if (!statement) return error_of(statement);
    statement->bind_all(f.from, to, static_cast<std::int64_t>(query.deflection_window.count()),
                        now);
    auto has_row = statement->step();
    if (!has_row) return error_of(has_row);
    m.self_service_decided = statement->int64_at(0) + statement->int64_at(2);
    m.self_service_deflected = statement->int64_at(1) + statement->int64_at(3);
  }
  return m;
}

Result<ConfigDocument> load_setting(Connection& c, std::string_view name) {
  return one<ConfigDocument>(
      c, "SELECT id, name, version, body, updated_at FROM settings WHERE name = ?", name,
      [](const Statement& row) -> Result<ConfigDocument> {
        ConfigDocument d;
        d.id = row.int64_at(0);
        d.name = row.text_at(1);
        d.version = row.int64_at(2);
        d.body = row.text_at(3);
        d.updated_at = row.time_at(4);
        return d;
      },
      fmt::format("setting '{}'", name));
}

}  // namespace fl::sqlite
