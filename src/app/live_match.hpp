// What an event means to a client of the live feed (app/live_feed.cpp): what a client
// follows, where an event moved its ticket, what the access rules let the client see, and
// where the tickets an actor may see are to be found. Pure functions over domain values.
#pragma once

#include <algorithm>
#include <optional>
#include <unordered_set>
#include <vector>

#include "app/actor.hpp"
#include "app/live_feed.hpp"
#include "core/event.hpp"
#include "core/ticket.hpp"

namespace fl::live {

// What a client follows, as sets.
struct Interest {
  std::unordered_set<TicketId> tickets;
  std::unordered_set<TeamId> teams;
  std::unordered_set<int> lines;
  bool mine = false;
  bool all = false;

  explicit Interest(const LiveSubscription& s = {})
      : tickets(s.tickets.begin(), s.tickets.end()),
        teams(s.teams.begin(), s.teams.end()),
        lines(s.lines.begin(), s.lines.end()),
        mine(s.mine),
        all(s.all) {}

  [[nodiscard]] bool empty() const {
    return tickets.empty() && teams.empty() && lines.empty() && !mine && !all;
  }

  [[nodiscard]] bool follows(const Actor& actor, const Ticket& t) const {
    if (all || tickets.contains(t.id) || teams.contains(t.team) || lines.contains(t.line))
      return true;
    return mine && is_mine(actor, t);
  }

  // Staff own what is assigned to them; customers what they asked for.
  static bool is_mine(const Actor& actor, const Ticket& t) {
    return actor.is_staff() ? t.assignee == actor.user.id : t.requester == actor.user.id;
  }

  [[nodiscard]] LiveSubscription as_subscription() const {
    LiveSubscription s{{tickets.begin(), tickets.end()},
                       {teams.begin(), teams.end()},
                       {lines.begin(), lines.end()},
                       mine,
                       all};
    std::ranges::sort(s.tickets);
    std::ranges::sort(s.teams);
    std::ranges::sort(s.lines);
    return s;
  }
};

// What an event says about where its ticket was and went, read once per event.
struct EventFacts {
  bool created = false;
  bool move = false;  // escalated, transferred, returned
  int from_line = 0, to_line = 0;
  TeamId from_team = 0, to_team = 0;
  bool assignee_changed = false;
  std::optional<UserId> assignee_from, assignee_to;
  std::optional<EntryKind> entry;  // entry_added
};

// Reads it from the event's payload.
[[nodiscard]] EventFacts facts_of(const Event& e);

// The ticket as far as queues and sight go, after an event and (unless it created the
// ticket) before it.
struct TicketStates {
  EventFacts facts;
  Ticket after;
  std::optional<Ticket> before;
};

// The state before an event, from the state after it: the fields the event moved set back.
// `held_by`: who held the ticket before a move (a move clears the assignee and its payload
// does not say who it was). None when the event created the ticket.
[[nodiscard]] std::optional<Ticket> undo(const Ticket& after, const EventFacts& f,
                                         std::optional<UserId> held_by);

// Who held the ticket just before event `id` (a move), from its history (oldest first).
[[nodiscard]] std::optional<UserId> assignee_before(const std::vector<Event>& history, EventId id);

enum class Verdict { none, event, ticket, left };

// What one event means to one client. A ticket that was followed and seen before the event
// but is not both after it "left" (its id only: nothing it may not see now).
[[nodiscard]] Verdict judge(const Actor& actor, const Interest& interest, const TicketStates& s,
                            const Event& e);

// Where the tickets an actor may see can be found: one key per clause of its access scope
// (every condition of a clause must hold, so any one of them finds all its tickets), or
// everything when a clause is only a line.
struct Reach {
  std::vector<TeamId> teams, origins;
  std::vector<OrganizationId> organizations;
  std::vector<UserId> requesters;
  bool everything = false;
};

[[nodiscard]] Reach reach_of(const Actor& actor);

}  // namespace fl::live
