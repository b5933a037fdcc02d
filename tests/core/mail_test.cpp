#include "core/mail.hpp"

#include <gtest/gtest.h>

namespace fl {

TEST(Mail, TicketTagInSubject) {
  EXPECT_EQ(ticket_tag("Re: [#100042] Printer"), 100042);
  EXPECT_EQ(ticket_tag("AW: AW: Drucker [#100001]"), 100001);
  EXPECT_EQ(ticket_tag("[#] no number, then [#7]"), 7);
  EXPECT_FALSE(ticket_tag("#100042 without brackets"));
  EXPECT_FALSE(ticket_tag("[#100042 unclosed"));
  EXPECT_FALSE(ticket_tag("[#12a]"));
  EXPECT_FALSE(ticket_tag("[#1234567890123456789]")) << "too long to be a ticket number";
}

TEST(Mail, OurMessageIdForm) {
  EXPECT_EQ(our_message_ticket("<fl-100042-7-a1b2@desk.example>"), 100042);
  EXPECT_EQ(our_message_ticket("fl-100042-x@desk.example"), 100042);
  EXPECT_FALSE(our_message_ticket("fl-100042@desk.example")) << "no '-' after the number";
  EXPECT_FALSE(our_message_ticket("fl-abc-1@desk.example"));
  EXPECT_FALSE(our_message_ticket("fl-100042-1"));
  EXPECT_FALSE(our_message_ticket("CAB123@mail.example"));
}

InboundMail from(std::string address) {
  InboundMail m;
  m.from.address = std::move(address);
  return m;
}

TEST(Mail, NoiseClassification) {
  EXPECT_EQ(classify_noise(from("anna@acme.example"), "support@desk.example"), MailNoise::none);
  EXPECT_EQ(classify_noise(from("Support@Desk.example"), "support@desk.example"), MailNoise::own);
  auto own_id = from("anna@acme.example");
  own_id.message_id = "fl-100001-1-x@desk.example";
  EXPECT_EQ(classify_noise(own_id, ""), MailNoise::own);
  EXPECT_EQ(classify_noise(from("mailer-daemon@mx.example"), ""), MailNoise::bounce);
  EXPECT_EQ(classify_noise(from("postmaster@mx.example"), ""), MailNoise::bounce);
  auto dsn = from("anna@acme.example");
  dsn.delivery_report = true;
  EXPECT_EQ(classify_noise(dsn, ""), MailNoise::bounce);
  auto auto_replied = from("anna@acme.example");
  auto_replied.auto_submitted = "auto-replied";
  EXPECT_EQ(classify_noise(auto_replied, ""), MailNoise::auto_reply);
  auto_replied.auto_submitted = "no";
  EXPECT_EQ(classify_noise(auto_replied, ""), MailNoise::none) << "Auto-Submitted: no is a person";
  auto x_auto = from("anna@acme.example");
  x_auto.autoreply_header = true;
  EXPECT_EQ(classify_noise(x_auto, ""), MailNoise::auto_reply);
  for (std::string p : {"bulk", "junk", "list"}) {
    auto bulk = from("news@vendor.example");
    bulk.precedence = p;
    EXPECT_EQ(classify_noise(bulk, ""), MailNoise::bulk) << p;
  }
  auto ar = from("anna@acme.example");
  ar.precedence = "auto_reply";
  EXPECT_EQ(classify_noise(ar, ""), MailNoise::auto_reply);
}

TEST(Mail, TrimsEnglishQuoteHeaderAndQuotedLines) {
  EXPECT_EQ(trim_reply("Works now.\n\nOn Fri, 27 Nov 2026 at 10:00, Desk <s@d.example> wrote:\n"
                       "> Please restart.\n"),
            "Works now.");
  // Gmail wraps long headers onto two lines.
  EXPECT_EQ(trim_reply("Works now.\nOn Fri, 27 Nov 2026 at 10:00, A Very Long Name\n"
                       "<someone@example.com> wrote:\n> old"),
            "Works now.");
  EXPECT_EQ(trim_reply("Inline answer\n> quoted line\nmore answer"), "Inline answer\nmore answer");
}

TEST(Mail, TrimsGermanQuoteHeaders) {
  EXPECT_EQ(trim_reply("Danke!\n\nAm 27.11.2026 um 10:00 schrieb Service Desk <s@d.example>:\n"
                       "> Bitte neu starten."),
            "Danke!");
  EXPECT_EQ(
      trim_reply("Erledigt.\n\n-----Ursprüngliche Nachricht-----\nVon: Desk\nGesendet: heute"),
      "Erledigt.");
  EXPECT_EQ(trim_reply("Done.\n-----Original Message-----\nFrom: Desk\nSent: today"), "Done.");
}

TEST(Mail, TrimsOutlookHeaderBlockAndSignature) {
  EXPECT_EQ(trim_reply("Danke.\n\n________________________________\nVon: Service Desk\n"
                       "Gesendet: Freitag\nAn: Anna\nBetreff: x\n\nalter Text"),
            "Danke.");
  EXPECT_EQ(trim_reply("Thanks.\n\nFrom: Service Desk <s@d.example>\nSent: Friday\nTo: Anna\n"),
            "Thanks.");
  EXPECT_EQ(trim_reply("Thanks.\n-- \nAnna Berg\nACME"), "Thanks.");
  EXPECT_EQ(trim_reply("From: here on the text goes on\nand on"),
            "From: here on the text goes on\nand on")
      << "a From: line without a header block after it is text";
}

TEST(Mail, TrimKeepsTextWhenNothingWouldBeLeft) {
  EXPECT_EQ(trim_reply("> only quoted\n> lines"), "> only quoted\n> lines");
  EXPECT_EQ(trim_reply("  plain  "), "plain");
}

TEST(Mail, GuessesLanguage) {
  EXPECT_EQ(guess_language("Ich habe keinen Zugriff und bitte um Hilfe", "en"), "de");
  EXPECT_EQ(guess_language("I cannot log in, please help", "de"), "en");
  EXPECT_EQ(guess_language("12345", "de"), "de");
}

TEST(Mail, DomainAndDuplicateKey) {
  EXPECT_EQ(mail_domain("Anna@ACME.example"), "acme.example");
  EXPECT_EQ(mail_domain("nobody"), "");
  auto a = from("Anna@acme.example");
  a.date_header = "Fri, 27 Nov 2026 09:00:00 +0100";
  a.text = "x";
  auto b = a;
  b.from.address = "anna@acme.example";
  EXPECT_EQ(duplicate_key(a), duplicate_key(b));
  b.text = "y";
  EXPECT_NE(duplicate_key(a), duplicate_key(b));
}

TEST(Mail, ConversationGroupsFollowEveryLink) {
  auto mail = [](std::string id, std::string in_reply_to, std::vector<std::string> refs,
                 std::string subject = "s") {
    InboundMail m;
    m.message_id = std::move(id);
    m.in_reply_to = std::move(in_reply_to);
    m.references = std::move(refs);
    m.subject = std::move(subject);
    return m;
  };
  const std::vector<InboundMail> batch{
      mail("a", "", {}),                                 // 0: a new conversation
      mail("b", "a", {"a"}),                             // 1: reply to a
      mail("c", "b", {}),                                // 2: reply to b, naming only b
      mail("d", "", {}),                                 // 3: unrelated
      mail("e", "", {}, "Re: [#100042] Drucker"),        // 4: tag only
      mail("f", "fl-100042-9-x@desk.example", {}),       // 5: answers our mail of 100042
      mail("g", "", {}, "AW: [#100042]"),                // 6: tag only again
      mail("", "", {}),                                  // 7: no id at all
      mail("h", "", {"zz", "c"}),                        // 8: references c through zz
  };
  std::vector<const InboundMail*> pointers;
  for (const auto& m : batch) pointers.push_back(&m);
  pointers.push_back(nullptr);  // 9: unreadable
  const auto g = conversation_groups(pointers);
  ASSERT_EQ(g.size(), 10u);
  EXPECT_EQ(g[0], 0u);
  EXPECT_EQ(g[1], g[0]);
  EXPECT_EQ(g[2], g[0]) << "linked through b, though it never names a";
  EXPECT_EQ(g[8], g[0]);
  EXPECT_EQ(g[3], 1u);
  EXPECT_EQ(g[4], 2u);
  EXPECT_EQ(g[5], g[4]) << "our Message-ID names the same ticket as the tag";
  EXPECT_EQ(g[6], g[4]);
  EXPECT_EQ(g[7], 3u);
  EXPECT_EQ(g[9], 4u);
}

}  // namespace fl
