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

[[nodiscard]] Result<StaffingMeasures> load_staffing_measures(Connection& c,
                                                              const StaffingQuery& query,
                                                              Timestamp now);

// not_found when no document has that name.
[[nodiscard]] Result<ConfigDocument> load_setting(Connection& c, std::string_view name);

}  // namespace fl::sqlite
