// Outbound e-mail: the outbox row a mail is queued as, its retry schedule, the templates it is
// written from and the RFC 5322 text it is sent as. Pure: the app supplies ids, times and
// randomness; sending is the transport's (app/mail_transport.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/mail.hpp"
#include "core/names.hpp"
#include "core/time.hpp"
#include "core/webhook.hpp"

namespace fl {

using MailId = std::int64_t;

// What a mail tells its recipient; picks the template.
enum class MailKind {
  reply,        // a public reply of staff (or of a rule, by the system account)
  received,     // acknowledgement of a new ticket, with its number and matching articles
  status,       // resolved, waiting for the customer, reopened
  sla_warning,  // to staff: an SLA clock is running out or has run out
};
template <>
struct EnumNames<MailKind> {
  static constexpr std::array<std::pair<MailKind, std::string_view>, 4> table{{
      {MailKind::reply, "reply"},
      {MailKind::received, "received"},
      {MailKind::status, "status"},
      {MailKind::sla_warning, "sla_warning"},
  }};
};

enum class MailState { pending, sent, failed };
template <>
struct EnumNames<MailState> {
  static constexpr std::array<std::pair<MailState, std::string_view>, 3> table{{
      {MailState::pending, "pending"},
      {MailState::sent, "sent"},
      {MailState::failed, "failed"},
  }};
};

// One queued mail. What it says is rendered when it is sent, from these facts; its
// Message-ID is fixed by its id, so every attempt sends the same message.
struct OutboundMail {
  MailId id = 0;
  TicketId ticket = 0;
  std::optional<EntryId> entry;  // the reply it carries
  // In a TicketChange: the index of the new entry it carries (the store fills `entry`).
  std::optional<std::size_t> entry_index;
  EventId event = 0;  // the event it reports (0: queued with its entry)
  MailKind kind = MailKind::reply;
  UserId recipient = 0;
  std::string address;     // To
  std::string name;        // the recipient's display name
  std::string language;    // "de" or "en": the template's
  bool automatic = false;  // Auto-Submitted: auto-replied (RFC 3834)
  std::string details;     // a JSON object of template facts (status, articles, SLA metric)
  MailState state = MailState::pending;
  int attempts = 0;
  std::optional<Timestamp> next_attempt_at;
  std::string last_error;
  Timestamp created_at{};
  std::optional<Timestamp> sent_at;
};

// As the API shows it: queued (not tried yet), retrying (failed, tried again later), sent,
// failed (given up).
[[nodiscard]] std::string_view mail_status(const OutboundMail& mail);

// The outcome of one attempt.
struct MailAttempt {
  MailId mail = 0;
  Timestamp at{};
  bool sent = false;
  std::string error;
  std::optional<Timestamp> retry_at;  // not sent: when to try again; none: give up
};

// The webhooks' schedule (core/webhook.hpp: RetryPolicy): exponential, capped, jittered by
// `spread` in [-1, 1], bounded attempts.
[[nodiscard]] MailAttempt judge_mail_attempt(MailId mail, int attempts_before, Timestamp at,
                                             bool sent, std::string error,
                                             const RetryPolicy& policy, double spread);

// A template: subject, plain text and HTML, with {{name}} placeholders.
struct MailTemplate {
  std::string subject;
  std::string text;
  std::string html;
};

// Fills {{name}} from `values` (unknown names become empty); in HTML every value is escaped
// and line breaks become <br>. A value may itself not add placeholders.
[[nodiscard]] std::string fill_placeholders(std::string_view text,
                                            const std::map<std::string, std::string>& values,
                                            bool html);
[[nodiscard]] MailTemplate render(const MailTemplate& t,
                                  const std::map<std::string, std::string>& values);

// "<fl-100042-17.k3x9@desk.example.com>": the form the inbound side threads on.
[[nodiscard]] std::string mail_message_id(TicketNumber number, MailId id, Timestamp created_at,
                                          std::string_view domain);
// "[#100042] subject", unless the subject already carries the tag.
[[nodiscard]] std::string tagged_subject(TicketNumber number, std::string_view subject);

// Header encoding (RFC 2047): ASCII text without specials as it is, else UTF-8 "B" encoded
// words of at most 75 characters, folded.
[[nodiscard]] std::string encode_header_text(std::string_view text);
// "Name <address>", the name encoded or quoted as needed.
[[nodiscard]] std::string encode_mailbox(std::string_view name, std::string_view address);
// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks at 76.
[[nodiscard]] std::string quoted_printable(std::string_view text);
// "Fri, 27 Nov 2026 15:04:05 +0000".
[[nodiscard]] std::string rfc5322_date(Timestamp t);

// The Content-Disposition of a mailed file: `attachment; filename="..."` when the name is
// plain ASCII (and short), else the RFC 2231 form `filename*=UTF-8''percent-encoded` (split
// into `filename*0*`, `filename*1*`, ... when long), cut so that its lines stay within 78
// characters. compose_message adds the name as RFC 2047 encoded words in the Content-Type's
// `name` for mail programs that do not read RFC 2231.
[[nodiscard]] std::string attachment_disposition(std::string_view filename);
// Base64 (RFC 2045) in lines of 76 characters, CRLF line ends.
[[nodiscard]] std::string base64_lines(std::string_view bytes);

struct MailMessage {
  std::string from_name, from_address;
  std::string to_name, to_address;
  std::string subject;
  std::string message_id;                  // with <>
  std::optional<std::string> in_reply_to;  // with <>
  std::vector<std::string> references;     // with <>, oldest first
  Timestamp date{};
  bool automatic = false;
  std::string language;
  std::string text;
  std::string html;  // empty: text only
  // Files to attach (core/mail.hpp's MailFile: name, type and bytes as stored; content_id and
  // is_inline are not used here - every file goes as an attachment).
  std::vector<MailFile> files;
};

// The whole message as sent, CRLF line ends: headers and a multipart/alternative body (text
// and HTML); with files, a multipart/mixed whose first part is that body and then one base64
// attachment part per file, in order.
// invalid_argument when an address or id carries a line break (a header injection).
[[nodiscard]] Result<std::string> compose_message(const MailMessage& message);

}  // namespace fl
