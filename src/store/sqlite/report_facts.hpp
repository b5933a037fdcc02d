// Report facts (migration 23): see Store::report_ticket_facts and save_report_facts.
#pragma once

#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

[[nodiscard]] Result<std::vector<TicketFacts>> load_report_ticket_facts(
    Connection& c, const std::vector<TicketId>& ids);
[[nodiscard]] Result<void> save_report_facts(Connection& c, const std::vector<TicketFacts>& tickets,
                                             const FactChanges& changes, EventId cursor);
[[nodiscard]] Result<void> reset_report_facts(Connection& c);

}  // namespace fl::sqlite
