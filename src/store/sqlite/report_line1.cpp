// The line-1 and escalation reports (docs/reports.md): what the first line solves at once and
// what it hands on, from report_tickets, report_moves and report_contacts.
#include <spdlog/fmt/fmt.h>

#include "store/sqlite/records.hpp"
#include "store/sqlite/report_queries.hpp"

namespace fl::sqlite {

namespace {

// A ticket counts as solved at line 1 when its last resolution was there and it was never
// escalated; first-contact resolution as core/report_facts.hpp defines it.
constexpr std::string_view kSolvedAtLine1 =
    "(t.resolved_at IS NOT NULL AND t.resolved_line = 1 AND t.escalations = 0)";
constexpr std::string_view kFcr =
    "(t.resolved_at IS NOT NULL AND t.resolved_line = 1 AND t.escalations = 0 AND "
    "t.customer_contacts <= 1)";

// Tickets opened at line 1 in the period; a team filter names the line-1 team they opened at.
Conditions line1_tickets(const ReportFilter& f) {
  Conditions c;
  c.add("t.opened_line = 1");
  c += in_period("t.created_at", f);
  c += ticket_dimensions("t", without_place(f));
  if (f.team) c.add("t.opened_team = ?", *f.team);
  return c;
}

// Contacts at line 1 in the period; the ticket is joined only when a ticket dimension filters.
struct Contacts {
  std::string from;
  Conditions where;
};
Contacts line1_contacts(const ReportFilter& f) {
  Contacts c{.from = "report_contacts c"};
  if (has_ticket_dimension(f)) c.from += " JOIN report_tickets t ON t.ticket_id = c.ticket_id";
  c.where.add("c.line = 1");
  c.where += in_period("c.at", f);
  if (f.team) c.where.add("c.team = ?", *f.team);
  c.where += ticket_dimensions("t", without_place(f));
  return c;
}

std::string by_dimension_sql(std::string_view column, const Conditions& where) {
  return fmt::format(
      "SELECT {0}, count(*), sum({1}), sum(t.escalations > 0), sum({2}), "
      "CAST(sum({1}) AS REAL) / count(*), CAST(sum({2}) AS REAL) / count(*) "
      "FROM report_tickets t WHERE 1 = 1{3} GROUP BY {0} ORDER BY count(*) DESC, {0}",
      column, kSolvedAtLine1, kFcr, where.sql);
}

Result<Report> load_line1(Connection& c, const ReportFilter& f, Timestamp) {
  Report report;
  const Conditions tickets = line1_tickets(f);
  auto totals = row_of(c,
                       fmt::format("SELECT count(*), sum({}), sum(t.escalations > 0), sum({}), "
                                   "sum(t.resolved_at IS NULL AND t.escalations = 0), "
                                   "avg((t.first_response_at - t.created_at) / 60000.0), "
                                   "avg(CASE WHEN {} THEN (t.resolved_at - t.created_at) / "
                                   "3600000.0 END) "
                                   "FROM report_tickets t WHERE 1 = 1{}",
                                   kSolvedAtLine1, kFcr, kSolvedAtLine1, tickets.sql),
                       tickets, 7);
  if (!totals) return error_of(totals);
  const auto& v = *totals;
  const std::int64_t count = count_of(v[0]);
  report.figures = {
      {"tickets", v[0], "tickets"},
      {"solved_at_line1", as_count(v[1]), "solved_at_line1"},
      {"escalated", as_count(v[2]), "escalated"},
      {"unsolved", as_count(v[4]), "unsolved"},
      {"fcr", as_count(v[3]), "fcr"},
      {"fcr_rate", rate_of(count_of(v[3]), count), ""},
      {"line1_resolution_rate", rate_of(count_of(v[1]), count), ""},
      {"escalation_rate", rate_of(count_of(v[2]), count), ""},
      {"avg_first_response_minutes", v[5], ""},
      {"avg_resolution_hours_at_line1", v[6], ""},
  };

  const Contacts contacts = line1_contacts(f);
  auto work = row_of(c,
                     fmt::format("SELECT sum(c.kind <> 'note'), "
                                 "count(DISTINCT CASE WHEN c.kind <> 'note' THEN c.agent_id END), "
                                 "count(DISTINCT CASE WHEN c.kind <> 'note' THEN "
                                 "c.agent_id * 100000 + c.at / 86400000 END), "
                                 "sum(c.kind = 'call'), "
                                 "sum(c.kind = 'call' AND c.call_seconds > 0), "
                                 "avg(CASE WHEN c.kind = 'call' AND c.call_seconds > 0 "
                                 "THEN c.call_seconds END), "
                                 "sum(c.call_seconds + c.work_seconds), "
                                 "count(DISTINCT CASE WHEN c.call_seconds + c.work_seconds > 0 "
                                 "THEN c.ticket_id END) FROM {} WHERE 1 = 1{}",
                                 contacts.from, contacts.where.sql),
                     contacts.where, 8);
  if (!work) return error_of(work);
  const auto& w = *work;
  report.figures.push_back({"contacts", as_count(w[0]), ""});
  report.figures.push_back({"agents", w[1], ""});
  report.figures.push_back({"agent_days", w[2], ""});
  report.figures.push_back({"contacts_per_agent_day", rate_of(count_of(w[0]), count_of(w[2])), ""});
  report.figures.push_back({"calls", as_count(w[3]), ""});
  report.figures.push_back({"calls_timed", as_count(w[4]), ""});
  report.figures.push_back({"avg_call_seconds", w[5], ""});
  // Handling time: the calls' length and the time agents recorded on entries, per ticket
  // that has any.
  const std::int64_t handled = count_of(w[6]);
  const std::int64_t timed = count_of(w[7]);
  report.figures.push_back({"tickets_timed", timed, ""});
  report.figures.push_back(
      {"handling_hours", static_cast<double>(handled) / 3600.0, ""});
  report.figures.push_back({"aht_seconds", rate_of(handled, timed), ""});

  const std::vector<std::string> columns{"tickets",  "solved_at_line1",
                                         "escalated", "fcr", "line1_resolution_rate", "fcr_rate"};
  for (auto [name, column, key] : {std::tuple{"by_category", "t.category", "category"},
                                   std::tuple{"by_channel", "t.channel", "channel"}}) {
    std::vector<std::string> cols{key};
    cols.insert(cols.end(), columns.begin(), columns.end());
    auto table = table_of(c, name, std::move(cols), by_dimension_sql(column, tickets), tickets);
    if (!table) return error_of(table);
    table->chart = "bar";
    table->drill_by = key;
    table->drill_figure = "tickets";
    report.tables.push_back(std::move(*table));
  }

  auto agents = table_of(
      c, "agents",
      {"agent_id", "agent", "contacts", "replies", "calls", "days", "contacts_per_day",
       "handling_minutes", "aht_seconds"},
      fmt::format("SELECT c.agent_id, coalesce(u.name, ''), sum(c.kind <> 'note'), "
                  "sum(c.kind = 'reply'), sum(c.kind = 'call'), "
                  "count(DISTINCT CASE WHEN c.kind <> 'note' THEN c.at / 86400000 END), "
                  "CAST(sum(c.kind <> 'note') AS REAL) / "
                  "nullif(count(DISTINCT CASE WHEN c.kind <> 'note' THEN c.at / 86400000 END), 0), "
                  "sum(c.call_seconds + c.work_seconds) / 60.0, "
                  "CAST(sum(c.call_seconds + c.work_seconds) AS REAL) / nullif(count(DISTINCT "
                  "CASE WHEN c.call_seconds + c.work_seconds > 0 THEN c.ticket_id END), 0) "
                  "FROM {} LEFT JOIN users u ON u.id = c.agent_id WHERE 1 = 1{} "
                  "GROUP BY c.agent_id ORDER BY count(*) DESC, c.agent_id",
                  contacts.from, contacts.where.sql),
      contacts.where);
  if (!agents) return error_of(agents);
  report.tables.push_back(std::move(*agents));
  return report;
}

Result<std::vector<TicketId>> drill_line1(Connection& c, std::string_view figure,
                                          const ReportFilter& f, Timestamp, int limit) {
  std::string condition;
  if (figure == "tickets") condition = "1 = 1";
  else if (figure == "solved_at_line1") condition = kSolvedAtLine1;
  else if (figure == "escalated") condition = "t.escalations > 0";
  else if (figure == "unsolved") condition = "t.resolved_at IS NULL AND t.escalations = 0";
  else if (figure == "fcr") condition = kFcr;
  else return unknown_figure("line1", figure);
  Conditions where = line1_tickets(f);
  return ticket_ids(c,
                    fmt::format("SELECT t.ticket_id FROM report_tickets t WHERE {}{} "
                                "ORDER BY t.created_at DESC, t.ticket_id DESC LIMIT ?",
                                condition, where.sql),
                    where, limit);
}

// --- escalation --------------------------------------------------------------------------

// Moves in the period: a team or line filter matches the one the move left or reached.
Contacts moves_in(const ReportFilter& f, std::string_view alias = "m") {
  Contacts m{.from = fmt::format("report_moves {}", alias)};
  if (has_ticket_dimension(f))
    m.from += fmt::format(" JOIN report_tickets t ON t.ticket_id = {}.ticket_id", alias);
  m.where += in_period(fmt::format("{}.at", alias), f);
  if (f.team) {
    m.where.add(fmt::format("({0}.from_team = ? OR {0}.to_team = ?)", alias), *f.team);
    m.where.params.emplace_back(*f.team);
  }
  if (f.line) {
    m.where.add(fmt::format("({0}.from_line = ? OR {0}.to_line = ?)", alias), *f.line);
    m.where.params.emplace_back(static_cast<std::int64_t>(*f.line));
  }
  m.where += ticket_dimensions("t", without_place(f));
  return m;
}

Conditions created_tickets(const ReportFilter& f) {
  Conditions c = in_period("t.created_at", f);
  c += ticket_dimensions("t", f);
  return c;
}

Result<Report> load_escalation(Connection& c, const ReportFilter& f, Timestamp) {
  Report report;
  const Contacts moves = moves_in(f);
  auto totals = row_of(
      c,
      fmt::format("SELECT sum(m.kind = 'escalation'), sum(m.kind = 'transfer'), "
                  "sum(m.kind = 'return'), sum(m.bounce), "
                  "count(DISTINCT CASE WHEN m.kind = 'escalation' THEN m.ticket_id END), "
                  "sum(m.kind = 'escalation' AND m.asked_again), "
                  "avg(CASE WHEN m.kind = 'escalation' THEN m.note_chars END), "
                  "avg(CASE WHEN m.kind = 'escalation' THEN m.ms_at_previous / 3600000.0 END) "
                  "FROM {} WHERE 1 = 1{}",
                  moves.from, moves.where.sql),
      moves.where, 8);
  if (!totals) return error_of(totals);
  const auto& v = *totals;
  const Conditions created = created_tickets(f);
  auto tickets = row_of(c,
                        fmt::format("SELECT count(*), sum(t.escalations > 0) FROM report_tickets t "
                                    "WHERE 1 = 1{}",
                                    created.sql),
                        created, 2);
  if (!tickets) return error_of(tickets);
  const auto& t = *tickets;
  report.figures = {
      {"escalations", as_count(v[0]), "escalated"},
      {"transfers", as_count(v[1]), "transferred"},
      {"returns", as_count(v[2]), "returned"},
      {"bounces", as_count(v[3]), "bounced"},
      {"tickets_escalated", v[4], "escalated"},
      {"tickets_created", t[0], "created"},
      {"escalation_rate", rate_of(count_of(t[1]), count_of(t[0])), ""},
      {"asked_again", as_count(v[5]), "asked_again"},
      {"asked_again_rate", rate_of(count_of(v[5]), count_of(v[0])), ""},
      {"avg_note_chars", v[6], ""},
      {"avg_hours_before_escalation", v[7], ""},
  };

  // Arrivals at a line: tickets opened there and moves reaching it from another line.
  Conditions by_line_params = created;
  by_line_params += moves.where;
  by_line_params += moves.where;
  auto by_line = table_of(
      c, "by_line",
      {"line", "arrivals", "escalations", "escalation_rate", "returns", "bounces",
       "avg_hours_at_line"},
      fmt::format(
          "SELECT line, sum(arrived), sum(escalated), "
          "CAST(sum(escalated) AS REAL) / nullif(sum(arrived), 0), sum(returned), "
          "sum(bounced), avg(ms) / 3600000.0 FROM ("
          "SELECT t.opened_line AS line, 1 AS arrived, 0 AS escalated, 0 AS returned, "
          "0 AS bounced, NULL AS ms FROM report_tickets t WHERE 1 = 1{0} "
          "UNION ALL SELECT m.to_line, m.to_line <> m.from_line, 0, 0, 0, NULL FROM {1} "
          "WHERE 1 = 1{2} "
          "UNION ALL SELECT m.from_line, 0, m.kind = 'escalation', m.kind = 'return', m.bounce, "
          "m.ms_at_previous FROM {1} WHERE (m.to_line <> m.from_line OR m.bounce){2}) "
          "GROUP BY line ORDER BY line",
          created.sql, moves.from, moves.where.sql),
      by_line_params);
  if (!by_line) return error_of(by_line);
  by_line->chart = "bar";
  by_line->drill_by = "line";
  by_line->drill_figure = "escalated";
  report.tables.push_back(std::move(*by_line));

  auto by_reason = table_of(c, "by_reason", {"reason", "escalations", "avg_note_chars",
                                             "asked_again_rate"},
                            fmt::format("SELECT m.reason, count(*), avg(m.note_chars), "
                                        "avg(m.asked_again) FROM {} WHERE m.kind = 'escalation'{} "
                                        "GROUP BY m.reason ORDER BY count(*) DESC, m.reason",
                                        moves.from, moves.where.sql),
                            moves.where);
  if (!by_reason) return error_of(by_reason);
  by_reason->chart = "bar";
  report.tables.push_back(std::move(*by_reason));

  auto by_category = table_of(
      c, "by_category", {"category", "tickets", "escalated", "escalation_rate", "returns",
                         "bounces"},
      fmt::format("SELECT t.category, count(*), sum(t.escalations > 0), "
                  "avg(t.escalations > 0), sum(t.returns), sum(t.bounces) FROM report_tickets t "
                  "WHERE 1 = 1{} GROUP BY t.category ORDER BY sum(t.escalations > 0) DESC, "
                  "t.category",
                  created.sql),
      created);
  if (!by_category) return error_of(by_category);
  by_category->chart = "bar";
  by_category->drill_by = "category";
  by_category->drill_figure = "created_escalated";
  report.tables.push_back(std::move(*by_category));

  // The hand-off's quality by the team that received it: how long the notes were, how often
  // it asked the user again within the hour, how often it passed the ticket straight on.
  Contacts bounced = moves_in(f, "b");
  Conditions handoff_params = bounced.where;
  handoff_params += moves.where;
  auto handoff = table_of(
      c, "handoff_by_team",
      {"team_id", "team", "received", "avg_note_chars", "asked_again", "asked_again_rate",
       "bounced_on"},
      fmt::format("SELECT m.to_team, coalesce(tm.name, ''), count(*), avg(m.note_chars), "
                  "sum(m.asked_again), avg(m.asked_again), "
                  "(SELECT count(*) FROM {0} WHERE b.bounce AND b.from_team = m.to_team{1}) "
                  "FROM {2} LEFT JOIN teams tm ON tm.id = m.to_team "
                  "WHERE m.kind = 'escalation'{3} GROUP BY m.to_team ORDER BY count(*) DESC, "
                  "m.to_team",
                  bounced.from, bounced.where.sql, moves.from, moves.where.sql),
      handoff_params);
  if (!handoff) return error_of(handoff);
  handoff->drill_by = "team";
  handoff->drill_figure = "escalated";
  report.tables.push_back(std::move(*handoff));
  return report;
}

Result<std::vector<TicketId>> drill_escalation(Connection& c, std::string_view figure,
                                               const ReportFilter& f, Timestamp, int limit) {
  if (figure == "created" || figure == "created_escalated") {
    Conditions where = created_tickets(f);
    return ticket_ids(c,
                      fmt::format("SELECT t.ticket_id FROM report_tickets t WHERE {}{} "
                                  "ORDER BY t.created_at DESC, t.ticket_id DESC LIMIT ?",
                                  figure == "created" ? "1 = 1" : "t.escalations > 0", where.sql),
                      where, limit);
  }
  std::string condition;
  if (figure == "escalated") condition = "m.kind = 'escalation'";
  else if (figure == "transferred") condition = "m.kind = 'transfer'";
  else if (figure == "returned") condition = "m.kind = 'return'";
  else if (figure == "bounced") condition = "m.bounce";
  else if (figure == "asked_again") condition = "m.kind = 'escalation' AND m.asked_again";
  else return unknown_figure("escalation", figure);
  const Contacts moves = moves_in(f);
  return ticket_ids(c,
                    fmt::format("SELECT m.ticket_id FROM {} WHERE {}{} GROUP BY m.ticket_id "
                                "ORDER BY max(m.at) DESC, m.ticket_id DESC LIMIT ?",
                                moves.from, condition, moves.where.sql),
                    moves.where, limit);
}

}  // namespace

const ReportQueries& line1_report() {
  static const ReportQueries r{"line1", load_line1, drill_line1};
  return r;
}

const ReportQueries& escalation_report() {
  static const ReportQueries r{"escalation", load_escalation, drill_escalation};
  return r;
}

}  // namespace fl::sqlite
