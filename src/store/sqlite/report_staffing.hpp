// Staffing measures (core/staffing_measures.hpp) over the report facts (migration 23) and
// line 0's records, and the settings documents (migration 26) the staffing plan is kept in.
// Reads run on a borrowed read connection; the settings write goes through
// save_current_document (sla.hpp) on the writer.
#pragma once

#include <string_view>

#include "core/staffing_measures.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

// The chatbot conversations of [?1, ?2) that ended deflected or handed over, and those
// deflected, without an article session of their own (counted through that session):
// answered from migration 28's index alone.
inline constexpr std::string_view kChatbotOutcomesSql =
    "SELECT coalesce(sum(b.status IN ('deflected', 'handed_off')), 0), "
    "coalesce(sum(b.status = 'deflected'), 0) FROM bot_sessions b "
    "WHERE b.created_at >= ?1 AND b.created_at < ?2 AND b.deflection_session = ''";

[[nodiscard]] Result<StaffingMeasures> load_staffing_measures(Connection& c,
                                                              const StaffingQuery& query,
                                                              Timestamp now);

}  // namespace fl::sqlite
