// The Store contract for in-app notifications: what the notification follower derived from
// the event feed, its cursor, one user's pages newest first, unread counts and marking read.
// Runs against every adapter (see store_contract.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "store/store_contract.hpp"

namespace fl::store_contract {

using ::testing::HasSubstr;

void NotificationContract::SetUp() {
  StoreContract::SetUp();
  if (HasFatalFailure()) return;
  ticket_ = create(draft_ticket("printer on fire")).ticket.id;
}

Notification NotificationContract::draft_notification(UserId user, EventId event,
                                                      NotificationKind kind) const {
  Notification n;
  n.user = user;
  n.ticket = ticket_;
  n.kind = kind;
  n.event = event;
  n.text = "event " + std::to_string(event) + " for user " + std::to_string(user);
  n.created_at = at(event);
  return n;
}

std::vector<NotificationId> NotificationContract::add_for(UserId user, EventId first_event,
                                                          int count) {
  std::vector<Notification> batch;
  for (int i = 0; i < count; ++i) batch.push_back(draft_notification(user, first_event + i));
  must(store().add_notifications(batch, first_event + count - 1), "add_notifications");
  // Just stored, so they are the user's newest.
  auto newest = must(store().notifications({.user = user, .limit = count}), "notifications");
  std::vector<NotificationId> ids;
  for (auto it = newest.rbegin(); it != newest.rend(); ++it) ids.push_back(it->id);
  return ids;
}

namespace {

std::vector<NotificationId> ids_of(const std::vector<Notification>& notifications) {
  std::vector<NotificationId> ids;
  for (const auto& n : notifications) ids.push_back(n.id);
  return ids;
}

std::vector<NotificationId> newest_first(std::vector<NotificationId> ids) {
  std::ranges::reverse(ids);
  return ids;
}

// --- storing -----------------------------------------------------------------------------

TEST_P(NotificationContract, NotificationsKeepEveryField) {
  const TicketId other_ticket = create(draft_ticket("second")).ticket.id;
  Notification unread = draft_notification(agent_.id, 41, NotificationKind::sla_warning);
  unread.id = 9999;  // ignored: the store assigns ids
  unread.ticket = other_ticket;
  unread.text = "Ticket #100002: SLA-Warnung – Antwort fällig in 30 min";
  unread.created_at = at(1234);
  Notification read = draft_notification(customer_.id, 42, NotificationKind::customer_replied);
  read.read_at = at(5678);
  must(store().add_notifications({unread, read}, 42));

  const auto agents = must(store().notifications({.user = agent_.id}));
  ASSERT_EQ(agents.size(), 1u);
  const Notification& a = agents[0];
  EXPECT_GT(a.id, 0);
  EXPECT_NE(a.id, 9999);
  EXPECT_EQ(a.user, agent_.id);
  EXPECT_EQ(a.ticket, other_ticket);
  EXPECT_EQ(a.kind, NotificationKind::sla_warning);
  EXPECT_EQ(a.event, 41);
  EXPECT_EQ(a.text, "Ticket #100002: SLA-Warnung – Antwort fällig in 30 min");
  EXPECT_EQ(a.created_at, at(1234));
  EXPECT_FALSE(a.read_at);

  const auto customers = must(store().notifications({.user = customer_.id}));
  ASSERT_EQ(customers.size(), 1u);
  const Notification& c = customers[0];
  EXPECT_NE(c.id, a.id);
  EXPECT_EQ(c.user, customer_.id);
  EXPECT_EQ(c.ticket, ticket_);
  EXPECT_EQ(c.kind, NotificationKind::customer_replied);
  EXPECT_EQ(c.event, 42);
  EXPECT_EQ(c.text, read.text);
  EXPECT_EQ(c.created_at, at(42));
  EXPECT_TRUE(c.read_at == at(5678));
  EXPECT_EQ(must(store().unread_notifications(customer_.id)), 0) << "stored as read";
}

TEST_P(NotificationContract, EveryKindIsKept) {
  const std::vector<NotificationKind> kinds = {
      NotificationKind::assigned, NotificationKind::team_received,
      NotificationKind::customer_replied, NotificationKind::sla_warning,
      NotificationKind::sla_breach};
  std::vector<Notification> batch;
  for (auto kind : kinds) batch.push_back(draft_notification(agent_.id, 7, kind));
  must(store().add_notifications(batch, 7));

  std::vector<NotificationKind> stored;
  for (const auto& n : must(store().notifications({.user = agent_.id}))) stored.push_back(n.kind);
  std::ranges::reverse(stored);  // newest first, and they were stored in list order
  EXPECT_EQ(stored, kinds);
}

TEST_P(NotificationContract, ARepeatOfEventUserAndKindIsIgnored) {
  Notification first = draft_notification(agent_.id, 10);
  first.text = "first derivation";
  Notification again = first;
  again.text = "derived again";
  again.created_at = at(99);
  // Within one call and across calls (a follower that crashed before its cursor moved).
  must(store().add_notifications({first, again}, 10));
  must(store().add_notifications({again}, 10));
  auto stored = must(store().notifications({.user = agent_.id}));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text, "first derivation");
  EXPECT_EQ(stored[0].created_at, at(10));
  const NotificationId kept = stored[0].id;

  // A repeat does not reset a notification the user has read meanwhile.
  EXPECT_EQ(must(store().mark_notifications_read(agent_.id, {kept}, at(500))), 1);
  must(store().add_notifications({again}, 10));
  stored = must(store().notifications({.user = agent_.id}));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_TRUE(stored[0].read_at == at(500));

  // The same event in another kind, or for another user, is another notification.
  must(store().add_notifications({draft_notification(agent_.id, 10, NotificationKind::sla_breach),
                                  draft_notification(customer_.id, 10)},
                                 10));
  stored = must(store().notifications({.user = agent_.id}));
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].kind, NotificationKind::sla_breach);
  EXPECT_EQ(stored[1].id, kept);
  const auto customers = must(store().notifications({.user = customer_.id}));
  ASSERT_EQ(customers.size(), 1u);
  EXPECT_EQ(customers[0].event, 10);
  EXPECT_EQ(customers[0].kind, NotificationKind::assigned);
}

TEST_P(NotificationContract, TheCursorOnlyMovesForward) {
  EXPECT_EQ(must(store().notification_cursor()), 0) << "never set";
  must(store().add_notifications({draft_notification(agent_.id, 5)}, 5));
  EXPECT_EQ(must(store().notification_cursor()), 5);

  // Events that notify nobody still move it.
  must(store().add_notifications({}, 9));
  EXPECT_EQ(must(store().notification_cursor()), 9);

  // A follower restarted from an older cursor: what it derives is stored, the cursor stays.
  must(store().add_notifications({draft_notification(agent_.id, 3)}, 3));
  EXPECT_EQ(must(store().notification_cursor()), 9);
  must(store().add_notifications({}, 0));
  EXPECT_EQ(must(store().notification_cursor()), 9);
  EXPECT_EQ(must(store().notifications({.user = agent_.id})).size(), 2u);

  must(store().add_notifications({}, 9));
  EXPECT_EQ(must(store().notification_cursor()), 9);
  must(store().add_notifications({draft_notification(agent_.id, 12)}, 12));
  EXPECT_EQ(must(store().notification_cursor()), 12);
}

TEST_P(NotificationContract, AMissingUserOrTicketStoresNothing) {
  must(store().add_notifications({draft_notification(agent_.id, 1)}, 1));

  Notification ghost_user = draft_notification(customer_.id + 100, 2);
  auto refused = store().add_notifications({draft_notification(agent_.id, 2), ghost_user}, 2);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(refused.error().message, HasSubstr("user"));

  Notification ghost_ticket = draft_notification(agent_.id, 3);
  ghost_ticket.ticket = ticket_ + 100;
  refused = store().add_notifications({ghost_ticket}, 3);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(refused.error().message, HasSubstr("ticket"));

  // Neither the valid notification of the refused batch nor the cursor moved.
  EXPECT_EQ(must(store().notification_cursor()), 1);
  const auto stored = must(store().notifications({.user = agent_.id}));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].event, 1);
  EXPECT_EQ(must(store().unread_notifications(agent_.id)), 1);
}

// --- listing -----------------------------------------------------------------------------

TEST_P(NotificationContract, PagesRunNewestFirstWithoutGapsOrRepeats) {
  // Interleaved with another user's, which never show.
  std::vector<NotificationId> agents;
  for (int round = 0; round < 4; ++round) {
    for (auto id : add_for(agent_.id, 100 + round * 10, 2)) agents.push_back(id);
    (void)add_for(customer_.id, 105 + round * 10, 1);
  }
  ASSERT_EQ(agents.size(), 8u);
  EXPECT_TRUE(std::ranges::is_sorted(agents));

  std::vector<NotificationId> seen;
  std::optional<NotificationId> before;
  int pages = 0;
  for (;;) {
    const auto page =
        must(store().notifications({.user = agent_.id, .before = before, .limit = 3}));
    if (page.empty()) break;
    ++pages;
    ASSERT_LE(page.size(), 3u);
    for (const auto& n : page) {
      EXPECT_EQ(n.user, agent_.id);
      seen.push_back(n.id);
    }
    before = page.back().id;
  }
  EXPECT_EQ(pages, 3) << "3 + 3 + 2";
  EXPECT_EQ(seen, newest_first(agents));

  // `before` need not be one of the user's ids: it is a bound, not a position.
  EXPECT_EQ(ids_of(must(store().notifications({.user = agent_.id, .before = agents[5] + 1}))),
            newest_first(std::vector<NotificationId>(agents.begin(), agents.begin() + 6)));
  EXPECT_TRUE(must(store().notifications({.user = agent_.id, .before = agents[0]})).empty());
  EXPECT_EQ(must(store().notifications(
                     {.user = agent_.id, .before = std::numeric_limits<NotificationId>::max()}))
                .size(),
            8u);
  EXPECT_TRUE(must(store().notifications({.user = agent_.id + 100})).empty()) << "unknown user";
}

TEST_P(NotificationContract, UnreadOnlyListsTheUnreadNewestFirst) {
  const auto ids = add_for(agent_.id, 1, 6);
  EXPECT_EQ(must(store().mark_notifications_read(agent_.id, {ids[1], ids[4]}, at(900))), 2);
  const std::vector<NotificationId> unread = {ids[5], ids[3], ids[2], ids[0]};

  const auto all_unread = must(store().notifications({.user = agent_.id, .unread_only = true}));
  EXPECT_EQ(ids_of(all_unread), unread);
  for (const auto& n : all_unread) EXPECT_FALSE(n.read_at);

  // Paged: the cursor skips read ones without losing unread ones.
  const auto first =
      must(store().notifications({.user = agent_.id, .unread_only = true, .limit = 2}));
  EXPECT_EQ(ids_of(first), (std::vector<NotificationId>{ids[5], ids[3]}));
  const auto second = must(store().notifications(
      {.user = agent_.id, .unread_only = true, .before = first.back().id, .limit = 2}));
  EXPECT_EQ(ids_of(second), (std::vector<NotificationId>{ids[2], ids[0]}));
  EXPECT_TRUE(must(store().notifications(
                       {.user = agent_.id, .unread_only = true, .before = ids[0], .limit = 2}))
                  .empty());

  // All of them, read ones included, carry their read_at.
  const auto everything = must(store().notifications({.user = agent_.id}));
  EXPECT_EQ(ids_of(everything), newest_first(ids));
  EXPECT_TRUE(everything[1].read_at == at(900));
  EXPECT_TRUE(everything[4].read_at == at(900));
}

TEST_P(NotificationContract, LimitIsClampedToOneToTwoHundred) {
  std::vector<Notification> batch;
  for (EventId e = 1; e <= 205; ++e) batch.push_back(draft_notification(agent_.id, e));
  must(store().add_notifications(batch, 205));

  EXPECT_EQ(must(store().notifications({.user = agent_.id, .limit = 0})).size(), 1u);
  EXPECT_EQ(must(store().notifications({.user = agent_.id, .limit = -5})).size(), 1u);
  EXPECT_EQ(must(store().notifications({.user = agent_.id, .limit = 1})).size(), 1u);
  EXPECT_EQ(must(store().notifications({.user = agent_.id, .limit = 200})).size(), 200u);
  EXPECT_EQ(must(store().notifications({.user = agent_.id, .limit = 1000})).size(), 200u);
  EXPECT_EQ(
      must(store().notifications({.user = agent_.id, .unread_only = true, .limit = 1000})).size(),
      200u);
  EXPECT_EQ(must(store().notifications({.user = agent_.id})).size(), 50u) << "the default";
  EXPECT_EQ(must(store().unread_notifications(agent_.id)), 205) << "counts are not pages";
}

// --- unread and read ---------------------------------------------------------------------

TEST_P(NotificationContract, UnreadAreCountedPerUser) {
  EXPECT_EQ(must(store().unread_notifications(agent_.id)), 0);
  const auto agents = add_for(agent_.id, 1, 3);
  (void)add_for(customer_.id, 10, 2);
  EXPECT_EQ(must(store().unread_notifications(agent_.id)), 3);
  EXPECT_EQ(must(store().unread_notifications(customer_.id)), 2);
  EXPECT_EQ(must(store().unread_notifications(agent_.id + 100)), 0) << "unknown user";

  EXPECT_EQ(must(store().mark_notifications_read(agent_.id, {agents[0]}, at(50))), 1);
  EXPECT_EQ(must(store().unread_notifications(agent_.id)), 2);
  EXPECT_EQ(must(store().unread_notifications(customer_.id)), 2);
}

TEST_P(NotificationContract, MarkingListedIdsTouchesOnlyTheUsersUnread) {
  const auto agents = add_for(agent_.id, 1, 4);
  const auto customers = add_for(customer_.id, 10, 2);
  EXPECT_EQ(must(store().mark_notifications_read(agent_.id, {agents[0]}, at(100))), 1);

  // Already read, another user's, unknown and repeated ids are not counted.
  EXPECT_EQ(
      must(store().mark_notifications_read(
          agent_.id, {agents[0], agents[2], customers[0], customers[1] + 100, agents[2]}, at(200))),
      1);

  const auto stored = must(store().notifications({.user = agent_.id}));
  ASSERT_EQ(ids_of(stored), newest_first(agents));
  EXPECT_FALSE(stored[0].read_at);            // agents[3]
  EXPECT_TRUE(stored[1].read_at == at(200));  // agents[2]
  EXPECT_FALSE(stored[2].read_at);            // agents[1]
  EXPECT_TRUE(stored[3].read_at == at(100)) << "a read one keeps when it was read";
  for (const auto& n : must(store().notifications({.user = customer_.id})))
    EXPECT_FALSE(n.read_at) << "another user's notification " << n.id;
  EXPECT_EQ(must(store().unread_notifications(agent_.id)), 2);
  EXPECT_EQ(must(store().unread_notifications(customer_.id)), 2);

  // Only another user's: nothing changes.
  EXPECT_EQ(must(store().mark_notifications_read(customer_.id, {agents[1], agents[3]}, at(300))),
            0);
  EXPECT_EQ(must(store().unread_notifications(agent_.id)), 2);
}

TEST_P(NotificationContract, MarkingWithoutIdsMarksAllOfTheUsersUnread) {
  const auto agents = add_for(agent_.id, 1, 3);
  (void)add_for(customer_.id, 10, 2);
  EXPECT_EQ(must(store().mark_notifications_read(agent_.id, {agents[1]}, at(100))), 1);

  EXPECT_EQ(must(store().mark_notifications_read(agent_.id, {}, at(200))), 2);
  const auto stored = must(store().notifications({.user = agent_.id}));
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_TRUE(stored[0].read_at == at(200));
  EXPECT_TRUE(stored[1].read_at == at(100)) << "a read one keeps when it was read";
  EXPECT_TRUE(stored[2].read_at == at(200));
  EXPECT_EQ(must(store().unread_notifications(agent_.id)), 0);
  EXPECT_TRUE(must(store().notifications({.user = agent_.id, .unread_only = true})).empty());
  EXPECT_EQ(must(store().unread_notifications(customer_.id)), 2) << "another user's stay unread";

  EXPECT_EQ(must(store().mark_notifications_read(agent_.id, {}, at(300))), 0) << "none left";
  EXPECT_EQ(must(store().mark_notifications_read(agent_.id + 100, {}, at(300))), 0);
}

}  // namespace
}  // namespace fl::store_contract
