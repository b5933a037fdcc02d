// Outbound mail from the app's side: replies queued in their commit, the follower's
// notifications in the recipient's language, the auto_submitted contract, threading and
// retries - with a transport that records instead of an SMTP server.
#include "app/mail_service.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>

#include "app/reply_mail.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {
namespace {

class RecordingTransport final : public MailTransport {
 public:
  Result<void> send(const Envelope& e) override {
    std::lock_guard lock(mutex);
    if (down) return fail(ErrorCode::unavailable, "connection refused");
    sent.push_back(e);
    return {};
  }
  std::mutex mutex;
  bool down = false;
  std::vector<Envelope> sent;
};

class MailServiceTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    reply_mail = std::make_unique<ReplyMail>(*store);
    tickets = std::make_unique<TicketService>(*store, clock, nullptr, kDefaultAttachmentMaxBytes,
                                              reply_mail.get());
    MailOptions options;
    options.address = "desk@help.example";
    options.from_name = "IT-Service Süd";
    options.base_url = "https://desk.example";
    options.retry.first_delay = std::chrono::seconds(30);
    mail = std::make_unique<MailService>(
        *store, clock, transport, MailTemplates{},
        [](const Ticket&, int) {
          return std::vector<std::pair<std::int64_t, std::string>>{{7, "Drucker zurücksetzen"}};
        },
        options);
    ASSERT_TRUE(mail->follow());  // the first run only sets the cursor
    User german = c1.user;
    german.language = "de";
    german.name = "Jürgen Müller";
    ASSERT_TRUE(store->update_user(
        german, Event{.type = "user.updated", .at = clock.now(), .payload = "{}"}, std::nullopt));
    c1.user = german;
  }

  void run() {
    ASSERT_TRUE(mail->follow());
    ASSERT_TRUE(mail->send_due());
  }

  std::unique_ptr<ReplyMail> reply_mail;
  RecordingTransport transport;
  std::unique_ptr<MailService> mail;
};

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Quoted-printable text with its soft line breaks ("=" CRLF) taken out.
std::string without_soft_breaks(std::string text) {
  for (auto at = text.find("=\r\n"); at != std::string::npos; at = text.find("=\r\n", at))
    text.erase(at, 3);
  return text;
}

TEST_F(MailServiceTest, AcknowledgementInTheRequestersLanguageWithArticles) {
  Ticket t = open_ticket(c1, "Drucker streikt");
  run();
  ASSERT_EQ(transport.sent.size(), 1u);
  const Envelope& e = transport.sent[0];
  EXPECT_EQ(e.to, "c1@x.example");
  EXPECT_EQ(e.from, "desk@help.example");
  EXPECT_TRUE(has(e.message, "Auto-Submitted: auto-replied\r\n"));
  EXPECT_TRUE(has(e.message, "Content-Language: de\r\n"));
  EXPECT_TRUE(has(e.message, "Message-ID: <fl-" + std::to_string(t.number) + "-"));
  EXPECT_TRUE(has(e.message, "@help.example>\r\n"));
  EXPECT_TRUE(has(e.message, "https://desk.example/portal/kb/articles/7"));
  EXPECT_TRUE(has(e.message, "To: =?UTF-8?B?"));  // "Jürgen Müller"
  run();
  EXPECT_EQ(transport.sent.size(), 1u) << "sent once";
}

TEST_F(MailServiceTest, AReplyIsQueuedInItsCommitAndThreadsOnEarlierMail) {
  Ticket t = open_ticket(c1);
  run();
  auto entry =
      tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "Bitte neu starten"});
  ASSERT_TRUE(entry);
  auto queued = store->ticket_mail(t.id);
  ASSERT_TRUE(queued);
  ASSERT_EQ(queued->size(), 2u);  // no follower run needed: the reply's row came with it
  EXPECT_EQ(queued->back().entry, entry->id);
  EXPECT_EQ(mail_status(queued->back()), "queued");
  ASSERT_TRUE(mail->send_due());
  ASSERT_EQ(transport.sent.size(), 2u);
  const std::string& reply = transport.sent[1].message;
  EXPECT_FALSE(has(reply, "Auto-Submitted"));
  EXPECT_TRUE(has(reply, "In-Reply-To: <fl-" + std::to_string(t.number) + "-"));
  EXPECT_TRUE(has(reply, "Bitte neu starten"));
  // Notes and the customer's own replies are not mailed.
  ASSERT_TRUE(tickets->add_entry(l1, t.id, {.kind = EntryKind::note, .body = "intern"}));
  ASSERT_TRUE(tickets->add_entry(c1, t.id, {.kind = EntryKind::reply, .body = "Danke"}));
  run();
  EXPECT_EQ(transport.sent.size(), 2u);
}

TEST_F(MailServiceTest, AutoSubmittedEventsGetNoAutomaticMail) {
  Ticket base = open_ticket(c1);
  run();
  ASSERT_EQ(transport.sent.size(), 1u);
  TicketChange change;
  change.ticket = base;
  change.ticket.id = 0;
  change.ticket.version = 0;
  change.new_events.push_back(Event{.type = std::string(event_type::ticket_created),
                                    .actor = c1.user.id,
                                    .at = clock.now(),
                                    .payload = R"({"auto_submitted":true})"});
  ASSERT_TRUE(store->commit(change));
  EXPECT_TRUE(is_auto_submitted(change.new_events[0]));
  run();
  EXPECT_EQ(transport.sent.size(), 1u) << "no acknowledgement of an auto-reply";
}

TEST_F(MailServiceTest, StatusMailToTheRequesterNotForTheirOwnChange) {
  Ticket t = open_ticket(c1);
  run();
  ASSERT_TRUE(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  run();
  ASSERT_EQ(transport.sent.size(), 2u);
  EXPECT_TRUE(has(transport.sent[1].message, "Subject: =?UTF-8?B?"));  // "Gelöst: ..."
  EXPECT_TRUE(has(transport.sent[1].message, "Auto-Submitted: auto-replied"));
  // The requester reopens by replying: they know, nothing is mailed.
  auto reopened =
      tickets->add_entry(c1, t.id, {.kind = EntryKind::reply, .body = "Geht wieder nicht"});
  ASSERT_TRUE(reopened) << reopened.error().message;
  ASSERT_NE(ok(store->ticket(t.id)).status, TicketStatus::resolved);
  run();
  EXPECT_EQ(transport.sent.size(), 2u);
}

TEST_F(MailServiceTest, ARulesReplyIsAutomaticAndNeverAnswersAnAutomaticMessage) {
  Ticket t = open_ticket(c1);
  run();
  const UserId system = ok(store->user_record_by_login(kSystemLogin)).user.id;
  auto rule_reply = [&](bool answers_automatic) {
    TicketChange change;
    change.ticket = ok(store->ticket(t.id));
    change.new_entries.push_back(Entry{.kind = EntryKind::reply,
                                       .author = system,
                                       .body = "Automatische Antwort",
                                       .created_at = clock.now()});
    change.new_events.push_back(Event{.type = std::string(event_type::entry_added),
                                      .at = clock.now(),
                                      .payload = R"({"kind":"reply"})"});
    reply_mail->add_to(change, true, answers_automatic, clock.now());
    const bool queued = !change.new_mail.empty();
    EXPECT_TRUE(store->commit(change));
    return queued;
  };
  EXPECT_FALSE(rule_reply(true));  // the rule answered an auto-reply: no mail
  EXPECT_TRUE(rule_reply(false));
  run();
  ASSERT_EQ(transport.sent.size(), 2u);
  EXPECT_TRUE(has(transport.sent[1].message, "Auto-Submitted: auto-replied\r\n"));
  EXPECT_TRUE(has(transport.sent[1].message, "Automatische Antwort"));
}

TEST_F(MailServiceTest, SlaWarningsGoToWhomTheNotificationsTell) {
  Ticket t = open_ticket(c1);
  run();
  TicketChange change;
  change.ticket = ok(store->ticket(t.id));
  change.new_events.push_back(Event{.type = std::string(event_type::sla_step_fired),
                                    .at = clock.now(),
                                    .payload = R"({"metric":"resolution","percent":80,"notify":[)" +
                                               std::to_string(l1.user.id) + "]}"});
  ASSERT_TRUE(store->commit(change));
  run();
  ASSERT_EQ(transport.sent.size(), 2u);
  const Envelope& e = transport.sent[1];
  EXPECT_EQ(e.to, "l1@x.example");
  EXPECT_TRUE(has(e.message, "] SLA warning: Printer prints blank pages\r\n"));
  EXPECT_TRUE(has(e.message, "SLA: 80 % of the"));
  EXPECT_TRUE(has(e.message, "https://desk.example/tickets/" + std::to_string(t.id)));
  EXPECT_FALSE(has(e.message, "In-Reply-To"));  // not part of the requester's thread
}

TEST_F(MailServiceTest, MailOffQueuesNothingAndLaterSendsNoOldNews) {
  MailOptions off;
  off.address = "desk@help.example";
  off.enabled = false;
  MailService quiet(*store, clock, transport, MailTemplates{}, nullptr, off);
  ASSERT_TRUE(quiet.follow());
  Ticket t = open_ticket(c1);
  ASSERT_TRUE(quiet.follow());  // moves the shared "mail" cursor past the new ticket
  ASSERT_TRUE(quiet.send_due());
  run();  // the service that is on finds nothing left to queue
  EXPECT_TRUE(transport.sent.empty());
  EXPECT_TRUE(ok(store->ticket_mail(t.id)).empty());
}

TEST_F(MailServiceTest, FailuresAreRetriedWithBackoffThenSent) {
  Ticket t = open_ticket(c1);
  transport.down = true;
  run();
  auto rows = store->ticket_mail(t.id);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(mail_status(rows->front()), "retrying");
  EXPECT_EQ(rows->front().last_error, "connection refused");
  ASSERT_TRUE(rows->front().next_attempt_at);
  const auto wait = *rows->front().next_attempt_at - clock.now();
  EXPECT_GE(wait, std::chrono::seconds(27));
  EXPECT_LE(wait, std::chrono::seconds(33));
  transport.down = false;
  run();
  EXPECT_TRUE(transport.sent.empty()) << "not before its time";
  clock.advance(std::chrono::seconds(34));
  run();
  ASSERT_EQ(transport.sent.size(), 1u);
  rows = store->ticket_mail(t.id);
  EXPECT_EQ(mail_status(rows->front()), "sent");
  EXPECT_EQ(rows->front().attempts, 2);
}

TEST_F(MailServiceTest, GivenUpAfterTheLastAttempt) {
  Ticket t = open_ticket(c1);
  transport.down = true;
  for (int i = 0; i < 10; ++i) {
    run();
    clock.advance(std::chrono::hours(14));
  }
  auto rows = store->ticket_mail(t.id);
  ASSERT_TRUE(rows);
  EXPECT_EQ(mail_status(rows->front()), "failed");
  EXPECT_EQ(rows->front().attempts, 8);
}

TEST_F(MailServiceTest, AReplysFilesGoWithItsMail) {
  Ticket t = open_ticket(c1);
  run();
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 300; ++i) pdf += static_cast<char>(i % 256);
  ASSERT_TRUE(tickets->add_entry(l1, t.id,
                                 {.kind = EntryKind::reply,
                                  .body = "Anbei der Bericht",
                                  .files = {{"Prüfbericht.pdf", pdf}, {"notes.txt", "ok"}}}));
  ASSERT_TRUE(mail->send_due());
  ASSERT_EQ(transport.sent.size(), 2u);
  const std::string& reply = transport.sent[1].message;
  EXPECT_TRUE(has(reply, "Content-Type: multipart/mixed;")) << reply;
  EXPECT_TRUE(has(reply, "filename*=UTF-8''Pr%C3%BCfbericht.pdf"));
  EXPECT_TRUE(has(reply, "Content-Type: application/pdf;"));
  EXPECT_TRUE(has(reply, "filename=\"notes.txt\""));
  EXPECT_TRUE(has(reply, base64_lines(pdf).substr(0, 76))) << "the stored bytes, base64";
  EXPECT_FALSE(has(reply, "im Portal")) << "no note when the files are attached";
}

TEST_F(MailServiceTest, FilesOverTheLimitStayInThePortalAndTheMailSaysSo) {
  Ticket t = open_ticket(c1);
  run();
  MailOptions options;
  options.address = "desk@help.example";
  options.base_url = "https://desk.example";
  options.max_attachment_bytes = 100;  // together: the two files below are 60 + 60
  MailService small(*store, clock, transport, MailTemplates{}, nullptr, options);
  ASSERT_TRUE(tickets->add_entry(
      l1, t.id,
      {.kind = EntryKind::reply,
       .body = "Anbei",
       .files = {{"a.txt", std::string(60, 'a')}, {"b.txt", std::string(60, 'b')}}}));
  ASSERT_TRUE(small.send_due());
  ASSERT_EQ(transport.sent.size(), 2u);
  const std::string reply = without_soft_breaks(transport.sent[1].message);
  EXPECT_FALSE(has(reply, "multipart/mixed")) << "sent without the files, not failed";
  EXPECT_FALSE(has(reply, "filename"));
  // The note, in the requester's language (c1 reads German), with the portal link.
  EXPECT_TRUE(has(reply, "Sie k=C3=B6nnen")) << reply;
  EXPECT_TRUE(has(reply, "a.txt, b.txt"));
  EXPECT_TRUE(has(reply, "https://desk.example/portal/tickets/" + std::to_string(t.id)));
  auto rows = ok(store->ticket_mail(t.id));
  EXPECT_EQ(mail_status(rows.back()), "sent");

  // In English for an English reader, and 0 means never attach.
  Ticket english = open_ticket(c2);
  options.max_attachment_bytes = 0;
  MailService never(*store, clock, transport, MailTemplates{}, nullptr, options);
  ASSERT_TRUE(
      tickets->add_entry(sup, english.id, {.kind = EntryKind::reply, .files = {{"c.txt", "c"}}}));
  ASSERT_TRUE(never.send_due());
  ASSERT_EQ(transport.sent.size(), 3u);
  EXPECT_TRUE(
      has(without_soft_breaks(transport.sent.back().message), "too large for e-mail (c.txt)"))
      << transport.sent.back().message;
}

TEST_F(MailServiceTest, AFailedMailIsSentAgainByStaffWithItsMessageId) {
  Ticket t = open_ticket(c1);
  run();
  auto entry = tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "Neu starten"});
  ASSERT_TRUE(entry);
  const OutboundMail queued = ok(store->ticket_mail(t.id)).back();
  ASSERT_EQ(queued.entry, entry->id);
  EXPECT_EQ(tickets->resend_mail(l1, t.id, queued.id).error().code, ErrorCode::failed_precondition)
      << "still queued";
  transport.down = true;
  for (int i = 0; i < 10; ++i) {
    run();
    clock.advance(std::chrono::hours(14));
  }
  ASSERT_EQ(mail_status(ok(store->ticket_mail(t.id)).back()), "failed");
  transport.down = false;

  // The requester may reply on the ticket, but not send its mail again.
  EXPECT_EQ(tickets->resend_mail(c1, t.id, queued.id).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(tickets->resend_mail(c2, t.id, queued.id).error().code, ErrorCode::not_found)
      << "a ticket they may not see";
  Ticket other = open_ticket(c1, "Another");
  EXPECT_EQ(tickets->resend_mail(l1, other.id, queued.id).error().code, ErrorCode::not_found)
      << "a mail of another ticket";
  EXPECT_EQ(tickets->resend_mail(l1, t.id, 4711).error().code, ErrorCode::not_found);

  const std::size_t before = transport.sent.size();
  auto again = tickets->resend_mail(l1, t.id, queued.id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(mail_status(*again), "retrying");
  EXPECT_EQ(again->attempts, 8);
  ASSERT_TRUE(mail->send_due());
  ASSERT_EQ(transport.sent.size(), before + 1) << "due at once";
  const std::string id = mail_message_id(t.number, queued.id, queued.created_at, "help.example");
  EXPECT_TRUE(has(transport.sent.back().message, "Message-ID: " + id + "\r\n"));
  EXPECT_TRUE(has(transport.sent.back().message, "Neu starten"));
  auto sent = ok(store->ticket_mail(t.id)).back();
  EXPECT_EQ(mail_status(sent), "sent");
  EXPECT_EQ(sent.attempts, 9);
  EXPECT_EQ(tickets->resend_mail(l1, t.id, queued.id).error().code, ErrorCode::failed_precondition)
      << "sent mail is not sent twice";
}

TEST(MailTemplateFiles, AFileReplacesItsPartAndBadBytesAreRefused) {
  TempDir dir;
  { std::ofstream(dir.path() / "received.de.subject") << "Eingang #{{ticket.number}}\n"; }
  auto t = MailTemplates::load(dir.path());
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->get("received", "de").subject, "Eingang #{{ticket.number}}");
  EXPECT_FALSE(t->get("received", "de").text.empty());  // the default's
  EXPECT_EQ(t->get("received", "fr").subject, MailTemplates{}.get("received", "en").subject);
  { std::ofstream(dir.path() / "reply.en.txt") << "bad \xff byte"; }
  EXPECT_FALSE(MailTemplates::load(dir.path()));
  EXPECT_TRUE(MailTemplates::load(dir.path() / "missing"));
}

}  // namespace
}  // namespace fl::testing
