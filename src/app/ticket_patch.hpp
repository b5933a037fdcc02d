// Changing a ticket's fields, shared by the agent's update (TicketService) and automation
// (rules): the checks, the facts kept with a status, and the events that record the change.
// For the app's .cpp files only (Boost.JSON stays out of the public headers).
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <string_view>

#include "app/ticket_service.hpp"

namespace fl {

// Builds an event of `type` with `payload` as whoever changes the ticket (adds "by").
using EventMaker = std::function<Event(std::string_view type, boost::json::object payload)>;

// Tags lower-cased, sorted and unique; at most 32, each a valid tag (errors name "tags").
[[nodiscard]] Result<std::vector<std::string>> normalise_tags(const std::vector<std::string>& raw);

// The checks that need no ticket: levels, lengths, tags (normalised in the result), an
// assignee who is an active member of staff. Errors name the field.
[[nodiscard]] Result<TicketPatch> checked_patch(Store& store, const TicketPatch& patch);

// Applies a checked patch to change.ticket: an agent assigned must be in the ticket's team,
// a status change must be allowed (core/status_machine.hpp). Appends ticket.updated with the
// changed fields and ticket.status_changed (with `cause`), made by `make`, and sets
// updated_at. Returns whether anything changed.
[[nodiscard]] Result<bool> apply_patch(Store& store, TicketChange& change, const TicketPatch& patch,
                                       Timestamp now, std::string_view cause,
                                       const EventMaker& make);

// Sets the status and keeps the facts derived from it (resolution time and line).
void set_status(Ticket& t, TicketStatus to, Timestamp now);

[[nodiscard]] boost::json::object status_payload(TicketStatus from, TicketStatus to,
                                                 std::string_view cause);

}  // namespace fl
