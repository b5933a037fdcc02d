// The line-1 and escalation reports (docs/reports.md): what the first line solves at once and
// what it hands on, from report_tickets, report_moves and report_contacts.
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

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

// Line 1's tickets, counted as they are read: the totals and per category and channel.
struct TicketCounts {
  std::int64_t tickets = 0, solved = 0, escalated = 0, fcr = 0, unsolved = 0;
  void add(const Statement& row) {
    tickets += 1;
    solved += row.int64_at(2);
    escalated += row.int64_at(3);
    fcr += row.int64_at(4);
    unsolved += row.int64_at(5);
  }
};

// A mean that is NULL over nothing, like SQL's avg().
struct Mean {
  double sum = 0;
  std::int64_t n = 0;
  void add(double v) {
    sum += v;
    ++n;
  }
  [[nodiscard]] ReportValue value() const {
    if (n == 0) return std::monostate{};
    return sum / static_cast<double>(n);
  }
};

// by_category or by_channel: the biggest first, then by key.
ReportTable by_dimension(std::string name, std::string key,
                         const std::map<std::string, TicketCounts>& groups) {
  ReportTable table{.name = std::move(name),
                    .columns = {key, "tickets", "solved_at_line1", "escalated", "fcr",
                                "line1_resolution_rate", "fcr_rate"},
                    .chart = "bar",
                    .drill_by = key,
                    .drill_figure = "tickets"};
  std::vector<const std::pair<const std::string, TicketCounts>*> order;
  for (const auto& group : groups) order.push_back(&group);
  std::ranges::stable_sort(order, [](const auto* a, const auto* b) {
    return a->second.tickets > b->second.tickets;
  });
  for (const auto* group : order) {
    const TicketCounts& n = group->second;
    std::vector<ReportValue> row;
    row.emplace_back(group->first);
    row.emplace_back(n.tickets);
    row.emplace_back(n.solved);
    row.emplace_back(n.escalated);
    row.emplace_back(n.fcr);
    row.push_back(rate_of(n.solved, n.tickets));
    row.push_back(rate_of(n.fcr, n.tickets));
    table.rows.push_back(std::move(row));
  }
  return table;
}

// The tickets opened at line 1 in the period, read once (a grouped statement per table
// would read the period again each time): the ticket figures and by_category, by_channel.
Result<void> add_ticket_figures(Connection& c, const ReportFilter& f, Report& report) {
  const Conditions tickets = line1_tickets(f);
  auto statement = c.prepare(fmt::format(
      "SELECT t.category, t.channel, {0}, t.escalations > 0, {1}, "
      "t.resolved_at IS NULL AND t.escalations = 0, t.first_response_at - t.created_at, "
      "CASE WHEN {0} THEN t.resolved_at - t.created_at END "
      "FROM report_tickets t WHERE 1 = 1{2}",
      kSolvedAtLine1, kFcr, tickets.sql));
  if (!statement) return error_of(statement);
  bind(*statement, tickets);
  TicketCounts total;
  std::map<std::string, TicketCounts> by_category, by_channel;
  Mean first_response_minutes, resolution_hours;
  for (;;) {
    auto has_row = statement->step();
    if (!has_row) return error_of(has_row);
    if (!*has_row) break;
    total.add(*statement);
    by_category[statement->text_at(0)].add(*statement);
    by_channel[statement->text_at(1)].add(*statement);
    if (!statement->is_null(6))
      first_response_minutes.add(static_cast<double>(statement->int64_at(6)) / 60000.0);
    if (!statement->is_null(7))
      resolution_hours.add(static_cast<double>(statement->int64_at(7)) / 3'600'000.0);
  }
  report.figures = {
      {"tickets", total.tickets, "tickets"},
      {"solved_at_line1", total.solved, "solved_at_line1"},
      {"escalated", total.escalated, "escalated"},
      {"unsolved", total.unsolved, "unsolved"},
      {"fcr", total.fcr, "fcr"},
      {"fcr_rate", rate_of(total.fcr, total.tickets), ""},
      {"line1_resolution_rate", rate_of(total.solved, total.tickets), ""},
      {"escalation_rate", rate_of(total.escalated, total.tickets), ""},
      {"avg_first_response_minutes", first_response_minutes.value(), ""},
      {"avg_resolution_hours_at_line1", resolution_hours.value(), ""},
  };
  report.tables.push_back(by_dimension("by_category", "category", by_category));
  report.tables.push_back(by_dimension("by_channel", "channel", by_channel));
  return {};
}

// One agent's contacts at line 1 in the period. A note counts only for its recorded time.
struct AgentWork {
  std::int64_t rows = 0, contacts = 0, replies = 0, calls = 0, handled_seconds = 0;
  std::set<std::int64_t> days;              // with a contact
  std::unordered_set<std::int64_t> timed;  // tickets with handling time
};

// The line-1 contacts of the period, read once: the work figures and the agents table
// (distinct agents, agent-days and timed tickets are counted here, not by SQLite's
// count(DISTINCT), which sorts the period's contacts once per column).
Result<void> add_work_figures(Connection& c, const ReportFilter& f, Report& report) {
  const Contacts contacts = line1_contacts(f);
  auto statement = c.prepare(fmt::format(
      "SELECT c.agent_id, c.kind, c.at, c.call_seconds, c.work_seconds, c.ticket_id "
      "FROM {} WHERE 1 = 1{}",
      contacts.from, contacts.where.sql));
  if (!statement) return error_of(statement);
  bind(*statement, contacts.where);
  std::map<std::int64_t, AgentWork> agents;
  std::unordered_set<std::int64_t> timed;
  std::int64_t calls_timed = 0, call_seconds = 0;
  AgentWork* agent = nullptr;
  std::int64_t agent_id = 0;
  for (;;) {
    auto has_row = statement->step();
    if (!has_row) return error_of(has_row);
    if (!*has_row) break;
    const std::int64_t id = statement->int64_at(0);
    if (agent == nullptr || id != agent_id) {
      agent_id = id;
      agent = &agents[id];
    }
    const std::string kind = statement->text_at(1);
    const std::int64_t call = statement->int64_at(3);
    const std::int64_t handled = call + statement->int64_at(4);
    agent->rows += 1;
    if (kind != "note") {
      agent->contacts += 1;
      agent->days.insert(statement->int64_at(2) / 86'400'000);
    }
    if (kind == "reply") agent->replies += 1;
    if (kind == "call") {
      agent->calls += 1;
      if (call > 0) {
        calls_timed += 1;
        call_seconds += call;
      }
    }
    if (handled > 0) {
      agent->handled_seconds += handled;
      agent->timed.insert(statement->int64_at(5));
      timed.insert(statement->int64_at(5));
    }
  }

  std::int64_t contacts_n = 0, with_contacts = 0, agent_days = 0, calls = 0, handled = 0;
  for (const auto& [id, a] : agents) {
    contacts_n += a.contacts;
    with_contacts += a.contacts > 0 ? 1 : 0;
    agent_days += static_cast<std::int64_t>(a.days.size());
    calls += a.calls;
    handled += a.handled_seconds;
  }
  const auto timed_n = static_cast<std::int64_t>(timed.size());
  report.figures.push_back({"contacts", contacts_n, ""});
  report.figures.push_back({"agents", with_contacts, ""});
  report.figures.push_back({"agent_days", agent_days, ""});
  report.figures.push_back({"contacts_per_agent_day", rate_of(contacts_n, agent_days), ""});
  report.figures.push_back({"calls", calls, ""});
  report.figures.push_back({"calls_timed", calls_timed, ""});
  report.figures.push_back({"avg_call_seconds", rate_of(call_seconds, calls_timed), ""});
  // Handling time: the calls' length and the time agents recorded on entries, per ticket
  // that has any.
  report.figures.push_back({"tickets_timed", timed_n, ""});
  report.figures.push_back({"handling_hours", static_cast<double>(handled) / 3600.0, ""});
  report.figures.push_back({"aht_seconds", rate_of(handled, timed_n), ""});

  ReportTable table{.name = "agents",
                    .columns = {"agent_id", "agent", "contacts", "replies", "calls", "days",
                                "contacts_per_day", "handling_minutes", "aht_seconds"}};
  std::vector<std::pair<std::int64_t, const AgentWork*>> order;
  for (const auto& [id, a] : agents) order.emplace_back(id, &a);
  std::ranges::stable_sort(order, [](const auto& a, const auto& b) {
    return a.second->rows > b.second->rows;
  });
  for (const auto& [id, a] : order) {
    auto name = c.prepare("SELECT name FROM users WHERE id = ?");
    if (!name) return error_of(name);
    name->bind(id);
    auto found = name->step();
    if (!found) return error_of(found);
    const auto days = static_cast<std::int64_t>(a->days.size());
    std::vector<ReportValue> row;
    row.emplace_back(id);
    row.emplace_back(*found ? name->text_at(0) : std::string());
    row.emplace_back(a->contacts);
    row.emplace_back(a->replies);
    row.emplace_back(a->calls);
    row.emplace_back(days);
    row.push_back(rate_of(a->contacts, days));
    row.emplace_back(static_cast<double>(a->handled_seconds) / 60.0);
    row.push_back(rate_of(a->handled_seconds, static_cast<std::int64_t>(a->timed.size())));
    table.rows.push_back(std::move(row));
  }
  report.tables.push_back(std::move(table));
  return {};
}

Result<Report> load_line1(Connection& c, const ReportFilter& f, Timestamp) {
  Report report;
  if (auto done = add_ticket_figures(c, f, report); !done) return error_of(done);
  if (auto done = add_work_figures(c, f, report); !done) return error_of(done);
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
