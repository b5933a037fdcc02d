// The port through which the mail intake reads raw RFC 5322 bytes: implemented by the MIME
// module (src/mail/, GMime), so the app does not depend on a MIME library.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "core/mail.hpp"

namespace fl {

class MailParser {
 public:
  virtual ~MailParser() = default;
  // Thread-safe. invalid_argument for bytes that are not a message (no header, no sender, over
  // the size limit): such a message can never be accepted. A broken part is no error: it is
  // kept aside in InboundMail::files with a quarantine note.
  virtual Result<InboundMail> parse(std::string_view raw) = 0;
};

}  // namespace fl
