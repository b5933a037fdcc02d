// SLA rows: business calendars (current version only), SLA policies with every version kept,
// and the scheduler's query for tickets whose clocks are due. Writes run on the writer
// connection inside their savepoint (see mutations.hpp); reads on a borrowed read connection.
#pragma once

#include <string_view>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

inline constexpr int kMaxDueTicketsPerCall = 10000;

// The scheduler's query: parameters `now` (ms) and the limit. Served by the partial index
// tickets_sla_check (migration 8) in its order, without a sort; shown for white-box tests.
inline constexpr std::string_view kTicketsDueForSlaSql =
    "SELECT id FROM tickets WHERE sla_check_at <= ? ORDER BY sla_check_at, id LIMIT ?";

// `limit` is clamped to 1..kMaxDueTicketsPerCall.
[[nodiscard]] Result<std::vector<TicketId>> load_tickets_due_for_sla(Connection& c, Timestamp now,
                                                                     int limit);

// Documents that keep only their current version (calendars, rules) in `table` (columns id,
// name UNIQUE, version, body, updated_at): saved with the version check and their event.
[[nodiscard]] Result<ConfigDocument> save_current_document(Connection& c, std::string_view table,
                                                           std::string_view what,
                                                           const ConfigDocument& doc,
                                                           const Event& event);
[[nodiscard]] Result<std::vector<ConfigDocument>> load_current_documents(Connection& c,
                                                                         std::string_view table);
// The document named `name`; not_found naming it as `what` when there is none.
[[nodiscard]] Result<ConfigDocument> load_current_document(Connection& c, std::string_view table,
                                                           std::string_view what,
                                                           std::string_view name);

[[nodiscard]] Result<ConfigDocument> save_calendar(Connection& c, const ConfigDocument& doc,
                                                const Event& event);
[[nodiscard]] Result<std::vector<ConfigDocument>> load_calendars(Connection& c);

[[nodiscard]] Result<ConfigDocument> save_sla_policy(Connection& c, const ConfigDocument& doc,
                                                  const Event& event);
[[nodiscard]] Result<std::vector<ConfigDocument>> load_sla_policies(Connection& c);
// not_found when the policy or that version of it does not exist.
[[nodiscard]] Result<ConfigDocument> load_sla_policy_version(Connection& c, std::int64_t id,
                                                          std::int64_t version);

}  // namespace fl::sqlite
