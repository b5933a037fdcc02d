// WebhookService against a real SQLite desk, the real libcurl sender and a real receiver on
// loopback: management and access, signed deliveries, retries with backoff on the injected
// clock, giving up, redelivery, event-type matching, idempotent queueing, rule calls, pings,
// and a silent receiver that holds up nobody else.
#include "app/webhook_service.hpp"

#include <gmock/gmock.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include "app/webhook_signature.hpp"
#include "desk_fixture.hpp"
#include "support/webhook_receiver.hpp"
#include "webhooks/curl_sender.hpp"

namespace fl::testing {

namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr auto kWait = 5s;

class WebhookTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    admin = person("admin", Role::admin, std::nullopt, {});
    sender = std::make_unique<CurlWebhookSender>(
        CurlSenderOptions{.connect_timeout = 1s, .total_timeout = 2s});
    service = make_service({});
    ASSERT_EQ(ok(service->follow()), 0) << "the first run only sets the cursor";
  }

  void TearDown() override {
    // The sender calls back into the service: it stops first.
    sender->stop();
    receiver.stop();
  }

  std::unique_ptr<WebhookService> make_service(WebhookOptions options) {
    options.lease = 1min;
    return std::make_unique<WebhookService>(*store, clock, *sender, std::move(options));
  }

  Webhook create(const std::string& name, std::vector<std::string> events,
                 const std::string& path = "/hook") {
    return ok(service->create(admin, {.name = name, .url = receiver.url(path), .events = events}));
  }

  // Queues what the feed brings and sends what is due, round after round (a round takes a
  // few of each webhook), waiting for every answer; returns how many were sent.
  int deliver() {
    ok(service->follow());
    int sent = 0;
    for (;;) {
      const int started = ok(service->deliver_due(clock.now(), 50));
      EXPECT_TRUE(service->wait_idle(kWait)) << "answers recorded";
      if (started == 0) return sent;
      sent += started;
    }
  }

  std::vector<WebhookDelivery> log_of(WebhookId id) {
    return ok(service->deliveries(admin, id, std::nullopt, 200));
  }

  // Moves the webhook follower's cursor back, as a follower that crashed before its cursor
  // reached the disk would find it (the store's API only ever moves it forward).
  void rewind_cursor(EventId to) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "desk.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql =
        "UPDATE feed_cursors SET event_id = " + std::to_string(to) + " WHERE name = 'webhooks'";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }

  Actor admin;
  WebhookReceiver receiver;
  std::unique_ptr<CurlWebhookSender> sender;
  std::unique_ptr<WebhookService> service;
};

json::object parsed(const std::string& body) {
  return json::parse(body).as_object();
}

}  // namespace

// --- signatures ----------------------------------------------------------------------------

TEST(WebhookSignature, IsHmacSha256OfTimestampDotBody) {
  // Vectors from Python's hmac module, independent of libsodium.
  EXPECT_EQ(webhook_signature("whsec_test_secret_0123", 1795000000, R"({"a":1})"),
            "sha256=a9a41135f842531f49e0e93640b6edb504447c56e280e972459d0ac30b7477fd");
  EXPECT_EQ(webhook_signature("Jefe", 1, "what do ya want for nothing?"),
            "sha256=a9049465ce89cfb8e9aac62333abda66f80e3403f51f57f6bae3c3a4485eca38");
  EXPECT_EQ(webhook_signature(std::string(100, 'k'), 0, ""),
            "sha256=243c2f8200e1d4ee892e7a7ded377a65e2beb1c64b997c54b8b0f516216d4b0f")
      << "a key longer than a block";
}

TEST(WebhookSignature, SecretsAreFreshAndLongEnough) {
  const std::string a = new_webhook_secret(), b = new_webhook_secret();
  EXPECT_THAT(a, StartsWith("whsec_"));
  EXPECT_EQ(a.size(), 6u + 64u);
  EXPECT_NE(a, b);
}

// --- management ----------------------------------------------------------------------------

TEST_F(WebhookTest, OnlyAdminsManageWebhooks) {
  for (const Actor* who : {&l1, &sup, &c1}) {
    EXPECT_EQ(service->list(*who).error().code, ErrorCode::permission_denied);
    EXPECT_EQ(service->create(*who, {.name = "x", .url = receiver.url()}).error().code,
              ErrorCode::permission_denied);
  }
  const Webhook w = create("CMDB", {"ticket.created"});
  for (const Actor* who : {&l1, &sup}) {
    EXPECT_EQ(service->get(*who, w.id).error().code, ErrorCode::permission_denied);
    EXPECT_EQ(service->deliveries(*who, w.id, std::nullopt, 10).error().code,
              ErrorCode::permission_denied);
    EXPECT_EQ(service->ping(*who, w.id).error().code, ErrorCode::permission_denied);
    EXPECT_EQ(service->rotate_secret(*who, w.id).error().code, ErrorCode::permission_denied);
  }
}

TEST_F(WebhookTest, TheSecretIsShownOnCreateOnly) {
  const Webhook w = create("CMDB", {"ticket.created"});
  EXPECT_THAT(w.secret, StartsWith("whsec_"));
  EXPECT_EQ(w.version, 1);
  EXPECT_EQ(ok(service->get(admin, w.id)).secret, "");
  EXPECT_EQ(ok(service->list(admin)).at(0).secret, "");

  Webhook change = ok(service->get(admin, w.id));
  change.events = {"ticket.*"};
  const Webhook updated = ok(service->update(admin, change));
  EXPECT_EQ(updated.secret, "") << "an update neither shows nor loses it";
  EXPECT_EQ(store->webhook(w.id)->secret, w.secret);

  const Webhook rotated = ok(service->rotate_secret(admin, w.id));
  EXPECT_THAT(rotated.secret, StartsWith("whsec_"));
  EXPECT_NE(rotated.secret, w.secret);
  EXPECT_EQ(store->webhook(w.id)->secret, rotated.secret);

  const Webhook given = ok(service->create(
      admin, {.name = "given", .url = receiver.url(), .secret = "my-own-secret-0123456"}));
  EXPECT_EQ(given.secret, "my-own-secret-0123456");

  // The events the changes left in the feed carry neither the secret nor the URL.
  for (const auto& e : ok(store->events_after(0, 1000))) {
    EXPECT_THAT(e.payload, ::testing::Not(HasSubstr("whsec_")));
    EXPECT_THAT(e.payload, ::testing::Not(HasSubstr("my-own-secret")));
    EXPECT_THAT(e.payload, ::testing::Not(HasSubstr("127.0.0.1")));
  }
}

TEST_F(WebhookTest, BadInputNamesTheField) {
  auto field_of = [&](Webhook w) {
    auto r = service->create(admin, std::move(w));
    return r ? std::string("(accepted)") : r.error().fields.at(0).field;
  };
  for (std::string url :
       {"ftp://example.com/x", "https:///nohost", "not a url", "", "https://user:pw@example.com/x",
        "https://example.com/x#frag", "file:///etc/passwd", "javascript:alert(1)"})
    EXPECT_EQ(field_of({.name = "x", .url = url}), "url") << url;
  EXPECT_EQ(field_of({.name = "", .url = receiver.url()}), "name");
  EXPECT_EQ(field_of({.name = "x", .url = receiver.url(), .events = {"Ticket"}}), "events");
  EXPECT_EQ(field_of({.name = "x", .url = receiver.url(), .secret = "short"}), "secret");
  EXPECT_EQ(field_of({.name = "x", .url = "HTTPS://Example.com:8443/a?b=c"}), "(accepted)");

  create("CMDB", {});
  EXPECT_EQ(service->create(admin, {.name = "CMDB", .url = receiver.url()}).error().code,
            ErrorCode::conflict);
}

TEST_F(WebhookTest, AnUpdateNeedsTheCurrentVersion) {
  const Webhook w = create("CMDB", {"ticket.created"});
  Webhook first = ok(service->get(admin, w.id));
  Webhook second = first;
  first.name = "CMDB (prod)";
  EXPECT_EQ(ok(service->update(admin, first)).version, 2);
  second.active = false;
  EXPECT_EQ(service->update(admin, second).error().code, ErrorCode::conflict);
  Webhook ghost = first;
  ghost.id = 4711;
  EXPECT_EQ(service->update(admin, ghost).error().code, ErrorCode::not_found);
}

// --- delivering ----------------------------------------------------------------------------

TEST_F(WebhookTest, ATicketReachesTheReceiverSignedWithItsSummary) {
  const Webhook w = create("CMDB", {"ticket.created"});
  const Ticket t = open_ticket(c1, "VPN drops every hour");
  EXPECT_EQ(deliver(), 1);

  ASSERT_EQ(receiver.received().size(), 1u);
  const ReceivedRequest r = receiver.received()[0];
  const auto log = log_of(w.id);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/hook");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_THAT(r.header("user-agent"), StartsWith("Firstline-Webhook/"));
  EXPECT_EQ(r.header("x-firstline-event"), "ticket.created");
  EXPECT_EQ(r.header("x-firstline-delivery"), std::to_string(log[0].id));
  EXPECT_EQ(r.header("x-firstline-webhook"), std::to_string(w.id));
  const std::string timestamp = std::to_string(to_millis(clock.now()) / 1000);
  EXPECT_EQ(r.header("x-firstline-timestamp"), timestamp);
  EXPECT_EQ(r.header("x-firstline-signature"),
            webhook_signature(w.secret, std::stoll(timestamp), r.body));
  EXPECT_EQ(r.body, log[0].body) << "the queued body, byte for byte";

  const json::object body = parsed(r.body);
  const json::object& event = body.at("event").as_object();
  EXPECT_EQ(body.at("type").as_string(), "ticket.created");
  EXPECT_EQ(body.at("id").as_string(),
            std::to_string(w.id) + "-" + std::to_string(log[0].event) + "-0");
  EXPECT_EQ(body.at("webhook_id").as_int64(), w.id);
  EXPECT_EQ(event.at("id").as_int64(), log[0].event);
  EXPECT_EQ(event.at("ticket_id").as_int64(), t.id);
  EXPECT_EQ(event.at("actor_id").as_int64(), c1.user.id);
  EXPECT_TRUE(event.at("payload").is_object());
  const json::object& ticket = body.at("ticket").as_object();
  EXPECT_EQ(ticket.at("id").as_int64(), t.id);
  EXPECT_EQ(ticket.at("number").as_int64(), t.number);
  EXPECT_EQ(ticket.at("subject").as_string(), "VPN drops every hour");
  EXPECT_EQ(ticket.at("status").as_string(), "new");
  EXPECT_FALSE(body.contains("rule"));
  EXPECT_THAT(std::string(body.at("created_at").as_string()), ::testing::EndsWith("Z"));

  EXPECT_EQ(log[0].state, DeliveryState::delivered);
  EXPECT_EQ(log[0].attempts, 1);
  EXPECT_EQ(log[0].last_status, 200);
  EXPECT_EQ(log[0].finished_at, clock.now());
  EXPECT_EQ(service->stats().delivered, 1);
}

TEST_F(WebhookTest, AFailureIsRetriedAfterTheBackoffOnTheClock) {
  const Webhook w = create("CMDB", {"ticket.created"});
  receiver.script("/hook", {{.status = 500, .body = "database\nlocked"}, {.status = 200}});
  open_ticket(c1);
  EXPECT_EQ(deliver(), 1);

  auto log = log_of(w.id);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].state, DeliveryState::pending);
  EXPECT_EQ(log[0].attempts, 1);
  EXPECT_EQ(log[0].last_status, 500);
  EXPECT_EQ(log[0].last_error, "HTTP 500: database locked") << "the answer's start, one line";
  ASSERT_TRUE(log[0].next_attempt_at);
  const auto wait = *log[0].next_attempt_at - clock.now();
  EXPECT_GE(wait, 27s);
  EXPECT_LE(wait, 33s) << "30 s, give or take the jitter";
  EXPECT_EQ(service->stats().retried, 1);

  EXPECT_EQ(deliver(), 0) << "not before its time";
  clock.advance(26s);
  EXPECT_EQ(deliver(), 0);
  clock.advance(8s);
  EXPECT_EQ(deliver(), 1);

  log = log_of(w.id);
  EXPECT_EQ(log[0].state, DeliveryState::delivered);
  EXPECT_EQ(log[0].attempts, 2);
  EXPECT_EQ(log[0].last_status, 200);
  EXPECT_EQ(log[0].last_error, "");
  const auto got = receiver.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].header("x-firstline-delivery"), got[1].header("x-firstline-delivery"))
      << "receivers dedupe by it";
  EXPECT_EQ(got[0].body, got[1].body);
  EXPECT_NE(got[0].header("x-firstline-timestamp"), got[1].header("x-firstline-timestamp"));
  for (const auto& r : got)
    EXPECT_EQ(r.header("x-firstline-signature"),
              webhook_signature(w.secret, std::stoll(r.header("x-firstline-timestamp")), r.body));
}

TEST_F(WebhookTest, ADeliveryIsGivenUpAfterTheLastAttemptAndCanBeSentAgain) {
  const Webhook w = create("CMDB", {"ticket.created"});
  receiver.otherwise("/hook", {.status = 503});
  open_ticket(c1);
  ok(service->follow());
  const RetryPolicy policy;
  for (int attempt = 1; attempt <= policy.max_attempts; ++attempt) {
    EXPECT_EQ(ok(service->deliver_due(clock.now(), 50)), 1) << "attempt " << attempt;
    ASSERT_TRUE(service->wait_idle(kWait));
    clock.advance(14h);  // past the longest wait, jitter included
  }
  auto log = log_of(w.id);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].state, DeliveryState::failed);
  EXPECT_EQ(log[0].attempts, policy.max_attempts);
  EXPECT_FALSE(log[0].next_attempt_at);
  EXPECT_TRUE(log[0].finished_at);
  EXPECT_EQ(receiver.received().size(), 8u);
  EXPECT_EQ(deliver(), 0) << "given up";

  // An admin sends it again once the receiver is fixed.
  receiver.otherwise("/hook", {.status = 204});
  const WebhookDelivery again = ok(service->redeliver(admin, log[0].id));
  EXPECT_EQ(again.state, DeliveryState::pending);
  EXPECT_EQ(again.next_attempt_at, clock.now());
  EXPECT_EQ(deliver(), 1);
  log = log_of(w.id);
  EXPECT_EQ(log[0].state, DeliveryState::delivered);
  EXPECT_EQ(log[0].attempts, 9);
  EXPECT_EQ(log[0].last_status, 204);
  EXPECT_EQ(receiver.received().back().header("x-firstline-delivery"), std::to_string(log[0].id));
  EXPECT_EQ(service->redeliver(admin, 4711).error().code, ErrorCode::not_found);
}

TEST_F(WebhookTest, GoneStopsAtOnce) {
  const Webhook w = create("CMDB", {"ticket.created"});
  receiver.otherwise("/hook", {.status = 410});
  open_ticket(c1);
  EXPECT_EQ(deliver(), 1);
  const auto log = log_of(w.id);
  EXPECT_EQ(log[0].state, DeliveryState::failed);
  EXPECT_EQ(log[0].attempts, 1);
  EXPECT_EQ(log[0].last_status, 410);
}

TEST_F(WebhookTest, EventTypesChooseWhatEachWebhookGets) {
  const Webhook all_ticket = create("ticket.*", {"ticket.*"}, "/a");
  const Webhook created = create("created", {"ticket.created"}, "/b");
  const Webhook sla = create("sla", {"sla.*"}, "/c");
  const Webhook rules_only = create("rules only", {}, "/d");
  Webhook off = create("off", {"*"}, "/e");
  off = ok(service->get(admin, off.id));
  off.active = false;
  ok(service->update(admin, off));

  const Ticket t = open_ticket(c1);
  ok(tickets->update(sup, t.id, {.assignee = l1.user.id}));
  deliver();

  auto types = [&](const Webhook& w) {
    std::vector<std::string> out;
    for (const auto& d : log_of(w.id)) out.push_back(d.event_type);
    std::ranges::sort(out);
    return out;
  };
  EXPECT_THAT(types(all_ticket), ::testing::Contains("ticket.created"));
  EXPECT_THAT(types(all_ticket), ::testing::Contains("ticket.updated"));
  EXPECT_THAT(types(all_ticket), ::testing::Each(StartsWith("ticket.")));
  EXPECT_THAT(types(created), ::testing::ElementsAre("ticket.created"));
  EXPECT_TRUE(types(sla).empty());
  EXPECT_TRUE(types(rules_only).empty());
  EXPECT_TRUE(types(off).empty());
  EXPECT_EQ(receiver.received("/b").size(), 1u);
  EXPECT_TRUE(receiver.received("/e").empty());
}

TEST_F(WebhookTest, AFollowerThatCrashedQueuesNothingTwice) {
  const EventId before = ok(store->latest_event_id());
  const Webhook w = create("CMDB", {"ticket.*"});
  open_ticket(c1);
  open_ticket(c2);
  const int read = ok(service->follow());
  EXPECT_GE(read, 3) << "the webhook's own event and two tickets";
  const auto queued = log_of(w.id);
  ASSERT_EQ(queued.size(), 2u);

  // Its cursor lost, a restarted follower reads the same events again.
  rewind_cursor(before);
  auto restarted = make_service({});
  EXPECT_EQ(ok(restarted->follow()), read);
  const auto after = log_of(w.id);
  ASSERT_EQ(after.size(), 2u) << "the same deliveries, not new ones";
  EXPECT_EQ(after[0].id, queued[0].id);
  EXPECT_EQ(after[0].body, queued[0].body);
  deliver();
  EXPECT_EQ(receiver.received().size(), 2u);
}

TEST_F(WebhookTest, ASwitchedOffWebhookSendsNoMore) {
  const Webhook w = create("CMDB", {"ticket.created"});
  open_ticket(c1);
  ok(service->follow());
  Webhook off = ok(service->get(admin, w.id));
  off.active = false;
  ok(service->update(admin, off));
  EXPECT_EQ(deliver(), 0);
  const auto log = log_of(w.id);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].state, DeliveryState::failed);
  EXPECT_THAT(log[0].last_error, HasSubstr("switched off"));
  EXPECT_TRUE(receiver.received().empty());
}

// --- what does not block -------------------------------------------------------------------

TEST_F(WebhookTest, ASilentReceiverHoldsUpNeitherTicketsNorOtherWebhooks) {
  service = make_service({.max_in_flight = 4, .max_in_flight_per_webhook = 1});
  const Webhook silent = create("silent", {"ticket.created"}, "/silent");
  const Webhook fine = create("fine", {"ticket.created"}, "/fine");
  receiver.otherwise("/silent", {.silent = true});
  for (int i = 0; i < 3; ++i) open_ticket(c1);
  ok(service->follow());

  const auto started = std::chrono::steady_clock::now();
  // One of the silent webhook's (its cap), and the fine one's in the same claims.
  int sent = 0;
  for (int round = 0; round < 3; ++round) {
    sent += ok(service->deliver_due(clock.now(), 50));
    if (receiver.received("/fine").size() == 3) break;
    service->wait_for_answer(std::chrono::steady_clock::now() + 500ms);
  }
  ASSERT_TRUE(receiver.wait_for(3, kWait, "/fine"));
  // Tickets go on meanwhile.
  open_ticket(c1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms)
      << "neither the fine webhook nor a ticket waited for the silent receiver";
  // The silent one's request may still be on its way on a loaded machine.
  ASSERT_TRUE(receiver.wait_for(1, kWait, "/silent"));
  EXPECT_EQ(receiver.received("/silent").size(), 1u) << "one at a time for a busy webhook";

  // The silent one's attempt ends at the sender's total timeout and is retried later.
  ASSERT_TRUE(service->wait_idle(kWait));
  const auto log = log_of(silent.id);
  const auto tried = std::ranges::find_if(log, [](const auto& d) { return d.attempts == 1; });
  ASSERT_NE(tried, log.end());
  EXPECT_EQ(tried->state, DeliveryState::pending);
  EXPECT_FALSE(tried->last_status);
  EXPECT_THAT(tried->last_error, HasSubstr("timed out"));
  for (const auto& d : log_of(fine.id)) EXPECT_EQ(d.state, DeliveryState::delivered);
  (void)sent;
}

TEST_F(WebhookTest, StoppingTheSenderDoesNotWaitForASilentReceiver) {
  create("silent", {"ticket.created"});
  receiver.otherwise("/hook", {.silent = true});
  open_ticket(c1);
  ok(service->follow());
  EXPECT_EQ(ok(service->deliver_due(clock.now(), 50)), 1);
  ASSERT_TRUE(receiver.wait_for(1, kWait));
  const auto started = std::chrono::steady_clock::now();
  sender->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
}

// --- rules, pings, the log -----------------------------------------------------------------

TEST_F(WebhookTest, ARuleCallQueuesOneDeliveryPerRuleAndEvent) {
  const Webhook w = create("Teams", {});
  const Ticket t = open_ticket(c1, "Printer on fire");
  const Event source = ok(store->ticket_events(t.id)).at(0);
  RuleWebhookCall call{
      .webhook = w.id, .rule = 12, .rule_name = "P1 to Teams", .source = source, .ticket = t};
  ASSERT_TRUE(service->call_from_rule(call));
  ASSERT_TRUE(service->call_from_rule(call));  // the rules engine ran again after a crash
  call.rule = 13;
  call.rule_name = "Everything to Teams";
  ASSERT_TRUE(service->call_from_rule(call));
  EXPECT_EQ(deliver(), 2);

  const auto log = log_of(w.id);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].rule, 13);
  EXPECT_EQ(log[1].rule, 12);
  const json::object body = parsed(log[1].body);
  EXPECT_EQ(body.at("id").as_string(),
            std::to_string(w.id) + "-" + std::to_string(source.id) + "-12");
  EXPECT_EQ(body.at("rule").as_object().at("name").as_string(), "P1 to Teams");
  EXPECT_EQ(body.at("rule").as_object().at("id").as_int64(), 12);
  EXPECT_EQ(body.at("ticket").as_object().at("subject").as_string(), "Printer on fire");

  Webhook off = ok(service->get(admin, w.id));
  off.active = false;
  ok(service->update(admin, off));
  call.rule = 14;
  EXPECT_TRUE(service->call_from_rule(call)) << "an inactive webhook is no error";
  EXPECT_EQ(log_of(w.id).size(), 2u) << "and queues nothing";
  call.webhook = 4711;
  EXPECT_EQ(service->call_from_rule(call).error().code, ErrorCode::not_found);
}

TEST_F(WebhookTest, APingIsSignedAndAnsweredAtOnce) {
  const Webhook w = create("CMDB", {"ticket.created"});
  receiver.script("/hook", {{.status = 200}, {.status = 500, .body = "nope"}});
  const PingResult ok_ping = ok(service->ping(admin, w.id));
  EXPECT_TRUE(ok_ping.delivered);
  EXPECT_EQ(ok_ping.status, 200);
  const ReceivedRequest r = receiver.received().at(0);
  EXPECT_EQ(r.header("x-firstline-event"), "webhook.ping");
  EXPECT_THAT(r.header("x-firstline-delivery"), StartsWith("ping-"));
  EXPECT_EQ(r.header("x-firstline-signature"),
            webhook_signature(w.secret, std::stoll(r.header("x-firstline-timestamp")), r.body));
  EXPECT_EQ(parsed(r.body).at("webhook").as_object().at("name").as_string(), "CMDB");

  const PingResult failed = ok(service->ping(admin, w.id));
  EXPECT_FALSE(failed.delivered);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.error, "HTTP 500: nope");
  EXPECT_TRUE(log_of(w.id).empty()) << "pings stay out of the log";
  EXPECT_EQ(service->ping(admin, 4711).error().code, ErrorCode::not_found);
}

TEST_F(WebhookTest, TheLogIsPagedAndPruned) {
  const Webhook w = create("CMDB", {"ticket.created"});
  for (int i = 0; i < 5; ++i) open_ticket(c1);
  EXPECT_EQ(deliver(), 5);
  const auto page = ok(service->deliveries(admin, w.id, std::nullopt, 2));
  ASSERT_EQ(page.size(), 2u);
  const auto rest = ok(service->deliveries(admin, w.id, page.back().id, 10));
  EXPECT_EQ(rest.size(), 3u);
  EXPECT_LT(rest[0].id, page.back().id);
  EXPECT_EQ(service->deliveries(admin, 4711, std::nullopt, 10).error().code, ErrorCode::not_found);

  clock.advance(31 * 24h);
  EXPECT_EQ(ok(service->prune_log(clock.now() - 30 * 24h)), 5);
  EXPECT_TRUE(log_of(w.id).empty());
}

}  // namespace fl::testing
