// SQL for the ticket listing: see ticket_listing.hpp. Every filter is a plain condition on one
// indexed column (migration 1 has an index per filter, each ending in id) so SQLite can walk
// an index in id order and stop after one page; which index, or a backward walk of the table,
// it picks from the planner statistics of migration 2.
#include "store/sqlite/ticket_listing.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

// Accumulates conditions and their parameters side by side so they cannot drift apart.
class Conditions {
 public:
  explicit Conditions(std::vector<SqlValue>& parameters) : parameters_(parameters) {}

  void add(std::string_view condition) { conditions_.emplace_back(condition); }

  template <class T>
  void add(std::string_view condition, const T& value) {
    add(condition);
    push(value);
  }

  // `column IN (?, ...)`; an empty list matches nothing (and `IN ()` is not portable SQL).
  template <class T>
  void add_in(std::string_view column, const std::vector<T>& values) {
    if (values.empty()) {
      add("0");
      return;
    }
    std::string condition = fmt::format("{} IN (", column);
    for (std::size_t i = 0; i < values.size(); ++i) {
      condition += i == 0 ? "?" : ", ?";
      push(values[i]);
    }
    condition += ')';
    conditions_.push_back(std::move(condition));
  }

  // The conditions joined by AND; "1" when there are none.
  [[nodiscard]] std::string joined() const {
    if (conditions_.empty()) return "1";
    std::string out;
    for (const auto& condition : conditions_) {
      if (!out.empty()) out += " AND ";
      out += condition;
    }
    return out;
  }

 private:
  void push(std::int64_t value) { parameters_.emplace_back(value); }
  void push(int value) { parameters_.emplace_back(static_cast<std::int64_t>(value)); }
  void push(std::string_view value) { parameters_.emplace_back(std::string(value)); }
  void push(const std::string& value) { parameters_.emplace_back(value); }

  std::vector<SqlValue>& parameters_;
  std::vector<std::string> conditions_;
};

}  // namespace

// OR over the scope's clauses, each the AND of its present conditions (as
// ScopeClause::matches). Precondition: !scope.everything && !scope.any_of.empty().
std::string scope_condition(const TicketScope& scope, std::vector<SqlValue>& parameters) {
  std::string out = "(";
  for (std::size_t i = 0; i < scope.any_of.size(); ++i) {
    const ScopeClause& clause = scope.any_of[i];
    Conditions conditions(parameters);
    if (clause.max_line) conditions.add("t.line <= ?", *clause.max_line);
    if (clause.team_in) conditions.add_in("t.team_id", *clause.team_in);
    if (clause.origin_team_in) conditions.add_in("t.origin_team_id", *clause.origin_team_in);
    // A ticket without organisation has organization_id NULL: IN is then not true, as in
    // ScopeClause::matches.
    if (clause.organization_in) conditions.add_in("t.organization_id", *clause.organization_in);
    if (clause.requester) conditions.add("t.requester_id = ?", *clause.requester);
    if (i > 0) out += " OR ";
    out += '(' + conditions.joined() + ')';
  }
  out += ')';
  return out;
}

// As core's sla_state_at(): the stored state is that of the last commit, and the due and
// warning times say what time has made of it since. A due time exists only on a ticket stored
// running or breached.
std::string sla_state_condition(SlaState state, Timestamp now, std::vector<SqlValue>& parameters,
                                std::string_view column) {
  auto name = [&](SlaState s) { parameters.emplace_back(std::string(name_of(s))); };
  auto at = [&] { parameters.emplace_back(to_millis(now)); };
  switch (state) {
    case SlaState::none:
    case SlaState::paused:
      name(state);
      return fmt::format("{} = ?", column);
    case SlaState::running:
      name(SlaState::running);
      at();
      at();
      return fmt::format("({} = ? AND {} > ? AND IFNULL(t.sla_warn_at, {}) > ?)", column,
                         kSlaDueKey, kNoSlaDue);
    case SlaState::at_risk:
      name(SlaState::running);
      at();
      at();
      return fmt::format("({} = ? AND {} > ? AND t.sla_warn_at <= ?)", column, kSlaDueKey);
    case SlaState::breached:
      name(SlaState::breached);
      name(SlaState::running);
      name(SlaState::breached);
      at();
      return fmt::format("({0} IN (?, ?) AND ({0} = ? OR t.sla_due_at <= ?))", column);
  }
  return "0";
}

namespace {

std::string sla_states_condition(const std::vector<SlaState>& states, Timestamp now,
                                 std::vector<SqlValue>& parameters, std::string_view column) {
  std::string out = "(";
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (i > 0) out += " OR ";
    out += sla_state_condition(states[i], now, parameters, column);
  }
  return out + ')';
}

}  // namespace

int page_size(const TicketQuery& query) {
  return std::clamp(query.limit, 1, kMaxPageSize);
}

std::optional<ListingSql> ticket_listing_sql(const TicketQuery& query) {
  const TicketScope& scope = query.scope;
  if (!scope.everything && scope.any_of.empty()) return std::nullopt;

  ListingSql listing;
  Conditions conditions(listing.parameters);
  if (query.line) conditions.add("t.line = ?", *query.line);
  if (query.team) conditions.add("t.team_id = ?", *query.team);
  if (!query.statuses.empty()) {
    std::vector<std::string> names;
    for (TicketStatus status : query.statuses) names.emplace_back(name_of(status));
    conditions.add_in("t.status", names);
  }
  if (!query.priorities.empty()) {
    std::vector<std::string> names;
    for (Priority priority : query.priorities) names.emplace_back(name_of(priority));
    conditions.add_in("t.priority", names);
  }
  if (!query.sla_states.empty()) {
    // Sorted by due time, the states that have one (breached and at-risk tickets come first
    // in tickets_sla_due) are best found by walking that index from its start; `+` keeps the
    // planner from sorting what tickets_sla_state would give instead.
    const bool walk_due_index =
        query.order == TicketOrder::sla_due_first &&
        std::ranges::none_of(query.sla_states, [](SlaState s) {
          return s == SlaState::none || s == SlaState::paused;
        });
    conditions.add(sla_states_condition(query.sla_states, query.now, listing.parameters,
                                        walk_due_index ? "+t.sla_state" : "t.sla_state"));
  }
  if (query.assignee) conditions.add("t.assignee_id = ?", *query.assignee);
  if (query.unassigned) conditions.add("t.assignee_id IS NULL");
  if (query.requester) conditions.add("t.requester_id = ?", *query.requester);
  if (query.organization) conditions.add("t.organization_id = ?", *query.organization);
  for (const auto& tag : query.tags)
    conditions.add("t.id IN (SELECT g.ticket_id FROM ticket_tags g WHERE g.tag = ?)", tag);
  if (!scope.everything) conditions.add(scope_condition(scope, listing.parameters));

  std::string order;
  switch (query.order) {
    case TicketOrder::newest_first:
      if (query.after) conditions.add("t.id < ?", *query.after);
      order = "t.id DESC";
      break;
    case TicketOrder::oldest_first:
      if (query.after) conditions.add("t.id > ?", *query.after);
      order = "t.id ASC";
      break;
    case TicketOrder::sla_due_first:
      // A row value: SQLite seeks the index to the cursor and walks on from there.
      // After the cursor (key, id): the range on the key lets SQLite seek the index to it
      // (a row-value comparison over an expression does not); the OR only sorts out the few
      // ties of one due time. In the tail (no due time) every key ties: key and id then both
      // seek.
      if (query.after && query.after_sla_due) {
        const std::int64_t key = to_millis(*query.after_sla_due);
        conditions.add(fmt::format("{0} >= ? AND ({0} > ? OR t.id > ?)", kSlaDueKey));
        listing.parameters.emplace_back(key);
        listing.parameters.emplace_back(key);
        listing.parameters.emplace_back(*query.after);
      } else if (query.after) {
        // The key is fixed here, and SQLite sorts unless the ORDER BY says so itself.
        conditions.add(fmt::format("{} = ? AND t.id > ?", kSlaDueKey));
        listing.parameters.emplace_back(kNoSlaDue);
        listing.parameters.emplace_back(*query.after);
        order = "t.id";
        break;
      }
      order = fmt::format("{}, t.id", kSlaDueKey);
      break;
  }
  listing.sql = fmt::format("SELECT {} FROM tickets t WHERE {} ORDER BY {} LIMIT ?",
                            kTicketColumns, conditions.joined(), order);
  listing.parameters.emplace_back(static_cast<std::int64_t>(page_size(query)));
  return listing;
}

}  // namespace fl::sqlite
