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
  if (query.assignee) conditions.add("t.assignee_id = ?", *query.assignee);
  if (query.unassigned) conditions.add("t.assignee_id IS NULL");
  if (query.requester) conditions.add("t.requester_id = ?", *query.requester);
  if (query.organization) conditions.add("t.organization_id = ?", *query.organization);
  if (query.tag)
    conditions.add("t.id IN (SELECT g.ticket_id FROM ticket_tags g WHERE g.tag = ?)", *query.tag);
  if (!scope.everything) conditions.add(scope_condition(scope, listing.parameters));

  const bool newest_first = query.order == TicketOrder::newest_first;
  if (query.after) conditions.add(newest_first ? "t.id < ?" : "t.id > ?", *query.after);

  listing.sql = fmt::format("SELECT {} FROM tickets t WHERE {} ORDER BY t.id {} LIMIT ?",
                            kTicketColumns, conditions.joined(), newest_first ? "DESC" : "ASC");
  listing.parameters.emplace_back(static_cast<std::int64_t>(page_size(query)));
  return listing;
}

}  // namespace fl::sqlite
