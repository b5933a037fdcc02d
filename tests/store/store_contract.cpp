// The Store contract: behaviour every adapter must show, tested through the port only.
#include "store/store_contract.hpp"

#include <gmock/gmock.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <thread>

namespace fl::store_contract {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// --- fixture -----------------------------------------------------------------------------

std::string adapter_name(const ::testing::TestParamInfo<StoreAdapter>& info) {
  return info.param.name;
}

TemporaryFolder::TemporaryFolder() {
  static std::atomic<int> counter{0};
  std::random_device random;
  for (;;) {
    path_ = std::filesystem::temp_directory_path() /
            ("firstline-store-" + std::to_string(random()) + "-" + std::to_string(counter++));
    if (std::filesystem::create_directory(path_)) return;
  }
}

TemporaryFolder::~TemporaryFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Timestamp at(std::int64_t offset_ms) {
  return from_millis(1'700'000'000'000 + offset_ms);
}

Event event_of(std::string_view type, std::optional<UserId> actor) {
  Event e;
  e.type = std::string(type);
  e.actor = actor;
  e.at = at();
  e.payload = R"({"test":true})";
  return e;
}

void StoreContract::SetUp() {
  folder_ = std::make_unique<TemporaryFolder>();
  store_ = GetParam().open(folder_->path());
  ASSERT_NE(store_, nullptr);
  org_ = add_organization("Acme", "acme.example").id;
  desk_ = add_team("Service Desk", 1).id;
  agent_ = add_user("agent", Role::agent, std::nullopt, {desk_});
  customer_ = add_user("customer", Role::customer, org_);
}

void StoreContract::TearDown() {
  store_.reset();  // closes the store before its folder goes
  folder_.reset();
}

Organization StoreContract::add_organization(const std::string& name, const std::string& domain) {
  Organization o;
  o.name = name;
  o.domain = domain;
  o.created_at = at();
  return must(store().insert_organization(o, event_of(event_type::organization_created)),
              "insert_organization");
}

Team StoreContract::add_team(const std::string& name, int line, std::vector<OrganizationId> served,
                             TeamKind kind) {
  Team t;
  t.name = name;
  t.line = line;
  t.kind = kind;
  t.served_organizations = std::move(served);
  t.created_at = at();
  return must(store().insert_team(t, event_of(event_type::team_created)), "insert_team");
}

User StoreContract::add_user(const std::string& login, Role role, std::optional<OrganizationId> org,
                             std::vector<TeamId> teams) {
  UserRecord r;
  r.user.login = login;
  r.user.name = "Name of " + login;
  r.user.email = login + "@example.com";
  r.user.role = role;
  r.user.organization = org;
  r.user.teams = std::move(teams);
  r.user.created_at = at();
  r.password_hash = "$argon2id$" + login;
  return must(store().insert_user(r, event_of(event_type::user_created)), "insert_user");
}

Ticket StoreContract::draft_ticket(const std::string& subject) {
  Ticket t;
  t.subject = subject;
  t.requester = customer_.id;
  t.organization = org_;
  t.channel = Channel::email;
  t.category = "network";
  t.impact = 2;
  t.urgency = 2;
  t.priority = Priority::p2;
  t.status = TicketStatus::new_;
  t.line = 1;
  t.team = desk_;
  t.origin_team = desk_;
  t.created_at = at(1);
  t.updated_at = at(1);
  return t;
}

CommittedChange StoreContract::create(Ticket ticket, std::vector<Entry> entries) {
  TicketChange change{
      std::move(ticket), std::move(entries), {event_of(event_type::ticket_created, agent_.id)}};
  return must(store().commit(change), "commit new ticket");
}

StoreContract::Queue StoreContract::seed_queue() {
  Queue q;
  const auto second_org = add_organization("Globex", "globex.example").id;
  const auto third_org = add_organization("Initech").id;
  q.organizations = {org_, second_org, third_org};
  const auto outsourced = add_team("Partner Desk", 1, {second_org}, TeamKind::outsourced).id;
  const auto desktop = add_team("Desktop Support", 2).id;
  const auto infra = add_team("Infrastructure", 3).id;
  const auto vendor = add_team("Vendor", 4, {}, TeamKind::vendor).id;
  q.teams = {desk_, outsourced, desktop, infra, vendor};
  const auto second_agent = add_user("agent2", Role::agent, std::nullopt, {desktop, infra}).id;
  q.agents = {agent_.id, second_agent};
  q.customers = {customer_.id, add_user("globex-user", Role::customer, second_org).id,
                 add_user("initech-user", Role::customer, third_org).id,
                 add_user("walk-in", Role::customer).id};
  const std::vector<std::optional<OrganizationId>> org_of = {org_, second_org, third_org,
                                                             std::nullopt};
  const TeamId team_at_line[] = {0, desk_, desktop, infra, vendor};
  const TicketStatus statuses[] = {
      TicketStatus::new_,           TicketStatus::open,     TicketStatus::pending_customer,
      TicketStatus::pending_vendor, TicketStatus::resolved, TicketStatus::closed};

  for (int i = 0; i < 48; ++i) {
    Ticket t = draft_ticket("queue ticket " + std::to_string(i));
    const auto who = static_cast<std::size_t>(i % 4);
    t.requester = q.customers[who];
    t.organization = org_of[who];
    t.line = 1 + (i / 3) % 4;
    t.origin_team = i % 2 == 0 ? desk_ : outsourced;
    t.team = t.line == 1 ? t.origin_team : team_at_line[t.line];
    t.status = statuses[(i / 2) % 6];
    if (i % 3 != 0) t.assignee = q.agents[static_cast<std::size_t>(i % 2)];
    if (i % 5 == 0) t.tags.push_back("vpn");
    if (i % 7 == 0) t.tags.push_back("printer");
    std::ranges::sort(t.tags);
    q.tickets.push_back(create(t).ticket);
  }
  return q;
}

// --- helpers -----------------------------------------------------------------------------

void expect_same_user(const User& actual, const User& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.login, expected.login);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.email, expected.email);
  EXPECT_EQ(actual.role, expected.role);
  EXPECT_EQ(actual.organization, expected.organization);
  EXPECT_EQ(actual.teams, expected.teams);
  EXPECT_EQ(actual.language, expected.language);
  EXPECT_EQ(actual.active, expected.active);
  EXPECT_EQ(actual.availability, expected.availability);
  EXPECT_EQ(actual.skills, expected.skills);
  EXPECT_EQ(actual.phone, expected.phone);
  EXPECT_EQ(actual.extension, expected.extension);
  EXPECT_TRUE(actual.created_at == expected.created_at);
}

namespace {

void expect_same_ticket(const Ticket& actual, const Ticket& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.number, expected.number);
  EXPECT_EQ(actual.subject, expected.subject);
  EXPECT_EQ(actual.requester, expected.requester);
  EXPECT_EQ(actual.organization, expected.organization);
  EXPECT_EQ(actual.channel, expected.channel);
  EXPECT_EQ(actual.category, expected.category);
  EXPECT_EQ(actual.impact, expected.impact);
  EXPECT_EQ(actual.urgency, expected.urgency);
  EXPECT_EQ(actual.priority, expected.priority);
  EXPECT_EQ(actual.status, expected.status);
  EXPECT_EQ(actual.line, expected.line);
  EXPECT_EQ(actual.team, expected.team);
  EXPECT_EQ(actual.origin_team, expected.origin_team);
  EXPECT_EQ(actual.assignee, expected.assignee);
  EXPECT_EQ(actual.tags, expected.tags);
  EXPECT_EQ(actual.vendor_reference, expected.vendor_reference);
  EXPECT_EQ(actual.escalation_count, expected.escalation_count);
  EXPECT_EQ(actual.customer_contacts, expected.customer_contacts);
  EXPECT_EQ(actual.resolved_at_line, expected.resolved_at_line);
  EXPECT_TRUE(actual.resolved_at == expected.resolved_at);
  EXPECT_EQ(actual.sla_policy, expected.sla_policy);
  EXPECT_EQ(actual.sla_policy_version, expected.sla_policy_version);
  EXPECT_TRUE(actual.sla_check_at == expected.sla_check_at);
  EXPECT_TRUE(actual.created_at == expected.created_at);
  EXPECT_TRUE(actual.updated_at == expected.updated_at);
  EXPECT_EQ(actual.version, expected.version);
}

// What the listing must return, decided in memory: the filters as documented in TicketQuery,
// the scope by TicketScope::matches (the rule the store must turn into SQL).
bool listed_by(const TicketQuery& q, const Ticket& t) {
  auto contains = [](const auto& range, const auto& value) {
    return std::ranges::find(range, value) != std::ranges::end(range);
  };
  if (!q.scope.matches(t)) return false;
  if (q.line && t.line != *q.line) return false;
  if (q.team && t.team != *q.team) return false;
  if (!q.statuses.empty() && !contains(q.statuses, t.status)) return false;
  if (q.assignee && t.assignee != q.assignee) return false;
  if (q.unassigned && t.assignee) return false;
  if (q.requester && t.requester != *q.requester) return false;
  if (q.organization && t.organization != q.organization) return false;
  for (const auto& tag : q.tags)
    if (!contains(t.tags, tag)) return false;
  if (!q.priorities.empty() && !contains(q.priorities, t.priority)) return false;
  if (!q.sla_states.empty() && !contains(q.sla_states, sla_state_at(t, q.now))) return false;
  return true;
}

std::vector<TicketId> expected_ids(const std::vector<Ticket>& all, const TicketQuery& q) {
  std::vector<TicketId> ids;
  for (const auto& t : all)
    if (listed_by(q, t)) ids.push_back(t.id);
  std::ranges::sort(ids);
  if (q.order == TicketOrder::newest_first) std::ranges::reverse(ids);
  return ids;
}

// Follows the cursor to the end, checking each page keeps the paging contract.
std::vector<TicketId> listed_ids(Store& store, TicketQuery q) {
  const auto page_size = static_cast<std::size_t>(std::clamp(q.limit, 1, 200));
  std::vector<TicketId> ids;
  for (int pages = 0; pages < 100'000; ++pages) {
    const TicketPage page = must(store.tickets(q), "tickets");
    EXPECT_LE(page.tickets.size(), page_size);
    for (const auto& t : page.tickets) ids.push_back(t.id);
    if (page.tickets.size() < page_size) {
      EXPECT_FALSE(page.next) << "a short page is the last";
    }
    if (!page.next) break;
    EXPECT_EQ(*page.next, page.tickets.back().id);
    q.after = page.next;
  }
  return ids;
}

std::vector<TicketId> ids_of(const std::vector<Ticket>& tickets) {
  std::vector<TicketId> ids;
  for (const auto& t : tickets) ids.push_back(t.id);
  return ids;
}

TicketQuery everything() {
  TicketQuery q;
  q.scope = TicketScope::all();
  return q;
}

}  // namespace

// --- directory ---------------------------------------------------------------------------

TEST_P(StoreContract, OrganizationsAreStoredAndListed) {
  Organization o;
  o.name = "Umbrella";
  o.domain = "umbrella.example";
  o.customers_see_all_tickets = true;
  o.created_at = at(42);
  const Organization stored =
      must(store().insert_organization(o, event_of(event_type::organization_created)));
  EXPECT_GT(stored.id, org_);

  const Organization read = must(store().organization(stored.id));
  EXPECT_EQ(read.name, "Umbrella");
  EXPECT_EQ(read.domain, "umbrella.example");
  EXPECT_TRUE(read.customers_see_all_tickets);
  EXPECT_TRUE(read.created_at == at(42));

  const auto all = must(store().organizations());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, org_);
  EXPECT_EQ(all[1].id, stored.id);

  EXPECT_EQ(code_of(store().organization(stored.id + 100)), ErrorCode::not_found);
}

TEST_P(StoreContract, OrganizationNameAndDomainAreUnique) {
  Organization same_name;
  same_name.name = "Acme";
  auto clash = store().insert_organization(same_name, event_of(event_type::organization_created));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("Acme"));

  Organization same_domain;
  same_domain.name = "Acme Two";
  same_domain.domain = "acme.example";
  clash = store().insert_organization(same_domain, event_of(event_type::organization_created));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("acme.example"));

  // An empty domain means "none": any number of organisations may have none.
  add_organization("No Domain One");
  add_organization("No Domain Two");
}

TEST_P(StoreContract, TeamsKeepTheirLineKindAndServedOrganizations) {
  const auto globex = add_organization("Globex").id;
  const auto initech = add_organization("Initech").id;
  const Team partner =
      add_team("Partner Desk", 1, {initech, globex, initech}, TeamKind::outsourced);
  EXPECT_EQ(partner.served_organizations, (std::vector<OrganizationId>{globex, initech}));

  const Team read = must(store().team(partner.id));
  EXPECT_EQ(read.name, "Partner Desk");
  EXPECT_EQ(read.line, 1);
  EXPECT_EQ(read.kind, TeamKind::outsourced);
  EXPECT_EQ(read.served_organizations, (std::vector<OrganizationId>{globex, initech}));

  const auto all = must(store().teams());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, desk_);
  EXPECT_TRUE(all[0].served_organizations.empty());
  EXPECT_EQ(all[1].served_organizations, read.served_organizations);

  EXPECT_EQ(code_of(store().team(partner.id + 100)), ErrorCode::not_found);
}

TEST_P(StoreContract, TeamNameIsUniqueAndServedOrganizationsMustExist) {
  Team same_name;
  same_name.name = "Service Desk";
  auto clash = store().insert_team(same_name, event_of(event_type::team_created));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("Service Desk"));

  Team serving_ghost;
  serving_ghost.name = "Ghost Desk";
  serving_ghost.served_organizations = {org_ + 999};
  auto missing = store().insert_team(serving_ghost, event_of(event_type::team_created));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(missing.error().message, HasSubstr(std::to_string(org_ + 999)));
  // Nothing of the failed insert stays.
  EXPECT_EQ(must(store().teams()).size(), 1u);
  add_team("Ghost Desk", 1);
}

TEST_P(StoreContract, UsersAreStoredWithTeamsOrganizationAndSecret) {
  const auto second_team = add_team("Desktop Support", 2).id;
  UserRecord r;
  r.user.login = "jdoe";
  r.user.name = "Jane Doe";
  r.user.email = "jane@acme.example";
  r.user.role = Role::supervisor;
  r.user.organization = org_;
  r.user.teams = {second_team, desk_};
  r.user.language = "de";
  r.user.active = false;
  r.user.created_at = at(7);
  r.password_hash = "$argon2id$v=19$secret";
  const User stored = must(store().insert_user(r, event_of(event_type::user_created)));
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.teams, (std::vector<TeamId>{desk_, second_team}));

  User expected = r.user;
  expected.id = stored.id;
  expected.teams = {desk_, second_team};
  expect_same_user(must(store().user(stored.id)), expected);

  const UserRecord by_login = must(store().user_record_by_login("jdoe"));
  expect_same_user(by_login.user, expected);
  EXPECT_EQ(by_login.password_hash, "$argon2id$v=19$secret");

  must(store().set_password_hash(stored.id, "$argon2id$v=19$changed"));
  EXPECT_EQ(must(store().user_record_by_login("jdoe")).password_hash, "$argon2id$v=19$changed");

  EXPECT_EQ(code_of(store().user(stored.id + 100)), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().user_record_by_login("nobody")), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().set_password_hash(stored.id + 100, "x")), ErrorCode::not_found);
}

TEST_P(StoreContract, UsersCanBeListedByRole) {
  const User admin = add_user("admin", Role::admin);
  const auto all = must(store().users(std::nullopt));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, agent_.id);
  EXPECT_EQ(all[0].teams, std::vector<TeamId>{desk_});
  EXPECT_EQ(all[1].id, customer_.id);
  EXPECT_EQ(all[2].id, admin.id);

  const auto agents = must(store().users(Role::agent));
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].login, "agent");
  EXPECT_TRUE(must(store().users(Role::supervisor)).empty());
}

TEST_P(StoreContract, LoginClashIsAConflictNamingTheLogin) {
  UserRecord r;
  r.user.login = "agent";
  r.user.name = "Another Agent";
  auto clash = store().insert_user(r, event_of(event_type::user_created));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("'agent'"));
  EXPECT_EQ(must(store().users(std::nullopt)).size(), 2u);
}

TEST_P(StoreContract, UserReferencingMissingRecordsIsInvalidAndStoresNothing) {
  UserRecord in_ghost_team;
  in_ghost_team.user.login = "ghost";
  in_ghost_team.user.teams = {desk_, desk_ + 999};
  auto result = store().insert_user(in_ghost_team, event_of(event_type::user_created));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(result.error().message, HasSubstr(std::to_string(desk_ + 999)));

  UserRecord in_ghost_org;
  in_ghost_org.user.login = "ghost";
  in_ghost_org.user.organization = org_ + 999;
  result = store().insert_user(in_ghost_org, event_of(event_type::user_created));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);

  EXPECT_EQ(code_of(store().user_record_by_login("ghost")), ErrorCode::not_found);
  add_user("ghost", Role::customer);  // the login was never taken
}

TEST_P(StoreContract, DirectoryInsertsAppendTheirEvent) {
  const auto before = must(store().events_after(0, 1000));
  ASSERT_EQ(before.size(), 4u);  // SetUp: organisation, team, two users
  EXPECT_EQ(before[0].type, event_type::organization_created);
  EXPECT_EQ(before[1].type, event_type::team_created);
  EXPECT_EQ(before[2].type, event_type::user_created);
  EXPECT_EQ(before[3].type, event_type::user_created);
  EXPECT_FALSE(before[0].ticket);
  EXPECT_EQ(before[0].payload, R"({"test":true})");

  add_user("admin", Role::admin);
  const auto after = must(store().events_after(before.back().id, 1000));
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].type, event_type::user_created);
}

// --- credentials -------------------------------------------------------------------------

TEST_P(StoreContract, CredentialsAreFoundByHashListedAndRevoked) {
  Credential session;
  session.user = agent_.id;
  session.kind = CredentialKind::session;
  session.token_hash = "hash-session";
  session.created_at = at(1);
  session.expires_at = at(3'600'000);
  const Credential stored_session = must(store().insert_credential(session));
  EXPECT_GT(stored_session.id, 0);

  Credential token;
  token.user = agent_.id;
  token.kind = CredentialKind::api_token;
  token.name = "CTI bridge";
  token.token_hash = "hash-token";
  token.created_at = at(2);
  const Credential stored_token = must(store().insert_credential(token));

  const Credential found = must(store().credential_by_hash("hash-token"));
  EXPECT_EQ(found.id, stored_token.id);
  EXPECT_EQ(found.user, agent_.id);
  EXPECT_EQ(found.kind, CredentialKind::api_token);
  EXPECT_EQ(found.name, "CTI bridge");
  EXPECT_FALSE(found.expires_at);
  EXPECT_FALSE(found.revoked);
  EXPECT_TRUE(must(store().credential_by_hash("hash-session")).expires_at == at(3'600'000));
  EXPECT_EQ(code_of(store().credential_by_hash("hash-unknown")), ErrorCode::not_found);

  const auto tokens = must(store().credentials_of(agent_.id, CredentialKind::api_token));
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].id, stored_token.id);
  EXPECT_TRUE(must(store().credentials_of(customer_.id, CredentialKind::session)).empty());

  // Only the owner's credential can be revoked through its owner.
  EXPECT_EQ(code_of(store().revoke_credential(customer_.id, stored_token.id)),
            ErrorCode::not_found);
  EXPECT_EQ(code_of(store().revoke_credential(agent_.id, stored_token.id + 100)),
            ErrorCode::not_found);
  const Credential revoked = must(store().revoke_credential(agent_.id, stored_token.id));
  EXPECT_TRUE(revoked.revoked);
  EXPECT_TRUE(must(store().credential_by_hash("hash-token")).revoked);
  EXPECT_FALSE(must(store().credential_by_hash("hash-session")).revoked);
  EXPECT_TRUE(must(store().revoke_credential(agent_.id, stored_token.id)).revoked);  // idempotent
}

TEST_P(StoreContract, CredentialHashIsUniqueAndUserMustExist) {
  Credential c;
  c.user = agent_.id;
  c.token_hash = "same";
  must(store().insert_credential(c));
  c.user = customer_.id;
  auto clash = store().insert_credential(c);
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, ::testing::Not(HasSubstr("same")))
      << "the hash stands for a secret and stays out of messages";

  c.user = customer_.id + 999;
  c.token_hash = "other";
  auto missing = store().insert_credential(c);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::invalid_argument);
}

// --- tickets -----------------------------------------------------------------------------

TEST_P(StoreContract, NewTicketsGetIncreasingNumbersFrom100001) {
  const auto first = create(draft_ticket("first")).ticket;
  const auto second = create(draft_ticket("second")).ticket;
  const auto third = create(draft_ticket("third")).ticket;
  EXPECT_EQ(first.number, 100001);
  EXPECT_GT(second.number, first.number);
  EXPECT_GT(third.number, second.number);
  EXPECT_LT(first.id, second.id);
  EXPECT_LT(second.id, third.id);
  for (const auto& t : {first, second, third}) {
    EXPECT_GT(t.id, 0);
    EXPECT_EQ(t.version, 1);
  }
}

TEST_P(StoreContract, TicketKeepsEveryField) {
  const auto vendor_team = add_team("Vendor", 4, {}, TeamKind::vendor).id;
  Ticket t = draft_ticket("VPN drops every hour");
  t.channel = Channel::phone;
  t.category = "network/vpn";
  t.impact = 1;
  t.urgency = 2;
  t.priority = Priority::p1;
  t.status = TicketStatus::resolved;
  t.line = 4;
  t.team = vendor_team;
  t.assignee = agent_.id;
  t.tags = {"cisco", "vpn"};
  t.vendor_reference = "CASE-12345";
  t.escalation_count = 3;
  t.customer_contacts = 2;
  t.resolved_at_line = 4;
  t.resolved_at = at(5000);
  t.sla_policy = 3;
  t.sla_policy_version = 2;
  t.sla_check_at = at(9000);
  t.created_at = at(10);
  t.updated_at = at(5000);
  t.version = 77;  // ignored for a new ticket
  t.number = 5;    // ignored: the store assigns numbers

  const Ticket stored = create(t).ticket;
  Ticket expected = t;
  expected.id = stored.id;
  expected.number = stored.number;
  expected.version = 1;
  expect_same_ticket(stored, expected);
  expect_same_ticket(must(store().ticket(stored.id)), expected);

  Ticket bare = draft_ticket("no optional fields");
  bare.organization = std::nullopt;
  const Ticket stored_bare = create(bare).ticket;
  const Ticket read_bare = must(store().ticket(stored_bare.id));
  EXPECT_FALSE(read_bare.organization);
  EXPECT_FALSE(read_bare.assignee);
  EXPECT_FALSE(read_bare.resolved_at_line);
  EXPECT_FALSE(read_bare.resolved_at);
  EXPECT_FALSE(read_bare.sla_policy);
  EXPECT_EQ(read_bare.sla_policy_version, 0);
  EXPECT_FALSE(read_bare.sla_check_at);
  EXPECT_TRUE(read_bare.tags.empty());

  EXPECT_EQ(code_of(store().ticket(stored.id + 100)), ErrorCode::not_found);
}

TEST_P(StoreContract, UpdateNeedsTheCurrentVersion) {
  Ticket t = create(draft_ticket("printer jam")).ticket;
  ASSERT_EQ(t.version, 1);

  Ticket v1 = t;
  v1.status = TicketStatus::open;
  v1.assignee = agent_.id;
  v1.updated_at = at(100);
  const Ticket v2 = must(store().commit({v1, {}, {}})).ticket;
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.number, t.number);
  EXPECT_EQ(v2.status, TicketStatus::open);
  EXPECT_EQ(v2.assignee, agent_.id);
  EXPECT_TRUE(v2.created_at == t.created_at);

  Ticket stale = t;  // still says version 1
  stale.subject = "lost update";
  auto conflict = store().commit({stale, {}, {event_of(event_type::ticket_updated)}});
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::conflict);
  const Ticket current = must(store().ticket(t.id));
  EXPECT_EQ(current.subject, "printer jam");
  EXPECT_EQ(current.version, 2);
  EXPECT_EQ(must(store().ticket_events(t.id)).size(), 1u) << "the failed change's event is gone";

  Ticket missing = v2;
  missing.id = t.id + 100;
  EXPECT_EQ(code_of(store().commit({missing, {}, {}})), ErrorCode::not_found);
}

TEST_P(StoreContract, EntriesAndEventsAreStoredWithTheChangeInOrder) {
  Entry reply;
  reply.kind = EntryKind::reply;
  reply.author = customer_.id;
  reply.body = "My VPN drops.";
  reply.created_at = at(1);
  Entry call;
  call.kind = EntryKind::call;
  call.author = agent_.id;
  call.body = "Called back, restarted client.";
  call.call = CallDetails{CallDirection::outbound, 185, "+49 30 1234567"};
  call.created_at = at(2);

  const CommittedChange created = create(draft_ticket("vpn"), {reply, call});
  const TicketId id = created.ticket.id;
  ASSERT_EQ(created.entries.size(), 2u);
  EXPECT_LT(created.entries[0].id, created.entries[1].id);
  ASSERT_EQ(created.events.size(), 1u);
  EXPECT_EQ(created.events[0].ticket, id);
  EXPECT_GT(created.events[0].id, 0);

  Entry note;
  note.kind = EntryKind::note;
  note.author = agent_.id;
  note.body = "Escalating to network team.";
  note.created_at = at(3);
  Ticket update = created.ticket;
  update.customer_contacts = 1;
  const CommittedChange updated =
      must(store().commit({update,
                           {note},
                           {event_of(event_type::entry_added, agent_.id),
                            event_of(event_type::escalated, agent_.id)}}));
  EXPECT_EQ(updated.entries[0].ticket, id);
  EXPECT_GT(updated.entries[0].id, created.entries[1].id);
  ASSERT_EQ(updated.events.size(), 2u);
  EXPECT_LT(created.events[0].id, updated.events[0].id);
  EXPECT_LT(updated.events[0].id, updated.events[1].id);

  const auto entries = must(store().entries(id));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].body, "My VPN drops.");
  EXPECT_EQ(entries[0].kind, EntryKind::reply);
  EXPECT_FALSE(entries[0].call);
  EXPECT_EQ(entries[1].kind, EntryKind::call);
  ASSERT_TRUE(entries[1].call);
  EXPECT_EQ(entries[1].call->direction, CallDirection::outbound);
  EXPECT_EQ(entries[1].call->duration_seconds, 185);
  EXPECT_EQ(entries[1].call->caller, "+49 30 1234567");
  EXPECT_TRUE(entries[1].created_at == at(2));
  EXPECT_EQ(entries[2].body, "Escalating to network team.");
  for (const auto& e : entries) EXPECT_EQ(e.ticket, id);

  const auto events = must(store().ticket_events(id));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, event_type::ticket_created);
  EXPECT_EQ(events[1].type, event_type::entry_added);
  EXPECT_EQ(events[2].type, event_type::escalated);
  EXPECT_EQ(events[2].actor, agent_.id);

  EXPECT_EQ(code_of(store().entries(id + 100)), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().ticket_events(id + 100)), ErrorCode::not_found);
}

TEST_P(StoreContract, AFailedChangeStoresNothingOfIt) {
  const CommittedChange created = create(draft_ticket("atomic"));
  const EventId last_event = created.events.back().id;

  Entry by_ghost;
  by_ghost.author = agent_.id + 999;
  by_ghost.body = "who am I";
  Ticket update = created.ticket;
  update.status = TicketStatus::open;
  auto result = store().commit({update, {by_ghost}, {event_of(event_type::entry_added)}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);

  EXPECT_EQ(must(store().ticket(created.ticket.id)).version, 1);
  EXPECT_EQ(must(store().ticket(created.ticket.id)).status, TicketStatus::new_);
  EXPECT_TRUE(must(store().entries(created.ticket.id)).empty());
  EXPECT_TRUE(must(store().events_after(last_event, 100)).empty());

  Ticket in_ghost_team = draft_ticket("nowhere");
  in_ghost_team.team = desk_ + 999;
  result = store().commit({in_ghost_team, {}, {event_of(event_type::ticket_created)}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(result.error().message, HasSubstr(std::to_string(desk_ + 999)));
  EXPECT_EQ(listed_ids(store(), everything()), std::vector<TicketId>{created.ticket.id});
  EXPECT_TRUE(must(store().events_after(last_event, 100)).empty());
}

TEST_P(StoreContract, LatestEventIdIsTheFeedsEnd) {
  auto feed = must(store().events_after(0, 1000));
  EXPECT_EQ(must(store().latest_event_id()), feed.empty() ? 0 : feed.back().id);
  CommittedChange c = create(draft_ticket("newest"));
  EXPECT_EQ(must(store().latest_event_id()), c.events.back().id);
}

TEST_P(StoreContract, EventsAfterIsAnOrderedFeed) {
  for (int i = 0; i < 5; ++i) {
    Ticket t = create(draft_ticket("feed " + std::to_string(i))).ticket;
    t.status = TicketStatus::open;
    must(store().commit({t, {}, {event_of(event_type::status_changed, agent_.id)}}));
  }
  const auto all = must(store().events_after(0, 1000));
  ASSERT_EQ(all.size(), 4u + 10u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].id, all[i].id);

  std::vector<EventId> paged;
  EventId cursor = 0;
  for (;;) {
    const auto page = must(store().events_after(cursor, 3));
    EXPECT_LE(page.size(), 3u);
    if (page.empty()) break;
    for (const auto& e : page) paged.push_back(e.id);
    cursor = page.back().id;
  }
  std::vector<EventId> expected;
  for (const auto& e : all) expected.push_back(e.id);
  EXPECT_EQ(paged, expected);

  const auto tail = must(store().events_after(all[9].id, 2));
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].id, all[10].id);
  EXPECT_EQ(tail[1].id, all[11].id);
  EXPECT_TRUE(must(store().events_after(all.back().id, 10)).empty());
}

TEST_P(StoreContract, TagsAreReplacedByEachChange) {
  Ticket t = draft_ticket("tags");
  t.tags = {"printer", "urgent"};
  const Ticket created = create(t).ticket;
  EXPECT_EQ(created.tags, (std::vector<std::string>{"printer", "urgent"}));

  Ticket update = created;
  update.tags = {"network", "printer"};
  const Ticket updated = must(store().commit({update, {}, {}})).ticket;
  EXPECT_EQ(updated.tags, (std::vector<std::string>{"network", "printer"}));
  EXPECT_EQ(must(store().ticket(created.id)).tags, updated.tags);

  TicketQuery by_urgent = everything();
  by_urgent.tags = {"urgent"};
  EXPECT_TRUE(must(store().tickets(by_urgent)).tickets.empty());
  TicketQuery by_network = everything();
  by_network.tags = {"network"};
  EXPECT_EQ(ids_of(must(store().tickets(by_network)).tickets), std::vector<TicketId>{created.id});

  Ticket cleared = updated;
  cleared.tags.clear();
  EXPECT_TRUE(must(store().commit({cleared, {}, {}})).ticket.tags.empty());
}

TEST_P(StoreContract, ListingHonoursEveryFilter) {
  const Queue q = seed_queue();
  std::vector<std::pair<std::string, TicketQuery>> queries;
  auto add = [&](std::string name, auto&& set) {
    TicketQuery query = everything();
    set(query);
    queries.emplace_back(std::move(name), std::move(query));
  };
  add("no filter", [](TicketQuery&) {});
  add("line 2", [](TicketQuery& x) { x.line = 2; });
  add("team", [&](TicketQuery& x) { x.team = q.teams[1]; });
  add("one status", [](TicketQuery& x) { x.statuses = {TicketStatus::open}; });
  add("statuses", [](TicketQuery& x) {
    x.statuses = {TicketStatus::new_, TicketStatus::pending_vendor, TicketStatus::closed};
  });
  add("assignee", [&](TicketQuery& x) { x.assignee = q.agents[1]; });
  add("unassigned", [](TicketQuery& x) { x.unassigned = true; });
  add("requester", [&](TicketQuery& x) { x.requester = q.customers[2]; });
  add("organization", [&](TicketQuery& x) { x.organization = q.organizations[1]; });
  add("tag", [](TicketQuery& x) { x.tags = {"vpn"}; });
  add("unknown tag", [](TicketQuery& x) { x.tags = {"nothing"}; });
  add("line and status", [](TicketQuery& x) {
    x.line = 1;
    x.statuses = {TicketStatus::new_, TicketStatus::open};
  });
  add("team, unassigned, oldest first", [&](TicketQuery& x) {
    x.team = q.teams[0];
    x.unassigned = true;
    x.order = TicketOrder::oldest_first;
  });
  add("all filters", [&](TicketQuery& x) {
    x.line = 1;
    x.team = q.teams[0];
    x.statuses = {TicketStatus::new_, TicketStatus::resolved};
    x.assignee = q.agents[0];
    x.requester = q.customers[0];
    x.organization = q.organizations[0];
    x.tags = {"vpn"};
  });
  add("tag and scope", [&](TicketQuery& x) {
    x.tags = {"printer"};
    x.scope = any_of({Clause().max_line(2)});
  });

  for (auto [name, query] : queries) {
    for (int limit : {5, 50}) {
      query.limit = limit;
      SCOPED_TRACE(name + ", limit " + std::to_string(limit));
      const auto expected = expected_ids(q.tickets, query);
      EXPECT_EQ(listed_ids(store(), query), expected);
    }
  }
  // The seed is varied enough that the filters above are not trivially empty.
  TicketQuery tagged = everything();
  tagged.tags = {"vpn"};
  EXPECT_GE(expected_ids(q.tickets, tagged).size(), 5u);
}

TEST_P(StoreContract, ListingAppliesTheScopeAsTicketScopeMatchesDoes) {
  const Queue q = seed_queue();
  const auto desk = q.teams[0];
  const auto partner = q.teams[1];
  const auto desktop = q.teams[2];
  const std::vector<std::pair<std::string, TicketScope>> scopes = {
      {"everything", TicketScope::all()},
      {"nothing", TicketScope{}},
      {"clause without conditions", any_of({Clause()})},
      {"max line", any_of({Clause().max_line(2)})},
      {"team in", any_of({Clause().team_in({desk, desktop})})},
      {"empty team list", any_of({Clause().team_in({})})},
      {"origin team in", any_of({Clause().origin_team_in({partner})})},
      {"organization in",
       any_of({Clause().organization_in({q.organizations[0], q.organizations[2]})})},
      {"requester", any_of({Clause().requester(q.customers[3])})},
      // An agent at line 2: tickets at or below their line in their teams, or that they asked.
      {"agent",
       any_of({Clause().max_line(2).team_in({desk, desktop}), Clause().requester(q.agents[1])})},
      // An outsourced desk: its own first-line tickets for the organisations it serves.
      {"outsourced desk", any_of({Clause().max_line(1).origin_team_in({partner}).organization_in(
                              {q.organizations[1]})})},
      // A customer who sees their organisation's tickets, and their own.
      {"customer", any_of({Clause().requester(q.customers[1]),
                           Clause().organization_in({q.organizations[1]})})},
      {"three clauses, one empty list",
       any_of({Clause().team_in({}), Clause().max_line(1).requester(q.customers[0]),
               Clause().origin_team_in({desk}).organization_in({})})},
  };
  for (const auto& [name, scope] : scopes) {
    for (auto order : {TicketOrder::newest_first, TicketOrder::oldest_first}) {
      SCOPED_TRACE(name);
      TicketQuery query;
      query.scope = scope;
      query.order = order;
      query.limit = 7;
      std::vector<TicketId> expected;
      for (const auto& t : q.tickets)
        if (scope.matches(t)) expected.push_back(t.id);
      if (order == TicketOrder::newest_first) std::ranges::reverse(expected);
      EXPECT_EQ(listed_ids(store(), query), expected);
    }
  }
}

TEST_P(StoreContract, CursorPagingVisitsEveryTicketOnceInStableOrder) {
  // Enough tickets to exceed the largest page (200); created from several threads.
  constexpr int kTickets = 230;
  std::vector<std::thread> threads;
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  for (int w = 0; w < 8; ++w) {
    threads.emplace_back([&] {
      for (int i = next++; i < kTickets; i = next++) {
        Ticket t = draft_ticket("paging " + std::to_string(i));
        if (!store().commit({t, {}, {event_of(event_type::ticket_created)}})) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures, 0);

  TicketQuery newest = everything();
  newest.limit = 17;
  const auto descending = listed_ids(store(), newest);
  ASSERT_EQ(descending.size(), static_cast<std::size_t>(kTickets));
  EXPECT_TRUE(std::ranges::is_sorted(descending, std::greater<>{}));
  EXPECT_EQ(std::set<TicketId>(descending.begin(), descending.end()).size(), descending.size());

  TicketQuery oldest = everything();
  oldest.order = TicketOrder::oldest_first;
  oldest.limit = 23;
  auto ascending = listed_ids(store(), oldest);
  EXPECT_TRUE(std::ranges::is_sorted(ascending));
  std::ranges::reverse(ascending);
  EXPECT_EQ(ascending, descending);

  // A page that exactly fills the rest still points on; the page after it is empty.
  TicketQuery exact = everything();
  exact.limit = 10;
  exact.after = descending[descending.size() - 11];
  const TicketPage last_full = must(store().tickets(exact));
  ASSERT_EQ(last_full.tickets.size(), 10u);
  ASSERT_TRUE(last_full.next);
  exact.after = last_full.next;
  const TicketPage empty = must(store().tickets(exact));
  EXPECT_TRUE(empty.tickets.empty());
  EXPECT_FALSE(empty.next);

  // Limits are clamped to 1..200.
  TicketQuery tiny = everything();
  tiny.limit = 0;
  EXPECT_EQ(must(store().tickets(tiny)).tickets.size(), 1u);
  tiny.limit = -5;
  EXPECT_EQ(must(store().tickets(tiny)).tickets.size(), 1u);
  TicketQuery huge = everything();
  huge.limit = 100'000;
  const TicketPage capped = must(store().tickets(huge));
  EXPECT_EQ(capped.tickets.size(), 200u);
  EXPECT_TRUE(capped.next);
}

TEST_P(StoreContract, ListedTicketsCarryTheirTags) {
  Ticket t = draft_ticket("tagged");
  t.tags = {"a", "b"};
  const Ticket created = create(t).ticket;
  create(draft_ticket("untagged"));
  const TicketPage page = must(store().tickets(everything()));
  ASSERT_EQ(page.tickets.size(), 2u);
  EXPECT_TRUE(page.tickets[0].tags.empty());
  expect_same_ticket(page.tickets[1], created);
}

TEST_P(StoreContract, ConcurrentCommitsAllLandWithUniqueNumbers) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<Ticket>> created(kThreads);
  std::atomic<int> failures{0};
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerThread; ++i) {
        Ticket t = draft_ticket("thread " + std::to_string(w) + " #" + std::to_string(i));
        Entry e;
        e.author = customer_.id;
        e.body = t.subject;
        auto result = store().commit({t, {e}, {event_of(event_type::ticket_created)}});
        if (result)
          created[static_cast<std::size_t>(w)].push_back(result->ticket);
        else
          ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures, 0);

  std::set<TicketNumber> numbers;
  std::set<TicketId> ids;
  for (const auto& per_thread : created) {
    for (std::size_t i = 1; i < per_thread.size(); ++i)
      EXPECT_LT(per_thread[i - 1].number, per_thread[i].number) << "numbers follow commit order";
    for (const auto& t : per_thread) {
      numbers.insert(t.number);
      ids.insert(t.id);
    }
  }
  constexpr std::size_t kTotal = kThreads * kPerThread;
  EXPECT_EQ(numbers.size(), kTotal);
  EXPECT_EQ(*numbers.begin(), 100001);

  const auto listed = listed_ids(store(), everything());
  EXPECT_EQ(std::set<TicketId>(listed.begin(), listed.end()), ids);
  // Each ticket's entry and event landed with it.
  EXPECT_EQ(must(store().entries(*ids.begin())).size(), 1u);
  EXPECT_EQ(must(store().events_after(0, 1000)).size(), 4u + kTotal);
}

TEST_P(StoreContract, ConcurrentUpdatesOfOneTicketLoseNothing) {
  const Ticket created = create(draft_ticket("contended")).ticket;
  constexpr int kThreads = 8;
  constexpr int kIncrements = 10;
  std::atomic<int> conflicts{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        for (;;) {  // read, modify, write; retry when another writer won
          auto current = store().ticket(created.id);
          if (!current) {
            ++failures;
            return;
          }
          current->customer_contacts += 1;
          auto result = store().commit({*current, {}, {}});
          if (result) break;
          if (result.error().code != ErrorCode::conflict) {
            ++failures;
            return;
          }
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures, 0);
  const Ticket final_state = must(store().ticket(created.id));
  EXPECT_EQ(final_state.customer_contacts, kThreads * kIncrements);
  EXPECT_EQ(final_state.version, 1 + kThreads * kIncrements);
}

TEST_P(StoreContract, TicketCountsGroupByStatusAndLine) {
  const auto second_line = add_team("Desktop Support", 2).id;
  auto make = [&](TicketStatus status, int line) {
    Ticket t = draft_ticket("count");
    t.status = status;
    t.line = line;
    t.team = line == 1 ? desk_ : second_line;
    create(t);
  };
  make(TicketStatus::new_, 1);
  make(TicketStatus::new_, 1);
  make(TicketStatus::open, 1);
  make(TicketStatus::open, 2);
  make(TicketStatus::closed, 2);

  auto counts = must(store().ticket_counts());
  std::ranges::sort(counts, [](const TicketCount& a, const TicketCount& b) {
    return std::pair(a.line, a.status) < std::pair(b.line, b.status);
  });
  ASSERT_EQ(counts.size(), 4u);
  auto expect_count = [](const TicketCount& c, TicketStatus s, int line, std::int64_t n) {
    EXPECT_EQ(c.status, s);
    EXPECT_EQ(c.line, line);
    EXPECT_EQ(c.count, n);
  };
  expect_count(counts[0], TicketStatus::new_, 1, 2);
  expect_count(counts[1], TicketStatus::open, 1, 1);
  expect_count(counts[2], TicketStatus::open, 2, 1);
  expect_count(counts[3], TicketStatus::closed, 2, 1);
}

}  // namespace fl::store_contract
