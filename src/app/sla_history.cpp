#include "app/sla_history.hpp"

#include "app/event_json.hpp"

namespace fl {

namespace json = boost::json;

std::vector<SlaMoment> sla_moments(const std::vector<Event>& events, const IsStaff& is_staff) {
  std::vector<SlaMoment> out;
  SlaMoment state;  // the ticket as the events so far leave it
  bool created = false;
  // The status change recorded with a reply belongs to the reply's moment: a customer's
  // reply to a resolved ticket reopens it and is then waiting for an answer.
  const Event* last_entry = nullptr;
  for (const Event& e : events) {
    json::object p = payload_of(e);
    state.at = e.at;
    state.by_staff = false;
    state.policy.reset();
    if (e.type == event_type::ticket_created) {
      state.kind = SlaMoment::Kind::created;
      state.line = static_cast<int>(number_at(p, "line").value_or(1));
      state.team = number_at(p, "team").value_or(0);
      state.priority = parse_name<Priority>(text_at(p, "priority")).value_or(Priority::p4);
      state.status = TicketStatus::new_;
      out.push_back(state);
      created = true;
      auto* call = p.if_contains("call");
      if (call && call->is_bool() && call->as_bool() && acted_by_staff(e, p, is_staff)) {
        state.kind = SlaMoment::Kind::staff_reply;  // answered on the phone as it was opened
        out.push_back(state);
      }
      continue;
    }
    if (!created) continue;
    if (e.type == event_type::sla_policy_applied) {
      state.kind = SlaMoment::Kind::policy_applied;
      state.policy = number_at(p, "policy");
      state.policy_version = number_at(p, "version").value_or(0);
      if (state.policy) out.push_back(state);
      state.policy.reset();
      continue;
    }
    if (e.type == event_type::entry_added) {
      // A rule's reply (a reminder) neither answers the customer nor asks anything.
      if (text_at(p, "by") == "rule") continue;
      std::string_view kind = text_at(p, "kind");
      bool staff = acted_by_staff(e, p, is_staff);
      if (!staff && kind == "reply")
        state.kind = SlaMoment::Kind::customer_reply;
      else if (staff && (kind == "reply" || kind == "call"))
        state.kind = SlaMoment::Kind::staff_reply;
      else if (staff && kind == "note")
        state.kind = SlaMoment::Kind::staff_note;
      else
        continue;
      out.push_back(state);
      last_entry = &e;
      continue;
    }
    if (e.type == event_type::status_changed) {
      auto to = parse_name<TicketStatus>(text_at(p, "to"));
      if (!to) continue;
      state.status = *to;
      if (last_entry && last_entry->at == e.at && last_entry->actor == e.actor && !out.empty()) {
        out.back().status = *to;
      } else {
        state.kind = SlaMoment::Kind::changed;
        state.by_staff = acted_by_staff(e, p, is_staff);
        out.push_back(state);
      }
      last_entry = nullptr;
      continue;
    }
    last_entry = nullptr;
    if (e.type == event_type::ticket_updated) {
      auto* changes = p.if_contains("changes");
      auto* priority = changes && changes->is_object() ? changes->as_object().if_contains("priority")
                                                       : nullptr;
      if (!priority || !priority->is_object()) continue;
      auto to = parse_name<Priority>(text_at(priority->as_object(), "to"));
      if (!to) continue;
      state.priority = *to;
      state.kind = SlaMoment::Kind::changed;
      state.by_staff = acted_by_staff(e, p, is_staff);
      out.push_back(state);
      continue;
    }
    if (e.type == event_type::escalated || e.type == event_type::transferred ||
        e.type == event_type::returned) {
      state.line = static_cast<int>(number_at(p, "to_line").value_or(state.line));
      state.team = number_at(p, "to_team").value_or(state.team);
      state.kind = SlaMoment::Kind::changed;
      state.by_staff = acted_by_staff(e, p, is_staff);
      out.push_back(state);
    }
  }
  return out;
}

std::set<SlaMark> sla_marks(const std::vector<Event>& events) {
  std::set<SlaMark> marks;
  for (const Event& e : events) {
    bool breach = e.type == event_type::sla_breached;
    if (!breach && e.type != event_type::sla_step_fired) continue;
    json::object p = payload_of(e);
    auto metric = parse_name<SlaMetric>(text_at(p, "metric"));
    if (!metric) continue;
    marks.insert({*metric, static_cast<int>(number_at(p, "cycle").value_or(1)),
                  static_cast<int>(number_at(p, "percent").value_or(100)), breach});
  }
  return marks;
}

}  // namespace fl
