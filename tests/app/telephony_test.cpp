// The phone features on a real SQLite desk: the admin's edits of users, teams and
// organisations (phones, extensions, the rules around them), the caller lookup as each agent
// may see it, and call events popping the caller for the agent whose extension rings.
#include "app/telephony.hpp"

#include <gmock/gmock.h>

#include <mutex>

#include "app/auth_service.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "call <id> <event> <caller or -> <user login or -> <ticket ids> <organisation's others>".
class CallForm final : public LiveEncoder {
 public:
  [[nodiscard]] std::string encode(const LiveMessage& m) const override {
    if (m.kind != LiveMessage::Kind::call) return "other";
    const CallPop& pop = *m.call;
    std::string out = "call " + pop.call.call_id + " " + std::string(name_of(pop.call.phase)) +
                      " " + (pop.call.caller.empty() ? "-" : pop.call.caller);
    if (!pop.caller) return out + " -";
    out += " " + (pop.caller->users.empty() ? "-" : pop.caller->users.front().login) + " [";
    for (const auto& t : pop.caller->open_tickets) out += std::to_string(t.id) + ",";
    return out + "] " + std::to_string(pop.caller->organization_open_tickets);
  }
};

class Inbox final : public LiveOutbox {
 public:
  bool send(std::shared_ptr<const std::string> message) override {
    std::lock_guard lock(mutex_);
    messages_.push_back(*message);
    return true;
  }
  void close(LiveClose, std::string_view) override {}
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(messages_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> messages_;
};

class PhoneTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    // Numbers typed without a country code are German here.
    directory = std::make_unique<DirectoryService>(*store, hasher, clock,
                                                   DirectoryOptions{.default_country_code = "49"});
    admin = person("admin", Role::admin, std::nullopt, {});
    c3 = person("c3", Role::customer, acme.id, {});
    auth = std::make_unique<AuthService>(*store, hasher, tokens, *directory, clock);
    feed = std::make_unique<LiveFeed>(*store, *auth, encoder, clock);
    ASSERT_TRUE(feed->start_at(ok(store->latest_event_id())));
    telephony = std::make_unique<Telephony>(*store, *directory, *feed, clock);
  }

  User edit(const Actor& who, UserEdit e) {
    return ok(directory->update_user(admin, who.user.id, e));
  }

  Result<User> try_edit(const Actor& who, UserEdit e, const Actor* by = nullptr) {
    return directory->update_user(by ? *by : admin, who.user.id, e);
  }

  static std::vector<std::string> fields_of(const Error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.field);
    return out;
  }

  std::shared_ptr<Inbox> connect(const Actor& who) {
    auto inbox = std::make_shared<Inbox>();
    sessions.push_back(feed->connect(inbox));
    auto token = ok(auth->create_api_token(who, "phone test")).token;
    EXPECT_TRUE(sessions.back()->authenticate("Bearer " + token));
    inbox->take();
    return inbox;
  }

  Actor admin, c3;
  SodiumTokenMinter tokens;
  std::unique_ptr<AuthService> auth;
  CallForm encoder;
  std::unique_ptr<LiveFeed> feed;
  std::unique_ptr<Telephony> telephony;
  std::vector<std::unique_ptr<LiveSession>> sessions;
};

}  // namespace

// --- the admin's edits ---------------------------------------------------------------

TEST_F(PhoneTest, AdminsGiveUsersPhonesAndExtensions) {
  EXPECT_EQ(edit(c1, {.phone = "(030) 1234-567"}).phone, "+49301234567");
  EXPECT_EQ(edit(l1, {.extension = "201"}).extension, "201");
  EXPECT_EQ(edit(c1, {.phone = ""}).phone, "") << "removed";

  auto bad = try_edit(c1, {.phone = "call me"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(fields_of(bad.error()), ElementsAre("phone"));
  bad = try_edit(c1, {.extension = "100"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(fields_of(bad.error()), ElementsAre("extension")) << "customers have none";
  bad = try_edit(l2, {.extension = "2-01"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(fields_of(bad.error()), ElementsAre("extension"));
  bad = try_edit(l2, {.extension = "201"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::conflict) << "Lena has it";
  bad = try_edit(l2, {.teams = std::vector<TeamId>{}});
  ASSERT_FALSE(bad);
  EXPECT_THAT(fields_of(bad.error()), ElementsAre("team_ids"));
  bad = try_edit(l2, {.name = " ", .language = "fr"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(fields_of(bad.error()), ElementsAre("name", "language")) << "all at once";

  for (const Actor* by : {&sup, &l1, &c1}) {
    bad = try_edit(l2, {.name = "Dirk"}, by);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::permission_denied);
  }
  auto system = ok(store->user_record_by_login(kSystemLogin)).user;
  EXPECT_EQ(directory->update_user(admin, system.id, {.name = "x"}).error().code,
            ErrorCode::not_found);
}

TEST_F(PhoneTest, RolesTeamsAndDeactivation) {
  const User moved = edit(l1, {.role = Role::supervisor, .teams = std::vector<TeamId>{}});
  EXPECT_EQ(moved.role, Role::supervisor);
  EXPECT_THAT(moved.teams, IsEmpty());
  const User customer = edit(l2, {.role = Role::customer,
                                  .teams = std::vector<TeamId>{},
                                  .organization = std::optional<OrganizationId>{globex.id}});
  EXPECT_EQ(customer.organization, globex.id);
  EXPECT_FALSE(edit(l2, {.organization = std::optional<OrganizationId>{}}).organization);

  auto token = ok(auth->create_api_token(l3, "integration")).token;
  ASSERT_TRUE(auth->authenticate("Bearer " + token));
  EXPECT_FALSE(edit(l3, {.active = false}).active);
  auth->forget_user(l3.user.id);
  EXPECT_EQ(auth->authenticate("Bearer " + token).error().code, ErrorCode::unauthenticated);

  // The last active admin stays one.
  auto last = directory->update_user(admin, admin.user.id, {.role = Role::supervisor});
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, ErrorCode::failed_precondition);
  last = directory->update_user(admin, admin.user.id, {.active = false});
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, ErrorCode::failed_precondition);
}

TEST_F(PhoneTest, AnAdminResetsAPasswordAndEndsTheSessions) {
  edit(l2, {.password = "first-secret-1"});
  auto session = ok(auth->login(l2.user.login, "first-secret-1", "127.0.0.1")).token;
  auto token = ok(auth->create_api_token(l2, "integration")).token;
  EXPECT_EQ(directory->update_user(l1, l2.user.id, {.password = "second-secret-2"}).error().code,
            ErrorCode::permission_denied);
  auto short_one = directory->update_user(admin, l2.user.id, {.password = "short"});
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().fields.at(0).field, "password");

  edit(l2, {.password = "second-secret-2"});
  auth->forget_user(l2.user.id);
  EXPECT_EQ(auth->authenticate("Bearer " + session).error().code, ErrorCode::unauthenticated);
  EXPECT_TRUE(auth->authenticate("Bearer " + token)) << "API tokens are not sessions";
  EXPECT_FALSE(auth->login(l2.user.login, "first-secret-1", "127.0.0.1"));
  EXPECT_TRUE(auth->login(l2.user.login, "second-secret-2", "127.0.0.1"));
}

TEST_F(PhoneTest, EveryoneEditsTheirOwnProfile) {
  const User me = ok(directory->update_profile(
      c1, {.name = "Clara K.", .language = "de", .phone = "+49 (0)30 1234567"}));
  EXPECT_EQ(me.name, "Clara K.");
  EXPECT_EQ(me.phone, "+49301234567");
  auto bad = directory->update_profile(c1, {.language = "fr", .phone = "12"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(fields_of(bad.error()), ElementsAre("language", "phone"));
}

TEST_F(PhoneTest, TeamsAndOrganisationsAreEdited) {
  Team renamed = ok(directory->update_team(admin, network.id, {.name = "Network & Infra"}));
  EXPECT_EQ(renamed.name, "Network & Infra");
  auto bad = directory->update_team(admin, vendor.id, {.line = 3});
  ASSERT_FALSE(bad);
  EXPECT_THAT(fields_of(bad.error()), ElementsAre("line")) << "vendors work at line 4";
  EXPECT_EQ(directory->update_team(sup, network.id, {.name = "x"}).error().code,
            ErrorCode::permission_denied);

  // A team holding unsolved tickets keeps its line; once they are solved it may move.
  const Ticket t = open_ticket(c1);
  EXPECT_EQ(directory->update_team(admin, desk.id, {.line = 2}).error().code,
            ErrorCode::failed_precondition);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::closed}));
  EXPECT_EQ(ok(directory->update_team(admin, desk.id, {.line = 2})).line, 2);

  Organization shared =
      ok(directory->update_organization(admin, globex.id, {.customers_see_all_tickets = true}));
  EXPECT_TRUE(shared.customers_see_all_tickets);
  EXPECT_EQ(shared.name, "Globex");
  auto clash = directory->update_organization(admin, globex.id, {.domain = "acme.example"});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  auto wrong = directory->update_organization(admin, globex.id, {.name = "", .domain = "a b"});
  ASSERT_FALSE(wrong);
  EXPECT_THAT(fields_of(wrong.error()), ElementsAre("name", "domain"));
}

// --- the caller lookup ---------------------------------------------------------------

TEST_F(PhoneTest, TheCallerIsFoundWithWhatTheAgentMaySee) {
  edit(c1, {.phone = "030 1234567"});
  edit(l2, {.phone = "+49 30 1234567"});  // the same number: a customer comes first
  const Ticket first = open_ticket(c1, "VPN drops");
  const Ticket second = open_ticket(c1, "Printer");
  const Ticket solved = open_ticket(c1, "Password");
  ok(tickets->update(l1, solved.id, {.status = TicketStatus::resolved}));
  open_ticket(c3, "Colleague's laptop");

  const CallerCard card = ok(telephony->look_up_caller(l1, "0049 30 123 45 67"));
  EXPECT_EQ(card.number, "+49301234567");
  ASSERT_EQ(card.users.size(), 2u);
  EXPECT_EQ(card.users[0].id, c1.user.id);
  EXPECT_EQ(card.users[1].id, l2.user.id);
  ASSERT_TRUE(card.organization);
  EXPECT_EQ(card.organization->id, acme.id);
  std::vector<TicketId> open;
  for (const auto& t : card.open_tickets) open.push_back(t.id);
  EXPECT_THAT(open, ElementsAre(second.id, first.id)) << "unsolved, newest first";
  EXPECT_EQ(card.organization_open_tickets, 1) << "the colleague's";

  // The partner desk serves Globex only: it learns who calls, not Acme's tickets.
  const CallerCard partner_view = ok(telephony->look_up_caller(pa, "+49301234567"));
  EXPECT_EQ(partner_view.users.front().id, c1.user.id);
  EXPECT_THAT(partner_view.open_tickets, IsEmpty());
  EXPECT_EQ(partner_view.organization_open_tickets, 0);

  for (const Actor* who : {&va, &c1})
    EXPECT_EQ(telephony->look_up_caller(*who, "+49301234567").error().code,
              ErrorCode::permission_denied);
  const CallerCard unknown = ok(telephony->look_up_caller(l1, "+44 20 7946 0000"));
  EXPECT_EQ(unknown.number, "+442079460000");
  EXPECT_THAT(unknown.users, IsEmpty());
  EXPECT_FALSE(unknown.organization);
  auto bad = telephony->look_up_caller(l1, "not a number");
  ASSERT_FALSE(bad);
  EXPECT_THAT(fields_of(bad.error()), ElementsAre("number"));

  edit(c1, {.active = false});
  EXPECT_EQ(ok(telephony->look_up_caller(l1, "+49301234567")).users.front().id, l2.user.id)
      << "inactive users are not callers";
}

// --- call events ---------------------------------------------------------------------

TEST_F(PhoneTest, ACallPopsTheCallerForTheAgentWithTheExtension) {
  edit(c1, {.phone = "+49 30 1234567"});
  edit(l1, {.extension = "201"});
  edit(pa, {.extension = "202"});
  const Ticket t = open_ticket(c1);
  auto lena_desk = connect(l1);
  auto lena_laptop = connect(l1);
  auto dirk = connect(l2);
  auto pat = connect(pa);

  CallDelivery d = ok(telephony->take_call({.phase = CallPhase::ringing,
                                            .call_id = "c-1",
                                            .caller = "030 1234567",
                                            .extension = "201"}));
  EXPECT_THAT(d.agents, ElementsAre(l1.user.id));
  EXPECT_EQ(d.clients, 2);
  const std::string pop = "call c-1 ringing +49301234567 c1 [" + std::to_string(t.id) + ",] 0";
  EXPECT_THAT(lena_desk->take(), ElementsAre(pop));
  EXPECT_THAT(lena_laptop->take(), ElementsAre(pop));
  EXPECT_THAT(dirk->take(), IsEmpty());
  EXPECT_THAT(pat->take(), IsEmpty());

  // Each agent sees the caller as they may: the partner desk not Acme's tickets.
  ok(telephony->take_call({.phase = CallPhase::answered,
                           .call_id = "c-2",
                           .caller = "+49301234567",
                           .extension = "202"}));
  EXPECT_THAT(pat->take(), ElementsAre("call c-2 answered +49301234567 c1 [] 0"));

  // A withheld number still pops the call, without a caller.
  ok(telephony->take_call({.phase = CallPhase::ended,
                           .call_id = "c-3",
                           .caller = "anonymous",
                           .extension = "201",
                           .duration_seconds = 95}));
  EXPECT_THAT(lena_desk->take(), ElementsAre("call c-3 ended - -"));

  d = ok(telephony->take_call({.call_id = "c-4", .caller = "+49301234567", .extension = "299"}));
  EXPECT_THAT(d.agents, IsEmpty());
  EXPECT_EQ(d.clients, 0);
  EXPECT_THAT(lena_desk->take(), IsEmpty());

  // Gone from the feed: nobody is told, and nothing waits for a later connection.
  sessions.clear();
  d = ok(telephony->take_call({.call_id = "c-5", .caller = "+49301234567", .extension = "201"}));
  EXPECT_THAT(d.agents, ElementsAre(l1.user.id));
  EXPECT_EQ(d.clients, 0);
}

TEST(CtiToken, ComparedWhole) {
  EXPECT_TRUE(same_secret("0123456789abcdef", "0123456789abcdef"));
  EXPECT_FALSE(same_secret("0123456789abcdeF", "0123456789abcdef"));
  EXPECT_FALSE(same_secret("0123456789abcde", "0123456789abcdef"));
  EXPECT_FALSE(same_secret("", "0123456789abcdef"));
  EXPECT_FALSE(same_secret("", "")) << "no configured token matches nothing";
}

}  // namespace fl::testing
