#include "smtp/curl_smtp.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "curl_support/curl_global.hpp"

namespace fl {

namespace {

struct Upload {
  std::string_view data;
  std::size_t at = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, up->data.size() - up->at);
  std::memcpy(buffer, up->data.data() + up->at, n);
  up->at += n;
  return n;
}

bool has_line_break(const std::string& s) {
  return s.find_first_of("\r\n") != std::string::npos;
}

}  // namespace

Result<void> check_smtp_url(const std::string& url) {
  const bool plain = url.starts_with("smtp://"), tls = url.starts_with("smtps://");
  if (!plain && !tls) return invalid_field("mail.smtp_url", "must start with smtp:// or smtps://");
  const std::string rest = url.substr(plain ? 7 : 8);
  if (rest.empty() || rest.front() == ':' || rest.front() == '/')
    return invalid_field("mail.smtp_url", "must name a host");
  if (rest.find('@') != std::string::npos)
    return invalid_field("mail.smtp_url", "no user or password in it: use mail.smtp_user");
  return {};
}

CurlSmtpTransport::CurlSmtpTransport(SmtpOptions options) : options_(std::move(options)) {
  start_curl();
}

Result<void> CurlSmtpTransport::send(const Envelope& envelope) {
  if (has_line_break(envelope.from) || has_line_break(envelope.to))
    return invalid_field("address", "a line break in an address");
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return fail(ErrorCode::unavailable, "libcurl could not make a handle");
  CURL* h = curl.get();
  const std::string from = "<" + envelope.from + ">";
  const std::string to = "<" + envelope.to + ">";
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(
      curl_slist_append(nullptr, to.c_str()), curl_slist_free_all);
  Upload upload{envelope.message};
  char error[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(envelope.message.size()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count() * 1000));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count() * 1000));
  // smtps:// is TLS throughout; for smtp://, STARTTLS is used when offered, or demanded -
  // always demanded with a user: a password never goes out in the clear.
  const bool demand_tls = options_.require_starttls || !options_.user.empty();
  curl_easy_setopt(h, CURLOPT_USE_SSL, demand_tls ? static_cast<long>(CURLUSESSL_ALL)
                                                  : static_cast<long>(CURLUSESSL_TRY));
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options_.tls_verify ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options_.tls_verify ? 2L : 0L);
  if (!options_.user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return {};
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  std::string message = error[0] ? error : curl_easy_strerror(rc);
  // Only a refusal's code says something; the last 2xx/3xx (the greeting, EHLO, "220 Ready to
  // start TLS") before a TLS or STARTTLS failure would only mislead.
  if (reply >= 400) message = "SMTP " + std::to_string(reply) + ": " + message;
  // A refused recipient or message (5xx) will not be accepted next time either; everything
  // else (no connection, 4xx, timeouts) may pass later. The outbox retries both within its
  // bound: a 5xx may come from a misconfigured relay an admin is about to fix.
  return fail(ErrorCode::unavailable, message);
}

}  // namespace fl
