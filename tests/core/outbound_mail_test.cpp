#include "core/outbound_mail.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fl
