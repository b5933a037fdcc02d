// Outbound e-mail to requesters and staff. Two ways into the outbox (the store's mail_outbox):
// a public reply is queued in its own commit (app/reply_mail.hpp); everything the desk says on
// its own - the acknowledgement of a new ticket, status changes the requester should know,
// SLA warnings to staff - is queued by follow(), a follower of the event feed whose cursor
// moves in the same commit as the rows it queues, so a crash neither loses nor repeats one.
// send_due() sends what is due through the MailTransport port and retries failures with
// the webhooks' backoff; what it sends is rendered from templates (app/mail_templates.hpp)
// in the recipient's language at that moment, with a Message-ID fixed by the row.
// docs/mail.md (Outbound) has the rules; the loop protection is one of them: nothing is sent
// automatically in answer to an event whose payload says "auto_submitted": true.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "app/clock.hpp"
#include "app/mail_templates.hpp"
#include "app/mail_transport.hpp"
#include "app/retries.hpp"
#include "core/outbound_mail.hpp"
#include "store/store.hpp"

namespace fl {

inline constexpr std::int64_t kDefaultMailAttachmentBytes = 10 << 20;  // 10 MiB

struct MailOptions {
  std::string address;    // the desk's address: From, envelope sender, Message-ID domain
  std::string from_name;  // the desk's name beside it
  std::string base_url;   // where links in mails point ("https://desk.example.com"); may be ""
  // false: outbound mail is off - follow() only moves its cursor, nothing is queued or sent.
  bool enabled = true;
  RetryPolicy retry;
  // Longer than one send can take: after a crash, a claimed mail goes out again once it ends.
  std::chrono::milliseconds lease = std::chrono::minutes(5);
  int articles = 3;                            // knowledge-base links in an acknowledgement
  // A reply's files go with its mail when together they are at most this many bytes; else
  // none go, and the mail says they are on the ticket in the portal.
  std::int64_t max_attachment_bytes = kDefaultMailAttachmentBytes;
  std::function<void(std::string_view)> warn;  // one line per failed attempt; no secrets
};

// Articles that may answer a ticket, as its requester may see them: (id, title).
using ArticleFinder =
    std::function<std::vector<std::pair<std::int64_t, std::string>>(const Ticket&, int limit)>;

struct MailStats {
  std::int64_t sent = 0;
  std::int64_t retried = 0;
  std::int64_t failed = 0;
};

// Thread-safe as far as the store is; run follow() and send_due() from one worker.
class MailService {
 public:
  MailService(Store& store, const Clock& clock, MailTransport& transport, MailTemplates templates,
              ArticleFinder articles, MailOptions options);

  // Queues the mail of the events after the cursor ("mail"), at most `max_events`; returns
  // how many events it read (0: up to date). The very first run only sets the cursor to the
  // newest event.
  Result<int> follow(int max_events = 1000);
  // Claims due mail one at a time (each leased for its own send) and sends it, at most
  // `limit`; returns how many it tried. A send that fails is recorded with its error and tried
  // again later, or given up after the policy's last attempt; a mail that cannot be written at all
  // (its entry is gone, the address is not one) is given up at once.
  Result<int> send_due(int limit = 20);

  // The message a row is sent as (for tests and for send_due).
  Result<Envelope> compose(const OutboundMail& mail);

  [[nodiscard]] MailStats stats() const;

 private:
  void warn(const std::string& line) const;
  // The files a reply's mail carries: all of them within max_attachment_bytes together, else
  // none, and a note in `values["body"]` (template reply.files_in_portal) that links to them.
  Result<std::vector<MailFile>> reply_files(const Entry& reply, const std::string& language,
                                            std::map<std::string, std::string>& values);

  Store& store_;
  const Clock& clock_;
  MailTransport& transport_;
  MailTemplates templates_;
  ArticleFinder articles_;
  MailOptions options_;
  AttemptTally tally_;
};

}  // namespace fl
