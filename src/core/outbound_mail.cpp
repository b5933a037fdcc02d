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

bool is_token_char(unsigned char c) {
  return c > 0x20 && c < 0x7f &&
         std::string_view("()<>@,;:\\\"/[]?=").find(static_cast<char>(c)) == std::string_view::npos;
}

// "type/subtype" as stored; anything else (it never should be) as application/octet-stream,
// so a stored value can never add a header or a parameter.
std::string safe_media_type(std::string_view type) {
  auto slash = type.find('/');
  bool ok = slash != std::string_view::npos && slash > 0 && slash + 1 < type.size();
  for (std::size_t i = 0; ok && i < type.size(); ++i)
    ok = i == slash || is_token_char(static_cast<unsigned char>(type[i]));
  return ok ? std::string(type) : std::string("application/octet-stream");
}

bool plain_filename(std::string_view name) {
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') return false;
  }
  return name.find("=?") == std::string_view::npos;
}

// The quoted `filename`/`name` value for readers without RFC 2231: the name itself when it is
// plain ASCII, else RFC 2047 encoded words (what most mail programs send and read there) on one
// line - folded inside the quotes, GMime reads only the first word. At most 255 bytes of name
// make about 460 characters, well within the 998 a line may have.
std::string fallback_filename(std::string_view name) {
  if (name.empty()) return "attachment";
  if (plain_filename(name)) return std::string(name);
  std::string words = encoded_words(name);
  for (auto at = words.find("\r\n "); at != std::string::npos; at = words.find("\r\n ", at))
    words.replace(at, 3, " ");
  return words;
}

}  // namespace

std::string base64_lines(std::string_view bytes) {
  constexpr std::size_t kLineBytes = 57;  // 76 base64 characters
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + (bytes.size() / kLineBytes + 1) * 2);
  for (std::size_t i = 0; i < bytes.size(); i += kLineBytes) {
    out += base64(bytes.substr(i, kLineBytes));
    out += "\r\n";
  }
  return out;
}

std::string attachment_disposition(std::string_view filename) {
  if (filename.empty()) filename = "attachment";
  // A plain name short enough for one line goes as it is.
  if (plain_filename(filename) && filename.size() <= 60)
    return "attachment;\r\n filename=\"" + std::string(filename) + "\"";
  // RFC 2231: charset, then the bytes percent-encoded (attribute-char as they are), cut into
  // numbered sections between escapes so each header line stays short.
  constexpr std::string_view kHex = "0123456789ABCDEF";
  constexpr std::size_t kSection = 54;  // " filename*NN*=UTF-8''" + 54 + ";" within 78
  std::vector<std::string> sections(1);
  for (char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    std::string piece;
    if (is_token_char(c) && c != '*' && c != '\'' && c != '%') {
      piece = std::string(1, ch);
    } else {
      piece = {'%', kHex[c >> 4], kHex[c & 15]};
    }
    if (sections.back().size() + piece.size() > kSection) sections.emplace_back();
    sections.back() += piece;
  }
  // Only the RFC 2231 form here: beside a quoted RFC 2047 `filename`, GMime takes the quoted
  // one and decodes only its first encoded word. Readers without RFC 2231 have the Content-Type's
  // `name`.
  std::string out = "attachment";
  if (sections.size() == 1) return out + ";\r\n filename*=UTF-8''" + sections.front();
  for (std::size_t i = 0; i < sections.size(); ++i)
    out += ";\r\n filename*" + std::to_string(i) + "*=" + (i == 0 ? "UTF-8''" : "") + sections[i];
  return out;
}

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

  // Boundaries come from the message id: unique, and neither quoted-printable nor base64
  // output ever holds "=_" (base64 has no '_'; quoted-printable writes '=' as "=3D").
  std::string id_chars;
  for (char c : m.message_id)
    if (std::isalnum(static_cast<unsigned char>(c))) id_chars += c;
  // Neither is a prefix of the other ("=_fl_" / "=_flm_").
  const std::string alternative = "=_fl_" + id_chars;
  const std::string mixed = "=_flm_" + id_chars;

  const std::string text_part =
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
      quoted_printable(m.text) + "\r\n";
  std::string body;  // the readable part, its own headers first
  if (m.html.empty()) {
    body = text_part;
  } else {
    body = "Content-Type: multipart/alternative; boundary=\"" + alternative + "\"\r\n\r\n";
    body += "--" + alternative + "\r\n" + text_part;
    body += "--" + alternative + "\r\n";
    body +=
        "Content-Type: text/html; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
        quoted_printable(m.html) + "\r\n";
    body += "--" + alternative + "--\r\n";
  }
  if (m.files.empty()) return h + body;

  h += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
  h += "--" + mixed + "\r\n" + body;
  for (const MailFile& f : m.files) {
    h += "--" + mixed + "\r\n";
    h += "Content-Type: " + safe_media_type(f.content_type) + ";\r\n name=\"" +
         fallback_filename(f.filename) + "\"\r\n";
    h += "Content-Disposition: " + attachment_disposition(f.filename) + "\r\n";
    h += "Content-Transfer-Encoding: base64\r\n\r\n";
    h += base64_lines(f.content);
  }
  h += "--" + mixed + "--\r\n";
  return h;
}

}  // namespace fl
