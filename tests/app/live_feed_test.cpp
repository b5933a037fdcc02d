// The live feed's hub on a real SQLite desk: who is told what about which event, resume,
// and credentials. The follower's work is driven by hand (poll, check_clients) on the fake
// clock; messages are recorded in a readable short form instead of JSON.
#include "app/live_feed.hpp"

#include <gmock/gmock.h>
#include <sqlite3.h>

#include <mutex>

#include "app/telephony.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "event ticket.created #3 @17", "ticket #3 @18", "left #3 @19", "subscribed @17 +2", ...
class ShortForm final : public LiveEncoder {
 public:
  [[nodiscard]] std::string encode(const LiveMessage& m) const override {
    using K = LiveMessage::Kind;
    const std::string at = " @" + std::to_string(m.cursor);
    switch (m.kind) {
      case K::authenticated:
        return "authenticated " + m.user->login;
      case K::subscribed:
        return "subscribed" + at + " +" + std::to_string(m.replayed);
      case K::unsubscribed:
        return "unsubscribed" + at;
      case K::event:
        return "event " + m.event->type + " #" + std::to_string(m.ticket->id) + at;
      case K::ticket:
        return "ticket #" + std::to_string(m.ticket->id) + at;
      case K::ticket_left:
        return "left #" + std::to_string(m.ticket_id) + at;
      case K::resync:
        return "resync" + at;
      case K::cursor:
        return "cursor" + at;
      case K::error:
        return "error " + m.detail;
      case K::pong:
        return "pong";
      case K::call:
        return "call " + m.call->call.call_id + " " +
               (m.call->caller && !m.call->caller->users.empty()
                    ? m.call->caller->users.front().login
                    : "unknown");
    }
    return "?";
  }
};

// Records what a client was sent, without the cursors (tests compare the rest).
class Inbox final : public LiveOutbox {
 public:
  bool send(std::shared_ptr<const std::string> message) override {
    std::lock_guard lock(mutex_);
    if (closed_ || refuse) return false;
    raw_.push_back(*message);
    return true;
  }
  void close(LiveClose why, std::string_view detail) override {
    std::lock_guard lock(mutex_);
    closed_ = why;
    close_detail = detail;
  }

  // The messages since the last take, with " @cursor" cut off.
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (auto& m : raw_) out.push_back(m.substr(0, m.find(" @")));
    raw_.clear();
    return out;
  }
  std::vector<std::string> take_raw() {
    std::lock_guard lock(mutex_);
    return std::exchange(raw_, {});
  }
  std::optional<LiveClose> closed() {
    std::lock_guard lock(mutex_);
    return closed_;
  }

  bool refuse = false;
  std::string close_detail;

 private:
  std::mutex mutex_;
  std::vector<std::string> raw_;
  std::optional<LiveClose> closed_;
};

// The cursor in a recorded message ("... @17" -> 17).
EventId cursor_in(const std::string& message) {
  return std::stoll(message.substr(message.rfind('@') + 1));
}

struct Client {
  std::shared_ptr<Inbox> inbox;
  std::unique_ptr<LiveSession> session;
};

class LiveFeedTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    auth = std::make_unique<AuthService>(*store, hasher, tokens, *directory, clock);
    start_feed();
  }

  static void done(Result<void> r) {
    EXPECT_TRUE(r) << r.error().message;
    if (!r) throw std::runtime_error(r.error().message);
  }

  void start_feed(LiveFeedOptions options = {}) {
    feed.reset();
    feed = std::make_unique<LiveFeed>(*store, *auth, encoder, clock, options);
    done(feed->start_at(ok(store->latest_event_id())));
  }

  std::string bearer(const Actor& who) {
    return "Bearer " + ok(auth->create_api_token(who, "live feed test")).token;
  }

  // A client signed in as `who`, subscribed to `s` (when given), its inbox emptied.
  Client connect(const Actor& who, std::optional<LiveSubscription> s = std::nullopt) {
    Client c{std::make_shared<Inbox>(), nullptr};
    c.session = feed->connect(c.inbox);
    done(c.session->authenticate(bearer(who)));
    if (s) done(c.session->subscribe(*s, std::nullopt));
    c.inbox->take();
    return c;
  }

  // Delivers everything committed so far.
  void deliver() {
    while (ok(feed->poll()) > 0) {
    }
  }

  EscalationRequest to_line(int line, TeamId team) {
    return {.to_line = line,
            .to_team = team,
            .reason = EscalationReason::needs_expertise,
            .handoff_note = "Restarted, reinstalled the driver."};
  }

  SodiumTokenMinter tokens;
  std::unique_ptr<AuthService> auth;
  ShortForm encoder;
  std::unique_ptr<LiveFeed> feed;
};

LiveSubscription team_queue(TeamId t) {
  return {.teams = {t}};
}
LiveSubscription line_queue(int l) {
  return {.lines = {l}};
}
LiveSubscription everything() {
  return {.all = true};
}
LiveSubscription mine() {
  return {.mine = true};
}
LiveSubscription ticket(TicketId t) {
  return {.tickets = {t}};
}

}  // namespace

// "event ticket.created #3", "ticket #3", "left #3" for a ticket.
std::string ev(std::string_view type, const Ticket& t) {
  return "event ticket." + std::string(type) + " #" + std::to_string(t.id);
}
std::string changed(const Ticket& t) {
  return "ticket #" + std::to_string(t.id);
}
std::string left(const Ticket& t) {
  return "left #" + std::to_string(t.id);
}

TEST_F(LiveFeedTest, QueuesGetTheTicketsOfTheirTeamOrLine) {
  auto desk_queue = connect(l1, team_queue(desk.id));
  auto line1 = connect(sup, line_queue(1));
  auto line2 = connect(l2, line_queue(2));
  auto partner_queue = connect(pa, team_queue(partner.id));
  auto partner_all = connect(pa, everything());
  Ticket t = open_ticket(c1);  // Acme's: the internal desk
  deliver();
  EXPECT_THAT(desk_queue.inbox->take(), ElementsAre(ev("created", t)));
  EXPECT_THAT(line1.inbox->take(), ElementsAre(ev("created", t)));
  EXPECT_THAT(line2.inbox->take(), IsEmpty());
  EXPECT_THAT(partner_queue.inbox->take(), IsEmpty());

  Ticket g = open_ticket(c2);  // Globex's: the partner desk serves it
  deliver();
  EXPECT_THAT(partner_queue.inbox->take(), ElementsAre(ev("created", g)));
  EXPECT_THAT(partner_all.inbox->take(), ElementsAre(ev("created", g)))
      << "all: the outsourced desk's organisations, not Acme's";
  EXPECT_THAT(desk_queue.inbox->take(), IsEmpty());
}

TEST_F(LiveFeedTest, AnEscalationLeavesTheOldQueueAndReachesTheNewOne) {
  Ticket t = open_ticket(c1);
  deliver();  // before anyone follows it
  auto desk_queue = connect(l1, team_queue(desk.id));
  auto l1_all = connect(l1, everything());
  auto desktop_queue = connect(l2, team_queue(desktop.id));
  ok(tickets->escalate(l1, t.id, to_line(2, desktop.id)));
  deliver();
  EXPECT_THAT(desk_queue.inbox->take(), ElementsAre(left(t))) << "escalated away";
  EXPECT_THAT(l1_all.inbox->take(), ElementsAre(ev("escalated", t)))
      << "the first-line team keeps the ticket in sight";
  EXPECT_THAT(desktop_queue.inbox->take(), ElementsAre(ev("escalated", t)));

  // Returned: it comes back to the desk's queue and leaves line 2's.
  ok(tickets->return_to(l2, t.id, {.note = "Needs the user's password reset first."}));
  deliver();
  EXPECT_THAT(desk_queue.inbox->take(), ElementsAre(ev("returned", t)));
  EXPECT_THAT(desktop_queue.inbox->take(), ElementsAre(left(t)));
}

TEST_F(LiveFeedTest, ChangesReadInOneBatchAreJudgedEachAsItWas) {
  auto desk_queue = connect(l1, team_queue(desk.id));
  auto desktop_queue = connect(l2, team_queue(desktop.id));
  Ticket t = open_ticket(c1);
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::note, .body = "Tried a restart."}));
  ok(tickets->escalate(l1, t.id, to_line(2, desktop.id)));
  deliver();  // all three at once, the ticket loaded as it is now (at line 2)
  EXPECT_THAT(desk_queue.inbox->take(),
              ElementsAre(ev("created", t), ev("entry_added", t), left(t)));
  EXPECT_THAT(desktop_queue.inbox->take(), ElementsAre(ev("escalated", t)));
}

TEST_F(LiveFeedTest, CustomersSeeTheirOwnTicketsAndNoInternalNotes) {
  auto mine_c1 = connect(c1, mine());
  auto all_c1 = connect(c1, everything());
  auto all_c2 = connect(c2, everything());
  Ticket t = open_ticket(c1);
  auto spy = connect(c2, ticket(t.id));  // another customer naming the ticket's id
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::note, .body = "Customer is VIP."}));
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "Please restart it."}));
  ok(tickets->update(l1, t.id, {.impact = 2}));
  deliver();
  EXPECT_THAT(mine_c1.inbox->take(),
              ElementsAre(ev("created", t),
                          changed(t),  // the note: the ticket changed, nothing more
                          ev("entry_added", t), ev("status_changed", t),  // the reply opened it
                          changed(t)));  // impact: an internal event
  EXPECT_EQ(all_c1.inbox->take().size(), 5u);
  EXPECT_THAT(all_c2.inbox->take(), IsEmpty());
  EXPECT_THAT(spy.inbox->take(), IsEmpty()) << "nothing about a ticket one may not see";
}

TEST_F(LiveFeedTest, AVendorSeesOnlyWhatIsEscalatedToIt) {
  Ticket t = open_ticket(c1);
  deliver();  // before anyone follows it
  auto vendor_all = connect(va, everything());
  auto vendor_queue = connect(va, team_queue(vendor.id));
  ok(tickets->escalate(l1, t.id, to_line(3, network.id)));
  ok(tickets->add_entry(l3, t.id, {.kind = EntryKind::note, .body = "Switch port flaps."}));
  deliver();
  EXPECT_THAT(vendor_all.inbox->take(), IsEmpty());

  ok(tickets->escalate(l3, t.id, to_line(4, vendor.id)));
  ok(tickets->add_entry(va, t.id, {.kind = EntryKind::reply, .body = "Firmware 2.1 fixes it."}));
  ok(tickets->add_entry(va, t.id, {.kind = EntryKind::note, .body = "Case 4711."}));
  deliver();
  for (auto* c : {&vendor_all, &vendor_queue})
    EXPECT_THAT(c->inbox->take(),
                ElementsAre(ev("escalated", t),  // with the hand-off note
                            ev("entry_added", t), ev("status_changed", t),
                            changed(t)));  // its own internal note: not in its timeline either

  ok(tickets->return_to(va, t.id, {.to_line = 3, .to_team = network.id, .note = "Fixed."}));
  deliver();
  EXPECT_THAT(vendor_all.inbox->take(), ElementsAre(left(t))) << "out of the vendor's sight";
  EXPECT_THAT(vendor_queue.inbox->take(), ElementsAre(left(t)));
}

TEST_F(LiveFeedTest, MineFollowsTheAssignee) {
  Actor dora = person("dora", Role::agent, std::nullopt, {desk.id});
  Ticket t = open_ticket(c1);
  deliver();  // before anyone follows it
  auto l1_mine = connect(l1, mine());
  auto dora_mine = connect(dora, mine());
  ok(tickets->update(sup, t.id, {.assignee = l1.user.id}));
  deliver();
  EXPECT_THAT(l1_mine.inbox->take(), ElementsAre(ev("updated", t)));
  EXPECT_THAT(dora_mine.inbox->take(), IsEmpty());

  ok(tickets->update(sup, t.id, {.assignee = dora.user.id}));
  deliver();
  EXPECT_THAT(l1_mine.inbox->take(), ElementsAre(left(t)));
  EXPECT_THAT(dora_mine.inbox->take(), ElementsAre(ev("updated", t)));

  // A move clears the assignee: the holder is told even though the event does not name them.
  ok(tickets->escalate(l1, t.id, to_line(2, desktop.id)));
  deliver();
  EXPECT_THAT(dora_mine.inbox->take(), ElementsAre(left(t)));
  EXPECT_THAT(l1_mine.inbox->take(), IsEmpty());
}

TEST_F(LiveFeedTest, ATicketSubscriptionFollowsItAcrossQueues) {
  Ticket t = open_ticket(c1);
  deliver();  // before anyone follows it
  auto sup_ticket = connect(sup, ticket(t.id));
  auto l1_ticket = connect(l1, ticket(t.id));
  ok(tickets->escalate(l1, t.id, to_line(3, network.id)));
  ok(tickets->add_entry(l3, t.id, {.kind = EntryKind::note, .body = "Cable swapped."}));
  Ticket other = open_ticket(c1);
  deliver();
  EXPECT_THAT(sup_ticket.inbox->take(), ElementsAre(ev("escalated", t), ev("entry_added", t)));
  EXPECT_THAT(l1_ticket.inbox->take(), ElementsAre(ev("escalated", t), ev("entry_added", t)))
      << "the origin team keeps sight of it";
  (void)other;
}

TEST_F(LiveFeedTest, UnsubscribeStops) {
  auto c = connect(l1, team_queue(desk.id));
  done(c.session->subscribe(everything(), std::nullopt));
  c.inbox->take();
  done(c.session->unsubscribe(team_queue(desk.id)));
  EXPECT_THAT(c.inbox->take(), ElementsAre("unsubscribed"));
  open_ticket(c1);
  deliver();
  EXPECT_EQ(c.inbox->take().size(), 1u) << "still subscribed to all";
  done(c.session->unsubscribe({}));  // everything
  c.inbox->take();
  open_ticket(c1);
  deliver();
  EXPECT_THAT(c.inbox->take(), IsEmpty());
}

TEST_F(LiveFeedTest, ResumeReplaysWhatWasMissedThenGoesLive) {
  auto first = connect(l1);
  done(first.session->subscribe(team_queue(desk.id), std::nullopt));
  auto ack = first.inbox->take_raw();
  ASSERT_EQ(ack.size(), 1u);
  const EventId seen = cursor_in(ack[0]);
  first.session->disconnect();

  Ticket a = open_ticket(c1, "Missed one");
  open_ticket(c2, "Globex: not the desk's");
  Ticket b = open_ticket(c1, "Missed two");
  deliver();

  auto again = connect(l1);
  done(again.session->subscribe(team_queue(desk.id), seen));
  EXPECT_THAT(again.inbox->take(), ElementsAre(ev("created", a), ev("created", b), "subscribed"));
  Ticket c = open_ticket(c1, "Live again");
  deliver();
  EXPECT_THAT(again.inbox->take(), ElementsAre(ev("created", c)));

  // A resume from where it already is brings nothing.
  auto third = connect(l1);
  done(third.session->subscribe(team_queue(desk.id), ok(store->latest_event_id())));
  EXPECT_THAT(third.inbox->take(), ElementsAre("subscribed"));
}

TEST_F(LiveFeedTest, EventsCommittedWhileAResumeIsReadAreHeldNotLost) {
  Ticket a = open_ticket(c1);
  deliver();
  const EventId before_b = ok(store->latest_event_id());
  // Committed but not yet delivered when the client resumes: the resume stops at the
  // follower's cursor and the follower delivers the rest.
  auto c = connect(l1);
  Ticket b = open_ticket(c1);
  done(c.session->subscribe(team_queue(desk.id), before_b - 1));
  deliver();
  EXPECT_THAT(c.inbox->take(), ElementsAre(ev("created", a), "subscribed", ev("created", b)));
}

TEST_F(LiveFeedTest, ATooLongAbsenceAsksForAResync) {
  LiveFeedOptions options;
  options.resume_messages = 2;
  start_feed(options);
  const EventId seen = ok(store->latest_event_id());
  for (int i = 0; i < 3; ++i) open_ticket(c1);
  deliver();
  auto c = connect(l1);
  done(c.session->subscribe(team_queue(desk.id), seen));
  auto got = c.inbox->take_raw();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "resync @" + std::to_string(ok(store->latest_event_id())));
  EXPECT_TRUE(got[1].starts_with("subscribed")) << got[1];
}

TEST_F(LiveFeedTest, ChangesWrittenByAnotherProcessArrive) {
  auto c = connect(l1, team_queue(desk.id));
  // A second store and service on the same file, as another node would have.
  auto other = ok(SqliteStore::open(dir.path() / "desk.db"));
  TicketService elsewhere(*other, clock);
  Ticket t = ok(elsewhere.create(c1, {.subject = "From the other node"}));
  deliver();
  EXPECT_THAT(c.inbox->take(), ElementsAre(ev("created", t)));
}

TEST_F(LiveFeedTest, AClientThatFallsBehindDoesNotHoldUpTheOthers) {
  auto slow = connect(l1, team_queue(desk.id));
  auto fine = connect(sup, team_queue(desk.id));
  slow.inbox->refuse = true;  // its transport is full
  Ticket t = open_ticket(c1);
  deliver();
  EXPECT_THAT(fine.inbox->take(), ElementsAre(ev("created", t)));
  EXPECT_EQ(feed->stats().dropped, 1);
}

TEST_F(LiveFeedTest, OnlyTheClientsAnEventConcernsAreAsked) {
  std::vector<Client> bystanders;
  for (int i = 0; i < 100; ++i) bystanders.push_back(connect(l3, team_queue(network.id)));
  for (int i = 0; i < 100; ++i) bystanders.push_back(connect(c2, everything()));
  for (int i = 0; i < 50; ++i) bystanders.push_back(connect(va, everything()));
  auto c = connect(l1, team_queue(desk.id));
  const auto judged = feed->stats().judged;
  Ticket t = open_ticket(c1);
  deliver();
  EXPECT_THAT(c.inbox->take(), ElementsAre(ev("created", t)));
  EXPECT_EQ(feed->stats().judged - judged, 1)
      << "not those on another team, nor other customers or vendors following all they see";
}

TEST_F(LiveFeedTest, AuthenticationFirstAndWithinTheTimeout) {
  auto inbox = std::make_shared<Inbox>();
  auto session = feed->connect(inbox);
  auto refused = session->subscribe(everything(), std::nullopt);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unauthenticated);

  clock.advance(std::chrono::seconds(4));
  feed->check_clients();
  EXPECT_FALSE(inbox->closed()) << "still within the time to authenticate";
  clock.advance(std::chrono::seconds(2));
  feed->check_clients();
  EXPECT_EQ(inbox->closed(), LiveClose::unauthenticated);

  // A wrong token closes at once.
  auto other = std::make_shared<Inbox>();
  auto s2 = feed->connect(other);
  EXPECT_FALSE(s2->authenticate("Bearer not-a-token"));
  EXPECT_EQ(other->closed(), LiveClose::unauthenticated);
}

TEST_F(LiveFeedTest, BadSubscriptionsAreRefusedAndTheClientStays) {
  LiveFeedOptions options;
  options.max_tickets = 2;
  start_feed(options);
  auto c = connect(l1);
  EXPECT_EQ(c.session->subscribe(line_queue(7), std::nullopt).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(c.session->subscribe({.tickets = {1, 2, 3}}, std::nullopt).error().code,
            ErrorCode::invalid_argument);
  EXPECT_TRUE(c.session->subscribe({.tickets = {1, 2}}, std::nullopt));
  EXPECT_FALSE(c.inbox->closed());
}

TEST_F(LiveFeedTest, ARevokedTokenStopsTheFeed) {
  auto issued = ok(auth->create_api_token(l1, "wallboard"));
  auto inbox = std::make_shared<Inbox>();
  auto session = feed->connect(inbox);
  done(session->authenticate("Bearer " + issued.token));
  done(session->subscribe(team_queue(desk.id), std::nullopt));
  EXPECT_THAT(inbox->take(), ElementsAre("authenticated l1", "subscribed"));

  done(auth->revoke_api_token(l1, issued.credential.id));
  clock.advance(std::chrono::seconds(1));
  feed->check_clients();
  EXPECT_EQ(inbox->closed(), LiveClose::unauthenticated);
  open_ticket(c1);
  deliver();
  EXPECT_THAT(inbox->take(), IsEmpty());
  EXPECT_EQ(feed->stats().clients, 0);
}

TEST_F(LiveFeedTest, ADisabledAccountStopsTheFeed) {
  auto c = connect(l2, line_queue(2));
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "desk.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql = "UPDATE users SET active = 0 WHERE id = " + std::to_string(l2.user.id);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  // Another node's change: seen once the authentication cache (5 s) has expired.
  clock.advance(std::chrono::seconds(6));
  feed->check_clients();
  EXPECT_EQ(c.inbox->closed(), LiveClose::unauthenticated);
  EXPECT_EQ(c.inbox->close_detail, "the account is disabled");
}

TEST_F(LiveFeedTest, AQuietClientIsToldTheCursor) {
  auto c = connect(l1, team_queue(desk.id));
  open_ticket(c2);  // the partner desk's: nothing for l1
  deliver();
  EXPECT_THAT(c.inbox->take(), IsEmpty());
  clock.advance(std::chrono::seconds(16));
  feed->check_clients();
  auto got = c.inbox->take_raw();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], "cursor @" + std::to_string(ok(store->latest_event_id())));
}

TEST_F(LiveFeedTest, StopClosesEveryClient) {
  auto c = connect(l1, everything());
  feed->stop();
  EXPECT_EQ(c.inbox->closed(), LiveClose::going_away);
}

}  // namespace fl::testing
