// Automatic assignment when a ticket arrives at a team unassigned (created, escalated,
// transferred, returned, escalated by the SLA ladder): the team's mode chooses among its
// members (core/assignment.hpp). The choice is an assignee change with its event
// (ticket.updated, by the system, naming the mode), and the store records it as the member's
// turn in the same commit.
#pragma once

#include "core/error.hpp"
#include "store/store.hpp"

namespace fl {

// Assigns change.ticket if it is unassigned, open and its team assigns automatically; does
// nothing otherwise (also when nobody is available: the ticket waits in the queue).
Result<void> assign_automatically(Store& store, TicketChange& change, Timestamp now);

}  // namespace fl
