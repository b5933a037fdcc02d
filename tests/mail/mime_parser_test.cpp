#include "mail/mime_parser.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/attachment.hpp"
#include "core/outbound_mail.hpp"
#include "mail/corpus.hpp"

namespace fl::mail {

using fl::testing::corpus_message;

InboundMail parsed(const std::string& name) {
  auto m = parse_mail(corpus_message(name));
  EXPECT_TRUE(m) << name << ": " << m.error().message;
  if (!m) throw std::runtime_error(m.error().message);
  return std::move(*m);
}

const MailFile* file_named(const InboundMail& m, std::string_view name) {
  auto it = std::ranges::find(m.files, name, &MailFile::filename);
  return it == m.files.end() ? nullptr : &*it;
}

TEST(MimeParser, EveryCorpusMessageParsesToValidUtf8) {
  for (const auto& path : fl::testing::corpus_files()) {
    auto m = parse_mail(corpus_message(path.filename().string()));
    ASSERT_TRUE(m) << path << ": " << m.error().message;
    EXPECT_TRUE(is_valid_utf8(m->subject)) << path;
    EXPECT_TRUE(is_valid_utf8(m->text)) << path;
    EXPECT_TRUE(is_valid_utf8(m->from.name)) << path;
    EXPECT_EQ(m->text.find('\r'), std::string::npos) << path << ": CRLF left in the text";
  }
}

TEST(MimeParser, PlainMessageHeaders) {
  auto m = parsed("plain.eml");
  EXPECT_EQ(m.message_id, "CAB1234.plain@mail.acme.example");
  EXPECT_EQ(m.from.address, "anna.berg@acme.example");
  EXPECT_EQ(m.from.name, "Anna Berg");
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].address, "support@desk.example");
  EXPECT_EQ(m.subject, "Printer on floor 2 prints blank pages");
  EXPECT_EQ(m.date_header, "Fri, 27 Nov 2026 09:12:44 +0100");
  ASSERT_TRUE(m.date);
  EXPECT_EQ(to_millis(*m.date), 1795767164000);
  EXPECT_TRUE(m.text.starts_with("Hello,"));
  EXPECT_TRUE(m.html.empty());
  EXPECT_TRUE(m.files.empty());
}

TEST(MimeParser, AlternativeKeepsTextAndSanitisedHtml) {
  auto m = parsed("multipart_alternative.eml");
  EXPECT_EQ(m.text, "The VPN client disconnects every 10 minutes since the update.");
  EXPECT_NE(m.html.find("<b>VPN client</b>"), std::string::npos);
  EXPECT_TRUE(m.files.empty()) << "the HTML alternative is the body, not a file";
}

TEST(MimeParser, HtmlOnlyMailIsConvertedAndSanitised) {
  auto m = parsed("html_only.eml");
  EXPECT_NE(m.text.find("Outlook keeps asking for my password & will not connect."),
            std::string::npos);
  EXPECT_NE(m.text.find("- restarting\n- a new profile"), std::string::npos) << m.text;
  EXPECT_EQ(m.text.find("alert"), std::string::npos);
  EXPECT_EQ(m.text.find("color:red"), std::string::npos);
  for (std::string bad : {"<script", "alert", "onload", "onerror", "javascript:", "<style"})
    EXPECT_EQ(m.html.find(bad), std::string::npos) << bad << " in " << m.html;
  EXPECT_NE(m.html.find("href=\"https://status.example.com/\""), std::string::npos);
  EXPECT_NE(m.html.find("src=\"cid:logo123\""), std::string::npos);
}

TEST(MimeParser, QuotedPrintableGermanAndEncodedWords) {
  auto m = parsed("qp_german.eml");
  EXPECT_EQ(m.from.name, "Jürgen Müller");
  EXPECT_EQ(m.subject, "Laptop startet nicht – dringend für Präsentation");
  EXPECT_NE(m.text.find("Können Sie mir bitte helfen?"), std::string::npos);
  EXPECT_NE(m.text.find("Viele Grüße\nJürgen Müller"), std::string::npos);
}

TEST(MimeParser, EncodedWordsInUtf8AndLatin1) {
  auto u = parsed("rfc2047_utf8.eml");
  EXPECT_EQ(u.subject, "Drucker im Büro geht nicht");
  EXPECT_EQ(u.from.name, "Özgür Çelik");
  auto l = parsed("rfc2047_latin1.eml");
  EXPECT_EQ(l.subject, "Überweisung hängt fest");
  EXPECT_EQ(l.from.name, "Birgit Größe");
  EXPECT_EQ(l.text, "Die Überweisung hängt seit gestern fest. Schöne Grüße");
}

TEST(MimeParser, Base64AttachmentIsDecoded) {
  auto m = parsed("base64_attachment.eml");
  const MailFile* pdf = file_named(m, "report.pdf");
  ASSERT_NE(pdf, nullptr);
  EXPECT_TRUE(pdf->content.starts_with("%PDF-1.4"));
  EXPECT_EQ(pdf->content_type, "application/pdf");
  EXPECT_FALSE(pdf->is_inline);
  EXPECT_TRUE(m.quarantine_notes.empty());
}

TEST(MimeParser, InlineImageKeepsItsContentId) {
  auto m = parsed("inline_image.eml");
  ASSERT_EQ(m.files.size(), 1u);
  EXPECT_EQ(m.files[0].content_id, "shot1@acme.example");
  EXPECT_TRUE(m.files[0].is_inline);
  EXPECT_TRUE(m.files[0].content.starts_with("\x89PNG"));
  EXPECT_EQ(m.text, "This dialog pops up:");
}

TEST(MimeParser, RepliesCarryTheirThread) {
  auto o = parsed("outlook_reply_de.eml");
  EXPECT_EQ(o.in_reply_to, "fl-100001-1-abc@desk.example");
  ASSERT_EQ(o.references.size(), 1u);
  auto a = parsed("apple_mail_reply.eml");
  EXPECT_EQ(a.in_reply_to, "alt-0001@mail.acme.example");
  EXPECT_EQ(trim_reply(a.text), "It happened again at 15:52.");
  EXPECT_EQ(trim_reply(o.text),
            "Danke, jetzt funktioniert es wieder.\n\nMit freundlichen Grüßen\nAnna Berg");
}

TEST(MimeParser, NoiseMarkers) {
  auto dsn = parsed("bounce_dsn.eml");
  EXPECT_TRUE(dsn.delivery_report);
  EXPECT_EQ(classify_noise(dsn, "support@desk.example"), MailNoise::bounce);
  auto vacation = parsed("vacation_autoreply.eml");
  EXPECT_EQ(vacation.auto_submitted, "auto-replied");
  EXPECT_TRUE(vacation.autoreply_header);
  EXPECT_EQ(classify_noise(vacation, "support@desk.example"), MailNoise::auto_reply);
  auto news = parsed("bulk_newsletter.eml");
  EXPECT_EQ(news.precedence, "bulk");
  EXPECT_EQ(classify_noise(news, "support@desk.example"), MailNoise::bulk);
}

TEST(MimeParser, BrokenBase64PartIsQuarantinedNotFatal) {
  auto m = parsed("broken_base64.eml");
  EXPECT_EQ(m.text, "The log is attached.");
  ASSERT_EQ(m.quarantine_notes.size(), 1u);
  EXPECT_NE(m.quarantine_notes[0].find("app.log"), std::string::npos);
  const MailFile* kept = file_named(m, "app.log.quarantined.txt");
  ASSERT_NE(kept, nullptr);
  EXPECT_NE(kept->content.find("this is not base64"), std::string::npos);
}

TEST(MimeParser, MissingMessageIdAndHugeLine) {
  auto m = parsed("no_message_id.eml");
  EXPECT_TRUE(m.message_id.empty());
  auto h = parsed("huge_line.eml");
  EXPECT_GE(h.text.size(), 200000u);
  EXPECT_TRUE(h.text.ends_with("end"));
}

TEST(MimeParser, RejectsWhatIsNoMessage) {
  EXPECT_EQ(parse_mail("").error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(parse_mail("just some text\nwithout a header").error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(parse_mail("Subject: no sender\n\nbody").error().code, ErrorCode::invalid_argument);
  MailLimits small;
  small.max_message_bytes = 10;
  EXPECT_EQ(parse_mail(corpus_message("plain.eml"), small).error().code,
            ErrorCode::invalid_argument);
}

// What the desk sends (core/outbound_mail.hpp) read back by GMime, as a customer's mail
// program would: the text, and each file with its name and exact bytes.
TEST(MimeParser, ReadsBackOurOwnMailWithFiles) {
  MailMessage out;
  out.from_name = "IT-Service Süd";
  out.from_address = "desk@example.com";
  out.to_name = "Jürgen";
  out.to_address = "j@example.de";
  out.subject = "[#100042] Prüfbericht";
  out.message_id = "<fl-100042-9.x@example.com>";
  out.language = "de";
  out.text = "Guten Tag,\nanbei der Bericht.";
  out.html = "<p>Guten Tag,<br>anbei der Bericht.</p>";
  std::string binary;
  for (int i = 0; i < 5000; ++i) binary += static_cast<char>((i * 131 + 7) % 256);
  std::string long_name;
  for (int i = 0; i < 30; ++i) long_name += "Ä";
  long_name += " Übersicht.xlsx";
  out.files = {
      {.filename = "Prüfbericht.pdf", .content_type = "application/pdf", .content = binary},
      {.filename = long_name, .content_type = "application/octet-stream", .content = "x"},
      {.filename = "plain.txt", .content_type = "text/plain", .content = "eins\r\nzwei\r\n"}};
  auto raw = compose_message(out);
  ASSERT_TRUE(raw) << raw.error().message;

  auto in = parse_mail(*raw);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->subject, "[#100042] Prüfbericht");
  EXPECT_NE(in->text.find("anbei der Bericht."), std::string::npos) << in->text;
  EXPECT_FALSE(in->html.empty()) << "the HTML alternative is the body, not a file";
  ASSERT_EQ(in->files.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const MailFile* f = file_named(*in, out.files[i].filename);
    std::string names;
    for (const auto& got : in->files) names += "\n  got: " + got.filename;
    ASSERT_NE(f, nullptr) << out.files[i].filename << names;
    EXPECT_EQ(f->content, out.files[i].content) << out.files[i].filename;
    EXPECT_FALSE(f->is_inline);
  }
}

TEST(MimeParser, UndeclaredEightBitHeadersBecomeUtf8) {
  std::string raw =
      "From: J\xfcrgen <j@firma.example>\nSubject: Gr\xfc\xdf"
      "e\n\nText \xe4\n";
  auto m = parse_mail(raw);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_TRUE(is_valid_utf8(m->subject));
  EXPECT_TRUE(is_valid_utf8(m->text));
  EXPECT_EQ(m->subject, "Grüße");
}

}  // namespace fl::mail
