// Public replies go to the requester by e-mail: the outbox row is written in the reply's own
// commit (TicketChange::new_mail), so a reply is never stored without its mail or mailed
// without being stored. Sending is MailService's.
#pragma once

#include "store/store.hpp"

namespace fl {

// Whether the event's payload says it came from an automatic message ("auto_submitted": true,
// set by the inbound mail side on ticket.created and entry.added): never answered by mail.
[[nodiscard]] bool is_auto_submitted(const Event& event);

class ReplyMail {
 public:
  explicit ReplyMail(Store& store) : store_(store) {}

  // Adds a mail to `change` for each new public reply written by staff or the system account
  // (a rule), to the ticket's requester when they are active and have an e-mail address.
  // `automatic`: written by automation (Auto-Submitted: auto-replied); `answers_automatic`:
  // it answers a message that was itself automatic - then nothing is mailed (RFC 3834).
  // Lookups that fail mail nothing rather than fail the reply.
  void add_to(TicketChange& change, bool automatic, bool answers_automatic, Timestamp now) const;

 private:
  Store& store_;
};

}  // namespace fl
