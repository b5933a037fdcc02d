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
  for (const auto* group : largest_first(groups, &TicketCounts::tickets)) {
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
  TicketCounts total;
  std::map<std::string, TicketCounts> by_category, by_channel;
  Mean first_response_minutes, resolution_hours;
  auto read = each_row(
      c,
      fmt::format(
          "SELECT t.category, t.channel, {0}, t.escalations > 0, {1}, "
          "t.resolved_at IS NULL AND t.escalations = 0, t.first_response_at - t.created_at, "
          "CASE WHEN {0} THEN t.resolved_at - t.created_at END "
          "FROM report_tickets t WHERE 1 = 1{2}",
          kSolvedAtLine1, kFcr, tickets.sql),
      tickets, [&](const Statement& row) {
        total.add(row);
        by_category[row.text_at(0)].add(row);
        by_channel[row.text_at(1)].add(row);
        if (!row.is_null(6))
          first_response_minutes.add(static_cast<double>(row.int64_at(6)) / 60000.0);
        if (!row.is_null(7))
          resolution_hours.add(static_cast<double>(row.int64_at(7)) / 3'600'000.0);
      });
  if (!read) return std::unexpected(read.error());
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
  std::map<std::int64_t, AgentWork> agents;
  std::unordered_set<std::int64_t> timed;
  std::int64_t calls_timed = 0, call_seconds = 0;
  AgentWork* agent = nullptr;
  std::int64_t agent_id = 0;
  auto read = each_row(
      c,
      fmt::format("SELECT c.agent_id, c.kind, c.at, c.call_seconds, c.work_seconds, c.ticket_id "
                  "FROM {} WHERE 1 = 1{}",
                  contacts.from, contacts.where.sql),
      contacts.where, [&](const Statement& row) {
        const std::int64_t id = row.int64_at(0);
        if (agent == nullptr || id != agent_id) {
          agent_id = id;
          agent = &agents[id];
        }
        const std::string kind = row.text_at(1);
        const std::int64_t call = row.int64_at(3);
        const std::int64_t handled = call + row.int64_at(4);
        agent->rows += 1;
        if (kind != "note") {
          agent->contacts += 1;
          agent->days.insert(row.int64_at(2) / 86'400'000);
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
          agent->timed.insert(row.int64_at(5));
          timed.insert(row.int64_at(5));
        }
      });
  if (!read) return std::unexpected(read.error());

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
  for (const auto* agent : largest_first(agents, &AgentWork::rows)) {
    const auto& [id, a] = *agent;
    auto name = c.prepare("SELECT name FROM users WHERE id = ?");
    if (!name) return error_of(name);
    name->bind(id);
    auto found = name->step();
    if (!found) return error_of(found);
    const auto days = static_cast<std::int64_t>(a.days.size());
    std::vector<ReportValue> row;
    row.emplace_back(id);
    row.emplace_back(*found ? name->text_at(0) : std::string());
    row.emplace_back(a.contacts);
    row.emplace_back(a.replies);
    row.emplace_back(a.calls);
    row.emplace_back(days);
    row.push_back(rate_of(a.contacts, days));
    row.emplace_back(static_cast<double>(a.handled_seconds) / 60.0);
    row.push_back(rate_of(a.handled_seconds, static_cast<std::int64_t>(a.timed.size())));
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

// The escalation report reads the period's moves once and its tickets once, and folds its
// figures and tables from those rows (a statement per table read the period up to five times).
struct LineFlow {
  std::int64_t arrivals = 0, escalations = 0, returns = 0, bounces = 0;
  Mean hours_at_line;
};
struct ReasonFlow {
  std::int64_t escalations = 0;
  Mean note_chars, asked_again;
};
struct TeamHandoff {
  std::int64_t received = 0, asked_again = 0, bounced_on = 0;
  Mean note_chars;
};
struct CategoryFlow {
  std::int64_t tickets = 0, escalated = 0, returns = 0, bounces = 0;
};

Result<Report> load_escalation(Connection& c, const ReportFilter& f, Timestamp) {
  std::map<std::int64_t, LineFlow> lines;
  std::map<std::string, ReasonFlow> reasons;
  std::map<std::int64_t, TeamHandoff> teams;
  std::int64_t escalations = 0, transfers = 0, returns = 0, bounces = 0, asked_again = 0;
  std::unordered_set<std::int64_t> escalated_tickets;
  Mean note_chars, hours_before;
  {
    const Contacts moves = moves_in(f);
    auto read = each_row(
        c,
        fmt::format(
            "SELECT m.kind, m.ticket_id, m.from_line, m.to_line, m.from_team, m.to_team, m.bounce, "
            "m.asked_again, m.note_chars, m.ms_at_previous, m.reason FROM {} WHERE 1 = 1{}",
            moves.from, moves.where.sql),
        moves.where, [&](const Statement& row) {
          const std::string kind = row.text_at(0);
          const std::int64_t from_line = row.int64_at(2), to_line = row.int64_at(3);
          const std::int64_t from_team = row.int64_at(4), to_team = row.int64_at(5);
          const bool bounce = row.int64_at(6) != 0;
          const std::int64_t asked = row.int64_at(7), chars = row.int64_at(8);
          const auto ms = static_cast<double>(row.int64_at(9));
          const bool escalation = kind == "escalation", back = kind == "return";
          escalations += escalation ? 1 : 0;
          transfers += kind == "transfer" ? 1 : 0;
          returns += back ? 1 : 0;
          bounces += bounce ? 1 : 0;
          // Arrivals at a line: moves reaching it from another; what leaves a line counts there.
          LineFlow& to = lines[to_line];
          to.arrivals += to_line != from_line ? 1 : 0;
          if (to_line != from_line || bounce) {
            LineFlow& from = lines[from_line];
            from.escalations += escalation ? 1 : 0;
            from.returns += back ? 1 : 0;
            from.bounces += bounce ? 1 : 0;
            from.hours_at_line.add(ms);
          }
          if (bounce) teams[from_team].bounced_on += 1;
          if (!escalation) return;
          escalated_tickets.insert(row.int64_at(1));
          asked_again += asked;
          note_chars.add(static_cast<double>(chars));
          hours_before.add(ms / 3'600'000.0);
          ReasonFlow& reason = reasons[row.text_at(10)];
          reason.escalations += 1;
          reason.note_chars.add(static_cast<double>(chars));
          reason.asked_again.add(static_cast<double>(asked));
          TeamHandoff& team = teams[to_team];
          team.received += 1;
          team.asked_again += asked;
          team.note_chars.add(static_cast<double>(chars));
        });
    if (!read) return std::unexpected(read.error());
  }

  std::map<std::string, CategoryFlow> categories;
  std::int64_t created = 0, created_escalated = 0;
  {
    const Conditions where = created_tickets(f);
    auto read = each_row(
        c,
        fmt::format("SELECT t.opened_line, t.category, t.escalations > 0, t.returns, t.bounces "
                    "FROM report_tickets t WHERE 1 = 1{}",
                    where.sql),
        where, [&](const Statement& row) {
          const std::int64_t escalated = row.int64_at(2);
          LineFlow& line = lines[row.int64_at(0)];
          line.arrivals += 1;
          CategoryFlow& category = categories[row.text_at(1)];
          category.tickets += 1;
          category.escalated += escalated;
          category.returns += row.int64_at(3);
          category.bounces += row.int64_at(4);
          created += 1;
          created_escalated += escalated;
        });
    if (!read) return std::unexpected(read.error());
  }

  Report report;
  report.figures = {
      {"escalations", escalations, "escalated"},
      {"transfers", transfers, "transferred"},
      {"returns", returns, "returned"},
      {"bounces", bounces, "bounced"},
      {"tickets_escalated", static_cast<std::int64_t>(escalated_tickets.size()), "escalated"},
      {"tickets_created", created, "created"},
      {"escalation_rate", rate_of(created_escalated, created), ""},
      {"asked_again", asked_again, "asked_again"},
      {"asked_again_rate", rate_of(asked_again, escalations), ""},
      {"avg_note_chars", note_chars.value(), ""},
      {"avg_hours_before_escalation", hours_before.value(), ""},
  };

  ReportTable by_line{.name = "by_line",
                      .columns = {"line", "arrivals", "escalations", "escalation_rate", "returns",
                                  "bounces", "avg_hours_at_line"},
                      .chart = "bar",
                      .drill_by = "line",
                      .drill_figure = "escalated"};
  for (const auto& [line, n] : lines) {
    std::vector<ReportValue> row;
    row.emplace_back(line);
    row.emplace_back(n.arrivals);
    row.emplace_back(n.escalations);
    row.push_back(rate_of(n.escalations, n.arrivals));
    row.emplace_back(n.returns);
    row.emplace_back(n.bounces);
    ReportValue hours = n.hours_at_line.value();
    if (auto* h = std::get_if<double>(&hours)) *h /= 3'600'000.0;
    row.push_back(std::move(hours));
    by_line.rows.push_back(std::move(row));
  }
  report.tables.push_back(std::move(by_line));

  ReportTable by_reason{.name = "by_reason",
                        .columns = {"reason", "escalations", "avg_note_chars", "asked_again_rate"},
                        .chart = "bar"};
  for (const auto* r : largest_first(reasons, &ReasonFlow::escalations)) {
    std::vector<ReportValue> row;
    row.emplace_back(r->first);
    row.emplace_back(r->second.escalations);
    row.push_back(r->second.note_chars.value());
    row.push_back(r->second.asked_again.value());
    by_reason.rows.push_back(std::move(row));
  }
  report.tables.push_back(std::move(by_reason));

  ReportTable by_category{.name = "by_category",
                          .columns = {"category", "tickets", "escalated", "escalation_rate",
                                      "returns", "bounces"},
                          .chart = "bar",
                          .drill_by = "category",
                          .drill_figure = "created_escalated"};
  for (const auto* k : largest_first(categories, &CategoryFlow::escalated)) {
    const CategoryFlow& n = k->second;
    std::vector<ReportValue> row;
    row.emplace_back(k->first);
    row.emplace_back(n.tickets);
    row.emplace_back(n.escalated);
    row.push_back(rate_of(n.escalated, n.tickets));
    row.emplace_back(n.returns);
    row.emplace_back(n.bounces);
    by_category.rows.push_back(std::move(row));
  }
  report.tables.push_back(std::move(by_category));

  // The hand-off's quality by the team that received it: how long the notes were, how often
  // it asked the user again within the hour, how often it passed the ticket straight on.
  ReportTable handoff{.name = "handoff_by_team",
                      .columns = {"team_id", "team", "received", "avg_note_chars", "asked_again",
                                  "asked_again_rate", "bounced_on"},
                      .drill_by = "team",
                      .drill_figure = "escalated"};
  for (const auto* team : largest_first(teams, &TeamHandoff::received)) {
    const auto& [id, n] = *team;
    if (n.received == 0) continue;  // a team that only bounced tickets on
    auto name = c.prepare("SELECT name FROM teams WHERE id = ?");
    if (!name) return error_of(name);
    name->bind(id);
    auto found = name->step();
    if (!found) return error_of(found);
    std::vector<ReportValue> row;
    row.emplace_back(id);
    row.emplace_back(*found ? name->text_at(0) : std::string());
    row.emplace_back(n.received);
    row.push_back(n.note_chars.value());
    row.emplace_back(n.asked_again);
    row.push_back(rate_of(n.asked_again, n.received));
    row.emplace_back(n.bounced_on);
    handoff.rows.push_back(std::move(row));
  }
  report.tables.push_back(std::move(handoff));
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
