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

// nullopt when the scope lets the caller see nothing: no query needs to run.
[[nodiscard]] std::optional<ListingSql> ticket_listing_sql(const TicketQuery& query);

}  // namespace fl::sqlite
