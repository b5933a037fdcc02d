// Rules at work on a real SQLite file with a clock moved by hand: trigger rules on the event
// feed, time-based rules on stored timers, each firing once per source (across a crash and a
// restart), rules never triggering rules, failures recorded, notices and access.
#include "app/rule_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include "app/notification_service.hpp"
#include "app/sla_service.hpp"
#include "app/webhook_service.hpp"
#include "webhooks/curl_sender.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class RuleServiceTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    admin = person("admin", Role::admin, std::nullopt, {});
    sla = std::make_unique<SlaService>(*store, clock);
    ASSERT_TRUE(sla->load());
    tickets = std::make_unique<TicketService>(*store, clock, sla.get());
    rules = std::make_unique<RuleService>(*store, clock, *sla);
    ASSERT_TRUE(rules->load());
    // The follower's first run starts at the newest event: the directory set-up is history.
    ok(rules->follow());
  }

  Rule save(Rule r) { return ok(rules->save(admin, std::move(r))); }

  // Runs the follower until it has read everything; returns how many events it read.
  int follow_all() {
    int total = 0;
    for (int read = 1; read > 0; total += read) read = ok(rules->follow(1000));
    return total;
  }

  std::vector<Event> fired(TicketId id) {
    std::vector<Event> out;
    for (auto& e : ok(store->ticket_events(id)))
      if (e.type == event_type::rule_fired) out.push_back(e);
    return out;
  }

  static boost::json::object payload(const Event& e) {
    return boost::json::parse(e.payload).as_object();
  }

  // Moves the follower's cursor back, as a crash between a firing's commit and the cursor's
  // write would leave it.
  void rewind_cursor(EventId to) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "desk.db").c_str(), &db), SQLITE_OK);
    const std::string sql =
        "UPDATE feed_cursors SET event_id = " + std::to_string(to) + " WHERE name = 'rules'";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }

  Actor admin;
  std::unique_ptr<SlaService> sla;
  std::unique_ptr<RuleService> rules;
};

Rule printer_rule() {
  Rule r;
  r.name = "Printers to the printer queue";
  r.on = {RuleTrigger::created};
  r.conditions = {{RuleField::subject, RuleOperator::contains, {"printer"}}};
  r.actions = {{.kind = RuleActionKind::add_tag, .value = "printer"},
               {.kind = RuleActionKind::set_category, .value = "printer"},
               {.kind = RuleActionKind::set_priority, .urgency = 1}};
  return r;
}

TEST_F(RuleServiceTest, ATriggerRuleActsOnceAndRecordsWhyAcrossACrash) {
  save(printer_rule());
  const EventId before = ok(store->latest_event_id());
  auto printer = open_ticket(c1, "Printer on floor 2 is jammed");
  auto other = open_ticket(c1, "VPN drops every hour");
  follow_all();

  auto t = ok(store->ticket(printer.id));
  EXPECT_THAT(t.tags, ElementsAre("printer"));
  EXPECT_EQ(t.category, "printer");
  EXPECT_EQ(t.urgency, 1);
  EXPECT_TRUE(ok(store->ticket(other.id)).tags.empty()) << "its conditions do not hold";
  auto records = fired(printer.id);
  ASSERT_EQ(records.size(), 1u);
  auto p = payload(records[0]);
  EXPECT_EQ(p.at("rule_name").as_string(), "Printers to the printer queue");
  EXPECT_EQ(p.at("source_type").as_string(), "ticket.created");
  EXPECT_EQ(p.at("by").as_string(), "rule");
  // The changes are the rule's, not a person's.
  for (auto& e : ok(store->ticket_events(printer.id)))
    if (e.type == event_type::ticket_updated) {
      EXPECT_EQ(payload(e).at("by").as_string(), "rule");
    }

  // A crash after the commit and before the cursor moved: the same events are read again.
  rewind_cursor(before);
  EXPECT_GT(follow_all(), 0);
  EXPECT_EQ(fired(printer.id).size(), 1u) << "fired once per source";
  EXPECT_EQ(ok(store->ticket(printer.id)).version, t.version);
}

TEST_F(RuleServiceTest, RulesNeverTriggerRulesSoLoopsCannotForm) {
  // Two rules that would undo each other forever if rules' changes triggered rules.
  Rule ping;
  ping.name = "ping";
  ping.on = {RuleTrigger::updated};
  ping.conditions = {{RuleField::tag, RuleOperator::is_not, {"ping"}}};
  ping.actions = {{.kind = RuleActionKind::add_tag, .value = "ping"}};
  Rule pong;
  pong.name = "pong";
  pong.on = {RuleTrigger::updated};
  pong.conditions = {{RuleField::tag, RuleOperator::is, {"ping"}}};
  pong.actions = {{.kind = RuleActionKind::remove_tag, .value = "ping"},
                  {.kind = RuleActionKind::add_tag, .value = "pong"}};
  save(ping);
  save(pong);
  auto t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.category = "network"}));
  const int read = follow_all();
  EXPECT_LT(read, 20) << "the follower comes to rest";
  EXPECT_EQ(ok(rules->follow()), 0);
  // Both answered the agent's change once (in rule order); neither answered the other.
  EXPECT_EQ(fired(t.id).size(), 2u);
  EXPECT_THAT(ok(store->ticket(t.id)).tags, ElementsAre("pong"));
}

TEST_F(RuleServiceTest, TheEventsFactsAreConditions) {
  Rule r;
  r.name = "customer replies on a pending ticket";
  r.on = {RuleTrigger::entry_added};
  r.conditions = {{RuleField::by, RuleOperator::is, {"customer"}},
                  {RuleField::entry_kind, RuleOperator::is, {"reply"}}};
  r.actions = {{.kind = RuleActionKind::add_tag, .value = "customer-answered"}};
  save(r);
  auto t = open_ticket(c1);
  ok(tickets->add_entry(l1, t.id, {EntryKind::reply, "Did you restart it?", std::nullopt}));
  follow_all();
  EXPECT_TRUE(ok(store->ticket(t.id)).tags.empty()) << "an agent's reply";
  ok(tickets->add_entry(c1, t.id, {EntryKind::reply, "Yes, twice.", std::nullopt}));
  follow_all();
  EXPECT_THAT(ok(store->ticket(t.id)).tags, ElementsAre("customer-answered"));
}

TEST_F(RuleServiceTest, AFailingActionIsRecordedAndTheOthersStillHappen) {
  Rule r;
  r.name = "impossible status";
  r.on = {RuleTrigger::status_changed};
  r.conditions = {{RuleField::status, RuleOperator::is, {"resolved"}}};
  r.actions = {{.kind = RuleActionKind::set_status, .status = TicketStatus::new_},
               {.kind = RuleActionKind::add_tag, .value = "seen"}};
  save(r);
  auto t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  follow_all();
  auto after = ok(store->ticket(t.id));
  EXPECT_THAT(after.tags, ElementsAre("seen"));
  auto records = fired(t.id);
  ASSERT_EQ(records.size(), 1u);
  auto p = payload(records[0]);
  ASSERT_TRUE(p.contains("failed"));
  EXPECT_EQ(p.at("failed").as_array().at(0).at("type").as_string(), "set_status");
  EXPECT_EQ(after.status, TicketStatus::resolved) << "a ticket never goes back to new";
}

TEST_F(RuleServiceTest, ATimeBasedRuleFiresOnceWhenTheWaitIsOverAlsoAfterARestart) {
  Rule close;
  close.name = "close after 7 days";
  close.wait = RuleWait{{TicketStatus::resolved}, std::chrono::days(7), std::nullopt};
  close.actions = {{.kind = RuleActionKind::set_status, .status = TicketStatus::closed}};
  save(close);
  auto t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  follow_all();

  clock.advance(std::chrono::days(6));
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 0) << "nothing due yet";
  EXPECT_EQ(ok(store->ticket(t.id)).status, TicketStatus::resolved);

  // The server was down when the wait ended: a new service finds the timer in the store.
  clock.advance(std::chrono::days(2));
  RuleService restarted(*store, clock, *sla);
  ASSERT_TRUE(restarted.load());
  EXPECT_EQ(ok(restarted.fire_due(clock.now())), 1);
  EXPECT_EQ(ok(store->ticket(t.id)).status, TicketStatus::closed);
  EXPECT_EQ(ok(restarted.fire_due(clock.now())), 0);
  follow_all();
  clock.advance(std::chrono::days(30));
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 0);
  EXPECT_EQ(fired(t.id).size(), 1u);
}

TEST_F(RuleServiceTest, AReplyRestartsTheWaitButARulesOwnReminderDoesNot) {
  Rule remind;
  remind.name = "remind";
  remind.wait = RuleWait{{TicketStatus::pending_customer}, std::chrono::days(3), std::nullopt};
  remind.actions = {{.kind = RuleActionKind::reply,
                     .text = {.en = "Hello {{requester.name}}, any news on #{{ticket.number}}?",
                              .de = "Hallo {{requester.name}}, gibt es Neues?"}}};
  save(remind);
  auto t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::pending_customer}));
  follow_all();
  clock.advance(std::chrono::days(2));
  ok(tickets->add_entry(l1, t.id, {EntryKind::reply, "Please send a photo.", std::nullopt}));
  follow_all();
  clock.advance(std::chrono::days(2));
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 0) << "3 days counted from the agent's reply";
  clock.advance(std::chrono::days(1) + 1min);
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 1);
  follow_all();

  auto entries = ok(store->entries(t.id));
  const Entry& reminder = entries.back();
  EXPECT_EQ(reminder.kind, EntryKind::reply);
  EXPECT_EQ(reminder.body, "Hello c1, any news on #" + std::to_string(t.number) + "?");
  auto author = ok(store->user(reminder.author));
  EXPECT_EQ(author.login, kSystemLogin);
  EXPECT_EQ(ok(store->ticket(t.id)).status, TicketStatus::pending_customer);

  clock.advance(std::chrono::days(10));
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 0) << "once per wait";
  EXPECT_EQ(fired(t.id).size(), 1u);
}

TEST_F(RuleServiceTest, AWaitOnACalendarCountsBusinessTime) {
  auto office = ok(sla->save_calendar(admin, office_hours("Europe/Berlin", 9h, 17h)));
  Rule nudge;
  nudge.name = "nudge after a business day";
  nudge.wait = RuleWait{{TicketStatus::new_}, 8h, office.id};
  nudge.actions = {{.kind = RuleActionKind::add_tag, .value = "waiting"}};
  save(nudge);
  auto t = open_ticket(c1);
  follow_all();
  const auto due = sla->business_time_after(office.id, t.created_at, 8h);
  ASSERT_TRUE(due);
  EXPECT_GT(*due, t.created_at + 8h) << "nights do not count";
  clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock.now()) - 1min);
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 0);
  clock.advance(2min);
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 1);
  EXPECT_THAT(ok(store->ticket(t.id)).tags, ElementsAre("waiting"));
}

TEST_F(RuleServiceTest, ARuleSwitchedOffFiresNoMoreAndItsTimersGo) {
  Rule close;
  close.name = "close after a day";
  close.wait = RuleWait{{TicketStatus::resolved}, std::chrono::days(1), std::nullopt};
  close.actions = {{.kind = RuleActionKind::set_status, .status = TicketStatus::closed}};
  auto saved = save(close);
  auto t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  follow_all();
  saved.active = false;
  save(saved);
  follow_all();
  clock.advance(std::chrono::days(2));
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 1) << "the timer is looked at";
  EXPECT_EQ(ok(store->ticket(t.id)).status, TicketStatus::resolved);
  EXPECT_EQ(ok(rules->fire_due(clock.now())), 0) << "and gone";
}

TEST_F(RuleServiceTest, ANoticeReachesStaffInTheirLanguage) {
  auto german = ok(directory->actor_for(ok(directory->create_user(
      nullptr, {"sup.de", "Susi", "sup.de@x.example", Role::supervisor, std::nullopt, {desk.id},
                "de", ""}))));
  Rule r;
  r.name = "P1 to the supervisors";
  r.on = {RuleTrigger::created, RuleTrigger::updated};
  r.conditions = {{RuleField::priority, RuleOperator::is, {"P1"}}};
  r.actions = {{.kind = RuleActionKind::notify,
                .recipients = {Recipient::supervisors},
                .text = {.en = "Major incident", .de = "Großstörung"}}};
  save(r);
  NotificationService notifications(*store, clock);
  ok(notifications.follow());
  auto t = ok(tickets->create(c1, {.subject = "Nobody can log in", .impact = 1, .urgency = 1}));
  follow_all();
  ok(notifications.follow());
  auto list = ok(notifications.list(german, false, std::nullopt, 10));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].kind, NotificationKind::rule);
  EXPECT_THAT(list[0].text, HasSubstr("Großstörung"));
  EXPECT_THAT(list[0].text, HasSubstr(std::to_string(t.number)));
}

TEST_F(RuleServiceTest, AWebhookActionQueuesOneDeliveryPerSource) {
  CurlWebhookSender sender;  // nothing is sent here: the queue is what the rule fills
  WebhookService webhooks(*store, clock, sender);
  RuleService with_webhooks(*store, clock, *sla, &webhooks);
  ASSERT_TRUE(with_webhooks.load());
  Webhook hook;
  hook.name = "chatops";
  hook.url = "http://127.0.0.1:9/hook";
  hook = ok(webhooks.create(admin, hook));
  Rule r;
  r.name = "P1 to chat";
  r.on = {RuleTrigger::created};
  r.conditions = {{RuleField::priority, RuleOperator::is, {"P1"}}};
  r.actions = {{.kind = RuleActionKind::webhook, .webhook = hook.id}};
  auto saved = ok(with_webhooks.save(admin, r));
  r.actions[0].webhook = 4242;
  EXPECT_EQ(with_webhooks.save(admin, r).error().fields.at(0).field, "actions[0].webhook_id");

  const EventId before = ok(store->latest_event_id());
  auto t = ok(tickets->create(c1, {.subject = "Nobody can log in", .impact = 1, .urgency = 1}));
  for (int read = 1; read > 0;) read = ok(with_webhooks.follow());
  rewind_cursor(before);  // a crash: the same event read again
  for (int read = 1; read > 0;) read = ok(with_webhooks.follow());

  auto log = ok(store->deliveries(hook.id, std::nullopt, 10));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].rule, saved.id);
  EXPECT_EQ(log[0].state, DeliveryState::pending);
  auto body = boost::json::parse(log[0].body).as_object();
  EXPECT_EQ(body.at("rule").at("name").as_string(), "P1 to chat");
  EXPECT_EQ(body.at("ticket").at("id").as_int64(), t.id);
  auto records = fired(t.id);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(payload(records[0]).at("webhooks").as_array().at(0).as_int64(), hook.id);
  sender.stop();
}

TEST_F(RuleServiceTest, AdminsKeepRulesSupervisorsReadThemAgentsNeither) {
  EXPECT_EQ(rules->save(sup, printer_rule()).error().code, ErrorCode::permission_denied);
  auto saved = save(printer_rule());
  EXPECT_EQ(saved.version, 1);
  EXPECT_EQ(ok(rules->list(sup)).size(), 1u);
  EXPECT_EQ(rules->list(l1).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(rules->get(admin, 999).error().code, ErrorCode::not_found);

  saved.active = false;
  auto second = save(saved);
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(rules->save(admin, saved).error().code, ErrorCode::conflict) << "stale version";

  Rule bad = printer_rule();
  bad.actions = {{.kind = RuleActionKind::assign, .assign = AssignTarget::user, .user = c1.user.id}};
  auto refused = rules->save(admin, bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().fields.at(0).field, "actions[0].to");

  // An inactive rule does nothing.
  auto t = open_ticket(c1, "printer again");
  follow_all();
  EXPECT_TRUE(ok(store->ticket(t.id)).tags.empty());
}

}  // namespace
}  // namespace fl::testing
