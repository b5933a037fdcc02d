// The port every way in for e-mail goes through (mailgate on standard input, IMAP polling):
// one raw RFC 5322 message for one configured mailbox, turned into a ticket change or
// recognised as a duplicate or as noise. The intake (app/mail_intake.hpp) implements it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace fl {

enum class IngestOutcome {
  created,    // a new ticket
  appended,   // an entry on an existing ticket (a reply, threaded)
  duplicate,  // seen before (same Message-ID, or same sender, date and body): nothing written
  ignored,    // noise kept out of the desk's work: a bounce, an auto-reply, a loop, rate-limited
};

struct IngestResult {
  IngestOutcome outcome = IngestOutcome::created;
  std::optional<TicketId> ticket;  // created/appended: the ticket; duplicate: the first one's
  std::string reason;              // ignored/duplicate: why, for logs and the poller's report
};

class MailSink {
 public:
  virtual ~MailSink() = default;
  // Thread-safe. Returns only after the change is committed (durable): a caller may then mark
  // or move the message at its source. An error means nothing was written; the message stays
  // at its source and is offered again (invalid_argument: it will never be accepted - the
  // caller moves it aside instead of retrying forever; not_found: no such mailbox).
  virtual Result<IngestResult> ingest(std::string_view mailbox, std::string_view raw) = 0;
};

}  // namespace fl
