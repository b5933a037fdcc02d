// An inbound e-mail as plain data (what the MIME parser, src/mail/, makes of the raw bytes) and
// the pure rules the intake applies to it: which ticket a reply belongs to (our Message-ID form,
// a ticket tag in the subject), whether it was sent automatically, and what of its text is the
// new part (quoted history and signature trimmed for display). No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace fl {

struct MailAddress {
  std::string address;  // lower case
  std::string name;     // display name, UTF-8; may be empty
};

// A file of the message: an attachment, an inline image (content_id set) or a part kept aside
// because it could not be decoded (quarantined: its raw bytes).
struct MailFile {
  std::string filename;
  std::string content_type;  // as the message declares it (the store sniffs its own)
  std::string content;
  std::string content_id;  // without <>; inline images referred to by cid:
  bool is_inline = false;
};

struct InboundMail {
  std::string message_id;               // without <>; empty when the message has none
  std::string in_reply_to;              // without <>
  std::vector<std::string> references;  // without <>, oldest first
  MailAddress from;
  std::vector<MailAddress> to;
  std::vector<MailAddress> cc;
  std::string subject;      // decoded (RFC 2047), UTF-8
  std::string date_header;  // as sent; part of the duplicate check
  std::optional<Timestamp> date;
  std::string auto_submitted;     // Auto-Submitted value, lower case; empty when absent
  std::string precedence;         // Precedence value, lower case
  bool autoreply_header = false;  // X-Autoreply or X-Autorespond present
  bool delivery_report = false;   // multipart/report; report-type=delivery-status (RFC 3464)
  std::string text;               // the body as plain text (from HTML when there is no text)
  std::string html;               // the HTML body, sanitised; empty when there is none
  std::vector<MailFile> files;
  std::vector<std::string> quarantine_notes;  // parts that could not be read, and why
};

// "[#100042]" anywhere in a subject: the ticket number it names.
[[nodiscard]] std::optional<TicketNumber> ticket_tag(std::string_view subject);

// Our own outgoing Message-IDs look like "fl-{ticket_number}-{anything}@{domain}" (with or
// without <>): the ticket number, or none for any other id.
[[nodiscard]] std::optional<TicketNumber> our_message_ticket(std::string_view message_id);

// Why a message is automatic, if it is. Bounces and our own messages are never filed; the
// others are filed but never answered automatically.
enum class MailNoise { none, auto_reply, bulk, bounce, own };

// `our_address`: the desk's own address (mail.address), compared without regard to case.
[[nodiscard]] MailNoise classify_noise(const InboundMail& mail, std::string_view our_address);
[[nodiscard]] std::string_view noise_reason(MailNoise noise);

// The new part of a reply for display: cut at the first quote header ("On ... wrote:",
// "Am ... schrieb ...:", "-----Original Message-----", "-----Ursprüngliche Nachricht-----",
// an Outlook "From:/Von:" header block) or signature delimiter ("-- "), without "> " lines.
// Returns the text unchanged (trimmed) when nothing would be left.
[[nodiscard]] std::string trim_reply(std::string_view text);

// "de" when the text reads German, else `fallback`.
[[nodiscard]] std::string guess_language(std::string_view text, std::string_view fallback);

// The part of an address after the last '@', lower case, without a closing '>' or spaces;
// empty without one.
[[nodiscard]] std::string mail_domain(std::string_view address);

// The bytes the duplicate check hashes: sender, Date header and text.
[[nodiscard]] std::string duplicate_key(const InboundMail& mail);

// Which messages of a batch belong to one conversation and must be filed in their order:
// linked by Message-ID, In-Reply-To or References (also through a message in between), or
// naming the same ticket (subject tag, our Message-ID form). Each message's group, numbered
// from 0 by first appearance; a null (unreadable) message is a group of its own.
[[nodiscard]] std::vector<std::size_t> conversation_groups(
    const std::vector<const InboundMail*>& mails);

}  // namespace fl
