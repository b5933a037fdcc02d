#include "core/escalation.hpp"

namespace fl {

namespace {

Result<void> check_movable(const Ticket& ticket) {
  if (ticket.status == TicketStatus::closed)
    return fail(ErrorCode::failed_precondition, "a closed ticket cannot be moved");
  return {};
}

}  // namespace

Result<TicketMove> plan_escalation(const Ticket& ticket, int to_line, const Team& to_team,
                                   EscalationReason reason, std::string_view handoff_note) {
  if (auto ok = check_movable(ticket); !ok) return std::unexpected(ok.error());
  if (is_solved(ticket.status))
    return fail(ErrorCode::failed_precondition,
                "a resolved ticket cannot be escalated; reopen it first");
  if (!is_ticket_line(to_line)) return invalid_field("to_line", "must be a line from 1 to 4");
  if (to_line <= ticket.line)
    return invalid_field("to_line", "escalation goes only upward: the ticket is at line " +
                                        std::to_string(ticket.line));
  if (to_team.line != to_line)
    return invalid_field("to_team", "team '" + to_team.name + "' is at line " +
                                        std::to_string(to_team.line) + ", not line " +
                                        std::to_string(to_line));
  if (is_blank(handoff_note))
    return invalid_field("handoff_note", "required: say what was already tried");
  return TicketMove{MoveKind::escalation, ticket.line, ticket.team,       to_line,
                    to_team.id,           reason,      trim(handoff_note)};
}

Result<TicketMove> plan_transfer(const Ticket& ticket, const Team& to_team, std::string_view note) {
  if (auto ok = check_movable(ticket); !ok) return std::unexpected(ok.error());
  if (to_team.line != ticket.line)
    return invalid_field("to_team", "a transfer stays at line " + std::to_string(ticket.line) +
                                        "; use an escalation or a return to change lines");
  if (to_team.id == ticket.team)
    return invalid_field("to_team", "the ticket is already at this team");
  return TicketMove{MoveKind::transfer, ticket.line,  ticket.team, ticket.line,
                    to_team.id,         std::nullopt, trim(note)};
}

Result<TicketMove> plan_return(const Ticket& ticket, const Team& to_team, std::string_view note) {
  if (auto ok = check_movable(ticket); !ok) return std::unexpected(ok.error());
  if (to_team.line >= ticket.line)
    return invalid_field("to_line", "a return goes only downward: the ticket is at line " +
                                        std::to_string(ticket.line));
  if (is_blank(note)) return invalid_field("note", "required: say why the ticket comes back");
  return TicketMove{MoveKind::return_, ticket.line,  ticket.team, to_team.line,
                    to_team.id,        std::nullopt, trim(note)};
}

void apply_move(Ticket& ticket, const TicketMove& move) {
  ticket.line = move.to_line;
  ticket.team = move.to_team;
  ticket.assignee.reset();
  if (move.kind == MoveKind::escalation) ++ticket.escalation_count;
}

}  // namespace fl
