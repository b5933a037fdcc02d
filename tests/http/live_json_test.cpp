// The live feed's wire format: client messages read, server messages written.
#include "http/live_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/api_events.hpp"

namespace fl::http {
namespace {

namespace json = boost::json;

LiveRequest parsed(std::string_view text) {
  auto r = parse_live_request(text);
  EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().detail);
  return r ? *r : LiveRequest{};
}

std::string problem_with(std::string_view text) {
  auto r = parse_live_request(text);
  EXPECT_FALSE(r) << text;
  return r ? "" : r.error().detail;
}

TEST(LiveJson, ReadsSubscribeWithQueuesAndResume) {
  auto r = parsed(R"({"type":"subscribe","id":"q1","tickets":[5,7],)"
                  R"("queues":[{"team":3},{"line":2},"mine","all"],"after":"1234"})");
  EXPECT_EQ(r.kind, LiveRequest::Kind::subscribe);
  EXPECT_EQ(r.subscription.tickets, (std::vector<TicketId>{5, 7}));
  EXPECT_EQ(r.subscription.teams, (std::vector<TeamId>{3}));
  EXPECT_EQ(r.subscription.lines, (std::vector<int>{2}));
  EXPECT_TRUE(r.subscription.mine);
  EXPECT_TRUE(r.subscription.all);
  EXPECT_EQ(r.after, 1234);
  EXPECT_EQ(r.id, "\"q1\"");
  EXPECT_EQ(parsed(R"({"type":"subscribe","queues":["all"],"after":17})").after, 17);
  EXPECT_EQ(parsed(R"({"type":"subscribe","after":17})").after, 17) << "resume what it has";
}

TEST(LiveJson, ReadsAuthUnsubscribeAndPing) {
  EXPECT_EQ(parsed(R"({"type":"auth","token":"abc"})").authorization, "Bearer abc");
  EXPECT_EQ(parsed(R"({"type":"auth","token":"Bearer abc"})").authorization, "Bearer abc");
  auto u = parsed(R"({"type":"unsubscribe","id":4})");
  EXPECT_EQ(u.kind, LiveRequest::Kind::unsubscribe);
  EXPECT_TRUE(u.subscription.empty());
  EXPECT_EQ(u.id, "4");
  EXPECT_EQ(parsed(R"({"type":"ping"})").kind, LiveRequest::Kind::ping);
}

TEST(LiveJson, SaysWhatIsWrongWithABadMessage) {
  EXPECT_EQ(problem_with("nonsense"), "not a JSON object");
  EXPECT_EQ(problem_with("[1]"), "not a JSON object");
  EXPECT_EQ(problem_with(R"({"type":"dance"})"), "type: auth, subscribe, unsubscribe or ping");
  EXPECT_EQ(problem_with(R"({"type":"subscribe","queue":["all"]})"), "unknown field 'queue'");
  EXPECT_EQ(problem_with(R"({"type":"subscribe","tickets":[0]})"),
            "tickets: ticket ids are positive integers");
  EXPECT_EQ(problem_with(R"({"type":"subscribe","queues":[{"line":5}]})"),
            "queues: a line is 1 to 4");
  EXPECT_EQ(problem_with(R"({"type":"subscribe","queues":["yours"]})"),
            R"(queues: each is {"team":id}, {"line":n}, "mine" or "all")");
  EXPECT_EQ(problem_with(R"({"type":"subscribe"})"), "subscribe to something: tickets or queues");
  EXPECT_EQ(problem_with(R"({"type":"auth"})"),
            "token: the bearer token from POST /api/v1/sessions or an API token");
  auto r = parse_live_request(R"({"type":"subscribe","id":9,"after":-1,"queues":["all"]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, "9") << "the error answers the message by its id";
}

TEST(LiveJson, WritesEventsWithATicketSummary) {
  auto teams = std::make_shared<const std::vector<Team>>(
      std::vector<Team>{Team{.id = 2, .name = "Desktop Support", .line = 2}});
  LiveJson out([teams] { return teams; });
  Event e;
  e.id = 42;
  e.type = "ticket.escalated";
  e.ticket = 7;
  e.actor = 3;
  e.at = from_millis(1'795'000'000'123);
  e.payload = R"({"from_line":1,"to_line":2,"note":"tried"})";
  Ticket t;
  t.id = 7;
  t.number = 100007;
  t.subject = "VPN drops";
  t.status = TicketStatus::open;
  t.priority = Priority::p2;
  t.line = 2;
  t.team = 2;
  t.requester = 9;
  t.updated_at = e.at;
  t.version = 4;
  t.sla_state = SlaState::running;
  t.sla_due_at = e.at + std::chrono::hours(2);
  t.sla_warn_at = e.at + std::chrono::hours(1);
  LiveMessage m;
  m.kind = LiveMessage::Kind::event;
  m.event = &e;
  m.ticket = &t;
  m.cursor = 42;
  auto v = json::parse(out.encode(m));
  EXPECT_EQ(v, json::parse(R"({"type":"event","cursor":42,
      "event":{"id":42,"type":"ticket.escalated","ticket_id":7,"at":"2026-11-18T11:06:40.123Z",
               "actor_id":3,"payload":{"from_line":1,"to_line":2,"note":"tried"}},
      "ticket":{"id":7,"number":100007,"subject":"VPN drops","status":"open","priority":"P2",
                "line":2,"team":{"id":2,"name":"Desktop Support"},"assignee_id":null,
                "requester_id":9,"updated_at":"2026-11-18T11:06:40.123Z","version":4,
                "sla_state":"running","sla_due_at":"2026-11-18T13:06:40.123Z",
                "sla_warn_at":"2026-11-18T12:06:40.123Z"}})"));

  LiveMessage left;
  left.kind = LiveMessage::Kind::ticket_left;
  left.ticket_id = 7;
  left.cursor = 43;
  EXPECT_EQ(out.encode(left), R"({"type":"ticket_left","cursor":43,"ticket_id":7})");

  LiveSubscription s{.tickets = {5}, .teams = {3}, .lines = {1}, .mine = true};
  LiveMessage ack;
  ack.kind = LiveMessage::Kind::subscribed;
  ack.subscription = &s;
  ack.cursor = 43;
  ack.replayed = 2;
  ack.request_id = "\"q1\"";
  EXPECT_EQ(json::parse(out.encode(ack)),
            json::parse(R"({"type":"subscribed","id":"q1","tickets":[5],
                "queues":[{"team":3},{"line":1},"mine"],"cursor":43,"replayed":2})"));
}

TEST(LiveJson, OriginsAreChecked) {
  EXPECT_TRUE(origin_allowed("", "desk.example.com", {})) << "not a browser";
  EXPECT_TRUE(origin_allowed("https://desk.example.com", "desk.example.com", {}));
  EXPECT_TRUE(origin_allowed("https://desk.example.com", "desk.example.com:443", {}));
  EXPECT_TRUE(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", {}));
  EXPECT_FALSE(origin_allowed("https://evil.example", "desk.example.com", {}));
  EXPECT_FALSE(origin_allowed("null", "desk.example.com", {}));
  EXPECT_TRUE(origin_allowed("http://localhost:5173", "127.0.0.1:8080", {"http://localhost:5173"}));
  EXPECT_TRUE(origin_allowed("https://evil.example", "desk.example.com", {"*"}));
}

}  // namespace
}  // namespace fl::http
