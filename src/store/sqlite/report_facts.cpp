// Report facts: see report_facts.hpp. A follower batch is one savepoint: the facts (the SLA
// clocks and marks with them) and the cursor move together, so a crash replays the batch from
// the same events.
#include "store/sqlite/report_facts.hpp"

#include <spdlog/fmt/fmt.h>

#include "store/sqlite/records.hpp"
#include "store/sqlite/rules.hpp"

namespace fl::sqlite {

namespace {

constexpr std::string_view kFollower = "reports";

constexpr std::string_view kFactColumns =
    "ticket_id, created_at, channel, opened_line, opened_team, line, team, at_team_since, status, "
    "first_response_at, first_resolved_at, resolved_at, resolved_line, closed_at, reopens, "
    "escalations, transfers, returns, bounces, customer_contacts, staff_replies, "
    "handling_seconds, csat_score, csat_comment, csat_at, sla_breaches, category, "
    "organization_id, priority, assignee_id, last_escalation, last_escalated_at, "
    "last_move_was_escalation";

std::optional<int> optional_int_at(const Statement& row, int column) {
  auto v = row.optional_int64_at(column);
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

TicketFacts facts_from_row(const Statement& row) {
  TicketFacts f;
  f.ticket = row.int64_at(0);
  f.created_at = row.time_at(1);
  f.channel = row.text_at(2);
  f.opened_line = row.int_at(3);
  f.opened_team = row.int64_at(4);
  f.line = row.int_at(5);
  f.team = row.int64_at(6);
  f.at_team_since = row.time_at(7);
  f.status = row.text_at(8);
  f.first_response_at = row.optional_time_at(9);
  f.first_resolved_at = row.optional_time_at(10);
  f.resolved_at = row.optional_time_at(11);
  f.resolved_line = optional_int_at(row, 12);
  f.closed_at = row.optional_time_at(13);
  f.reopens = row.int_at(14);
  f.escalations = row.int_at(15);
  f.transfers = row.int_at(16);
  f.returns = row.int_at(17);
  f.bounces = row.int_at(18);
  f.customer_contacts = row.int_at(19);
  f.staff_replies = row.int_at(20);
  f.handling_seconds = row.int64_at(21);
  f.csat_score = optional_int_at(row, 22);
  f.csat_comment = row.text_at(23);
  f.csat_at = row.optional_time_at(24);
  f.sla_breaches = row.int_at(25);
  f.category = row.text_at(26);
  f.organization = row.optional_int64_at(27);
  f.priority = row.text_at(28);
  f.assignee = row.optional_int64_at(29);
  f.last_escalation = row.optional_int64_at(30);
  f.last_escalated_at = row.optional_time_at(31);
  f.last_move_was_escalation = row.int64_at(32) != 0;
  return f;
}

}  // namespace

Result<std::vector<TicketFacts>> load_report_ticket_facts(Connection& c,
                                                          const std::vector<TicketId>& ids) {
  static const std::string sql =
      fmt::format("SELECT {} FROM report_tickets WHERE ticket_id = ?", kFactColumns);
  std::vector<TicketFacts> out;
  for (TicketId id : ids) {
    auto statement = c.prepare(sql);
    if (!statement) return error_of(statement);
    statement->bind(id);
    auto row = statement->step();
    if (!row) return error_of(row);
    if (*row) out.push_back(facts_from_row(*statement));
  }
  return out;
}

Result<void> save_report_facts(Connection& c, const std::vector<TicketFacts>& tickets,
                               const FactChanges& changes, EventId cursor) {
  static const std::string upsert = fmt::format(
      "INSERT OR REPLACE INTO report_tickets ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      kFactColumns);
  for (const auto& f : tickets) {
    auto statement = c.prepare(upsert);
    if (!statement) return error_of(statement);
    statement->bind_all(f.ticket, f.created_at, f.channel, f.opened_line, f.opened_team, f.line,
                        f.team, f.at_team_since, f.status, f.first_response_at,
                        f.first_resolved_at, f.resolved_at, f.resolved_line, f.closed_at,
                        f.reopens, f.escalations, f.transfers, f.returns, f.bounces,
                        f.customer_contacts, f.staff_replies, f.handling_seconds, f.csat_score,
                        f.csat_comment, f.csat_at, f.sla_breaches, f.category, f.organization,
                        f.priority, f.assignee, f.last_escalation, f.last_escalated_at,
                        f.last_move_was_escalation);
    if (auto r = statement->run(); !r) return r;
  }
  for (const auto& m : changes.moves) {
    auto statement = c.prepare(
        "INSERT OR IGNORE INTO report_moves (event_id, ticket_id, at, kind, from_line, to_line, "
        "from_team, to_team, reason, note_chars, ms_at_previous, bounce, asked_again) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!statement) return error_of(statement);
    statement->bind_all(m.event, m.ticket, m.at, name_of(m.kind), m.from_line, m.to_line,
                        m.from_team, m.to_team, m.reason, m.note_chars, m.ms_at_previous, m.bounce,
                        m.asked_again);
    if (auto r = statement->run(); !r) return r;
  }
  for (const auto& k : changes.contacts) {
    auto statement = c.prepare(
        "INSERT OR IGNORE INTO report_contacts (event_id, ticket_id, at, agent_id, kind, line, "
        "team, call_seconds, work_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!statement) return error_of(statement);
    statement->bind_all(k.event, k.ticket, k.at, k.agent, k.kind, k.line, k.team, k.call_seconds,
                        k.work_seconds);
    if (auto r = statement->run(); !r) return r;
  }
  for (const auto& m : changes.sla_marks) {
    auto statement = c.prepare(
        "INSERT OR IGNORE INTO report_sla_marks (event_id, ticket_id, at, metric, cycle, percent, "
        "breach) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!statement) return error_of(statement);
    statement->bind_all(m.event, m.ticket, m.at, name_of(m.metric), m.cycle, m.percent, m.breach);
    if (auto r = statement->run(); !r) return r;
  }
  for (const auto& t : changes.sla_clocks) {
    auto forget = c.prepare("DELETE FROM report_sla_clocks WHERE ticket_id = ?");
    if (!forget) return error_of(forget);
    forget->bind(t.ticket);
    if (auto r = forget->run(); !r) return r;
    for (const auto& f : t.clocks) {
      // OR REPLACE: a replay names each clock once; should it ever not, the last one stands
      // rather than the follower stopping on the batch for good.
      auto statement = c.prepare(
          "INSERT OR REPLACE INTO report_sla_clocks (ticket_id, metric, cycle, line, team, "
          "policy_id, priority, target_minutes, started_at, due_at, stopped_at, breached_at, "
          "state, elapsed_ms, paused_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      if (!statement) return error_of(statement);
      const SlaClock& k = f.clock;
      statement->bind_all(t.ticket, name_of(k.metric), k.cycle, k.line, k.team, k.policy,
                          name_of(f.priority), static_cast<std::int64_t>(k.target.count()),
                          k.started_at, k.due_at, k.stopped_at, k.breached_at, name_of(k.state),
                          static_cast<std::int64_t>(k.elapsed.count()),
                          static_cast<std::int64_t>(k.paused.count()));
      if (auto r = statement->run(); !r) return r;
    }
  }
  for (EventId e : changes.asked_again) {
    auto statement = c.prepare("UPDATE report_moves SET asked_again = 1 WHERE event_id = ?");
    if (!statement) return error_of(statement);
    statement->bind(e);
    if (auto r = statement->run(); !r) return r;
  }
  return store_feed_cursor(c, kFollower, cursor);
}

Result<void> reset_report_facts(Connection& c) {
  for (const char* sql :
       {"DELETE FROM report_tickets", "DELETE FROM report_moves", "DELETE FROM report_contacts",
        "DELETE FROM report_sla_clocks", "DELETE FROM report_sla_marks",
        "DELETE FROM feed_cursors WHERE name = 'reports'"})
    if (auto r = c.exec(sql); !r) return r;
  return {};
}

}  // namespace fl::sqlite
