#include "app/notification_service.hpp"

#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

class NotificationTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    notifications = std::make_unique<NotificationService>(*store, clock);
    ASSERT_EQ(ok(notifications->follow()), 0) << "the first run only sets the cursor";
  }

  std::vector<Notification> of(const Actor& who) {
    ok(notifications->follow());
    return ok(notifications->list(who, false, std::nullopt, 50));
  }

  std::unique_ptr<NotificationService> notifications;
};

}  // namespace

TEST_F(NotificationTest, AssignedToMeInMyLanguage) {
  Ticket t = open_ticket(c1, "Drucker druckt nicht");
  EXPECT_TRUE(of(l1).empty());
  ok(tickets->update(sup, t.id, {.assignee = l1.user.id}));
  auto got = of(l1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, NotificationKind::assigned);
  EXPECT_EQ(got[0].ticket, t.id);
  EXPECT_EQ(got[0].text, "Assigned to you: #" + std::to_string(t.number) + ": Drucker druckt nicht");
  EXPECT_FALSE(got[0].read_at);

  // Who assigns themselves is not told.
  Ticket mine = open_ticket(c1);
  ok(tickets->update(l1, mine.id, {.assignee = l1.user.id}));
  EXPECT_EQ(of(l1).size(), 1u);

}

TEST_F(NotificationTest, EscalationsReachTheReceivingTeamAndRepliesTheAssignee) {
  Actor dirk = person("dirk", Role::agent, std::nullopt, {desktop.id});
  Ticket t = open_ticket(c1);
  ok(tickets->escalate(l1, t.id, {.to_line = 2, .to_team = desktop.id,
                                  .reason = EscalationReason::needs_expertise,
                                  .handoff_note = "Driver reinstalled."}));
  for (const Actor& member : {l2, dirk}) {
    auto got = of(member);
    ASSERT_EQ(got.size(), 1u) << member.user.login;
    EXPECT_EQ(got[0].kind, NotificationKind::team_received);
    EXPECT_TRUE(got[0].text.starts_with("Escalated to your team: #")) << got[0].text;
  }
  EXPECT_TRUE(of(l1).empty()) << "the one who escalated";
  EXPECT_TRUE(of(c1).empty()) << "customers get none";

  // Unassigned: the customer's reply goes to the team; assigned: to the assignee only.
  ok(tickets->add_entry(c1, t.id, {.kind = EntryKind::reply, .body = "Any news?"}));
  EXPECT_EQ(of(dirk).size(), 2u);
  ok(tickets->update(l2, t.id, {.assignee = l2.user.id}));
  ok(tickets->add_entry(c1, t.id, {.kind = EntryKind::reply, .body = "Hello?"}));
  EXPECT_EQ(of(dirk).size(), 2u);
  auto l2s = of(l2);
  ASSERT_EQ(l2s.size(), 3u) << "team, reply while unassigned, reply to the assignee";
  EXPECT_EQ(l2s[0].kind, NotificationKind::customer_replied) << "newest first";
}

TEST_F(NotificationTest, GermanTextsAndReading) {
  Actor anna = person("anna", Role::agent, std::nullopt, {desk.id});
  User u = ok(directory->create_user(
      nullptr, {"jonas", "Jonas", "jonas@x.example", Role::agent, std::nullopt, {desk.id}, "de", ""}));
  Actor jonas = ok(directory->actor_for(u));
  Ticket a = open_ticket(c1, "VPN");
  Ticket b = open_ticket(c1, "Outlook");
  ok(tickets->update(sup, a.id, {.assignee = jonas.user.id}));
  ok(tickets->update(sup, b.id, {.assignee = jonas.user.id}));
  auto got = of(jonas);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].text, "Ihnen zugewiesen: #" + std::to_string(a.number) + ": VPN");
  EXPECT_EQ(ok(notifications->unread(jonas)), 2);
  EXPECT_EQ(ok(notifications->mark_read(jonas, {got[1].id, 999999})), 1);
  EXPECT_EQ(ok(notifications->unread(jonas)), 1);
  EXPECT_EQ(ok(notifications->list(jonas, true, std::nullopt, 50)).size(), 1u);
  EXPECT_EQ(ok(notifications->mark_read(anna, {got[0].id})), 0) << "not hers";
  EXPECT_EQ(ok(notifications->mark_read(jonas, {})), 1) << "all";
  EXPECT_EQ(ok(notifications->unread(jonas)), 0);
  // Following again derives nothing twice.
  ok(notifications->follow());
  EXPECT_EQ(of(jonas).size(), 2u);
}

TEST_F(NotificationTest, DerivingIsIdempotentAfterACrash) {
  Ticket t = open_ticket(c1);
  ok(tickets->update(sup, t.id, {.assignee = l1.user.id}));
  // A follower that read the events but died before storing: a new one derives them again.
  auto again = std::make_unique<NotificationService>(*store, clock);
  ok(again->follow());
  ok(notifications->follow());
  EXPECT_EQ(ok(notifications->list(l1, false, std::nullopt, 50)).size(), 1u);
}

}  // namespace fl::testing
