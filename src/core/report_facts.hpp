// Report facts (docs/reports.md): what the service-desk reports count, kept per ticket, per
// move between teams (escalation, transfer, return) and per contact the desk made (a reply or
// a call), and the SLA clocks and ladder marks of each ticket. Derived from the event history by
// app/report_facts.hpp (the clocks by replaying them, app/sla_service.hpp); stored by the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/escalation.hpp"
#include "core/ids.hpp"
#include "core/priority.hpp"
#include "core/sla.hpp"
#include "core/time.hpp"

namespace fl {

struct TicketFacts {
  TicketId ticket = 0;
  Timestamp created_at{};
  std::string channel;
  int opened_line = 1;
  TeamId opened_team = 0;
  // Where it is now, and since when (the time spent at each line is counted from this).
  int line = 1;
  TeamId team = 0;
  Timestamp at_team_since{};
  std::string status = "new";
  std::optional<Timestamp> first_response_at;  // the desk's first public reply or call
  std::optional<Timestamp> first_resolved_at;
  std::optional<Timestamp> resolved_at;  // the last resolution (none while unsolved again)
  std::optional<int> resolved_line;
  std::optional<Timestamp> closed_at;
  int reopens = 0;
  int escalations = 0;
  int transfers = 0;
  int returns = 0;
  int bounces = 0;  // transfers on from a team that had just received it by escalation
  int customer_contacts = 1;  // the opening contact, each later customer reply and each call
  int staff_replies = 0;
  std::int64_t handling_seconds = 0;  // the calls' length and the time recorded on entries
  std::optional<int> csat_score;
  std::string csat_comment;
  std::optional<Timestamp> csat_at;
  int sla_breaches = 0;
  // The ticket's dimensions as it is now (set by the follower from the ticket, not from the
  // events: a category set later counts, and reports group by what the ticket is).
  std::string category;
  std::optional<OrganizationId> organization;
  std::string priority;
  std::optional<UserId> assignee;
  // The newest escalation (the move's event) while its first hour runs: a public reply from
  // the desk in that hour marks it "asked again".
  std::optional<EventId> last_escalation;
  std::optional<Timestamp> last_escalated_at;
  bool last_move_was_escalation = false;

  // First-contact resolution as docs/domain.md defines it.
  [[nodiscard]] bool first_contact_resolution() const {
    return resolved_at && resolved_line == 1 && escalations == 0 && customer_contacts <= 1;
  }
};

struct MoveFact {
  EventId event = 0;
  TicketId ticket = 0;
  Timestamp at{};
  MoveKind kind = MoveKind::escalation;
  int from_line = 1;
  int to_line = 1;
  TeamId from_team = 0;
  TeamId to_team = 0;
  std::string reason;  // escalations
  int note_chars = 0;  // the hand-off note's length in characters
  std::int64_t ms_at_previous = 0;  // how long the ticket was with the team it left
  bool bounce = false;
  bool asked_again = false;  // escalations: the desk replied to the user within the first hour
};

struct ContactFact {
  EventId event = 0;
  TicketId ticket = 0;
  Timestamp at{};
  UserId agent = 0;
  std::string kind;  // "reply" or "call"; "note" only for a note that recorded time
  int line = 1;
  TeamId team = 0;
  std::int64_t call_seconds = 0;
  std::int64_t work_seconds = 0;  // time accounting: the minutes the agent recorded
};

// One SLA clock of a ticket as its replay gives it now (SlaClock: its line and team are where
// the ticket was when it started; for a line clock, the team it measures), with the priority
// whose target it ran on last: the ticket's priority when it stopped, or now while it runs.
struct SlaClockFact {
  TicketId ticket = 0;
  Priority priority = Priority::p4;
  SlaClock clock;
};

// Every clock of one ticket: what the store keeps for it is replaced by these.
struct TicketSlaClocks {
  TicketId ticket = 0;
  std::vector<SlaClockFact> clocks;
};

// A ladder step fired (sla.step_fired) or a breach recorded (sla.breached) for one clock,
// named as the ladder names it (metric and cycle); `at` is when the event was recorded.
struct SlaMarkFact {
  EventId event = 0;
  TicketId ticket = 0;
  Timestamp at{};
  SlaMetric metric = SlaMetric::resolution;
  int cycle = 1;
  int percent = 100;
  bool breach = false;
};

// What events changed besides the tickets' own facts (apply_event adds moves, contacts,
// asked-again marks and SLA marks; the follower adds the tickets' current SLA clocks).
struct FactChanges {
  std::vector<MoveFact> moves;
  std::vector<ContactFact> contacts;
  std::vector<EventId> asked_again;  // escalations (by their event) found asked again
  std::vector<SlaMarkFact> sla_marks;
  std::vector<TicketSlaClocks> sla_clocks;
};

}  // namespace fl
