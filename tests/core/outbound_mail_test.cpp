#include "core/outbound_mail.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace fl {
namespace {

TEST(MailHeaders, AsciiSubjectStaysAsItIs) {
  EXPECT_EQ(encode_header_text("[#100042] Printer jams"), "[#100042] Printer jams");
}

TEST(MailHeaders, UmlautsAreEncodedWords) {
  // "Drucker: Störung" in UTF-8, base64.
  EXPECT_EQ(encode_header_text("Drucker: Störung"), "=?UTF-8?B?RHJ1Y2tlcjogU3TDtnJ1bmc=?=");
}

TEST(MailHeaders, LongTextIsSplitBetweenCharactersIntoShortWords) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "ä";  // 80 bytes
  const std::string out = encode_header_text(text);
  std::size_t start = 0, words = 0;
  while (start < out.size()) {
    auto end = out.find("\r\n ", start);
    std::string word =
        out.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?="));
    ++words;
    if (end == std::string::npos) break;
    start = end + 3;
  }
  EXPECT_EQ(words, 2u);  // 45 bytes at most per word, never half a character
}

TEST(MailHeaders, MailboxNames) {
  EXPECT_EQ(encode_mailbox("IT Desk", "desk@example.com"), "IT Desk <desk@example.com>");
  EXPECT_EQ(encode_mailbox("Jürgen Müller", "jm@example.de"),
            "=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <jm@example.de>");
  // Specials in a name would need quoting: encoded instead.
  EXPECT_TRUE(encode_mailbox("Doe, John", "j@x.org").starts_with("=?UTF-8?B?"));
  EXPECT_EQ(encode_mailbox("", "j@x.org"), "<j@x.org>");
}

TEST(MailBody, QuotedPrintable) {
  EXPECT_EQ(quoted_printable("Grüße\nok"), "Gr=C3=BC=C3=9Fe\r\nok");
  EXPECT_EQ(quoted_printable("a = b"), "a =3D b");
  EXPECT_EQ(quoted_printable("trailing \n"), "trailing=20\r\n");
  EXPECT_EQ(quoted_printable(".\nx"), "=2E\r\nx");  // a lone dot ends SMTP DATA
  const std::string long_line(200, 'x');
  const std::string out = quoted_printable(long_line);
  std::size_t start = 0;
  for (;;) {
    auto end = out.find("\r\n", start);
    EXPECT_LE((end == std::string::npos ? out.size() : end) - start, 76u);
    if (end == std::string::npos) break;
    start = end + 2;
  }
}

TEST(MailIds, MessageIdForm) {
  const std::string id = mail_message_id(100042, 17, from_millis(1'700'000'000'000), "example.com");
  EXPECT_TRUE(id.starts_with("<fl-100042-17.")) << id;
  EXPECT_TRUE(id.ends_with("@example.com>")) << id;
  EXPECT_EQ(mail_domain("Desk <desk@help.example.com>"), "help.example.com");
  EXPECT_EQ(tagged_subject(100042, "Printer"), "[#100042] Printer");
  EXPECT_EQ(tagged_subject(100042, "Re: [#100042] Printer"), "Re: [#100042] Printer");
}

TEST(MailTemplates, PlaceholdersAndHtmlEscaping) {
  MailTemplate t{"Ticket {{ticket.number}}: {{ticket.subject}}", "Hi {{ name }},\n{{body}}",
                 "<p>{{body}}</p>{{articles_html}}"};
  auto out = render(t, {{"ticket.number", "100042"},
                        {"ticket.subject", "A\nB"},
                        {"name", "Eva"},
                        {"body", "<b>x</b> & y\nz"},
                        {"articles_html", "<ul></ul>"}});
  EXPECT_EQ(out.subject, "Ticket 100042: A B");
  EXPECT_EQ(out.text, "Hi Eva,\n<b>x</b> & y\nz");
  EXPECT_EQ(out.html, "<p>&lt;b&gt;x&lt;/b&gt; &amp; y<br>\nz</p><ul></ul>");
  EXPECT_EQ(fill_placeholders("{{unknown}}!", {}, false), "!");
  // A value does not bring placeholders of its own.
  EXPECT_EQ(fill_placeholders("{{a}}", {{"a", "{{b}}"}, {"b", "no"}}, false), "{{b}}");
}

TEST(MailRetry, BackoffScheduleIsExponentialCappedAndBounded) {
  RetryPolicy p;  // 8 attempts, 30 s, x4, at most 12 h
  const Timestamp at = from_millis(0);
  auto wait = [&](int before, double spread) {
    auto a = judge_mail_attempt(1, before, at, false, "down", p, spread);
    return a.retry_at ? std::optional((*a.retry_at - at).count()) : std::nullopt;
  };
  EXPECT_EQ(wait(0, 0), 30'000);
  EXPECT_EQ(wait(1, 0), 120'000);
  EXPECT_EQ(wait(2, 0), 480'000);
  EXPECT_EQ(wait(6, 0), 12 * 3600 * 1000);  // capped
  EXPECT_EQ(wait(7, 0), std::nullopt);      // the 8th attempt failed: given up
  EXPECT_EQ(wait(0, 1), 33'000);            // jitter: +10 %
  EXPECT_EQ(wait(0, -1), 27'000);
  auto sent = judge_mail_attempt(1, 3, at, true, "", p, 0);
  EXPECT_TRUE(sent.sent);
  EXPECT_FALSE(sent.retry_at);
}

TEST(MailStatus, AsTheApiShowsIt) {
  OutboundMail m;
  EXPECT_EQ(mail_status(m), "queued");
  m.attempts = 1;
  EXPECT_EQ(mail_status(m), "retrying");
  m.state = MailState::sent;
  EXPECT_EQ(mail_status(m), "sent");
  m.state = MailState::failed;
  EXPECT_EQ(mail_status(m), "failed");
}

TEST(MailCompose, HeadersAndParts) {
  MailMessage m;
  m.from_name = "IT-Service Süd";
  m.from_address = "desk@example.com";
  m.to_name = "Jürgen";
  m.to_address = "j@example.de";
  m.subject = "[#100042] Störung";
  m.message_id = "<fl-100042-2.x@example.com>";
  m.in_reply_to = "<fl-100042-1.x@example.com>";
  m.references = {"<fl-100042-1.x@example.com>"};
  m.date = from_millis(1'795'791'845'000);  // 2026-11-27 15:04:05 UTC
  m.automatic = true;
  m.language = "de";
  m.text = "Hallo";
  m.html = "<p>Hallo</p>";
  auto raw = compose_message(m);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_NE(raw->find("Date: Fri, 27 Nov 2026 15:04:05 +0000\r\n"), std::string::npos) << *raw;
  EXPECT_NE(raw->find("Message-ID: <fl-100042-2.x@example.com>\r\n"), std::string::npos);
  EXPECT_NE(raw->find("In-Reply-To: <fl-100042-1.x@example.com>\r\n"), std::string::npos);
  EXPECT_NE(raw->find("Auto-Submitted: auto-replied\r\n"), std::string::npos);
  EXPECT_NE(raw->find("Content-Language: de\r\n"), std::string::npos);
  EXPECT_NE(raw->find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(raw->find("multipart/alternative"), std::string::npos);
  EXPECT_NE(raw->find("text/html; charset=UTF-8"), std::string::npos);

  m.automatic = false;
  raw = compose_message(m);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->find("Auto-Submitted"), std::string::npos);

  m.to_address = "j@example.de\r\nBcc: x@evil.example";
  EXPECT_FALSE(compose_message(m));
}

// --- files (multipart/mixed) ---------------------------------------------------------------

std::string decode_base64(std::string_view in) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : in) {
    if (c == '=' || c == '\r' || c == '\n') continue;
    auto v = kAlphabet.find(c);
    if (v == std::string_view::npos) throw std::runtime_error("not base64: " + std::string(1, c));
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

// One MIME entity: its header block (unfolded, one header a line) and its body.
struct Part {
  std::string headers;
  std::string body;
  [[nodiscard]] std::string header(std::string_view name) const {
    const std::string key = "\n" + std::string(name) + ": ";
    auto at = ("\n" + headers).find(key);
    if (at == std::string::npos) return "";
    auto start = at + key.size() - 1;
    return headers.substr(start, headers.find('\n', start) - start);
  }
};

Part split_part(std::string_view entity) {
  auto end = entity.find("\r\n\r\n");
  if (end == std::string_view::npos) throw std::runtime_error("no header end");
  std::string headers;
  std::string_view h = entity.substr(0, end);
  for (std::size_t i = 0; i < h.size(); ++i) {
    if (h.substr(i, 3) == "\r\n " || h.substr(i, 3) == "\r\n\t") {
      i += 1;  // unfold: keep the white space
      continue;
    }
    if (h.substr(i, 2) == "\r\n") {
      headers += '\n';
      ++i;
      continue;
    }
    headers += h[i];
  }
  return {headers, std::string(entity.substr(end + 4))};
}

std::string boundary_of(const std::string& content_type) {
  auto at = content_type.find("boundary=\"");
  if (at == std::string::npos) return "";
  at += 10;
  return content_type.substr(at, content_type.find('"', at) - at);
}

// The body parts of a multipart body, checking that the delimiters are whole lines and that
// the close delimiter ends it.
std::vector<Part> multipart_parts(const std::string& body, const std::string& boundary) {
  const std::string delimiter = "--" + boundary;
  std::vector<Part> parts;
  auto pos = body.find(delimiter + "\r\n");
  EXPECT_EQ(pos, 0u) << "the first delimiter opens the body";
  // The close delimiter ends it (its CRLF may be the next outer delimiter's).
  const auto close = body.find("\r\n" + delimiter + "--");
  EXPECT_NE(close, std::string::npos) << "a close delimiter";
  const std::string rest = body.substr(close + delimiter.size() + 4);
  EXPECT_TRUE(rest.empty() || rest == "\r\n") << "after the close delimiter: " << rest;
  while (pos < close) {
    const auto start = pos + delimiter.size() + 2;
    auto next = body.find("\r\n" + delimiter, start);
    parts.push_back(split_part(std::string_view(body).substr(start, next - start)));
    pos = next + 2;
  }
  return parts;
}

MailMessage reply_with_files() {
  MailMessage m;
  m.from_name = "IT-Service";
  m.from_address = "desk@example.com";
  m.to_address = "j@example.de";
  m.subject = "[#100042] Bericht";
  m.message_id = "<fl-100042-7.x@example.com>";
  m.date = from_millis(1'795'791'845'000);
  m.language = "de";
  m.text = "Anbei der Bericht.";
  m.html = "<p>Anbei der Bericht.</p>";
  std::string binary;
  for (int i = 0; i < 1000; ++i) binary += static_cast<char>((i * 37) % 256);
  m.files.push_back(
      {.filename = "Prüfbericht.pdf", .content_type = "application/pdf", .content = binary});
  m.files.push_back({.filename = "log.txt", .content_type = "text/plain", .content = "ok\n"});
  return m;
}

TEST(MailCompose, FilesMakeMultipartMixedWithTheAlternativeFirst) {
  const MailMessage m = reply_with_files();
  auto raw = compose_message(m);
  ASSERT_TRUE(raw) << raw.error().message;
  const Part message = split_part(*raw);
  const std::string type = message.header("Content-Type");
  ASSERT_TRUE(type.starts_with("multipart/mixed;")) << message.headers;
  const std::string mixed = boundary_of(type);
  ASSERT_FALSE(mixed.empty());

  const auto parts = multipart_parts(message.body, mixed);
  ASSERT_EQ(parts.size(), 3u) << message.body;
  // First the readable part, itself text and HTML.
  const std::string inner_type = parts[0].header("Content-Type");
  ASSERT_TRUE(inner_type.starts_with("multipart/alternative;")) << parts[0].headers;
  const std::string alternative = boundary_of(inner_type);
  EXPECT_NE(alternative, mixed);
  EXPECT_FALSE(mixed.starts_with(alternative) || alternative.starts_with(mixed))
      << "one boundary must not be the start of the other";
  const auto readable = multipart_parts(parts[0].body, alternative);
  ASSERT_EQ(readable.size(), 2u);
  EXPECT_TRUE(readable[0].header("Content-Type").starts_with("text/plain"));
  EXPECT_TRUE(readable[1].header("Content-Type").starts_with("text/html"));

  // Then each file, in order, base64 in lines of 76, decoding to the very bytes.
  for (std::size_t i = 0; i < m.files.size(); ++i) {
    const Part& file = parts[i + 1];
    EXPECT_TRUE(file.header("Content-Type").starts_with(m.files[i].content_type + ";"))
        << file.headers;
    EXPECT_TRUE(file.header("Content-Disposition").starts_with("attachment;")) << file.headers;
    EXPECT_EQ(file.header("Content-Transfer-Encoding"), "base64");
    // (The CRLF after the last line belongs to the next delimiter.)
    std::vector<std::string> lines;
    for (std::size_t start = 0;;) {
      auto end = file.body.find("\r\n", start);
      lines.push_back(file.body.substr(start, end == std::string::npos ? end : end - start));
      if (end == std::string::npos) break;
      start = end + 2;
    }
    for (std::size_t l = 0; l < lines.size(); ++l) {
      EXPECT_LE(lines[l].size(), 76u);
      if (l + 1 < lines.size()) {
        EXPECT_EQ(lines[l].size(), 76u) << "only the last line is short";
      }
      EXPECT_EQ(lines[l].find_first_not_of(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
                std::string::npos);
    }
    EXPECT_EQ(decode_base64(file.body), m.files[i].content) << "file " << i;
    // The boundary occurs nowhere inside a part.
    EXPECT_EQ(file.body.find(mixed), std::string::npos);
  }
  EXPECT_GT(parts[1].body.size(), 76u * 10) << "the 1000-byte file takes several lines";
  EXPECT_NE(parts[1].header("Content-Disposition").find("filename*=UTF-8''Pr%C3%BCfbericht.pdf"),
            std::string::npos)
      << parts[1].headers;
  // For readers that only know the Content-Type's name: "Prüfbericht.pdf" as an RFC 2047 word.
  EXPECT_EQ(parts[1].header("Content-Type"),
            "application/pdf; name=\"=?UTF-8?B?UHLDvGZiZXJpY2h0LnBkZg==?=\"");
  EXPECT_NE(parts[2].header("Content-Disposition").find("filename=\"log.txt\""), std::string::npos);
}

TEST(MailCompose, WithoutFilesTheMessageIsTheAlternativeAlone) {
  MailMessage m = reply_with_files();
  m.files.clear();
  auto raw = compose_message(m);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->find("multipart/mixed"), std::string::npos);
  EXPECT_TRUE(split_part(*raw).header("Content-Type").starts_with("multipart/alternative;"));
}

TEST(MailCompose, AStoredTypeCannotAddHeaders) {
  MailMessage m = reply_with_files();
  m.files[1].content_type = "text/plain\r\nBcc: x@evil.example";
  auto raw = compose_message(m);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->find("Bcc:"), std::string::npos);
  EXPECT_NE(raw->find("Content-Type: application/octet-stream;"), std::string::npos);
}

TEST(MailAttachmentName, PlainAsciiIsQuoted) {
  EXPECT_EQ(attachment_disposition("report.pdf"), "attachment;\r\n filename=\"report.pdf\"");
  EXPECT_EQ(attachment_disposition(""), "attachment;\r\n filename=\"attachment\"");
}

TEST(MailAttachmentName, UmlautsAreRfc2231WithAnEncodedWordBeside) {
  const std::string d = attachment_disposition("Prüfbericht.pdf");
  EXPECT_EQ(d, "attachment;\r\n filename*=UTF-8''Pr%C3%BCfbericht.pdf");
  // Quotes, spaces and '%' in a name are escaped, never taken literally.
  const std::string q = attachment_disposition("a \"b\" 100%.txt");
  EXPECT_NE(q.find("filename*=UTF-8''a%20%22b%22%20100%25.txt"), std::string::npos) << q;
}

TEST(MailAttachmentName, LongNamesAreContinuedInShortLines) {
  std::string name;
  for (int i = 0; i < 40; ++i) name += "ü";
  name += ".pdf";  // 84 bytes, 244 percent-encoded
  const std::string d = attachment_disposition(name);
  EXPECT_NE(d.find("filename*0*=UTF-8''%C3%BC"), std::string::npos) << d;
  EXPECT_NE(d.find("filename*4*="), std::string::npos) << d;
  EXPECT_EQ(d.find("filename*5*="), std::string::npos) << d;
  EXPECT_EQ(d.find("filename*="), std::string::npos) << "either sections or one value";
  // Put together again, the sections are the whole name.
  std::string joined;
  for (int i = 0;; ++i) {
    const std::string key = "filename*" + std::to_string(i) + "*=";
    auto at = d.find(key);
    if (at == std::string::npos) break;
    at += key.size();
    joined += d.substr(
        at, d.find(';', at) == std::string::npos ? std::string::npos : d.find(';', at) - at);
  }
  ASSERT_TRUE(joined.starts_with("UTF-8''"));
  std::string decoded;
  for (std::size_t i = 7; i < joined.size(); ++i) {
    if (joined[i] == '%') {
      decoded += static_cast<char>(std::stoi(joined.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += joined[i];
    }
  }
  EXPECT_EQ(decoded, name);
  std::size_t start = 0;
  while (start < d.size()) {
    auto end = d.find("\r\n", start);
    const std::string line = d.substr(start, end == std::string::npos ? end : end - start);
    // The RFC 2231 sections within 78; the encoded-word fallback is folded by its words.
    if (line.starts_with(" filename*")) {
      EXPECT_LE(line.size(), 78u) << line;
    }
    EXPECT_LE(line.size(), 998u);
    if (end == std::string::npos) break;
    start = end + 2;
  }
}

TEST(MailAttachmentName, Base64LinesAreAtMost76) {
  EXPECT_EQ(base64_lines(""), "");
  EXPECT_EQ(base64_lines("Ma"), "TWE=\r\n");
  const std::string out = base64_lines(std::string(57 * 2 + 1, 'x'));
  EXPECT_EQ(out.size(), 76u + 2 + 76 + 2 + 4 + 2);
  EXPECT_EQ(decode_base64(out), std::string(57 * 2 + 1, 'x'));
}

}  // namespace
}  // namespace fl
