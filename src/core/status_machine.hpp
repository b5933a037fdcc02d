// The ticket status machine: every allowed move is in the table in status_machine.cpp.
#pragma once

#include <vector>

#include "core/error.hpp"
#include "core/ticket.hpp"

namespace fl {

// Ok when `from -> to` is allowed (staying in the same status is always allowed);
// otherwise failed_precondition naming both states.
[[nodiscard]] Result<void> check_transition(TicketStatus from, TicketStatus to);

[[nodiscard]] std::vector<TicketStatus> allowed_targets(TicketStatus from);

// The status a ticket takes when its requester (or another customer) replies:
// a solved or waiting ticket comes back to the desk.
[[nodiscard]] TicketStatus status_after_customer_reply(TicketStatus current);

}  // namespace fl
