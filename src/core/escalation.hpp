// Moving a ticket between lines and teams: escalation (up, with a reason and a hand-off
// note), transfer (sideways, same line), return (down, with a note).
#pragma once

#include <optional>
#include <string>

#include "core/directory.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/ticket.hpp"

namespace fl {

enum class EscalationReason {
  needs_expertise,
  needs_access,
  infrastructure,
  vendor_required,
  sla_risk,
  customer_request,
};
template <>
struct EnumNames<EscalationReason> {
  static constexpr std::array<std::pair<EscalationReason, std::string_view>, 6> table{{
      {EscalationReason::needs_expertise, "needs_expertise"},
      {EscalationReason::needs_access, "needs_access"},
      {EscalationReason::infrastructure, "infrastructure"},
      {EscalationReason::vendor_required, "vendor_required"},
      {EscalationReason::sla_risk, "sla_risk"},
      {EscalationReason::customer_request, "customer_request"},
  }};
};

enum class MoveKind { escalation, transfer, return_ };
template <>
struct EnumNames<MoveKind> {
  static constexpr std::array<std::pair<MoveKind, std::string_view>, 3> table{{
      {MoveKind::escalation, "escalation"},
      {MoveKind::transfer, "transfer"},
      {MoveKind::return_, "return"},
  }};
};

// A validated move, ready to apply and to record (who and when are added by the caller).
struct TicketMove {
  MoveKind kind = MoveKind::escalation;
  int from_line = 1;
  TeamId from_team = 0;
  int to_line = 1;
  TeamId to_team = 0;
  std::optional<EscalationReason> reason;  // escalations only
  std::string note;                        // hand-off note (escalation) or note (return/transfer)
};

// Escalation: only upward, to a team of the target line; the hand-off note says what was
// already tried and must not be blank. Errors name the field (`to_line`, `to_team`,
// `handoff_note`) so the API can report it.
[[nodiscard]] Result<TicketMove> plan_escalation(const Ticket& ticket, int to_line,
                                                 const Team& to_team, EscalationReason reason,
                                                 std::string_view handoff_note);

// Transfer: to another team of the same line; the note is optional.
[[nodiscard]] Result<TicketMove> plan_transfer(const Ticket& ticket, const Team& to_team,
                                               std::string_view note);

// Return: back to a team of a lower line, with a non-blank note.
[[nodiscard]] Result<TicketMove> plan_return(const Ticket& ticket, const Team& to_team,
                                             std::string_view note);

// Applies a planned move: line and team change, the assignee is cleared (the receiving
// team's queue decides), escalations are counted.
void apply_move(Ticket& ticket, const TicketMove& move);

}  // namespace fl
