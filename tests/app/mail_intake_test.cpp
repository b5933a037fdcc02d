#include "app/mail_intake.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "app/desk_fixture.hpp"
#include "mail/corpus.hpp"
#include "mail/mime_parser.hpp"

namespace fl::testing {

namespace {

struct Message {
  std::string from = "Anna Berg <anna@acme.example>";
  std::string subject = "Printer prints blank pages";
  std::string body = "Since this morning the printer prints blank pages.";
  std::string message_id = "<m1@acme.example>";
  std::string date = "Fri, 27 Nov 2026 09:00:00 +0100";
  std::string extra;  // more header lines, each ending in \n

  [[nodiscard]] std::string raw() const {
    std::string r = "From: " + from + "\nTo: support@desk.example\nSubject: " + subject +
                    "\nDate: " + date + "\n";
    if (!message_id.empty()) r += "Message-ID: " + message_id + "\n";
    r += extra + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body + "\n";
    return r;
  }
};

}  // namespace

class MailIntakeTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    make_intake({});
  }

  void make_intake(MailIntakeOptions options) {
    if (options.mailboxes.empty())
      options.mailboxes = {{"support", ""}, {"partner", "Partner Desk"}};
    if (options.our_address.empty()) options.our_address = "support@desk.example";
    intake = std::make_unique<MailIntake>(*store, *tickets, *directory, parser, clock,
                                          std::move(options));
  }

  IngestResult ingest(const std::string& raw, std::string_view mailbox = "support") {
    auto r = intake->ingest(mailbox, raw);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) throw std::runtime_error(r.error().message);
    clock.advance(std::chrono::seconds(1));
    return *r;
  }

  std::vector<Entry> entries_of(TicketId id) { return ok(store->entries(id)); }

  std::int64_t ticket_count() {
    TicketQuery q;
    q.scope = TicketScope::all();
    q.limit = 1000;
    auto page = ok(store->tickets(q));
    return static_cast<std::int64_t>(page.tickets.size());
  }

  static bool has_file(const Entry& e, std::string_view name) {
    return std::ranges::any_of(e.attachments,
                               [&](const Attachment& a) { return a.filename == name; });
  }

  mail::MimeMailParser parser;
  std::unique_ptr<MailIntake> intake;
};

TEST_F(MailIntakeTest, NewSenderOpensATicketAsANewCustomerOfTheirDomain) {
  Message m;
  m.from = "=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <Juergen@ACME.example>";
  m.subject = "Drucker druckt nur leere Seiten";
  m.body = "Hallo, der Drucker druckt nur leere Seiten. Können Sie bitte helfen?\n-- \nJürgen";
  auto r = ingest(m.raw());
  ASSERT_EQ(r.outcome, IngestOutcome::created);
  ASSERT_TRUE(r.ticket);
  Ticket t = ok(store->ticket(*r.ticket));
  EXPECT_EQ(t.channel, Channel::email);
  EXPECT_EQ(t.subject, "Drucker druckt nur leere Seiten");
  EXPECT_EQ(t.organization, acme.id);
  EXPECT_EQ(t.team, desk.id);
  User u = ok(store->user(t.requester));
  EXPECT_EQ(u.email, "juergen@acme.example");
  EXPECT_EQ(u.login, "juergen@acme.example");
  EXPECT_EQ(u.name, "Jürgen Müller");
  EXPECT_EQ(u.role, Role::customer);
  EXPECT_EQ(u.organization, acme.id);
  EXPECT_EQ(u.language, "de");
  auto entries = entries_of(t.id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].author, u.id);
  EXPECT_EQ(entries[0].body,
            "Hallo, der Drucker druckt nur leere Seiten. Können Sie bitte helfen?");
  EXPECT_TRUE(has_file(entries[0], "original.eml"));
  auto original = ok(store->attachment_content(
      std::ranges::find(entries[0].attachments, "original.eml", &Attachment::filename)->id));
  EXPECT_EQ(original, m.raw()) << "the full original is kept";
}

TEST_F(MailIntakeTest, SecondDeliveryIsADuplicateByMessageId) {
  Message m;
  auto first = ingest(m.raw());
  ASSERT_EQ(first.outcome, IngestOutcome::created);
  m.body = "A different body, same Message-ID.";
  auto second = ingest(m.raw());
  EXPECT_EQ(second.outcome, IngestOutcome::duplicate);
  EXPECT_EQ(second.ticket, first.ticket);
  EXPECT_EQ(ticket_count(), 1);
}

TEST_F(MailIntakeTest, TwoDeliveriesAtOnceFileTheMessageOnce) {
  // The same message from the MTA and the IMAP poller at the same moment, from a new sender;
  // with a Message-ID and without one (then sender, date and body make it the same).
  for (bool with_id : {true, false}) {
    SCOPED_TRACE(with_id ? "with Message-ID" : "without Message-ID");
    Message m;
    m.from = with_id ? "new.person@acme.example" : "other.person@acme.example";
    if (!with_id) m.message_id.clear();
    std::string raw = m.raw();
    const std::int64_t before = ticket_count();
    std::vector<Result<IngestResult>> results(4, fail(ErrorCode::internal, "not run"));
    {
      std::vector<std::jthread> threads;
      for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] { results[i] = intake->ingest("support", raw); });
    }
    int created = 0;
    for (const auto& r : results) {
      ASSERT_TRUE(r) << r.error().message;
      if (r->outcome == IngestOutcome::created)
        ++created;
      else
        EXPECT_EQ(r->outcome, IngestOutcome::duplicate);
    }
    EXPECT_EQ(created, 1);
    EXPECT_EQ(ticket_count(), before + 1);
    EXPECT_EQ(ok(store->users_by_email(with_id ? "new.person@acme.example"
                                               : "other.person@acme.example"))
                  .size(),
              1u);
  }
}

TEST_F(MailIntakeTest, SecondDeliveryWithoutMessageIdIsADuplicateByHash) {
  Message m;
  m.message_id.clear();
  auto first = ingest(m.raw());
  ASSERT_EQ(first.outcome, IngestOutcome::created);
  auto second = ingest(m.raw());
  EXPECT_EQ(second.outcome, IngestOutcome::duplicate);
  m.body = "Another problem, same minute.";
  EXPECT_EQ(ingest(m.raw()).outcome, IngestOutcome::created);
  EXPECT_EQ(ticket_count(), 2);
}

TEST_F(MailIntakeTest, ReplyToOurMessageIdJoinsTheTicket) {
  auto first = ingest(Message{}.raw());
  Ticket t = ok(store->ticket(*first.ticket));
  Message reply;
  reply.message_id = "<m2@acme.example>";
  reply.subject = "Re: Printer prints blank pages";
  reply.extra = "In-Reply-To: <fl-" + std::to_string(t.number) + "-3-a1b2@desk.example>\n";
  reply.body =
      "It works again, thanks!\n\nOn Fri, 27 Nov 2026 at 10:00, Desk <support@desk.example> "
      "wrote:\n> Please restart it.";
  auto r = ingest(reply.raw());
  EXPECT_EQ(r.outcome, IngestOutcome::appended);
  EXPECT_EQ(r.ticket, t.id);
  auto entries = entries_of(t.id);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].body, "It works again, thanks!");
  EXPECT_TRUE(has_file(entries[1], "original.eml"));
}

TEST_F(MailIntakeTest, ReplyToAReceivedMessageIdJoinsTheTicket) {
  auto first = ingest(Message{}.raw());
  Message reply;
  reply.message_id = "<m2@acme.example>";
  reply.subject = "Re: Printer prints blank pages";
  reply.extra = "References: <older@acme.example> <m1@acme.example>\n";
  reply.body = "One more detail: it is the HP on floor 2.";
  auto r = ingest(reply.raw());
  EXPECT_EQ(r.outcome, IngestOutcome::appended);
  EXPECT_EQ(r.ticket, first.ticket);
}

TEST_F(MailIntakeTest, ReplyByTicketTagInTheSubject) {
  Ticket t = open_ticket(c1);
  Message reply;
  reply.from = "C One <c1@x.example>";
  reply.subject = "AW: [#" + std::to_string(t.number) + "] Printer prints blank pages";
  reply.body = "Danke, es geht wieder.";
  auto r = ingest(reply.raw());
  EXPECT_EQ(r.outcome, IngestOutcome::appended);
  EXPECT_EQ(r.ticket, t.id);
  auto entries = entries_of(t.id);
  EXPECT_EQ(entries.back().author, c1.user.id);
}

TEST_F(MailIntakeTest, ASenderWhoMayNotWriteOnTheTicketGetsANewOne) {
  Ticket t = open_ticket(c1);
  Message foreign;
  foreign.from = "C Two <c2@x.example>";  // Globex: may not see Acme's ticket
  foreign.subject = "Re: [#" + std::to_string(t.number) + "] Printer prints blank pages";
  foreign.extra = "In-Reply-To: <fl-" + std::to_string(t.number) + "-1-x@desk.example>\n";
  auto r = ingest(foreign.raw());
  EXPECT_EQ(r.outcome, IngestOutcome::created);
  EXPECT_NE(r.ticket, t.id);
  EXPECT_EQ(ok(store->ticket(*r.ticket)).requester, c2.user.id);
  EXPECT_EQ(entries_of(t.id).size(), 1u) << "nothing was added to the foreign ticket";
}

TEST_F(MailIntakeTest, ColleagueOfAnOrganisationThatSharesTicketsMayReply) {
  auto shared = ok(directory->create_organization(nullptr, {"Initech", "initech.example", true}));
  Actor peter = person("peter", Role::customer, shared.id, {});
  Actor milton = person("milton", Role::customer, shared.id, {});
  Ticket t = open_ticket(peter);
  Message reply;
  reply.from = "milton@x.example";
  reply.subject = "Re: [#" + std::to_string(t.number) + "] Printer";
  EXPECT_EQ(ingest(reply.raw()).outcome, IngestOutcome::appended);
  (void)milton;
}

TEST_F(MailIntakeTest, BouncesAndOurOwnMailAreIgnoredAndRecorded) {
  auto bounce = ingest(corpus_message("bounce_dsn.eml"));
  EXPECT_EQ(bounce.outcome, IngestOutcome::ignored);
  EXPECT_NE(bounce.reason.find("bounce"), std::string::npos);
  Message own;
  own.from = "Service Desk <support@desk.example>";
  own.message_id = "<own-1@desk.example>";
  auto loop = ingest(own.raw());
  EXPECT_EQ(loop.outcome, IngestOutcome::ignored);
  EXPECT_NE(loop.reason.find("own"), std::string::npos);
  EXPECT_EQ(ticket_count(), 0);
  EXPECT_EQ(ingest(corpus_message("bounce_dsn.eml")).outcome, IngestOutcome::duplicate)
      << "an ignored message is recorded, so it is known the second time";
}

TEST_F(MailIntakeTest, AutoRepliesAreFiledButMarkedAutoSubmitted) {
  auto r = ingest(corpus_message("vacation_autoreply.eml"));
  ASSERT_EQ(r.outcome, IngestOutcome::created);
  auto events = ok(store->ticket_events(*r.ticket));
  auto created = std::ranges::find(events, std::string(event_type::ticket_created), &Event::type);
  ASSERT_NE(created, events.end());
  auto payload = boost::json::parse(created->payload).as_object();
  EXPECT_EQ(payload.at("auto_submitted"), true);

  auto person = ingest(Message{}.raw());
  auto events2 = ok(store->ticket_events(*person.ticket));
  EXPECT_EQ(boost::json::parse(events2.front().payload).as_object().at("auto_submitted"), false);
}

TEST_F(MailIntakeTest, AnAutoReplyOnAWaitingTicketLeavesItWaiting) {
  Ticket t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::pending_customer}));
  Message vacation;
  vacation.from = "c1@x.example";
  vacation.subject = "Out of office: [#" + std::to_string(t.number) + "] Printer";
  vacation.body = "I am out of the office until Monday.";
  vacation.extra = "Auto-Submitted: auto-replied\n";
  auto r = ingest(vacation.raw());
  EXPECT_EQ(r.outcome, IngestOutcome::appended);
  EXPECT_EQ(ok(store->ticket(t.id)).status, TicketStatus::pending_customer);
  Message person;
  person.from = "c1@x.example";
  person.message_id = "<m-person@x.example>";
  person.subject = "Re: [#" + std::to_string(t.number) + "] Printer";
  person.body = "Here is the information you asked for.";
  EXPECT_EQ(ingest(person.raw()).outcome, IngestOutcome::appended);
  EXPECT_NE(ok(store->ticket(t.id)).status, TicketStatus::pending_customer)
      << "a person's reply is the customer's answer";
}

TEST_F(MailIntakeTest, RateLimitPerSenderKeepsAFloodOut) {
  MailIntakeOptions options;
  options.max_new_tickets_per_sender_per_hour = 2;
  make_intake(options);
  for (int i = 1; i <= 3; ++i) {
    Message m;
    m.message_id = "<flood-" + std::to_string(i) + "@acme.example>";
    m.body = "Flood " + std::to_string(i);
    auto r = ingest(m.raw());
    if (i <= 2) {
      EXPECT_EQ(r.outcome, IngestOutcome::created) << i;
    } else {
      EXPECT_EQ(r.outcome, IngestOutcome::ignored);
      EXPECT_NE(r.reason.find("rate limit"), std::string::npos);
    }
  }
  EXPECT_EQ(ticket_count(), 2);
  clock.advance(std::chrono::hours(1));
  Message later;
  later.message_id = "<flood-4@acme.example>";
  later.body = "An hour later";
  EXPECT_EQ(ingest(later.raw()).outcome, IngestOutcome::created);
}

TEST_F(MailIntakeTest, AttachmentsInlineImagesAndQuarantineLandOnTheEntry) {
  auto r = ingest(corpus_message("base64_attachment.eml"));
  auto e = entries_of(*r.ticket);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_TRUE(has_file(e[0], "report.pdf"));
  EXPECT_EQ(std::ranges::find(e[0].attachments, "report.pdf", &Attachment::filename)->content_type,
            "application/pdf");

  auto img = ingest(corpus_message("inline_image.eml"));
  auto e2 = entries_of(*img.ticket);
  EXPECT_TRUE(has_file(e2[0], "image-1.png"));
  EXPECT_TRUE(has_file(e2[0], "message.html"));

  auto broken = ingest(corpus_message("broken_base64.eml"));
  auto e3 = entries_of(*broken.ticket);
  EXPECT_NE(e3[0].body.find("could not be decoded"), std::string::npos) << e3[0].body;
  EXPECT_TRUE(has_file(e3[0], "app.log.quarantined.txt"));
}

TEST_F(MailIntakeTest, MailboxTeamAndErrors) {
  auto r = ingest(Message{}.raw(), "partner");
  EXPECT_EQ(ok(store->ticket(*r.ticket)).team, partner.id);
  EXPECT_EQ(intake->ingest("nope", Message{}.raw()).error().code, ErrorCode::not_found);
  EXPECT_EQ(intake->ingest("support", "not a message").error().code, ErrorCode::invalid_argument);
}

TEST_F(MailIntakeTest, ReplyToAClosedTicketOpensANewOne) {
  auto first = ingest(Message{}.raw());
  Ticket t = ok(store->ticket(*first.ticket));
  ok(tickets->update(l1, t.id, {.status = TicketStatus::closed}));
  Message reply;
  reply.message_id = "<m9@acme.example>";
  reply.subject = "Re: [#" + std::to_string(t.number) + "] Printer prints blank pages";
  reply.body = "It is broken again.";
  auto r = ingest(reply.raw());
  EXPECT_EQ(r.outcome, IngestOutcome::created);
  EXPECT_NE(r.ticket, t.id);
}

}  // namespace fl::testing
