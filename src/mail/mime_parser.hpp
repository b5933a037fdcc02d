// Raw RFC 5322 bytes to an InboundMail (core/mail.hpp), with GMime 3. Text parts of any charset
// come out as UTF-8 with LF line ends; an HTML-only mail gets its text from the HTML; the HTML
// is kept sanitised; attachments and inline images come out as files; a part that cannot be
// decoded is kept aside (its raw bytes) with a note instead of failing the whole message.
#pragma once

#include <cstddef>
#include <string_view>

#include "app/mail_parser.hpp"
#include "core/error.hpp"
#include "core/mail.hpp"

namespace fl::mail {

struct MailLimits {
  std::size_t max_message_bytes = 64u << 20;  // larger: invalid_argument
  std::size_t max_parts = 500;                // parts beyond are left out, with a note
  int max_depth = 16;                         // nesting of multiparts and attached messages
};

// Thread-safe (GMime is initialised once). invalid_argument: not a message, no From address,
// or larger than the limit.
[[nodiscard]] Result<InboundMail> parse_mail(std::string_view raw, const MailLimits& limits = {});

// The MailParser port (app/mail_parser.hpp) over parse_mail.
class MimeMailParser final : public MailParser {
 public:
  explicit MimeMailParser(MailLimits limits = {}) : limits_(limits) {}
  Result<InboundMail> parse(std::string_view raw) override { return parse_mail(raw, limits_); }

 private:
  MailLimits limits_;
};

}  // namespace fl::mail
