// The port outbound mail leaves through (smtp/ implements it with libcurl).
#pragma once

#include <string>

#include "core/error.hpp"

namespace fl {

struct Envelope {
  std::string from;     // MAIL FROM
  std::string to;       // RCPT TO
  std::string message;  // the whole RFC 5322 message, CRLF line ends
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Thread-safe; blocks until the server accepted the message or the attempt failed
  // (unavailable, with the server's or the connection's error for the outbox's last_error;
  // never a password).
  virtual Result<void> send(const Envelope& envelope) = 0;
};

}  // namespace fl
