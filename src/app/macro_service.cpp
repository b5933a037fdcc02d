#include "app/macro_service.hpp"

#include <algorithm>

#include "app/access.hpp"
#include "app/event_json.hpp"
#include "core/status_machine.hpp"
#include "core/text.hpp"

namespace fl {

namespace {

bool may_use(const Actor& actor, const Macro& m) {
  if (!actor.is_staff()) return false;
  if (may_manage_macros(actor)) return true;
  return !m.team || actor.in_team(*m.team);
}

}  // namespace

Result<std::vector<Macro>> MacroService::list(const Actor& actor, bool include_inactive) {
  if (!actor.is_staff()) return fail(ErrorCode::permission_denied, "macros are for staff");
  auto all = store_.macros();
  if (!all) return all;
  std::erase_if(*all, [&](const Macro& m) {
    return !may_use(actor, m) || (!m.active && !include_inactive);
  });
  return all;
}

Result<Macro> MacroService::get(const Actor& actor, MacroId id) {
  if (!actor.is_staff()) return fail(ErrorCode::permission_denied, "macros are for staff");
  auto m = store_.macro(id);
  if (!m) return m;
  if (!may_use(actor, *m)) return fail(ErrorCode::not_found, "no macro " + std::to_string(id));
  return m;
}

Result<Macro> MacroService::save(const Actor& actor, Macro m) {
  if (!may_manage_macros(actor))
    return fail(ErrorCode::permission_denied, "only supervisors and admins keep macros");
  if (auto ok = validate(m); !ok) return std::unexpected(ok.error());
  if (m.team && !store_.team(*m.team)) return invalid_field("team_id", "no team " + std::to_string(*m.team));
  m.updated_at = clock_.now();
  return store_.save_macro(
      m, event_with(event_type::macro_saved, m.updated_at, {{"name", m.name}, {"macro", m.id}},
                    actor.user.id));
}

Result<AppliedMacro> MacroService::apply(const Actor& actor, TicketId id, MacroId macro_id) {
  auto m = get(actor, macro_id);
  if (!m) return std::unexpected(m.error());
  if (!m->active) return fail(ErrorCode::failed_precondition, "macro '" + m->name + "' is switched off");
  auto t = tickets_.get(actor, id);
  if (!t) return std::unexpected(t.error());

  // Everything is checked first, so a macro is applied whole or not at all (short of a
  // concurrent change between its two writes).
  bool writes_entry = !is_blank(m->text);
  auto deny = [](std::string what) {
    return fail(ErrorCode::permission_denied, "this macro would " + what + ", which you may not");
  };
  if (writes_entry) {
    TicketAction action = m->entry_kind == EntryKind::note ? TicketAction::note : TicketAction::reply;
    if (!may(actor, action, *t)) return deny("add a " + std::string(name_of(m->entry_kind)));
    if (t->status == TicketStatus::closed)
      return fail(ErrorCode::failed_precondition, "the ticket is closed");
  }
  if ((m->impact || m->urgency || !m->add_tags.empty()) && !may(actor, TicketAction::update, *t))
    return deny("change fields");
  if (m->assign_to_me && !may(actor, TicketAction::assign, *t)) return deny("assign the ticket");
  if (m->status) {
    if (!may(actor, TicketAction::set_status, *t)) return deny("set the status");
    // A staff reply opens a new ticket; the macro's status follows from there.
    TicketStatus after_entry = writes_entry && m->entry_kind == EntryKind::reply &&
                                       t->status == TicketStatus::new_
                                   ? TicketStatus::open
                                   : t->status;
    if (auto ok = check_transition(after_entry, *m->status); !ok) return std::unexpected(ok.error());
  }

  AppliedMacro applied;
  if (writes_entry) {
    std::string requester_name, team_name;
    if (auto u = store_.user(t->requester)) requester_name = u->name;
    if (auto team = store_.team(t->team)) team_name = team->name;
    std::string text = fill_placeholders(m->text, [&](std::string_view name) -> std::string {
      if (name == "ticket.number") return std::to_string(t->number);
      if (name == "ticket.subject") return t->subject;
      if (name == "requester.name") return requester_name;
      if (name == "agent.name") return actor.user.name;
      if (name == "agent.email") return actor.user.email;
      if (name == "team.name") return team_name;
      return "";
    });
    auto entry = tickets_.add_entry(actor, id, {.kind = m->entry_kind, .body = text});
    if (!entry) return std::unexpected(entry.error());
    applied.entry = std::move(*entry);
  }
  TicketPatch patch;
  patch.status = m->status;
  patch.impact = m->impact;
  patch.urgency = m->urgency;
  if (m->assign_to_me) patch.assignee = actor.user.id;
  if (!m->add_tags.empty()) {
    auto now = tickets_.get(actor, id);
    if (!now) return std::unexpected(now.error());
    std::vector<std::string> tags = now->tags;
    tags.insert(tags.end(), m->add_tags.begin(), m->add_tags.end());
    patch.tags = std::move(tags);
  }
  if (patch.status || patch.impact || patch.urgency || patch.assignee || patch.tags) {
    auto updated = tickets_.update(actor, id, patch);
    if (!updated) return std::unexpected(updated.error());
    applied.ticket = std::move(*updated);
  } else {
    auto now = tickets_.get(actor, id);
    if (!now) return std::unexpected(now.error());
    applied.ticket = std::move(*now);
  }
  return applied;
}

}  // namespace fl
