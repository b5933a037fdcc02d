// The mail intake: the MailSink (app/mail_sink.hpp) that files a raw message as a new ticket or
// as a reply on the ticket it answers, and keeps duplicates, bounces, loops and floods out.
//
// Threading: In-Reply-To and References name a Message-ID we sent (our form, core/mail.hpp)
// or one we received (mail_messages); else a ticket tag "[#100042]" in the subject. A reply
// joins that ticket only when the sender may reply on it (access rules) and it is not closed;
// otherwise it opens a new ticket. New senders become customers (organisation by mail domain).
// The raw message is kept as the entry's attachment "original.eml"; the entry's body is the
// new part of the text (quoted history and signature trimmed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/directory_service.hpp"
#include "app/mail_parser.hpp"
#include "app/mail_sink.hpp"
#include "app/ticket_service.hpp"
#include "store/store.hpp"

namespace fl {

struct MailboxSettings {
  std::string name;
  std::string team;  // name of the first-line team new tickets go to; empty: routing decides
};

struct MailIntakeOptions {
  std::vector<MailboxSettings> mailboxes;
  std::string our_address;                       // mail.address: mail from it is a loop
  int max_new_tickets_per_sender_per_hour = 20;  // more: ignored (0: no limit)
  std::int64_t max_attachment_bytes = kDefaultAttachmentMaxBytes;
  std::string default_language = "en";  // for new customers whose text says nothing
};

class MailIntake final : public MailSink {
 public:
  MailIntake(Store& store, TicketService& tickets, DirectoryService& directory, MailParser& parser,
             const Clock& clock, MailIntakeOptions options)
      : store_(store),
        tickets_(tickets),
        directory_(directory),
        parser_(parser),
        clock_(clock),
        options_(std::move(options)) {}

  Result<IngestResult> ingest(std::string_view mailbox, std::string_view raw) override;

 private:
  Result<User> sender_user(const InboundMail& mail);
  // The ticket the mail answers, if any (not yet checked against the sender's rights).
  Result<std::optional<Ticket>> thread_of(const InboundMail& mail);
  Result<IngestResult> ignore(MailRecord record, std::string reason);

  Store& store_;
  TicketService& tickets_;
  DirectoryService& directory_;
  MailParser& parser_;
  const Clock& clock_;
  MailIntakeOptions options_;
};

}  // namespace fl
