#include "app/reply_mail.hpp"

#include "app/event_json.hpp"

namespace fl {

bool is_auto_submitted(const Event& event) {
  auto p = payload_of(event);
  auto* flag = p.if_contains("auto_submitted");
  return flag && flag->is_bool() && flag->as_bool();
}

void ReplyMail::add_to(TicketChange& change, bool automatic, bool answers_automatic,
                       Timestamp now) const {
  if (answers_automatic) return;
  std::optional<User> requester;
  for (std::size_t i = 0; i < change.new_entries.size(); ++i) {
    const Entry& e = change.new_entries[i];
    if (e.kind != EntryKind::reply || e.author == change.ticket.requester) continue;
    auto author = store_.user(e.author);
    if (!author || author->role == Role::customer) continue;
    if (!requester) {
      auto r = store_.user(change.ticket.requester);
      if (!r) return;
      requester = std::move(*r);
    }
    if (!requester->active || requester->email.find('@') == std::string::npos) return;
    OutboundMail m;
    m.entry_index = i;
    m.kind = MailKind::reply;
    m.recipient = requester->id;
    m.address = requester->email;
    m.name = requester->name;
    m.language = requester->language == "de" ? "de" : "en";
    m.automatic = automatic;
    m.created_at = now;
    change.new_mail.push_back(std::move(m));
  }
}

}  // namespace fl
