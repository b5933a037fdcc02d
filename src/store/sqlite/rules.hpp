// Rule rows (documents, current version only), the timers of time-based rules, and the
// named cursors of the event feed's followers. Writes run on the writer connection inside
// their savepoint (see mutations.hpp); reads on a borrowed read connection.
#pragma once

#include <string_view>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

inline constexpr int kMaxDueTimersPerCall = 10000;

// The scheduler's query: parameters `now` (ms) and the limit; served by rule_timers_due
// (migration 12) in its order. Shown for white-box tests.
inline constexpr std::string_view kRuleTimersDueSql =
    "SELECT rule_id, ticket_id, due_at, anchor FROM rule_timers WHERE due_at <= ? "
    "ORDER BY due_at LIMIT ?";

[[nodiscard]] Result<EventId> load_feed_cursor(Connection& c, std::string_view name);
// Only forward: an older value leaves the cursor where it is.
[[nodiscard]] Result<void> store_feed_cursor(Connection& c, std::string_view name, EventId at);

[[nodiscard]] Result<ConfigDocument> save_rule(Connection& c, const ConfigDocument& doc,
                                               const Event& event);
[[nodiscard]] Result<std::vector<ConfigDocument>> load_rules(Connection& c);

// A timer of a ticket not listed, or an unknown ticket or rule: invalid_argument.
[[nodiscard]] Result<void> replace_rule_timers(Connection& c, const std::vector<TicketId>& tickets,
                                               const std::vector<RuleTimer>& timers);
// `limit` is clamped to 1..kMaxDueTimersPerCall.
[[nodiscard]] Result<std::vector<RuleTimer>> load_rule_timers_due(Connection& c, Timestamp now,
                                                                  int limit);

}  // namespace fl::sqlite
