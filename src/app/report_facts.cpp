#include "app/report_facts.hpp"

#include "app/event_json.hpp"
#include "core/text.hpp"

namespace fl {

namespace {

bool is_solved_name(std::string_view status) { return status == "resolved" || status == "closed"; }

int chars_of(std::string_view text) {
  int n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;  // UTF-8 lead bytes
  return n;
}

// A desk's reply in the escalation's first hour: the receiving team asked again.
void answered_after_escalation(TicketFacts& f, Timestamp at, FactChanges& changes) {
  if (f.last_escalation && f.last_escalated_at && at - *f.last_escalated_at <= kAskedAgainWindow)
    changes.asked_again.push_back(*f.last_escalation);
  f.last_escalation.reset();
  f.last_escalated_at.reset();
}

// The acting agent's contact at the ticket's line and team now (the event has an actor).
ContactFact contact_of(const Event& e, const TicketFacts& f, std::string_view kind,
                       std::int64_t call_seconds, std::int64_t work_seconds) {
  return {.event = e.id,
          .ticket = f.ticket,
          .at = e.at,
          .agent = *e.actor,
          .kind = std::string(kind),
          .line = f.line,
          .team = f.team,
          .call_seconds = call_seconds,
          .work_seconds = work_seconds};
}

}  // namespace

void apply_event(TicketFacts& f, const Event& e, const std::function<bool(UserId)>& is_staff,
                 FactChanges& changes) {
  if (!e.ticket) return;
  const boost::json::object p = payload_of(e);
  if (e.type == event_type::ticket_created) {
    f = TicketFacts{};
    f.ticket = *e.ticket;
    f.created_at = e.at;
    f.channel = std::string(text_at(p, "channel"));
    f.opened_line = f.line = static_cast<int>(number_at(p, "line").value_or(1));
    f.opened_team = f.team = number_at(p, "team").value_or(0);
    f.at_team_since = e.at;
    // A ticket an agent logs from a call is that agent's contact.
    auto seconds = number_at(p, "call_seconds");
    if (seconds) f.handling_seconds += *seconds;
    if (seconds && e.actor && acted_by_staff(e, p, is_staff)) {
      f.first_response_at = e.at;  // the call was the desk's answer
      changes.contacts.push_back(contact_of(e, f, "call", *seconds, 0));
    }
    return;
  }
  if (e.type == event_type::status_changed) {
    const std::string_view from = text_at(p, "from");
    const std::string_view to = text_at(p, "to");
    if (to.empty()) return;
    f.status = std::string(to);
    if (to == "resolved" || (to == "closed" && !is_solved_name(from))) {
      f.resolved_at = e.at;
      f.resolved_line = f.line;
      if (!f.first_resolved_at) f.first_resolved_at = e.at;
    }
    if (to == "closed") f.closed_at = e.at;
    if (is_solved_name(from) && !is_solved_name(to)) {
      ++f.reopens;
      f.resolved_at.reset();
      f.resolved_line.reset();
      f.closed_at.reset();
    }
    return;
  }
  if (e.type == event_type::entry_added) {
    const std::string_view kind = text_at(p, "kind");
    const bool by_staff = acted_by_staff(e, p, is_staff);
    const std::int64_t worked = number_at(p, "time_spent_minutes").value_or(0) * 60;
    if (kind == "note") {
      // Not a contact with the user; recorded time still counts as handling.
      if (worked > 0 && by_staff && e.actor) {
        f.handling_seconds += worked;
        changes.contacts.push_back(contact_of(e, f, "note", 0, worked));
      }
      return;
    }
    if (kind == "call" || !by_staff) ++f.customer_contacts;
    if (!by_staff || !e.actor) return;
    if (!f.first_response_at) f.first_response_at = e.at;
    ContactFact c = contact_of(e, f, kind, number_at(p, "call_seconds").value_or(0), worked);
    f.handling_seconds += c.call_seconds + c.work_seconds;
    if (kind == "reply") {
      ++f.staff_replies;
      answered_after_escalation(f, e.at, changes);
    }
    changes.contacts.push_back(std::move(c));
    return;
  }
  if (e.type == event_type::escalated || e.type == event_type::transferred ||
      e.type == event_type::returned) {
    MoveFact m;
    m.event = e.id;
    m.ticket = f.ticket;
    m.at = e.at;
    m.kind = e.type == event_type::escalated    ? MoveKind::escalation
             : e.type == event_type::transferred ? MoveKind::transfer
                                                 : MoveKind::return_;
    m.from_line = static_cast<int>(number_at(p, "from_line").value_or(f.line));
    m.to_line = static_cast<int>(number_at(p, "to_line").value_or(m.from_line));
    m.from_team = number_at(p, "from_team").value_or(f.team);
    m.to_team = number_at(p, "to_team").value_or(m.from_team);
    m.reason = std::string(text_at(p, "reason"));
    m.note_chars = chars_of(trim(text_at(p, "note")));
    m.ms_at_previous = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(e.at - f.at_team_since).count());
    m.bounce = m.kind == MoveKind::transfer && f.last_move_was_escalation;
    switch (m.kind) {
      case MoveKind::escalation:
        ++f.escalations;
        f.last_escalation = e.id;
        f.last_escalated_at = e.at;
        break;
      case MoveKind::transfer:
        ++f.transfers;
        break;
      case MoveKind::return_:
        ++f.returns;
        break;
    }
    if (m.bounce) ++f.bounces;
    f.last_move_was_escalation = m.kind == MoveKind::escalation;
    f.line = m.to_line;
    f.team = m.to_team;
    f.at_team_since = e.at;
    changes.moves.push_back(std::move(m));
    return;
  }
  if (e.type == event_type::ticket_rated) {
    if (auto score = number_at(p, "score")) {
      f.csat_score = static_cast<int>(*score);
      f.csat_comment = std::string(text_at(p, "comment"));
      f.csat_at = e.at;
    }
    return;
  }
  if (e.type == event_type::sla_breached || e.type == event_type::sla_step_fired) {
    const bool breach = e.type == event_type::sla_breached;
    if (breach) ++f.sla_breaches;
    // Read as sla_marks() (app/sla_history.hpp) reads them for the ladder.
    auto metric = parse_name<SlaMetric>(text_at(p, "metric"));
    if (!metric) return;
    changes.sla_marks.push_back({.event = e.id,
                                 .ticket = f.ticket,
                                 .at = e.at,
                                 .metric = *metric,
                                 .cycle = static_cast<int>(number_at(p, "cycle").value_or(1)),
                                 .percent = static_cast<int>(number_at(p, "percent").value_or(100)),
                                 .breach = breach});
  }
}

}  // namespace fl
