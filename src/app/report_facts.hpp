// Report facts from the event history (docs/reports.md): one event at a time, so they are
// kept up to date as events arrive and can be rebuilt from the history for any past period.
// Pure (no store): the follower in app/reports.hpp feeds the events and keeps the rows.
#pragma once

#include <chrono>
#include <functional>

#include "core/event.hpp"
#include "core/report_facts.hpp"

namespace fl {

inline constexpr std::chrono::hours kAskedAgainWindow{1};

// Applies one of the ticket's events, oldest first; ticket.created starts the facts (`facts`
// is then overwritten). Who acted as staff is the payload's "by" where the event carries it,
// else `is_staff` says (acted_by_staff in app/event_json.hpp). Moves, contacts, asked-again
// marks and SLA marks (sla.step_fired, sla.breached) go to `changes`; the SLA clocks are not
// an event's to change (the follower replays them). Events of other kinds are ignored.
void apply_event(TicketFacts& facts, const Event& event,
                 const std::function<bool(UserId)>& is_staff, FactChanges& changes);

}  // namespace fl
