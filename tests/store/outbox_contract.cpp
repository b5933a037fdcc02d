// The outbound mail part of the Store contract (see store_contract.hpp: MailContract).
#include <chrono>

#include "store_contract.hpp"

namespace fl::store_contract {
namespace {

using std::chrono::milliseconds;

OutboundMail draft_mail(UserId recipient, MailKind kind, std::int64_t offset_ms = 0) {
  OutboundMail m;
  m.kind = kind;
  m.recipient = recipient;
  m.address = "c@example.com";
  m.name = "Jürgen";
  m.language = "de";
  m.automatic = kind != MailKind::reply;
  m.details = R"({"status":"resolved"})";
  m.created_at = at(offset_ms);
  return m;
}

TEST_P(OutboxContract, AReplysMailIsStoredInItsCommitBoundToItsEntry) {
  auto created = create(draft_ticket("Printer"));
  TicketChange change;
  change.ticket = created.ticket;
  change.new_entries.push_back(
      Entry{.kind = EntryKind::reply, .author = agent_.id, .body = "Hi", .created_at = at(10)});
  change.new_events.push_back(event_of(event_type::entry_added, agent_.id));
  OutboundMail m = draft_mail(customer_.id, MailKind::reply, 10);
  m.entry_index = 0;
  change.new_mail.push_back(m);
  auto committed = must(store().commit(change));
  auto mail = must(store().ticket_mail(created.ticket.id));
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].entry, committed.entries.at(0).id);
  EXPECT_EQ(mail[0].ticket, created.ticket.id);
  EXPECT_EQ(mail[0].state, MailState::pending);
  EXPECT_EQ(mail[0].attempts, 0);
  EXPECT_EQ(mail[0].name, "Jürgen");
  EXPECT_EQ(mail[0].next_attempt_at, at(10));
  EXPECT_FALSE(mail[0].automatic);
}

TEST_P(OutboxContract, AMailNamingNoNewEntryFailsTheWholeChange) {
  auto created = create(draft_ticket("Printer"));
  TicketChange change;
  change.ticket = created.ticket;
  change.new_events.push_back(event_of(event_type::entry_added, agent_.id));
  OutboundMail m = draft_mail(customer_.id, MailKind::reply);
  m.entry_index = 3;
  change.new_mail.push_back(m);
  EXPECT_EQ(code_of(store().commit(change)), ErrorCode::invalid_argument);
  EXPECT_EQ(must(store().ticket(created.ticket.id)).version, created.ticket.version);
  EXPECT_TRUE(must(store().ticket_mail(created.ticket.id)).empty());
}

TEST_P(OutboxContract, QueueingMovesTheCursorAndARepeatIsSkipped) {
  auto created = create(draft_ticket("Printer"));
  OutboundMail m = draft_mail(customer_.id, MailKind::status);
  m.ticket = created.ticket.id;
  m.event = created.events.at(0).id;
  must(store().enqueue_mail({m}, created.events.at(0).id));
  EXPECT_EQ(must(store().feed_cursor("mail")), created.events.at(0).id);
  must(store().enqueue_mail({m}, created.events.at(0).id));  // a follower that crashed
  EXPECT_EQ(must(store().ticket_mail(created.ticket.id)).size(), 1u);
  m.recipient = agent_.id;  // another recipient of the same event is another mail
  must(store().enqueue_mail({m}, std::nullopt));
  EXPECT_EQ(must(store().ticket_mail(created.ticket.id)).size(), 2u);
}

TEST_P(OutboxContract, ClaimsAreLeasedAndAttemptsRecorded) {
  auto created = create(draft_ticket("Printer"));
  OutboundMail m = draft_mail(customer_.id, MailKind::received);
  m.ticket = created.ticket.id;
  m.event = created.events.at(0).id;
  must(store().enqueue_mail({m}, std::nullopt));
  EXPECT_TRUE(must(store().claim_mail(at(-1), milliseconds(1000), 10)).empty()) << "not yet due";
  auto claimed = must(store().claim_mail(at(0), milliseconds(1000), 10));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(must(store().claim_mail(at(500), milliseconds(1000), 10)).empty()) << "leased";

  auto retrying = must(store().record_mail_attempt(
      {.mail = claimed[0].id, .at = at(600), .error = "SMTP 451", .retry_at = at(5000)}));
  EXPECT_EQ(retrying.state, MailState::pending);
  EXPECT_EQ(retrying.attempts, 1);
  EXPECT_EQ(retrying.last_error, "SMTP 451");
  EXPECT_EQ(retrying.next_attempt_at, at(5000));
  EXPECT_EQ(mail_status(retrying), "retrying");
  EXPECT_TRUE(must(store().claim_mail(at(2000), milliseconds(1000), 10)).empty());
  claimed = must(store().claim_mail(at(5000), milliseconds(1000), 10));
  ASSERT_EQ(claimed.size(), 1u);

  auto sent =
      must(store().record_mail_attempt({.mail = claimed[0].id, .at = at(5100), .sent = true}));
  EXPECT_EQ(sent.state, MailState::sent);
  EXPECT_EQ(sent.attempts, 2);
  EXPECT_EQ(sent.sent_at, at(5100));
  // A late answer for a mail that is no longer pending changes nothing.
  auto late = must(store().record_mail_attempt(
      {.mail = claimed[0].id, .at = at(5200), .error = "late", .retry_at = at(9000)}));
  EXPECT_EQ(late.state, MailState::sent);
  EXPECT_EQ(late.attempts, 2);
  EXPECT_TRUE(must(store().claim_mail(at(100000), milliseconds(1000), 10)).empty());
  EXPECT_EQ(code_of(store().record_mail_attempt({.mail = 9999, .at = at(1)})),
            ErrorCode::not_found);
  EXPECT_EQ(code_of(store().ticket_mail(9999)), ErrorCode::not_found);
}

TEST_P(OutboxContract, OnlyAFailedMailIsSentAgainDueThenWithItsAttemptsKept) {
  auto created = create(draft_ticket("Printer"));
  OutboundMail m = draft_mail(customer_.id, MailKind::received);
  m.ticket = created.ticket.id;
  m.event = created.events.at(0).id;
  must(store().enqueue_mail({m}, std::nullopt));
  const MailId id = must(store().ticket_mail(created.ticket.id)).at(0).id;

  // Queued: on its way already.
  EXPECT_EQ(code_of(store().resend_mail(id, at(1))), ErrorCode::failed_precondition);
  auto claimed = must(store().claim_mail(at(0), milliseconds(1000), 10));
  ASSERT_EQ(claimed.size(), 1u);
  auto failed = must(store().record_mail_attempt(
      {.mail = id, .at = at(100), .error = "SMTP 550 mailbox full"}));  // no retry: given up
  ASSERT_EQ(failed.state, MailState::failed);
  EXPECT_TRUE(must(store().claim_mail(at(100000), milliseconds(1000), 10)).empty());

  auto again = must(store().resend_mail(id, at(20000)));
  EXPECT_EQ(again.id, id);
  EXPECT_EQ(again.state, MailState::pending);
  EXPECT_EQ(again.attempts, 1) << "attempts count on";
  EXPECT_EQ(again.last_error, "SMTP 550 mailbox full") << "kept until the next attempt";
  EXPECT_EQ(again.next_attempt_at, at(20000));
  EXPECT_EQ(again.created_at, m.created_at) << "the Message-ID is made from id and created_at";
  EXPECT_EQ(mail_status(again), "retrying");
  EXPECT_TRUE(must(store().claim_mail(at(19999), milliseconds(1000), 10)).empty())
      << "due at the given time, not before";
  claimed = must(store().claim_mail(at(20000), milliseconds(1000), 10));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, id);
  // Pending (claimed) and sent mail are not sent again.
  EXPECT_EQ(code_of(store().resend_mail(id, at(20001))), ErrorCode::failed_precondition);
  must(store().record_mail_attempt({.mail = id, .at = at(20100), .sent = true}));
  auto refused = store().resend_mail(id, at(20200));
  EXPECT_EQ(code_of(refused), ErrorCode::failed_precondition);
  auto sent = must(store().ticket_mail(created.ticket.id)).at(0);
  EXPECT_EQ(sent.state, MailState::sent) << "a refused resend changes nothing";
  EXPECT_EQ(sent.attempts, 2);
  EXPECT_EQ(code_of(store().resend_mail(9999, at(1))), ErrorCode::not_found);
}

}  // namespace
}  // namespace fl::store_contract
