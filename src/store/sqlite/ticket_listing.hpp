// Turns a TicketQuery (filters, access scope, cursor) into one parameterised SELECT. Values
// are only ever bound: the SQL text depends on which filters are present and on the sizes
// of the IN lists, never on a value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/store.hpp"

namespace fl::sqlite {

inline constexpr int kMaxPageSize = 200;

// The page size a query gets: its limit clamped to 1..kMaxPageSize.
[[nodiscard]] int page_size(const TicketQuery& query);

using SqlValue = std::variant<std::int64_t, std::string>;

struct ListingSql {
  std::string sql;  // selects kTicketColumns (records.hpp), at most page_size(query) rows
  std::vector<SqlValue> parameters;  // in placeholder order
};

// The sort key of TicketOrder::sla_due_first, as migration 15's indexes spell it (SQLite
// uses an expression index only for the same expression): tickets without a due time last.
inline constexpr std::int64_t kNoSlaDue = 9223372036854775807;
inline constexpr std::string_view kSlaDueKey = "IFNULL(t.sla_due_at, 9223372036854775807)";

// The scope as a condition on the tickets alias `t`, its values appended to `parameters`.
// Precondition: !scope.everything && !scope.any_of.empty().
[[nodiscard]] std::string scope_condition(const TicketScope& scope,
                                          std::vector<SqlValue>& parameters);
// `t` is in `state` at `now` (core's sla_state_at); values appended to `parameters`.
// `column` names the stored state ("+t.sla_state" keeps the planner off its index).
[[nodiscard]] std::string sla_state_condition(SlaState state, Timestamp now,
                                              std::vector<SqlValue>& parameters,
                                              std::string_view column = "t.sla_state");

// nullopt when the scope lets the caller see nothing: no query needs to run.
[[nodiscard]] std::optional<ListingSql> ticket_listing_sql(const TicketQuery& query);

}  // namespace fl::sqlite
