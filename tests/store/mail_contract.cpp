// The Store contract for inbound mail records (migration 18): a mail filed with its ticket
// change in one commit, a mail kept out recorded alone, duplicates found by Message-ID or by
// hash, the per-sender count of new tickets, and the lookups the intake needs (users by
// address, tickets by number). Runs against every adapter.
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {

namespace {

MailRecord mail(std::string id, std::string hash, std::string sender, std::int64_t offset_ms) {
  return MailRecord{.mailbox = "support",
                    .message_id = std::move(id),
                    .dedupe_hash = std::move(hash),
                    .sender = std::move(sender),
                    .outcome = "ignored",
                    .reason = "test",
                    .received_at = at(offset_ms)};
}

TEST_P(MailContract, AMailFiledWithItsTicketIsRecordedInTheSameCommit) {
  TicketChange change{
      draft_ticket("from mail"),
      {Entry{.kind = EntryKind::reply, .author = customer_.id, .body = "hi", .created_at = at()}},
      {event_of(event_type::ticket_created, customer_.id)}};
  change.mail = mail("m1@example.com", "h1", "anna@example.com", 0);
  change.mail->outcome = "created";
  auto committed = must(store().commit(change));
  auto seen = must(store().seen_mail("m1@example.com", ""));
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->ticket, committed.ticket.id);
  EXPECT_EQ(seen->entry, committed.entries.front().id);
  EXPECT_EQ(seen->outcome, "created");

  // The same Message-ID again: a conflict, and nothing of the change is written.
  TicketChange again{draft_ticket("again"), {}, {event_of(event_type::ticket_created)}};
  again.mail = mail("m1@example.com", "h2", "anna@example.com", 1);
  EXPECT_EQ(code_of(store().commit(again)), ErrorCode::conflict);
  TicketQuery q;
  q.scope = TicketScope::all();
  EXPECT_EQ(must(store().tickets(q)).tickets.size(), 1u);
}

TEST_P(MailContract, SeenByIdOrByHash) {
  must(store().record_mail(mail("a@x", "hash-a", "s@x", 0)));
  must(store().record_mail(mail("", "hash-b", "s@x", 1)));
  must(store().record_mail(mail("", "hash-c", "s@x", 2)));  // two without an id are fine
  EXPECT_EQ(code_of(store().record_mail(mail("a@x", "other", "s@x", 3))), ErrorCode::conflict);
  EXPECT_TRUE(must(store().seen_mail("a@x", "nothing")));
  EXPECT_TRUE(must(store().seen_mail("", "hash-b")));
  EXPECT_TRUE(must(store().seen_mail("unknown@x", "hash-c")));
  EXPECT_FALSE(must(store().seen_mail("unknown@x", "unknown")));
  EXPECT_FALSE(must(store().seen_mail("", "")));
}

TEST_P(MailContract, TheSameSenderDateAndBodyIsADuplicateEvenWithoutAnId) {
  // Two deliveries of one id-less message that both passed seen_mail: the second commit is
  // refused as a conflict and writes nothing (the intake then answers "duplicate").
  TicketChange first{draft_ticket("first"), {}, {event_of(event_type::ticket_created)}};
  first.mail = mail("", "same-hash", "s@x", 0);
  first.mail->outcome = "created";
  must(store().commit(first));
  TicketChange second{draft_ticket("second"), {}, {event_of(event_type::ticket_created)}};
  second.mail = mail("", "same-hash", "s@x", 1);
  second.mail->outcome = "created";
  EXPECT_EQ(code_of(store().commit(second)), ErrorCode::conflict);
  // ... also under another Message-ID (a relay that made a new one).
  EXPECT_EQ(code_of(store().record_mail(mail("new@x", "same-hash", "s@x", 2))),
            ErrorCode::conflict);
  TicketQuery q;
  q.scope = TicketScope::all();
  EXPECT_EQ(must(store().tickets(q)).tickets.size(), 1u);
}

TEST_P(MailContract, CountsNewTicketsPerSenderSince) {
  for (int i = 0; i < 3; ++i) {
    TicketChange change{draft_ticket("t"), {}, {event_of(event_type::ticket_created)}};
    change.mail =
        mail("c" + std::to_string(i) + "@x", "h" + std::to_string(i), "flood@x", i * 1000);
    change.mail->outcome = "created";
    must(store().commit(change));
  }
  must(store().record_mail(mail("i@x", "hi", "flood@x", 5000)));  // ignored: not counted
  EXPECT_EQ(must(store().tickets_created_by_mail("flood@x", at(0))), 3);
  EXPECT_EQ(must(store().tickets_created_by_mail("flood@x", at(1500))), 1);
  EXPECT_EQ(must(store().tickets_created_by_mail("other@x", at(0))), 0);
}

TEST_P(MailContract, UsersByEmailAndTicketsByNumber) {
  UserRecord r;
  r.user.login = "mixed";
  r.user.name = "Mixed Case";
  r.user.email = "Mixed.Case@Example.com";
  r.user.created_at = at();
  auto u = must(store().insert_user(r, event_of(event_type::user_created)));
  auto found = must(store().users_by_email("mixed.case@example.COM"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, u.id);
  EXPECT_TRUE(must(store().users_by_email("")).empty());
  auto t = create(draft_ticket("numbered")).ticket;
  EXPECT_EQ(must(store().ticket_by_number(t.number)).id, t.id);
  EXPECT_EQ(code_of(store().ticket_by_number(t.number + 1000)), ErrorCode::not_found);
}

}  // namespace

}  // namespace fl::store_contract
