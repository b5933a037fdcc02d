#include "core/outbound_mail.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "core/text.hpp"

namespace fl {

namespace {

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    auto n = (static_cast<unsigned char>(in[i]) << 16) |
             (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < in.size() ? kBase64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool plain_ascii(std::string_view text, bool phrase) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x7f || u < 0x20) return false;
    // In a display name these would need quoting; an encoded word is simpler and always right.
    if (phrase && std::string_view("()<>@,;:\\\".[]").find(c) != std::string_view::npos)
      return false;
  }
  // "=?" would read as the start of an encoded word.
  return text.find("=?") == std::string_view::npos;
}

// Length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

std::string encoded_words(std::string_view text) {
  // "=?UTF-8?B?" + 4/3 of the bytes + "?=" within 75 characters: at most 45 bytes each, cut
  // only between characters so that every word decodes on its own (RFC 2047, 5).
  constexpr std::size_t kChunk = 45;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size()) {
      std::size_t next = end + sequence_length(static_cast<unsigned char>(text[end]));
      if (next - i > kChunk) break;
      end = std::min(next, text.size());
    }
    if (end == i) end = std::min(i + kChunk, text.size());
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

// Plain text as HTML: escaped, line breaks kept.
std::string text_as_html(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += "<br>\n";
    else if (c != '\r')
      append_escaped_html(out, c);
  }
  return out;
}

// CRLF line ends throughout, as SMTP wants them.
std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n')
      out += "\r\n";
    else
      out += text[i];
  }
  return out;
}

}  // namespace

std::string_view mail_status(const OutboundMail& m) {
  switch (m.state) {
    case MailState::sent:
      return "sent";
    case MailState::failed:
      return "failed";
    case MailState::pending:
      return m.attempts == 0 ? "queued" : "retrying";
  }
  return "queued";
}

MailAttempt judge_mail_attempt(MailId mail, int attempts_before, Timestamp at, bool sent,
                               std::string error, const RetryPolicy& policy, double spread) {
  MailAttempt a{.mail = mail, .at = at, .sent = sent, .error = std::move(error)};
  if (sent) return a;
  // The webhooks' schedule: a delivery without an answer is retried until the last attempt.
  a.retry_at = judge_attempt(0, attempts_before, at, std::nullopt, "", policy, spread).retry_at;
  return a;
}

std::string fill_placeholders(std::string_view text,
                              const std::map<std::string, std::string>& values, bool html) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto open = text.find("{{", i);
    if (open == std::string_view::npos) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    std::string name(text.substr(open + 2, close - open - 2));
    std::erase(name, ' ');
    // Names ending in "_html" are HTML made by the app from escaped parts (a list of links).
    if (auto it = values.find(name); it != values.end())
      out += html && !name.ends_with("_html") ? text_as_html(it->second) : it->second;
    i = close + 2;
  }
  out.append(text.substr(i));
  return out;
}

MailTemplate render(const MailTemplate& t, const std::map<std::string, std::string>& values) {
  MailTemplate out;
  out.subject = fill_placeholders(t.subject, values, false);
  std::ranges::replace(out.subject, '\n', ' ');
  std::erase(out.subject, '\r');
  out.text = fill_placeholders(t.text, values, false);
  out.html = fill_placeholders(t.html, values, true);
  return out;
}

std::string mail_message_id(TicketNumber number, MailId id, Timestamp created_at,
                            std::string_view domain) {
  // The id makes it unique in this desk; the time (base 36) keeps ids unique across a
  // database that was restored from a backup and counts the same ids again.
  std::string stamp;
  auto ms = static_cast<std::uint64_t>(std::max<std::int64_t>(to_millis(created_at), 0));
  do {
    stamp.insert(stamp.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[ms % 36]);
    ms /= 36;
  } while (ms > 0);
  return "<fl-" + std::to_string(number) + "-" + std::to_string(id) + "." + stamp + "@" +
         std::string(domain.empty() ? "localhost" : domain) + ">";
}

std::string tagged_subject(TicketNumber number, std::string_view subject) {
  const std::string tag = "[#" + std::to_string(number) + "]";
  if (subject.find(tag) != std::string_view::npos) return std::string(subject);
  return tag + " " + std::string(subject);
}

std::string encode_header_text(std::string_view text) {
  if (plain_ascii(text, false)) return std::string(text);
  return encoded_words(text);
}

std::string encode_mailbox(std::string_view name, std::string_view address) {
  if (name.empty()) return "<" + std::string(address) + ">";
  if (plain_ascii(name, true)) return std::string(name) + " <" + std::string(address) + ">";
  return encoded_words(name) + " <" + std::string(address) + ">";
}

std::string quoted_printable(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  const std::string lines = crlf(text);
  std::string out;
  std::size_t column = 0;
  auto put = [&](std::string_view piece) {
    if (column + piece.size() > 75) {  // the soft break '=' makes 76
      out += "=\r\n";
      column = 0;
    }
    out += piece;
    column += piece.size();
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const char c = lines[i];
    if (c == '\r' && i + 1 < lines.size() && lines[i + 1] == '\n') {
      out += "\r\n";
      column = 0;
      ++i;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    const bool at_line_end = i + 1 == lines.size() || (lines[i + 1] == '\r');
    // Trailing white space is encoded (transports strip it); so is a leading '.' (SMTP).
    const bool literal = (u >= 33 && u <= 126 && c != '=' && !(c == '.' && column == 0)) ||
                         ((c == ' ' || c == '\t') && !at_line_end);
    if (literal) {
      put(std::string_view(&c, 1));
    } else {
      const char enc[3] = {'=', kHex[u >> 4], kHex[u & 15]};
      put(std::string_view(enc, 3));
    }
  }
  return out;
}

std::string rfc5322_date(Timestamp t) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  char buffer[64];
  std::snprintf(
      buffer, sizeof buffer, "%s, %02u %s %04d %02lld:%02lld:%02lld +0000", kDays[wd.c_encoding()],
      static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
      static_cast<int>(ymd.year()), static_cast<long long>(hms.hours().count()),
      static_cast<long long>(hms.minutes().count()), static_cast<long long>(hms.seconds().count()));
  return buffer;
}

Result<std::string> compose_message(const MailMessage& m) {
  for (std::string_view field : {std::string_view(m.from_address), std::string_view(m.to_address),
                                 std::string_view(m.message_id), std::string_view(m.language)})
    if (has_line_break(field) || field.find('\0') != std::string_view::npos)
      return invalid_field("address", "a line break in an address or id");
  if (m.in_reply_to && has_line_break(*m.in_reply_to))
    return invalid_field("in_reply_to", "a line break in a message id");
  for (const auto& r : m.references)
    if (has_line_break(r)) return invalid_field("references", "a line break in a message id");
  if (m.to_address.find('@') == std::string::npos)
    return invalid_field("to", "not an e-mail address");

  std::string h;
  h += "Date: " + rfc5322_date(m.date) + "\r\n";
  h += "From: " + encode_mailbox(m.from_name, m.from_address) + "\r\n";
  h += "To: " + encode_mailbox(m.to_name, m.to_address) + "\r\n";
  h += "Subject: " + encode_header_text(m.subject) + "\r\n";
  h += "Message-ID: " + m.message_id + "\r\n";
  if (m.in_reply_to) h += "In-Reply-To: " + *m.in_reply_to + "\r\n";
  if (!m.references.empty()) {
    h += "References:";
    for (const auto& r : m.references) h += "\r\n " + r;
    h += "\r\n";
  }
  if (m.automatic) h += "Auto-Submitted: auto-replied\r\n";
  if (!m.language.empty()) h += "Content-Language: " + m.language + "\r\n";
  h += "MIME-Version: 1.0\r\n";

  const std::string text_part =
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
      quoted_printable(m.text) + "\r\n";
  if (m.html.empty()) return h + text_part;
  // The boundary comes from the message id: unique, and quoted-printable output never holds
  // "=_" at a line start followed by it.
  std::string boundary = "=_fl_";
  for (char c : m.message_id)
    if (std::isalnum(static_cast<unsigned char>(c))) boundary += c;
  h += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  h += "--" + boundary + "\r\n" + text_part;
  h += "--" + boundary + "\r\n";
  h += "Content-Type: text/html; charset=UTF-8\r\n"
       "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
       quoted_printable(m.html) + "\r\n";
  h += "--" + boundary + "--\r\n";
  return h;
}

}  // namespace fl
