// SMTP submission with libcurl: smtp:// (with STARTTLS when the server offers it, or always
// when required) or smtps:// (TLS from the start), with AUTH when a user is configured. One
// connection per message: the outbox sends a handful a minute, not thousands.
#pragma once

#include <chrono>
#include <string>

#include "app/mail_transport.hpp"

namespace fl {

struct SmtpOptions {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string user;
  std::string password;
  bool require_starttls = false;  // smtp:// only: refuse to send in the clear
  // PEM file of the CA(s) to trust instead of the system's store (a site's own CA); empty:
  // the system's.
  std::string ca_file;
  // Off only for test relays: without it anyone on the path can read the password and the mail.
  bool tls_verify = true;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{60};  // a whole attempt
};

// invalid_argument for a URL that is not smtp:// or smtps:// with a host.
[[nodiscard]] Result<void> check_smtp_url(const std::string& url);

// Thread-safe (each send has its own handle).
class CurlSmtpTransport final : public MailTransport {
 public:
  explicit CurlSmtpTransport(SmtpOptions options);
  Result<void> send(const Envelope& envelope) override;

 private:
  SmtpOptions options_;
};

}  // namespace fl
