// Rule rows, rule timers and feed cursors: see rules.hpp.
#include "store/sqlite/rules.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

#include "store/sqlite/records.hpp"
#include "store/sqlite/sla.hpp"

namespace fl::sqlite {

Result<EventId> load_feed_cursor(Connection& c, std::string_view name) {
  auto statement = c.prepare("SELECT event_id FROM feed_cursors WHERE name = ?");
  if (!statement) return error_of(statement);
  statement->bind(name);
  auto found = statement->step();
  if (!found) return error_of(found);
  return *found ? statement->int64_at(0) : EventId{0};
}

Result<void> store_feed_cursor(Connection& c, std::string_view name, EventId at) {
  auto moved = c.prepare(
      "INSERT INTO feed_cursors (name, event_id) VALUES (?, ?) "
      "ON CONFLICT (name) DO UPDATE SET event_id = max(event_id, excluded.event_id)");
  if (!moved) return error_of(moved);
  moved->bind_all(name, at);
  return moved->run();
}

Result<ConfigDocument> save_rule(Connection& c, const ConfigDocument& doc, const Event& event) {
  return save_current_document(c, "rules", "rule", doc, event);
}

Result<std::vector<ConfigDocument>> load_rules(Connection& c) {
  return load_current_documents(c, "rules");
}

Result<void> replace_rule_timers(Connection& c, const std::vector<TicketId>& tickets,
                                 const std::vector<RuleTimer>& timers) {
  for (const auto& t : timers)
    if (std::ranges::find(tickets, t.ticket) == tickets.end())
      return fail(ErrorCode::invalid_argument,
                  fmt::format("a timer of ticket {}, which is not listed", t.ticket));
  for (TicketId ticket : tickets) {
    auto cleared = c.prepare("DELETE FROM rule_timers WHERE ticket_id = ?");
    if (!cleared) return error_of(cleared);
    cleared->bind(ticket);
    if (auto r = cleared->run(); !r) return r;
  }
  for (const auto& t : timers) {
    auto insert = c.prepare(
        "INSERT INTO rule_timers (ticket_id, rule_id, due_at, anchor) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (ticket_id, rule_id) DO UPDATE SET due_at = excluded.due_at, "
        "anchor = excluded.anchor");
    if (!insert) return error_of(insert);
    insert->bind_all(t.ticket, t.rule, t.due_at, t.anchor);
    if (auto r = insert->run(); !r) {
      if (r.error().code == ErrorCode::invalid_argument || r.error().code == ErrorCode::conflict)
        return fail(ErrorCode::invalid_argument,
                    fmt::format("timer of rule {} for ticket {}: {}", t.rule, t.ticket,
                                r.error().message));
      return r;
    }
  }
  return {};
}

Result<std::vector<RuleTimer>> load_rule_timers_due(Connection& c, Timestamp now, int limit) {
  auto statement = c.prepare(kRuleTimersDueSql);
  if (!statement) return error_of(statement);
  statement->bind_all(now, std::clamp(limit, 1, kMaxDueTimersPerCall));
  return collect<RuleTimer>(*statement, [](const Statement& row) -> Result<RuleTimer> {
    RuleTimer t;
    t.rule = row.int64_at(0);
    t.ticket = row.int64_at(1);
    t.due_at = row.time_at(2);
    t.anchor = row.int64_at(3);
    return t;
  });
}

}  // namespace fl::sqlite
