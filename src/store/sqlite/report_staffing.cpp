// Staffing measures: see report_staffing.hpp. The period's tickets and moves are read once each
// and counted here; arrivals are grouped by the UTC hour (at most 24 a day per line, team kind
// and channel) and those hours placed in the week of the caller's time zone.
#include "store/sqlite/report_staffing.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_set>

#include "store/sqlite/deflection.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/report_queries.hpp"

namespace fl::sqlite {

namespace {

constexpr std::int64_t kHourMs = 3600 * 1000;

// The ticket dimensions under alias `t` (report_tickets), and the team the row is about:
// the team a ticket opened at, an escalation reached or left, or a call was made for.
Conditions dimensions(const ReportFilter& f, std::string_view team_column) {
  Conditions c = ticket_dimensions("t", without_place(f));
  if (f.team) c.add(fmt::format("{} = ?", team_column), *f.team);
  return c;
}

ReportFilter clipped(const ReportFilter& f, Timestamp to) {
  ReportFilter out = f;
  out.to = to;
  return out;
}

// Arrivals counted per UTC hour, line, desk kind and channel as the rows are read, then
// placed in the week of the caller's time zone once per hour (the zone's rules are looked up
// per hour, not per ticket).
using SeriesKey = std::tuple<int, bool, std::string>;  // line, outsourced, channel
using HourKey = std::tuple<std::int64_t, int, bool, std::string>;  // UTC hour first

void add_arrival(std::map<HourKey, std::int64_t>& by_hour, Timestamp at, int line,
                 bool outsourced, const std::string& channel) {
  if (line < 1 || line > 4) return;
  ++by_hour[HourKey{to_millis(at) / kHourMs, line, outsourced, channel}];
}

// The series by the hour of the week each UTC hour falls in (its middle, so a zone half an
// hour off UTC rounds one way).
std::vector<ArrivalSeries> series_of(const std::map<HourKey, std::int64_t>& by_hour,
                                     const date::time_zone* zone) {
  std::map<SeriesKey, ArrivalSeries> series;
  for (const auto& [key, count] : by_hour) {
    const auto& [hour, line, outsourced, channel] = key;
    auto [it, fresh] = series.try_emplace(SeriesKey{line, outsourced, channel});
    if (fresh) {
      it->second.line = line;
      it->second.outsourced = outsourced;
      it->second.channel = channel;
    }
    const int cell = local_hour_of_week(from_millis(hour * kHourMs + kHourMs / 2), zone);
    it->second.per_hour_of_week[static_cast<std::size_t>(cell)] += count;
    it->second.total += count;
  }
  std::vector<ArrivalSeries> out;
  out.reserve(series.size());
  for (auto& [key, s] : series) out.push_back(std::move(s));
  return out;
}

// Which teams are the partner desk (kind outsourced).
Result<std::map<TeamId, bool>> outsourced_teams(Connection& c) {
  std::map<TeamId, bool> kinds;
  auto read = each_row(c, "SELECT id, kind = 'outsourced' FROM teams", {},
                       [&](const Statement& row) { kinds[row.int64_at(0)] = row.int64_at(1) != 0; });
  if (!read) return std::unexpected(read.error());
  return kinds;
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

  auto kinds = outsourced_teams(c);
  if (!kinds) return std::unexpected(kinds.error());
  const auto outsourced = [&](TeamId team) {
    auto it = kinds->find(team);
    return it != kinds->end() && it->second;
  };
  // Arrivals: at the opening desk by creation time, and at another desk by each move that
  // reaches it (an escalation up, a return down, a transfer between the in-house and the
  // partner desk), by the move's time. A transfer within a desk is no new arrival.
  std::map<HourKey, std::int64_t> by_hour;

  // Tickets created in the period (a team filter: the team they opened at), read once: their
  // count, those opened at line 1 by desk, and their arrivals.
  {
    Conditions where = in_period("t.created_at", f);
    where += dimensions(f, "t.opened_team");
    auto read = each_row(
        c,
        "SELECT t.created_at, t.opened_line, t.opened_team, t.channel, "
        "t.first_resolved_at IS NOT NULL, t.escalations > 0 FROM report_tickets t WHERE 1" +
            where.sql,
        where, [&](const Statement& row) {
          m.tickets += 1;
          const int line = row.int_at(1);
          const bool partner = outsourced(row.int64_at(2));
          if (line >= 1 && line <= 4) m.opened_at[static_cast<std::size_t>(line)] += 1;
          add_arrival(by_hour, row.time_at(0), line, partner, row.text_at(3));
          if (line != 1) return;
          const bool resolved = row.int64_at(4) != 0, escalated = row.int64_at(5) != 0;
          FirstLineCounts& counts = partner ? m.partner : m.in_house;
          counts.opened += 1;
          counts.decided += resolved || escalated ? 1 : 0;
          counts.resolved += resolved && !escalated ? 1 : 0;
        });
    if (!read) return std::unexpected(read.error());
  }

  // Moves in the period, read once: arrivals at another desk (a team filter: the team
  // reached) and escalations from each line (a team filter: the team left).
  {
    Conditions where = in_period("m.at", f);
    where += ticket_dimensions("t", without_place(f));
    auto read = each_row(
        c,
        "SELECT m.at, m.kind = 'escalation', m.from_line, m.to_line, m.from_team, m.to_team, "
        "t.channel FROM report_moves m JOIN report_tickets t ON t.ticket_id = m.ticket_id "
        "WHERE 1" +
            where.sql,
        where, [&](const Statement& row) {
          const int from_line = row.int_at(2), to_line = row.int_at(3);
          const TeamId from_team = row.int64_at(4), to_team = row.int64_at(5);
          const bool to_partner = outsourced(to_team);
          if ((!f.team || *f.team == to_team) &&
              (to_line != from_line || to_partner != outsourced(from_team)))
            add_arrival(by_hour, row.time_at(0), to_line, to_partner, row.text_at(6));
          if (row.int64_at(1) != 0 && (!f.team || *f.team == from_team) && from_line >= 1 &&
              from_line <= 4)
            m.escalated_from[static_cast<std::size_t>(from_line)] += 1;
        });
    if (!read) return std::unexpected(read.error());
  }
  m.arrivals = series_of(by_hour, query.zone);

  // Handling time: calls with a length and recorded minutes, per ticket that has any, by the
  // line and desk of the agent's team and the ticket's channel. (`line IN (1, 2, 3, 4)` lets
  // the covering index on (line, at, ...) serve the period.)
  {
    struct Timed {
      std::unordered_set<TicketId> tickets;
      std::int64_t seconds = 0;
    };
    std::map<SeriesKey, Timed> timed;
    Conditions where = in_period("ct.at", f);
    where += dimensions(f, "ct.team");
    auto read = each_row(
        c,
        "SELECT ct.line, ct.team, t.channel, ct.ticket_id, ct.call_seconds + ct.work_seconds "
        "FROM report_contacts ct JOIN report_tickets t ON t.ticket_id = ct.ticket_id "
        "WHERE ct.line IN (1, 2, 3, 4) AND ct.call_seconds + ct.work_seconds > 0" +
            where.sql,
        where, [&](const Statement& row) {
          Timed& t = timed[SeriesKey{row.int_at(0), outsourced(row.int64_at(1)), row.text_at(2)}];
          t.tickets.insert(row.int64_at(3));
          t.seconds += row.int64_at(4);
        });
    if (!read) return std::unexpected(read.error());
    for (auto& [key, t] : timed)
      m.handling.push_back({.line = std::get<0>(key),
                            .outsourced = std::get<1>(key),
                            .channel = std::get<2>(key),
                            .tickets_timed = static_cast<std::int64_t>(t.tickets.size()),
                            .handled_seconds = static_cast<double>(t.seconds)});
  }

  // Line 0: knowledge-base sessions whose window is over or that filed a ticket, and chatbot
  // conversations that ended solved or handed over without a deflection session of their own
  // (a conversation that showed an article is counted through that session).
  {
    auto sessions = load_deflection_totals(c, f.from, to, now, query.deflection_window);
    if (!sessions) return error_of(sessions);
    m.self_service_decided = sessions->sessions - sessions->pending;
    m.self_service_deflected = sessions->deflected;
    auto bot = c.prepare(kChatbotOutcomesSql);
    if (!bot) return error_of(bot);
    bot->bind_all(f.from, to);
    auto has_row = bot->step();
    if (!has_row) return error_of(has_row);
    m.self_service_decided += bot->int64_at(0);
    m.self_service_deflected += bot->int64_at(1);
  }
  return m;
}

}  // namespace fl::sqlite
