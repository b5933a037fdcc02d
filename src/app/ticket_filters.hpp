// The ticket list's query string — filters, sort and paging of GET /api/v1/tickets — read in
// one place, so the list and saved views (which keep such a string) accept the same thing.
// The access scope is not part of it: TicketService decides that from the actor.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace fl {

using QueryParameters = std::vector<std::pair<std::string, std::string>>;  // decoded, in order

// Reads line, team, requester, organization, assignee (a user id, `me` or `none`), status,
// priority and sla (comma lists), tag (repeatable: all of them), sort (newest, oldest,
// sla_due), limit (1..200) and cursor (as next_cursor() wrote it for that sort). `me` is the
// caller. Other names are ignored. invalid_argument naming every bad field.
[[nodiscard]] Result<TicketQuery> ticket_query_from(const QueryParameters& parameters, UserId me);

// A saved view's query string ("status=open,new&sort=sla_due"): the same names, decoded as
// in a URL, without paging (cursor, limit) and without unknown names. invalid_argument naming
// the field `query`.
[[nodiscard]] Result<QueryParameters> view_parameters(std::string_view query_string);

// The cursor of the page after `page` in `order` (none after the last page).
[[nodiscard]] std::optional<std::string> next_cursor(const TicketPage& page, TicketOrder order);

}  // namespace fl
