// The queues' rows: counts of unsolved tickets per team, and users' saved views of the ticket
// list. Writes run on the writer connection inside their savepoint (see mutations.hpp); reads
// on a borrowed read connection.
#pragma once

#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/ticket_listing.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

// queue_counts' query for a scope that shows something (nullopt: it shows nothing). Shown
// for white-box tests of its plan; rows read by load_queue_counts.
[[nodiscard]] std::optional<ListingSql> queue_counts_sql(const TicketScope& scope, Timestamp now);
[[nodiscard]] Result<std::vector<QueueCount>> load_queue_counts(Connection& c,
                                                                const TicketScope& scope,
                                                                Timestamp now);

// See Store::save_view.
[[nodiscard]] Result<SavedView> save_view(Connection& c, const SavedView& view);
[[nodiscard]] Result<SavedView> load_view(Connection& c, SavedViewId id);
[[nodiscard]] Result<std::vector<SavedView>> load_views(Connection& c, UserId user,
                                                        const std::vector<TeamId>& teams);
[[nodiscard]] Result<void> delete_view(Connection& c, SavedViewId id);

}  // namespace fl::sqlite
